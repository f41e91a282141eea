"""TripStore: the plan to the destination, the alternatives, why the plan changed, the
state-of-charge chart, and — while charging at a stop — what to charge to and when to leave.

Distances are from the car (not from the origin) and times are clock times, because that is what
a driver compares with the road signs and the dashboard clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ivi.services.ports import TripPlan, TripPlans
from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.base import Store, prop
from ivi.ui.stores.suggestions import occupancy_roles, short_name

STOP_KEYS = (
    "stationId",
    "network",
    "name",
    "shortName",
    "alongKm",
    "aheadKm",
    "arriveAt",
    "arrivalSoc",
    "departureSoc",
    "chargeMin",
    "powerKw",
    "costCny",
    "evses",
    "usually",
    "waitMin",
    "oftenDown",
    "noHistory",
)
ALT_KEYS = ("kind", "stops", "totalMin", "chargeMin", "costCny", "arrivalSoc", "feasible", "selected")
AT_STOP_KM = 2.0  # the car is at a planned stop when this close to it along the route


def clock(min_of_day: float) -> str:
    """Minutes after midnight → local ``HH:MM`` (the next day wraps: a driver reads the clock)."""
    m = round(min_of_day) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def plan_stop_rows(plan: TripPlan | None, position_km: float | None = None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    here = plan.position_km if position_km is None else position_km
    return [
        {
            "stationId": s.location_id,
            "network": s.network,
            "name": s.name,
            "shortName": short_name(s.name, "", False),
            "alongKm": round(s.along_km),
            "aheadKm": max(0, round(s.along_km - here)),
            "arriveAt": clock(s.arrive_min_of_day),
            "arrivalSoc": round(s.arrival_soc),
            "departureSoc": round(s.departure_soc),
            "chargeMin": round(s.charge_min),
            "powerKw": round(s.power_kw),
            "costCny": round(s.cost_cny),
            "evses": s.evse_count,
            **occupancy_roles(s.outlook),
        }
        for s in plan.stops
        if s.along_km >= here - AT_STOP_KM
    ]


def soc_profile(plan: TripPlan | None) -> tuple[list[float], list[float]]:
    """The chart: ``[km0, soc0, km1, soc1, …]`` from the car (km 0) to the destination — down on
    the road, straight up at each stop — and the stops' km. Empty without a plan."""
    if plan is None:
        return [], []
    pos = plan.position_km
    points = [0.0, round(plan.start_soc, 1)]
    stops: list[float] = []
    for s in plan.stops:
        km = round(max(0.0, s.along_km - pos), 1)
        points += [km, round(s.arrival_soc, 1), km, round(s.departure_soc, 1)]
        stops.append(km)
    end_km = round(max(0.0, (plan.reach_km if not plan.feasible else plan.route_km) - pos), 1)
    points += [end_km, round(plan.arrival_soc, 1)]
    return points, stops


@dataclass(frozen=True)
class ChargingAdvice:
    """At a planned stop, while charging: charge to ``target_soc`` for the next leg to ``next_leg``
    (the next stop's name or the destination), which takes about ``minutes_left``."""

    target_soc: float
    next_leg: str
    next_leg_km: float
    minutes_left: float


def charging_advice(
    plan: TripPlan | None, position_km: float, soc_percent: float | None, destination: str
) -> ChargingAdvice | None:
    """The planned stop the car is at and what it still needs; ``None`` away from one. The minutes
    scale the plan's own charging time by the share of the charge still to go."""
    if plan is None or soc_percent is None:
        return None
    stops = list(plan.stops)
    here = next((i for i, s in enumerate(stops) if abs(s.along_km - position_km) <= AT_STOP_KM), None)
    if here is None:
        return None
    s = stops[here]
    nxt = stops[here + 1] if here + 1 < len(stops) else None
    span = max(1e-6, s.departure_soc - s.arrival_soc)
    share = max(0.0, min(1.0, (s.departure_soc - soc_percent) / span))
    leg_km = (nxt.along_km if nxt else plan.route_km) - s.along_km
    return ChargingAdvice(
        s.departure_soc, short_name(nxt.name, "", False) if nxt else destination, leg_km, s.charge_min * share
    )


