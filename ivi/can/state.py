"""What the head unit knows about the car: latest value, unit and time per VSS signal, which of
them are stale, why frames were rejected, and the car's real consumption.

Pure state over plain data; time is always passed in (``now_s``), so staleness is testable
without sleeping. Not thread-safe by itself: :class:`~ivi.can.reader.CanReader` owns one and
guards it with a lock.

A signal is *stale* when it was never received or not refreshed within ``stale_factor`` (3) ×
the cycle time of its CAN message: the UI shows "--" and the planner falls back, instead of
presenting an old number as current.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ivi.can.decoder import Decoder, Rejection, SignalUpdate

SOC_DISPLAYED = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
SOC_CURRENT = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
PACK_VOLTAGE = "Vehicle.Powertrain.TractionBattery.CurrentVoltage"
PACK_CURRENT = "Vehicle.Powertrain.TractionBattery.CurrentCurrent"
SPEED = "Vehicle.Speed"
DEFAULT_CYCLE_S = 1.0


@dataclass(frozen=True)
class SignalValue:
    path: str
    value: Any
    unit: str
    timestamp_s: float | None
    stale: bool


@dataclass(frozen=True)
class VehicleSnapshot:
    """An immutable view at ``at_s``. ``signals`` holds every mapped VSS path (never-seen ones are
    stale, value None)."""

    at_s: float
    signals: Mapping[str, SignalValue]
    rejections: Mapping[str, int]
    frames_accepted: int
    consumption_kwh_per_km: float | None
    distance_learned_km: float

    def value(self, path: str) -> Any:
        """The value, or ``None`` when the signal is unknown or stale (never show a stale number)."""
        s = self.signals.get(path)
        return None if s is None or s.stale else s.value

    def display(self, path: str, fmt: str = "{:.1f}") -> str:
        """What a screen shows: the formatted value or ``"--"`` when stale."""
        v = self.value(path)
        if v is None:
            return "--"
        return fmt.format(v) if isinstance(v, float) else str(v)

    @property
    def soc_percent(self) -> float | None:
        """Displayed state of charge, ``None`` if stale. Plain float for the planner."""
        v = self.value(SOC_DISPLAYED)
        return None if v is None else float(v)

    @property
    def soc_stale(self) -> bool:
        s = self.signals.get(SOC_DISPLAYED)
        return s is None or s.stale

    @property
    def rejected_total(self) -> int:
        return sum(self.rejections.values())


class ConsumptionLearner:
    """Learns kWh/km from pack voltage × current and speed, integrated over the BMS's own clock.

    Each pack-current sample adds ``-V × I × Δt`` (energy) and ``speed × Δt`` (distance) over the
    same ``Δt``, so the ratio is consistent. ``Δt`` comes from the BMS message's alive counter ×
    its cycle time (``SignalUpdate.sender_time_s``), which is what the sending ECU's clock did: it is
    right whether frames arrive live, from a log, or from a simulator running 20× faster than real
    time, and a dropped frame shows as a counter step of 2. Only a car whose DBC gives the current
    message no counter falls back to receive times (correct live and from logs, not under speed-up).

    Energy and distance are counted only while the car moves (parked HVAC is not consumption per
    km) and only across gaps shorter than ``max_gap_s`` on both clocks (a silent bus must not be
    integrated as a straight line; the counter wraps after 16 cycles, so the receive gap guards it).
    Regeneration counts negative, as it does for the real battery.
    """

    PATHS = frozenset({PACK_VOLTAGE, SPEED, PACK_CURRENT})

    def __init__(
        self, window_km: float = 100.0, bin_km: float = 1.0, min_km: float = 0.5, max_gap_s: float = 1.0
    ) -> None:
        self.window_km, self.bin_km, self.min_km, self.max_gap_s = window_km, bin_km, min_km, max_gap_s
        self._bins: deque[tuple[float, float]] = deque()
        self._sum_km = self._sum_kwh = 0.0
        self._cur_km = self._cur_kwh = 0.0
        self._voltage: tuple[float, float] | None = None
        self._speed: tuple[float, float] | None = None
        self._power_ts: float | None = None  # receive time of the last current sample
        self._power_clock: float | None = None  # sender time (or receive time) of the same sample

    def observe(self, path: str, value: float, ts: float, sender_s: float | None = None) -> None:
        if path == PACK_VOLTAGE:
            self._voltage = (float(value), ts)
        elif path == SPEED:
            self._speed = (float(value), ts)
        elif path == PACK_CURRENT:
            clock = ts if sender_s is None else sender_s
            last_ts, last_clock = self._power_ts, self._power_clock
            self._power_ts, self._power_clock = ts, clock
            if last_ts is None or last_clock is None or self._voltage is None or self._speed is None:
                return
            dt, gap = clock - last_clock, self.max_gap_s
            speed_kmh = self._speed[0]
            if (
                not (0 < dt <= gap)
                or ts - last_ts > gap
                or ts - self._voltage[1] > gap
                or ts - self._speed[1] > gap
                or speed_kmh <= 0.5
            ):
                return
            # VSS: positive current flows into the battery, so the car uses -V*I.
            self._add(km=speed_kmh * dt / 3600.0, kwh=-self._voltage[0] * float(value) * dt / 3.6e6)

    def _add(self, km: float, kwh: float) -> None:
        self._cur_km += km
        self._cur_kwh += kwh
        if self._cur_km >= self.bin_km:
            self._bins.append((self._cur_km, self._cur_kwh))
            self._sum_km += self._cur_km
            self._sum_kwh += self._cur_kwh
            self._cur_km = self._cur_kwh = 0.0
            while self._bins and self._sum_km - self._bins[0][0] >= self.window_km:
                km0, kwh0 = self._bins.popleft()
                self._sum_km -= km0
                self._sum_kwh -= kwh0

    @property
    def distance_km(self) -> float:
        return self._sum_km + self._cur_km

    @property
    def kwh_per_km(self) -> float | None:
        km = self.distance_km
        return (self._sum_kwh + self._cur_kwh) / km if km >= self.min_km else None


@dataclass
class _Slot:
    value: Any
    unit: str
    timestamp_s: float
    notified_s: float = field(default=float("-inf"))


class VehicleState:
    """Latest value per VSS path, staleness, rejection counters and the consumption learner."""

    def __init__(
        self,
        cycle_times_s: Mapping[str, float | None],
        *,
        stale_factor: float = 3.0,
        learner: ConsumptionLearner | None = None,
        notify_rules: Mapping[str, tuple[int, bool]] | None = None,
    ) -> None:
        self._cycle = {p: (c or DEFAULT_CYCLE_S) for p, c in cycle_times_s.items()}
        self._stale_factor = stale_factor
        self._slots: dict[str, _Slot] = {}
        self._rules = dict(notify_rules or {})
        self.rejections: Counter[str] = Counter()
        self.frames_accepted = 0
        self.learner = learner if learner is not None else ConsumptionLearner()

    @classmethod
    def for_decoder(cls, decoder: Decoder, **kwargs: Any) -> VehicleState:
        entries = decoder.mapping.entries
        return cls(
            {e.path: decoder.cycle_time_s(e.path) for e in entries},
            notify_rules={e.path: (e.interval_ms, e.on_change) for e in entries},
            **kwargs,
        )

    def apply(self, updates: Iterable[SignalUpdate]) -> list[SignalUpdate]:
        """Store updates; return those consumers should hear about (KUKSA ``interval_ms``/``on_change``)."""
        notify = []
        learner = self.learner
        learned = learner.PATHS
        for u in updates:
            slot = self._slots.get(u.path)
            interval_ms, on_change = self._rules.get(u.path, (0, False))
            if slot is None:
                slot = self._slots[u.path] = _Slot(u.value, u.unit, u.timestamp_s)
                changed = True
            else:
                changed = slot.value != u.value
                slot.value, slot.unit, slot.timestamp_s = u.value, u.unit, u.timestamp_s
            if (changed or not on_change) and (u.timestamp_s - slot.notified_s) * 1000.0 >= interval_ms:
                slot.notified_s = u.timestamp_s
                notify.append(u)
            if u.path in learned and isinstance(u.value, float):
                learner.observe(u.path, u.value, u.timestamp_s, u.sender_time_s)
        return notify

    def count_frame(self, accepted: bool) -> None:
        if accepted:
            self.frames_accepted += 1

    def reject(self, rejections: Iterable[Rejection]) -> None:
        for r in rejections:
            self.rejections[r.reason.value] += 1

    def is_stale(self, path: str, now_s: float) -> bool:
        slot = self._slots.get(path)
        if slot is None:
            return True
        return now_s - slot.timestamp_s > self._stale_factor * self._cycle.get(path, DEFAULT_CYCLE_S)

    def snapshot(self, now_s: float) -> VehicleSnapshot:
        signals = {}
        for path in self._cycle.keys() | self._slots.keys():
            slot = self._slots.get(path)
            if slot is None:
                signals[path] = SignalValue(path, None, "", None, True)
            else:
                signals[path] = SignalValue(path, slot.value, slot.unit, slot.timestamp_s, self.is_stale(path, now_s))
        return VehicleSnapshot(
            now_s,
            signals,
            dict(self.rejections),
            self.frames_accepted,
            self.learner.kwh_per_km,
            self.learner.distance_km,
        )
