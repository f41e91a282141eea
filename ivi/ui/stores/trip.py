"""TripStore: the plan to the destination, the alternatives, and why the plan changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ivi.services.ports import TripPlan, TripPlans
from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.base import Store, prop

STOP_KEYS = ("stationId", "network", "name", "alongKm", "arrivalSoc", "departureSoc", "chargeMin", "powerKw", "costCny")
ALT_KEYS = ("kind", "stops", "totalMin", "chargeMin", "costCny", "arrivalSoc", "feasible", "selected")


def plan_stop_rows(plan: TripPlan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [
        {
            "stationId": s.location_id,
            "network": s.network,
            "name": s.name,
            "alongKm": round(s.along_km),
            "arrivalSoc": round(s.arrival_soc),
            "departureSoc": round(s.departure_soc),
            "chargeMin": round(s.charge_min),
            "powerKw": round(s.power_kw),
            "costCny": round(s.cost_cny),
        }
        for s in plan.stops
    ]


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
    state = prop(str, "state", changed)

    def __init__(self, destination: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stops_model = DictListModel(STOP_KEYS, self)
        self.alts_model = DictListModel(ALT_KEYS, self)
        self.plans = TripPlans(None)
        self.update(destination=destination)

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
        reason, station = explain_change(old, self.current(), set(unavailable_ids))
        if reason:
            self.update(reason=reason, reasonStation=station, notes=" · ".join(plans.notes))
        self._publish()

    def _publish(self) -> None:
        plan = self.current()
        self.stops_model.replace(plan_stop_rows(plan))
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
        )

    @Slot(str)
    def select(self, kind: str) -> None:
        if self.update(selected=kind):
            self._publish()

    @Slot()
    def clearReason(self) -> None:
        self.update(reason="", reasonStation="", notes="")

    def set_error(self, detail: str) -> None:
        self.update(state="error")
