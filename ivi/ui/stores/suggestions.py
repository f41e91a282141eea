"""SuggestionsStore: what the home screen says about where to stop — the plan's next stop first,
then the alternatives — and the one alert banner.

Everything the driver reads is decided by pure functions here (:func:`stop_row`,
:func:`order_suggestions`, :func:`next_stop`, :func:`evaluate_alert`), over the planner's own
types; the store only publishes their results. Rules that keep the screen honest:

* arrival charge is shown as the model expects it, **even below the reserve**: a charger the car
  reaches with 4 % is reachable (warned), only one it cannot reach at all is "out of range";
* an availability older than ``FRESH_STATUS_MIN`` is "last known", never "free": it does not
  count for the "Available" filter nor for the best stop;
* AC destination chargers are listed only when nothing faster is reachable, or when asked;
* while the state of charge is unknown (stale), every arrival estimate is marked uncertain and
  a low-battery alert stays up (as "battery level unknown");
* the list is capped while the car moves (fewer items to scan in a glance), but the next stop
  always leads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ivi.services.ports import Outlook, Stop, Suggestion, TripPlan
from ivi.ui.listmodel import DictListModel
from ivi.ui.signals import emit
from ivi.ui.stores.base import Store, prop

ROW_KEYS = (
    "stationId",
    "network",
    "name",
    "nameEn",
    "shortName",
    "city",
    "aheadKm",
    "detourKm",
    "arrivalSoc",
    "reachable",
    "belowReserve",
    "uncertain",
    "powerKw",
    "speedClass",
    "available",
    "total",
    "fresh",
    "statusAgeMin",
    "price",
    "green",
    "lat",
    "lon",
    "alongKm",
    "planned",
    "usually",
    "waitMin",
    "oftenDown",
    "noHistory",
)
ROWS_MOVING = 3
ROWS_PARKED = 8
LOW_SOC_PERCENT = 20.0
FAST_KW = 60.0
AC_MAX_KW = 22.0  # at or below: an AC destination charger (GB/T AC), not a road stop
FRESH_STATUS_MIN = 15.0  # an availability older than this is "last known", not "free"
#: Speed classes, highest first: (class, minimum kW).
SPEED_CLASSES = (("ultra", 250.0), ("fast", 100.0), ("dc", AC_MAX_KW + 0.1), ("ac", 0.0))
#: Alerts, most urgent first (one banner at a time).
ALERT_PRIORITY = ("soc_unknown", "no_charger", "charger_offline", "low_soc", "unreachable")


def speed_class(power_kw: float) -> str:
    """``ultra`` (≥ 250 kW), ``fast`` (≥ 100 kW), ``dc`` or ``ac`` (≤ 22 kW)."""
    return next(name for name, floor in SPEED_CLASSES if power_kw >= floor)


def short_name(name: str, name_en: str, english: bool) -> str:
    """The part of a station's name that tells it apart from its network's other stations:
    ``NIO Power Charger · Jinan Service Area (opposite)`` → ``Jinan Services (opp.)`` (the words
    UK road signs use: the card has one line at glance size),
    ``蔚来超充站（济南服务区）`` → ``济南服务区``. The full name when there is no such part."""
    if english and name_en:
        parts = [p.strip() for p in name_en.split("·")]
        name = parts[-1] if len(parts) > 1 and parts[-1] else name_en
        return name.replace(" Service Area", " Services").replace(" (opposite)", " (opp.)")
    start = min((i for i in (name.find("（"), name.find("(")) if i >= 0), default=-1)
    end = max(name.rfind("）"), name.rfind(")"))
    return name[start + 1 : end].strip() if 0 <= start < end - 1 else name


def is_fresh(status_age_min: float | None, fresh_min: float = FRESH_STATUS_MIN) -> bool:
    return status_age_min is not None and 0 <= status_age_min <= fresh_min


def usable_arrival(s: Suggestion) -> bool:
    """The car gets there with charge left (the planner's "unreachable" ones may still qualify)."""
    return s.arrival_soc > 0.0


@dataclass(frozen=True)
class RowContext:
    """What a row needs besides the suggestion: the reserve, whether the SoC is uncertain, which
    stations the plan stops at, and the language for the short name."""

    reserve_percent: float = 10.0
    uncertain: bool = False
    planned_ids: frozenset[str] = frozenset()
    english: bool = True


def occupancy_roles(o: Outlook | None) -> dict[str, Any]:
    """What the screen shows of a station's predicted occupancy at the car's arrival: "usually
    free / busy / full at your arrival" (``usually``, "" without an occupancy model), the
    predicted wait in whole minutes, the chargers often out of order, and "no history yet"."""
    if o is None:
        return {"usually": "", "waitMin": -1, "oftenDown": 0, "noHistory": False}
    return {
        "usually": o.usually,
        "waitMin": round(o.expected_wait_min),
        "oftenDown": o.often_down,
        "noHistory": o.no_history,
    }


def stop_row(s: Suggestion, ctx: RowContext = RowContext()) -> dict[str, Any]:
    fresh = is_fresh(s.status_age_min)
    return {
        "stationId": s.location_id,
        "network": s.network,
        "name": s.name,
        "nameEn": s.name_en,
        "shortName": short_name(s.name, s.name_en, ctx.english),
        "city": s.city,
        "aheadKm": round(s.along_km, 1),
        "detourKm": round(s.detour_km, 1),
        "arrivalSoc": round(s.arrival_soc),
        "reachable": usable_arrival(s),
        "belowReserve": s.arrival_soc < ctx.reserve_percent,
        "uncertain": ctx.uncertain,
        "powerKw": round(s.power_kw),
        "speedClass": speed_class(s.power_kw),
        "available": s.available_count,
        "total": s.evse_count,
        "fresh": fresh,
        "statusAgeMin": -1 if s.status_age_min is None else int(s.status_age_min),
        "price": -1.0 if s.price_cny_per_kwh is None else round(s.price_cny_per_kwh, 2),
        "green": s.is_green,
        "lat": s.lat,
        "lon": s.lon,
        "alongKm": round(s.along_route_km, 1),
        "planned": s.location_id in ctx.planned_ids,
        **occupancy_roles(s.outlook),
    }


def order_suggestions(
    suggestions: Sequence[Suggestion],
    *,
    low_battery: bool,
    include_ac: bool = False,
    available_only: bool = False,
) -> list[Suggestion]:
    """The alternatives in the order a driver wants them: on a low battery the nearest the car
    still reaches first (whatever the reserve says); otherwise the planner's ranking (least time
    lost). AC chargers only when asked or when nothing else is reachable; with "Available" only
    stations whose *fresh* status shows a free charger."""
    pool = list(suggestions)
    if available_only:
        pool = [s for s in pool if s.available_count > 0 and is_fresh(s.status_age_min)]
    if not include_ac:
        fast = [s for s in pool if s.power_kw > AC_MAX_KW]
        if any(usable_arrival(s) for s in fast) or not any(usable_arrival(s) for s in pool):
            pool = fast
    if low_battery:
        return sorted(pool, key=lambda s: (not usable_arrival(s), s.along_km, s.location_id))
    return sorted(pool, key=lambda s: (not usable_arrival(s), not s.reachable, s.time_cost_min, s.along_km))


def best_stop(suggestions: Sequence[Suggestion], fast_kw: float = FAST_KW) -> Suggestion | None:
    """The stop to offer in one tap: the nearest the car reaches with a fast charger whose fresh
    status shows a free EVSE; else the nearest fast one it reaches; else the nearest it reaches."""
    reach = sorted((s for s in suggestions if usable_arrival(s)), key=lambda s: s.along_km)
    fast = [s for s in reach if s.power_kw >= fast_kw]
    free = [s for s in fast if s.available_count > 0 and is_fresh(s.status_age_min)]
    return next(iter(free or fast or reach), None)


@dataclass(frozen=True)
class NextStop:
    """What leads the home screen: the plan's next stop, or why there is none."""

    kind: str  # "stop" | "none_needed" | "no_plan" | "planning" | "error" (the planner failed)
    stop: Stop | None = None
    ahead_km: float = 0.0  # to the stop, or (none_needed) to the destination
    arrive_min_of_day: float = 0.0


def next_stop(plan: TripPlan | None, position_km: float, destination_km: float) -> NextStop:
    if plan is None:
        return NextStop("planning")
    ahead = [s for s in plan.stops if s.along_km >= position_km - 0.5]
    if ahead:
        s = ahead[0]
        return NextStop("stop", s, max(0.0, s.along_km - position_km), s.arrive_min_of_day)
    if plan.feasible:
        return NextStop("none_needed", None, max(0.0, destination_km - position_km))
    return NextStop("no_plan")


@dataclass(frozen=True)
class AlertInput:
    soc_percent: float | None  # None: unknown (stale)
    last_soc_percent: float | None  # the last value known, even when stale
    usable_km: float  # before the reserve
    remaining_km: float  # to the destination
    destination_was_reachable: bool
    best: Suggestion | None
    offline_station: str = ""  # a planned charger just went out of order
    replacement: Stop | None = None
    hidden_by_filters: int = 0  # chargers ahead that the filters hide (the list says so)


def evaluate_alert(a: AlertInput, low_soc_percent: float = LOW_SOC_PERCENT) -> str:
    """The banner to show, by urgency: ``soc_unknown`` (stale and the last value was low — the
    low-battery alert stays up), ``no_charger`` (out of range of the destination and of every
    charger), ``charger_offline`` (a planned charger went out of order: shows the replacement),
    ``low_soc``, ``unreachable`` (the destination just went out of range); "" for none."""
    if a.soc_percent is None:
        low = a.last_soc_percent is not None and a.last_soc_percent < low_soc_percent
        return "soc_unknown" if low else ("charger_offline" if a.offline_station else "")
    out_of_range = a.usable_km < a.remaining_km
    if out_of_range and (a.best is None or not usable_arrival(a.best)) and not a.hidden_by_filters:
        return "no_charger"  # (chargers the filters hide are not "no charger": the list offers to clear them)
    if a.offline_station:
        return "charger_offline"
    if a.soc_percent < low_soc_percent:
        return "low_soc"
    if out_of_range and a.destination_was_reachable:
        return "unreachable"
    return ""


class SuggestionsStore(Store):
    changed = Signal()
    openStation = Signal(str)  # the driver tapped a stop
    clearFiltersRequested = Signal()

    _defaults = {
        "state": "loading",
        "detail": "",
        "maxRows": ROWS_PARKED,
        "hiddenByFilters": 0,
        "lowBattery": False,
        "uncertain": False,
        "bestName": "",
        "bestId": "",
        "bestAheadKm": 0.0,
        "bestPowerKw": 0,
        "bestArrivalSoc": 0,
        "alert": "",
        "offlineName": "",
        "nextKind": "planning",
        "nextId": "",
        "nextName": "",
        "nextNetwork": "",
        "nextAheadKm": 0,
        "nextArrivalSoc": 0,
        "nextDepartureSoc": 0,
        "nextChargeMin": 0,
        "nextPowerKw": 0,
        "nextSpeedClass": "",
        "nextArriveAt": "",
        "noStopKm": 0,
    }
    state = prop(str, "state", changed)  # loading | ready | empty | filtered | error
    detail = prop(str, "detail", changed)
    maxRows = prop(int, "maxRows", changed)
    hiddenByFilters = prop(int, "hiddenByFilters", changed)  # chargers ahead that the filters hide
    lowBattery = prop(bool, "lowBattery", changed)
    uncertain = prop(bool, "uncertain", changed)  # the SoC is stale: every arrival is an estimate
    bestName = prop(str, "bestName", changed)
    bestId = prop(str, "bestId", changed)
    bestAheadKm = prop(float, "bestAheadKm", changed)
    bestPowerKw = prop(int, "bestPowerKw", changed)
    bestArrivalSoc = prop(int, "bestArrivalSoc", changed)
    alert = prop(str, "alert", changed)
    offlineName = prop(str, "offlineName", changed)  # the planned charger that went out of order
    nextKind = prop(str, "nextKind", changed)  # stop | none_needed | no_plan | planning
    nextId = prop(str, "nextId", changed)
    nextName = prop(str, "nextName", changed)
    nextNetwork = prop(str, "nextNetwork", changed)
    nextAheadKm = prop(int, "nextAheadKm", changed)
    nextArrivalSoc = prop(int, "nextArrivalSoc", changed)
    nextDepartureSoc = prop(int, "nextDepartureSoc", changed)
    nextChargeMin = prop(int, "nextChargeMin", changed)
    nextPowerKw = prop(int, "nextPowerKw", changed)
    nextSpeedClass = prop(str, "nextSpeedClass", changed)
    nextArriveAt = prop(str, "nextArriveAt", changed)  # local "HH:MM"
    noStopKm = prop(int, "noStopKm", changed)  # none_needed: the destination is this far

    def __init__(self, parent: QObject | None = None, *, reserve_percent: float = 10.0) -> None:
        super().__init__(parent)
        self.model = DictListModel(ROW_KEYS, self)
        self.suggestions: list[Suggestion] = []
        self.shown: list[Suggestion] = []
        self.reserve_percent = reserve_percent
        self.english = True
        self.include_ac = False
        self.available_only = False
        self._planned_ids: frozenset[str] = frozenset()
        self._destination_was_reachable = False
        self._raw_alert = ""
        self._dismissed = False
        self._last_alert_input: AlertInput | None = None
        self._replacement: Stop | None = None

    def _get_model(self) -> QObject:
        return self.model

    stops = Property(QObject, _get_model, constant=True)

    # ------------------------------------------------------------ inputs

    def set_moving(self, moving: bool) -> None:
        if self.update(maxRows=ROWS_MOVING if moving else ROWS_PARKED):
            self._publish()

    def set_language(self, english: bool) -> None:
        if english != self.english:
            self.english = english
            self._publish()

    def set_preferences(self, *, include_ac: bool, available_only: bool) -> None:
        if (include_ac, available_only) != (self.include_ac, self.available_only):
            self.include_ac, self.available_only = include_ac, available_only
            self._publish()

    def set_uncertain(self, uncertain: bool) -> None:
        if self.update(uncertain=uncertain):
            self._publish()

    def set_low_battery(self, low: bool) -> None:
        if self.update(lowBattery=low):
            self._publish()

    def set_suggestions(self, suggestions: Sequence[Suggestion], hidden_by_filters: int = 0) -> None:
        """The planner's suggestions; ``hidden_by_filters``: how many stations ahead the filters
        hide (asked only when the filtered answer is empty)."""
        self.suggestions = list(suggestions)
        self._publish()
        best = best_stop(self.suggestions)
        if not self.shown and self.suggestions:  # the screen's own rules hid them ("Available now": none fresh)
            hidden_by_filters = max(hidden_by_filters, len(self.suggestions))
        state = "ready" if self.shown else ("filtered" if hidden_by_filters else "empty")
        self.update(
            state=state,
            detail="",
            hiddenByFilters=hidden_by_filters,
            bestName=short_name(best.name, best.name_en, self.english) if best else "",
            bestId=best.location_id if best else "",
            bestAheadKm=round(best.along_km, 1) if best else 0.0,
            bestPowerKw=round(best.power_kw) if best else 0,
            bestArrivalSoc=round(best.arrival_soc) if best else 0,
        )

    def set_next_stop(self, nxt: NextStop, clock: str = "") -> None:
        s = nxt.stop
        self._planned_ids = frozenset({s.location_id}) if s else frozenset()
        self.update(
            nextKind=nxt.kind,
            nextId=s.location_id if s else "",
            nextName=short_name(s.name, "", False) if s else "",
            nextNetwork=s.network if s else "",
            nextAheadKm=round(nxt.ahead_km),
            nextArrivalSoc=round(s.arrival_soc) if s else 0,
            nextDepartureSoc=round(s.departure_soc) if s else 0,
            nextChargeMin=round(s.charge_min) if s else 0,
            nextPowerKw=round(s.power_kw) if s else 0,
            nextSpeedClass=speed_class(s.power_kw) if s else "",
            nextArriveAt=clock,
            noStopKm=round(nxt.ahead_km) if nxt.kind == "none_needed" else 0,
        )
        self._publish()

    def set_next_stop_name(self, name: str) -> None:
        """The next stop's display name in the screen's language (the plan carries the Chinese name only)."""
        self.update(nextName=name)

    def set_error(self, detail: str) -> None:
        self.update(state="error", detail=detail)

    def _context(self) -> RowContext:
        return RowContext(self.reserve_percent, self._state["uncertain"], self._planned_ids, self.english)

    def rows_all(self) -> list[dict[str, Any]]:
        """Every alternative as a row, before the cap (the list shows the first ``maxRows``)."""
        ctx = self._context()
        return [stop_row(s, ctx) for s in self.shown if s.location_id != self._state["nextId"]]

    def _publish(self) -> None:
        self.shown = order_suggestions(
            self.suggestions,
            low_battery=self._state["lowBattery"],
            include_ac=self.include_ac,
            available_only=self.available_only,
        )
        self.model.replace(self.rows_all()[: self._state["maxRows"]])

    # ------------------------------------------------------------ alert

    def assess(
        self,
        soc_percent: float | None,
        last_soc_percent: float | None,
        usable_km: float,
        remaining_km: float,
        offline_station: str = "",
        replacement: Stop | None = None,
        position_km: float = 0.0,
    ) -> None:
        """Decide the banner; ``replacement`` is the plan's new stop when ``offline_station`` (a
        planned charger) went out of order, ``position_km`` the car's place on the route."""
        best = best_stop(self.suggestions) or (self.suggestions[0] if self.suggestions else None)
        a = AlertInput(
            soc_percent,
            last_soc_percent,
            usable_km,
            remaining_km,
            self._destination_was_reachable,
            best,
            offline_station,
            replacement,
            self._state["hiddenByFilters"],
        )
        kind = evaluate_alert(a)
        if soc_percent is not None:
            self._destination_was_reachable = usable_km >= remaining_km
        if kind != self._raw_alert:
            self._raw_alert, self._dismissed = kind, False
        self._replacement = replacement
        values: dict[str, object] = {"alert": "" if self._dismissed else kind, "offlineName": offline_station}
        if kind == "charger_offline" and replacement is not None:
            values.update(
                bestName=short_name(replacement.name, "", False),
                bestId=replacement.location_id,
                bestAheadKm=round(max(0.0, replacement.along_km - position_km), 1),
                bestPowerKw=round(replacement.power_kw),
                bestArrivalSoc=round(replacement.arrival_soc),
            )
        self.update(**values)

    @Slot()
    def dismissAlert(self) -> None:
        self._dismissed = True
        self.update(alert="")

    @Slot(str)
    def select(self, station_id: str) -> None:
        emit(self.openStation, station_id)

    @Slot()
    def clearFilters(self) -> None:
        emit(self.clearFiltersRequested)
