"""Plans a driver can trust, on real trips over the bundled partner data (the scale-1 cache):
low battery, margins under +15 % consumption, no trivial stops, the right side of the road, the
ferry to Hainan, the climb to Lhasa, money on the station's clock, clear infeasible answers, and
suggestions that look ahead."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from chargers.store import Filters
from geo.geometry import cumulative_km
from geo.routes import route_between
from ivi.planner import Road, SuggestRequest, TripRequest, overview, plan_trip, replan, suggest
from ivi.planner.problem import build_problem
from ivi.planner.sources import nearby_candidates, route_candidates, serves_the_route
from ivi.planner.vehicle import table_at
from tests.planner.conftest import NOW

CST = timezone(timedelta(hours=8))
DEPART = datetime(2026, 12, 1, 7, 30, tzinfo=CST)  # a Tuesday
TRIPS = (("Beijing", "Shanghai"), ("Shanghai", "Beijing"), ("Beijing", "Guangzhou"), ("Chengdu", "Lhasa"))


@pytest.fixture(scope="module")
def trips(store):  # type: ignore[no-untyped-def]
    out = {}
    for a, b in {*TRIPS, ("Shanghai", "Hangzhou"), ("Shijiazhuang", "Tianjin"), ("Guangzhou", "Haikou"),
                 ("Panzhihua", "Lhasa")}:  # fmt: skip
        route = route_between(a, b)
        out[(a, b)] = (route, route_candidates(store, route.points, NOW))
    return out


def request(trips, a: str, b: str, vehicle, soc: float, **kw) -> TripRequest:  # type: ignore[no-untyped-def]
    route, cands = trips[(a, b)]
    return TripRequest(route.distance_km, vehicle, soc, cands, road=Road.from_route(route), depart_at=DEPART, **kw)


# ------------------------------------------------------------------ low battery


def test_shanghai_to_hangzhou_at_8_percent_plans_a_first_stop_on_the_low_battery_floor(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(request(trips, "Shanghai", "Hangzhou", su7_max, 8.0))
    assert plan.feasible and plan.low_battery and plan.stops
    first = plan.stops[0]
    assert first.first_stop_floor and 3.0 - 1e-9 <= first.arrival_soc < 10.0
    assert first.along_km < 40 and first.power_kw >= 120  # a fast charger close by, not none
    assert plan.arrival_soc >= 10.0 - 1e-9 and all(s.arrival_soc >= 10 - 1e-9 for s in plan.stops[1:])
    assert plan.to_empty_km is not None and 20 < plan.to_empty_km < 60  # shown, not 0 km


def test_suggestions_at_8_percent_list_the_reachable_chargers_nearest_first(store, trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    here = (31.23, 121.47)  # central Shanghai
    req = SuggestRequest(su7_max, 8.0, nearby_candidates(store, here, NOW, n=60))
    hits = suggest(req)
    assert hits and all(h.low_battery for h in hits)
    assert [h.along_km for h in hits] == sorted(h.along_km for h in hits)
    assert all(h.arrival_soc >= 3.0 - 1e-9 for h in hits)
    view = overview(req, hits)
    assert view.low_battery and view.to_empty_km > 20 and view.nearest_fast_km is not None
    assert view.nearest_fast_km < 10 and "low battery: about" in view.message and "nearest fast charger" in view.message


def test_replanning_at_9_percent_keeps_a_stop(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    req = request(trips, "Beijing", "Shanghai", su7_max, 60.0)
    old = plan_trip(req)
    at = old.stops[0].along_km - 10  # 10 km before the first stop, with much less charge than planned
    new, notes = replan(old, replace(req, position_km=at, soc_percent=9.0))
    assert new.feasible and new.stops and new.stops[0].along_km >= at
    assert new.low_battery and any("lower than planned" in n for n in notes)


# ------------------------------------------------------------------ margins


@pytest.mark.parametrize(("a", "b"), TRIPS)
@pytest.mark.parametrize("soc", [90.0, 50.0, 20.0])
def test_every_arrival_stays_above_the_reserve_with_15_percent_more_consumption(trips, su7_max, a, b, soc) -> None:  # type: ignore[no-untyped-def]
    """Drive each plan again at the expected consumption + 15 % (climbs, detours included): no
    stop and no destination is reached below the reserve, so none near 0 %; at the expected
    consumption each arrival keeps a visible margin."""
    req = request(trips, a, b, su7_max, soc)
    plan = plan_trip(req)
    assert plan.feasible, plan.message
    prof = build_problem(req).profile
    soc_road, at = soc, 0.0
    for s in plan.stops:
        x = s.along_km
        drive = prof.expected_at(x) - prof.expected_at(at)
        detour = (s.detour_km / 2) * 0.2 / su7_max.kwh_per_percent  # ≤ 0.2 kWh/km off the road
        pessimistic = soc_road - 1.15 * (drive + detour) if drive > 0 else soc_road - drive
        assert pessimistic >= 10.0 - 0.5, (s.name, pessimistic)
        assert s.expected_arrival_soc is not None and s.expected_arrival_soc >= s.arrival_soc - 1e-9
        assert s.margin_percent is not None and s.margin_percent >= 0
        soc_road, at = s.departure_soc - detour, x
    last = soc_road - 1.15 * (prof.expected_at(prof.length_km) - prof.expected_at(at))
    assert last >= 10.0 - 0.5 and plan.expected_arrival_soc >= plan.arrival_soc


def test_a_plan_from_the_old_model_ran_dry_the_new_one_does_not(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: with no margin and consumption at the average speed, the Beijing →
    Shanghai plan arrives at exactly the reserve; 15 % more consumption then empties the battery
    on the way. The shipped model keeps the reserve."""
    req = request(trips, "Beijing", "Shanghai", su7_max, 50.0)
    naive = plan_trip(
        replace(req, consumption_margin_percent=0.0, settings=replace(req.settings, expressway_cruise_kmh=100.0))
    )
    legs = [s.arrival_soc for s in naive.stops]
    assert min(legs) == pytest.approx(10.0, abs=1.0)  # exactly the reserve, no margin
    shipped = plan_trip(req)
    assert all((s.margin_percent or 0) > 2.0 for s in shipped.stops)  # visible margin at every stop


