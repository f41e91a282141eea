"""Process-wide choices of the head-unit app, made once by its entry point (``ivi run``) and by
nothing else: library modules never change the process (no ``gc``, no switch interval, no
environment). ``bench/ui.py`` measures each choice against the process without it.

* :func:`prefer_offscreen` — with no display, Qt renders offscreen (a server, CI, ``make run``
  on a headless machine); chosen before the Qt application exists.
* :func:`shorten_gil_turns` — the GUI thread shares the interpreter lock with the CAN reader,
  the I/O worker (cache, planner) and the vehicle thread; handing the lock over every 1 ms
  instead of Python's 5 ms keeps frames coming while they work (``bench/ui.py``: SoC frame →
  screen latency and the longest GUI stall during a sync, with and without).
* :func:`freeze_startup_objects` — once start-up is over (QML loaded, route, DBC, planner tables,
  cache open) those objects live as long as the process: ``gc.freeze()`` moves them out of the
  cyclic collector's sight, so later full collections walk only what is new.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import MutableMapping

__all__ = ["GIL_SWITCH_INTERVAL_S", "freeze_startup_objects", "has_display", "prefer_offscreen", "shorten_gil_turns"]

#: How often a Python thread hands the interpreter lock over (Python's default is 5 ms).
GIL_SWITCH_INTERVAL_S = 0.001


def has_display(env: MutableMapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def prefer_offscreen(env: MutableMapping[str, str] | None = None) -> str:
    """Choose Qt's offscreen platform when there is no display and nobody chose one; returns the
    platform Qt will use ("" for its default)."""
    env = os.environ if env is None else env
    if not env.get("QT_QPA_PLATFORM") and not has_display(env):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env.get("QT_QPA_PLATFORM", "")


def shorten_gil_turns(interval_s: float = GIL_SWITCH_INTERVAL_S) -> None:
    sys.setswitchinterval(interval_s)


def freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()
