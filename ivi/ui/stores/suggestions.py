"""SuggestionsStore: the top stops ahead as the home screen lists them, and the alert banner.

Rows are built by the pure :func:`stop_row`; the list is capped while the car moves (driver
distraction: fewer items to scan in a glance).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ivi.services.ports import Suggestion
from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.base import Store, prop

ROW_KEYS = (
    "stationId",
    "network",
    "name",
    "nameEn",
    "city",
    "aheadKm",
    "detourKm",
    "arrivalSoc",
    "reachable",
    "powerKw",
    "available",
    "total",
    "statusAgeMin",
    "price",
    "green",
    "lat",
    "lon",
    "alongKm",
)
ROWS_MOVING = 3
ROWS_PARKED = 6
LOW_SOC_PERCENT = 20.0
FAST_KW = 60.0


def stop_row(s: Suggestion) -> dict[str, Any]:
    return {
        "stationId": s.location_id,
        "network": s.network,
        "name": s.name,
        "nameEn": s.name_en,
        "city": s.city,
        "aheadKm": round(s.along_km, 1),
        "detourKm": round(s.detour_km, 1),
        "arrivalSoc": round(s.arrival_soc),
        "reachable": s.reachable,
        "powerKw": round(s.power_kw),
        "available": s.available_count,
        "total": s.evse_count,
        "statusAgeMin": -1 if s.status_age_min is None else int(s.status_age_min),
        "price": -1.0 if s.price_cny_per_kwh is None else round(s.price_cny_per_kwh, 2),
        "green": s.is_green,
        "lat": s.lat,
        "lon": s.lon,
        "alongKm": round(s.along_route_km, 1),
    }


def best_stop(suggestions: Sequence[Suggestion], fast_kw: float = FAST_KW) -> Suggestion | None:
    """The stop to offer in one tap: the nearest reachable fast charger with a free EVSE, else
    the nearest reachable one."""
    reachable = [s for s in suggestions if s.reachable]
    fast = [s for s in reachable if s.power_kw >= fast_kw and s.available_count > 0]
    return next(iter(fast or reachable), None)


def evaluate_alert(
    soc_percent: float | None,
    range_km: float,
    remaining_km: float,
    was_reachable: bool,
    best: Suggestion | None,
    low_soc_percent: float = LOW_SOC_PERCENT,
) -> str:
    """Which banner to show: "" (none), "low_soc", "unreachable" (the destination just went out of
    range) or "no_charger" (the destination is out of range and no charger is reachable)."""
    if soc_percent is None:
        return ""
    out_of_range = range_km < remaining_km
    if out_of_range and (best is None or not best.reachable):
        return "no_charger"
    if soc_percent < low_soc_percent:
        return "low_soc"
    if out_of_range and was_reachable:
        return "unreachable"
    return ""


class SuggestionsStore(Store):
    changed = Signal()
    openStation = Signal(str)  # the driver tapped a stop

    _defaults = {
        "state": "loading",
        "detail": "",
        "maxRows": ROWS_PARKED,
        "bestName": "",
        "bestId": "",
        "bestAheadKm": 0.0,
        "bestPowerKw": 0,
        "alert": "",
    }
    state = prop(str, "state", changed)  # loading | ready | empty | error
    detail = prop(str, "detail", changed)
    maxRows = prop(int, "maxRows", changed)
    bestName = prop(str, "bestName", changed)
    bestId = prop(str, "bestId", changed)
    bestAheadKm = prop(float, "bestAheadKm", changed)
    bestPowerKw = prop(int, "bestPowerKw", changed)
    alert = prop(str, "alert", changed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = DictListModel(ROW_KEYS, self)
        self.suggestions: list[Suggestion] = []
        self._destination_was_reachable = False
        self._raw_alert = ""
        self._dismissed = False

    def _get_model(self) -> QObject:
        return self.model

    stops = Property(QObject, _get_model, constant=True)

    def set_moving(self, moving: bool) -> None:
        if self.update(maxRows=ROWS_MOVING if moving else ROWS_PARKED):
            self._publish()

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.suggestions = list(suggestions)
        self._publish()
        best = best_stop(self.suggestions)
        self.update(
            state="ready" if self.suggestions else "empty",
            detail="",
            bestName=best.name if best else "",
            bestId=best.location_id if best else "",
            bestAheadKm=round(best.along_km, 1) if best else 0.0,
            bestPowerKw=round(best.power_kw) if best else 0,
        )

    def _publish(self) -> None:
        self.model.replace([stop_row(s) for s in self.suggestions[: self._state["maxRows"]]])

    def set_error(self, detail: str) -> None:
        self.update(state="error", detail=detail)

    def assess(self, soc_percent: float | None, range_km: float, remaining_km: float) -> None:
        best = best_stop(self.suggestions) or (self.suggestions[0] if self.suggestions else None)
        kind = evaluate_alert(soc_percent, range_km, remaining_km, self._destination_was_reachable, best)
        if soc_percent is not None:
            self._destination_was_reachable = range_km >= remaining_km
        if kind != self._raw_alert:
            self._raw_alert, self._dismissed = kind, False
        self.update(alert="" if self._dismissed else kind)

    @Slot()
    def dismissAlert(self) -> None:
        self._dismissed = True
        self.update(alert="")

    @Slot(str)
    def select(self, station_id: str) -> None:
        self.openStation.emit(station_id)
