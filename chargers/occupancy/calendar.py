"""The official Chinese public-holiday calendar and the kinds of day the occupancy model tells apart.

Chinese holidays move every year (lunar dates, and the State Council swaps weekend days for
working days, 调休), so the schedule is data, copied from the State Council General Office's
notices (国务院办公厅关于2025年/2026年部分节假日安排的通知, published by Xinhua on 2024-11-12 and
2025-11-04; sources in docs/data.md). A year not in :data:`SCHEDULES` is treated by its weekdays
alone, and :func:`calendar_knows` says so.

Charging demand differs on four kinds of holiday day (State Grid's forecasts for the 2025 May Day
holiday: the outbound peak runs from noon of the last working day to 03:00, the first holiday
day peaks 07–21 h, the return peak is the last day 09–24 h), so a day is one of:

* a regular day — its weekday (Monday … Sunday); a make-up working day (调休上班) counts as a
  mid-week working day (:data:`MAKEUP_WEEKDAY`), whatever weekday it falls on;
* a holiday day — the eve (the last day before a holiday that is not itself off), the first,
  a middle or the last day of the holiday.

Bins: the model keeps one probability per hour of the week for regular days (168 bins,
``weekday * 24 + hour``) and one per hour of each holiday kind (4 × 24 bins after them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

__all__ = [
    "BINS",
    "HOLIDAY_BINS",
    "MAKEUP_WEEKDAY",
    "REGULAR_BINS",
    "SCHEDULES",
    "Day",
    "Holiday",
    "HolidayKind",
    "bin_index",
    "calendar_knows",
    "day_of",
    "describe_bin",
]


class HolidayKind(IntEnum):
    """The four kinds of holiday day, in bin order."""

    EVE = 0
    FIRST = 1
    MIDDLE = 2
    LAST = 3


REGULAR_BINS = 7 * 24
HOLIDAY_BINS = len(HolidayKind) * 24
BINS = REGULAR_BINS + HOLIDAY_BINS
#: A make-up working day behaves like a Wednesday (a plain mid-week working day).
MAKEUP_WEEKDAY = 2


@dataclass(frozen=True)
class Holiday:
    """One public holiday as the State Council scheduled it: the days off and the make-up working days."""

    name_en: str
    name_zh: str
    first: date
    last: date
    makeup: tuple[date, ...] = ()

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _h(name_en: str, name_zh: str, first: str, last: str, *makeup: str) -> Holiday:
    return Holiday(
        name_en, name_zh, date.fromisoformat(first), date.fromisoformat(last), tuple(map(date.fromisoformat, makeup))
    )


#: The official schedules (国办发明电〔2024〕12号 for 2025; the notice of 2025-11-04 for 2026).
SCHEDULES: dict[int, tuple[Holiday, ...]] = {
    2025: (
        _h("New Year's Day", "元旦", "2025-01-01", "2025-01-01"),
        _h("Spring Festival", "春节", "2025-01-28", "2025-02-04", "2025-01-26", "2025-02-08"),
        _h("Qingming Festival", "清明节", "2025-04-04", "2025-04-06"),
        _h("Labour Day", "劳动节", "2025-05-01", "2025-05-05", "2025-04-27"),
        _h("Dragon Boat Festival", "端午节", "2025-05-31", "2025-06-02"),
        _h(
            "National Day and Mid-Autumn Festival",
            "国庆节、中秋节",
            "2025-10-01",
            "2025-10-08",
            "2025-09-28",
            "2025-10-11",
        ),
    ),
    2026: (
        _h("New Year's Day", "元旦", "2026-01-01", "2026-01-03", "2026-01-04"),
        _h("Spring Festival", "春节", "2026-02-15", "2026-02-23", "2026-02-14", "2026-02-28"),
        _h("Qingming Festival", "清明节", "2026-04-04", "2026-04-06"),
        _h("Labour Day", "劳动节", "2026-05-01", "2026-05-05", "2026-05-09"),
        _h("Dragon Boat Festival", "端午节", "2026-06-19", "2026-06-21"),
        _h("Mid-Autumn Festival", "中秋节", "2026-09-25", "2026-09-27"),
        _h("National Day", "国庆节", "2026-10-01", "2026-10-07", "2026-09-20", "2026-10-10"),
    ),
}


@dataclass(frozen=True)
class Day:
    """What kind of day a date is, for demand and for the model's bins."""

    weekday: int  # the regular profile it uses: 0 = Monday … 6 = Sunday
    holiday: HolidayKind | None = None
    holiday_name: Holiday | None = None
    makeup: bool = False  # a weekend day worked to make up for a holiday (调休上班)
    golden_week: bool = False  # a holiday of seven days or more (Spring Festival, National Day)

    @property
    def working(self) -> bool:
        if self.holiday is not None and self.holiday is not HolidayKind.EVE:
            return False
        return self.makeup or self.weekday < 5


def _index() -> dict[date, Day]:
    out: dict[date, Day] = {}
    for holidays in SCHEDULES.values():
        for hol in holidays:
            golden = hol.days >= 7
            for d in hol.makeup:
                out[d] = Day(MAKEUP_WEEKDAY, makeup=True)
            for i in range(hol.days):
                d = hol.first + timedelta(days=i)
                kind = HolidayKind.FIRST if i == 0 else HolidayKind.LAST if i == hol.days - 1 else HolidayKind.MIDDLE
                out[d] = Day(d.weekday(), kind, hol, golden_week=golden)
    for holidays in SCHEDULES.values():
        for hol in holidays:
            eve = hol.first - timedelta(days=1)
            if eve not in out or out[eve].makeup:
                out[eve] = Day(eve.weekday(), HolidayKind.EVE, hol, makeup=eve in out, golden_week=hol.days >= 7)
    return out


_DAYS = _index()


def calendar_knows(d: date) -> bool:
    """Whether the official schedule of ``d``'s year is known (otherwise only weekdays count)."""
    return d.year in SCHEDULES


def day_of(d: date) -> Day:
    """The kind of a local calendar date."""
    return _DAYS.get(d) or Day(d.weekday())


def bin_index(day: Day, hour: int) -> int:
    """The model bin of local ``hour`` (0–23) on ``day``."""
    if day.holiday is None:
        return day.weekday * 24 + hour
    return REGULAR_BINS + int(day.holiday) * 24 + hour


_WEEKDAYS_EN = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_HOLIDAY_EN = ("the day before a holiday", "the first day of a holiday", "holidays", "the last day of a holiday")
_HOLIDAY_ZH = ("节前最后一天", "假期首日", "假期中", "假期最后一天")


def describe_bin(b: int) -> tuple[str, str]:
    """When a bin is, in words: ("at 18:00 on Fridays", "周五 18:00"), for the reasons the screen shows."""
    hour = b % 24
    if b < REGULAR_BINS:
        return f"at {hour:02d}:00 on {_WEEKDAYS_EN[b // 24]}", f"{_WEEKDAYS_ZH[b // 24]} {hour:02d}:00"
    kind = (b - REGULAR_BINS) // 24
    return f"at {hour:02d}:00 on {_HOLIDAY_EN[kind]}", f"{_HOLIDAY_ZH[kind]} {hour:02d}:00"
