"""The OCPI 2.2.1 field rules we hold partner records to, as small readers that return a clean
value or raise :class:`Invalid` with a short reason.

Why so strict: a record the publisher signs reaches every car, and one that the car cannot store
(a ``NaN`` price, a 5 MB name, a NUL byte, a number where a list was expected) used to stop the
whole fleet. So each field is read for its OCPI type and limit (module ``types``): ``CiString(n)``
is printable ASCII of at most *n* characters, ``string(n)`` printable UTF-8 (no control
characters), ``DateTime`` RFC 3339 in UTC of at most 25 characters, ``int`` a whole JSON number,
``number`` a finite JSON number (strings such as ``"NaN"`` are not numbers), enums only their
listed values. Ranges that OCPI leaves open are bounded by what exists (a connector of 1,500 V,
3,000 A, 4 MW is already a megawatt truck charger).

Deliberate leniencies, each harmless to a car: fields that OCPI requires but the car can do
without (``address``, ``city``, ``country``, ``time_zone``, ``publish``) may be missing;
coordinates may carry fewer than OCPI's five decimals (only precision suffers); a regular
opening period may end at ``24:00``.
"""

from __future__ import annotations

import math
import re
from typing import Any, TypeGuard

__all__ = [
    "DATETIME_PATTERN",
    "MAX_AMPERAGE_A",
    "MAX_POWER_W",
    "MAX_PRICE_PER_KWH",
    "MAX_VOLTAGE_V",
    "Invalid",
    "boolean",
    "ci_string",
    "ci_value",
    "date_time",
    "enum",
    "hhmm",
    "integer",
    "is_date_time",
    "is_finite_number",
    "is_hhmm",
    "is_one_of",
    "items",
    "number",
    "obj",
    "printable",
    "shown",
    "string",
]

MAX_VOLTAGE_V = 1500
MAX_AMPERAGE_A = 3000
MAX_POWER_W = 4_000_000
#: A price per kWh (or per session, hour) above this is a typo or an attack, not a tariff.
MAX_PRICE_PER_KWH = 100.0

_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # control characters, lone surrogates
#: OCPI's DateTime in UTC (at most :data:`DATETIME_MAX` characters), as a pattern to build on.
DATETIME_PATTERN = (
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-]00:00)?"
)
_DATETIME = re.compile(DATETIME_PATTERN)
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
DATETIME_MAX = 25


