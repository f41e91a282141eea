"""Trip plans: the fastest stop sequence (and, when asked, the fewest-stops and cheapest ones),
turned from search chains into :class:`~ivi.planner.model.TripPlan` with times, costs, clock
times, margins and the reasons for each stop.

Pure: ``plan_trip(request)`` reads nothing and writes nothing.

Low battery: a plan first keeps the reserve everywhere; when no such plan exists (the car is at
or near the reserve with no charger close enough), it plans again letting the *first* stop be
reached on the low-battery floor (a few percent, never below 0 % at the planning consumption),
and says so. Infeasible: the best partial plan, where the car would run out (0 % at the expected
consumption) and the charger nearest that point.
"""

from __future__ import annotations

import math

from ivi.planner.errors import PlanInputError
from ivi.planner.model import Candidate, Ferry, NearbyCharger, Stop, TripPlan, TripRequest, clock, min_of_day
from ivi.planner.occupancy import Outlook
from ivi.planner.problem import CHEAPEST, FASTEST, FEWEST_STOPS, Objective, Problem, build_problem
from ivi.planner.search import SearchResult, search
from ivi.planner.vehicle import table_at

ALTERNATIVES = (FEWEST_STOPS, CHEAPEST)


def validate(req: TripRequest) -> None:
    for label, v in (
        ("state of charge", req.soc_percent),
        ("reserve", req.reserve_percent),
        ("arrival state of charge", req.arrive_target_percent),
    ):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= 100):
            raise PlanInputError(f"{label} must be between 0 and 100 %, got {v}")
    if req.reserve_percent >= 90:
        raise PlanInputError(f"a reserve of {req.reserve_percent:g} % leaves nothing to drive on")
    if req.route_km <= 0 or not math.isfinite(req.route_km):
        raise PlanInputError("the route has no length")
    if not 0 <= req.position_km <= req.route_km:
        raise PlanInputError(f"position {req.position_km:g} km is not on the {req.route_km:.0f} km route")
    if not 0 <= req.margin <= 1:
        raise PlanInputError(f"a consumption margin of {req.margin * 100:g} % is outside 0–100 %")
    known = {c.location_id for c in req.candidates}
    for pin in req.pinned_ids:
        if pin not in known:
            raise PlanInputError(f"station {pin} is not near the route, so the plan cannot stop there")
        if pin in req.avoided_ids:
            raise PlanInputError(f"station {pin} is both pinned and avoided")


def plan_trip(
    req: TripRequest, objectives: tuple[Objective, ...] = (FASTEST,), *, alternatives: bool = False
) -> TripPlan:
    """The optimal plan for ``objectives[0]``; with ``alternatives`` (or more objectives) the
    others in ``.alternatives`` — computed only when asked: they cost most of the time."""
    validate(req)
    if alternatives and len(objectives) == 1:
        objectives = (objectives[0], *(o for o in ALTERNATIVES if o is not objectives[0]))
    problem, res = _solve(req, objectives[0])
    main = plan_from_result(req, problem, res, objectives[0])
    share = _arrival_share(req, main, problem)
    if share is not None:  # the stops' arrival hours were misplaced: plan again with the plan's own
        problem, res = _solve(req, objectives[0], share)
        main = plan_from_result(req, problem, res, objectives[0])
    if not main.feasible:  # no alternative to an impossible trip: one clear answer
        return main
    alts = {}
    for o in objectives[1:]:
        p, r = (problem, search(problem, o)) if problem.first_floor_percent is None else _solve(req, o)
        alts[o.name] = plan_from_result(req, p, r, o)
    return TripPlan(**{**main.__dict__, "alternatives": alts})


#: With an occupancy model, a plan whose stops are reached this much later or earlier than their
#: estimated arrival (which placed their hour) is made again with its own stopping time per km.
ARRIVAL_SLIP_MIN = 20.0


def _arrival_share(req: TripRequest, plan: TripPlan, p: Problem) -> float | None:
    """The plan's stopping time per km when, with an occupancy model, one of its stops is reached
    more than ``ARRIVAL_SLIP_MIN`` away from the arrival its wait was predicted for; else None."""
    if req.occupancy is None or not plan.feasible or p.length_km <= 0:
        return None
    depart = req.departure()
    slips = [
        abs(s.arrive_min_of_day - plan.depart_min_of_day - (s.outlook.arrival - depart).total_seconds() / 60.0)
        for s in plan.stops
        if s.outlook is not None
    ]
    if not slips or max(slips) <= ARRIVAL_SLIP_MIN:
        return None
    return (plan.charge_min + plan.stop_overhead_min) / p.length_km