# ------------------------------------------------------------------ no trivial stops


@pytest.mark.parametrize(
    ("a", "b"),
    [("Beijing", "Shanghai"), ("Shanghai", "Hangzhou"), ("Shijiazhuang", "Tianjin"), ("Guangzhou", "Haikou")],
)
def test_no_stop_charges_for_less_than_the_minimum_across_starting_charges(trips, su7_max, a, b) -> None:  # type: ignore[no-untyped-def]
    for soc in (95.0, 90.0, 75.0, 60.0, 45.0, 30.0, 20.0, 12.0):
        plan = plan_trip(request(trips, a, b, su7_max, soc))
        assert plan.feasible, (a, b, soc, plan.message)
        kms = [s.along_km for s in plan.stops]
        assert kms == sorted(kms) and len(set(kms)) == len(kms), (a, b, soc)  # never two stops at one km
        for i, s in enumerate(plan.stops):
            assert s.charge_min >= 3.0 - 1e-9, (a, b, soc, s)
            assert s.departure_soc - s.arrival_soc >= 3.0 or i == len(plan.stops) - 1, (a, b, soc, s)


def test_shijiazhuang_to_tianjin_at_90_percent_has_no_zero_minute_stop(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(request(trips, "Shijiazhuang", "Tianjin", su7_max, 90.0))
    assert plan.feasible and all(s.departure_soc > s.arrival_soc + 1 and s.charge_min >= 3 for s in plan.stops)


# ------------------------------------------------------------------ the right side of the road


@pytest.mark.parametrize(("a", "b"), [("Beijing", "Shanghai"), ("Shanghai", "Beijing")])
def test_no_stop_or_suggestion_on_the_opposite_carriageway(store, trips, su7_max, a, b) -> None:  # type: ignore[no-untyped-def]
    route, cands = trips[(a, b)]
    cum = cumulative_km(route.points)
    bearings = {
        r[0]: r[-1] for r in store.station_rows([c.location_id for c in cands], ("id", "carriageway_bearing_deg"))
    }
    assert any(v is not None for v in bearings.values())  # the route does pass service areas
    for soc in (90.0, 40.0):
        plan = plan_trip(request(trips, a, b, su7_max, soc))
        hits = suggest(SuggestRequest(su7_max, soc, cands, route_km=route.distance_km, limit=40))
        for sid, along in [(s.location_id, s.along_km) for s in plan.stops] + [
            (h.location_id, h.along_route_km) for h in hits
        ]:
            assert serves_the_route(route.points, cum, along, bearings[sid]), (a, b, sid)
    # Every service area has its twin across the barrier: about half of the one-way stations in
    # the corridor are left out, the ones serving the other direction.
    raw = store.along_route_rows(route.points, 5.0, Filters(), ("id", "carriageway_bearing_deg"))
    one_way = {r[0] for r in raw if r[1] is not None}
    kept = one_way & {c.location_id for c in cands}
    assert 0.35 < len(kept) / len(one_way) < 0.65


# ------------------------------------------------------------------ real geography


def test_guangzhou_to_haikou_takes_the_ferry_and_never_charges_at_sea(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    plan = plan_trip(request(trips, "Guangzhou", "Haikou", su7_max, 80.0))
    assert plan.feasible and len(plan.ferries) == 1
    ferry = plan.ferries[0]
    assert ferry.name == "Qiongzhou Strait ferry" and ferry.crossing_min == 150
    assert all(not ferry.from_km < s.along_km < ferry.to_km for s in plan.stops)
    # The crossing's time is in the total; its km use no energy.
    no_ferry = plan_trip(replace(request(trips, "Guangzhou", "Haikou", su7_max, 80.0), road=Road()))
    assert plan.total_min > no_ferry.total_min + 100
    assert plan.to_json()["ferries"][0]["board_at"].count(":") == 1


def test_chengdu_to_lhasa_climbs_and_the_climb_costs_energy(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    req = request(trips, "Chengdu", "Lhasa", su7_max, 90.0)
    flat = replace(req, road=Road(req.road.legs))  # the same roads without altitudes
    climbing, level = build_problem(req).profile, build_problem(flat).profile
    # Lhasa is 3,150 m above Chengdu, over passes of 4,300–5,000 m: the climb costs net energy.
    assert climbing.expected_pct[-1] > level.expected_pct[-1] + 5
    # Uphill legs cost more than the same legs level, downhill legs less (regeneration).
    kms = trips[("Chengdu", "Lhasa")][0].cum_km
    diff = [
        (climbing.expected_at(k1) - climbing.expected_at(k0)) - (level.expected_at(k1) - level.expected_at(k0))
        for k0, k1 in itertools.pairwise(kms)
    ]
    assert max(diff) > 2.0 and min(diff) < -2.0
    plan = plan_trip(req)
    assert plan.feasible and len(plan.stops) >= 4 and plan.road_km > 2000


def test_panzhihua_to_lhasa_follows_the_roads(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    route, _ = trips[("Panzhihua", "Lhasa")]
    assert "G318" in route.corridors and route.road_km > 2000
    plan = plan_trip(request(trips, "Panzhihua", "Lhasa", su7_max, 90.0))
    assert plan.feasible and plan.total_min > 30 * 60  # days of mountain road, not a 1,100 km straight line


def test_a_pinned_station_far_off_the_route_is_reached_at_road_speed(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    """30 km off the route is not a town street: beyond the first 5 km the detour runs at the
    road's speed and consumption, not at 40 km/h."""
    _route, cands = trips[("Beijing", "Shanghai")]
    moved = cands[len(cands) // 2]._replace(location_id="FAR", off_route_km=30.0)
    req = replace(request(trips, "Beijing", "Shanghai", su7_max, 90.0, pinned_ids=("FAR",)), candidates=(*cands, moved))
    node = next(n for n in build_problem(req).nodes if n.candidate.location_id == "FAR")
    s = req.settings
    one_way = 30.0 * s.detour_road_factor
    expected = s.detour_near_km / s.detour_kmh * 60 + (one_way - s.detour_near_km) / s.road_average_kmh * 60
    assert node.entry_min == pytest.approx(expected) and expected < one_way / s.detour_kmh * 60 * 0.8
    plan = plan_trip(req)
    assert "FAR" in [x.location_id for x in plan.stops] and plan.feasible


# ------------------------------------------------------------------ money on the station's clock


def test_cheapest_is_exactly_the_cheapest_under_the_reported_cost(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    for (a, b), soc in itertools.product(TRIPS[:3], (90.0, 50.0, 20.0)):
        plan = plan_trip(request(trips, a, b, su7_max, soc), alternatives=True)
        cheapest = plan.alternatives["cheapest"]
        for other in (plan, plan.alternatives["fewest_stops"]):
            assert cheapest.cost_cny <= other.cost_cny + 1e-6, (a, b, soc, cheapest.cost_cny, other.cost_cny)
        for p in (plan, cheapest):  # the reported cost is the energy × the price the plan shows
            total = sum(
                (s.departure_soc - s.arrival_soc)
                * su7_max.kwh_per_percent
                / su7_max.charge_efficiency
                * s.price_cny_per_kwh
                for s in p.stops
            )
            assert p.cost_cny == pytest.approx(total)


def test_tariffs_are_read_on_the_station_clock_whatever_zone_the_departure_is_written_in(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    req = request(trips, "Beijing", "Shanghai", su7_max, 50.0)
    same_instant = replace(req, depart_at=DEPART.astimezone(UTC))
    a, b = plan_trip(req), plan_trip(same_instant)
    assert a.cost_cny == b.cost_cny and [s.location_id for s in a.stops] == [s.location_id for s in b.stops]
    # Eight hours later is another tariff window: a different price somewhere.
    later = plan_trip(replace(req, depart_at=DEPART + timedelta(hours=8)))
    assert later.cost_cny != a.cost_cny
    # A station keeping another zone's clock is priced on that clock.
    c = req.candidates[0]
    urumqi = c._replace(time_zone="Asia/Urumqi")
    when = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 10:30 in Beijing, 08:30 in Ürümqi
    assert c.price_at(when) == c.price_cny_per_kwh("10:30", 2)
    assert urumqi.price_at(when) == c.price_cny_per_kwh("08:30", 2)


# ------------------------------------------------------------------ infeasible


def test_an_unreachable_destination_is_answered_as_such(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    route, cands = trips[("Beijing", "Guangzhou")]
    gap = [c for c in cands if not 700 < c.along_km < 1300]  # no charger for 600 km
    req = replace(request(trips, "Beijing", "Guangzhou", su7_max, 80.0), candidates=tuple(gap))
    plan = plan_trip(req, alternatives=True)
    assert not plan.feasible and plan.alternatives == {}  # one answer, not three
    assert plan.runs_out_km is not None and 700 < plan.runs_out_km < 1300
    assert plan.nearest_charger is not None and plan.nearest_charger.distance_km > 0
    assert "runs out at km" in plan.message and plan.nearest_charger.location_id in plan.message
    assert plan.arrival_soc <= plan.start_soc + 100 and plan.arrival_soc >= 10.0 - 1e-6  # where it stops: the reserve
    kms = [s.along_km for s in plan.stops]
    assert len(set(kms)) == len(kms) and plan.reach_km < route.distance_km
    assert plan.to_json()["feasible"] is False


# ------------------------------------------------------------------ suggestions that look ahead


def test_at_80_percent_suggestions_say_no_stop_is_needed_yet_and_skip_trivial_top_ups(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    route, cands = trips[("Beijing", "Shanghai")]
    req = SuggestRequest(su7_max, 80.0, cands, route_km=route.distance_km, road=Road.from_route(route), limit=5)
    hits = suggest(req)
    view = overview(req, hits)
    assert view.no_stop_needed_before_km is not None and view.no_stop_needed_before_km > 250
    assert "no stop needed before km" in view.message
    top = hits[0]
    assert top.gain_km > 100  # worth the stop: not a 5-minute top-up 5 km ahead


def test_the_plans_next_stop_comes_first(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    route, cands = trips[("Beijing", "Shanghai")]
    plan = plan_trip(request(trips, "Beijing", "Shanghai", su7_max, 40.0))
    ids = tuple(s.location_id for s in plan.stops)
    req = SuggestRequest(su7_max, 40.0, cands, route_km=route.distance_km, plan_stop_ids=ids, limit=8)
    hits = suggest(req)
    assert hits[0].location_id == ids[0] and hits[0].planned and not any(h.planned for h in hits[1:])


def test_ac_destination_chargers_only_when_asked_or_when_nothing_else_is_reachable(store, su7_max) -> None:  # type: ignore[no-untyped-def]
    here = (31.23, 121.47)
    cands = nearby_candidates(store, here, NOW, n=150)
    assert any(not c.is_dc for c in cands)  # NIO's 7 kW destination chargers are around
    base = SuggestRequest(su7_max, 15.0, cands, limit=150)
    assert all(h.power_kw >= 50 for h in suggest(base))
    assert any(h.power_kw < 50 for h in suggest(replace(base, include_ac=True)))
    only_ac = replace(base, candidates=tuple(c for c in cands if not c.is_dc))
    assert suggest(only_ac) and all(h.power_kw < 50 for h in suggest(only_ac))


def test_a_session_shown_in_a_plan_is_what_the_charging_curve_gives(trips, su7_max) -> None:  # type: ignore[no-untyped-def]
    req = request(trips, "Beijing", "Guangzhou", su7_max, 50.0)
    plan = plan_trip(req)
    problem = build_problem(req)
    tables = {n.candidate.location_id: n.charge_table_min for n in problem.nodes}
    for s in plan.stops:
        t = tables[s.location_id]
        assert s.charge_min == pytest.approx(max(3.0, table_at(t, s.departure_soc) - table_at(t, s.arrival_soc)))
