"""StationStore: one station in detail (EVSEs, connectors, tariff, hours, green energy), the
Navigate action, and the station search that is only allowed while parked.

Every availability carries its age: an EVSE status older than ``FRESH_STATUS_MIN`` is shown as
"last known", not as a green "Available". While the car moves the view shows only what a glance
needs (``moving``: name, distance, power, availability, Navigate); the price table, the address
and the EVSE list wait until the car is parked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from geo.geometry import haversine_km
from ivi.services.ports import LatLon, Location, NavTarget, Station, Tariff, status_age_min
from ivi.ui.listmodel import DictListModel
from ivi.ui.signals import emit
from ivi.ui.stores.base import Store, prop
from ivi.ui.stores.suggestions import is_fresh, short_name, speed_class

EVSE_KEYS = ("uid", "status", "powerKw", "connectors", "fresh", "ageMin")
TARIFF_KEYS = ("start", "end", "energy", "service", "total", "now")
RESULT_KEYS = (
    "stationId",
    "network",
    "name",
    "nameEn",
    "shortName",
    "city",
    "powerKw",
    "available",
    "total",
    "green",
    "distanceKm",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: OCPI connector standards in the words drivers know (the standards' own names).
CONNECTOR_NAMES = {
    "GBT_DC": "GB/T DC",
    "GBT_AC": "GB/T AC",
    "CHAOJI": "ChaoJi",
    "IEC_62196_T2": "Type 2",
    "IEC_62196_T2_COMBO": "CCS2",
    "IEC_62196_T1_COMBO": "CCS1",
    "IEC_62196_T1": "Type 1",
    "CHADEMO": "CHAdeMO",
    "TESLA_S": "Tesla",
}


def connector_name(standard: str) -> str:
    return CONNECTOR_NAMES.get(standard, standard.replace("_", " "))


def evse_rows(loc: Location, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    rows = []
    for e in loc.evses:
        age = status_age_min(e.last_updated, now)
        rows.append(
            {
                "uid": e.uid,
                "status": e.status,
                "powerKw": round(e.max_power_kw),
                "connectors": " · ".join(dict.fromkeys(connector_name(c.standard) for c in e.connectors)),
                "fresh": is_fresh(age),
                "ageMin": -1 if age is None else int(age),
            }
        )
    return rows


def tariff_rows(tariff: Tariff | None, hhmm: str) -> list[dict[str, Any]]:
    if tariff is None:
        return []
    now = tariff.price_at(hhmm)
    return [
        {
            "start": w.start,
            "end": w.end,
            "energy": w.energy_cny_per_kwh,
            "service": w.service_cny_per_kwh,
            "total": w.total_cny_per_kwh,
            "now": w == now,
        }
        for w in tariff.windows
    ]


def hours_text(loc: Location) -> str:
    if loc.twentyfourseven or not loc.regular_hours:
        return "24/7"
    return ", ".join(f"{WEEKDAYS[h.weekday - 1]} {h.period_begin}–{h.period_end}" for h in loc.regular_hours)


def result_rows(stations: Sequence[Station], car: LatLon | None = None, english: bool = True) -> list[dict[str, Any]]:
    """Search results nearest first when the car's position is known (distance in km, -1 unknown)."""
    rows = [
        {
            "stationId": s.id,
            "network": s.network,
            "name": s.name,
            "nameEn": s.name_en,
            "shortName": short_name(s.name, s.name_en, english),
            "city": s.city,
            "powerKw": round(s.max_power_kw),
            "available": s.available_count,
            "total": s.evse_count,
            "green": s.is_green,
            "distanceKm": -1 if car is None else round(haversine_km(car, (s.lat, s.lon))),
        }
        for s in stations
    ]
    if car is not None:
        rows.sort(key=lambda r: (r["distanceKm"], r["stationId"]))
    return rows


