"""The screen's suggestions, trip plans and range from ``ivi.planner``: the adapter between the
ports (``SuggestionQuery`` in; the planner's ``Suggestion`` / ``TripPlan`` out) and the
planner's pure API.

Runs on the screen's one I/O worker thread. Cache reads go through ``ivi.planner.sources``
(``route_candidates``), kept per (route, filters) for ``CANDIDATE_TTL_S`` because the car asks
again every few hundred metres; a sync that changes the cache calls :meth:`invalidate`.
Re-planning uses ``replan`` (its explanations become ``TripPlans.notes``) and
``drift_reason`` tells the screen when the plan no longer holds (the state of charge below the
plan, a planned charger out of order, or the learned consumption drifting from the plan's). The
SoC, its staleness, the learned consumption and the outside temperature from CAN go into every
request. Times are absolute (the service's clock, UTC): tariffs are read on each station's own
clock, so a head unit whose clock is set to another zone prices the same. The screen shows the
alternatives, so plans here compute them; suggestions list the plan's next stop first.

With an occupancy model in the cache (synced with the dataset), suggestions and plans use the
predicted wait at each station's arrival (``ivi.planner.occupancy``); before departure (a first
plan, the car at the route's start) the plan comes with :class:`DepartureAdvice` over the next
``ADVICE_WINDOW_H`` hours ("leave at 08:40: stop 2 is usually free then").

The screen's route is a bare polyline: it is planned as flat expressway (no altitudes, legs or
ferries) until the screen hands over a ``geo`` route.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from chargers.store import ChargerStore, Filters
from geo.geometry import LatLon, cumulative_km
from ivi.planner import (
    Candidate,
    EmptyCacheError,
    PlannerSettings,
    SuggestRequest,
    TripPlan,
    TripRequest,
    drift_reason,
    nearest_ahead,
    plan_trip,
    replan,
    suggest,
)
from ivi.planner.depart import best_departure
from ivi.planner.model import min_of_day
from ivi.planner.occupancy import Occupancy
from ivi.planner.road import Road
from ivi.planner.sources import occupancy_for, route_candidates
from ivi.planner.vehicle import STANDARD_TEMP_C, VehicleProfile, learned_factor, model_kwh_per_km
from ivi.services.ports import RangeEstimate, Suggestion, SuggestionQuery, TripPlans

__all__ = ["PlannerRange", "PlannerService", "minute_of_day", "offline_ids"]

CANDIDATE_TTL_S = 120.0  # status ages in the candidates are recomputed at least this often
OFFLINE_STATUSES = frozenset({"OUTOFORDER", "INOPERATIVE", "REMOVED"})
UNREACHABLE_SHOWN = 3  # when nothing is reachable, the nearest few are listed as unreachable
ADVICE_WINDOW_H = 3.0  # before departure: the departures advised on, from now
ADVICE_STEP_MIN = 20.0
NOT_STARTED_KM = 1.0  # the car this near the route's start has not set off


class PlannerRange:
    """``RangeModel``: range at the planner's expressway cruise, with the same learned-consumption
    correction (and clamp) the planner applies. The distance to empty and the reserve's share are
    given separately: below the reserve the car can still drive ``to_empty_km``."""

    def __init__(self, vehicle: VehicleProfile, reserve_percent: float, settings: PlannerSettings = PlannerSettings()):
        self.vehicle, self._reserve, self.cruise_kmh = vehicle, reserve_percent, settings.cruise_kmh

    @property
    def reserve_percent(self) -> float:
        return self._reserve

    def estimate(
        self, soc_percent: float, learned_kwh_per_km: float | None = None, outside_temp_c: float | None = None
    ) -> RangeEstimate:
        temp = STANDARD_TEMP_C if outside_temp_c is None else outside_temp_c
        kwh_per_km = model_kwh_per_km(self.vehicle, self.cruise_kmh, temp) * learned_factor(
            self.vehicle, learned_kwh_per_km, self.cruise_kmh, temp
        )
        km_per_percent = self.vehicle.kwh_per_percent / kwh_per_km
        return RangeEstimate(max(0.0, soc_percent) * km_per_percent, self._reserve * km_per_percent)


def minute_of_day(hhmm: str) -> float:
    h, m = hhmm.split(":")
    return int(h) * 60.0 + int(m)


def offline_ids(store: ChargerStore, ids: Sequence[str]) -> frozenset[str]:
    """Of ``ids``, the locations whose every EVSE is out of order, inoperative or removed."""
    out = set()
    for i in ids:
        loc = store.location(i)
        if loc is None or (loc.evses and all(e.status in OFFLINE_STATUSES for e in loc.evses)):
            out.add(i)
    return frozenset(out)


class PlannerService:
    """``SuggestionProvider`` and ``TripPlanner`` over one :class:`ChargerStore`."""

    def __init__(
        self,
        store: ChargerStore,
        vehicle: VehicleProfile,
        *,
        reserve_percent: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.vehicle, self.reserve_percent, self.clock = store, vehicle, reserve_percent, clock
        self._lock = threading.Lock()
        self._key: tuple[int, Filters] | None = None
        self._at = 0.0
        self._candidates: tuple[Candidate, ...] = ()
        self._occupancy: Occupancy | None = None
        self._plan: TripPlan | None = None
        self._route_km = 0.0
        self._learned: float | None = None

    # ------------------------------------------------------------ candidates

    def invalidate(self) -> None:
        with self._lock:
            self._key = None

    def candidates(self, points: Sequence[LatLon], filters: Filters) -> tuple[Candidate, ...]:
        key = (hash(tuple(points)), filters)
        with self._lock:
            if key != self._key or self.clock() - self._at > CANDIDATE_TTL_S:
                now = datetime.fromtimestamp(self.clock(), UTC)
                try:
                    self._candidates = route_candidates(self.store, points, now, filters=filters)
                except EmptyCacheError:  # nothing imported or synced yet: the screen says "empty"
                    self._candidates = ()
                self._occupancy = occupancy_for(self.store, self._candidates, now)
                self._key, self._at = key, self.clock()
                self._route_km = cumulative_km(points)[-1] if len(points) > 1 else 0.0
            return self._candidates

    # ------------------------------------------------------------ suggestions

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def suggest(self, query: SuggestionQuery) -> list[Suggestion]:
        """The planner's best ``limit`` stops ahead (the plan's next stop first, then least time
        per range added), listed in route order; at low charge the ones reachable on the
        low-battery floor; when none is reachable, the nearest few ahead, marked unreachable."""
        plan = self._plan
        ahead = tuple(s.location_id for s in plan.stops if s.along_km >= query.position_km) if plan else ()
        req = SuggestRequest(
            self.vehicle,
            max(0.0, min(100.0, query.soc_percent)),
            self.candidates(query.route_points, query.filters),
            route_km=max(self._route_km, query.position_km),
            position_km=query.position_km,
            reserve_percent=self.reserve_percent if query.reserve_percent is None else query.reserve_percent,
            now_min_of_day=min_of_day(self._now()),
            outside_temp_c=_temp(query),
            learned_kwh_per_km=query.learned_kwh_per_km,
            soc_stale=query.soc_stale,
            limit=query.limit,
            plan_stop_ids=ahead,
            road=_road(query),
            occupancy=self._occupancy,
        )
        picks = suggest(req) or nearest_ahead(req, UNREACHABLE_SHOWN)
        return sorted(picks, key=lambda s: s.along_route_km)

    # ------------------------------------------------------------ trip plans

    def plan(self, query: SuggestionQuery, destination_km: float) -> TripPlans:
        cands = self.candidates(query.route_points, query.filters)
        old = self._plan
        ahead_ids = [s.location_id for s in old.stops if s.along_km >= query.position_km] if old else []
        gone = offline_ids(self.store, ahead_ids)
        req = TripRequest(
            destination_km,
            self.vehicle,
            max(0.0, min(100.0, query.soc_percent)),
            cands,
            reserve_percent=self.reserve_percent,
            depart_min_of_day=minute_of_day(query.local_time_hhmm),
            depart_at=self._now(),
            outside_temp_c=_temp(query),
            learned_kwh_per_km=query.learned_kwh_per_km,
            soc_stale=query.soc_stale,
            offline_ids=gone,
            position_km=max(0.0, min(destination_km, query.position_km)),
            road=_road(query),
            occupancy=self._occupancy,
        )
        advice = None
        if old is None and req.occupancy is not None and req.position_km < NOT_STARTED_KM:
            now = self._now()
            advice = best_departure(req, now, now + timedelta(hours=ADVICE_WINDOW_H), ADVICE_STEP_MIN)
        if old is None:
            new, notes = plan_trip(req, alternatives=True), list[str]()
        else:
            new, notes = replan(old, req, alternatives=True)
        self._plan = new
        self._learned = query.learned_kwh_per_km
        plans = (new, *new.alternatives.values())
        chosen = new if new.feasible else next((p for p in plans if p.feasible), new)
        return TripPlans(chosen, plans, tuple(notes), gone, advice)

    def drift(self, position_km: float, soc_percent: float) -> str | None:
        plan = self._plan
        return None if plan is None else drift_reason(plan, position_km, soc_percent, learned_kwh_per_km=self._learned)


def _road(query: SuggestionQuery) -> Road:
    """The road the query's route is on: legs (ferries, mountain roads) and altitudes from the route
    graph; a bare polyline is flat expressway."""
    return Road.from_route(query.route) if query.route is not None else Road()


def _temp(query: SuggestionQuery) -> float:
    return STANDARD_TEMP_C if query.outside_temp_c is None else query.outside_temp_c
