"""When to leave: the departure in a window that minimises the trip's total time and cost, given
the predicted waits at each stop's arrival and the time-of-use tariffs (issue 17, item 4).

:func:`best_departure` plans the trip for every ``step_min`` of the window (``plan_trip`` per
departure: each plan is optimal for its own departure) and scores each plan by
``total_min + cost_cny × minutes_per_cny`` (``PlannerSettings.minutes_per_cny``: what a yuan is
worth in the driver's minutes). The trip's own duration counts, not the hour it ends: leaving
later is not a cost. Ties go to the earliest departure. The advice says why in both languages,
against leaving at the window's start: "leave at 08:40: stop 2 is usually free then and off-peak
prices apply" / "建议08:40出发：届时第2站通常有空位，适用低谷电价" (clock times in China Standard Time, like
every time the planner shows).

Pure, like the rest of the planner: the window is two aware instants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chargers.occupancy import Reason
from ivi.planner.errors import PlanInputError
from ivi.planner.model import DEFAULT_TIME_ZONE, TripPlan, TripRequest, local_clock
from ivi.planner.trip import plan_trip

__all__ = [
    "MAX_SLOTS",
    "MAX_WINDOW_H",
    "DepartureAdvice",
    "DepartureOption",
    "best_departure",
    "china_clock",
    "departures",
]

MAX_WINDOW_H = 24.0
MAX_SLOTS = 97
#: Prices this much lower count as "off-peak prices apply".
CHEAPER_SHARE = 0.05


@dataclass(frozen=True)
class DepartureOption:
    depart_at: datetime
    plan: TripPlan
    wait_min: float  # expected waiting over the plan's stops
    score: float  # total minutes + cost in minutes; inf when the plan does not reach the destination

    def to_json(self) -> dict[str, Any]:
        return {
            "depart_at": self.depart_at.isoformat(timespec="minutes"),
            "feasible": self.plan.feasible,
            "total_min": round(self.plan.total_min, 1),
            "wait_min": round(self.wait_min, 1),
            "cost_cny": round(self.plan.cost_cny, 2),
            "score": None if math.isinf(self.score) else round(self.score, 1),
            "stops": len(self.plan.stops),
        }


@dataclass(frozen=True)
class DepartureAdvice:
    best: DepartureOption
    first: DepartureOption  # leaving at the window's start: what the advice is measured against
    options: tuple[DepartureOption, ...]
    reasons: tuple[Reason, ...]
    feasible: bool  # some departure in the window reaches the destination

    @property
    def saves_min(self) -> float:
        return self.first.plan.total_min - self.best.plan.total_min

    @property
    def saves_cny(self) -> float:
        return self.first.plan.cost_cny - self.best.plan.cost_cny

    def text(self, lang: str = "en") -> str:
        hhmm = china_clock(self.best.depart_at)
        if lang == "zh":
            return f"建议{hhmm}出发：" + "，".join(r.zh for r in self.reasons)
        return f"leave at {hhmm}: " + " and ".join(r.en for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "depart_at": self.best.depart_at.isoformat(timespec="minutes"),
            "advice": self.text("en"),
            "advice_zh": self.text("zh"),
            "reasons": [{"key": r.key, "en": r.en, "zh": r.zh} for r in self.reasons],
            "saves_min": round(self.saves_min, 1),
            "saves_cny": round(self.saves_cny, 2),
            "options": [o.to_json() for o in self.options],
            "plan": self.best.plan.to_json(with_alternatives=False),
        }


def china_clock(when: datetime) -> str:
    """``HH:MM`` in China Standard Time, like every clock time the planner shows."""
    return local_clock(when, DEFAULT_TIME_ZONE)[0]


def departures(start: datetime, end: datetime, step_min: float) -> list[datetime]:
    """Every ``step_min`` from ``start`` to ``end`` (both included when the step lands on it)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise PlanInputError("a departure window needs timezone-aware times")
    if not (math.isfinite(step_min) and step_min >= 1):
        raise PlanInputError(f"a departure step of {step_min:g} min is too small (at least 1 min)")
    span = (end - start).total_seconds() / 60.0
    if span <= 0:
        raise PlanInputError(f"the departure window ends ({end:%H:%M}) before it starts ({start:%H:%M})")
    if span > MAX_WINDOW_H * 60:
        raise PlanInputError(f"a departure window of {span / 60:.0f} h is longer than {MAX_WINDOW_H:.0f} h")
    n = int(span // step_min) + 1
    if n > MAX_SLOTS:
        raise PlanInputError(f"{n} departures to try: use a step of at least {math.ceil(span / (MAX_SLOTS - 1))} min")
    return [start + timedelta(minutes=k * step_min) for k in range(n)]


def _wait(plan: TripPlan) -> float:
    return sum(s.wait_min for s in plan.stops)


def _price(plan: TripPlan) -> float | None:
    """The mean price per kWh the plan pays (weighted by what it charges)."""
    kwh = [(s.cost_cny / s.price_cny_per_kwh, s.price_cny_per_kwh) for s in plan.stops if s.price_cny_per_kwh]
    total = sum(k for k, _ in kwh)
    return sum(k * p for k, p in kwh) / total if total > 0 else None


def best_departure(req: TripRequest, start: datetime, end: datetime, step_min: float = 15.0) -> DepartureAdvice:
    """Plan the trip for each departure in the window; the best by time and cost, and why."""
    per_cny = req.settings.minutes_per_cny
    options = []
    for when in departures(start, end, step_min):
        plan = plan_trip(replace(req, depart_at=when))
        score = plan.total_min + plan.cost_cny * per_cny if plan.feasible else math.inf
        options.append(DepartureOption(when, plan, _wait(plan), score))
    feasible = any(not math.isinf(o.score) for o in options)
    best = min(options, key=lambda o: o.score) if feasible else options[0]
    return DepartureAdvice(best, options[0], tuple(options), _reasons(best, options[0], feasible), feasible)


def _reasons(best: DepartureOption, first: DepartureOption, feasible: bool) -> tuple[Reason, ...]:
    if not feasible:
        return (
            Reason(
                "infeasible", "no departure in the window reaches the destination", "时段内任何出发时间都无法到达目的地"
            ),
        )
    out: list[Reason] = []
    if best is first:
        out.append(
            Reason("first", "no later departure in the window is faster or cheaper", "时段内更晚出发不会更快或更省")
        )
        return tuple(out)
    if best.wait_min < first.wait_min - 1.0:
        free = [i for i, s in enumerate(best.plan.stops, 1) if s.outlook is not None and s.outlook.usually == "free"]
        if free and len(free) == len(best.plan.stops) > 1:
            out.append(Reason("occupancy", "the stops are usually free then", "届时各站通常有空位"))
        elif free:
            en = ", ".join(str(i) for i in free)
            out.append(
                Reason(
                    "occupancy",
                    f"stop{'s' if len(free) > 1 else ''} {en} {'are' if len(free) > 1 else 'is'} usually free then",
                    f"届时第{'、'.join(str(i) for i in free)}站通常有空位",
                )
            )
        else:
            saved = round(first.wait_min - best.wait_min)
            out.append(Reason("occupancy", f"about {saved} min less waiting", f"少等约{saved}分钟"))
    p_best, p_first = _price(best.plan), _price(first.plan)
    if p_best is not None and p_first is not None and p_best < p_first * (1 - CHEAPER_SHARE):
        out.append(Reason("tariff", "off-peak prices apply", "适用低谷电价"))
    if not out:
        saves = round(first.plan.total_min - best.plan.total_min)
        cny = round(first.plan.cost_cny - best.plan.cost_cny)
        at = china_clock(first.depart_at)
        out.append(
            Reason("total", f"{saves} min and ¥{cny} less than leaving at {at}", f"比{at}出发少{saves}分钟、省{cny}元")
        )
    return tuple(out)
