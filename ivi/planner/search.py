"""The optimal stop sequence: a label-setting search over stations in route order.

Why it is exact and fast. On the route, every label (a way of being on the road) loses the same
energy and time between two points, so we store labels *normalised to the car's position*:
``S = soc + E(x)`` and ``O = objective − per_min · T(x)``, with ``E`` and ``T`` the planning
energy and the time from the car to ``x`` along the route (:mod:`ivi.planner.road`: per leg,
with climbs and ferries; not necessarily linear, and not even monotone downhill). In these
coordinates labels never change while driving, and one label dominates another at every later
point iff it has ``S ≥`` and ``O ≤`` — so a single Pareto front over (S, O) holds every label
worth extending (Baum et al., "Shortest Feasible Paths with Charging Stops for Battery Electric
Vehicles", use SoC functions the same way). A label is alive at ``x`` while ``S`` covers the
highest ``E`` on the road so far plus the floor (a pass is climbed before the valley beyond it).

At each station the front's labels that reach it give arrival states of charge ``a``; charging
to a grid value ``d ≥ a`` costs ``max(g(d) − g(a), m)`` plus the price, with ``g`` the
station's (monotone) charging function and ``m`` the minimum session. For each ``d`` the labels
split into those whose session from ``a`` to ``d`` lasts at least ``m`` (a prefix in ``a``: a
prefix minimum) and those billed ``m`` (a window sliding up with ``d``: a monotone deque), so the
best departure for every ``d`` is still one sweep. Labels that can no longer reach the next
point on the route leave the front for good.

The car's own label (no stop yet) may be allowed a lower floor for reaching its first stop (low
battery: ``Problem.first_floor_percent``): it is then swept on its own, beside the front.

Cost per station is O(front + 100); the front stays small because it is a Pareto set.

Pruning (branch and bound): a label whose objective plus an admissible bound on the rest of the
trip exceeds the best plan known is never created. The best plan known comes from a coarse (5 %)
pass first, and is tightened during the search whenever a new label can finish the trip without
another stop (its objective is then that of a complete plan).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from ivi.planner.bounds import NO_BOUND, RemainingBound, remaining_bound
from ivi.planner.problem import Objective, Problem, grid_up, road_peaks

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
        drive = obj.per_min * p.end_min
        rest = lb.at(p.end_pct + p.arrive_target_percent - p.start_soc)
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
    reserve, step = p.reserve_percent, p.soc_step_percent
    w_t, w_c, w_s = obj.per_min, obj.per_cny, obj.per_stop
    m_session = w_t * p.min_session_min
    start_soc, target = p.start_soc, p.arrive_target_percent
    first_floor = p.first_floor
    road_floor = min(reserve, target)  # the destination may be asked for less than the reserve
    root_floor = min(first_floor, target)
    # Label table (parallel lists): normalised soc, normalised objective, parent, node, arrival, departure.
    LS, LO, LP, LN, LA, LD = [start_soc], [0.0], [-1], [-1], [0.0], [0.0]
    # Low battery: the car's own label (0) may reach its first stop below the reserve, so it is
    # kept beside the front (whose floors are the reserve) and swept where it arrives.
    low_root = first_floor < reserve - EPS
    front: list[int] = [] if low_root else [0]
    fS: list[float] = [] if low_root else [start_soc]
    root_alive = low_root
    best_reach = (start_soc + (reserve - first_floor if low_root else 0.0), 0.0, 0)  # (S, -O, label)
    peaks, end_peak = road_peaks(p)
    # after[j]: the highest energy on the road beyond node j: a label leaving j finishes the trip
    # only if it covers that too (a pass after the last charger).
    after = [end_peak] * (len(peaks) + 1)
    for i in range(len(peaks) - 1, 0, -1):
        after[i - 1] = max(after[i], peaks[i])
    end_pct = p.end_pct
    # Labels whose objective plus an admissible bound on the rest exceeds the upper bound can
    # never lead to a better plan: they are not created, and stations none of whose reaching
    # labels could beat the bound are skipped without a sweep.
    need_total = end_pct + target
    ub = upper_bound - w_t * p.end_min
    pruning = ub < float("inf") and lb is not NO_BOUND
    bound = lb.by_percent
    n_bound = len(bound) - 1
    per_stop_min = lb.per_stop
    # suffix[i]: the least any front label i.. can cost with at least one more stop (this
    # stop's own fixed part beyond the cheapest stop is added per station).
    suffix = _suffix_bounds(front, fS, LO, need_total, bound, per_stop_min) if pruning else []
    pins = [j for j, nd in enumerate(p.nodes) if nd.pinned]
    last_pin = pins[-1] if pins else -1
    # Dominance in the merge: B is dropped when a kept label A with S_A ≥ S_B has
    # O_A + G(S_A) ≤ O_B + G(S_B); with no pin ahead G = 0 (plain Pareto), before one G is what
    # the pin's least allowed departure costs (see _pin_cost).
    pin_costs = {j: _pin_cost(p, j, w_t, w_c) for j in pins}
    kwh_money = p.kwh_per_percent / p.charge_efficiency
    start = 0  # front[start:] is the live front: labels before it ran out of charge on the road
    for j, nd in enumerate(p.nodes):
        ex = nd.route_pct
        start = bisect_left(fS, peaks[j] + road_floor - EPS, start)
        if root_alive and start_soc - peaks[j] < root_floor - EPS:
            root_alive = False
        n_front = len(front)
        if start == n_front and not root_alive:  # every label ran out of charge: nothing further
            return _partial(p, LS, LP, LN, LA, LD, best_reach, blocked=next((i for i in pins if i >= j), None))
        arr_off = ex + nd.entry_percent
        k0 = bisect_left(fS, arr_off + reserve - EPS, start)
        root_in = root_alive and start_soc - arr_off >= first_floor - EPS
        if k0 == n_front and not root_in:
            if nd.pinned:
                return _partial(p, LS, LP, LN, LA, LD, best_reach, blocked=j)
            continue
        table = nd.charge_table_min
        full = nd.full_below
        per_pct = w_c * nd.price_cny_per_kwh * kwh_money
        base = w_t * (nd.entry_min + nd.exit_min + nd.fixed_min) + w_s
        if pruning and not root_in and not nd.pinned and suffix[k0] + base - per_stop_min > ub:
            continue  # no label that reaches this station can finish through it within the bound
        if root_in:  # the swept labels in order of S: the front's from k0, and the car's own
            at = bisect_left(fS, start_soc, k0)
            labels, seqS, i0 = [*front[k0:at], 0, *front[at:]], [*fS[k0:at], start_soc, *fS[at:]], 0
        else:
            labels, seqS, i0 = front, fS, k0
        n = len(labels)
        # Leaving here with S ≥ finish completes the trip: the destination with its target, and
        # every pass beyond this station with the road floor.
        finish = max(need_total, after[j] + road_floor)
        need = finish - ex + nd.exit_percent
        # Charging beyond what finishes the trip never pays — unless a pinned stop lies ahead,
        # where the grid forces a charge that may be dearer than charging more here.
        hi = 100 if j <= last_pin else min(100, grid_up(min(need, 100.0), step))
        lo = max(grid_up(reserve + nd.exit_percent, step), grid_up(seqS[i0] - arr_off, step))
        new_S: list[float] = []
        new_O: list[float] = []
        new_par: list[int] = []
        new_a: list[float] = []
        new_d: list[int] = []
        # A pin means "charge here": a label may depart at d only if d ≥ min(100, arrival + pin_min).
        shift = p.pin_min_charge_percent if nd.pinned else 0.0
        # The hot loop (a few hundred thousand steps at a million chargers), so per station:
        # a label arrives within d iff S ≤ d (− shift) + lim_off; its session to d lasts at least
        # the minimum iff S ≤ full[d] + lim_off; departing at d gives S = d + s_off, the deficit
        # def0 − d (what it still lacks to finish: admissible for the bound), and the bound at
        # its floor, whole − d.
        lim_off = arr_off + EPS
        s_off = ex - nd.exit_percent
        def0 = finish - s_off
        whole = int(def0) if def0 > 0 else 0
        ptr = fptr = i0
        plain = j >= last_pin  # no pin ahead: plain Pareto dominance among the new labels
        # Per admitted label (index = position − i0): the cost to any d with a full session minus
        # w_t·g(d), the cost to any d within a session billed the minimum minus m, its arrival.
        m = n - i0
        xs, ys, arr = [0.0] * m, [0.0] * m, [0.0] * m
        window: deque[int] = deque()  # admitted labels billed the minimum, increasing ys
        best_full, full_at = float("inf"), -1
        for d in range(lo, hi + 1, step):
            lim = (d - shift if d < 100 else d) + lim_off
            while ptr < n and seqS[ptr] <= lim:
                lbl = labels[ptr]
                a = LS[lbl] - arr_off
                ka = int(a)
                ta = table[ka] + (table[ka + 1] - table[ka]) * (a - ka) if ka < 100 else table[100]
                y = LO[lbl] - per_pct * a
                while window and ys[window[-1]] >= y:
                    window.pop()
                k = ptr - i0
                window.append(k)
                ys[k], xs[k], arr[k] = y, y - w_t * ta, a
                ptr += 1
            flim = full[d] + lim_off
            while fptr < ptr and seqS[fptr] <= flim:
                x = xs[fptr - i0]
                if x < best_full:
                    best_full, full_at = x, fptr - i0
                fptr += 1
            while window and window[0] < fptr - i0:
                window.popleft()
            val, at = best_full + w_t * table[d], full_at
            if window and ys[window[0]] + m_session < val:
                at = window[0]
                val = ys[at] + m_session
            if at < 0:
                continue
            o_new = val + per_pct * d + base
            if o_new > ub and ptr == n:
                break  # o_new only grows with d once every label is admitted
            deficit = def0 - d
            s_new = d + s_off
            if deficit <= EPS:
                # This label finishes the trip without another stop (over every pass ahead): a
                # plan, unless a pinned stop lies ahead, so its objective bounds the rest of the
                # search (branch and bound), and pruning starts if it had not.
                if o_new < ub and j >= last_pin:
                    ub = o_new
                    if not pruning and lb is not NO_BOUND:
                        pruning = True
            elif pruning and o_new + bound[whole - d if whole - d < n_bound else n_bound] > ub:
                continue
            if plain and new_O and o_new <= new_O[-1]:
                # The label just made here (lower S, no lower O) is dominated by this one: replace
                # it rather than let the merge drop it (a session billed the minimum makes runs
                # of equal O; with a pin ahead, G(S) decides and nothing is replaced).
                new_S[-1], new_O[-1], new_par[-1], new_a[-1], new_d[-1] = s_new, o_new, labels[at + i0], arr[at], d
                continue
            new_S.append(s_new)
            new_O.append(o_new)
            new_par.append(labels[at + i0])
            new_a.append(arr[at])
            new_d.append(d)
        if not new_S:
            if nd.pinned:
                return _partial(p, LS, LP, LN, LA, LD, best_reach, blocked=j)
            continue
        if nd.pinned:
            root_alive = False  # a label that skips a pin is not a plan
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
                    if (new_S[k], -new_O[k]) > best_reach[:2]:
                        best_reach = (new_S[k], -new_O[k], lbl)
                k -= 1
        merged.reverse()
        front, start = merged, 0
        fS = [LS[x] for x in front]
        if pruning:
            suffix = _suffix_bounds(front, fS, LO, need_total, bound, per_stop_min)
    end = max(end_pct + target, end_peak + road_floor)
    k = bisect_left(fS, end - EPS, start)
    done = front[k:]
    if root_alive and start_soc >= max(end_pct + target, end_peak + root_floor) - EPS:
        done = [*done, 0]
    if not done:
        return _partial(p, LS, LP, LN, LA, LD, best_reach)
    best = min(done, key=lambda x: (LO[x], -LS[x]))
    return SearchResult(True, _chain(best, LP, LN, LA, LD), LO[best] + w_t * p.end_min, p.length_km)


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
    it (G only grows with S). With equal least departures this is plain dominance. The minimum
    session keeps this true: when it binds for A, A pays the minimum and B at least as much."""
    nd = p.nodes[j]
    step, shift = p.soc_step_percent, p.pin_min_charge_percent
    off = nd.route_pct + nd.entry_percent  # arrival = S − off
    lo = grid_up(p.reserve_percent + nd.exit_percent, step)
    per_pct = w_c * nd.price_cny_per_kwh * p.kwh_per_percent / p.charge_efficiency
    table = nd.charge_table_min
    cost = [w_t * table[c] + per_pct * c for c in range(101)]

    def g(S: float) -> float:
        c = grid_up(S - off + shift, step)
        return cost[100 if c >= 100 else lo if c <= lo else c]

    return g


def _chain(lbl: int, LP: list[int], LN: list[int], LA: list[float], LD: list[float]) -> tuple[ChainStop, ...]:
    out = []
    while lbl > 0:
        out.append(ChainStop(LN[lbl], LA[lbl], LD[lbl]))
        lbl = LP[lbl]
    return tuple(reversed(out))


def _partial(
    p: Problem,
    LS: list[float],
    LP: list[int],
    LN: list[int],
    LA: list[float],
    LD: list[float],
    best_reach: tuple[float, float, int],
    blocked: int | None = None,
) -> SearchResult:
    """The label that gets furthest (the most normalised charge): the best partial plan, and
    where its charge reaches the floor at the planning consumption."""
    lbl = best_reach[2]
    node = LN[lbl]
    x = 0.0 if node < 0 else p.nodes[node].x_km
    floor = p.first_floor if node < 0 else p.reserve_percent
    soc = LS[lbl] - (0.0 if node < 0 else p.profile.plan_at(x))
    reach = p.profile.runs_out_km(soc, x, floor, expected=False)
    return SearchResult(False, _chain(lbl, LP, LN, LA, LD), float("inf"), max(0.0, min(reach, p.length_km)), blocked)
