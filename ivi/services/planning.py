"""The screen's suggestions and trip plans from ``ivi.planner``: the adapter between the ports
(``SuggestionQuery`` in, ``Suggestion`` / ``TripPlans`` out) and the planner's pure API.

Runs on the screen's one I/O worker thread. Cache reads go through ``ivi.planner.sources``
(``route_candidates``), kept per (route, filters) for ``CANDIDATE_TTL_S`` because the car asks
again every few hundred metres; a sync that changes the cache calls :meth:`invalidate`.
Re-planning uses ``replan`` (its explanations become ``TripPlans.notes``) and
``drift_reason`` tells the screen when the plan no longer holds. The SoC, its staleness, the
learned consumption and the outside temperature from CAN go into every request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from chargers.store import ChargerStore, Filters, Station
from geo.geometry import LatLon, cumulative_km
from ivi.planner import (
    Candidate,
    EmptyCacheError,
    SuggestRequest,
    TripRequest,
    drift_reason,
    plan_trip,
    replan,
    suggest,
)
from ivi.planner import TripPlan as PlannerPlan
from ivi.planner.sources import route_candidates
from ivi.planner.vehicle import VehicleProfile as PlannerProfile
from ivi.planner.vehicle import model_kwh_per_km
from ivi.services.ports import PlannedStop, Suggestion, SuggestionQuery, TripPlan, TripPlans, VehicleProfile

CANDIDATE_TTL_S = 120.0  # status ages in the candidates are recomputed at least this often
OFFLINE_STATUSES = frozenset({"OUTOFORDER", "INOPERATIVE", "REMOVED"})
UNREACHABLE_SHOWN = 3  # when nothing is reachable, the nearest few are listed as unreachable
CRUISE_KMH = 100.0
STANDARD_TEMP_C = 20.0


def screen_profile(p: PlannerProfile, reserve_percent: float = 10.0) -> VehicleProfile:
    """The few numbers the screen needs (range, reserve), at the planner's cruise speed and 20 °C."""
    return VehicleProfile(
        p.name,
        p.usable_battery_kwh,
        model_kwh_per_km(p, CRUISE_KMH, STANDARD_TEMP_C),
        p.max_dc_power_kw,
        reserve_percent,
    )


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
        vehicle: PlannerProfile,
        *,
        reserve_percent: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.vehicle, self.reserve_percent, self.clock = store, vehicle, reserve_percent, clock
        self._lock = threading.Lock()
        self._key: tuple[int, Filters] | None = None
        self._at = 0.0
        self._candidates: tuple[Candidate, ...] = ()
        self._by_id: dict[str, Candidate] = {}
        self._plan: PlannerPlan | None = None
        self._route_km = 0.0

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
                self._by_id = {c.location_id: c for c in self._candidates}
                self._key, self._at = key, self.clock()
                self._route_km = cumulative_km(points)[-1] if len(points) > 1 else 0.0
            return self._candidates

    def _stations(self, ids: Sequence[str]) -> dict[str, Station]:
        return {s.id: s for s in self.store.stations(list(ids))} if ids else {}

    # ------------------------------------------------------------ suggestions

    def suggest(self, query: SuggestionQuery) -> list[Suggestion]:
        """The planner's best ``limit`` stops ahead (its ranking: least time lost), listed in
        route order; when none is reachable, the nearest few ahead, marked unreachable."""
        cands = self.candidates(query.route_points, query.filters)
        req = SuggestRequest(
            self.vehicle,
            max(0.0, min(100.0, query.soc_percent)),
            cands,
            route_km=max(self._route_km, query.position_km),
            position_km=query.position_km,
            reserve_percent=self.reserve_percent,
            now_min_of_day=minute_of_day(query.local_time_hhmm),
            outside_temp_c=_temp(query),
            learned_kwh_per_km=query.learned_kwh_per_km,
            soc_stale=query.soc_stale,
            limit=query.limit,
        )
        picks = suggest(req)
        rows = [(self._by_id[s.location_id], s.arrival_soc, s.detour_km, True) for s in picks]
        if not rows:
            ahead = sorted((c for c in cands if c.along_km >= query.position_km), key=lambda c: c.along_km)
            pct_per_km = self._percent_per_km(query)
            rows = [
                (
                    c,
                    query.soc_percent - (c.along_km - query.position_km + c.off_route_km) * pct_per_km,
                    2 * c.off_route_km,
                    False,
                )
                for c in ahead[:UNREACHABLE_SHOWN]
            ]
        stations = self._stations([c.location_id for c, *_ in rows])
        out = [
            Suggestion(
                stations[c.location_id],
                c.along_km,
                c.along_km - query.position_km,
                detour,
                arrival,
                ok,
                c.price_cny_per_kwh(query.local_time_hhmm),
            )
            for c, arrival, detour, ok in rows
            if c.location_id in stations
        ]
        return sorted(out, key=lambda s: s.along_km)

    def _percent_per_km(self, query: SuggestionQuery) -> float:
        kwh = query.learned_kwh_per_km or model_kwh_per_km(self.vehicle, CRUISE_KMH, _temp(query))
        return kwh / self.vehicle.kwh_per_percent

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
            outside_temp_c=_temp(query),
            learned_kwh_per_km=query.learned_kwh_per_km,
            soc_stale=query.soc_stale,
            offline_ids=gone,
            position_km=max(0.0, min(destination_km, query.position_km)),
        )
        if old is None:
            new, notes = plan_trip(req), []
        else:
            new, notes = replan(old, req)
        self._plan = new
        plans = [new, *new.alternatives.values()]
        stations = self._stations(sorted({s.location_id for p in plans for s in p.stops}))
        converted = tuple(self._convert(p, stations) for p in plans)
        chosen = converted[0] if new.feasible else next((p for p in converted if p.feasible), converted[0])
        return TripPlans(chosen, converted, tuple(notes), gone)

    def drift(self, position_km: float, soc_percent: float) -> str | None:
        plan = self._plan
        return None if plan is None else drift_reason(plan, position_km, soc_percent)

    @staticmethod
    def _convert(p: PlannerPlan, stations: dict[str, Station]) -> TripPlan:
        stops = tuple(
            PlannedStop(stations[s.location_id], s.along_km, s.arrival_soc, s.departure_soc, s.charge_min, s.cost_cny)
            for s in p.stops
            if s.location_id in stations
        )
        return TripPlan(
            p.objective,
            stops,
            p.drive_km,
            p.drive_min,
            p.charge_min,
            p.cost_cny,
            p.arrival_soc,
            p.feasible,
            p.stop_overhead_min,
            p.message,
        )


def _temp(query: SuggestionQuery) -> float:
    return STANDARD_TEMP_C if query.outside_temp_c is None else query.outside_temp_c


__all__ = ["PlannerService", "minute_of_day", "offline_ids", "screen_profile"]
