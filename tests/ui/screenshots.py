"""The README's screenshots, from the real screen in the states the size test walks:
``python -m tests.ui.screenshots docs`` (offscreen; a seeded cache is made in a temporary folder).

Home, trip, low battery, stale SoC and map, at 1920×720 (12.3-inch) and 1024×600 (7-inch), in the
palette and language each caption says.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer

from chargers.store import ChargerStore
from ivi.app import AppConfig, make_trip
from tests.ui.conftest import build_screen
from tests.ui.test_ui_sizes import _set_state, _show

SHOTS = (
    # (file stem, state, size, night, language)
    ("home", "home", (1920, 720), True, "en"),
    ("home-1024", "home", (1024, 600), False, "en"),
    ("low-battery", "moving_low", (1920, 720), True, "en"),
    ("low-battery-1024", "moving_low", (1024, 600), True, "zh_CN"),
    ("stale", "stale", (1920, 720), False, "en"),
    ("trip", "trip", (1920, 720), False, "zh_CN"),
    ("trip-1024", "trip", (1024, 600), True, "en"),
    ("map", "map", (1920, 720), True, "zh_CN"),
    ("map-1024", "map", (1024, 600), False, "en"),
)


class Waiter:
    """What the helpers need of pytest-qt's ``qtbot``: wait, and wait until."""

    def wait(self, ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def waitUntil(self, fn: Callable[[], object], timeout: int = 5000) -> None:
        end = time.monotonic() + timeout / 1000
        while not fn():
            if time.monotonic() > end:
                raise TimeoutError(f"condition not met in {timeout} ms: {fn.__code__.co_firstlineno}")
            self.wait(20)


def main(out: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ivi-shots-"))
    db = work / "chargers.db"
    ChargerStore.open(db).close()
    trip = make_trip(AppConfig())
    bot = Waiter()
    for language in ("en", "zh_CN"):
        shots = [s for s in SHOTS if s[4] == language]
        screen = build_screen(bot, db, trip, work / f"config-{language}", language=language)
        try:
            for stem, state, size, night, _ in shots:
                _set_state(screen, bot, state)
                _show(screen, bot, size, night)
                bot.wait(300)
                path = out / f"screenshot-{stem}.png"
                saved: list[bool] = []
                screen.after_next_frame(lambda path=path, screen=screen, saved=saved: saved.append(screen.grab(path)))
                bot.waitUntil(lambda saved=saved: bool(saved))
                print(path)
        finally:
            screen.close()
            if screen.translator is not None:
                QCoreApplication.removeTranslator(screen.translator)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
