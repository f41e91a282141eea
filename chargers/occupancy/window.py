"""A span of history in whole UTC hours, and what each of its hours is in a station's local time.

Statuses carry UTC instants; the model's bins are local (hour of the week, holiday kind), and
the station's OCPI ``time_zone`` says which local time. :func:`hour_table` converts once per
time zone and window with ``zoneinfo``, so the hot loops only index arrays. Times inside a
window are seconds since its start (``t_rel``), which keeps them small integers.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chargers.errors import OccupancyError
from chargers.occupancy.calendar import Day, bin_index, day_of

__all__ = ["HourTable", "Window", "hour_table", "zone"]


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OccupancyError(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class Window:
    """``hours`` whole hours from ``start_s`` (UTC epoch seconds, on an hour boundary)."""

    start_s: int
    hours: int

    def __post_init__(self) -> None:
        if self.start_s % 3600 or self.hours <= 0:
            raise OccupancyError(f"a window starts on a whole hour and lasts at least one: {self}")

    @classmethod
    def local_days(cls, first_day: date, days: int, tz: str = "Asia/Shanghai") -> Window:
        """From local midnight of ``first_day`` for ``days`` days (China has no daylight saving time;
        elsewhere the span may be an hour more or less than ``days`` × 24)."""
        start = datetime.combine(first_day, time(0), zone(tz))
        end = datetime.combine(first_day + timedelta(days=days), time(0), zone(tz))
        start_s = int(start.timestamp())
        return cls(start_s - start_s % 3600, int(end.timestamp() - start.timestamp()) // 3600)

    @property
    def end_s(self) -> int:
        return self.start_s + self.hours * 3600

    @property
    def seconds(self) -> int:
        return self.hours * 3600

    def rel(self, instant: datetime) -> float:
        """Seconds from the window's start to an aware ``instant``."""
        if instant.tzinfo is None:
            raise OccupancyError("instants must be timezone-aware (naive datetimes are ambiguous)")
        return instant.timestamp() - self.start_s

    def instant(self, t_rel: float) -> datetime:
        return datetime.fromtimestamp(self.start_s + t_rel, UTC)

    def sub(self, first_hour: int, hours: int) -> Window:
        return Window(self.start_s + first_hour * 3600, hours)


@dataclass(frozen=True)
class HourTable:
    """Per hour of a window, in one time zone: the local day, hour, real weekday and model bin."""

    days: tuple[Day, ...]
    local_hours: bytes
    weekdays: bytes
    bins: array  # array('H'): model bin per hour


@lru_cache(maxsize=32)
def hour_table(tz: str, window: Window) -> HourTable:
    z = zone(tz)
    days, hours, weekdays, bins = [], bytearray(), bytearray(), array("H")
    start = datetime.fromtimestamp(window.start_s, UTC)
    for h in range(window.hours):
        local = (start + timedelta(hours=h)).astimezone(z)
        day = day_of(local.date())
        days.append(day)
        hours.append(local.hour)
        weekdays.append(local.weekday())
        bins.append(bin_index(day, local.hour))
    return HourTable(tuple(days), bytes(hours), bytes(weekdays), bins)
