"""A trip request turned into numbers: the shape the label-setting search and the test oracle
both work on. Pure; every quantity has its unit in its name.

Positions are km from the car (``x_km``); energy is in percent of the usable battery, at the
*planning* consumption (expected + margin, see :mod:`ivi.planner.road`). ``route_pct`` of a
node is the planning energy from the car to its point on the route, ``route_min`` the time; both
come from the route's profile (speed per leg, climbing, ferries), so energy per km need not be
uniform — or even positive downhill. A detour is ``2 × off_route_km × detour_road_factor`` of
road, half to reach the charger and half to get back: its first ``detour_near_km`` at
``detour_kmh`` (ramps, town), the rest at the road's speed (a pinned station far off the route).

A charging session costs ``max(charging time, min_session_min)``: a session is never shorter
than that (plug, authorise, handshake, ramp-up), so a plan that stops anyway fills the session.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import NamedTuple

from ivi.planner.model import Candidate, PlannerSettings, TripRequest, local_clock
from ivi.planner.occupancy import Outlook, fallback_minutes, outlook_of
from ivi.planner.road import RoadProfile, Speeds, build_profile
from ivi.planner.vehicle import VehicleProfile, charge_table_min, learned_factor, model_kwh_per_km

#: Tolerance of the dominance test, the same as the search's comparisons of states of charge.
EPS = 1e-9
NO_FULL_SESSION = -1e9


class Node(NamedTuple):
    """One candidate station in route order. A NamedTuple rather than a frozen dataclass (like
    ``chargers.store.Station``): at a million chargers a trip builds ~8,000 of these per plan, and a
    frozen dataclass's ``__init__`` costs several times as much."""

    candidate: Candidate
    x_km: float
    entry_percent: float  # energy from the route to the charger (planning consumption)
    exit_percent: float  # and back
    entry_min: float
    exit_min: float
    fixed_min: float  # stop overhead + expected wait (+ P(fail) × fallback, with an occupancy model)
    wait_min: float
    charge_table_min: tuple[float, ...]  # minutes to charge 0 → k %, k = 0..100
    price_cny_per_kwh: float  # at the station's estimated arrival, on its own clock (see docs)
    pinned: bool = False
    route_pct: float = 0.0  # planning energy from the car to the node's point on the route
    route_min: float = 0.0  # driving time from the car to that point
    #: full_below[d]: the highest arrival from which charging to d takes at least the minimum
    #: session (a session from a higher arrival is billed the minimum).
    full_below: tuple[float, ...] = ()
    outlook: Outlook | None = None  # predicted occupancy at the estimated arrival (with a model)


@dataclass(frozen=True)
class Problem:
    nodes: tuple[Node, ...]
    start_soc: float
    reserve_percent: float
    arrive_target_percent: float
    length_km: float  # from the car to the destination
    profile: RoadProfile
    kwh_per_percent: float
    charge_efficiency: float
    soc_step_percent: int
    depart_min_of_day: float = 480.0
    detour_km_per_node: tuple[float, ...] = ()
    pin_min_charge_percent: float = 0.0  # a pinned stop departs at ≥ min(100, arrival + this)
    first_floor_percent: float | None = None  # the first stop may be reached this low (None: reserve)
    min_session_min: float = 0.0

    @property
    def end_pct(self) -> float:
        """Planning energy from the car to the destination."""
        return self.profile.plan_pct[-1]

    @property
    def end_min(self) -> float:
        return self.profile.minutes[-1]

    @property
    def first_floor(self) -> float:
        """The floor for reaching the first stop: lower than the reserve, never higher."""
        f = self.first_floor_percent
        return self.reserve_percent if f is None else min(f, self.reserve_percent)

    @property
    def route_percent_per_km(self) -> float:
        """The average planning energy per km (the profile is exact; this is for display)."""
        return self.end_pct / self.length_km if self.length_km > 0 else 0.0


def road_peaks(p: Problem) -> tuple[list[float], float]:
    """The highest planning energy on the road between consecutive nodes of ``p`` (from the car
    to the first node, …), and from the last node to the destination: a label is on the road
    there, so its charge must last over that peak, not only up to the next node."""
    out, prev = [], 0.0
    for nd in p.nodes:
        out.append(p.profile.peak_plan(prev, nd.x_km))
        prev = nd.x_km
    return out, p.profile.peak_plan(prev, p.length_km)


