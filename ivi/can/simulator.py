"""A CAN bus simulator of the reference car driving a route.

``Simulator(polyline, ...)`` drives the polyline (a list of ``(lat, lon)`` handed in by the
caller — this module never imports the route graph) with an urban/highway speed profile and the
physics of :mod:`ivi.can.physics`, and produces every message of the reference DBC at its
cycle time, with alive counters and CRCs, in *simulated* time:

* :meth:`Simulator.frames` — a pure generator of :class:`~ivi.can.decoder.Frame` (tests, logs);
* :meth:`Simulator.run` — paces those frames by ``speedup`` onto a python-can bus and/or log.

Control channel: :meth:`Simulator.charge_to` / :meth:`Simulator.stop_charging` (thread-safe), or a
frame on the bus with ID ``CONTROL_ID`` (0x7F0): ``data[0] = 1`` charge to ``data[1]`` % displayed
SoC, ``data[0] = 2`` stop charging. ``ChargeStop(at_km, to_soc_percent)`` plans stops ahead.
Faults: random drops, random corruption (a flipped bit or a short frame), and silences of one
ECU (``Silence("BMS", start_s, duration_s)``).
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from geo.geometry import LatLon, bearing_deg, cumulative_km, point_along
from geo.sun import sun_elevation_deg
from ivi.can.dbc import CanDatabase, MessageSpec
from ivi.can.decoder import Frame
from ivi.can.errors import SimulationError
from ivi.can.physics import (
    VehicleParams,
    actual_soc_percent,
    battery_power_kw,
    cell_temperature_step_c,
    dc_charge_power_kw,
    displayed_soc_percent,
    pack_voltage_current,
    remaining_energy_kwh,
)
from ivi.can.speed_profile import SpeedProfile

TICK_S = 0.02
#: The sun this far below the horizon: the light sensor reads 0 (the end of civil twilight).
LIGHT_DARK_SUN_DEG = 6.0
CONTROL_ID = 0x7F0
CMD_CHARGE, CMD_STOP_CHARGING = 1, 2
GEAR = {"P": 0, "R": 1, "N": 2, "D": 3}
CHARGING_STATE = {"Idle": 0, "AC_Charging": 1, "DC_Charging": 2, "Complete": 3, "Fault": 4}


@dataclass(frozen=True)
class Silence:
    """ECU ``node`` sends nothing from ``start_s`` for ``duration_s`` (simulated seconds)."""

    node: str
    start_s: float
    duration_s: float


@dataclass(frozen=True)
class FaultConfig:
    drop_rate: float = 0.0
    corrupt_rate: float = 0.0
    silences: tuple[Silence, ...] = ()

    def __post_init__(self) -> None:
        for name, v in (("drop rate", self.drop_rate), ("corrupt rate", self.corrupt_rate)):
            if not 0.0 <= v <= 1.0:
                raise SimulationError(f"{name} must be between 0 and 1, got {v}")


@dataclass(frozen=True)
class ChargeStop:
    at_km: float
    to_soc_percent: float


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)?\s*$")


def parse_duration_s(text: str) -> float:
    m = _DURATION.match(text)
    if not m:
        raise SimulationError(f"bad duration {text!r} (examples: 30s, 500ms, 2min)")
    return float(m.group(1)) * {"ms": 0.001, "s": 1.0, None: 1.0, "min": 60.0, "m": 60.0, "h": 3600.0}[m.group(2)]


def parse_silence(text: str, default_start_s: float = 10.0) -> Silence:
    """``"BMS:30s"`` (from 10 s in) or ``"BMS:30s@2min"``."""
    node, sep, rest = text.partition(":")
    if not sep or not node.strip():
        raise SimulationError(f"bad silence {text!r} (want NODE:DURATION[@START], e.g. BMS:30s)")
    dur, _, start = rest.partition("@")
    return Silence(node.strip().upper(), parse_duration_s(start) if start else default_start_s, parse_duration_s(dur))


def parse_charge_at(text: str) -> ChargeStop:
    """``"150:80"``: at km 150 charge to 80 % displayed SoC."""
    try:
        km, soc = (float(x) for x in text.split(":"))
    except ValueError as exc:
        raise SimulationError(f"bad --charge-at {text!r} (want KM:SOC, e.g. 150:80)") from exc
    if km < 0 or not 0 < soc <= 100:
        raise SimulationError(f"bad --charge-at {text!r}: km must be >= 0 and SoC in 1..100")
    return ChargeStop(km, soc)


@dataclass
class CarState:
    """Ground truth of the simulated car (what the sensors would measure perfectly)."""

    t_s: float = 0.0
    km: float = 0.0
    speed_mps: float = 0.0
    accel_mps2: float = 0.0
    soc_actual_percent: float = 80.0
    voltage_v: float = 0.0
    current_a: float = 0.0
    cell_c: float = 25.0
    gear: str = "P"
    charging: str = "Idle"
    charge_target_percent: float = 0.0
    odometer_km: float = 12_345.6
    moving_energy_kwh: float = 0.0
    moving_km: float = 0.0
    arrived: bool = False
    empty: bool = False


@dataclass
class SimStats:
    frames: int = 0
    dropped: int = 0
    corrupted: int = 0
    silenced: int = 0
    charge_stops: list[tuple[float, float, float]] = field(default_factory=list)  # (km, from %, to %)


class Simulator:
    """Drives a polyline and yields the reference car's CAN traffic. See the module docstring."""

    def __init__(
        self,
        polyline: Sequence[LatLon],
        *,
        start_soc_percent: float = 80.0,
        speedup: float = 1.0,
        outside_temp_c: float = 20.0,
        hvac_on: bool = True,
        charge_at: Sequence[ChargeStop] = (),
        faults: FaultConfig = FaultConfig(),
        database: CanDatabase | None = None,
        seed: int = 1,
        start_time_s: float = 0.0,
        params: VehicleParams = VehicleParams(),
        profile: SpeedProfile | None = None,
        linger_s: float = 3.0,
        start_at: datetime | None = None,
    ) -> None:
        if len(polyline) < 2:
            raise SimulationError("the simulator needs a route of at least two points")
        if not 0.0 < start_soc_percent <= 100.0:
            raise SimulationError(f"start SoC must be in 0..100 %, got {start_soc_percent}")
        if not speedup > 0:
            raise SimulationError(f"speedup must be positive, got {speedup}")
        self.points = list(polyline)
        self.cum_km = cumulative_km(self.points)
        self.route_km = self.cum_km[-1]
        self.speedup = speedup
        self.outside_c, self.hvac_on, self.params = outside_temp_c, hvac_on, params
        self.faults, self.start_time_s, self.linger_s = faults, start_time_s, linger_s
        # The wall-clock instant the drive starts: the sun over the route then sets the light sensor
        # and the low beams (default: now, when the simulator is made).
        self.start_at = start_at or datetime.now(UTC)
        self.db = database or CanDatabase.load()
        self.profile = profile or SpeedProfile(self.route_km, seed=seed)
        self.rng = random.Random(seed)
        self.car = CarState(
            soc_actual_percent=actual_soc_percent(start_soc_percent, params), cell_c=max(outside_temp_c, 15.0)
        )
        self.stats = SimStats()
        self._planned = sorted(charge_at, key=lambda c: c.at_km)
        self._lock = threading.Lock()
        self._request: float | None = None
        self._stop_request = False
        self._counters: dict[int, int] = {}
        self._messages = sorted(self.db.messages.values(), key=lambda m: m.frame_id)

    # --- control channel -------------------------------------------------------------------
    def charge_to(self, soc_percent: float) -> None:
        """Ask the car to stop at the roadside charger and charge to ``soc_percent`` displayed SoC."""
        if not 0 < soc_percent <= 100:
            raise SimulationError(f"charge target must be in 1..100 %, got {soc_percent}")
        with self._lock:
            self._request = soc_percent

    def stop_charging(self) -> None:
        with self._lock:
            self._stop_request = True

    def handle_control(self, frame: Frame) -> bool:
        """Apply a control frame (ID 0x7F0); returns False for anything else."""
        if frame.arbitration_id != CONTROL_ID or not frame.data:
            return False
        if frame.data[0] == CMD_CHARGE and len(frame.data) >= 2 and 0 < frame.data[1] <= 100:
            self.charge_to(frame.data[1])
            return True
        if frame.data[0] == CMD_STOP_CHARGING:
            self.stop_charging()
            return True
        return False

    @property
    def true_consumption_kwh_per_km(self) -> float | None:
        """Energy out of the pack terminals per km while moving: what the learner should find."""
        c = self.car
        return c.moving_energy_kwh / c.moving_km if c.moving_km > 0 else None

    @property
    def displayed_soc_percent(self) -> float:
        return displayed_soc_percent(self.car.soc_actual_percent, self.params)

    # --- the drive -------------------------------------------------------------------------
    def frames(self) -> Iterator[Frame]:
        """Every frame of the drive, in order, stamped with simulated time. Ends on arrival."""
        due = {m.frame_id: 0.0 for m in self._messages if m.cycle_time_ms}
        ticks_left_after_arrival = int(self.linger_s / TICK_S)
        tick = 0
        while ticks_left_after_arrival > 0:
            t = tick * TICK_S
            self._step(t)
            if self.car.arrived or self.car.empty:
                ticks_left_after_arrival -= 1
            for m in self._messages:
                if m.frame_id in due and t + 1e-9 >= due[m.frame_id]:
                    due[m.frame_id] += m.cycle_time_ms / 1000.0  # type: ignore[operator]
                    frame = self._frame(m, t)
                    if frame is not None:
                        yield frame
            tick += 1

    def _step(self, t: float) -> None:
        c, p = self.car, self.params
        dt = TICK_S
        c.t_s = t
        self._take_control()
        if c.charging == "DC_Charging":
            c.speed_mps = c.accel_mps2 = 0.0
            c.gear = "P"
            power = -dc_charge_power_kw(self.displayed_soc_percent, p)
            if self.displayed_soc_percent >= c.charge_target_percent or self._consume_stop():
                c.charging, c.gear = "Complete", "D"
                self.stats.charge_stops[-1] = (*self.stats.charge_stops[-1][:2], round(self.displayed_soc_percent, 1))
        elif c.arrived or c.empty:
            c.speed_mps = c.accel_mps2 = 0.0
            c.gear = "P"
            power = battery_power_kw(0.0, 0.0, self.outside_c, p, self.hvac_on)
        else:
            target_mps = self.profile.target_kmh(c.km, t) / 3.6
            stop_km = self._next_stop_km()
            if stop_km is not None:
                target_mps = min(target_mps, math.sqrt(2 * 2.0 * max(0.0, (stop_km - c.km) * 1000.0)))
            dv = target_mps - c.speed_mps
            accel = max(-3.0, min(1.8, dv / dt))
            c.accel_mps2 = accel
            c.speed_mps = max(0.0, c.speed_mps + accel * dt)
            c.km += c.speed_mps * dt / 1000.0
            c.odometer_km += c.speed_mps * dt / 1000.0
            c.gear = "D"
            if c.charging == "Complete" and c.speed_mps > 3:
                c.charging = "Idle"
            power = battery_power_kw(c.speed_mps, c.accel_mps2, self.outside_c, p, self.hvac_on)
            if stop_km is not None and c.km >= stop_km - 0.002 and c.speed_mps < 0.3:
                self._start_charging()
            if c.km >= self.route_km - 0.001:
                c.arrived = True
        c.voltage_v, c.current_a = pack_voltage_current(power, c.soc_actual_percent, p)
        ocv_kwh = (c.voltage_v + c.current_a * p.pack_resistance_ohm) * c.current_a * dt / 3.6e6
        c.soc_actual_percent = max(0.0, min(100.0, c.soc_actual_percent - ocv_kwh / p.battery_kwh * 100.0))
        if c.speed_mps * 3.6 > 0.5:
            c.moving_energy_kwh += c.voltage_v * c.current_a * dt / 3.6e6
            c.moving_km += c.speed_mps * dt / 1000.0
        c.cell_c = cell_temperature_step_c(c.cell_c, self.outside_c, c.current_a, dt, p)
        if c.soc_actual_percent <= p.usable_min_percent and c.charging != "DC_Charging":
            c.empty = True

    def _take_control(self) -> None:
        with self._lock:
            req, self._request = self._request, None
        if req is not None and self.car.charging != "DC_Charging":
            self._planned.insert(0, ChargeStop(self.car.km + 0.05, req))

    def _consume_stop(self) -> bool:
        with self._lock:
            stop, self._stop_request = self._stop_request, False
        return stop

    def _next_stop_km(self) -> float | None:
        return self._planned[0].at_km if self._planned and self._planned[0].at_km < self.route_km else None

    def _start_charging(self) -> None:
        stop = self._planned.pop(0)
        c = self.car
        c.charging, c.charge_target_percent, c.speed_mps = "DC_Charging", stop.to_soc_percent, 0.0
        self.stats.charge_stops.append((round(c.km, 2), round(self.displayed_soc_percent, 1), 0.0))

    # --- frames ----------------------------------------------------------------------------
    def _frame(self, m: MessageSpec, t: float) -> Frame | None:
        if self._silenced(m, t):
            self.stats.silenced += 1
            return None
        values = self._values(m)
        if m.e2e.counter_signal:
            n = self._counters.get(m.frame_id, -1) + 1
            self._counters[m.frame_id] = n % m.e2e.counter_modulo
            values[m.e2e.counter_signal] = self._counters[m.frame_id]
        if m.e2e.checksum_signal:
            values[m.e2e.checksum_signal] = 0
        for s in m.signals:  # keep every value encodable
            v = values.get(s.name, 0)
            if s.minimum is not None and s.maximum is not None:
                values[s.name] = min(s.maximum, max(s.minimum, v))
        data = m.e2e.seal(m.frame_id, self.db.encode(m.key, values))
        if self.faults.drop_rate and self.rng.random() < self.faults.drop_rate:
            self.stats.dropped += 1
            return None
        if self.faults.corrupt_rate and self.rng.random() < self.faults.corrupt_rate:
            self.stats.corrupted += 1
            data = self._corrupt(data)
        self.stats.frames += 1
        return Frame(m.frame_id, data, self.start_time_s + t, m.is_extended)

    def _corrupt(self, data: bytes) -> bytes:
        if self.rng.random() < 0.25:
            return data[:-1]
        buf = bytearray(data)
        bit = self.rng.randrange(len(buf) * 8)
        buf[bit // 8] ^= 1 << (bit % 8)
        return bytes(buf)

    def _silenced(self, m: MessageSpec, t: float) -> bool:
        for s in self.faults.silences:
            if s.start_s <= t < s.start_s + s.duration_s and (
                s.node in (x.upper() for x in m.senders) or m.name.upper().startswith(s.node + "_")
            ):
                return True
        return False

    def _values(self, m: MessageSpec) -> dict[str, float]:
        c, p = self.car, self.params
        kmh = c.speed_mps * 3.6
        lat, lon = point_along(self.points, self.cum_km, min(c.km, self.route_km))
        ahead = point_along(self.points, self.cum_km, min(c.km + 0.05, self.route_km))
        heading = bearing_deg((lat, lon), ahead) if ahead != (lat, lon) else 0.0
        everything = {
            "VCU_VehicleSpeed": kmh,
            "VCU_VehicleSpeedValid": 1,
            "VCU_GearPosition": GEAR[c.gear],
            "VCU_Odometer": c.odometer_km,
            "BMS_PackVoltage": c.voltage_v,
            "BMS_PackCurrent": c.current_a,
            "BMS_SOC_Displayed": displayed_soc_percent(c.soc_actual_percent, p),
            "BMS_SOC_Actual": c.soc_actual_percent,
            "BMS_RemainingEnergy": remaining_energy_kwh(c.soc_actual_percent, p),
            "BMS_CellTempMin": c.cell_c - 1.5,
            "BMS_CellTempMax": c.cell_c + 1.5,
            "BMS_ChargingState": CHARGING_STATE[c.charging],
            "BMS_ChargeTimeRemaining": self._minutes_to_target(),
            "BCM_OutsideTemp": self.outside_c,
            **self._lights(lat, lon),
            "TBOX_Latitude": lat,
            "TBOX_Longitude": lon,
            "TBOX_Heading": heading % 360.0,
            "TBOX_FixType": 2,
            "TBOX_Altitude": 50,
        }
        return {s.name: everything.get(s.name, 0) for s in m.signals}

    def _lights(self, lat: float, lon: float) -> dict[str, float]:
        """The light sensor (%, full daylight at 10° of sun) and the low beams (on below 1 % of
        light), from the sun's elevation over the car at the simulated instant."""
        sun = sun_elevation_deg(lat, lon, self.start_at + timedelta(seconds=self.car.t_s))
        light = max(0.0, min(100.0, (sun + LIGHT_DARK_SUN_DEG) / (10.0 + LIGHT_DARK_SUN_DEG) * 100.0))
        return {"BCM_AmbientLight": round(light), "BCM_LowBeamOn": 1 if light < 1.0 else 0}

    def _minutes_to_target(self) -> float:
        c = self.car
        if c.charging != "DC_Charging":
            return 0
        need_kwh = max(
            0.0,
            (actual_soc_percent(c.charge_target_percent, self.params) - c.soc_actual_percent)
            / 100.0
            * self.params.battery_kwh,
        )
        return round(need_kwh / max(1.0, dc_charge_power_kw(self.displayed_soc_percent, self.params)) * 60.0)
