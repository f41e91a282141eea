"""The optimal stop sequence: a label-setting search over stations in route order.

Why it is exact and fast. On the route, every label (a way of being on the road) loses the same
energy and time per km, so we store labels *normalised to the car's position*:
``S = soc + route_percent_per_km · x`` and ``O = objective − per_min · route_min_per_km · x``.
In these coordinates labels never change while driving, and one label dominates another at every
later point iff it has ``S ≥`` and ``O ≤`` — so a single Pareto front over (S, O) holds every
label worth extending (Baum et al., "Shortest Feasible Paths with Charging Stops for Battery
Electric Vehicles", use SoC functions the same way). At each station the front's labels that
reach it give arrival states of charge ``a``; charging to a grid value ``d ≥ a`` costs
``g(d) − g(a)`` with ``g`` the station's (monotone) charging function plus price, so the best
departure for every ``d`` is one prefix-minimum sweep. Labels that can no longer reach the next
point on the route with the reserve leave the front for good.

Cost per station is O(front + 100); the front stays small because it is a Pareto set.

Pruning (branch and bound): a label whose objective plus an admissible bound on the rest of the
trip exceeds the best plan known is never created. The best plan known comes from a coarse (5 %)
pass first, and is tightened during the search whenever a new label can finish the trip without
another stop (its objective is then that of a complete plan).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace

from ivi.planner.bounds import NO_BOUND, RemainingBound, remaining_bound
from ivi.planner.problem import Objective, Problem, grid_up

EPS = 1e-9
COARSE_STEP = 5
#: Upper bounds tried for the coarse pass, as multiples of the lower bound on the trip's charging
#: part: a tight guess prunes hard (and fails fast when too tight).
GUESSES = (1.02, 1.03, 1.045, 1.07, 1.12, 1.25, 1.6)


@dataclass(frozen=True)
class ChainStop:
    node: int  # index into Problem.nodes
    arrival_soc: float
    departure_soc: float


@dataclass(frozen=True)
class SearchResult:
    feasible: bool
    chain: tuple[ChainStop, ...]  # the stops, in route order (the best partial plan if infeasible)
    objective: float  # the minimised weighted sum (infeasible: inf)
    reach_km: float  # how far the chain gets with the reserve left
    blocked_by_pin: int | None = None  # a pinned node no label could reach


def search(p: Problem, obj: Objective) -> SearchResult:
    """The optimal chain for ``obj``. On a fine grid a coarse (5 %) search runs first: its plan
    is feasible on the fine grid too, so its objective bounds the fine search (A*-style pruning
    with an admissible lower bound on what the rest of the trip must still cost, see
    :mod:`ivi.planner.bounds`)."""
    lb = remaining_bound(p, obj)
    if p.soc_step_percent < COARSE_STEP and len(p.nodes) > 20:
        rough = replace(p, soc_step_percent=COARSE_STEP)
        # The coarse pass is pruned too, by guessed bounds a little above the lower bound for the
        # whole trip; a guess that is too low finds nothing, and the next (finally none) is tried.
        drive = obj.per_min * p.route_min_per_km * p.length_km
        rest = lb.at(p.route_percent_per_km * p.length_km + p.arrive_target_percent - p.start_soc)
        for guess in (*(drive + rest * f + 1e-6 for f in GUESSES), float("inf")):
            coarse = _search(rough, obj, guess, lb)
            if coarse.feasible:
                break
        if coarse.feasible:
            best = _refine(p, obj, coarse, lb)
            fine = _search(p, obj, best.objective * (1 + 1e-9) + 1e-6, lb)
            return fine if fine.feasible and fine.objective <= best.objective else best
    return _search(p, obj, float("inf"), lb)


def _refine(p: Problem, obj: Objective, coarse: SearchResult, lb: RemainingBound) -> SearchResult:
    """The coarse plan's stations with their departures re-chosen on the fine grid: a feasible
    fine-grid plan (so a tighter upper bound), found by the same search over those few nodes."""
    keep = [s.node for s in coarse.chain]
    sub = _search(replace(p, nodes=tuple(p.nodes[i] for i in keep)), obj, float("inf"), lb)
    if not sub.feasible or sub.objective > coarse.objective:
        return coarse
    chain = tuple(replace(s, node=keep[s.node]) for s in sub.chain)
    return replace(sub, chain=chain)


def _search(p: Problem, obj: Objective, upper_bound: float, lb: RemainingBound = NO_BOUND) -> SearchResult:
    c_pct, reserve, step = p.route_percent_per_km, p.reserve_percent, p.soc_step_percent
    w_t, w_c, w_s = obj.per_min, obj.per_cny, obj.per_stop
    # Label table (parallel lists): normalised soc, normalised objective, parent, node, arrival, departure.
    LS, LO, LP, LN, LA, LD = [p.start_soc], [0.0], [-1], [-1], [0.0], [0.0]
    front: list[int] = [0]
    fS: list[float] = [p.start_soc]
    best_reach = (_reach(p.start_soc, reserve, c_pct), 0.0, 0)  # (km, -O, label)
    length = p.length_km
    # Labels whose objective plus an admissible bound on the rest exceeds the upper bound can
    # never lead to a better plan: they are not created, and stations none of whose reaching
    # labels could beat the bound are skipped without a sweep.
    need_total = c_pct * length + p.arrive_target_percent
    ub = upper_bound - w_t * p.route_min_per_km * length
    pruning = ub < float("inf") and lb is not NO_BOUND
    bound = lb.by_percent
    n_bound = len(bound) - 1
    per_stop_min = lb.per_stop
    # suffix[i]: the least any front label i.. can cost with at least one more stop (this
    # stop's own fixed part beyond the cheapest stop is added per station).
    suffix = _suffix_bounds(front, fS, LO, need_total, bound, per_stop_min) if pruning else []
    road_floor = min(reserve, p.arrive_target_percent)  # the destination may be asked for less
    pins = [j for j, nd in enumerate(p.nodes) if nd.pinned]
    last_pin = pins[-1] if pins else -1
    # Dominance in the merge: B is dropped when a kept label A with S_A ≥ S_B has
    # O_A + G(S_A) ≤ O_B + G(S_B); with no pin ahead G = 0 (plain Pareto), before one G is what
    # the pin's least allowed departure costs (see _pin_cost).
    pin_costs = {j: _pin_cost(p, j, w_t, w_c) for j in pins}
    start = 0  # front[start:] is the live front: labels before it ran out of charge on the road
    for j, nd in enumerate(p.nodes):
        ex = c_pct * nd.x_km
        start = bisect_left(fS, ex + road_floor - EPS, start)
        n_front = len(front)
        if start == n_front:  # every label ran out of charge: nothing further can be reached
            return _partial(p, LP, LN, LA, LD, best_reach, blocked=next((i for i in pins if i >= j), None))
        k0 = bisect_left(fS, ex + nd.entry_percent + reserve - EPS, start)
        if k0 == n_front:
            if nd.pinned:
                return _partial(p, LP, LN, LA, LD, best_reach, blocked=j)
            continue
        table = nd.charge_table_min
        per_pct = w_c * nd.price_cny_per_kwh * p.kwh_per_percent / p.charge_efficiency
        base = w_t * (nd.entry_min + nd.exit_min + nd.fixed_min) + w_s
        arr_off = ex + nd.entry_percent
        if pruning and not nd.pinned and suffix[k0] + base - per_stop_min > ub:
            continue  # no label that reaches this station can finish through it within the bound
        need = p.arrive_target_percent + c_pct * (length - nd.x_km) + nd.exit_percent
        # Charging beyond what finishes the trip never pays — unless a pinned stop lies ahead,
        # where the grid forces a charge that may be dearer than charging more here.
        hi = 100 if j <= last_pin else min(100, grid_up(min(need, 100.0), step))
        lo = max(grid_up(reserve + nd.exit_percent, step), grid_up(fS[k0] - arr_off, step))
        new_S: list[float] = []
        new_O: list[float] = []
        new_par: list[int] = []
        new_a: list[float] = []
        new_d: list[int] = []
        ptr = k0
        best_val, best_lbl, best_a = float("inf"), -1, 0.0
        # A pin means "charge here": a label may depart at d only if d ≥ min(100, arrival + pin_min).
        shift = p.pin_min_charge_percent if nd.pinned else 0.0
        # The hot loop (a few hundred thousand steps at a million chargers), so per station:
        # a label arrives within d iff fS ≤ d (− shift) + lim_off; departing at d gives
        # S = d + s_off, the deficit def0 − d, and the bound at its floor, whole − d.
        lim_off = arr_off + EPS
        s_off = ex - nd.exit_percent
        def0 = need_total - s_off
        whole = int(def0) if def0 > 0 else 0
        for d in range(lo, hi + 1, step):
            lim = (d - shift if d < 100 else d) + lim_off
            while ptr < n_front and fS[ptr] <= lim:
                lbl = front[ptr]
                a = LS[lbl] - arr_off
                ka = int(a)
                ta = table[ka] + (table[ka + 1] - table[ka]) * (a - ka) if ka < 100 else table[100]
                val = LO[lbl] - w_t * ta - per_pct * a
                if val < best_val:
                    best_val, best_lbl, best_a = val, lbl, a
                ptr += 1
            if best_lbl < 0:
                continue
            o_new = best_val + w_t * table[d] + per_pct * d + base
            if o_new > ub and ptr == n_front:
                break  # o_new only grows with d once every label is in the prefix minimum
            deficit = def0 - d
            s_new = d + s_off
            if deficit <= EPS:
                # This label finishes the trip without another stop: a plan (unless a pinned stop
                # lies ahead), so its objective bounds the rest of the search (branch and bound),
                # and pruning starts if it had not.
                if o_new < ub and j >= last_pin:
                    ub = o_new
                    if not pruning and lb is not NO_BOUND:
                        pruning = True
            elif pruning and o_new + bound[whole - d if whole - d < n_bound else n_bound] > ub:
                continue
            new_S.append(s_new)
            new_O.append(o_new)
            new_par.append(best_lbl)
            new_a.append(best_a)
            new_d.append(d)
        if not new_S:
            if nd.pinned:
                return _partial(p, LP, LN, LA, LD, best_reach, blocked=j)
            continue
        # Merge the new labels into the front (or replace it, at a pinned station): sweep from the
        # highest S down, keeping a label only if it beats every label with a higher S.
        old, lo_i = (front, start) if not nd.pinned else ([], 0)
        merged: list[int] = []
        run = float("inf")  # min over kept labels of O + G(S)
        gate = pin_costs[pins[bisect_right(pins, j)]] if j < last_pin else None
        i, k = len(old) - 1, len(new_S) - 1
        while i >= lo_i or k >= 0:
            if k < 0 or (i >= lo_i and (LS[old[i]] > new_S[k] or (LS[old[i]] == new_S[k] and LO[old[i]] <= new_O[k]))):
                lbl = old[i]
                i -= 1
                key = LO[lbl] if gate is None else LO[lbl] + gate(LS[lbl])
                if key < run:
                    run = key
                    merged.append(lbl)
            else:
                key = new_O[k] if gate is None else new_O[k] + gate(new_S[k])
                if key < run:
                    run = key
                    lbl = len(LS)
                    LS.append(new_S[k])
                    LO.append(new_O[k])
                    LP.append(new_par[k])
                    LN.append(j)
                    LA.append(new_a[k])
                    LD.append(float(new_d[k]))
                    merged.append(lbl)
                    r = _reach(new_S[k], reserve, c_pct)
                    if (r, -new_O[k]) > best_reach[:2]:
                        best_reach = (r, -new_O[k], lbl)
                k -= 1
        merged.reverse()
        front, start = merged, 0
        fS = [LS[x] for x in front]
        if pruning:
            suffix = _suffix_bounds(front, fS, LO, need_total, bound, per_stop_min)
    end = c_pct * length + p.arrive_target_percent
    k = bisect_left(fS, end - EPS, start)
    if k == len(front):
        return _partial(p, LP, LN, LA, LD, best_reach)
    best = min(front[k:], key=lambda x: (LO[x], -LS[x]))
    return SearchResult(True, _chain(best, LP, LN, LA, LD), LO[best] + w_t * p.route_min_per_km * length, length)


def _suffix_bounds(
    front: list[int], fS: list[float], LO: list[float], need_total: float, bound: tuple[float, ...], per_stop: float
) -> list[float]:
    out = [0.0] * len(front)
    run, last = float("inf"), len(bound) - 1
    for i in range(len(front) - 1, -1, -1):
        dl = need_total - fS[i]
        rest = bound[dl if dl < last else last] if (dl := int(dl)) > 0 else 0.0
        v = LO[front[i]] + (rest if rest > per_stop else per_stop)
        run = min(run, v)
        out[i] = run
    return out


def _pin_cost(p: Problem, j: int, w_t: float, w_c: float) -> Callable[[float], float]:
    """G for labels before the pinned stop ``j``: S ↦ the weighted cost of charging at the pin from
    0 to the least departure a label with normalised charge S may take there.

    Why. A pin means "charge at least ``pin_min`` more here" (on the grid), so a label arriving
    with more charge may be forced to depart higher than one with less could: more charge is
    not simply better before a pin. If B departs the pin at d, A (S_A ≥ S_B) departs at
    max(d, its least departure c_A) and pays at most G(c_A) − G(c_B) more than B; so A is at
    least as good as B whenever O_A + G(S_A) ≤ O_B + G(S_B), at the pin and at any stop before
    it (G only grows with S). With equal least departures this is plain dominance."""
    nd = p.nodes[j]
    step, shift = p.soc_step_percent, p.pin_min_charge_percent
    off = p.route_percent_per_km * nd.x_km + nd.entry_percent  # arrival = S − off
    lo = grid_up(p.reserve_percent + nd.exit_percent, step)
    per_pct = w_c * nd.price_cny_per_kwh * p.kwh_per_percent / p.charge_efficiency
    table = nd.charge_table_min
    cost = [w_t * table[c] + per_pct * c for c in range(101)]

    def g(S: float) -> float:
        c = grid_up(S - off + shift, step)
        return cost[100 if c >= 100 else lo if c <= lo else c]

    return g


def _reach(S: float, reserve: float, c_pct: float) -> float:
    return (S - reserve) / c_pct if c_pct > 0 else float("inf")


def _chain(lbl: int, LP: list[int], LN: list[int], LA: list[float], LD: list[float]) -> tuple[ChainStop, ...]:
    out = []
    while lbl > 0:
        out.append(ChainStop(LN[lbl], LA[lbl], LD[lbl]))
        lbl = LP[lbl]
    return tuple(reversed(out))


def _partial(p: Problem, LP, LN, LA, LD, best_reach, blocked: int | None = None) -> SearchResult:
    reach = max(0.0, min(best_reach[0], p.length_km))
    return SearchResult(False, _chain(best_reach[2], LP, LN, LA, LD), float("inf"), reach, blocked)
