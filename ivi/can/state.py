"""What the head unit knows about the car: latest value, unit and time per VSS signal, which of
them are stale, why frames were rejected, and the car's real consumption.

Pure state over plain data; time is always passed in (``now_s``), so staleness is testable
without sleeping. Not thread-safe by itself: :class:`~ivi.can.reader.CanReader` owns one and
guards it with a lock.

A signal is *stale* — the UI shows "--" and the planner falls back, instead of presenting an old
number as current — when it was never received, when it was not refreshed within ``stale_factor``
(3) × the cycle time of its CAN message, when its sender says it is not available (a named state
such as SNA), or when its age is negative: a value stamped later than "now" (a frame from the
future, a clock that stepped back) cannot be shown as fresh. Negative ages are counted once per
value as ``future_timestamp``; a value older than the one it replaces as ``clock_step``. On the live
path the reader stamps frames and asks for snapshots with one monotonic clock, so neither happens
unless something else feeds the state.

Consumers are notified as the KUKSA CAN provider forwards values: a value passes when at least
``interval_ms`` passed since the last one that passed this time gate, and — with ``on_change`` —
only when it differs from the last value forwarded. The state itself always keeps the newest value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ivi.can.decoder import Decoder, Rejection, RejectReason, SignalUpdate
from ivi.can.learner import ConsumptionLearner
from ivi.can.vss import PACK_CURRENT, PACK_VOLTAGE, SOC_CURRENT, SOC_DISPLAYED, SPEED

__all__ = [
    "DEFAULT_CYCLE_S",
    "PACK_CURRENT",
    "PACK_VOLTAGE",
    "SOC_CURRENT",
    "SOC_DISPLAYED",
    "SPEED",
    "ConsumptionLearner",
    "SignalValue",
    "VehicleSnapshot",
    "VehicleState",
]

DEFAULT_CYCLE_S = 1.0


@dataclass(frozen=True)
class SignalValue:
    path: str
    value: Any
    unit: str
    timestamp_s: float | None
    stale: bool
    #: Why the value is stale ("never received", "not refreshed", "not available: SNA", "timestamp in
    #: the future"); ``None`` when it is fresh.
    reason: str | None = None


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


_NOTHING: Any = object()


class _Slot:
    __slots__ = (
        "future_counted",
        "gate_s",
        "interval_ms",
        "on_change",
        "sent",
        "timestamp_s",
        "unavailable",
        "unit",
        "value",
    )

    def __init__(self, value: Any, unit: str, timestamp_s: float, rule: tuple[int, bool]) -> None:
        self.value, self.unit, self.timestamp_s = value, unit, timestamp_s
        self.interval_ms, self.on_change = rule
        self.unavailable: str | None = None  # the named state the sender reported
        self.future_counted = False
        self.gate_s: float | None = None  # time of the last value that passed the interval gate
        self.sent: Any = _NOTHING  # the last value forwarded


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

    def apply(self, updates: Iterable[SignalUpdate], now_s: float | None = None) -> list[SignalUpdate]:
        """Store updates; return those consumers should hear about (KUKSA ``interval_ms``/``on_change``).

        With ``now_s`` (the live path) an update stamped later than ``now_s`` is refused and counted as
        ``future_timestamp``: its age would be negative, and a value from the future is not a fresh value.
        """
        notify = []
        learner = self.learner
        learned = learner.PATHS
        slots = self._slots
        for u in updates:
            path, value, unit, ts, sender_s = u
            if now_s is not None and ts > now_s:
                self.rejections[RejectReason.FUTURE_TIMESTAMP.value] += 1
                continue
            slot = slots.get(path)
            if slot is None:
                slot = slots[path] = _Slot(value, unit, ts, self._rules.get(path, (0, False)))
            else:
                if ts < slot.timestamp_s:
                    self.rejections[RejectReason.CLOCK_STEP.value] += 1
                slot.value, slot.unit, slot.timestamp_s = value, unit, ts
                if slot.unavailable is not None or slot.future_counted:
                    slot.unavailable, slot.future_counted = None, False
            gate, interval_ms = slot.gate_s, slot.interval_ms
            if not (interval_ms and gate is not None and 0.0 <= (ts - gate) * 1000.0 < interval_ms):
                slot.gate_s = ts  # passed the time gate (KUKSA sets it before looking at the value)
                if not slot.on_change or slot.sent is _NOTHING or slot.sent != value:
                    slot.sent = value
                    notify.append(u)
            if path in learned and type(value) is float:
                learner.observe(path, value, ts, sender_s)
        return notify

    def count_frame(self, accepted: bool) -> None:
        if accepted:
            self.frames_accepted += 1

    def reject(self, rejections: Iterable[Rejection]) -> None:
        """Count rejections; a named state (``not_available``) withdraws the signal it concerns at once."""
        for r in rejections:
            self.rejections[r.reason.value] += 1
            if r.reason is RejectReason.NOT_AVAILABLE and r.path is not None:
                slot = self._slots.get(r.path)
                if slot is None:
                    slot = self._slots[r.path] = _Slot(None, "", r.timestamp_s, self._rules.get(r.path, (0, False)))
                elif r.timestamp_s >= slot.timestamp_s:
                    slot.timestamp_s = r.timestamp_s
                slot.unavailable = r.detail.rpartition(": ")[2] or "not available"

    def is_stale(self, path: str, now_s: float) -> bool:
        return self._why_stale(path, now_s) is not None

    def _why_stale(self, path: str, now_s: float) -> str | None:
        slot = self._slots.get(path)
        if slot is None:
            return "never received"
        if slot.unavailable is not None:
            return f"not available: {slot.unavailable}"
        age = now_s - slot.timestamp_s
        if age < 0:
            if not slot.future_counted:
                slot.future_counted = True
                self.rejections[RejectReason.FUTURE_TIMESTAMP.value] += 1
            return "timestamp in the future"
        if age > self._stale_factor * self._cycle.get(path, DEFAULT_CYCLE_S):
            return "not refreshed"
        return None

    def snapshot(self, now_s: float) -> VehicleSnapshot:
        signals = {}
        for path in self._cycle.keys() | self._slots.keys():
            slot = self._slots.get(path)
            why = self._why_stale(path, now_s)
            if slot is None:
                signals[path] = SignalValue(path, None, "", None, True, why)
            else:
                signals[path] = SignalValue(path, slot.value, slot.unit, slot.timestamp_s, why is not None, why)
        return VehicleSnapshot(
            now_s,
            signals,
            dict(self.rejections),
            self.frames_accepted,
            self.learner.kwh_per_km,
            self.learner.distance_km,
        )
