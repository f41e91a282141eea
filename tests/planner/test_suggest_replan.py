"""Suggestions (reachability, filters, stable ranking) and re-planning with explanations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.routes import route_between
from ivi.planner import SuggestRequest, TripRequest, drift_reason, plan_trip, reach_km, replan, suggest
from ivi.planner.sources import nearby_candidates, route_candidates
from tests.planner.conftest import NOW, station

LINE = (
    station(1, 20.0, 250.0, network="NIO", green=True),
    station(2, 40.0, 120.0, network="XPENG"),
    station(3, 40.0, 120.0, network="XPENG", off_km=0.5),
    station(4, 60.0, 480.0, network="LI_AUTO", available=0),
    station(5, 400.0, 480.0, network="NIO"),
)


def test_only_reachable_stations_ahead_ranked_by_time_per_range_added(small_car) -> None:  # type: ignore[no-untyped-def]
    hits = suggest(SuggestRequest(small_car, 50.0, LINE, route_km=500.0, position_km=10.0))
    ids = [h.location_id for h in hits]
    assert "S005" not in ids  # 390 km away with 40 % to spend
    assert all(h.arrival_soc >= 10 for h in hits)
    per_100 = [h.minutes_per_100km for h in hits]
    assert per_100 == sorted(per_100)  # type: ignore[type-var]
    assert ids.index("S002") < ids.index("S003")  # equal time: stable order by distance, then id


def test_filters(small_car) -> None:  # type: ignore[no-untyped-def]
    base = SuggestRequest(small_car, 90.0, LINE, route_km=500.0)
    assert {h.network for h in suggest(replace(base, networks=frozenset({"XPENG"})))} == {"XPENG"}
    assert all(h.power_kw >= 250 for h in suggest(replace(base, min_power_kw=250)))
    assert "S004" not in [h.location_id for h in suggest(replace(base, available_only=True))]
    assert [h.location_id for h in suggest(replace(base, green_only=True))] == ["S001"]


def test_suggestions_on_the_real_cache(store, su7_max) -> None:  # type: ignore[no-untyped-def]
    route = route_between("Beijing", "Shanghai")
    cands = route_candidates(store, route.points, NOW)
    hits = suggest(SuggestRequest(su7_max, 40.0, cands, route_km=route.distance_km, limit=10))
    assert len(hits) == 10 and all(h.charge_min > 0 and h.cost_cny > 0 for h in hits)
    around = suggest(SuggestRequest(su7_max, 40.0, nearby_candidates(store, (31.23, 121.47), NOW)))
    assert around and all(h.along_km < 30 for h in around)


@pytest.mark.parametrize("soc, position_km", [(40.0, 0.0), (75.0, 310.0), (9.0, 500.0)])
def test_suggestions_read_only_the_reachable_stretch_and_lose_nothing(store, su7_max, soc, position_km) -> None:  # type: ignore[no-untyped-def]
    route = route_between("Beijing", "Shanghai")
    everything = route_candidates(store, route.points, NOW)
    reach = reach_km(su7_max, soc)
    ahead = route_candidates(store, route.points, NOW, from_km=position_km, to_km=position_km + reach)
    assert all(position_km <= c.along_km <= position_km + reach for c in ahead)
    same = {c.location_id: c for c in everything if position_km <= c.along_km <= position_km + reach}
    assert {c.location_id for c in ahead} == set(same)
    assert all(abs(c.along_km - same[c.location_id].along_km) < 0.1 for c in ahead)
    req = SuggestRequest(su7_max, soc, everything, route_km=route.distance_km, position_km=position_km, limit=50)
    hits = suggest(req)
    full = [h.location_id for h in hits]
    assert full and [h.location_id for h in suggest(replace(req, candidates=ahead))] == full
    # 9 % is below the reserve: only what the low-battery floor reaches, nearest first.
    assert all(h.low_battery for h in hits) == (soc < 10)


def test_replan_when_a_planned_charger_goes_offline(small_car) -> None:  # type: ignore[no-untyped-def]
    cands = tuple(station(i, km) for i, km in enumerate([60, 110, 150, 200, 260, 330, 400]))
    req = TripRequest(450.0, small_car, 80.0, cands)
    old = plan_trip(req)
    assert len(old.stops) >= 2
    dead = old.stops[1].location_id
    assert drift_reason(old, 20.0, old.planned_soc_at(20.0), frozenset({dead})) is not None
    new, notes = replan(
        old, replace(req, position_km=20.0, soc_percent=old.planned_soc_at(20.0), offline_ids=frozenset({dead}))
    )
    assert new.feasible and dead not in [s.location_id for s in new.stops]
    assert any(n.startswith("stop 2 moved: charger offline") for n in notes), notes


def test_replan_when_consumption_is_higher_than_planned(small_car) -> None:  # type: ignore[no-untyped-def]
    cands = tuple(station(i, km) for i, km in enumerate([60, 110, 150, 200, 260, 330, 400]))
    req = TripRequest(450.0, small_car, 80.0, cands)
    old = plan_trip(req)
    planned = old.planned_soc_at(50.0)
    assert drift_reason(old, 50.0, planned) is None
    assert "below the planned" in (drift_reason(old, 50.0, planned - 10) or "")
    new, notes = replan(old, replace(req, position_km=50.0, soc_percent=planned - 10))
    assert new.feasible
    assert notes[0].startswith(f"state of charge is {planned - 10:.0f} %, 10 % lower than planned")
    assert len(notes) >= 2


def test_suggest_refuses_an_impossible_soc(small_car) -> None:  # type: ignore[no-untyped-def]
    from ivi.planner import PlanInputError

    with pytest.raises(PlanInputError):
        suggest(SuggestRequest(small_car, 101.0, LINE))


def test_a_drifting_learned_consumption_calls_for_a_replan_that_uses_it(small_car) -> None:  # type: ignore[no-untyped-def]
    cands = tuple(station(i, km) for i, km in enumerate([60, 110, 150, 200, 260, 330, 400]))
    req = TripRequest(450.0, small_car, 80.0, cands)
    old = plan_trip(req)
    assumed = old.kwh_per_km
    assert assumed is not None
    assert drift_reason(old, 50.0, old.planned_soc_at(50.0), learned_kwh_per_km=assumed * 1.03) is None
    why = drift_reason(old, 50.0, old.planned_soc_at(50.0), learned_kwh_per_km=assumed * 1.25)
    assert why is not None and "25 % above the planned" in why
    new, _ = replan(
        old, replace(req, position_km=50.0, soc_percent=old.planned_soc_at(50.0), learned_kwh_per_km=assumed * 1.25)
    )
    assert new.feasible and new.kwh_per_km == pytest.approx(assumed * 1.25)
    assert len(new.stops) >= len([s for s in old.stops if s.along_km >= 50.0])
