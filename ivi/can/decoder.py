"""Frames in, VSS signal updates and rejections out — pure, no I/O, time carried by the frame.

Like h11 this is a small state machine: its only state is per message (the alive-counter check and
the sender's clock) and per VSS path (the last accepted value, for plausibility bounds). Values are
cantools' decoding exactly (no rounding: display rounding belongs to the UI), under the KUKSA CAN
provider's rules: only the signals on a multiplexed frame's page are decoded; a number outside the
DBC's min/max is dropped; a value the DBC names is a :class:`~ivi.can.values.NamedValue` for
``mapping`` transforms and string signals, while for a numeric VSS signal a named state of a numeric
CAN signal (SNA, init, error) makes *that signal* not available. Every problem is a counted
:class:`Rejection`, never an exception:

* ``unknown_id``         an ID the mapping does not use (or wrong standard/extended format)
* ``not_data``           error or remote frames
* ``wrong_dlc``          payload shorter than the DBC says (or, for E2E-protected messages, different)
* ``bad_checksum``       CRC8 mismatch (see :mod:`ivi.can.e2e`)
* ``bad_counter``        alive counter repeated, stepped back or jumped, or resynchronising after that
* ``unknown_mux``        a multiplexer value the DBC describes no page for (a mapped signal hangs under it)
* ``out_of_range``       a number outside its DBC or VSS min/max, NaN or infinite
* ``not_available``      a named state (SNA, invalid, init…) of a numeric signal: the VSS signal is withdrawn
* ``implausible_change`` a value changing faster than its :class:`~ivi.can.vss.ChangeLimit`
* ``unmapped_value``     a ``mapping`` transform that does not list the value
* ``transform_failed``   a ``math`` transform that failed (division by zero, …) or a result of the wrong type
* ``decode_failed``      anything else that went wrong with one frame (the others still decode)

The state adds ``future_timestamp`` and ``clock_step``, the log reader ``bad_log_line``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from ivi.can.dbc import J1939_PGN_MASK, CanDatabase, message_key
from ivi.can.e2e import CounterCheck
from ivi.can.mapping import VssMapping
from ivi.can.plan import FLOAT_AS_IS, STRING_AS_IS, EntryPlan, MessagePlan, compile_plans
from ivi.can.transform import UNMAPPED
from ivi.can.unpack import UNKNOWN_PAGE
from ivi.can.values import NamedValue
from ivi.can.vss import DEFAULT_CHANGE_LIMITS, ChangeLimit, coerce

isfinite = math.isfinite


class RejectReason(StrEnum):
    UNKNOWN_ID = "unknown_id"
    NOT_DATA = "not_data"
    WRONG_DLC = "wrong_dlc"
    BAD_CHECKSUM = "bad_checksum"
    BAD_COUNTER = "bad_counter"
    UNKNOWN_MUX = "unknown_mux"
    OUT_OF_RANGE = "out_of_range"
    NOT_AVAILABLE = "not_available"
    IMPLAUSIBLE_CHANGE = "implausible_change"
    UNMAPPED_VALUE = "unmapped_value"
    TRANSFORM_FAILED = "transform_failed"
    DECODE_FAILED = "decode_failed"
    FUTURE_TIMESTAMP = "future_timestamp"
    CLOCK_STEP = "clock_step"
    BAD_LOG_LINE = "bad_log_line"

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


class SignalUpdate(NamedTuple):
    """A decoded VSS value. ``sender_time_s`` is the sending ECU's own clock for this message, counted
    from its alive counter × cycle time (``None`` for messages without a counter): unlike the receive
    time it does not depend on when or how fast frames reached us (log replay, simulator speed-up).

    Immutable like the other plain data of this package, but a named tuple: one is made per decoded
    value, and a frozen dataclass costs five times as much to construct."""

    path: str
    value: Any
    unit: str
    timestamp_s: float
    sender_time_s: float | None = None


class Rejection(NamedTuple):
    """Why (part of) a frame was not used; ``path`` names the VSS signal when only that one was concerned.
    (A named tuple for the same reason as :class:`SignalUpdate`.)"""

    reason: RejectReason
    arbitration_id: int
    timestamp_s: float
    detail: str = ""
    path: str | None = None


#: A frame as a plain tuple ``(arbitration_id, data, timestamp_s, is_extended, is_remote, is_error)``:
#: what the bus adapter hands over in batches, without allocating a :class:`Frame` per frame.
RawFrame = tuple[int, bytes, float, bool, bool, bool]

_R = RejectReason


class Decoder:
    """Decodes the frames a mapping needs. One instance per bus (it remembers alive counters)."""

    def __init__(
        self,
        database: CanDatabase,
        mapping: VssMapping,
        *,
        change_limits: Mapping[str, ChangeLimit] | None = None,
    ) -> None:
        self.database = database
        self.mapping = mapping
        limits = DEFAULT_CHANGE_LIMITS if change_limits is None else change_limits
        self._plans: dict[int, MessagePlan] = compile_plans(database, mapping, limits)
        j1939: dict[int, MessagePlan | None] = {}
        for plan in self._plans.values():
            if plan.is_j1939:
                pgn = plan.frame_id & J1939_PGN_MASK
                j1939[pgn] = None if pgn in j1939 else plan  # two messages of one PGN: exact IDs only
        self._j1939 = {pgn: p for pgn, p in j1939.items() if p is not None}
        self._counters: dict[int, CounterCheck] = {}
        self._sender_s: dict[int, float] = {}
        self._last_value: dict[str, tuple[float, float]] = {}

    def reset(self) -> None:
        """Forget what earlier frames taught (alive counters, sender clocks, last accepted values): the
        state of a decoder that has seen nothing yet, as after a bus restart or between two logs."""
        self._counters.clear()
        self._sender_s.clear()
        self._last_value.clear()

    @property
    def frame_ids(self) -> frozenset[int]:
        """Keys (:func:`~ivi.can.dbc.message_key`) of the messages this decoder reads."""
        return frozenset(self._plans)

    def can_filters(self) -> list[dict[str, Any]]:
        """python-can filters that pass exactly the frames this decoder uses (hardware where possible);
        J1939 parameter groups pass from any source address and with any priority."""
        out = []
        for plan in sorted(self._plans.values(), key=lambda p: p.key):
            if plan.is_j1939 and plan.frame_id & J1939_PGN_MASK in self._j1939:
                out.append({"can_id": plan.frame_id & J1939_PGN_MASK, "can_mask": J1939_PGN_MASK, "extended": True})
            else:
                mask = 0x1FFFFFFF if plan.is_extended else 0x7FF
                out.append({"can_id": plan.frame_id, "can_mask": mask, "extended": plan.is_extended})
        return out

    def accepts(self) -> tuple[frozenset[int], frozenset[int]]:
        """What :meth:`can_filters` passes, for filtering in software: exact message keys, and J1939
        parameter groups (``frame_id & J1939_PGN_MASK`` of an extended frame)."""
        return frozenset(self._plans), frozenset(self._j1939)

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
            return [], [Rejection(_R.NOT_DATA, fid, ts, "error frame" if is_error else "remote frame")]
        plan = self._plans.get(fid | 0x8000_0000 if is_extended else fid)
        if plan is None:
            plan = self._j1939.get(fid & J1939_PGN_MASK) if is_extended and self._j1939 else None
            if plan is None:
                return [], [Rejection(_R.UNKNOWN_ID, fid, ts)]
        try:
            n = len(data)
            if n != plan.length and (n < plan.length or plan.exact_length):
                return [], [Rejection(_R.WRONG_DLC, fid, ts, f"{n} bytes, {plan.name} has {plan.length}")]
            if plan.crc_ok is not None and not plan.crc_ok(data):
                return [], [Rejection(_R.BAD_CHECKSUM, fid, ts, plan.name)]
            values = plan.extract(data)
            sender_s = None
            if plan.counter_at >= 0:
                check = self._counters.get(plan.key)
                if check is None:
                    check = self._counters[plan.key] = plan.counter_check()
                steps, problem = check.step(values[plan.counter_at])
                if problem is not None:
                    return [], [Rejection(_R.BAD_COUNTER, fid, ts, f"{plan.name}: {problem}")]
                if plan.cycle_s is not None:
                    sender_s = self._sender_s[plan.key] = self._sender_s.get(plan.key, 0.0) + steps * plan.cycle_s
            return self._signals(plan, values, fid, ts, sender_s)
        except Exception as exc:  # a bug or a case nobody foresaw must cost one frame, never the reader
            return [], [Rejection(_R.DECODE_FAILED, fid, ts, f"{plan.name}: {type(exc).__name__}: {exc}")]

    def _signals(
        self, plan: MessagePlan, values: list[Any], fid: int, ts: float, sender_s: float | None
    ) -> tuple[list[SignalUpdate], list[Rejection]]:
        updates: list[SignalUpdate] = []
        rejections: list[Rejection] = []
        unknown_page = False
        signals = plan.signals
        n = len(signals)
        add = updates.append
        # A multiplexed message gives {position: raw} of the signals on the frame's page, a plain one a list.
        for i, raw in values.items() if type(values) is dict else enumerate(values):
            if i >= n:  # the counter or a filter signal, not mapped itself
                continue
            if raw is UNKNOWN_PAGE:
                unknown_page = True
                continue
            sp = signals[i]
            name = None
            if sp.choices is not None:  # cantools looks names up with int() of the raw value
                name = sp.choices.get(raw) if type(raw) is int else sp.choices.get(int(raw)) if isfinite(raw) else None
            if name is None:
                value = raw if sp.identity else raw * sp.scale + sp.offset
                if not (sp.low <= value <= sp.high):  # also false for NaN and ±inf
                    rejections.append(Rejection(_R.OUT_OF_RANGE, fid, ts, f"{sp.name}={value}"))
                    continue
                only = sp.only
                if only is not None:  # one float VSS signal without transform or bounds: the commonest case
                    add(
                        SignalUpdate(
                            only.path, value if type(value) is float else float(value), only.unit, ts, sender_s
                        )
                    )
                    continue
            for entry in sp.entries:
                mode = entry.mode
                if mode == FLOAT_AS_IS and name is None:  # the common case, checks inlined
                    v = value if type(value) is float else float(value)
                    lo, hi = entry.minimum, entry.maximum
                    if (lo is not None and v < lo) or (hi is not None and v > hi) or not isfinite(v):
                        rejections.append(Rejection(_R.OUT_OF_RANGE, fid, ts, f"{entry.path}={v}", entry.path))
                    else:
                        updates.append(SignalUpdate(entry.path, v, entry.unit, ts, sender_s))
                elif mode == STRING_AS_IS:  # KUKSA: a named value is its name
                    updates.append(
                        SignalUpdate(entry.path, str(value) if name is None else name, entry.unit, ts, sender_s)
                    )
                elif not entry.filters or _filters_match(entry, values):
                    arg = value if name is None else NamedValue(int(raw), name)
                    out = self._vss_value(entry, sp.enum, arg, fid, ts, rejections)
                    if out is not UNMAPPED:
                        add(SignalUpdate(entry.path, out, entry.unit, ts, sender_s))
        if unknown_page:
            rejections.append(Rejection(_R.UNKNOWN_MUX, fid, ts, f"{plan.name}: a multiplexer value with no page"))
        return updates, rejections

    def _vss_value(
        self, entry: EntryPlan, enum: bool, value: Any, fid: int, ts: float, rejections: list[Rejection]
    ) -> Any:
        path = entry.path
        named = type(value) is NamedValue
        if named and not entry.lookup and entry.numeric and not enum:
            rejections.append(Rejection(_R.NOT_AVAILABLE, fid, ts, f"{path}: {value.name}", path))
            return UNMAPPED
        if entry.transform is not None:
            try:
                out = entry.transform.fn(value)
            except Exception as exc:
                rejections.append(Rejection(_R.TRANSFORM_FAILED, fid, ts, f"{path}: {exc}", path))
                return UNMAPPED
            if out is UNMAPPED:
                rejections.append(Rejection(_R.UNMAPPED_VALUE, fid, ts, f"{path}: {value}", path))
                return UNMAPPED
        elif named:  # KUKSA: the name for a string signal, the (raw) number otherwise
            out = value.name if entry.datatype == "string" else value.value
        else:
            out = value
        try:
            out = coerce(entry.datatype, out)
        except TypeError as exc:
            rejections.append(Rejection(_R.TRANSFORM_FAILED, fid, ts, f"{path}: {exc}", path))
            return UNMAPPED
        except (ValueError, OverflowError) as exc:
            rejections.append(Rejection(_R.OUT_OF_RANGE, fid, ts, f"{path}: {exc}", path))
            return UNMAPPED
        if entry.numeric and type(out) is not bool:
            lo, hi = entry.minimum, entry.maximum
            if (lo is not None and out < lo) or (hi is not None and out > hi) or not isfinite(out):
                rejections.append(Rejection(_R.OUT_OF_RANGE, fid, ts, f"{path}={out}", path))
                return UNMAPPED
        limit = entry.change_limit
        if limit is not None and type(out) is not bool:
            last = self._last_value.get(path)
            if last is not None and abs(out - last[0]) > limit.per_s * max(0.0, ts - last[1]) + limit.slack:
                rejections.append(
                    Rejection(
                        _R.IMPLAUSIBLE_CHANGE, fid, ts, f"{path}: {last[0]} → {out} in {ts - last[1]:.3f} s", path
                    )
                )
                return UNMAPPED
            self._last_value[path] = (out, ts)
        return out


def _filters_match(entry: EntryPlan, values: Any) -> bool:
    """KUKSA ``multiplexer`` conditions: every named signal present with the given value."""
    for at, identity, scale, offset, wanted in entry.filters:
        raw = values.get(at) if type(values) is dict else values[at]
        if raw is None or raw is UNKNOWN_PAGE or (raw if identity else raw * scale + offset) != wanted:
            return False
    return True


__all__ = ["Decoder", "Frame", "RawFrame", "RejectReason", "Rejection", "SignalUpdate", "message_key"]