def explain_change(old: TripPlan | None, new: TripPlan | None, unavailable_ids: set[str]) -> tuple[str, str]:
    """(reason code, station name) for a plan whose stops changed; ("", "") when nothing did.

    Codes: ``station_unavailable`` (a planned charger is no longer available), ``replaced``
    (the planner found a better sequence: filters, state of charge or prices changed),
    ``unreachable`` (no plan reaches the destination any more)."""
    if old is None or not old.stops:
        return "", ""
    if new is None or not new.feasible:
        return "unreachable", ""
    new_ids = {s.location_id for s in new.stops}
    dropped = [s for s in old.stops if s.location_id not in new_ids]
    if not dropped:
        return "", ""
    gone = next((s for s in dropped if s.location_id in unavailable_ids), None)
    if gone is not None:
        return "station_unavailable", gone.name
    return "replaced", dropped[0].name


class TripStore(Store):
    changed = Signal()
    _defaults = {
        "destination": "",
        "remainingKm": 0,
        "selected": "",
        "reason": "",
        "reasonStation": "",
        "notes": "",
        "totalMin": 0,
        "chargeMin": 0,
        "costCny": 0,
        "arrivalSoc": 0,
        "stopCount": 0,
        "feasible": True,
        "state": "loading",
        "arriveAt": "",
        "chart": [],
        "chartStops": [],
        "chartKm": 0.0,
        "reservePercent": 10.0,
        "chargeTarget": -1,
        "chargeFor": "",
        "chargeForKm": 0,
        "chargeMinutesLeft": -1,
        "leaveAt": "",
        "departureAdvice": "",
    }
    destination = prop(str, "destination", changed)
    remainingKm = prop(int, "remainingKm", changed)
    selected = prop(str, "selected", changed)
    reason = prop(str, "reason", changed)
    reasonStation = prop(str, "reasonStation", changed)
    notes = prop(str, "notes", changed)  # the planner's own explanation of the re-plan (its sentences)
    totalMin = prop(int, "totalMin", changed)
    chargeMin = prop(int, "chargeMin", changed)
    costCny = prop(int, "costCny", changed)
    arrivalSoc = prop(int, "arrivalSoc", changed)
    stopCount = prop(int, "stopCount", changed)
    feasible = prop(bool, "feasible", changed)
    state = prop(str, "state", changed)  # loading | ready | error
    arriveAt = prop(str, "arriveAt", changed)  # at the destination, local "HH:MM"
    chart = prop("QVariantList", "chart", changed)  # km, soc, km, soc, … from the car
    chartStops = prop("QVariantList", "chartStops", changed)  # km of each stop from the car
    chartKm = prop(float, "chartKm", changed)
    reservePercent = prop(float, "reservePercent", changed)
    chargeTarget = prop(int, "chargeTarget", changed)  # -1: not at a planned stop
    chargeFor = prop(str, "chargeFor", changed)  # the next leg: next stop or the destination
    chargeForKm = prop(int, "chargeForKm", changed)
    chargeMinutesLeft = prop(int, "chargeMinutesLeft", changed)
    leaveAt = prop(str, "leaveAt", changed)
    #: Before departure (with an occupancy model): "leave at 08:40: stop 2 is usually free then"
    #: in the screen's language, "" when leaving now is best or nothing is known.
    departureAdvice = prop(str, "departureAdvice", changed)

    def __init__(self, destination: str, parent: QObject | None = None, *, reserve_percent: float = 10.0) -> None:
        super().__init__(parent)
        self.stops_model = DictListModel(STOP_KEYS, self)
        self.alts_model = DictListModel(ALT_KEYS, self)
        self.plans = TripPlans(None)
        self.position_km = 0.0
        self.english = True
        self.update(destination=destination, reservePercent=reserve_percent)

    stops = Property(QObject, lambda self: self.stops_model, constant=True)
    alternatives = Property(QObject, lambda self: self.alts_model, constant=True)

    def current(self) -> TripPlan | None:
        return next((p for p in self.plans.alternatives if p.objective == self._state["selected"]), self.plans.chosen)

    def set_plans(self, plans: TripPlans, remaining_km: float, unavailable_ids: frozenset[str] = frozenset()) -> None:
        old = self.current()
        self.plans = plans
        kind = self._state["selected"] or (plans.chosen.objective if plans.chosen else "")
        if plans.alternatives and kind not in {p.objective for p in plans.alternatives}:
            kind = plans.alternatives[0].objective
        self.update(selected=kind, remainingKm=round(remaining_km), state="ready")
        self._advise()
        reason, station = explain_change(old, self.current(), set(unavailable_ids))
        if reason:
            self.update(reason=reason, reasonStation=station, notes=" · ".join(plans.notes))
        self._publish()

    def set_language(self, english: bool) -> None:
        if english != self.english:
            self.english = english
            self._advise()

    def _advise(self) -> None:
        """The departure advice while the car has not set off, when leaving later is better."""
        a = self.plans.advice
        show = a is not None and a.feasible and a.best is not a.first and self.position_km < 1.0
        self.update(departureAdvice=a.text("en" if self.english else "zh") if show and a is not None else "")

    def set_position(self, position_km: float) -> None:
        """The car moved: distances in the stop list are from the car (and the departure advice
        is over once it has set off)."""
        if abs(position_km - self.position_km) >= 0.5:
            self.position_km = position_km
            self._advise()
            self.stops_model.replace(plan_stop_rows(self.current(), position_km))

    def set_charging(self, advice: ChargingAdvice | None, now_min_of_day: float) -> None:
        if advice is None:
            self.update(chargeTarget=-1, chargeFor="", chargeForKm=0, chargeMinutesLeft=-1, leaveAt="")
            return
        self.update(
            chargeTarget=round(advice.target_soc),
            chargeFor=advice.next_leg,
            chargeForKm=round(advice.next_leg_km),
            chargeMinutesLeft=round(advice.minutes_left),
            leaveAt=clock(now_min_of_day + advice.minutes_left),
        )

    def _publish(self) -> None:
        plan = self.current()
        self.stops_model.replace(plan_stop_rows(plan, self.position_km))
        chart, chart_stops = soc_profile(plan)
        self.alts_model.replace(
            [
                {
                    "kind": p.objective,
                    "stops": len(p.stops),
                    "totalMin": round(p.total_min),
                    "chargeMin": round(p.charge_min),
                    "costCny": round(p.cost_cny),
                    "arrivalSoc": round(p.arrival_soc),
                    "feasible": p.feasible,
                    "selected": p.objective == self._state["selected"],
                }
                for p in self.plans.alternatives
            ]
        )
        self.update(
            totalMin=round(plan.total_min) if plan else 0,
            chargeMin=round(plan.charge_min) if plan else 0,
            costCny=round(plan.cost_cny) if plan else 0,
            arrivalSoc=round(plan.arrival_soc) if plan else 0,
            stopCount=len(plan.stops) if plan else 0,
            feasible=bool(plan and plan.feasible),
            arriveAt=clock(plan.depart_min_of_day + plan.total_min) if plan and plan.feasible else "",
            chart=chart,
            chartStops=chart_stops,
            chartKm=chart[-2] if chart else 0.0,
        )

    @Slot(str)
    def select(self, kind: str) -> None:
        if self.update(selected=kind):
            self._publish()

    @Slot()
    def clearReason(self) -> None:
        self.update(reason="", reasonStation="", notes="")

    def set_error(self, detail: str) -> None:
        self.update(state="error", notes=detail)