@dataclass(frozen=True)
class Objective:
    """A weighted sum the search minimises: minutes, CNY and stops (ties broken by tiny weights).

    The fastest objectives weigh money 0: charging longer within a session that is billed the
    minimum anyway is then free, so their stops fill the session (no 1-minute stop)."""

    name: str
    per_min: float
    per_cny: float
    per_stop: float


FASTEST = Objective("fastest", 1.0, 0.0, 1e-3)
FEWEST_STOPS = Objective("fewest_stops", 1.0, 0.0, 1e4)
CHEAPEST = Objective("cheapest", 1e-3, 1.0, 1e-4)
OBJECTIVES = (FASTEST, FEWEST_STOPS, CHEAPEST)


def speeds(s: PlannerSettings) -> Speeds:
    return Speeds(s.expressway_cruise_kmh, s.expressway_average_kmh, s.road_cruise_kmh, s.road_average_kmh)


def route_kwh_per_km(
    vehicle: VehicleProfile, speed_kmh: float, temp_c: float, learned: float | None, cruise_kmh: float
) -> float:
    """Consumption at ``speed_kmh``, corrected by what CAN learned at cruising conditions."""
    return model_kwh_per_km(vehicle, speed_kmh, temp_c) * learned_factor(vehicle, learned, cruise_kmh, temp_c)


def detour_km(c: Candidate, settings: PlannerSettings) -> float:
    return 2.0 * c.off_route_km * settings.detour_road_factor


def detour_leg(
    c: Candidate, s: PlannerSettings, v: VehicleProfile, temp_c: float, learned: float | None
) -> tuple[float, float]:
    """(expected energy %, minutes) of one way of a detour: near the route at ``detour_kmh``,
    beyond ``detour_near_km`` at the road's speed and consumption."""
    half = detour_km(c, s) / 2.0
    near, far = min(half, s.detour_near_km), max(0.0, half - s.detour_near_km)
    cruise = s.expressway_cruise_kmh
    kwh = near * route_kwh_per_km(v, s.detour_kmh, temp_c, learned, cruise) + far * route_kwh_per_km(
        v, s.road_cruise_kmh, temp_c, learned, cruise
    )
    minutes = near / s.detour_kmh * 60.0 + far / s.road_average_kmh * 60.0
    return kwh / v.kwh_per_percent, minutes


def wait_min(c: Candidate, settings: PlannerSettings) -> float:
    """Without an occupancy model, a wait is expected only when a fresh status says no EVSE is free."""
    fresh = c.status_age_min is not None and c.status_age_min <= settings.status_fresh_min
    return settings.busy_wait_min if fresh and c.available_count <= 0 else 0.0


def full_session_below(table: tuple[float, ...], min_session_min: float) -> tuple[float, ...]:
    """For each departure d: the arrival below which charging to d lasts at least the minimum
    session (``table(d) − table(a) ≥ m``), i.e. table⁻¹(table(d) − m)."""
    out = []
    for d in range(101):
        goal = table[d] - min_session_min
        if goal < 0:
            out.append(NO_FULL_SESSION)
            continue
        k = min(bisect_right(table, goal) - 1, 99)
        step = table[k + 1] - table[k]
        out.append(k + ((goal - table[k]) / step if step > 0 else 0.0))
    return tuple(out)


def estimated_charging_min(req: TripRequest, end_pct: float) -> float:
    """A rough estimate of the charging (and stopping) time the whole trip needs, only to price
    each station nearer the hour the car will really be there: the energy still missing at half
    the car's peak power, plus one session overhead per 70 % charged."""
    missing = max(0.0, end_pct + req.arrive_target_percent - req.soc_percent)
    v, s = req.vehicle, req.settings
    return missing * v.kwh_per_percent / (0.5 * v.max_dc_power_kw) * 60.0 + s.stop_overhead_min * math.ceil(
        missing / 70.0
    )


