"""Charging suggestions: the partner stations the car can reach, ahead on its route or around it,
with what stopping there costs in time, in money and in state of charge. Pure.

Ranking looks ahead: by the minutes a stop costs (detour + overhead + expected wait + a session
of at least the minimum, charging to the target) *per 100 km of range it adds* — a 5-minute
top-up 5 km ahead at 80 % adds almost nothing and ranks low; then distance, then id, so the
order is stable. With an occupancy model (``req.occupancy``) the expected wait is the one
predicted at the car's arrival and a station that may be out of service costs ``P(fail)`` × the
next one's detour and wait (:mod:`ivi.planner.occupancy`); each suggestion says why (``outlook``).
With a trip plan the plan's next stop comes first. AC destination chargers
are listed only when asked (``include_ac``) or when no DC charger is reachable.

Low battery (at or below the reserve, or nothing reachable above it): the stations reachable
on the low-battery floor are listed nearest first, and :func:`overview` says how far the charge
goes ("about 40 km left; nearest fast charger 4.7 km").
"""

from __future__ import annotations

import heapq
import math
from datetime import timedelta

from ivi.planner.errors import PlanInputError
from ivi.planner.model import (
    DEFAULT_RESERVE_PERCENT,
    Candidate,
    PlannerSettings,
    Suggestion,
    SuggestionOverview,
    SuggestRequest,
    hhmm,
)
from ivi.planner.occupancy import Outlook, fallback_minutes, outlook_of
from ivi.planner.problem import detour_km, detour_leg, route_kwh_per_km, speeds, wait_min
from ivi.planner.road import RoadProfile, build_profile
from ivi.planner.vehicle import STANDARD_TEMP_C, VehicleProfile, charge_table_min, table_at


def suggest(req: SuggestRequest) -> list[Suggestion]:
    """Reachable stations that pass the filters, best first: the plan's next stop, then by time
    per range added. At low charge (at or below the reserve, or nothing reachable above it) the
    stations reachable on the low-battery floor, nearest first."""
    _check(req)
    hits = _ranked(req, req.reserve_percent, low=False)
    if not hits:
        floor = min(_floor(req), req.reserve_percent)
        if floor < req.reserve_percent:
            hits = _ranked(req, floor, low=True)
    return hits


def overview(req: SuggestRequest, hits: list[Suggestion] | None = None) -> SuggestionOverview:
    """How far the charge goes and whether a stop is needed yet (``hits``: :func:`suggest`'s)."""
    _check(req)
    s, v = req.settings, req.vehicle
    cruise = route_kwh_per_km(
        v, s.expressway_cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.expressway_cruise_kmh
    )
    km_per_pct = v.kwh_per_percent / cruise
    reserve_km = req.reserve_percent * km_per_pct
    low = req.soc_percent <= req.reserve_percent
    hits = suggest(req) if hits is None else hits
    fast = [h for h in hits if h.reachable and h.power_kw >= s.trip_min_power_kw]
    nearest = min((h.along_km + h.detour_km / 2 for h in fast), default=None)
    if req.route_km is None:
        to_empty = req.soc_percent * km_per_pct
        usable = max(0.0, req.soc_percent - req.reserve_percent) * km_per_pct
        no_stop, reaches = None, False
    else:
        prof = _profile(req)
        to_empty = prof.runs_out_km(req.soc_percent, 0.0, 0.0, expected=True)
        reach = prof.runs_out_km(req.soc_percent, 0.0, req.reserve_percent, expected=False)
        usable = reach
        reaches = reach >= prof.length_km - 1e-9 and prof.plan_pct[-1] <= req.soc_percent - req.reserve_percent
        no_stop = req.position_km + reach
    if low:
        near = "no fast charger within reach" if nearest is None else f"nearest fast charger {nearest:.1f} km"
        message = (
            f"low battery: about {to_empty:.0f} km left to empty, at or below the {req.reserve_percent:g} % reserve; "
            f"{near}"
        )
    elif reaches:
        message = f"no stop needed: the charge reaches the destination with the {req.reserve_percent:g} % reserve"
    elif no_stop is not None:
        message = f"no stop needed before km {no_stop:.0f}; about {to_empty:.0f} km to empty"
    else:
        message = f"about {usable:.0f} km before the {req.reserve_percent:g} % reserve, {to_empty:.0f} km to empty"
    return SuggestionOverview(to_empty, reserve_km, usable, no_stop, reaches, low, nearest, message)


