"""Fixtures for the screen: real Qt offscreen, a real scale-1 SQLite cache, real threads.

The vehicle source here is a real thread-backed source the test drives (``PushVehicle``); the CAN
reader on a python-can ``virtual`` bus replaces it once ``ivi.can`` is wired in ``ivi.app``.
"""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path
from typing import Callable, Iterator, Sequence

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from sync.geo.routes import route_between
from sync.store import ChargerStore
from ivi.app import AppConfig, make_trip
from ivi.ui.services.greedy_planner import GreedyPlanner
from ivi.ui.services.navigation import PrintNavigation
from ivi.ui.services.offline_sync import OfflineSync
from ivi.ui.services.ports import SyncStatus, VehicleSample
from ivi.ui.services.profiles import PROFILES
from ivi.ui.services.route_suggestions import RouteSuggestions


class PushVehicle:
    """A vehicle source whose samples the test sends; delivered from a background thread like a bus reader."""

    def __init__(self) -> None:
        self.deliver: Callable[[VehicleSample], None] | None = None

    def start(self, deliver: Callable[[VehicleSample], None]) -> None:
        self.deliver = deliver

    def stop(self) -> None:
        self.deliver = None

    def send(self, soc_percent: float | None, speed_kmh: float = 0.0, route_km: float = 0.0,
             position: tuple[float, float] | None = None) -> None:
        import time

        sample = VehicleSample(time.monotonic(), soc_percent, speed_kmh, position, 180.0, route_km)
        t = threading.Thread(target=lambda: self.deliver and self.deliver(sample))
        t.start()
        t.join()


class PushSync(OfflineSync):
    """A sync service that reports what the test tells it (status and changed locations)."""

    def start(self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]) -> None:
        self.on_status, self.on_changed = on_status, on_changed
        on_status(self.status)


@pytest.fixture(scope="session")
def cache_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "chargers.db"
    ChargerStore.open(path).close()
    return path


@pytest.fixture
def cache_copy(cache_path: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "chargers.db"
    shutil.copy(cache_path, dst)
    return dst


@pytest.fixture(scope="session")
def trip():  # type: ignore[no-untyped-def]
    return make_trip(AppConfig())


def build_screen(qtbot, db: Path, trip, config_dir: Path, *, language: str = "en", vehicle="push", sync=None,  # type: ignore[no-untyped-def]
                 open_cache: Callable[[], ChargerStore] | None = None, size=(1920, 720), wait_ready: bool = True):
    from ivi.ui.controller import Controller, Services
    from ivi.ui.runtime import Screen, ScreenOptions, app_instance

    app_instance()
    services = Services(
        open_cache=open_cache or (lambda: ChargerStore.open(db, seed=False)),
        make_suggestions=lambda c: RouteSuggestions(c),
        make_planner=lambda c, p: GreedyPlanner(p),
        vehicle=PushVehicle() if vehicle == "push" else vehicle,
        sync=sync or PushSync(),
        navigation=PrintNavigation(io.StringIO()),
    )
    controller = Controller(services, trip, PROFILES["su7-pro"], str(config_dir))
    screen = Screen(controller, ScreenOptions(language=language, size=size))
    controller.start()
    qtbot.waitUntil(lambda: screen.first_frame_s is not None, timeout=5000)
    if wait_ready:
        qtbot.waitUntil(lambda: controller.system.value("cacheState") != "loading", timeout=10000)
    return screen


@pytest.fixture
def screen(qtbot, cache_path: Path, trip, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    s = build_screen(qtbot, cache_path, trip, tmp_path / "config")
    yield s
    s.close()


def item(screen, name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject

    found = screen.window.findChild(QObject, name)
    assert found is not None, f"no QML item named {name}"
    return found


def tap(screen, name: str) -> None:  # type: ignore[no-untyped-def]
    """A real touch: a mouse click at the centre of the named item."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    it = item(screen, name)
    p = it.mapToScene(QPointF(it.width() / 2, it.height() / 2))
    QTest.mouseClick(screen.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(p.x()), int(p.y())))
