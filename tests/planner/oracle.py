"""An exhaustive oracle for small trip-planning instances: every subset of stations in route
order, every grid departure state of charge at each, simulated independently of the search on
the same cost model: energy and time from the route's profile (climbs, ferries), the road's
highest point between stops, a lower floor for the car's first stop (low battery), sessions
billed at least the minimum, pins that must charge."""

from __future__ import annotations

import itertools
import math

from ivi.planner.problem import Objective, Problem
from ivi.planner.vehicle import table_at

EPS = 1e-9


def _at(ks: tuple[float, ...], vs: tuple[float, ...], x: float) -> float:
    """Linear interpolation, written out again (not the profile's own method)."""
    if x <= ks[0]:
        return vs[0]
    for k0, v0, k1, v1 in zip(ks, vs, ks[1:], vs[1:], strict=False):
        if x <= k1:
            return v0 + (v1 - v0) * ((x - k0) / (k1 - k0) if k1 > k0 else 0.0)
    return vs[-1]


def _peak(p: Problem, x0: float, x1: float) -> float:
    ks, vs = p.profile.km, p.profile.plan_pct
    inner = [v for k, v in zip(ks, vs, strict=False) if x0 < k < x1]
    return max([_at(ks, vs, x0), _at(ks, vs, x1), *inner])


def evaluate(p: Problem, obj: Objective, chain: list[tuple[int, float]]) -> float | None:
    """The objective of stopping at ``chain`` = [(node, departure_soc)], or None if infeasible."""
    ks, e = p.profile.km, p.profile.plan_pct
    soc, x, total = p.start_soc, 0.0, 0.0
    # The first stop may be reached on a floor lower than the reserve (never a higher one).
    first_floor = p.reserve_percent if p.first_floor_percent is None else min(p.first_floor_percent, p.reserve_percent)
    target = p.arrive_target_percent
    for i, (j, d) in enumerate(chain):
        nd = p.nodes[j]
        floor = first_floor if i == 0 else p.reserve_percent
        if soc - (_peak(p, x, nd.x_km) - _at(ks, e, x)) < min(floor, target) - EPS:
            return None  # ran out on the road (a pass on the way counts)
        a = soc - (_at(ks, e, nd.x_km) - _at(ks, e, x)) - nd.entry_percent
        if a < floor - EPS or d < a - EPS or d > 100 or d - nd.exit_percent < p.reserve_percent - EPS:
            return None
        if nd.pinned and d < min(100.0, a + p.pin_min_charge_percent) - EPS:
            return None  # a pin means charge here
        charge = table_at(nd.charge_table_min, d) - table_at(nd.charge_table_min, a)
        session = max(charge, p.min_session_min)
        energy_cost = nd.price_cny_per_kwh * p.kwh_per_percent / p.charge_efficiency * (d - a)
        total += (
            obj.per_min * (nd.entry_min + nd.exit_min + nd.fixed_min + session)
            + obj.per_cny * energy_cost
            + obj.per_stop
        )
        soc, x = d - nd.exit_percent, nd.x_km
    floor = first_floor if not chain else p.reserve_percent
    if soc - (_peak(p, x, p.length_km) - _at(ks, e, x)) < min(floor, target) - EPS:
        return None
    if soc - (_at(ks, e, p.length_km) - _at(ks, e, x)) < target - EPS:
        return None
    return total + obj.per_min * p.profile.minutes[-1]


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
