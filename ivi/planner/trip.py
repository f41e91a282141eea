"""Trip plans: the fastest stop sequence and its alternatives (fewest stops, cheapest), turned
from search chains into :class:`~ivi.planner.model.TripPlan` with times, costs and clock times.

Pure: ``plan_trip(request)`` reads nothing and writes nothing.
"""

from __future__ import annotations

import math

from ivi.planner.errors import PlanInputError
from ivi.planner.model import Stop, TripPlan, TripRequest, clock, hhmm
from ivi.planner.problem import CHEAPEST, FASTEST, FEWEST_STOPS, Objective, Problem, build_problem
from ivi.planner.search import ChainStop, SearchResult, search
from ivi.planner.vehicle import table_at


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
    known = {c.location_id for c in req.candidates}
    for pin in req.pinned_ids:
        if pin not in known:
            raise PlanInputError(f"station {pin} is not near the route, so the plan cannot stop there")
        if pin in req.avoided_ids:
            raise PlanInputError(f"station {pin} is both pinned and avoided")


def plan_trip(req: TripRequest, objectives: tuple[Objective, ...] = (FASTEST, FEWEST_STOPS, CHEAPEST)) -> TripPlan:
    """The optimal plan for ``objectives[0]``, with the others in ``.alternatives``."""
    validate(req)
    problem = build_problem(req)
    plans = [plan_from_result(req, problem, search(problem, o), o) for o in objectives]
    main = plans[0]
    alts = {o.name: p for o, p in zip(objectives[1:], plans[1:], strict=False)}
    return TripPlan(**{**main.__dict__, "alternatives": alts})


def plan_from_result(req: TripRequest, p: Problem, res: SearchResult, obj: Objective) -> TripPlan:
    stops, t, soc, at = [], 0.0, p.start_soc, 0.0
    drive_km = drive_min = charge_total = overhead = cost_total = 0.0
    m, c = p.route_min_per_km, p.route_percent_per_km
    for cs in res.chain:
        nd = p.nodes[cs.node]
        cand = nd.candidate
        leg = nd.x_km - at
        t += leg * m + nd.entry_min
        drive_km += leg + p.detour_km_per_node[cs.node]
        drive_min += leg * m + nd.entry_min + nd.exit_min
        arrive = p.depart_min_of_day + t
        charge = table_at(nd.charge_table_min, cs.departure_soc) - table_at(nd.charge_table_min, cs.arrival_soc)
        price = cand.price_cny_per_kwh(hhmm(arrive + nd.wait_min))
        cost = (cs.departure_soc - cs.arrival_soc) * p.kwh_per_percent / p.charge_efficiency * price
        t += nd.fixed_min + charge
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
                charge_min=charge,
                wait_min=nd.wait_min,
                cost_cny=cost,
                arrive_min_of_day=arrive,
                charged_min_of_day=p.depart_min_of_day + t,
                available_count=cand.available_count,
                evse_count=cand.evse_count,
            )
        )
        t += nd.exit_min
        charge_total += charge
        overhead += nd.fixed_min
        cost_total += cost
        soc, at = cs.departure_soc - nd.exit_percent, nd.x_km
    end_km = p.length_km if res.feasible else max(res.reach_km, at)
    leg = end_km - at
    drive_km += leg
    drive_min += leg * m
    t += leg * m
    arrival = soc - leg * c
    warnings = []
    if req.soc_stale:
        warnings.append(f"state of charge {req.soc_percent:g} % is stale: the plan uses it until CAN reports again")
    message = "" if res.feasible else _why_infeasible(req, p, res, end_km)
    return TripPlan(
        objective=obj.name,
        feasible=res.feasible,
        stops=tuple(stops),
        drive_km=drive_km,
        drive_min=drive_min,
        charge_min=charge_total,
        stop_overhead_min=overhead,
        total_min=t,
        arrival_soc=arrival,
        cost_cny=cost_total,
        reach_km=req.position_km + end_km,
        route_km=req.route_km,
        position_km=req.position_km,
        start_soc=p.start_soc,
        route_percent_per_km=c,
        depart_min_of_day=p.depart_min_of_day,
        message=message,
        warnings=tuple(warnings),
        soc_stale=req.soc_stale,
    )


def _why_infeasible(req: TripRequest, p: Problem, res: SearchResult, reach: float) -> str:
    where = req.position_km + reach
    if res.blocked_by_pin is not None:
        nd = p.nodes[res.blocked_by_pin]
        return (
            f"the pinned station {nd.candidate.name} ({nd.candidate.location_id}) at km {nd.candidate.along_km:.0f} "
            f"cannot be reached with the {req.reserve_percent:g} % reserve; best partial plan reaches km {where:.0f}"
        )
    if p.start_soc < p.reserve_percent:
        return f"the state of charge {p.start_soc:g} % is already below the {p.reserve_percent:g} % reserve"
    ahead = [n for n in p.nodes if n.x_km > reach]
    gap = (
        f"; the next usable charger is at km {req.position_km + ahead[0].x_km:.0f}"
        if ahead
        else "; no usable charger lies beyond"
    )
    return (
        f"destination unreachable even with charging: the best plan runs down to the {req.reserve_percent:g} % "
        f"reserve at km {where:.0f} of {req.route_km:.0f}{gap}"
    )


def describe(plan: TripPlan) -> list[str]:
    """Human lines for the CLI and the screen."""
    lines = []
    for i, s in enumerate(plan.stops, 1):
        lines.append(
            f"{i}. km {s.along_km:6.0f}  {s.network:8} {s.power_kw:4.0f} kW  {s.arrival_soc:4.0f} → "
            f"{s.departure_soc:3.0f} %"
            f"  {s.charge_min:4.0f} min (done {clock(s.charged_min_of_day)})  ¥{s.cost_cny:6.1f}  {s.name}"
        )
    return lines


__all__ = ["ChainStop", "describe", "plan_from_result", "plan_trip", "validate"]