def _solve(req: TripRequest, obj: Objective, share: float | None = None) -> tuple[Problem, SearchResult]:
    """Keep the reserve everywhere if at all possible; else let the first stop be reached on the
    low-battery floor (the result that gets furthest is kept when neither finishes)."""
    problem = build_problem(req, stop_min_per_km=share)
    res = search(problem, obj)
    floor = min(req.low_battery_floor_percent, req.reserve_percent)
    if res.feasible or floor >= req.reserve_percent or res.blocked_by_pin is not None:
        return problem, res
    low = build_problem(req, first_floor_percent=floor, stop_min_per_km=share)
    low_res = search(low, obj)
    if low_res.feasible or low_res.reach_km > res.reach_km:
        return low, low_res
    return problem, res


def plan_from_result(req: TripRequest, p: Problem, res: SearchResult, obj: Objective) -> TripPlan:
    prof = p.profile
    stops: list[Stop] = []
    t = 0.0
    soc, at = p.start_soc, 0.0  # on the road after the last stop (planning consumption)
    expected, e_at = p.start_soc, 0.0  # the same at the expected consumption
    charge_total = overhead = cost_total = 0.0
    detour_total = detour_min = 0.0
    start_min = req.depart_min_of_day if req.depart_at is None else min_of_day(req.departure())
    margin = 1.0 + req.margin
    for i, cs in enumerate(res.chain):
        nd = p.nodes[cs.node]
        cand = nd.candidate
        t += prof.minutes_at(nd.x_km) - prof.minutes_at(at) + nd.entry_min
        arrive = start_min + t
        exp_arrival = expected - (prof.expected_at(nd.x_km) - prof.expected_at(e_at)) - nd.entry_percent / margin
        table = nd.charge_table_min
        charging = table_at(table, cs.departure_soc) - table_at(table, cs.arrival_soc)
        session = max(charging, p.min_session_min)
        cost = (cs.departure_soc - cs.arrival_soc) * p.kwh_per_percent / p.charge_efficiency * nd.price_cny_per_kwh
        t += nd.fixed_min + session
        low = i == 0 and cs.arrival_soc < p.reserve_percent - 1e-9
        stops.append(
            Stop(
                location_id=cand.location_id,
                network=cand.network,
                name=cand.name,
                lat=cand.lat,
                lon=cand.lon,
                along_km=cand.along_km,
                detour_km=p.detour_km_per_node[cs.node],
                power_kw=cand.power_kw,
                arrival_soc=cs.arrival_soc,
                departure_soc=cs.departure_soc,
                charge_min=session,
                wait_min=nd.wait_min,
                cost_cny=cost,
                arrive_min_of_day=arrive,
                charged_min_of_day=start_min + t,
                available_count=cand.available_count,
                evse_count=cand.evse_count,
                expected_arrival_soc=exp_arrival,
                margin_percent=exp_arrival - (p.first_floor if low else p.reserve_percent),
                price_cny_per_kwh=nd.price_cny_per_kwh,
                reason=_reason(obj, nd.pinned, low, cand, cs.arrival_soc, cs.departure_soc, session, charging),
                first_stop_floor=low,
                outlook=_passed_over(p, cs.node, {c.node for c in res.chain}),
            )
        )
        t += nd.exit_min
        charge_total += session
        overhead += nd.fixed_min
        cost_total += cost
        detour_total += p.detour_km_per_node[cs.node]
        detour_min += nd.entry_min + nd.exit_min
        soc, at = cs.departure_soc - nd.exit_percent, nd.x_km
        expected, e_at = cs.departure_soc - nd.exit_percent / margin, nd.x_km
    end_km = p.length_km if res.feasible else max(res.reach_km, at)
    t += prof.minutes_at(end_km) - prof.minutes_at(at)
    arrival = soc - (prof.plan_at(end_km) - prof.plan_at(at))
    exp_end = expected - (prof.expected_at(end_km) - prof.expected_at(e_at))
    warnings = []
    if req.soc_stale:
        warnings.append(f"state of charge {req.soc_percent:g} % is stale: the plan uses it until CAN reports again")
    low_battery = any(s.first_stop_floor for s in stops)
    if low_battery:
        warnings.append(
            f"low battery: the first stop is reached with {stops[0].arrival_soc:.0f} %, below the "
            f"{req.reserve_percent:g} % reserve (floor {p.first_floor:g} %)"
        )
    runs_out = nearest = None
    message = ""
    if not res.feasible:
        runs_out = req.position_km + prof.runs_out_km(expected, e_at, 0.0, expected=True)
        nearest = _nearest_charger(req.candidates, runs_out)
        message = _why_infeasible(req, p, res, req.position_km + end_km, runs_out, nearest)
    ferries = tuple(
        Ferry(
            f.name,
            req.position_km + f.from_km,
            req.position_km + f.to_km,
            f.crossing_min,
            start_min + _clock_at(res, p, f.from_km),
        )
        for f in prof.ferries
        if f.from_km < end_km
    )
    drive_road = prof.road_km_at(end_km) + detour_total
    return TripPlan(
        objective=obj.name,
        feasible=res.feasible,
        stops=tuple(stops),
        drive_km=drive_road,
        drive_min=t - charge_total - overhead,
        charge_min=charge_total,
        stop_overhead_min=overhead,
        total_min=t,
        arrival_soc=arrival,
        cost_cny=cost_total,
        reach_km=req.position_km + end_km,
        route_km=req.route_km,
        position_km=req.position_km,
        start_soc=p.start_soc,
        route_percent_per_km=prof.expected_pct[-1] / p.length_km if p.length_km > 0 else 0.0,
        depart_min_of_day=start_min,
        message=message,
        warnings=tuple(warnings),
        soc_stale=req.soc_stale,
        expected_arrival_soc=exp_end,
        margin_percent=exp_end - (req.arrive_target_percent if res.feasible else req.reserve_percent),
        consumption_margin_percent=req.margin * 100.0,
        to_empty_km=prof.runs_out_km(p.start_soc, 0.0, 0.0, expected=True),
        reserve_km=req.reserve_percent * req.vehicle.kwh_per_percent / prof.expected_kwh_per_km,
        ferries=ferries,
        low_battery=low_battery,
        runs_out_km=runs_out,
        nearest_charger=nearest,
        road_km=drive_road,
        kwh_per_km=prof.expected_kwh_per_km,
        expected_profile=tuple((req.position_km + k, e) for k, e in zip(prof.km, prof.expected_pct, strict=False)),
    )


