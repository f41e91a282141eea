"""Predicted occupancy and reliability in plans and suggestions: the wait at the predicted
arrival replaces the flat busy wait, an unreliable station costs its fallback, live status
overrides the prediction near the car and fades, new stations borrow their peers', and without a
model nothing changes. Models are learned by the real learner from OCPI histories
(tests/planner/occupancy_history.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from chargers.occupancy import LiveStatus, Place
from ivi.planner import PlannerSettings, SuggestRequest, TripRequest, plan_trip, suggest
from ivi.planner.occupancy import Occupancy, fallback_minutes, peers_of
from ivi.planner.problem import build_problem
from ivi.planner.trip import describe
from tests.planner.conftest import station
from tests.planner.occupancy_history import Crafted, crafted_model

SHANGHAI = timezone(timedelta(hours=8))
FRIDAY_8 = datetime(2026, 11, 6, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return crafted_model(
        [
            Crafted("S001", busy_hours=(9, 10, 11)),  # full every morning
            Crafted("S002"),  # never full
            Crafted("S003", down_every=2),  # out of order half of every other day
            Crafted("S004", broken=2, evses=6),  # two of six chargers always out of order
        ]
    )


def pair(busy_id: int = 1, other_id: int = 2) -> tuple:
    """Two stations at km 100 of a 220 km trip: the first 1 km nearer the road (cheaper)."""
    return (
        station(busy_id, 100.0, off_km=0.5, age_min=None),
        station(other_id, 100.0, off_km=1.5, age_min=None),
    )


def trip(small_car, cands, **kw) -> TripRequest:  # type: ignore[no-untyped-def]
    return TripRequest(220.0, small_car, 80.0, cands, depart_at=kw.pop("depart_at", FRIDAY_8), **kw)


def test_without_a_model_plans_are_as_before(small_car) -> None:  # type: ignore[no-untyped-def]
    busy_fresh = station(1, 100.0, off_km=0.5, available=0, age_min=5.0)
    plan = plan_trip(trip(small_car, (busy_fresh,)))
    assert plan.stops[0].wait_min == PlannerSettings().busy_wait_min
    assert plan.stops[0].outlook is None and plan.to_json()["stops"][0]["occupancy"] is None
    stale = plan_trip(trip(small_car, (busy_fresh._replace(status_age_min=90.0),)))
    assert stale.stops[0].wait_min == 0.0
    assert plan.total_min == pytest.approx(stale.total_min + PlannerSettings().busy_wait_min)


def test_a_station_usually_full_at_arrival_ranks_lower_and_the_plan_says_why(small_car, model) -> None:  # type: ignore[no-untyped-def]
    req = trip(small_car, pair())
    assert [s.location_id for s in plan_trip(req).stops] == ["S001"]  # no model: the nearer one
    plan = plan_trip(replace(req, occupancy=Occupancy(model, FRIDAY_8)))
    (stop,) = plan.stops
    assert stop.location_id == "S002"  # S001 is full 09:00-12:00 and the car arrives at ~09:05
    look = stop.outlook
    assert look is not None and look.usually == "free" and look.basis == "history"
    assert look.arrival.astimezone(SHANGHAI).hour == 9
    assert [(i, r.en, r.zh) for i, _, r in look.instead_of] == [
        ("S001", "usually full at 09:00 on Fridays", "周五 09:00通常满")
    ]
    assert "instead of Station 1: usually full at 09:00 on Fridays" in "\n".join(describe(plan))
    j = plan.to_json()["stops"][0]["occupancy"]
    assert j["usually"] == "free" and j["instead_of"][0]["location_id"] == "S001"
    assert {"en", "zh"} <= set(j["reasons"][0])


def test_the_same_station_is_chosen_when_it_is_free_at_arrival(small_car, model) -> None:  # type: ignore[no-untyped-def]
    afternoon = FRIDAY_8.replace(hour=13)
    plan = plan_trip(trip(small_car, pair(), depart_at=afternoon, occupancy=Occupancy(model, afternoon)))
    (stop,) = plan.stops
    assert stop.location_id == "S001" and stop.outlook is not None
    assert stop.outlook.usually == "free" and stop.outlook.reasons[0].en == "usually free at 14:00 on Fridays"
    assert stop.wait_min < 1.0


def test_the_expected_wait_is_in_the_stop_and_in_the_total(small_car, model) -> None:  # type: ignore[no-untyped-def]
    only_busy = (station(1, 100.0, off_km=0.5, age_min=None),)
    without = plan_trip(trip(small_car, only_busy))
    plan = plan_trip(trip(small_car, only_busy, occupancy=Occupancy(model, FRIDAY_8)))
    look = plan.stops[0].outlook
    assert look is not None and look.usually == "full" and look.expected_wait_min > 30
    assert plan.stops[0].wait_min == look.expected_wait_min
    assert plan.total_min == pytest.approx(without.total_min + look.cost_min, abs=0.01)
    assert any(r.key == "wait" for r in look.reasons)


def test_an_unreliable_station_costs_its_failure_times_the_fallback(small_car, model) -> None:  # type: ignore[no-untyped-def]
    cands = (station(3, 100.0, off_km=0.5, age_min=None), station(2, 100.0, off_km=0.8, age_min=None))
    req = trip(
        small_car, cands, occupancy=Occupancy(model, FRIDAY_8.replace(hour=4)), depart_at=FRIDAY_8.replace(hour=4)
    )
    nodes = {n.candidate.location_id: n for n in build_problem(req).nodes}
    s3, s2 = nodes["S003"].outlook, nodes["S002"].outlook
    assert s3 is not None and s2 is not None
    assert s3.p_fail > 0.1 and s2.p_fail < 0.02
    # Its fallback: S002's detour (both ways), stop overhead and expected wait.
    fallback = nodes["S002"].entry_min * 2 + PlannerSettings().stop_overhead_min + s2.expected_wait_min
    assert s3.fallback_min == pytest.approx(fallback)
    assert nodes["S003"].fixed_min == pytest.approx(5.0 + s3.expected_wait_min + s3.p_fail * fallback)
    assert "often entirely out of service" in [r.en for r in s3.reasons]
    assert "经常整站无法使用" in [r.zh for r in s3.reasons]
    (stop,) = plan_trip(req).stops
    assert stop.location_id == "S002"
    assert stop.outlook is not None and stop.outlook.instead_of[0][2].key == "reliability"


def test_a_lone_unreliable_station_with_no_fallback_costs_the_stranded_time(model) -> None:  # type: ignore[no-untyped-def]
    rows = [(0.0, 0.0, 2.0, 0.0), (30.0, 20.0, 2.0, 5.0)]
    assert fallback_minutes(rows, 10.0, 5.0, 120.0) == [120.0, 120.0]  # 20 % apart: beyond the reserve
    assert fallback_minutes(rows, 25.0, 5.0, 120.0) == [12.0, 2 * 30.0 + 2.0 + 5.0]  # ahead; else back


def test_reliability_marks_count_chargers_often_out_of_order(small_car, model) -> None:  # type: ignore[no-untyped-def]
    req = trip(small_car, (station(4, 100.0, evses=6, age_min=None),), occupancy=Occupancy(model, FRIDAY_8))
    look = plan_trip(req).stops[0].outlook
    assert look is not None and (look.often_down, look.evse_count) == (2, 6) and look.unreliable
    assert "2 of 6 chargers often out of order" in [r.en for r in look.reasons]
    assert "6个充电桩中有2个经常故障" in [r.zh for r in look.reasons]


def test_a_new_station_borrows_its_peers_and_says_so(small_car, model) -> None:  # type: ignore[no-untyped-def]
    new = station(9, 100.0, age_min=None)._replace(name="新开服务区", name_en="New Service Area")
    assert peers_of(new).place is Place.HIGHWAY and peers_of(new).evse_count == 4
    plan = plan_trip(trip(small_car, (new,), occupancy=Occupancy(model, FRIDAY_8)))
    look = plan.stops[0].outlook
    assert look is not None and look.basis == "peers" and look.no_history
    history = [r for r in look.reasons if r.key == "history"]
    assert [(r.en, r.zh) for r in history] == [
        ("no history yet: the average NIO service-area station", "暂无历史数据：按蔚来服务区站平均估计")
    ]


def test_a_fresh_live_status_overrides_the_prediction_near_the_car_and_fades_far_away(small_car, model) -> None:  # type: ignore[no-untyped-def]
    # S002 is usually free; the cache says it is full right now.
    other = station(5, 10.0, off_km=1.5, age_min=None)._replace(name="服务区")  # new: its peers' numbers
    full_now = (station(2, 10.0, off_km=0.5, available=0, age_min=0.0), other)
    model = replace(model, half_life_min=(30.0, 30.0, 30.0))  # as learned on the realistic history
    occ = Occupancy(model, FRIDAY_8)
    low = replace(trip(small_car, full_now, occupancy=occ), soc_percent=18.0, route_km=150.0)
    near = {n.candidate.location_id: n.outlook for n in build_problem(low).nodes}
    assert near["S002"] is not None and near["S002"].basis in ("live", "live+history")
    assert near["S002"].p_full > 0.5
    assert "all 4 working chargers taken now" in [r.en for r in near["S002"].reasons]
    assert plan_trip(low).stops[0].location_id == "S005"  # the full one is passed over
    # The same status, read 3 hours before the car gets there, has faded into the history.
    later = replace(low, depart_at=FRIDAY_8 + timedelta(hours=3))
    far = {n.candidate.location_id: n.outlook for n in build_problem(later).nodes}
    assert far["S002"] is not None and far["S002"].p_full < 0.05
    assert [r.key for r in far["S002"].reasons] == ["occupancy"]  # "taken now" no longer matters
    # An EVSE-level live status tells a station that is down from one that is full.
    down = Occupancy(model, FRIDAY_8, {"S002": LiveStatus(0, 0, 4, FRIDAY_8)})
    look = {n.candidate.location_id: n.outlook for n in build_problem(replace(low, occupancy=down)).nodes}["S002"]
    assert look is not None and look.p_fail > 0.9 and "out of service now" in [r.en for r in look.reasons]


def test_suggestions_rank_busy_stations_lower_and_carry_the_outlook(small_car, model) -> None:  # type: ignore[no-untyped-def]
    cands = pair()
    req = SuggestRequest(small_car, 95.0, cands, route_km=220.0)
    assert suggest(req)[0].location_id == "S001"
    ranked = suggest(replace(req, occupancy=Occupancy(model, FRIDAY_8)))
    assert [s.location_id for s in ranked] == ["S002", "S001"]
    busy = ranked[1]
    assert busy.outlook is not None and busy.outlook.usually == "full"
    assert busy.time_cost_min > ranked[0].time_cost_min
    assert busy.to_json()["occupancy"]["reasons"][0]["en"] == "usually full at 09:00 on Fridays"
