"""An admissible lower bound on what the rest of a trip must still cost, used to prune the
label-setting search (A*-style) without ever cutting the optimum.

Why this bound. A label that still lacks ``Δ`` percent of charge to finish the trip must charge
them in ``k ≥ 1`` sessions. Every session costs at least the cheapest stop (overhead + detour
time, weighted) and charges one interval of the battery between the floor and 100 %; the cost of
a 1 % step is at least the fastest charging time for that step over *all* stations of the
problem (weighted) plus the cheapest price (weighted), and a session is billed at least the
minimum session time ``m``. So ``k`` sessions cost at least ``k·(stop + max(F(Δ/k), w·m))``
with ``F(y)`` the cost of the ``y`` cheapest distinct steps (each step may be used at most ``k``
times; convex, piecewise linear). ``max(F, w·m)`` is convex too, so the function is convex in
``k`` (the perspective of a convex function) and the best ``k`` is found by a local walk. The
old bound (every step at the single fastest rate) ignored that a battery charges fast only over
part of its range, and pruned almost nothing.

The bound is tabulated once per (problem, objective) for whole-percent deficits; a fractional
deficit uses the table at its floor (the bound grows with the deficit, so this stays admissible).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ivi.planner.problem import Objective, Problem


@dataclass(frozen=True)
class RemainingBound:
    """``at(deficit)``: a lower bound on the rest of the trip's objective (driving excluded)."""

    by_percent: tuple[float, ...]  # index: whole-percent deficit, 0 .. len-1
    per_stop: float  # the cheapest a stop can cost (weighted), no charging included

    def at(self, deficit_percent: float) -> float:
        if deficit_percent <= 0:
            return 0.0
        i = int(deficit_percent)
        t = self.by_percent
        return t[i] if i < len(t) else t[-1]


NO_BOUND = RemainingBound((0.0,), 0.0)


def remaining_bound(p: Problem, obj: Objective) -> RemainingBound:
    """The bound for ``p`` under ``obj`` (no pruning when the problem has no stations)."""
    if not p.nodes:
        return NO_BOUND
    tables = {id(n.charge_table_min): n.charge_table_min for n in p.nodes}.values()
    steps = tuple(min(t[i + 1] - t[i] for t in tables) for i in range(100))
    min_price = min(n.price_cny_per_kwh for n in p.nodes)
    per_pct = obj.per_cny * min_price * p.kwh_per_percent / p.charge_efficiency
    per_stop = min(obj.per_min * (n.entry_min + n.exit_min + n.fixed_min) for n in p.nodes) + obj.per_stop
    # The car's first stop may be reached below the reserve (low battery): steps from there count.
    floor_pct = max(0, min(99, math.floor(min(p.reserve_percent, p.first_floor) + 1e-9)))
    costs = tuple(sorted(obj.per_min * s + per_pct for s in steps[floor_pct:]))
    most = max(1, math.ceil(p.end_pct + p.arrive_target_percent)) + 1
    return RemainingBound(_tabulate(costs, per_stop, most, obj.per_min * p.min_session_min), per_stop)


@lru_cache(maxsize=64)
def _tabulate(costs: tuple[float, ...], per_stop: float, most: int, min_session: float = 0.0) -> tuple[float, ...]:
    """min over k of k·(per_stop + max(F(Δ/k), min_session)) for Δ = 0..most (cached: the same
    car, price and stations give the same table for every re-plan)."""
    n = len(costs)
    prefix = [0.0]
    for c in costs:
        prefix.append(prefix[-1] + c)

    def h(k: int, d: int) -> float:
        y = d / k
        if y > n:
            return math.inf
        q = int(y)
        f = prefix[q] + ((y - q) * costs[q] if q < n else 0.0)
        return k * (per_stop + (f if f > min_session else min_session))

    out = [0.0]
    k = 1
    for d in range(1, most + 1):
        k = max(k, -(-d // n))
        v = h(k, d)
        while True:  # convex in k: walk to the local (= global) minimum
            up = h(k + 1, d)
            if up < v:
                k, v = k + 1, up
                continue
            if k > 1:
                down = h(k - 1, d)
                if down < v:
                    k, v = k - 1, down
                    continue
            break
        out.append(v)
    return tuple(out)