def _check(req: SuggestRequest) -> None:
    for label, pct in (("state of charge", req.soc_percent), ("reserve", req.reserve_percent)):
        if not (math.isfinite(pct) and 0 <= pct <= 100):
            raise PlanInputError(f"{label} must be between 0 and 100 %, got {pct}")
    target = _target(req)
    if not 0 <= target <= 100:
        raise PlanInputError(f"target state of charge must be between 0 and 100 %, got {target}")


def _target(req: SuggestRequest) -> float:
    s = req.settings
    return s.default_target_soc_percent if req.target_soc_percent is None else req.target_soc_percent


def _floor(req: SuggestRequest) -> float:
    f = req.settings.low_battery_floor_percent
    return max(0.0, f if req.first_stop_floor_percent is None else req.first_stop_floor_percent)


def _profile(req: SuggestRequest) -> RoadProfile:
    """Energy and time from the car along its route (planning consumption = expected + margin)."""
    end = req.route_km if req.destination_km is None else req.destination_km
    end = max(end or 0.0, req.position_km)
    return build_profile(
        req.vehicle,
        req.road,
        req.position_km,
        end if end > req.position_km else req.position_km + 1e-6,
        speeds(req.settings),
        req.outside_temp_c,
        req.learned_kwh_per_km,
        req.settings.consumption_margin_percent / 100.0,
    )


def _ranked(req: SuggestRequest, floor: float, *, low: bool) -> list[Suggestion]:
    """DC chargers only, unless AC ones are asked for or no DC charger is reachable."""
    hits = _rank(req, floor, low=low, allow_ac=req.include_ac)
    if not hits and not req.include_ac:
        hits = _rank(req, floor, low=low, allow_ac=True)
    return hits


def _rank(req: SuggestRequest, floor: float, *, low: bool, allow_ac: bool) -> list[Suggestion]:
    s, v = req.settings, req.vehicle
    target = _target(req)
    margin = 1.0 + s.consumption_margin_percent / 100.0
    kwh_pct = v.kwh_per_percent
    cruise = route_kwh_per_km(
        v, s.expressway_cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.expressway_cruise_kmh
    )
    km_per_pct = kwh_pct / cruise
    prof = _profile(req) if req.route_km is not None else None
    tables: dict[float, tuple[float, ...]] = {}
    planned = {sid: i for i, sid in enumerate(req.plan_stop_ids)}
    # Rank first on plain tuples; build Suggestions (price lookup, clock, freshness) only for
    # the few that are shown — at a million chargers a route has ~13,000 candidates.
    ranked: list[tuple[tuple[float, ...], int, float, float, float, float, float, float, float]] = []
    occ = req.occupancy
    looks: dict[int, Outlook] = {}
    parts: list[tuple[int, float, float, float, float, float, float, float, float, float]] = []
    for i, c in enumerate(req.candidates):
        if (not allow_ac and not c.is_dc) or not _passes(c, req):
            continue
        leg_pct, leg_min = detour_leg(c, s, v, req.outside_temp_c, req.learned_kwh_per_km)
        if prof is None:  # around the car: drive there, no route to rejoin
            along = c.off_route_km * s.detour_road_factor
            extra_km, to_km = 0.0, along
            used_pct = leg_pct * margin
            drive_min = leg_min
            peak = used_pct
        else:
            ahead = c.along_km - req.position_km
            if ahead < 0 or ahead > prof.length_km or prof.in_ferry(ahead):
                continue
            along, extra_km = ahead, detour_km(c, s)
            to_km = ahead + extra_km / 2
            used_pct = prof.plan_at(ahead) + leg_pct * margin
            drive_min = 2 * leg_min  # only the detour is extra time
            peak = max(prof.peak_plan(0.0, ahead), used_pct)  # a pass before the station counts
        arrival = req.soc_percent - used_pct
        if arrival < floor - 1e-9 or req.soc_percent - peak < floor - 1e-9:
            continue
        kw = min(c.power_kw, v.max_dc_power_kw)
        table = tables.get(kw) or tables.setdefault(kw, charge_table_min(v, kw, req.outside_temp_c))
        goal = max(target, arrival)
        charging = table_at(table, goal) - table_at(table, arrival)
        session = max(charging, s.min_session_min) if goal > arrival else 0.0
        wait = wait_min(c, s)
        if occ is not None:
            start = occ.now if occ.at is None else occ.at
            look = outlook_of(c, start + timedelta(minutes=to_km / s.expressway_average_kmh * 60.0), occ)
            if look is not None:
                looks[i], wait = look, look.expected_wait_min
        gain_km = (goal - arrival) * km_per_pct
        parts.append(
            (i, along, drive_min, wait, session, gain_km, extra_km, to_km, arrival, used_pct - leg_pct * margin)
        )
    if looks:  # what each stop failing costs: the next station reachable on the reserve
        order = sorted(range(len(parts)), key=lambda k: parts[k][1])
        rows = [(parts[k][1] / s.expressway_average_kmh * 60.0, parts[k][9], parts[k][2], parts[k][3]) for k in order]
        fallbacks = fallback_minutes(rows, req.reserve_percent, s.stop_overhead_min, s.stranded_min)
        for k, fb in zip(order, fallbacks, strict=True):
            i = parts[k][0]
            if i in looks:
                looks[i] = looks[i].with_fallback(fb)
    for i, along, drive_min, wait, session, gain_km, extra_km, to_km, arrival, _ in parts:
        c = req.candidates[i]
        look = looks.get(i)
        cost_min = drive_min + s.stop_overhead_min + wait + session + (0.0 if look is None else look.reliability_min)
        per_100 = cost_min / gain_km * 100.0 if gain_km > 1e-9 else math.inf
        first = planned.get(c.location_id, len(planned))
        key: tuple[float, ...] = (first, along, c.off_route_km) if low else (first, round(per_100, 6), along)
        ranked.append((key, i, cost_min, extra_km, to_km, arrival, session, gain_km, per_100))
    out: list[Suggestion] = []
    for key, i, cost_min, extra_km, to_km, arrival, session, gain_km, per_100 in heapq.nsmallest(
        req.limit, ranked, key=lambda r: (r[0], req.candidates[r[1]].location_id)
    ):
        c = req.candidates[i]
        goal = max(target, arrival)
        look = looks.get(i)
        wait = wait_min(c, s) if look is None else look.expected_wait_min
        eta = req.now_min_of_day + (to_km / s.expressway_average_kmh * 60.0)
        price = c.price_cny_per_kwh(hhmm(eta + wait))
        cost = (goal - arrival) * kwh_pct / v.charge_efficiency * price
        along = key[1] if low else key[-1]
        out.append(
            _suggestion(
                c, req, along, extra_km, arrival, goal, session, cost_min, cost,
                price if c.tariff is not None else None,
                planned=c.location_id in planned and planned[c.location_id] == 0,
                gain_km=gain_km,
                per_100=None if math.isinf(per_100) else per_100,
                low=arrival < req.reserve_percent,
                outlook=look,
            )
        )  # fmt: skip
    return out


