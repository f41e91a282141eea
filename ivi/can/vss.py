"""COVESA VSS paths the head unit reads by name, how fast their values can plausibly change, and what
a value of each scalar VSS datatype may be (:func:`coerce`: the one check every value leaving the CAN
layer passes, at load for a ``mapping`` transform's ``to`` values, at run time for everything else)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DATATYPES",
    "DEFAULT_CHANGE_LIMITS",
    "INT_RANGES",
    "MAX_STRING_CHARS",
    "PACK_CURRENT",
    "PACK_VOLTAGE",
    "SOC_CURRENT",
    "SOC_DISPLAYED",
    "SPEED",
    "ChangeLimit",
    "coerce",
]

SOC_DISPLAYED = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
SOC_CURRENT = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
PACK_VOLTAGE = "Vehicle.Powertrain.TractionBattery.CurrentVoltage"
PACK_CURRENT = "Vehicle.Powertrain.TractionBattery.CurrentCurrent"
SPEED = "Vehicle.Speed"


@dataclass(frozen=True)
class ChangeLimit:
    """A plausibility bound: between two accepted values ``|Δvalue| ≤ per_s × Δt + slack`` (receive times).

    State of charge cannot jump 20 % in 100 ms: even 500 kW into a 60 kWh pack is 0.23 %/s, so 10 %/s
    leaves room for a simulator running 40× faster than real time and still rejects such a jump.
    A real step (a BMS recalibration) is accepted once the time since the last accepted value covers it.
    """

    per_s: float
    slack: float = 0.0


DEFAULT_CHANGE_LIMITS: dict[str, ChangeLimit] = {
    SOC_DISPLAYED: ChangeLimit(per_s=10.0, slack=1.0),
    SOC_CURRENT: ChangeLimit(per_s=10.0, slack=1.0),
}


#: The integer VSS datatypes and the values each can carry.
INT_RANGES: dict[str, tuple[int, int]] = {
    f"{sign}int{bits}": ((0, (1 << bits) - 1) if sign else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1))
    for sign in ("", "u")
    for bits in (8, 16, 32, 64)
}
#: The scalar VSS datatypes a CAN signal can feed.
DATATYPES = frozenset({"boolean", "string", "float", "double", *INT_RANGES})
#: A string value longer than this is not a CAN signal's value (a transform gone wrong).
MAX_STRING_CHARS = 1000


def coerce(datatype: str, value: Any) -> Any:
    """``value`` as the VSS ``datatype`` carries it: a finite float for ``float``/``double``, a bool for
    ``boolean``, an int within the type's range for the integer types (a float is rounded, as KUKSA's
    databroker does), a short string for ``string``. ``TypeError`` when the value is of the wrong kind
    (``'ECO'`` for a float), ``ValueError`` when it is out of range (``1e76`` for an ``int8``, NaN, ∞)."""
    if isinstance(value, str):
        if datatype != "string":
            raise TypeError(f"{value[:40]!r} is not a {datatype}")
        if len(value) > MAX_STRING_CHARS:
            raise ValueError(f"a string of {len(value)} characters (at most {MAX_STRING_CHARS})")
        return value
    if not isinstance(value, (int, float)):
        raise TypeError(f"a {type(value).__name__} is not a {datatype}")
    if datatype == "string":
        out = str(value)  # ValueError past Python's 4,300-digit limit
        if len(out) > MAX_STRING_CHARS:
            raise ValueError(f"a number of {len(out)} digits")
        return out
    if datatype == "boolean":
        return bool(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite {datatype}")
    if datatype in ("float", "double"):
        if isinstance(value, int) and value.bit_length() > 1000:  # float() would overflow
            raise ValueError(f"an integer of {value.bit_length()} bits is not a finite {datatype}")
        return float(value)
    bounds = INT_RANGES.get(datatype)
    if bounds is None:
        raise TypeError(f"{datatype!r} is not a scalar VSS datatype")
    number = value if type(value) is int else round(value)
    if not bounds[0] <= number <= bounds[1]:
        big = number.bit_length() > 64
        shown = f"{value:.6g}" if isinstance(value, float) else "a huge integer" if big else str(number)
        raise ValueError(f"{shown} does not fit {datatype}")
    return number