class Invalid(Exception):
    """A record (or part of one) is refused; ``reason`` is the short kind, ``detail`` the specifics."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def printable(text: str) -> str:
    """``text`` with control characters (and lone surrogates) replaced by ``?``: safe in a log line."""
    return _CONTROL.sub("?", text)


def shown(v: Any) -> str:
    """``v`` for an error message, at most 60 characters, whatever it is."""
    try:
        return repr(v)[:60]
    except ValueError:  # an int of more than 4,300 digits has no repr
        return f"<{type(v).__name__}>"


def _absent(v: Any) -> bool:
    return v is None or v == ""


def ci_string(d: dict[str, Any], key: str, max_len: int, *, required: bool = True, missing: str = "") -> str:
    """OCPI ``CiString(max_len)``: printable ASCII; ``""`` when absent and not required."""
    v = d.get(key)
    if _absent(v):
        if required:
            raise Invalid(missing or f"missing {key}")
        return ""
    return ci_value(v, key, max_len)


def ci_value(v: Any, key: str, max_len: int) -> str:
    """One ``CiString(max_len)`` value (an element of a list field such as ``tariff_ids``)."""
    if type(v) is not str or not v:
        raise Invalid(f"bad {key}", f"not a string: {shown(v)}")
    if len(v) > max_len:
        raise Invalid(f"bad {key}", f"{len(v)} characters, OCPI allows {max_len}")
    if not _PRINTABLE_ASCII.fullmatch(v):
        raise Invalid(f"bad {key}", f"not printable ASCII: {shown(v)}")
    return v


def string(d: dict[str, Any], key: str, max_len: int, *, required: bool = False, missing: str = "") -> str:
    """OCPI ``string(max_len)``: printable UTF-8 (no NUL or other control character)."""
    v = d.get(key)
    if _absent(v):
        if required:
            raise Invalid(missing or f"missing {key}")
        return ""
    if type(v) is not str:
        raise Invalid(f"bad {key}", f"not a string: {shown(v)}")
    if len(v) > max_len:
        raise Invalid(f"bad {key}", f"{len(v)} characters, OCPI allows {max_len}")
    if _CONTROL.search(v):
        raise Invalid(f"bad {key}", f"control character in {shown(v)}")
    return v


def date_time(d: dict[str, Any], key: str, *, required: bool = True) -> str:
    """OCPI ``DateTime``: RFC 3339, UTC (``Z``, ``+00:00`` or no designator), at most 25 characters."""
    v = d.get(key)
    if _absent(v):
        if required:
            raise Invalid(f"missing {key}")
        return ""
    if type(v) is not str or len(v) > DATETIME_MAX or not _DATETIME.fullmatch(v):
        raise Invalid(f"bad {key}", f"not an OCPI DateTime: {shown(v)}")
    return v


def hhmm(d: dict[str, Any], key: str, *, default: str | None = None, end: bool = False) -> str:
    """A local time ``HH:MM`` (OCPI's regex); ``end`` also allows ``24:00`` (the end of the day)."""
    v = d.get(key)
    if v is None and default is not None:
        return default
    if type(v) is not str or not (_HHMM.fullmatch(v) or (end and v == "24:00")):
        raise Invalid(f"bad {key}", f"not HH:MM: {shown(v)}")
    return v


def is_date_time(v: Any) -> bool:
    """An OCPI ``DateTime`` (the rule of :func:`date_time`) as a test, for rows checked in bulk."""
    return type(v) is str and len(v) <= DATETIME_MAX and _DATETIME.fullmatch(v) is not None


def is_hhmm(v: Any, *, end: bool = False) -> bool:
    """A local time ``HH:MM`` (``end`` also allows ``24:00``) as a test."""
    return type(v) is str and (_HHMM.fullmatch(v) is not None or (end and v == "24:00"))


def is_finite_number(v: Any) -> TypeGuard[int | float]:
    """A JSON number that is finite as a float: not a bool, not ``NaN``/``Infinity``, not an integer too large for
    a float (``10**400``, where ``math.isfinite`` raises ``OverflowError``)."""
    if type(v) is int:
        return abs(v) <= 2**1023
    return type(v) is float and math.isfinite(v)


def boolean(d: dict[str, Any], key: str, default: bool) -> bool:
    v = d.get(key)
    if v is None:
        return default
    if type(v) is not bool:
        raise Invalid(f"bad {key}", f"not a boolean: {shown(v)}")
    return v


def integer(d: dict[str, Any], key: str, lo: int, hi: int, *, default: int | None = None) -> int:
    """OCPI ``int`` within ``lo..hi`` (a whole JSON number; ``400.0`` counts, ``400.5`` and ``"400"`` not)."""
    v = d.get(key)
    if v is None and default is not None:
        return default
    if type(v) is float and math.isfinite(v) and v.is_integer():
        v = int(v)
    if type(v) is not int:
        raise Invalid(f"bad {key}", f"not a whole number: {shown(v)}")
    if not lo <= v <= hi:
        raise Invalid(f"bad {key}", f"{v} outside {lo}..{hi}")
    return v


def number(d: dict[str, Any], key: str, lo: float, hi: float, *, default: float | None = None) -> float:
    """OCPI ``number``: a finite JSON number within ``lo..hi`` (``NaN``/``Infinity`` never)."""
    v = d.get(key)
    if v is None and default is not None:
        return default
    if not is_finite_number(v):
        raise Invalid(f"bad {key}", f"not a finite number: {shown(v)}")
    if not lo <= v <= hi:
        raise Invalid(f"bad {key}", f"{v} outside {lo:g}..{hi:g}")
    return float(v)


def is_one_of(v: Any, values: frozenset[str] | dict[str, Any]) -> TypeGuard[str]:
    """``v`` is one of an enum's strings (a list or an object given for an enum is just not one of them,
    where ``v in values`` would raise ``TypeError: unhashable``)."""
    return type(v) is str and v in values


def enum(d: dict[str, Any], key: str, values: frozenset[str], *, default: str | None = None) -> str:
    v = d.get(key)
    if v is None and default is not None:
        return default
    if _absent(v):
        raise Invalid(f"missing {key}")
    if not is_one_of(v, values):
        raise Invalid(f"unknown {key}", shown(v))
    return str(v)


def items(d: dict[str, Any], key: str, *, required: bool = False) -> list[Any]:
    """A JSON list field (``[]`` when absent); anything else is a wrong type."""
    v = d.get(key)
    if v is None:
        if required:
            raise Invalid(f"missing {key}")
        return []
    if type(v) is not list:
        raise Invalid(f"bad {key}", f"not a list: {shown(v)}")
    return v


def obj(d: dict[str, Any], key: str) -> dict[str, Any] | None:
    """A JSON object field, or None when absent."""
    v = d.get(key)
    if v is None:
        return None
    if type(v) is not dict:
        raise Invalid(f"bad {key}", f"not an object: {shown(v)}")
    return v
