"""Charging suggestions: the partner stations the car can reach, ahead on its route or around it,
with what stopping there costs in time, in money and in state of charge. Pure.

Ranking: by ``time_cost_min`` (detour + stop overhead + expected wait + charging to the target),
then distance, then id — so the order is stable for equal times.
"""

from __future__ import annotations

import heapq
import math

from ivi.planner.errors import PlanInputError
from ivi.planner.model import DEFAULT_RESERVE_PERCENT, Candidate, PlannerSettings, Suggestion, SuggestRequest, hhmm
from ivi.planner.problem import detour_km, route_kwh_per_km, wait_min
from ivi.planner.vehicle import STANDARD_TEMP_C, VehicleProfile, charge_table_min, table_at


def suggest(req: SuggestRequest) -> list[Suggestion]:
    """Reachable stations (arrival at or above the reserve) that pass the filters, best first."""
    for label, pct in (("state of charge", req.soc_percent), ("reserve", req.reserve_percent)):
        if not (math.isfinite(pct) and 0 <= pct <= 100):
            raise PlanInputError(f"{label} must be between 0 and 100 %, got {pct}")
    s, v = req.settings, req.vehicle
    target = s.default_target_soc_percent if req.target_soc_percent is None else req.target_soc_percent
    if not 0 <= target <= 100:
        raise PlanInputError(f"target state of charge must be between 0 and 100 %, got {target}")
    cruise = route_kwh_per_km(v, s.cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    local = route_kwh_per_km(v, s.detour_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    kwh_pct = v.kwh_per_percent
    tables: dict[float, tuple[float, ...]] = {}
    # Rank first on plain tuples; build Suggestions (price lookup, clock, freshness) only for
    # the few that are shown — at a million chargers a route has ~13,000 candidates.
    ranked: list[tuple[float, float, str, int, float, float, float, float, float]] = []
    for i, c in enumerate(req.candidates):
        if not _passes(c, req):
            continue
        if req.route_km is None:  # around the car: drive there, no route to rejoin
            along = c.off_route_km * s.detour_road_factor
            extra_km, to_km = 0.0, along
            used_pct = along * local / kwh_pct
            drive_min = along / s.detour_kmh * 60.0
        else:
            ahead = c.along_km - req.position_km
            if ahead < 0 or ahead > req.route_km - req.position_km:
                continue
            along, extra_km = ahead, detour_km(c, s)
            to_km = ahead + extra_km / 2
            used_pct = (ahead * cruise + extra_km / 2 * local) / kwh_pct
            drive_min = extra_km / s.detour_kmh * 60.0  # only the detour is extra time
        arrival = req.soc_percent - used_pct
        if arrival < req.reserve_percent:
            continue
        kw = min(c.power_kw, v.max_dc_power_kw)
        table = tables.get(kw) or tables.setdefault(kw, charge_table_min(v, kw))
        goal = max(target, arrival)
        charge = table_at(table, goal) - table_at(table, arrival)
        wait = wait_min(c, s)
        cost_min = drive_min + s.stop_overhead_min + wait + charge
        ranked.append((round(cost_min, 6), along, c.location_id, i, cost_min, extra_km, to_km, arrival, charge))
    out: list[Suggestion] = []
    for _, along, _, i, cost_min, extra_km, to_km, arrival, charge in heapq.nsmallest(req.limit, ranked):
        c = req.candidates[i]
        goal = max(target, arrival)
        wait = wait_min(c, s)
        eta = req.now_min_of_day + (to_km / s.cruise_kmh * 60.0)
        price = c.price_cny_per_kwh(hhmm(eta + wait))
        cost = (goal - arrival) * kwh_pct / v.charge_efficiency * price
        out.append(
            _suggestion(
                c, req, along, extra_km, arrival, goal, charge, cost_min, cost, price if c.tariff is not None else None
            )
        )
    return out


def nearest_ahead(req: SuggestRequest, n: int) -> list[Suggestion]:
    """The ``n`` nearest stations ahead that pass the filters, marked unreachable: what to list
    when :func:`suggest` finds nothing the car can reach above the reserve. Arrival is the state of
    charge the model expects there (below the reserve, possibly below 0); nothing is charged."""
    s, v = req.settings, req.vehicle
    cruise = route_kwh_per_km(v, s.cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    pct_per_km = cruise / v.kwh_per_percent
    ahead = sorted(
        (c for c in req.candidates if _passes(c, req) and (req.route_km is None or c.along_km >= req.position_km)),
        key=lambda c: (c.off_route_km if req.route_km is None else c.along_km, c.location_id),
    )
    out = []
    for c in ahead[:n]:
        dist = c.off_route_km * s.detour_road_factor if req.route_km is None else c.along_km - req.position_km
        detour = 0.0 if req.route_km is None else detour_km(c, s)
        arrival = req.soc_percent - (dist + detour / 2) * pct_per_km
        price = c.price_cny_per_kwh(hhmm(req.now_min_of_day)) if c.tariff is not None else None
        out.append(_suggestion(c, req, dist, detour, arrival, arrival, 0.0, 0.0, 0.0, price, reachable=False))
    return out


def _suggestion(
    c: Candidate,
    req: SuggestRequest,
    ahead_km: float,
    detour: float,
    arrival: float,
    target: float,
    charge_min: float,
    time_cost_min: float,
    cost_cny: float,
    price: float | None,
    *,
    reachable: bool = True,
) -> Suggestion:
    s = req.settings
    return Suggestion(
        location_id=c.location_id,
        network=c.network,
        name=c.name,
        lat=c.lat,
        lon=c.lon,
        along_km=ahead_km,
        detour_km=detour,
        arrival_soc=arrival,
        target_soc=target,
        charge_min=charge_min,
        time_cost_min=time_cost_min,
        cost_cny=cost_cny,
        power_kw=c.power_kw,
        available_count=c.available_count,
        evse_count=c.evse_count,
        status_age_min=c.status_age_min,
        status_fresh=c.status_age_min is not None and c.status_age_min <= s.status_fresh_min,
        is_green=c.is_green,
        along_route_km=0.0 if req.route_km is None else c.along_km,
        price_cny_per_kwh=price,
        reachable=reachable,
        name_en=c.name_en,
        city=c.city,
    )


def reach_km(
    vehicle: VehicleProfile,
    soc_percent: float,
    reserve_percent: float = DEFAULT_RESERVE_PERCENT,
    *,
    outside_temp_c: float = STANDARD_TEMP_C,
    learned_kwh_per_km: float | None = None,
    settings: PlannerSettings = PlannerSettings(),
) -> float:
    """How far ahead on the route a suggestion can lie: a station further along leaves the car
    below the reserve even with no detour. Exactly the bound :func:`suggest` applies, so the
    cache need be read only up to here (``route_candidates(…, to_km=position + reach)``)."""
    cruise = route_kwh_per_km(vehicle, settings.cruise_kmh, outside_temp_c, learned_kwh_per_km, settings.cruise_kmh)
    return max(0.0, soc_percent - reserve_percent) * vehicle.kwh_per_percent / cruise


def _passes(c: Candidate, req: SuggestRequest) -> bool:
    if req.networks and c.network not in req.networks:
        return False
    if c.power_kw < req.min_power_kw:
        return False
    if req.available_only and c.available_count <= 0:
        return False
    return not (req.green_only and not c.is_green)
