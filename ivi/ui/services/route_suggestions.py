"""A minimal suggestion provider over the cache: stations ahead on the route, reachable with the
current state of charge, nearest first.

Stand-in for ``ivi.planner``'s suggestions (the lead swaps it in ``ivi.app``). The ranking is a
pure function (:func:`rank_ahead`); :class:`RouteSuggestions` only adds the cache reads, keeping
the corridor query per (route, filters) because the car asks again every few hundred metres.
"""
from __future__ import annotations

import threading
from typing import Sequence

from sync.geo.geometry import LatLon
from sync.models import Tariff
from sync.store import AlongRoute, ChargerStore, Filters
from ivi.ui.services.ports import Suggestion, SuggestionQuery, VehicleProfile

#: A station counts as reachable when the car would arrive with at least this much charge.
MIN_ARRIVAL_PERCENT = 3.0


def arrival_soc(soc_percent: float, ahead_km: float, off_route_km: float, profile: VehicleProfile) -> float:
    return soc_percent - profile.soc_used(ahead_km + off_route_km)


def rank_ahead(candidates: Sequence[AlongRoute], position_km: float, soc_percent: float,
               profile: VehicleProfile, limit: int) -> list[tuple[AlongRoute, float, float, bool]]:
    """(hit, ahead_km, arrival_soc_percent, reachable) for the stations ahead, by distance along
    the route. Only reachable ones, unless none is: then the nearest few, marked unreachable, so
    the screen can say that no charger is in range and which one is closest."""
    ahead = [(h, h.along_km - position_km) for h in candidates if h.along_km >= position_km - 0.2]
    rows = [(h, max(0.0, a), arrival_soc(soc_percent, max(0.0, a), h.off_route_km, profile)) for h, a in ahead]
    reachable = [(h, a, s, True) for h, a, s in rows if s >= MIN_ARRIVAL_PERCENT]
    if reachable:
        return reachable[:limit]
    return [(h, a, s, False) for h, a, s in rows[:limit]]


class RouteSuggestions:
    """``SuggestionProvider`` over a :class:`ChargerStore`. Call from one worker thread."""

    def __init__(self, store: ChargerStore, corridor_km: float = 5.0) -> None:
        self.store = store
        self.corridor_km = corridor_km
        self._lock = threading.Lock()
        self._key: tuple[int, Filters] | None = None
        self._candidates: list[AlongRoute] = []
        self._tariffs: dict[str, Tariff | None] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._key = None
            self._tariffs.clear()

    def candidates(self, points: Sequence[LatLon], filters: Filters) -> list[AlongRoute]:
        key = (hash(tuple(points)), filters)
        with self._lock:
            if key != self._key:
                self._candidates = self.store.along_route(points, self.corridor_km, filters)
                self._key = key
            return self._candidates

    def price_at(self, tariff_id: str | None, hhmm: str) -> float | None:
        if not tariff_id:
            return None
        if tariff_id not in self._tariffs:
            self._tariffs[tariff_id] = self.store.tariff(tariff_id)
        tariff = self._tariffs[tariff_id]
        window = tariff.price_at(hhmm) if tariff else None
        return window.total_cny_per_kwh if window else None

    def suggest(self, query: SuggestionQuery) -> list[Suggestion]:
        cands = self.candidates(query.route_points, query.filters)
        out = []
        for hit, ahead_km, soc, ok in rank_ahead(cands, query.position_km, query.soc_percent, query.profile, query.limit):
            out.append(Suggestion(hit.station, hit.along_km, ahead_km, 2 * hit.off_route_km, soc, ok,
                                  self.price_at(hit.station.tariff_id, query.local_time_hhmm)))
        return out
