"""An exhaustive oracle for small trip-planning instances: every subset of stations in route
order, every grid departure state of charge at each, simulated independently of the search."""

from __future__ import annotations

import itertools
import math

from ivi.planner.problem import Objective, Problem
from ivi.planner.vehicle import table_at


def evaluate(p: Problem, obj: Objective, chain: list[tuple[int, float]]) -> float | None:
    """The objective of stopping at ``chain`` = [(node, departure_soc)], or None if infeasible."""
    soc, x, total = p.start_soc, 0.0, 0.0
    road_floor = min(p.reserve_percent, p.arrive_target_percent)
    for j, d in chain:
        nd = p.nodes[j]
        if soc - p.route_percent_per_km * (nd.x_km - x) < road_floor - 1e-9:
            return None
        a = soc - p.route_percent_per_km * (nd.x_km - x) - nd.entry_percent
        if a < p.reserve_percent - 1e-9 or d < a - 1e-9 or d > 100 or d - nd.exit_percent < p.reserve_percent - 1e-9:
            return None
        if nd.pinned and d < min(100.0, a + p.pin_min_charge_percent) - 1e-9:
            return None  # a pin means charge here
        charge = table_at(nd.charge_table_min, d) - table_at(nd.charge_table_min, a)
        energy_cost = nd.price_cny_per_kwh * p.kwh_per_percent / p.charge_efficiency * (d - a)
        total += (
            obj.per_min * (nd.entry_min + nd.exit_min + nd.fixed_min + charge)
            + obj.per_cny * energy_cost
            + obj.per_stop
        )
        soc, x = d - nd.exit_percent, nd.x_km
    if soc - p.route_percent_per_km * (p.length_km - x) < p.arrive_target_percent - 1e-9:
        return None
    return total + obj.per_min * p.route_min_per_km * p.length_km


def best(p: Problem, obj: Objective) -> float:
    """The minimum objective over every plan (inf when none is feasible)."""
    grid = list(range(0, 101, p.soc_step_percent))
    pinned = {j for j, n in enumerate(p.nodes) if n.pinned}
    result = math.inf
    n = len(p.nodes)
    for k in range(n + 1):
        for subset in itertools.combinations(range(n), k):
            if not pinned <= set(subset):
                continue
            for socs in itertools.product(grid, repeat=k):
                v = evaluate(p, obj, list(zip(subset, socs, strict=False)))
                if v is not None and v < result:
                    result = v
    return result
