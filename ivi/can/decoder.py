"""Frames in, VSS signal updates and rejections out — pure, no I/O, time carried by the frame.

Like h11 this is a small state machine: the only state is the last alive counter per frame
ID, needed to spot a frozen sender. Every frame yields either updates or counted rejections;
nothing implausible reaches :class:`~ivi.can.state.VehicleState`:

* ``unknown_id``        an ID the mapping does not use (or wrong standard/extended format)
* ``not_data``          error or remote frames
* ``wrong_dlc``         payload length differs from the DBC
* ``bad_checksum``      CRC8 mismatch (see :mod:`ivi.can.e2e`)
* ``bad_counter``       alive counter repeated: the sender is frozen or the frame replayed
* ``out_of_range``      a signal outside its DBC or VSS min/max, an undefined value-table entry, NaN
* ``unmapped_value``    a ``mapping`` transform that does not list the value
* ``transform_failed``  a ``math`` transform that raised (division by zero, ...)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ivi.can.dbc import CanDatabase, MessageSpec
from ivi.can.e2e import E2EProfile
from ivi.can.mapping import MappingEntry, VssMapping
from ivi.can.transform import UNMAPPED


class RejectReason(str, Enum):
    UNKNOWN_ID = "unknown_id"
    NOT_DATA = "not_data"
    WRONG_DLC = "wrong_dlc"
    BAD_CHECKSUM = "bad_checksum"
    BAD_COUNTER = "bad_counter"
    OUT_OF_RANGE = "out_of_range"
    UNMAPPED_VALUE = "unmapped_value"
    TRANSFORM_FAILED = "transform_failed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Frame:
    """A CAN frame as plain data; ``timestamp_s`` is when it was received (or logged)."""

    arbitration_id: int
    data: bytes
    timestamp_s: float
    is_extended: bool = False
    is_remote: bool = False
    is_error: bool = False


@dataclass(frozen=True, slots=True)
class SignalUpdate:
    path: str
    value: Any
    unit: str
    timestamp_s: float


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: RejectReason
    arbitration_id: int
    timestamp_s: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class _SignalPlan:
    name: str
    low: float
    high: float
    choices: dict[int, str] | None
    entries: tuple[MappingEntry, ...]
    digits: int | None  # decimals of the DBC scale, to drop float noise like 56.400000000000006


@dataclass(frozen=True, slots=True)
class _MessagePlan:
    spec: MessageSpec
    e2e: E2EProfile
    signals: tuple[_SignalPlan, ...]


class Decoder:
    """Decodes the frames a mapping needs. One instance per bus (it remembers alive counters)."""

    def __init__(self, database: CanDatabase, mapping: VssMapping) -> None:
        self.database = database
        self.mapping = mapping
        self._plans: dict[int, _MessagePlan] = {}
        by_frame: dict[int, dict[str, list[MappingEntry]]] = {}
        for e in mapping.entries:
            by_frame.setdefault(e.frame_id, {}).setdefault(e.signal, []).append(e)
        for frame_id, sigs in by_frame.items():
            spec = database.messages[frame_id]
            plans = []
            for name, entries in sigs.items():
                s = spec.signal(name)
                tol = abs(s.scale) / 2
                low = -math.inf if s.minimum is None else s.minimum - tol
                high = math.inf if s.maximum is None else s.maximum + tol
                digits = None if float(s.scale).is_integer() and float(s.offset).is_integer() \
                    else min(12, max(0, -math.floor(math.log10(abs(s.scale)))) + 1)
                plans.append(_SignalPlan(name, low, high, dict(s.choices) if s.choices else None, tuple(entries), digits))
            self._plans[frame_id] = _MessagePlan(spec, spec.e2e, tuple(plans))
        self._last_counter: dict[int, int] = {}

    @property
    def frame_ids(self) -> frozenset[int]:
        return frozenset(self._plans)

    def can_filters(self) -> list[dict[str, Any]]:
        """python-can filters that pass exactly the frames this decoder uses (hardware where possible)."""
        out = []
        for fid, plan in sorted(self._plans.items()):
            ext = plan.spec.is_extended
            out.append({"can_id": fid, "can_mask": 0x1FFFFFFF if ext else 0x7FF, "extended": ext})
        return out

    def cycle_time_s(self, path: str) -> float | None:
        ms = self.mapping.entry(path).cycle_time_ms
        return ms / 1000.0 if ms else None

    def decode(self, frame: Frame) -> tuple[list[SignalUpdate], list[Rejection]]:
        ts, fid = frame.timestamp_s, frame.arbitration_id
        plan = self._plans.get(fid)
        if frame.is_error or frame.is_remote:
            return [], [Rejection(RejectReason.NOT_DATA, fid, ts, "error frame" if frame.is_error else "remote frame")]
        if plan is None or plan.spec.is_extended != frame.is_extended:
            return [], [Rejection(RejectReason.UNKNOWN_ID, fid, ts)]
        data = frame.data
        if len(data) != plan.spec.length:
            return [], [Rejection(RejectReason.WRONG_DLC, fid, ts, f"{len(data)} bytes, {plan.spec.name} has {plan.spec.length}")]
        e2e = plan.e2e
        if e2e.checksum_byte is not None and not e2e.checksum_ok(fid, data):
            return [], [Rejection(RejectReason.BAD_CHECKSUM, fid, ts, plan.spec.name)]
        values = self.database.decode(fid, data)
        if e2e.counter_signal is not None:
            counter = values[e2e.counter_signal]
            if self._last_counter.get(fid) == counter:
                return [], [Rejection(RejectReason.BAD_COUNTER, fid, ts, f"{plan.spec.name} counter stuck at {counter}")]
            self._last_counter[fid] = counter
        updates: list[SignalUpdate] = []
        rejections: list[Rejection] = []
        for sp in plan.signals:
            raw = values[sp.name]
            if not (sp.low <= raw <= sp.high):  # also false for NaN
                rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{sp.name}={raw}"))
                continue
            if sp.digits is not None:
                raw = round(raw, sp.digits)
            value: Any = raw
            if sp.choices is not None:
                value = sp.choices.get(int(raw))
                if value is None:
                    rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{sp.name}={raw} not in value table"))
                    continue
            for entry in sp.entries:
                out = self._vss_value(entry, value, raw, fid, ts, rejections)
                if out is not UNMAPPED:
                    updates.append(SignalUpdate(entry.path, out, entry.unit, ts))
        return updates, rejections

    @staticmethod
    def _vss_value(entry: MappingEntry, value: Any, raw: Any, fid: int, ts: float,
                   rejections: list[Rejection]) -> Any:
        if entry.transform is not None:
            try:
                # Value-table signals: lookups see the name, arithmetic sees the number.
                out = entry.transform(raw if isinstance(value, str) and not _is_lookup(entry) else value)
            except (ArithmeticError, ValueError, TypeError) as exc:
                rejections.append(Rejection(RejectReason.TRANSFORM_FAILED, fid, ts, f"{entry.path}: {exc}"))
                return UNMAPPED
            if out is UNMAPPED:
                rejections.append(Rejection(RejectReason.UNMAPPED_VALUE, fid, ts, f"{entry.path}: {value!r}"))
                return UNMAPPED
        else:
            out = value
        if isinstance(out, (int, float)) and not isinstance(out, bool):
            if (entry.minimum is not None and out < entry.minimum) or (entry.maximum is not None and out > entry.maximum) \
                    or (isinstance(out, float) and not math.isfinite(out)):
                rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{entry.path}={out}"))
                return UNMAPPED
        return _coerce(entry.datatype, out)


def _is_lookup(entry: MappingEntry) -> bool:
    return getattr(entry.transform, "is_lookup", False)


def _coerce(datatype: str, value: Any) -> Any:
    if datatype in ("float", "double"):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if datatype.startswith(("int", "uint")) and isinstance(value, float):
        return int(round(value))
    if datatype == "boolean" and isinstance(value, (int, float)):
        return bool(value)
    return value
