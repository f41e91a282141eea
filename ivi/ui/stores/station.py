"""StationStore: one station in detail (EVSEs, connectors, tariff, hours, green energy), the
Navigate action, and the station search that is only allowed while parked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ivi.services.ports import Location, NavTarget, Station, Tariff
from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.base import Store, prop

EVSE_KEYS = ("uid", "status", "powerKw", "connectors")
TARIFF_KEYS = ("start", "end", "energy", "service", "total", "now")
RESULT_KEYS = ("stationId", "network", "name", "nameEn", "city", "powerKw", "available", "total", "green")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def evse_rows(loc: Location) -> list[dict[str, Any]]:
    return [
        {
            "uid": e.uid,
            "status": e.status,
            "powerKw": round(e.max_power_kw),
            "connectors": " · ".join(f"{c.standard} {c.power_kw:.0f} kW" for c in e.connectors),
        }
        for e in loc.evses
    ]


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


def result_rows(stations: list[Station]) -> list[dict[str, Any]]:
    return [
        {
            "stationId": s.id,
            "network": s.network,
            "name": s.name,
            "nameEn": s.name_en,
            "city": s.city,
            "powerKw": round(s.max_power_kw),
            "available": s.available_count,
            "total": s.evse_count,
            "green": s.is_green,
        }
        for s in stations
    ]


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
        "searchLocked": False,
        "searchState": "idle",
        "query": "",
    }
    stationId = prop(str, "stationId", changed)
    name = prop(str, "name", changed)
    nameEn = prop(str, "nameEn", changed)
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

    isOpen = Property(bool, lambda self: self._state["open"], notify=changed)
    evses = Property(QObject, lambda self: self.evses_model, constant=True)
    tariff = Property(QObject, lambda self: self.tariff_model, constant=True)
    results = Property(QObject, lambda self: self.results_model, constant=True)

    @Slot(str)
    def show(self, station_id: str) -> None:
        self.update(open=True, stationId=station_id)
        self.requestOpen.emit(station_id)

    @Slot()
    def close(self) -> None:
        self.update(open=False)

    def set_location(self, loc: Location | None, tariff: Tariff | None, hhmm: str) -> None:
        self.location = loc
        if loc is None:
            self.update(name="", address="", open=False)
            return
        avail = sum(1 for e in loc.evses if e.status == "AVAILABLE")
        mix = ", ".join(f"{src} {pct:.0f}%" for src, pct in loc.energy_sources)
        self.update(
            stationId=loc.id,
            name=loc.name,
            nameEn=loc.name_en,
            network=loc.network,
            address=loc.address,
            city=loc.city,
            hours=hours_text(loc),
            green=loc.is_green_energy,
            energyMix=mix,
            available=avail,
            total=len(loc.evses),
            maxPowerKw=round(loc.max_power_kw),
            statusUpdated=max((e.last_updated for e in loc.evses), default=""),
        )
        self.evses_model.replace(evse_rows(loc))
        self.tariff_model.replace(tariff_rows(tariff, hhmm))

    @Slot()
    def navigate(self) -> None:
        loc = self.location
        if loc is None:
            return
        self._navigate(NavTarget(loc.id, loc.name, loc.lat, loc.lon, loc.network, {"address": loc.address}))
        self.navigated.emit(loc.id)

    def set_moving(self, moving: bool) -> None:
        self.update(
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
        self.requestSearch.emit(text)

    def set_results(self, stations: list[Station]) -> None:
        self.results_model.replace(result_rows(stations))
        self.update(searchState="done")
