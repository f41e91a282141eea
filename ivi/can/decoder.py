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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ivi.can.dbc import CanDatabase, MessageSpec
from ivi.can.mapping import MappingEntry, VssMapping
from ivi.can.transform import UNMAPPED
from ivi.can.unpack import Unpacker, compile_unpacker

isfinite = math.isfinite


class RejectReason(StrEnum):
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
    """A decoded VSS value. ``sender_time_s`` is the sending ECU's own clock for this message, counted
    from its alive counter × cycle time (``None`` for messages without a counter): unlike the receive
    time it does not depend on when or how fast frames reached us (log replay, simulator speed-up)."""

    path: str
    value: Any
    unit: str
    timestamp_s: float
    sender_time_s: float | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: RejectReason
    arbitration_id: int
    timestamp_s: float
    detail: str = ""


#: A frame as a plain tuple ``(arbitration_id, data, timestamp_s, is_extended, is_remote, is_error)``:
#: what the bus adapter hands over in batches, without allocating a :class:`Frame` per frame.
RawFrame = tuple[int, bytes, float, bool, bool, bool]


@dataclass(frozen=True, slots=True)
class _EntryPlan:
    path: str
    unit: str
    transform: Callable[[Any], Any] | None
    lookup: bool
    minimum: float | None
    maximum: float | None
    datatype: str
    plain_float: bool  # no transform, float/double output: the common case, handled inline


@dataclass(frozen=True, slots=True)
class _SignalPlan:
    name: str
    low: float
    high: float
    choices: dict[int, str] | None
    entries: tuple[_EntryPlan, ...]
    digits: int | None  # decimals of the DBC scale, to drop float noise like 56.400000000000006