def nearest_ahead(req: SuggestRequest, n: int) -> list[Suggestion]:
    """The ``n`` nearest stations ahead that pass the filters, marked unreachable: what to list
    when :func:`suggest` finds nothing the car can reach even on the low-battery floor. Arrival
    is the state of charge the model expects there (possibly below 0); nothing is charged."""
    s, v = req.settings, req.vehicle
    cruise = route_kwh_per_km(
        v, s.expressway_cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.expressway_cruise_kmh
    )
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
    planned: bool = False,
    gain_km: float = 0.0,
    per_100: float | None = None,
    low: bool = False,
    outlook: Outlook | None = None,
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
        planned=planned,
        gain_km=gain_km,
        minutes_per_100km=per_100,
        low_battery=low,
        outlook=outlook,
    )


def reach_km(
    vehicle: VehicleProfile,
    soc_percent: float,
    reserve_percent: float = DEFAULT_RESERVE_PERCENT,
    *,
    outside_temp_c: float = STANDARD_TEMP_C,
    learned_kwh_per_km: float | None = None,
    settings: PlannerSettings = PlannerSettings(),
    low_battery: bool = True,
) -> float:
    """How far ahead on the route a suggestion can lie: a station further along leaves the car
    below the floor even with no detour, on flat expressway (a climb only shortens it). Exactly
    the bound :func:`suggest` applies there, so the cache need be read only up to here
    (``route_candidates(…, to_km=position + reach)``). With ``low_battery`` the floor is the
    low-battery one, which :func:`suggest` falls back to when nothing is reachable above the
    reserve."""
    s = settings
    cruise = route_kwh_per_km(
        vehicle, s.expressway_cruise_kmh, outside_temp_c, learned_kwh_per_km, s.expressway_cruise_kmh
    )
    floor = min(reserve_percent, s.low_battery_floor_percent) if low_battery else reserve_percent
    margin = 1.0 + s.consumption_margin_percent / 100.0
    return max(0.0, soc_percent - floor) * vehicle.kwh_per_percent / (cruise * margin)


def _passes(c: Candidate, req: SuggestRequest) -> bool:
    if req.networks and c.network not in req.networks:
        return False
    if c.power_kw < req.min_power_kw:
        return False
    if req.available_only and c.available_count <= 0:
        return False
    return not (req.green_only and not c.is_green)
