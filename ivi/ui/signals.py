"""Emitting a Qt signal from Python without losing a reference to ``True``.

PySide6 6.12 on Python 3.11 returns the result of ``SignalInstance.emit()`` (``True``) without
a new reference: every emit from Python takes one reference from the ``True`` singleton, and
once they are gone the interpreter aborts (``Fatal Python error: bool_dealloc``) — in a test
run after a few hundred thousand emits, in a head unit after hours of driving. (From Python
3.12 on, ``True`` is immortal and nothing is lost.) The screen emits through :func:`emit`, which
gives the reference back when — and only when — a probe at import finds that emits lose it.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["EMIT_LOSES_A_REFERENCE", "emit"]


class _Probe(QObject):
    fired = Signal()


def _emit_loses_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe took
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= 8


EMIT_LOSES_A_REFERENCE = _emit_loses_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, keeping the reference count of what it returns."""
    result = signal.emit(*args)
    if EMIT_LOSES_A_REFERENCE and result is not None:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