#: Stations this close along the route are the alternatives a stop's occupancy note names.
NEAR_KM = 10.0


def _passed_over(p: Problem, j: int, chosen: set[int]) -> Outlook | None:
    """The stop's outlook, naming the nearby stations that would have cost less but for their
    predicted wait or unreliability (what the plan avoided, and why)."""
    nd = p.nodes[j]
    look = nd.outlook
    if look is None:
        return None
    base = nd.entry_min + nd.exit_min + nd.fixed_min - look.cost_min
    out = []
    for k, other in enumerate(p.nodes):
        o = other.outlook
        if k in chosen or o is None or abs(other.x_km - nd.x_km) > NEAR_KM:
            continue
        other_base = other.entry_min + other.exit_min + other.fixed_min - o.cost_min
        why = o.main_reason()
        if why is not None and other_base < base - 0.5 and o.cost_min > look.cost_min + 1.0:
            out.append((o.cost_min, other.candidate.location_id, other.candidate.name, why))
    out.sort(key=lambda r: (-r[0], r[1]))
    return look.with_instead_of(tuple((i, n, r) for _, i, n, r in out[:2])) if out else look


def _clock_at(res: SearchResult, p: Problem, x: float) -> float:
    """Minutes after the departure at which the plan reaches ``x`` (stops before it included)."""
    t = p.profile.minutes_at(x)
    for cs in res.chain:
        nd = p.nodes[cs.node]
        if nd.x_km > x:
            break
        charging = table_at(nd.charge_table_min, cs.departure_soc) - table_at(nd.charge_table_min, cs.arrival_soc)
        t += nd.entry_min + nd.exit_min + nd.fixed_min + max(charging, p.min_session_min)
    return t


