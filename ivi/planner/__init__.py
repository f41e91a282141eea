"""Charging stops and trip plans for the partner networks, offline and fast.

The stable API (pure functions over frozen dataclasses; no I/O, no clock — time is passed in)::

    from ivi.planner import TripRequest, SuggestRequest, plan_trip, suggest, replan
    from ivi.planner.sources import route_candidates, nearby_candidates   # the cache adapter
    from ivi.profiles import load_profile

    cands = route_candidates(store, route.points, now_utc)              # Candidate tuple
    plan = plan_trip(TripRequest(route.distance_km, load_profile("su7-max"), soc_percent=62,
                                 candidates=cands, reserve_percent=10, depart_at=aware_datetime,
                                 road=Road.from_route(route)))            # legs, climbs, ferries
    plan.stops, plan.total_min, plan.feasible, plan.message              # fastest plan
    plan_trip(request, alternatives=True).alternatives["cheapest"]       # only when asked
    plan.to_json()                                                       # the CLI's JSON
    new_plan, notes = replan(plan, replace(request, position_km=310, soc_percent=18,
                                           offline_ids=frozenset({"NIO000123"})))
    suggest(SuggestRequest(vehicle, soc_percent=40, candidates=cands, route_km=route.distance_km))
    overview(request)   # "no stop needed before km 312", or at low charge "about 40 km left; …"
    # Suggestions need only the reachable stretch: read just that part of the corridor.
    ahead = route_candidates(store, route.points, now_utc, from_km=pos, to_km=pos + reach_km(vehicle, 40))

``plan_trip`` is optimal (minimum total time: driving + detours + charging + session overhead) on
a 1 % grid of departure states of charge, under a pessimistic consumption (15 % above the
expected one by default): no stop and no destination is reached below the reserve even then.
Below the reserve it lets the first stop be reached on a low-battery floor, and says so. When
the destination is out of reach it returns ``feasible=False``, the best partial plan, where the
car runs out and the charger nearest that point.
The UI calls these from a worker thread: they share no state and hold no locks.

Errors: see :mod:`ivi.planner.errors` (``PlannerError`` and its subclasses).
"""

from ivi.planner.errors import EmptyCacheError, PlanInputError, PlannerError, ProfileError
from ivi.planner.model import (
    DEFAULT_RESERVE_PERCENT,
    Candidate,
    Ferry,
    NearbyCharger,
    PlannerSettings,
    Stop,
    Suggestion,
    SuggestionOverview,
    SuggestRequest,
    TripPlan,
    TripRequest,
)
from ivi.planner.replan import drift_reason, replan
from ivi.planner.road import Road, RoadLeg
from ivi.planner.suggest import nearest_ahead, overview, reach_km, suggest
from ivi.planner.trip import plan_trip
from ivi.planner.vehicle import VehicleProfile

__all__ = [
    "DEFAULT_RESERVE_PERCENT",
    "Candidate",
    "EmptyCacheError",
    "Ferry",
    "NearbyCharger",
    "PlanInputError",
    "PlannerError",
    "PlannerSettings",
    "ProfileError",
    "Road",
    "RoadLeg",
    "Stop",
    "SuggestRequest",
    "Suggestion",
    "SuggestionOverview",
    "TripPlan",
    "TripRequest",
    "VehicleProfile",
    "drift_reason",
    "nearest_ahead",
    "overview",
    "plan_trip",
    "reach_km",
    "replan",
    "suggest",
]