class StationStore(Store):
    changed = Signal()
    requestOpen = Signal(str)  # controller loads the station off the GUI thread
    requestSearch = Signal(str)
    navigated = Signal(str)

    _defaults = {
        "open": False,
        "stationId": "",
        "name": "",
        "nameEn": "",
        "shortName": "",
        "network": "",
        "address": "",
        "city": "",
        "hours": "",
        "green": False,
        "energyMix": "",
        "available": 0,
        "total": 0,
        "maxPowerKw": 0,
        "statusUpdated": "",
        "statusAgeMin": -1,
        "fresh": False,
        "distanceKm": -1,
        "speedClass": "",
        "connectors": "",
        "moving": False,
        "searchLocked": False,
        "searchState": "idle",
        "query": "",
    }
    stationId = prop(str, "stationId", changed)
    name = prop(str, "name", changed)
    nameEn = prop(str, "nameEn", changed)
    shortName = prop(str, "shortName", changed)  # what tells it apart from its network's others
    network = prop(str, "network", changed)
    address = prop(str, "address", changed)
    city = prop(str, "city", changed)
    hours = prop(str, "hours", changed)
    green = prop(bool, "green", changed)
    energyMix = prop(str, "energyMix", changed)
    available = prop(int, "available", changed)
    total = prop(int, "total", changed)
    maxPowerKw = prop(int, "maxPowerKw", changed)
    statusUpdated = prop(str, "statusUpdated", changed)
    statusAgeMin = prop(int, "statusAgeMin", changed)  # of the newest EVSE status, -1 unknown
    fresh = prop(bool, "fresh", changed)  # that status is recent enough to call chargers "free"
    distanceKm = prop(int, "distanceKm", changed)  # from the car (along the route when ahead), -1 unknown
    speedClass = prop(str, "speedClass", changed)
    connectors = prop(str, "connectors", changed)  # the station's connector standards, in words
    moving = prop(bool, "moving", changed)  # the glance-only layout
    searchLocked = prop(bool, "searchLocked", changed)
    searchState = prop(str, "searchState", changed)  # idle | searching | done | locked
    query = prop(str, "query", changed)

    def __init__(self, navigate: Callable[[NavTarget], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._navigate = navigate
        self.location: Location | None = None
        self.evses_model = DictListModel(EVSE_KEYS, self)
        self.tariff_model = DictListModel(TARIFF_KEYS, self)
        self.results_model = DictListModel(RESULT_KEYS, self)
        self.car: LatLon | None = None
        self.english = True
        self._last_results: list[Station] = []

    isOpen = Property(bool, lambda self: self._state["open"], notify=changed)
    evses = Property(QObject, lambda self: self.evses_model, constant=True)
    tariff = Property(QObject, lambda self: self.tariff_model, constant=True)
    results = Property(QObject, lambda self: self.results_model, constant=True)

    @Slot(str)
    def show(self, station_id: str) -> None:
        self.update(open=True, stationId=station_id)
        emit(self.requestOpen, station_id)

    @Slot()
    def close(self) -> None:
        self.update(open=False)

    def set_location(
        self,
        loc: Location | None,
        tariff: Tariff | None,
        hhmm: str,
        distance_km: float | None = None,
        now: datetime | None = None,
    ) -> None:
        """The station to show; ``distance_km`` from the car (the suggestion's along-route
        distance when it is ahead), else the straight line from the car's last position."""
        self.location = loc
        if loc is None:
            self.update(name="", address="", open=False)
            return
        now = now or datetime.now(UTC)
        avail = sum(1 for e in loc.evses if e.status == "AVAILABLE")
        updated = max((e.last_updated for e in loc.evses), default="")
        age = status_age_min(updated, now)
        if distance_km is None and self.car is not None:
            distance_km = haversine_km(self.car, (loc.lat, loc.lon))
        standards = dict.fromkeys(connector_name(c.standard) for e in loc.evses for c in e.connectors)
        mix = ", ".join(f"{src} {pct:.0f}%" for src, pct in loc.energy_sources)
        self.update(
            stationId=loc.id,
            name=loc.name,
            nameEn=loc.name_en,
            shortName=short_name(loc.name, loc.name_en, self.english),
            network=loc.network,
            address=loc.address,
            city=loc.city,
            hours=hours_text(loc),
            green=loc.is_green_energy,
            energyMix=mix,
            available=avail,
            total=len(loc.evses),
            maxPowerKw=round(loc.max_power_kw),
            statusUpdated=updated,
            statusAgeMin=-1 if age is None else int(age),
            fresh=is_fresh(age),
            distanceKm=-1 if distance_km is None else round(distance_km),
            speedClass=speed_class(loc.max_power_kw),
            connectors=" · ".join(standards),
        )
        self.evses_model.replace(evse_rows(loc, now))
        self.tariff_model.replace(tariff_rows(tariff, hhmm))

    @Slot()
    def navigate(self) -> None:
        loc = self.location
        if loc is None:
            return
        self._navigate(NavTarget(loc.id, loc.name, loc.lat, loc.lon, loc.network, {"address": loc.address}))
        emit(self.navigated, loc.id)

    def set_moving(self, moving: bool) -> None:
        self.update(
            moving=moving,
            searchLocked=moving,
            searchState="locked"
            if moving
            else ("idle" if self._state["searchState"] == "locked" else self._state["searchState"]),
        )

    @Slot(str)
    def search(self, text: str) -> None:
        """Search by name, Chinese or pinyin/English. Refused while the car moves."""
        if self._state["searchLocked"]:
            self.update(searchState="locked")
            return
        text = text.strip()
        self.update(query=text)
        if not text:
            self.results_model.replace([])
            self.update(searchState="idle")
            return
        self.update(searchState="searching")
        emit(self.requestSearch, text)

    def set_results(self, stations: list[Station]) -> None:
        self._last_results = list(stations)
        self.results_model.replace(result_rows(stations, self.car, self.english))
        self.update(searchState="done")

    def set_car(self, position: LatLon | None) -> None:
        """Where the car is, for distances in the search results and the detail."""
        self.car = position
