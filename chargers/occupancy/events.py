"""EVSE status changes as small integers, and the OCPI text they come from and go to.

A history of 12 weeks holds ~30 million status changes at scale 1; as Python tuples of three
strings that is several gigabytes, as packed integers in an ``array('q')`` it is 8 bytes each.
A packed change is ``t_rel << 12 | evse << 4 | code``: seconds since the window start, the
EVSE's index in its station (sorted uids; up to 255) and the OCPI status code below. Sorting
packed changes orders them by time, then EVSE, then status — so a sorted, de-duplicated list is
the same whatever order (and however many copies) the changes arrived in.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = [
    "BUSY",
    "CLASS_OF_CODE",
    "CODE_OF_STATUS",
    "DOWN",
    "FREE",
    "GONE",
    "MAX_EVSES",
    "STATUS_OF_CODE",
    "UNSEEN",
    "IsoClock",
    "pack",
    "parse_instant",
    "unpack",
]

STATUS_OF_CODE = (
    "AVAILABLE",
    "CHARGING",
    "BLOCKED",
    "RESERVED",
    "OUTOFORDER",
    "INOPERATIVE",
    "UNKNOWN",
    "PLANNED",
    "REMOVED",
)
CODE_OF_STATUS = {s: i for i, s in enumerate(STATUS_OF_CODE)}
AVAILABLE, CHARGING, BLOCKED, RESERVED, OUTOFORDER, INOPERATIVE, UNKNOWN = range(7)

#: What a status means for a driver: free to plug in, taken (a car charging, parked or a
#: reservation), out of order, not known, or not there at all.
FREE, BUSY, DOWN, UNSEEN, GONE = range(5)
CLASS_OF_CODE = bytes([FREE, BUSY, BUSY, BUSY, DOWN, DOWN, UNSEEN, GONE, GONE])
MAX_EVSES = 255


def pack(t_rel: int, evse: int, code: int) -> int:
    return (t_rel << 12) | (evse << 4) | code


def unpack(v: int) -> tuple[int, int, int]:
    return v >> 12, (v >> 4) & 0xFF, v & 0xF


def parse_instant(text: str) -> float | None:
    """Epoch seconds of an OCPI ``last_updated`` (ISO 8601; no offset means UTC); None if unreadable."""
    try:
        t = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.timestamp()


_SECONDS = tuple(f"{s:02d}Z" for s in range(60))


class IsoClock:
    """Formats epoch seconds as OCPI writes them (``2026-11-01T08:00:00Z``), several times faster
    than ``strftime`` for a stream of nearby instants: everything but the seconds is cached per minute."""

    def __init__(self) -> None:
        self._minutes: dict[int, str] = {}

    def __call__(self, epoch_s: int) -> str:
        minute, sec = divmod(epoch_s, 60)
        prefix = self._minutes.get(minute)
        if prefix is None:
            prefix = self._minutes[minute] = datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%dT%H:%M:")
        return prefix + _SECONDS[sec]