def build_problem(
    req: TripRequest,
    *,
    prune_dominated: bool = True,
    first_floor_percent: float | None = None,
    stop_min_per_km: float | None = None,
) -> Problem:
    """``prune_dominated=False`` keeps every station (the tests' reference for the exact drop).
    ``first_floor_percent`` lets the first stop be reached below the reserve (low battery).
    ``stop_min_per_km``: the stopping time per km of the trip that places each station's arrival
    hour (None: :func:`estimated_charging_min` spread over the trip)."""
    s, v = req.settings, req.vehicle
    temp, learned = req.outside_temp_c, req.learned_kwh_per_km
    profile = build_profile(v, req.road, req.position_km, req.route_km, speeds(s), temp, learned, req.margin)
    length = profile.length_km
    margin = 1.0 + req.margin
    pinned = set(req.pinned_ids)
    depart = req.departure()
    occ = req.occupancy
    share = estimated_charging_min(req, profile.plan_pct[-1]) / length if length > 0 else 0.0
    if stop_min_per_km is not None:
        share = stop_min_per_km
    tables: dict[float, tuple[tuple[float, ...], tuple[float, ...]]] = {}
    detours: dict[tuple[float, ...], tuple[float, float]] = {}
    clocks: dict[tuple[str, int], tuple[str, int]] = {}
    prices: dict[tuple[int, float, str, int], float] = {}
    raw: list[tuple] = []
    prev_x = 0.0
    for c in sorted(req.candidates, key=lambda c: (c.along_km, c.location_id)):
        x = c.along_km - req.position_km
        if c.location_id in req.avoided_ids or c.location_id in req.offline_ids:
            continue
        if x < 0 or x > length or profile.in_ferry(x):
            continue
        pin = c.location_id in pinned
        if c.power_kw < s.trip_min_power_kw and not pin:
            continue
        key_d = (c.off_route_km,)
        leg = detours.get(key_d)
        if leg is None:
            leg = detours[key_d] = detour_leg(c, s, v, temp, learned)
        pct, mins = leg[0] * margin, leg[1]
        kw = min(c.power_kw, v.max_dc_power_kw)
        hit = tables.get(kw)
        if hit is None:
            table = charge_table_min(v, kw, temp)
            hit = tables[kw] = (table, full_session_below(table, s.min_session_min))
        table, full = hit
        route_min = profile.minutes_at(x)
        eta = int(route_min + x * share + mins)
        look = None if occ is None else outlook_of(c, depart + timedelta(minutes=eta), occ)
        w = wait_min(c, s) if look is None else look.expected_wait_min
        zone = c.time_zone or "Asia/Shanghai"
        key = (id(c.tariff), c.flat_price_cny_per_kwh, zone, eta)  # many stations share a tariff
        price = prices.get(key)
        if price is None:
            local = clocks.get((zone, eta))
            if local is None:
                local = clocks[(zone, eta)] = local_clock(depart + timedelta(minutes=eta), zone)
            price = prices[key] = c.price_cny_per_kwh(*local)
        e = profile.plan_at(x)
        seg_peak = profile.peak_plan(prev_x, x)
        prev_x = x
        # Laid out as kept_indices reads it, then what the Node needs besides.
        raw.append(
            (x, pct, pct, price, 2 * mins + s.stop_overhead_min + w, table, pin, e, seg_peak, c, mins, w,
             detour_km(c, s), route_min, full, look)
        )  # fmt: skip
    if occ is not None:
        raw = _with_reliability(raw, req.reserve_percent, s)
    if prune_dominated:  # before building Node objects: at a million, 13,000 candidates → 8,000
        raw = [raw[i] for i in kept_indices(raw)]
    nodes = [
        Node(c, x, pct, pct, mins, mins, s.stop_overhead_min + w + (0.0 if look is None else look.reliability_min),
             w, table, price, pin, e, route_min, full, look)
        for x, pct, _, price, _, table, pin, e, _, c, mins, w, _, route_min, full, look in raw
    ]  # fmt: skip
    return Problem(
        nodes=tuple(nodes),
        start_soc=req.soc_percent,
        reserve_percent=req.reserve_percent,
        arrive_target_percent=req.arrive_target_percent,
        length_km=length,
        profile=profile,
        kwh_per_percent=v.kwh_per_percent,
        charge_efficiency=v.charge_efficiency,
        soc_step_percent=s.soc_step_percent,
        depart_min_of_day=req.depart_min_of_day,
        detour_km_per_node=tuple(r[12] for r in raw),
        pin_min_charge_percent=s.pin_min_charge_percent,
        first_floor_percent=first_floor_percent,
        min_session_min=s.min_session_min,
    )


