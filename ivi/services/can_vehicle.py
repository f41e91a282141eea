"""The screen's vehicle from CAN: an ``ivi.can`` reader (and, in the embedded default, the CAN
simulator driving the route on a python-can ``virtual`` bus) turned into ``VehicleSample`` s.

``sample_from_snapshot`` is pure: a ``VehicleSnapshot`` in, a sample out — SoC ``None`` when the
CAN layer says it is stale (the gauge shows "--" and the planner is told), position projected
onto the route polyline to get the km driven. ``CanVehicleSource`` is the thin shell: it wakes
when the reader reports new signals, publishes at most every ``MIN_PERIOD_S`` and at least every
``MAX_PERIOD_S`` (so staleness shows even when nothing arrives), from its own thread.

Day or night for the screen's theme, from the first vehicle signal that says so: the low beams
(VSS ``Vehicle.Body.Lights.Beam.Low.IsOn``), else the ambient light sensor
(``Vehicle.Exterior.LightIntensity``, %), else the sun's elevation at the GNSS position now. The
reference car's BCM sends both (the simulator drives them from the sun over the route); a car
whose mapping carries neither runs on the sun, with no code change.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from can import BusABC

from geo.geometry import LatLon, RoutePosition, cumulative_km, locate_on_route, point_along
from geo.sun import sun_elevation_deg
from ivi.can import (
    PACK_CURRENT,
    PACK_VOLTAGE,
    SPEED,
    BusSource,
    CanError,
    CanReader,
    LogSource,
    Simulator,
    VehicleSnapshot,
)
from ivi.can.bus import open_bus, shutdown
from ivi.can.sim_runner import run_simulator
from ivi.services.ports import VehicleSample

log = logging.getLogger(__name__)

LATITUDE = "Vehicle.CurrentLocation.Latitude"
LONGITUDE = "Vehicle.CurrentLocation.Longitude"
HEADING = "Vehicle.CurrentLocation.Heading"
OUTSIDE_TEMP = "Vehicle.Exterior.AirTemperature"
IS_CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"
TIME_TO_COMPLETE = "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete"  # seconds
LOW_BEAM = "Vehicle.Body.Lights.Beam.Low.IsOn"
LIGHT_INTENSITY = "Vehicle.Exterior.LightIntensity"  # percent, 0 = dark
MIN_PERIOD_S = 0.03
MAX_PERIOD_S = 0.25
#: Below this ambient light (%), the screen goes to its night palette.
DARK_LIGHT_PERCENT = 15.0
#: The sun this far below the horizon or lower: dark (civil twilight ends at -6°; roads darken earlier).
DARK_SUN_ELEVATION_DEG = -4.0


def darkness(snap: VehicleSnapshot, position: LatLon | None, now: datetime) -> tuple[bool | None, str]:
    """(dark outside?, the signal that said so): low beams, else ambient light, else the sun at the
    GNSS position; ``(None, "")`` when none of them is known."""
    beams = snap.value(LOW_BEAM)
    if beams is not None:
        return bool(beams), "headlamps"
    light = snap.value(LIGHT_INTENSITY)
    if light is not None:
        return float(light) < DARK_LIGHT_PERCENT, "ambient"
    if position is not None:
        return sun_elevation_deg(position[0], position[1], now) < DARK_SUN_ELEVATION_DEG, "sun"
    return None, ""


def charge_power_kw(snap: VehicleSnapshot, charging: bool) -> float | None:
    """Power into the pack while charging (VSS current is positive into the battery), else ``None``."""
    volts, amps = snap.value(PACK_VOLTAGE), snap.value(PACK_CURRENT)
    if not charging or volts is None or amps is None:
        return None
    return max(0.0, float(volts) * float(amps) / 1000.0)


def sample_from_snapshot(
    snap: VehicleSnapshot,
    points: Sequence[LatLon],
    cum: Sequence[float],
    t_s: float,
    near: RoutePosition | None = None,
    now: datetime | None = None,
) -> tuple[VehicleSample, RoutePosition | None]:
    """The screen's view of one CAN snapshot (stale signals become ``None``); ``now`` (wall clock,
    for the sun) defaults to the present."""
    lat, lon = snap.value(LATITUDE), snap.value(LONGITUDE)
    position = (float(lat), float(lon)) if lat is not None and lon is not None else None
    where = locate_on_route(points, cum, position, near) if position is not None and len(points) > 1 else None
    speed, heading, temp = snap.value(SPEED), snap.value(HEADING), snap.value(OUTSIDE_TEMP)
    charging = bool(snap.value(IS_CHARGING))
    to_complete_s = snap.value(TIME_TO_COMPLETE)
    dark, light_source = darkness(snap, position, now or datetime.now(UTC))
    sample = VehicleSample(
        t_s=t_s,
        soc_percent=snap.soc_percent,
        speed_kmh=None if speed is None else float(speed),
        position=position,
        heading_deg=None if heading is None else float(heading),
        route_km=None if where is None else where.km,
        charging=charging,
        outside_temp_c=None if temp is None else float(temp),
        learned_kwh_per_km=snap.consumption_kwh_per_km,
        charge_power_kw=charge_power_kw(snap, charging),
        charge_minutes_left=float(to_complete_s) / 60.0 if charging and to_complete_s is not None else None,
        dark_outside=dark,
        light_source=light_source,
    )
    return sample, where


def route_from_km(points: Sequence[LatLon], start_km: float) -> list[LatLon]:
    """The polyline from ``start_km`` on (the simulator starts at its first point)."""
    cum = cumulative_km(points)
    if start_km <= 0:
        return list(points)
    start_km = min(start_km, cum[-1] - 0.1)
    return [point_along(points, cum, start_km), *(p for p, k in zip(points, cum, strict=False) if k > start_km)]


class CanVehicleSource:
    """``VehicleSource`` over a ``CanReader``; optionally also runs a simulator on its own thread.

    ``simulator`` + ``sim_channel``: the simulator sends on python-can ``virtual`` channel
    ``sim_channel``, which the reader listens to (both in this process)."""

    def __init__(
        self,
        source: BusSource | LogSource,
        route_points: Sequence[LatLon],
        *,
        simulator: Simulator | None = None,
        sim_channel: str | None = None,
        label: str = "CAN",
    ) -> None:
        self._wake = threading.Event()
        self.reader = CanReader(source, on_update=lambda _updates: self._wake.set())
        self.simulator, self.sim_channel, self.label = simulator, sim_channel, label
        self.points = tuple(route_points)
        self.cum = cumulative_km(self.points)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sim_bus: BusABC | None = None
        self.error: str | None = None

    def start(self, deliver: Callable[[VehicleSample], None]) -> None:
        try:
            self.reader.start()
            if self.simulator is not None:
                self._sim_bus = open_bus("virtual", self.sim_channel or "ivi")
                self._spawn("ivi-can-sim", self._simulate)
        except CanError as exc:  # the screen shows "--" and the reason is logged
            self.error = str(exc)
            log.error("no vehicle data: %s", exc)
        self._spawn("ivi-vehicle", lambda: self._publish(deliver))

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(t)
        t.start()

    def _simulate(self) -> None:
        try:
            assert self.simulator is not None
            run_simulator(self.simulator, self._sim_bus, stop_event=self._stop)
        except Exception as exc:
            self.error = f"CAN simulator stopped: {exc}"
            log.error(self.error)

    def _publish(self, deliver: Callable[[VehicleSample], None]) -> None:
        near: RoutePosition | None = None
        last: VehicleSample | None = None
        last_at = 0.0
        is_log = isinstance(self.reader.source, LogSource)
        while not self._stop.is_set():
            self._wake.wait(MAX_PERIOD_S)
            self._wake.clear()
            now = time.monotonic()
            snap = self.reader.snapshot()
            sample, where = sample_from_snapshot(snap, self.points, self.cum, now, near)
            near = where or near
            if last is None or replace(sample, t_s=0.0) != replace(last, t_s=0.0) or now - last_at >= MAX_PERIOD_S:
                deliver(sample)
                last, last_at = sample, now
            if is_log and self.reader.status.finished:
                self._stop.wait(MAX_PERIOD_S)
            self._stop.wait(MIN_PERIOD_S)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout=2)
        self.reader.stop()
        if self._sim_bus is not None:
            shutdown(self._sim_bus)


def simulated_source(
    route_points: Sequence[LatLon], *, start_km: float = 0.0, start_soc_percent: float = 80.0, speedup: float = 1.0
) -> CanVehicleSource:
    """The embedded default: the CAN simulator drives the route on a ``virtual`` bus of its own
    (a unique channel per app instance) and the reader reads it."""
    channel = f"ivi-{uuid.uuid4().hex[:12]}"
    sim = Simulator(
        route_from_km(route_points, start_km), start_soc_percent=max(0.1, start_soc_percent), speedup=speedup
    )
    return CanVehicleSource(
        BusSource("virtual", channel), route_points, simulator=sim, sim_channel=channel, label="CAN simulator"
    )


def bus_source(route_points: Sequence[LatLon], interface: str, channel: str) -> CanVehicleSource:
    """A real car or test bench: read ``interface``/``channel``, simulate nothing."""
    return CanVehicleSource(BusSource(interface, channel), route_points, label=f"CAN {interface}:{channel}")


def log_source(route_points: Sequence[LatLon], path: Path) -> CanVehicleSource:
    """Replay a CAN log file (as fast as it is read; the last state stays on screen)."""
    return CanVehicleSource(LogSource(Path(path)), route_points, label=f"CAN log {Path(path).name}")
