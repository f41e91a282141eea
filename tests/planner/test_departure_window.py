"""When to leave: the departure window search picks the slot whose plan avoids a stop that is
usually full at arrival, or the peak tariff, and says why in both languages; bad windows are
refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chargers.models import Tariff, TariffWindow
from ivi.planner import PlanInputError, TripRequest
from ivi.planner.depart import best_departure, departures
from ivi.planner.occupancy import Occupancy
from tests.planner.conftest import station
from tests.planner.occupancy_history import Crafted, crafted_model

SHANGHAI = timezone(timedelta(hours=8))
FRIDAY = datetime(2026, 11, 6, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return crafted_model([Crafted("S001", busy_hours=(9, 10)), Crafted("S002")])


def at(h: int, m: int = 0) -> datetime:
    return FRIDAY + timedelta(hours=h, minutes=m)


def test_a_later_departure_that_finds_the_stop_free_is_advised(small_car, model) -> None:  # type: ignore[no-untyped-def]
    # One station, on the way after about an hour: full from 09:00 to 11:00 every day.
    req = TripRequest(220.0, small_car, 80.0, (station(1, 100.0, age_min=None),), occupancy=Occupancy(model, at(7, 30)))
    advice = best_departure(req, at(8), at(11), step_min=20)
    assert [o.depart_at for o in advice.options] == [at(8) + timedelta(minutes=20 * k) for k in range(10)]
    assert advice.best.depart_at == at(11)  # arrives after 12:00, when the morning rush is over
    assert advice.first.wait_min > 30 and advice.best.wait_min < 1
    assert advice.saves_min > 30
    assert advice.text() == "leave at 11:00: stop 1 is usually free then"
    assert advice.text("zh") == "建议11:00出发：届时第1站通常有空位"
    j = advice.to_json()
    assert j["depart_at"].startswith("2026-11-06T11:00") and len(j["options"]) == 10
    assert j["plan"]["stops"][0]["occupancy"]["usually"] == "free"


def test_a_later_departure_that_charges_off_peak_is_advised(small_car) -> None:  # type: ignore[no-untyped-def]
    peak = Tariff(
        "T", "NIO", "CNY", (TariffWindow("08:00", "12:00", 1.5, 0.8), TariffWindow("12:00", "08:00", 0.5, 0.5))
    )
    cand = station(1, 100.0, age_min=None)._replace(tariff=peak)
    req = TripRequest(220.0, small_car, 80.0, (cand,))  # no occupancy model: tariffs alone
    advice = best_departure(req, at(10), at(12), step_min=30)
    assert advice.best.depart_at == at(11)  # the stop at ~12:05 is off-peak; the earlier ones are not
    assert advice.best.plan.cost_cny < advice.first.plan.cost_cny / 1.5
    assert advice.text() == "leave at 11:00: off-peak prices apply"
    assert advice.text("zh") == "建议11:00出发：适用低谷电价"


def test_when_leaving_first_is_best_the_advice_says_so(small_car, model) -> None:  # type: ignore[no-untyped-def]
    req = TripRequest(220.0, small_car, 80.0, (station(2, 100.0, age_min=None),), occupancy=Occupancy(model, at(13)))
    advice = best_departure(req, at(13), at(14), step_min=30)
    assert advice.best is advice.first and advice.feasible
    assert advice.text() == "leave at 13:00: no later departure in the window is faster or cheaper"


def test_no_departure_reaches_the_destination(small_car) -> None:  # type: ignore[no-untyped-def]
    advice = best_departure(TripRequest(900.0, small_car, 80.0, ()), at(7), at(8), step_min=30)
    assert not advice.feasible and advice.to_json()["feasible"] is False
    assert "no departure in the window reaches the destination" in advice.text()


@pytest.mark.parametrize(
    ("start", "end", "step", "match"),
    [
        (at(10), at(9), 15.0, "ends .* before it starts"),
        (at(10), at(10), 15.0, "ends .* before it starts"),
        (at(0), at(0) + timedelta(hours=25), 15.0, "longer than 24 h"),
        (at(7), at(10), 0.5, "too small"),
        (at(0), at(23), 5.0, "use a step of at least"),
        (at(7).replace(tzinfo=None), at(10).replace(tzinfo=None), 15.0, "timezone-aware"),
    ],
)
def test_bad_windows_are_refused_with_a_reason(start, end, step, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanInputError, match=match):
        departures(start, end, step)


def test_the_advice_reads_china_time_whatever_zone_the_window_is_given_in(small_car, model) -> None:  # type: ignore[no-untyped-def]
    req = TripRequest(220.0, small_car, 80.0, (station(1, 100.0, age_min=None),), occupancy=Occupancy(model, at(7, 30)))
    utc = UTC
    advice = best_departure(req, at(8).astimezone(utc), at(11).astimezone(utc), step_min=20)
    assert advice.best.depart_at == at(11) and advice.text() == "leave at 11:00: stop 1 is usually free then"
