"""A trip request turned into numbers: the shape the label-setting search and the test oracle
both work on. Pure; every quantity has its unit in its name.

Positions are km from the car (``x_km``); energy is in percent of the usable battery.
A detour is modelled as ``2 × off_route_km × detour_road_factor`` of road, half to reach the
charger and half to get back, driven at ``detour_kmh``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from ivi.planner.model import Candidate, PlannerSettings, TripRequest, hhmm
from ivi.planner.vehicle import VehicleProfile, charge_table_min, learned_factor, model_kwh_per_km

#: Tolerance of the dominance test, the same as the search's comparisons of states of charge.
EPS = 1e-9


class Node(NamedTuple):
    """One candidate station in route order. A NamedTuple rather than a frozen dataclass (like
    ``chargers.store.Station``): at a million chargers a trip builds ~8,000 of these per plan, and a
    frozen dataclass's ``__init__`` costs several times as much."""

    candidate: Candidate
    x_km: float
    entry_percent: float  # energy from the route to the charger
    exit_percent: float  # and back
    entry_min: float
    exit_min: float
    fixed_min: float  # stop overhead + expected wait
    wait_min: float
    charge_table_min: tuple[float, ...]  # minutes to charge 0 → k %, k = 0..100
    price_cny_per_kwh: float  # at the station's ETA without stops (the search's price; see docs)
    pinned: bool = False


@dataclass(frozen=True)
class Problem:
    nodes: tuple[Node, ...]
    start_soc: float
    reserve_percent: float
    arrive_target_percent: float
    length_km: float  # from the car to the destination
    route_percent_per_km: float
    route_min_per_km: float
    kwh_per_percent: float
    charge_efficiency: float
    soc_step_percent: int
    depart_min_of_day: float = 480.0
    detour_km_per_node: tuple[float, ...] = ()
    pin_min_charge_percent: float = 0.0  # a pinned stop departs at ≥ min(100, arrival + this)


@dataclass(frozen=True)
class Objective:
    """A weighted sum the search minimises: minutes, CNY and stops (ties broken by tiny weights)."""

    name: str
    per_min: float
    per_cny: float
    per_stop: float


FASTEST = Objective("fastest", 1.0, 1e-6, 1e-3)
FEWEST_STOPS = Objective("fewest_stops", 1.0, 1e-6, 1e4)
CHEAPEST = Objective("cheapest", 1e-3, 1.0, 1e-4)
OBJECTIVES = (FASTEST, FEWEST_STOPS, CHEAPEST)


def route_kwh_per_km(
    vehicle: VehicleProfile, speed_kmh: float, temp_c: float, learned: float | None, cruise_kmh: float
) -> float:
    """Consumption at ``speed_kmh``, corrected by what CAN learned at cruising conditions."""
    return model_kwh_per_km(vehicle, speed_kmh, temp_c) * learned_factor(vehicle, learned, cruise_kmh, temp_c)


def detour_km(c: Candidate, settings: PlannerSettings) -> float:
    return 2.0 * c.off_route_km * settings.detour_road_factor


def wait_min(c: Candidate, settings: PlannerSettings) -> float:
    """A wait is expected only when a fresh status says no EVSE is free."""
    fresh = c.status_age_min is not None and c.status_age_min <= settings.status_fresh_min
    return settings.busy_wait_min if fresh and c.available_count <= 0 else 0.0


