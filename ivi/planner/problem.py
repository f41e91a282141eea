"""A trip request turned into numbers: the shape the label-setting search and the test oracle
both work on. Pure; every quantity has its unit in its name.

Positions are km from the car (``x_km``); energy is in percent of the usable battery.
A detour is modelled as ``2 × off_route_km × detour_road_factor`` of road, half to reach the
charger and half to get back, driven at ``detour_kmh``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ivi.planner.model import Candidate, PlannerSettings, TripRequest, hhmm
from ivi.planner.vehicle import VehicleProfile, charge_table_min, learned_factor, model_kwh_per_km


@dataclass(frozen=True)
class Node:
    """One candidate station in route order."""

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


def route_kwh_per_km(vehicle: VehicleProfile, speed_kmh: float, temp_c: float, learned: float | None,
                     cruise_kmh: float) -> float:
    """Consumption at ``speed_kmh``, corrected by what CAN learned at cruising conditions."""
    return model_kwh_per_km(vehicle, speed_kmh, temp_c) * learned_factor(vehicle, learned, cruise_kmh, temp_c)


def detour_km(c: Candidate, settings: PlannerSettings) -> float:
    return 2.0 * c.off_route_km * settings.detour_road_factor


def wait_min(c: Candidate, settings: PlannerSettings) -> float:
    """A wait is expected only when a fresh status says no EVSE is free."""
    fresh = c.status_age_min is not None and c.status_age_min <= settings.status_fresh_min
    return settings.busy_wait_min if fresh and c.available_count <= 0 else 0.0


def build_problem(req: TripRequest) -> Problem:
    s, v = req.settings, req.vehicle
    route_kwh = route_kwh_per_km(v, s.cruise_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    detour_kwh = route_kwh_per_km(v, s.detour_kmh, req.outside_temp_c, req.learned_kwh_per_km, s.cruise_kmh)
    kwh_pct = v.kwh_per_percent
    length = req.route_km - req.position_km
    min_per_km = 60.0 / s.cruise_kmh
    pinned = set(req.pinned_ids)
    tables: dict[float, tuple[float, ...]] = {}
    nodes: list[Node] = []
    detours: list[float] = []
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
        eta = req.depart_min_of_day + x * min_per_km
        nodes.append(Node(
            candidate=c, x_km=x,
            entry_percent=half * detour_kwh / kwh_pct, exit_percent=half * detour_kwh / kwh_pct,
            entry_min=half / s.detour_kmh * 60.0, exit_min=half / s.detour_kmh * 60.0,
            fixed_min=s.stop_overhead_min + w, wait_min=w, charge_table_min=table,
            price_cny_per_kwh=c.price_cny_per_kwh(hhmm(eta)), pinned=c.location_id in pinned,
        ))
        detours.append(d_km)
    return Problem(
        nodes=tuple(nodes), start_soc=req.soc_percent, reserve_percent=req.reserve_percent,
        arrive_target_percent=req.arrive_target_percent, length_km=length,
        route_percent_per_km=route_kwh / kwh_pct, route_min_per_km=min_per_km, kwh_per_percent=kwh_pct,
        charge_efficiency=v.charge_efficiency, soc_step_percent=s.soc_step_percent,
        depart_min_of_day=req.depart_min_of_day, detour_km_per_node=tuple(detours),
    )


def grid_up(soc: float, step: int) -> int:
    """The smallest grid state of charge ≥ ``soc`` (a tolerance absorbs float noise)."""
    return int(math.ceil((soc - 1e-9) / step)) * step