def _with_reliability(raw: list[tuple], reserve_percent: float, s: PlannerSettings) -> list[tuple]:
    """Each row's stop time plus P(fail) × the fallback (the next station reachable on the
    reserve: its detour, overhead and expected wait), and its outlook told that fallback."""
    rows = [(r[13], r[7], 2 * r[10], r[11]) for r in raw]
    fallbacks = fallback_minutes(rows, reserve_percent, s.stop_overhead_min, s.stranded_min)
    out = []
    for r, fb in zip(raw, fallbacks, strict=True):
        look = r[15]
        if look is not None:
            look = look.with_fallback(fb)
            r = (*r[:4], r[4] + look.reliability_min, *r[5:15], look)
        out.append(r)
    return out


def drop_dominated(p: Problem) -> Problem:
    """``p`` without each station that the station kept just before it (in route order) dominates.

    Why this is exact on the grid (argument in docs/planner.md): let A be kept and B the next
    station. If A is at most as far along, B's extra detour costs at least the road between them
    (``E(x_A) − exit_A ≥ E(x_B) − exit_B``, with E the planning energy along the route), the road
    between them climbs to no higher energy than at B (so leaving A with at least B's normalised
    charge lasts to B), and A has at least B's power, at most B's price and at most B's stop time,
    then a label reaches A whenever it reaches B, arrives there with more charge, and for every
    departure SoC ``d`` at B departs A at ``d`` with at least as much normalised charge for no
    more time or money (or need not stop at all / already finishes the trip). Because A and B are
    adjacent, every label B could extend is also in the front at A, and a stop at A followed by B
    is no better than one longer stop at A. Pinned stations are never dropped and never drop
    others, and nothing before the last pinned station is dropped (the pin's "charge at least
    this much more" can make arriving with less charge better)."""
    rows = []
    prev = 0.0
    for n in p.nodes:
        rows.append(
            (n.x_km, n.entry_percent, n.exit_percent, n.price_cny_per_kwh, n.entry_min + n.exit_min + n.fixed_min,
             n.charge_table_min, n.pinned, n.route_pct, p.profile.peak_plan(prev, n.x_km))
        )  # fmt: skip
        prev = n.x_km
    keep = kept_indices(rows)
    return _replace_nodes(p, [p.nodes[i] for i in keep], [p.detour_km_per_node[i] for i in keep])


def _replace_nodes(p: Problem, nodes: list[Node], detours: list[float]) -> Problem:
    return replace(p, nodes=tuple(nodes), detour_km_per_node=tuple(detours))


def kept_indices(rows: list[tuple]) -> list[int]:
    """The dominance rule of :func:`drop_dominated` over plain rows in route order that start
    with (x_km, entry_percent, exit_percent, price, stop_min, charge_table, pinned, route_pct,
    peak since the previous row)."""
    keep: list[int] = []
    faster: dict[tuple[int, int], bool] = {}
    # Before a pinned stop, more charge is not always better (see search._pin_cost): keep all.
    last_pin = max((i for i, row in enumerate(rows) if row[6]), default=-1)
    ax = aen = aex = apr = amin = ae = 0.0
    atab: tuple[float, ...] = ()
    apin = True  # nothing kept yet: nothing can dominate
    peak = -math.inf  # the highest energy on the road since A
    for i, row in enumerate(rows):
        x, en, exi, price, stop_min, table, pin, e, seg_peak = row[:9]
        peak = max(peak, seg_peak)
        if (
            not apin
            and not pin
            and i > last_pin
            and ax <= x
            and ae - aex >= e - exi - EPS
            and aen + ae <= en + e + EPS
            and peak <= e + EPS
            and apr <= price
            and amin <= stop_min
            and _faster_or_equal(atab, table, faster)
        ):
            continue
        keep.append(i)
        ax, aen, aex, apr, amin, atab, apin, ae = x, en, exi, price, stop_min, table, pin, e
        peak = e
    return keep


def _faster_or_equal(t_a: tuple[float, ...], t_b: tuple[float, ...], memo: dict[tuple[int, int], bool]) -> bool:
    """Every 1 % step takes A no longer than B (true whenever A's charger is at least as strong).
    Tables are shared per charger power, so the answer is memoised per pair of tables."""
    if t_a is t_b:
        return True
    key = (id(t_a), id(t_b))
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = all(
            a1 - a0 <= b1 - b0 + EPS for a0, a1, b0, b1 in zip(t_a, t_a[1:], t_b, t_b[1:], strict=False)
        )
    return hit


def grid_up(soc: float, step: int) -> int:
    """The smallest grid state of charge ≥ ``soc`` (a tolerance absorbs float noise)."""
    return math.ceil((soc - 1e-9) / step) * step