def _reason(
    obj: Objective, pinned: bool, low: bool, c: Candidate, a: float, d: float, session: float, charging: float
) -> str:
    if pinned:
        return "you asked to charge here"
    if low:
        return f"low battery: reachable on the floor ({a:.0f} %), {c.power_kw:.0f} kW"
    why = {"fastest": "least total time", "fewest_stops": "fewest stops", "cheapest": "least money"}[obj.name]
    fill = "" if charging >= session - 1e-9 else f" (a {session:.0f}-minute session at least)"
    return f"{why}: {c.power_kw:.0f} kW takes {a:.0f} → {d:.0f} % in {charging:.0f} min{fill}"


def _nearest_charger(cands: tuple[Candidate, ...], km: float) -> NearbyCharger | None:
    """Any charger of the candidates (AC too) nearest by road to route km ``km``."""
    best = min(cands, key=lambda c: abs(c.along_km - km) + c.off_route_km, default=None)
    if best is None:
        return None
    dist = abs(best.along_km - km) + best.off_route_km
    return NearbyCharger(best.location_id, best.name, best.network, best.along_km, dist, best.power_kw)


def _why_infeasible(
    req: TripRequest, p: Problem, res: SearchResult, where: float, runs_out: float, nearest: NearbyCharger | None
) -> str:
    near = (
        f"; nearest charger there: {nearest.name} ({nearest.location_id}, {nearest.power_kw:.0f} kW) at km "
        f"{nearest.along_km:.0f}, {nearest.distance_km:.0f} km away"
        if nearest is not None
        else "; no charger of the cache lies near the route"
    )
    if res.blocked_by_pin is not None:
        nd = p.nodes[res.blocked_by_pin]
        return (
            f"the pinned station {nd.candidate.name} ({nd.candidate.location_id}) at km {nd.candidate.along_km:.0f} "
            f"cannot be reached with the {req.reserve_percent:g} % reserve; best partial plan reaches km {where:.0f}"
        )
    ahead = [n for n in p.nodes if n.x_km > where - req.position_km]
    gap = (
        f"; the next usable charger is at km {req.position_km + ahead[0].x_km:.0f}"
        if ahead
        else "; no usable charger lies beyond"
    )
    floor = "the low-battery floor" if p.first_floor_percent is not None and not res.chain else "the reserve"
    below = (
        f"the state of charge {req.soc_percent:g} % is below the {req.reserve_percent:g} % reserve and "
        if req.soc_percent < req.reserve_percent
        else ""
    )
    return (
        f"{below}destination unreachable even with charging: the best plan runs down to {floor} at km {where:.0f} "
        f"of {req.route_km:.0f}{gap}; at the expected consumption the car runs out at km {runs_out:.0f}{near}"
    )


def describe(plan: TripPlan) -> list[str]:
    """Human lines for the CLI and the screen."""
    lines: list[str] = []
    events: list[tuple[float, str]] = []
    for i, s in enumerate(plan.stops, 1):
        margin = "" if s.expected_arrival_soc is None else f" (expect {s.expected_arrival_soc:.0f} %)"
        text = (
            f"{i}. km {s.along_km:6.0f}  {s.network:8} {s.power_kw:4.0f} kW  {s.arrival_soc:4.0f} → "
            f"{s.departure_soc:3.0f} %{margin}"
            f"  {s.charge_min:4.0f} min (done {clock(s.charged_min_of_day)})  ¥{s.cost_cny:6.1f}  {s.name}"
        )
        why = outlook_line(s)
        events.append((s.along_km, text + (f"\n      at {clock(s.arrive_min_of_day)}: {why}" if why else "")))
    for f in plan.ferries:
        events.append(
            (
                f.from_km,
                f"   km {f.from_km:6.0f}  ferry    {f.name}: board {clock(f.board_min_of_day)},"
                f" {f.crossing_min:.0f} min",
            )
        )
    lines.extend(text for _, text in sorted(events, key=lambda e: e[0]))
    return lines


def outlook_line(s: Stop) -> str:
    """The stop's occupancy in one line (English): what the plan expects there and why."""
    o = s.outlook
    if o is None:
        return ""
    parts = [r.en for r in o.reasons if r.key != "wait"]
    parts += [f"instead of {name}: {why.en}" for _, name, why in o.instead_of]
    if o.expected_wait_min >= 1:
        parts.append(f"expected wait {o.expected_wait_min:.0f} min")
    if o.p_fail >= 0.02:
        parts.append(f"{o.p_fail * 100:.0f} % chance it is out of service")
    return "; ".join(parts)


__all__ = ["ALTERNATIVES", "NEAR_KM", "describe", "outlook_line", "plan_from_result", "plan_trip", "validate"]
