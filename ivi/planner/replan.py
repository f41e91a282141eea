"""Re-planning: when the car drifts from the plan (it uses more energy than expected, or the
consumption CAN learned moves away from what the plan assumed) or a planned charger goes out of
order, plan again from where the car is and say what changed.

``replan(old, request)`` returns the new plan and one sentence per change, e.g.
``"stop 2 moved: charger offline"``. ``drift_reason`` tells the caller when re-planning is due.
Re-planning at low charge keeps a stop: the planner's low-battery floor lets the next stop be
reached below the reserve rather than dropping every stop.
"""

from __future__ import annotations

from ivi.planner.model import Stop, TripPlan, TripRequest
from ivi.planner.trip import plan_trip

DRIFT_TOLERANCE_PERCENT = 3.0
#: The learned consumption may differ this much from the plan's before a re-plan is due.
CONSUMPTION_DRIFT_PERCENT = 8.0


def drift_reason(
    plan: TripPlan,
    position_km: float,
    soc_percent: float,
    offline_ids: frozenset[str] = frozenset(),
    tolerance_percent: float = DRIFT_TOLERANCE_PERCENT,
    learned_kwh_per_km: float | None = None,
) -> str | None:
    """Why the plan no longer holds at ``position_km``, or None while it does. A learned
    consumption (from CAN, at cruise) more than ``CONSUMPTION_DRIFT_PERCENT`` above or below the
    one the plan assumed is a reason too: re-planning then uses it."""
    for s in _ahead(plan, position_km):
        if s.location_id in offline_ids:
            return f"planned charger {s.name} is offline"
    expected = plan.planned_soc_at(position_km)
    if soc_percent < expected - tolerance_percent:
        return f"state of charge {soc_percent:.0f} % is below the planned {expected:.0f} %"
    assumed = plan.kwh_per_km
    if learned_kwh_per_km and assumed:
        off = (learned_kwh_per_km / assumed - 1) * 100
        if abs(off) > CONSUMPTION_DRIFT_PERCENT:
            way = "above" if off > 0 else "below"
            return (
                f"consumption {learned_kwh_per_km * 100:.1f} kWh/100 km is {abs(off):.0f} % {way} the planned "
                f"{assumed * 100:.1f}"
            )
    return None


def replan(old: TripPlan, req: TripRequest, *, alternatives: bool = False) -> tuple[TripPlan, list[str]]:
    """Plan again for ``req`` (its ``position_km`` is where the car is now) and explain the
    changes against the stops of ``old`` that are still ahead."""
    new = plan_trip(req, alternatives=alternatives)
    expected = old.planned_soc_at(req.position_km)
    drift = req.soc_percent - expected
    before = _ahead(old, req.position_km)
    after = list(new.stops)
    notes: list[str] = []
    if abs(drift) >= 1.0:
        notes.append(
            f"state of charge is {req.soc_percent:.0f} %, {abs(drift):.0f} % "
            f"{'lower' if drift < 0 else 'higher'} than planned"
        )
    for i, old_stop in enumerate(before, 1):
        new_stop = after[i - 1] if i <= len(after) else None
        if new_stop is not None and new_stop.location_id == old_stop.location_id:
            if abs(new_stop.charge_min - old_stop.charge_min) >= 1.0:
                notes.append(
                    f"stop {i} {old_stop.name}: charge {old_stop.charge_min:.0f} → {new_stop.charge_min:.0f} min"
                    f" (to {new_stop.departure_soc:.0f} %)"
                )
            continue
        reason = _reason(old_stop, req, drift)
        if new_stop is None:
            notes.append(f"stop {i} removed: {reason}")
        else:
            notes.append(f"stop {i} moved: {reason} — now {new_stop.name} at km {new_stop.along_km:.0f}")
    for i in range(len(before) + 1, len(after) + 1):
        s = after[i - 1]
        notes.append(f"stop {i} added: {s.name} at km {s.along_km:.0f}, charge {s.charge_min:.0f} min")
    if not new.feasible:
        notes.append(new.message)
    return new, notes


def _ahead(plan: TripPlan, position_km: float) -> list[Stop]:
    return [s for s in plan.stops if s.along_km >= position_km]


def _reason(stop: Stop, req: TripRequest, drift: float) -> str:
    if stop.location_id in req.offline_ids:
        return "charger offline"
    if stop.location_id in req.avoided_ids:
        return "avoided by the driver"
    if req.pinned_ids:
        return "re-optimised around the pinned station"
    if drift <= -1.0:
        return "consumption higher than expected"
    if drift >= 1.0:
        return "consumption lower than expected"
    return "re-optimised"
