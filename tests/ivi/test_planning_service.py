"""The screen's planner adapter (``ivi.services.planning``) on real trips of the bundled data: what
the screen asks is planned on the road the route graph knows, ferries and climbs included."""

from __future__ import annotations

from pathlib import Path

from chargers.store import ChargerStore
from ivi.app import AppConfig, make_trip
from ivi.profiles import load_profile
from ivi.services.planning import PlannerService
from ivi.services.ports import Filters, SuggestionQuery


def _query(trip, soc: float, *, with_route: bool = True) -> SuggestionQuery:  # type: ignore[no-untyped-def]
    return SuggestionQuery(trip.points, 0.0, soc, Filters(), "09:00", route=trip.route if with_route else None)


def test_the_screen_plans_guangzhou_to_haikou_with_the_ferry(seeded_db: Path) -> None:
    trip = make_trip(AppConfig(origin="Guangzhou", destination="Haikou"))
    assert trip.route is not None and any(leg.kind == "ferry" for leg in trip.route.legs)
    with ChargerStore.open(seeded_db, seed=False) as store:
        service = PlannerService(store, load_profile("su7-max"), reserve_percent=10.0)
        plans = service.plan(_query(trip, 80.0), trip.distance_km)
        assert plans.chosen is not None and plans.chosen.feasible
        assert [f.name for f in plans.chosen.ferries] and "Qiongzhou" in plans.chosen.ferries[0].name
        flat = PlannerService(store, load_profile("su7-max"), reserve_percent=10.0)
        bare = flat.plan(_query(trip, 80.0, with_route=False), trip.distance_km)
        assert bare.chosen is not None and not bare.chosen.ferries  # a bare polyline knows no ferry


def test_the_screen_plans_the_climb_to_lhasa(seeded_db: Path) -> None:
    """Chengdu → Lhasa climbs to passes of over 4,000 m: the route graph's altitudes cost energy, so
    the plan with them needs more charging than the same polyline planned flat."""
    trip = make_trip(AppConfig(origin="Chengdu", destination="Lhasa"))
    with ChargerStore.open(seeded_db, seed=False) as store:
        hilly = PlannerService(store, load_profile("su7-max"), reserve_percent=10.0).plan(
            _query(trip, 90.0), trip.distance_km
        )
        flat = PlannerService(store, load_profile("su7-max"), reserve_percent=10.0).plan(
            _query(trip, 90.0, with_route=False), trip.distance_km
        )
    assert hilly.chosen is not None and flat.chosen is not None
    assert hilly.chosen.charge_min > flat.chosen.charge_min