@dataclass(frozen=True, slots=True)
class _MessagePlan:
    """Everything needed to decode one frame ID, computed once: the hot path only looks things up."""

    spec: MessageSpec
    name: str
    length: int
    is_extended: bool
    signals: tuple[_SignalPlan, ...]
    crc_ok: Callable[[bytes], bool] | None
    unpack: Unpacker  # values of ``signals`` in order, then the counter (if any)
    counter_modulo: int | None
    cycle_s: float | None


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
                digits = (
                    None
                    if float(s.scale).is_integer() and float(s.offset).is_integer()
                    else min(12, max(0, -math.floor(math.log10(abs(s.scale)))) + 1)
                )
                eplans = tuple(
                    _EntryPlan(
                        e.path,
                        e.unit,
                        e.transform,
                        _is_lookup(e),
                        e.minimum,
                        e.maximum,
                        e.datatype,
                        e.transform is None and e.datatype in ("float", "double"),
                    )
                    for e in entries
                )
                plans.append(_SignalPlan(name, low, high, dict(s.choices) if s.choices else None, eplans, digits))
            e2e = spec.e2e
            names = [p.name for p in plans] + ([e2e.counter_signal] if e2e.counter_signal else [])
            self._plans[frame_id] = _MessagePlan(
                spec,
                spec.name,
                spec.length,
                spec.is_extended,
                tuple(plans),
                e2e.checker(frame_id),
                compile_unpacker(database, spec, names),
                e2e.counter_modulo if e2e.counter_signal else None,
                spec.cycle_time_ms / 1000.0 if spec.cycle_time_ms else None,
            )
        self._last_counter: dict[int, int] = {}
        self._sender_s: dict[int, float] = {}

    @property
    def frame_ids(self) -> frozenset[int]:
        return frozenset(self._plans)

    def can_filters(self) -> list[dict[str, Any]]:
        """python-can filters that pass exactly the frames this decoder uses (hardware where possible)."""
        out = []
        for fid, plan in sorted(self._plans.items()):
            ext = plan.is_extended
            out.append({"can_id": fid, "can_mask": 0x1FFFFFFF if ext else 0x7FF, "extended": ext})
        return out

    def cycle_time_s(self, path: str) -> float | None:
        ms = self.mapping.entry(path).cycle_time_ms
        return ms / 1000.0 if ms else None

    def decode(self, frame: Frame) -> tuple[list[SignalUpdate], list[Rejection]]:
        return self.decode_fields(
            frame.arbitration_id, frame.data, frame.timestamp_s, frame.is_extended, frame.is_remote, frame.is_error
        )

    def decode_batch(self, frames: Iterable[RawFrame]) -> tuple[list[SignalUpdate], list[Rejection], int]:
        """Decode many frames; returns all updates, all rejections and how many frames were fully accepted
        (updates and no rejection), the numbers :class:`~ivi.can.state.VehicleState` keeps."""
        updates: list[SignalUpdate] = []
        rejections: list[Rejection] = []
        accepted = 0
        decode = self.decode_fields
        for fid, data, ts, ext, remote, error in frames:
            ups, rej = decode(fid, data, ts, ext, remote, error)
            if rej:
                rejections += rej
            elif ups:
                accepted += 1
            if ups:
                updates += ups
        return updates, rejections, accepted

    def decode_fields(
        self,
        fid: int,
        data: bytes,
        ts: float,
        is_extended: bool = False,
        is_remote: bool = False,
        is_error: bool = False,
    ) -> tuple[list[SignalUpdate], list[Rejection]]:
        """:meth:`decode` without a :class:`Frame`: the hot path used by the reader."""
        if is_error or is_remote:
            return [], [Rejection(RejectReason.NOT_DATA, fid, ts, "error frame" if is_error else "remote frame")]
        plan = self._plans.get(fid)
        if plan is None or plan.is_extended != is_extended:
            return [], [Rejection(RejectReason.UNKNOWN_ID, fid, ts)]
        if len(data) != plan.length:
            return [], [Rejection(RejectReason.WRONG_DLC, fid, ts, f"{len(data)} bytes, {plan.name} has {plan.length}")]
        if plan.crc_ok is not None and not plan.crc_ok(data):
            return [], [Rejection(RejectReason.BAD_CHECKSUM, fid, ts, plan.name)]
        values = plan.unpack(data)
        sender_s = None
        if plan.counter_modulo is not None:
            counter = values[-1]
            last = self._last_counter.get(fid)
            if last == counter:
                return [], [Rejection(RejectReason.BAD_COUNTER, fid, ts, f"{plan.name} counter stuck at {counter}")]
            self._last_counter[fid] = counter
            if plan.cycle_s is not None:
                steps = 0 if last is None else (counter - last) % plan.counter_modulo
                sender_s = self._sender_s[fid] = self._sender_s.get(fid, 0.0) + steps * plan.cycle_s
        updates: list[SignalUpdate] = []
        rejections: list[Rejection] = []
        for sp, raw in zip(plan.signals, values, strict=False):
            if not (sp.low <= raw <= sp.high):  # also false for NaN
                rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{sp.name}={raw}"))
                continue
            if sp.digits is not None:
                raw = round(raw, sp.digits)
            value: Any = raw
            if sp.choices is not None:
                value = sp.choices.get(int(raw))
                if value is None:
                    rejections.append(
                        Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{sp.name}={raw} not in value table")
                    )
                    continue
            for entry in sp.entries:
                if entry.plain_float and type(value) is float:  # same checks as _vss_value, inlined
                    lo, hi = entry.minimum, entry.maximum
                    if (lo is not None and value < lo) or (hi is not None and value > hi) or not isfinite(value):
                        rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{entry.path}={value}"))
                    else:
                        updates.append(SignalUpdate(entry.path, value, entry.unit, ts, sender_s))
                    continue
                out = _vss_value(entry, value, raw, fid, ts, rejections)
                if out is not UNMAPPED:
                    updates.append(SignalUpdate(entry.path, out, entry.unit, ts, sender_s))
        return updates, rejections


def _vss_value(entry: _EntryPlan, value: Any, raw: Any, fid: int, ts: float, rejections: list[Rejection]) -> Any:
    if entry.transform is not None:
        try:
            # Value-table signals: lookups see the name, arithmetic sees the number.
            out = entry.transform(raw if isinstance(value, str) and not entry.lookup else value)
        except (ArithmeticError, ValueError, TypeError) as exc:
            rejections.append(Rejection(RejectReason.TRANSFORM_FAILED, fid, ts, f"{entry.path}: {exc}"))
            return UNMAPPED
        if out is UNMAPPED:
            rejections.append(Rejection(RejectReason.UNMAPPED_VALUE, fid, ts, f"{entry.path}: {value!r}"))
            return UNMAPPED
    else:
        out = value
    if (
        isinstance(out, (int, float))
        and not isinstance(out, bool)
        and (
            (entry.minimum is not None and out < entry.minimum)
            or (entry.maximum is not None and out > entry.maximum)
            or (isinstance(out, float) and not math.isfinite(out))
        )
    ):
        rejections.append(Rejection(RejectReason.OUT_OF_RANGE, fid, ts, f"{entry.path}={out}"))
        return UNMAPPED
    return _coerce(entry.datatype, out)


def _is_lookup(entry: MappingEntry) -> bool:
    return getattr(entry.transform, "is_lookup", False)


def _coerce(datatype: str, value: Any) -> Any:
    if datatype in ("float", "double"):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if datatype.startswith(("int", "uint")) and isinstance(value, float):
        return round(value)
    if datatype == "boolean" and isinstance(value, (int, float)):
        return bool(value)
    return value
