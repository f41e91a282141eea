"""The holiday calendar against the State Council's notices, and local hours through zoneinfo."""

from datetime import UTC, date, datetime

import pytest

from chargers.errors import OccupancyError
from chargers.occupancy.calendar import (
    BINS,
    MAKEUP_WEEKDAY,
    REGULAR_BINS,
    SCHEDULES,
    HolidayKind,
    bin_index,
    calendar_knows,
    day_of,
    describe_bin,
)
from chargers.occupancy.window import Window, hour_table

# The 2026 notice (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04) names the weekday of
# every date it gives; a wrong date in our table would put a holiday on the wrong weekday.
NOTICE_2026 = {
    "2026-01-01": 3,  # 周四
    "2026-01-03": 5,  # 周六
    "2026-01-04": 6,  # 周日 上班
    "2026-02-15": 6,  # 腊月二十八、周日
    "2026-02-23": 0,  # 正月初七、周一
    "2026-02-14": 5,  # 周六 上班
    "2026-02-28": 5,  # 周六 上班
    "2026-04-04": 5,  # 周六
    "2026-04-06": 0,  # 周一
    "2026-05-01": 4,  # 周五
    "2026-05-05": 1,  # 周二
    "2026-05-09": 5,  # 周六 上班
    "2026-06-19": 4,  # 周五
    "2026-06-21": 6,  # 周日
    "2026-09-25": 4,  # 周五
    "2026-09-27": 6,  # 周日
    "2026-10-01": 3,  # 周四
    "2026-10-07": 2,  # 周三
    "2026-09-20": 6,  # 周日 上班
    "2026-10-10": 5,  # 周六 上班
}


@pytest.mark.parametrize(("day", "weekday"), NOTICE_2026.items())
def test_the_2026_dates_fall_on_the_weekdays_the_notice_names(day: str, weekday: int) -> None:
    assert date.fromisoformat(day).weekday() == weekday
    d = date.fromisoformat(day)
    assert any(h.first <= d <= h.last or d in h.makeup for h in SCHEDULES[2026])


def test_holiday_lengths_are_the_notices() -> None:
    lengths = {h.name_en: h.days for h in SCHEDULES[2026]}
    assert lengths == {
        "New Year's Day": 3,
        "Spring Festival": 9,
        "Qingming Festival": 3,
        "Labour Day": 5,
        "Dragon Boat Festival": 3,
        "Mid-Autumn Festival": 3,
        "National Day": 7,
    }
    assert {h.name_en: h.days for h in SCHEDULES[2025]}["National Day and Mid-Autumn Festival"] == 8
    assert SCHEDULES[2025][1].first == date(2025, 1, 28)  # 农历除夕


def test_kinds_of_day_around_national_day_2026() -> None:
    assert day_of(date(2026, 9, 30)).holiday is HolidayKind.EVE
    assert day_of(date(2026, 10, 1)).holiday is HolidayKind.FIRST
    assert day_of(date(2026, 10, 4)).holiday is HolidayKind.MIDDLE
    assert day_of(date(2026, 10, 7)).holiday is HolidayKind.LAST
    assert day_of(date(2026, 10, 1)).golden_week and not day_of(date(2026, 9, 25)).golden_week
    saturday_at_work = day_of(date(2026, 10, 10))
    assert saturday_at_work.makeup and saturday_at_work.working and saturday_at_work.weekday == MAKEUP_WEEKDAY
    assert day_of(date(2026, 10, 8)).holiday is None and day_of(date(2026, 10, 8)).weekday == 3
    # The eve of the Spring Festival is itself a make-up working Saturday.
    eve = day_of(date(2026, 2, 14))
    assert eve.holiday is HolidayKind.EVE and eve.makeup and eve.working
    # New Year's Eve 2025 is the eve of the 2026 holiday.
    assert day_of(date(2025, 12, 31)).holiday is HolidayKind.EVE


def test_a_year_without_a_schedule_is_weekdays_only() -> None:
    assert not calendar_knows(date(2027, 10, 1))
    assert day_of(date(2027, 10, 1)).holiday is None


def test_bins_cover_regular_weeks_and_holiday_kinds() -> None:
    assert bin_index(day_of(date(2026, 11, 6)), 18) == 4 * 24 + 18  # a Friday
    assert bin_index(day_of(date(2026, 10, 1)), 10) == REGULAR_BINS + 24 + 10
    assert bin_index(day_of(date(2026, 10, 7)), 23) == BINS - 1
    assert describe_bin(4 * 24 + 18) == ("at 18:00 on Fridays", "周五 18:00")
    assert describe_bin(REGULAR_BINS + 24 + 9) == ("at 09:00 on the first day of a holiday", "假期首日 09:00")


def test_hours_are_local_to_the_station() -> None:
    w = Window.local_days(date(2026, 9, 28), 7)
    assert datetime.fromtimestamp(w.start_s, UTC) == datetime(2026, 9, 27, 16, tzinfo=UTC)  # 00:00 +08:00
    t = hour_table("Asia/Shanghai", w)
    oct1_10h = 3 * 24 + 10
    assert t.local_hours[oct1_10h] == 10 and t.bins[oct1_10h] == REGULAR_BINS + 24 + 10
    # The same UTC hours seen from Berlin, across the end of summer time (2026-10-25).
    berlin = Window.local_days(date(2026, 10, 24), 2, "Europe/Berlin")
    assert berlin.hours == 49
    hours = hour_table("Europe/Berlin", berlin).local_hours
    assert list(hours[:4]) == [0, 1, 2, 3] and hours[24:28] == bytes([0, 1, 2, 2])


def test_unknown_zones_and_bad_windows_are_refused() -> None:
    with pytest.raises(OccupancyError, match="time zone"):
        hour_table("Mars/Olympus_Mons", Window(0, 24))
    with pytest.raises(OccupancyError):
        Window(1800, 24)
    with pytest.raises(OccupancyError, match="timezone-aware"):
        Window(0, 24).rel(datetime(2026, 1, 1))
