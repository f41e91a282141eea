"""Trip plans on the real scale-1 cache and on hand-made lines: feasibility, the driver's
choices, the unreachable case, stale state of charge, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.routes import route_between
from ivi.planner import PlanInputError, PlannerSettings, Road, TripRequest, plan_trip
from ivi.planner.sources import route_candidates
from tests.planner.conftest import NOW, station


@pytest.fixture(scope="module")
def bj_gz(store):  # type: ignore[no-untyped-def]
    route = route_between("Beijing", "Guangzhou")
    return route, route_candidates(store, route.points, NOW)


def assert_feasible(plan, req: TripRequest) -> None:  # type: ignore[no-untyped-def]
    assert plan.feasible, plan.message
    last_km, soc = req.position_km, req.soc_percent
    for s in plan.stops:
        assert s.arrival_soc >= req.reserve_percent - 1e-6
        assert s.arrival_soc <= soc + 1e-6  # energy is used, never created, on the way
        assert s.arrival_soc - 1e-6 <= s.departure_soc <= 100
        assert s.along_km >= last_km
        last_km, soc = s.along_km, s.departure_soc
    assert plan.arrival_soc >= req.arrive_target_percent - 1e-6
    assert plan.total_min == pytest.approx(plan.drive_min + plan.charge_min + plan.stop_overhead_min)


@pytest.mark.parametrize("soc", [95.0, 50.0, 15.0])
def test_every_plan_beijing_guangzhou_is_feasible(bj_gz, su7_max, soc) -> None:  # type: ignore[no-untyped-def]
    route, cands = bj_gz
    req = TripRequest(route.distance_km, su7_max, soc, cands, arrive_soc_percent=20.0, road=Road.from_route(route))
    plan = plan_trip(req, alternatives=True)
    assert_feasible(plan, req)
    assert 3 <= len(plan.stops) <= 10
    assert plan.drive_km >= route.distance_km
    for name, alt in plan.alternatives.items():
        assert_feasible(alt, req)
        assert alt.total_min >= plan.total_min - 1e-6, name  # the main plan is the fastest
    assert len(plan.alternatives["fewest_stops"].stops) <= len(plan.stops)
    assert plan.alternatives["cheapest"].cost_cny <= plan.cost_cny + 1e-6


def test_charging_completion_times_follow_the_clock(bj_gz, su7_max) -> None:  # type: ignore[no-untyped-def]
    route, cands = bj_gz
    plan = plan_trip(TripRequest(route.distance_km, su7_max, 80.0, cands, depart_min_of_day=7 * 60))
    prev = 7 * 60
    for s in plan.stops:
        assert prev < s.arrive_min_of_day <= s.charged_min_of_day
        assert s.charged_min_of_day - s.arrive_min_of_day == pytest.approx(s.charge_min + s.wait_min + 5.0)
        assert s.charge_min >= 3.0 - 1e-9  # never a session shorter than the minimum
        prev = s.charged_min_of_day
    assert plan.to_json()["stops"][0]["charged_at"].count(":") == 1


def test_unreachable_destination_returns_the_best_partial_plan(small_car) -> None:  # type: ignore[no-untyped-def]
    cands = (station(1, 100.0), station(2, 180.0), station(3, 600.0))  # a 420 km gap after km 180
    req = TripRequest(800.0, small_car, 90.0, cands)
    plan = plan_trip(req)
    assert not plan.feasible
    assert "unreachable" in plan.message and "km 600" in plan.message
    assert [s.location_id for s in plan.stops][-1] == "S002"  # it gets as far as it can
    assert 180 < plan.reach_km < 600
    assert plan.stops[-1].departure_soc == 100


def test_soc_below_reserve_is_explained(small_car) -> None:  # type: ignore[no-untyped-def]
    """5 % with a charger 20 km on: not reachable even on the low-battery floor. The answer says
    the car is below the reserve, where it runs out and which charger is nearest."""
    plan = plan_trip(TripRequest(300.0, small_car, 5.0, (station(1, 20.0),), reserve_percent=10))
    assert not plan.feasible and "below the 10 % reserve" in plan.message
    assert plan.runs_out_km is not None and 5 < plan.runs_out_km < 20
    assert plan.nearest_charger is not None and plan.nearest_charger.location_id == "S001"
    assert f"runs out at km {plan.runs_out_km:.0f}" in plan.message


def test_below_the_reserve_the_first_stop_is_planned_on_the_low_battery_floor(small_car) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(TripRequest(300.0, small_car, 8.0, (station(1, 5.0), station(2, 150.0)), reserve_percent=10))
    assert plan.feasible and plan.low_battery and plan.stops[0].location_id == "S001"
    first = plan.stops[0]
    assert first.first_stop_floor and 3.0 - 1e-9 <= first.arrival_soc < 10.0
    assert all(s.arrival_soc >= 10.0 - 1e-9 for s in plan.stops[1:]) and plan.arrival_soc >= 10.0 - 1e-9
    assert any("low battery" in w for w in plan.warnings)


def test_pinned_station_is_used_and_the_rest_reoptimised(small_car) -> None:  # type: ignore[no-untyped-def]
    cands = tuple(station(i, km) for i, km in enumerate([60, 110, 150, 200, 260, 330, 400]))
    req = TripRequest(450.0, small_car, 80.0, cands)
    free = plan_trip(req)
    unused = next(c.location_id for c in cands if c.location_id not in {s.location_id for s in free.stops})
    pinned = plan_trip(replace(req, pinned_ids=(unused,)))
    assert unused in [s.location_id for s in pinned.stops]
    assert pinned.stops[[s.location_id for s in pinned.stops].index(unused)].reason == "you asked to charge here"
    assert pinned.total_min >= free.total_min
    avoided = plan_trip(replace(req, avoided_ids=frozenset(s.location_id for s in free.stops[:1])))
    assert free.stops[0].location_id not in [s.location_id for s in avoided.stops]


def test_a_pin_means_charging_there_even_when_no_charge_is_needed(small_car) -> None:  # type: ignore[no-untyped-def]
    # 100 km on a full battery needs no stop; the pinned stop still charges the minimum.
    req = TripRequest(100.0, small_car, 90.0, (station(1, 40.0),), pinned_ids=("S001",))
    stop = plan_trip(req).stops[0]
    assert stop.location_id == "S001"
    assert stop.departure_soc >= min(100.0, stop.arrival_soc + req.settings.pin_min_charge_percent) - 1e-6
    assert stop.charge_min > 0
    near_full = plan_trip(replace(req, soc_percent=100.0, candidates=(station(1, 5.0),))).stops[0]
    assert near_full.arrival_soc > 90.0 and near_full.departure_soc == 100.0  # less than the minimum fits: full


def test_no_trivial_top_up_when_one_longer_stop_is_as_fast(small_car) -> None:  # type: ignore[no-untyped-def]
    # Two identical chargers 10 km apart on a trip that needs one charge: one stop, not two.
    cands = (station(1, 120.0, 150.0), station(2, 130.0, 150.0))
    plan = plan_trip(TripRequest(250.0, small_car, 80.0, cands))
    assert plan.feasible and len(plan.stops) == 1
    assert plan.stops[0].charge_min > 3


def test_a_stop_that_needs_little_still_fills_the_minimum_session(small_car) -> None:  # type: ignore[no-untyped-def]
    """Needing a few % more is no reason for a 1-minute stop: the session is billed the minimum
    (3 min), and the plan says so; it charges what the rest of the trip can use."""
    req = TripRequest(120.0, small_car, 75.0, (station(1, 60.0, 150.0),), settings=PlannerSettings())
    plan = plan_trip(req)
    (stop,) = plan.stops
    assert stop.charge_min == pytest.approx(3.0) and "3-minute session at least" in stop.reason
    assert plan.arrival_soc == pytest.approx(10.0, abs=1.0)  # charged to what finishes the trip (1 % grid)
    assert plan.total_min == pytest.approx(plan.drive_min + plan.charge_min + plan.stop_overhead_min)


def test_busy_charger_costs_a_wait_only_when_its_status_is_fresh(small_car) -> None:  # type: ignore[no-untyped-def]
    busy_fresh = station(1, 120.0, available=0, age_min=2.0)
    busy_stale = station(1, 120.0, available=0, age_min=300.0)
    a = plan_trip(TripRequest(250.0, small_car, 80.0, (busy_fresh,)))
    b = plan_trip(TripRequest(250.0, small_car, 80.0, (busy_stale,)))
    assert a.stops[0].wait_min == 15.0 and b.stops[0].wait_min == 0.0


def test_stale_soc_is_flagged_not_silently_used(small_car) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(TripRequest(100.0, small_car, 80.0, (), soc_stale=True))
    assert plan.soc_stale and any("stale" in w for w in plan.warnings)
    assert plan.to_json()["soc_stale"] is True


def test_learned_consumption_corrects_the_model(small_car) -> None:  # type: ignore[no-untyped-def]
    # At 100 km/h the small car uses 7 + 9 = 16 kWh/100 km; no margin, to read the raw model.
    at_100 = PlannerSettings(expressway_cruise_kmh=100.0)
    base = plan_trip(TripRequest(100.0, small_car, 90.0, (), settings=at_100, consumption_margin_percent=0))
    hungry = plan_trip(
        TripRequest(100.0, small_car, 90.0, (), learned_kwh_per_km=0.24, settings=at_100, consumption_margin_percent=0)
    )
    assert base.arrival_soc == pytest.approx(90 - 100 * 0.16 / 0.4)
    assert hungry.arrival_soc == pytest.approx(90 - 100 * 0.24 / 0.4)
    # With the default 15 % margin the plan arrives lower, and expects the model's value.
    margin = plan_trip(TripRequest(100.0, small_car, 90.0, (), settings=at_100))
    assert margin.arrival_soc == pytest.approx(90 - 1.15 * 100 * 0.16 / 0.4)
    assert margin.expected_arrival_soc == pytest.approx(base.arrival_soc)


@pytest.mark.parametrize(
    "kw", [{"soc_percent": 120.0}, {"soc_percent": -1.0}, {"reserve_percent": 95.0}, {"pinned_ids": ("NOPE",)}]
)
def test_bad_requests_are_refused_with_a_reason(small_car, kw) -> None:  # type: ignore[no-untyped-def]
    req = TripRequest(100.0, small_car, 50.0, (station(1, 50.0),))
    with pytest.raises(PlanInputError):
        plan_trip(replace(req, **kw))


def test_slow_chargers_are_left_out_of_trip_plans(small_car) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(TripRequest(250.0, small_car, 80.0, (station(1, 120.0, 7.0),), settings=PlannerSettings()))
    assert not plan.feasible
