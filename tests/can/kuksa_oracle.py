"""What a frame should become, computed the way the KUKSA CAN provider computes it — cantools'
``Message.decode`` (named values as ``NamedSignalValue``), its min/max filter, its ``mapping`` lookup
(``from == value``) and py-expression-eval for ``math`` — plus the differences docs/can.md states
(a named state of a numeric signal is "not available"; NaN/inf are out of range; values are coerced
to the VSS datatype and checked against the VSS min/max).

Independent of ``ivi.can``'s decoding: only the enum-or-numeric policy (:func:`ivi.can.values.is_enum`)
is shared, and it is tested on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cantools
from cantools.database.namedsignalvalue import NamedSignalValue
from py_expression_eval import Parser

from ivi.can import CanDatabase
from ivi.can.values import is_enum

INT_RANGES = {
    f"{sign}int{bits}": ((0, (1 << bits) - 1) if sign else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1))
    for sign in ("", "u")
    for bits in (8, 16, 32, 64)
}


@dataclass(frozen=True)
class Entry:
    path: str
    signal: str
    datatype: str
    transform: dict[str, Any] | None = None
    minimum: float | None = None
    maximum: float | None = None


def decode_like_kuksa(message: Any, data: bytes) -> dict[str, Any] | None:
    """cantools' decoding as KUKSA calls it; ``None`` when cantools refuses the frame (an undescribed
    multiplexer page). A message cantools cannot unpack at all (overlapping signals of a lax DBC) is
    decoded signal by signal."""
    try:
        return dict(message.decode(data, decode_choices=True, scaling=True))
    except Exception:
        if message.is_multiplexed():
            return None
    out: dict[str, Any] = {}
    for signal in message.signals:
        alone = cantools.database.can.Message(message.frame_id, message.name, message.length, [signal])
        out.update(alone.decode(data, decode_choices=True, scaling=True))
    return out


def expected(
    db: CanDatabase, key: int, data: bytes, entries: dict[str, list[Entry]]
) -> tuple[dict[str, Any], list[str]] | None:
    """(VSS path → value, the rejection reasons) for one frame of message ``key``; ``None`` when cantools
    refuses the frame (its multiplexer selects a page the DBC does not describe)."""
    message = db._cantools[key]
    spec = db.messages[key]
    decoded = decode_like_kuksa(message, data)
    if decoded is None:
        return None
    updates: dict[str, Any] = {}
    reasons: list[str] = []
    for name, value in decoded.items():
        if name not in entries:
            continue
        signal = message.get_signal_by_name(name)
        named = isinstance(value, NamedSignalValue)
        if not named:
            if isinstance(value, float) and not math.isfinite(value):
                reasons.append("out_of_range")
                continue
            if (signal.minimum is not None and value < signal.minimum) or (
                signal.maximum is not None and value > signal.maximum
            ):
                reasons.append("out_of_range")  # KUKSA: "usually because the signal's value is unavailable"
                continue
        enum = is_enum(spec.signal(name))
        for entry in entries[name]:
            kind = next(iter(entry.transform), None) if entry.transform else None
            if named and kind != "mapping" and entry.datatype != "string" and not enum:
                reasons.append("not_available")
                continue
            out, problem = _transform(entry, kind, value, named)
            if problem is None:
                out, problem = _coerce(entry, out)
            if problem is not None:
                reasons.append(problem)
            else:
                updates[entry.path] = out
    return updates, reasons


def _transform(entry: Entry, kind: str | None, value: Any, named: bool) -> tuple[Any, str | None]:
    if kind is None:
        if named:
            return (value.name if entry.datatype == "string" else value.value), None
        return value, None
    assert entry.transform is not None
    if kind == "mapping":
        for item in entry.transform["mapping"]:
            if item["from"] == value:
                return item["to"], None
        return None, "unmapped_value"
    try:
        out = Parser().parse(entry.transform["math"]).evaluate({"x": value})
    except Exception:
        return None, "transform_failed"
    if not isinstance(out, (int, float, str)):
        return None, "transform_failed"
    return out, None


def _coerce(entry: Entry, out: Any) -> tuple[Any, str | None]:
    datatype = entry.datatype
    if datatype == "string":
        return (out if isinstance(out, str) else str(out)), None
    if not isinstance(out, (int, float)):
        return None, "transform_failed"
    if datatype in ("float", "double"):
        out = float(out)
    elif datatype == "boolean":
        return bool(out), None
    else:
        if isinstance(out, float) and not math.isfinite(out):
            return None, "out_of_range"
        out = out if type(out) is int else round(out)
        low, high = INT_RANGES[datatype]
        if not low <= out <= high:
            return None, "out_of_range"
    if (
        (entry.minimum is not None and out < entry.minimum)
        or (entry.maximum is not None and out > entry.maximum)
        or not math.isfinite(out)
    ):
        return None, "out_of_range"
    return out, None
