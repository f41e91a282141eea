"""A built-in vehicle for the default run: drives along the route polyline at a speed profile,
the state of charge falling with a simple consumption, and charging when it runs low.

Stand-in only. The real default run starts the CAN simulator (``ivi.can``) on a python-can
``virtual`` bus and reads it; the lead swaps this module for that reader in ``ivi.app``. It is
kept in one module so nothing else depends on it.

``step`` is pure (state in, state out, time passed in); ``SimulatedDrive`` is the thin thread
that calls it at a fixed rate and delivers :class:`VehicleSample` s.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from sync.geo.geometry import LatLon, bearing_deg, cumulative_km, point_along
from ivi.ui.services.ports import VehicleProfile, VehicleSample

CRUISE_KMH = 115.0
ACCEL_KMH_PER_S = 3.0
CHARGE_BELOW_PERCENT = 14.0
CHARGE_TO_PERCENT = 80.0


@dataclass(frozen=True)
class DriveState:
    t_s: float
    km: float
    soc_percent: float
    speed_kmh: float
    charging: bool = False
    arrived: bool = False


def target_speed_kmh(state: DriveState, route_km: float) -> float:
    """Cruise with a gentle wave (traffic), slow down near the destination, stop to charge."""
    if state.charging or state.arrived or state.soc_percent <= CHARGE_BELOW_PERCENT:
        return 0.0
    to_go = route_km - state.km
    wave = 8.0 * math.sin(state.t_s / 90.0)
    return max(0.0, min(CRUISE_KMH + wave, 30.0 + to_go * 40.0))


def step(state: DriveState, dt_s: float, route_km: float, profile: VehicleProfile) -> DriveState:
    """Advance the simulation by ``dt_s`` seconds of vehicle time."""
    t = state.t_s + dt_s
    if state.arrived:
        return replace(state, t_s=t, speed_kmh=0.0)
    if state.charging:
        # A simple taper: full power to 50 %, then falling linearly to a third at 100 %.
        taper = 1.0 if state.soc_percent < 50 else 1.0 - (state.soc_percent - 50) / 75.0
        gained = profile.max_charge_kw * taper * dt_s / 3600.0 / profile.battery_kwh * 100.0
        soc = min(CHARGE_TO_PERCENT, state.soc_percent + gained)
        return replace(state, t_s=t, soc_percent=soc, speed_kmh=0.0, charging=soc < CHARGE_TO_PERCENT)
    want = target_speed_kmh(state, route_km)
    dv = max(-ACCEL_KMH_PER_S * 3 * dt_s, min(ACCEL_KMH_PER_S * dt_s, want - state.speed_kmh))
    speed = max(0.0, state.speed_kmh + dv)
    km = min(route_km, state.km + (state.speed_kmh + speed) / 2 * dt_s / 3600.0)
    soc = max(0.0, state.soc_percent - profile.soc_used(km - state.km))
    arrived = km >= route_km - 1e-6
    charging = speed == 0.0 and not arrived and soc <= CHARGE_BELOW_PERCENT
    return DriveState(t, km, soc, 0.0 if arrived else speed, charging, arrived)


class SimulatedDrive:
    """Runs :func:`step` on its own thread and delivers a sample every ``1/rate_hz`` seconds.

    ``speedup`` compresses vehicle time (10 = ten simulated seconds per real second)."""

    def __init__(self, points: Sequence[LatLon], profile: VehicleProfile, *, start_soc_percent: float = 80.0,
                 start_km: float = 0.0, speedup: float = 1.0, rate_hz: float = 10.0) -> None:
        self.points = tuple(points)
        self.cum = cumulative_km(self.points)
        self.profile = profile
        self.speedup = speedup
        self.period_s = 1.0 / rate_hz
        self.state = DriveState(0.0, start_km, start_soc_percent, CRUISE_KMH if start_km > 0 else 0.0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self, state: DriveState) -> VehicleSample:
        here = point_along(self.points, self.cum, state.km)
        ahead = point_along(self.points, self.cum, min(self.cum[-1], state.km + 1.0))
        heading = bearing_deg(here, ahead) if ahead != here else None
        return VehicleSample(time.monotonic(), state.soc_percent, state.speed_kmh, here, heading, state.km, state.charging)

    def start(self, deliver: Callable[[VehicleSample], None]) -> None:
        def loop() -> None:
            deliver(self.sample(self.state))
            while not self._stop.wait(self.period_s):
                self.state = step(self.state, self.period_s * self.speedup, self.cum[-1], self.profile)
                deliver(self.sample(self.state))

        self._thread = threading.Thread(target=loop, name="sim-vehicle", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
