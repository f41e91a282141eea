"""The screen's controller: connects the stores to the injected services.

It owns the I/O worker; every cache read, planning run and navigation hand-off happens there,
and results come back to the stores on the GUI thread. It decides *when* to ask (the car moved,
the filters or the cache changed), never *what* the answer is — that is the providers' job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from geo.geometry import LatLon, cumulative_km, locate_on_route
from ivi.services.ports import (
    ChargerBackends,
    ChargerLookup,
    Location,
    NavigationSink,
    NavTarget,
    RangeModel,
    SuggestionProvider,
    SuggestionQuery,
    SyncService,
    SyncStatus,
    Tariff,
    TripPlanner,
    TripPlans,
    VehicleSource,
)
from ivi.ui.stores.filters import FiltersStore
from ivi.ui.stores.map import MapStore
from ivi.ui.stores.station import StationStore
from ivi.ui.stores.suggestions import SuggestionsStore
from ivi.ui.stores.sync import SyncStore
from ivi.ui.stores.system import SystemStore
from ivi.ui.stores.trip import TripStore
from ivi.ui.stores.vehicle import VehicleStore
from ivi.ui.worker import IoWorker, Mailbox

log = logging.getLogger(__name__)

REFRESH_EVERY_KM = 0.5
REFRESH_EVERY_S = 5.0
REPLAN_EVERY_KM = 50.0  # besides drift, a sync change or new filters
DRIFT_CHECK_EVERY_KM = 1.0


@dataclass(frozen=True)
class TripSpec:
    """The active route: a polyline from the navigation app or the corridor graph."""

    points: tuple[LatLon, ...]
    distance_km: float
    origin: str
    destination: str
    via: tuple[tuple[str, LatLon], ...] = ()

    @classmethod
    def pending(cls, origin: str, destination: str) -> TripSpec:
        """The trip before its route is computed (after the first frame, on the worker)."""
        return cls((), 0.0, origin, destination)


@dataclass
class Services:
    """What the composition root injects. ``open_charger_data`` runs on the I/O worker thread
    (it opens, and on a first run seeds, the cache)."""

    open_charger_data: Callable[[], ChargerBackends]
    vehicle: VehicleSource | None
    sync: SyncService
    navigation: NavigationSink
    range_model: RangeModel
    filters_file: Path
    vehicle_label: str = ""
    on_stop: list[Callable[[], None]] = field(default_factory=list)


def local_hhmm() -> str:
    return datetime.now().strftime("%H:%M")


class Controller(QObject):
    cacheReady = Signal()  # the charger data is open: start-up is over (the entry point may tidy up)

    def __init__(self, services: Services, trip: TripSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.trip = services, trip
        self.cum = cumulative_km(trip.points)
        self.mailbox = Mailbox(parent=self)  # the way back to the GUI thread, for the worker and the stores
        self.worker = IoWorker(self.mailbox)
        self.lookup: ChargerLookup | None = None
        self.provider: SuggestionProvider | None = None
        self.planner: TripPlanner | None = None
        self.vehicle = VehicleStore(services.range_model, self.mailbox, parent=self)
        self.suggestions = SuggestionsStore(self)
        self.filters = FiltersStore(services.filters_file, self)
        self.sync = SyncStore(self.mailbox, self)
        self.trip_store = TripStore(trip.destination, self)
        self.station = StationStore(self._navigate, self)
        self.map = MapStore(self)
        self.system = SystemStore(self)
        if trip.points:
            self.map.set_route(trip.points, trip.distance_km, trip.origin, trip.destination, trip.via)
        self._asked_at = (-1e9, -1e9, 0.0)  # (km, soc, monotonic)
        self._planned_at_km = -1e9
        self._drift_checked_km = -1e9
        self._planned_rows: list[dict] = []
        self.vehicle.sampleApplied.connect(self._on_sample)
        self.vehicle.changed.connect(self._on_vehicle_changed)
        self.filters.filtersChanged.connect(self.refresh_all)
        self.station.requestOpen.connect(self._load_station)
        self.station.requestSearch.connect(self._search)
        self.suggestions.openStation.connect(self.station.show)
        self._clock = QTimer(self)
        self._clock.timeout.connect(lambda: self.system.update(clock=datetime.now().strftime("%H:%M")))
        self._clock.start(1000)
        self.system.update(clock=datetime.now().strftime("%H:%M"), vehicleSource=services.vehicle_label)

    # ------------------------------------------------------------ lifecycle

    def set_trip(self, trip: TripSpec) -> None:
        """The route, once computed (``TripSpec.pending`` until then); call before :meth:`start`."""
        self.trip, self.cum = trip, cumulative_km(trip.points)
        self.map.set_route(trip.points, trip.distance_km, trip.origin, trip.destination, trip.via)
        self.trip_store.update(destination=trip.destination)

    def start(self) -> None:
        if self.services.vehicle is not None:  # may open a bus: on the worker, like every other I/O
            vehicle, deliver = self.services.vehicle, self.vehicle.deliver
            self.worker.submit(lambda: vehicle.start(deliver), lambda _: None, lambda e: self.vehicle.mark_no_source())
        else:
            self.vehicle.mark_no_source()
        self.services.sync.start(self.sync.deliver, self.cache_changed)
        self.worker.submit(self._open_cache, self._cache_ready, self._cache_failed)

    def stop(self) -> None:
        self.worker.close()  # first: a vehicle start still running on it finishes before the stop
        if self.services.vehicle is not None:
            self.services.vehicle.stop()
        self.services.sync.stop()
        for fn in self.services.on_stop:
            fn()
        if self.lookup is not None:
            self.lookup.close()

    def _open_cache(self) -> tuple[ChargerBackends, int]:
        backends = self.services.open_charger_data()
        self.provider, self.planner = backends.suggestions, backends.planner
        return backends, backends.lookup.station_count()

    def _cache_ready(self, result: tuple[ChargerBackends, int]) -> None:
        backends, count = result
        self.lookup = backends.lookup
        self.cacheReady.emit()
        self.system.update(cacheState="ready" if count else "empty", stationCount=count, cacheDetail="")
        self.refresh_all()

    def _cache_failed(self, exc: BaseException) -> None:
        log.error("charger cache unusable: %s", exc)
        self.system.update(cacheState="error", cacheDetail=str(exc))
        self.suggestions.set_error(str(exc))
        self.trip_store.set_error(str(exc))

    # ------------------------------------------------------------ vehicle → questions

    def position_km(self) -> float:
        s = self.vehicle.last_sample
        if s is None:
            return 0.0
        if s.route_km is not None:
            return s.route_km
        return locate_on_route(self.trip.points, self.cum, s.position).km if s.position and len(self.cum) > 1 else 0.0

    def _on_vehicle_changed(self) -> None:
        moving = self.vehicle.value("moving")
        self.suggestions.set_moving(moving)
        self.station.set_moving(moving)

    def _on_sample(self) -> None:
        s = self.vehicle.last_sample
        km = self.position_km()
        if s is not None:
            self.map.set_car(s.position, s.heading_deg or 0.0, km)
        soc = self.vehicle.value("socPercent")
        last_km, last_soc, last_t = self._asked_at
        if (
            abs(km - last_km) >= REFRESH_EVERY_KM
            or abs(soc - last_soc) >= 0.5
            or time.monotonic() - last_t > REFRESH_EVERY_S
        ):
            self.refresh_suggestions()
        if abs(km - self._planned_at_km) >= REPLAN_EVERY_KM:
            self.replan()
        elif (
            abs(km - self._drift_checked_km) >= DRIFT_CHECK_EVERY_KM
            and self.planner is not None
            and not self.vehicle.value("socStale")
        ):
            self._drift_checked_km = km
            reason = self.planner.drift(km, self.vehicle.value("socPercent"))  # pure, microseconds
            if reason:
                log.info("re-planning: %s", reason)
                self.replan()

    def _query(self) -> SuggestionQuery | None:
        """The question for the planner; a stale SoC is sent as the last known value, flagged."""
        v = self.vehicle
        soc = v.last_soc_percent
        if soc is None:
            return None
        return SuggestionQuery(
            self.trip.points,
            self.position_km(),
            soc,
            self.filters.filters(),
            local_hhmm(),
            limit=8,
            soc_stale=bool(v.value("socStale")),
            learned_kwh_per_km=v.learned_kwh_per_km,
            outside_temp_c=v.outside_temp_c,
        )

    def refresh_all(self) -> None:
        self.refresh_suggestions()
        self.replan()

    def refresh_suggestions(self) -> None:
        q = self._query()
        if q is None or self.provider is None or not self.trip.points:
            return
        self._asked_at = (q.position_km, q.soc_percent, time.monotonic())
        provider = self.provider
        self.worker.submit_latest(
            "suggest",
            lambda: provider.suggest(q),
            self._suggestions_ready,
            lambda e: self.suggestions.set_error(str(e)),
        )

    def _suggestions_ready(self, suggestions: list) -> None:
        self.suggestions.set_suggestions(suggestions)
        self.map.set_stops(self.suggestions.model.rows()[:3], self._planned_rows)
        self._assess()

    def _assess(self) -> None:
        stale = self.vehicle.value("socStale")
        remaining = max(0.0, self.trip.distance_km - self.position_km())
        self.suggestions.assess(
            None if stale else self.vehicle.value("socPercent"), self.vehicle.value("rangeKm"), remaining
        )

    def replan(self) -> None:
        q = self._query()
        if q is None or self.planner is None or self.lookup is None or not self.trip.points:
            return
        self._planned_at_km = self._drift_checked_km = q.position_km
        planner, dest = self.planner, self.trip.distance_km

        def job():
            return planner.plan(q, dest), dest - q.position_km

        self.worker.submit_latest("plan", job, self._plans_ready, lambda e: self.trip_store.set_error(str(e)))

    def _plans_ready(self, result: tuple[TripPlans, float]) -> None:
        plans, remaining = result
        self.trip_store.set_plans(plans, remaining, plans.unavailable_ids)
        plan = self.trip_store.current()
        self._planned_rows = [
            {
                "lat": s.lat,
                "lon": s.lon,
                "network": s.network,
                "stationId": s.location_id,
                "alongKm": s.along_km,
            }
            for s in (plan.stops if plan else ())
        ]
        self.map.set_stops(self.suggestions.model.rows()[:3], self._planned_rows)

    # ------------------------------------------------------------ sync, station, search

    def cache_changed(self, location_ids: Sequence[str] | None = None) -> None:
        """Thread-safe: the sync service wrote to the cache. Drop cached answers and ask again."""
        self.worker.post(self._after_cache_change, location_ids)

    def _after_cache_change(self, location_ids: Sequence[str] | None) -> None:
        if self.provider is None:
            return
        provider = self.provider
        self.worker.submit(provider.invalidate, lambda _: self.refresh_all())
        sid = self.station.value("stationId")
        if self.station.value("open") and (location_ids is None or sid in location_ids):
            self._load_station(sid)

    def _load_station(self, station_id: str) -> None:
        lookup = self.lookup
        if lookup is None:
            return
        hhmm = local_hhmm()

        def job() -> tuple[Location | None, Tariff | None]:
            loc = lookup.location(station_id)
            return loc, lookup.tariff_of(loc) if loc else None

        self.worker.submit(job, lambda r: self.station.set_location(r[0], r[1], hhmm))

    def _search(self, text: str) -> None:
        lookup = self.lookup
        if lookup is None:
            return
        filters = self.filters.filters()
        self.worker.submit_latest("search", lambda: lookup.search(text, 20, filters), self.station.set_results)

    def _navigate(self, target: NavTarget) -> None:
        nav = self.services.navigation
        self.worker.submit(lambda: nav.navigate_to(target), lambda _: self._sent(target.name))

    def _sent(self, name: str) -> None:
        self.system.update(navSent=name)

    def deliver_sync_status(self, status: SyncStatus) -> None:
        self.sync.deliver(status)