def build_problem(req: TripRequest, *, prune_dominated: bool = True) -> Problem:
    """``prune_dominated=False`` keeps every station (the tests' reference for the exact drop)."""
    s, v = req.settings, req.vehicle
    route_kwh = route_kwh_per_km(v, s.cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    detour_kwh = route_kwh_per_km(v, s.detour_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    kwh_pct = v.kwh_per_percent
    length = req.route_km - req.position_km
    min_per_km = 60.0 / s.cruise_kmh
    pinned = set(req.pinned_ids)
    tables: dict[float, tuple[float, ...]] = {}
    prices: dict[tuple[int, float, int], float] = {}
    raw: list[tuple] = []
    for c in sorted(req.candidates, key=lambda c: (c.along_km, c.location_id)):
        x = c.along_km - req.position_km
        if c.location_id in req.avoided_ids or c.location_id in req.offline_ids:
            continue
        if x < 0 or x > length:
            continue
        if c.power_kw < s.trip_min_power_kw and c.location_id not in pinned:
            continue
        d_km = detour_km(c, s)
        half = d_km / 2.0
        kw = min(c.power_kw, v.max_dc_power_kw)
        table = tables.get(kw)
        if table is None:
            table = tables[kw] = charge_table_min(v, kw)
        w = wait_min(c, s)
        eta = int(req.depart_min_of_day + x * min_per_km) % (24 * 60)
        key = (id(c.tariff), c.flat_price_cny_per_kwh, eta)  # many stations share a tariff
        price = prices.get(key)
        if price is None:
            price = prices[key] = c.price_cny_per_kwh(hhmm(eta))
        pct, mins = half * detour_kwh / kwh_pct, half / s.detour_kmh * 60.0
        # Laid out as kept_indices reads it, then what the Node needs besides.
        raw.append(
            (x, pct, pct, price, 2 * mins + s.stop_overhead_min + w, table, c.location_id in pinned, c, mins, w, d_km)
        )
    c_pct = route_kwh / kwh_pct
    if prune_dominated:  # before building Node objects: at a million, 13,000 candidates → 8,000
        raw = [raw[i] for i in kept_indices(raw, c_pct)]
    nodes = [
        Node(c, x, pct, pct, mins, mins, s.stop_overhead_min + w, w, table, price, pin)
        for x, pct, _, price, _, table, pin, c, mins, w, _ in raw
    ]
    detours = [r[10] for r in raw]
    return Problem(
        nodes=tuple(nodes),
        start_soc=req.soc_percent,
        reserve_percent=req.reserve_percent,
        arrive_target_percent=req.arrive_target_percent,
        length_km=length,
        route_percent_per_km=c_pct,
        route_min_per_km=min_per_km,
        kwh_per_percent=kwh_pct,
        charge_efficiency=v.charge_efficiency,
        soc_step_percent=s.soc_step_percent,
        depart_min_of_day=req.depart_min_of_day,
        detour_km_per_node=tuple(detours),
        pin_min_charge_percent=s.pin_min_charge_percent,
    )


def drop_dominated(nodes: list[Node], detours: list[float], percent_per_km: float) -> tuple[list[Node], list[float]]:
    """Drop each station that the station kept just before it (in route order) dominates.

    Why this is exact on the grid (argument in docs/planner.md): let A be kept and B the next
    station. If A is at most as far along, B's extra detour costs at least the road between them
    (``c·x_A − exit_A ≥ c·x_B − exit_B``), and A has at least B's power, at most B's price and at
    most B's stop time, then a label reaches A whenever it reaches B, arrives there with more
    charge, and for every departure SoC ``d`` at B departs A at ``d`` with at least as much
    normalised charge for no more time or money (or need not stop at all / already finishes the
    trip). Because A and B are adjacent, every label B could extend is also in the front at A,
    and a stop at A followed by B is no better than one longer stop at A. Pinned stations are
    never dropped and never drop others, and nothing before the last pinned station is dropped
    (the pin's "charge at least this much more" can make arriving with less charge better)."""
    keep = kept_indices(
        [
            (
                n.x_km,
                n.entry_percent,
                n.exit_percent,
                n.price_cny_per_kwh,
                n.entry_min + n.exit_min + n.fixed_min,
                n.charge_table_min,
                n.pinned,
            )
            for n in nodes
        ],
        percent_per_km,
    )
    return [nodes[i] for i in keep], [detours[i] for i in keep]


def kept_indices(rows: list[tuple], percent_per_km: float) -> list[int]:
    """The dominance rule of :func:`drop_dominated` over plain rows in route order that start
    with (x_km, entry_percent, exit_percent, price, stop_min, charge_table, pinned)."""
    keep: list[int] = []
    faster: dict[tuple[int, int], bool] = {}
    c = percent_per_km
    # Before a pinned stop, more charge is not always better (see search._pin_cost): keep all.
    last_pin = max((i for i, row in enumerate(rows) if row[6]), default=-1)
    ax = aen = aex = apr = amin = 0.0
    atab: tuple[float, ...] = ()
    apin = True  # nothing kept yet: nothing can dominate
    for i, row in enumerate(rows):
        x, en, exi, price, stop_min, table, pin = row[:7]
        if (
            not apin
            and not pin
            and i > last_pin
            and ax <= x
            and c * ax - aex >= c * x - exi - EPS
            and aen + c * ax <= en + c * x + EPS
            and apr <= price
            and amin <= stop_min
            and _faster_or_equal(atab, table, faster)
        ):
            continue
        keep.append(i)
        ax, aen, aex, apr, amin, atab, apin = x, en, exi, price, stop_min, table, pin
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
