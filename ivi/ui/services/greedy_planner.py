"""A small greedy trip planner so the trip view has plans today: fastest, fewest stops, cheapest.

Stand-in for ``ivi.planner``'s optimal plans (the lead swaps it in ``ivi.app``). Greedy per leg:
among the stations reachable from here, pick one by the strategy, charge just enough for the
rest of the trip (capped), repeat. Pure over the candidates; prices come through a callable.
"""
from __future__ import annotations

from typing import Callable, Sequence

from sync.store import AlongRoute
from ivi.ui.services.ports import PlannedStop, SuggestionQuery, TripPlan, TripPlans, VehicleProfile
from ivi.ui.services.route_suggestions import RouteSuggestions

AVERAGE_KMH = 100.0
STOP_OVERHEAD_MIN = 4.0
STRATEGIES: dict[str, tuple[float, float]] = {  # kind → (charge cap %, window of range considered)
    "fastest": (80.0, 0.45),
    "fewest_stops": (95.0, 0.15),
    "cheapest": (85.0, 0.6),
}
MAX_STOPS = 12


def charge_minutes(from_percent: float, to_percent: float, station_kw: float, profile: VehicleProfile) -> float:
    """Minutes to charge between two levels with a simple taper above 50 %."""
    kw = max(7.0, min(station_kw, profile.max_charge_kw))
    minutes, soc = 0.0, from_percent
    while soc < to_percent - 1e-9:
        nxt = min(to_percent, soc + 1.0)
        taper = 1.0 if soc < 50 else max(0.33, 1.0 - (soc - 50) / 75.0)
        minutes += (nxt - soc) / 100.0 * profile.battery_kwh / (kw * 0.92 * taper) * 60.0
        soc = nxt
    return minutes


def plan_greedy(kind: str, candidates: Sequence[AlongRoute], position_km: float, soc_percent: float,
                destination_km: float, profile: VehicleProfile,
                price_of: Callable[[AlongRoute], float | None]) -> TripPlan:
    cap, window = STRATEGIES[kind]
    reserve = profile.reserve_percent
    usable = [h for h in candidates if h.station.available_count > 0 and h.along_km < destination_km]
    km, soc, stops = position_km, soc_percent, []
    while soc - profile.soc_used(destination_km - km) < reserve and len(stops) < MAX_STOPS:
        reach = [h for h in usable if h.along_km > km + 1.0
                 and soc - profile.soc_used(h.along_km - km + h.off_route_km) >= reserve]
        if not reach:
            break
        far = max(h.along_km for h in reach)
        window_km = (far - km) * window
        pool = [h for h in reach if h.along_km >= far - window_km]
        if kind == "fastest":
            pick = max(pool, key=lambda h: (h.station.max_power_kw, h.along_km))
        elif kind == "cheapest":
            pick = min(pool, key=lambda h: (price_of(h) or 99.0, -h.along_km))
        else:
            pick = max(pool, key=lambda h: (h.along_km, h.station.max_power_kw))
        arrive = soc - profile.soc_used(pick.along_km - km + pick.off_route_km)
        need = profile.soc_used(destination_km - pick.along_km + pick.off_route_km) + reserve + 2.0
        depart = max(arrive, min(cap, need))
        energy_kwh = (depart - arrive) / 100.0 * profile.battery_kwh
        minutes = charge_minutes(arrive, depart, pick.station.max_power_kw, profile) + STOP_OVERHEAD_MIN
        stops.append(PlannedStop(pick.station, pick.along_km, arrive, depart, minutes, energy_kwh * (price_of(pick) or 0.0)))
        km, soc = pick.along_km, depart - profile.soc_used(pick.off_route_km)
    arrival = soc - profile.soc_used(destination_km - km)
    drive_km = destination_km - position_km
    return TripPlan(kind, tuple(stops), drive_km, drive_km / AVERAGE_KMH * 60.0,
                    sum(s.charge_min for s in stops), sum(s.cost_cny for s in stops), arrival,
                    feasible=arrival >= 0.0)


class GreedyPlanner:
    """``TripPlanner`` over :class:`RouteSuggestions` (shares its candidate and tariff caches)."""

    def __init__(self, suggestions: RouteSuggestions) -> None:
        self.suggestions = suggestions

    def plan(self, query: SuggestionQuery, destination_km: float) -> TripPlans:
        cands = self.suggestions.candidates(query.route_points, query.filters)
        price = lambda h: self.suggestions.price_at(h.station.tariff_id, query.local_time_hhmm)  # noqa: E731
        plans = tuple(plan_greedy(k, cands, query.position_km, query.soc_percent, destination_km, query.profile, price)
                      for k in STRATEGIES)
        feasible = [p for p in plans if p.feasible]
        chosen = min(feasible, key=lambda p: p.total_min) if feasible else None
        return TripPlans(chosen, plans)
