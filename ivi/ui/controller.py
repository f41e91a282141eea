"""The screen's controller: connects the stores to the injected services.

It owns the I/O worker; every cache read, planning run and navigation hand-off happens there,
and results come back to the stores on the GUI thread. It decides *when* to ask (the car moved,
the filters or the cache changed), never *what* the answer is — that is the providers' job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from geo.geometry import LatLon, cumulative_km, locate_on_route
from ivi.services.ports import (
    BaseMap,
    BaseMapSource,
    ChargerBackends,
    ChargerLookup,
    Filters,
    Location,
    NavigationSink,
    NavTarget,
    RangeModel,
    Route,
    Stop,
    Suggestion,
    SuggestionProvider,
    SuggestionQuery,
    SyncService,
    SyncStatus,
    Tariff,
    TripPlanner,
    TripPlans,
    VehicleSource,
)
from ivi.ui.signals import emit
from ivi.ui.stores.filters import FiltersStore
from ivi.ui.stores.map import MapStore, PreparedMap, prepare_shapes
from ivi.ui.stores.station import StationStore
from ivi.ui.stores.suggestions import LOW_SOC_PERCENT, NextStop, SuggestionsStore, next_stop, short_name
from ivi.ui.stores.sync import SyncStore
from ivi.ui.stores.system import SystemStore
from ivi.ui.stores.trip import TripStore, charging_advice, clock
from ivi.ui.stores.vehicle import VehicleStore
from ivi.ui.worker import IoWorker, Mailbox

log = logging.getLogger(__name__)

REFRESH_EVERY_KM = 0.5
REFRESH_EVERY_S = 5.0
REPLAN_EVERY_KM = 50.0  # besides drift, a sync change or new filters
DRIFT_CHECK_EVERY_KM = 1.0
#: A parked car whose state of charge moved this much (a BMS correction, a value the CAN layer held
#: back until plausible) is checked against the plan too. While the car charges the plan holds.
DRIFT_CHECK_EVERY_PERCENT = 2.0


@dataclass(frozen=True)
class TripSpec:
    """The active route: a polyline from the navigation app or the corridor graph."""

    points: tuple[LatLon, ...]
    distance_km: float
    origin: str
    destination: str
    via: tuple[tuple[str, LatLon], ...] = ()
    route: Route | None = None  # the route graph's route (legs, ferries, altitudes), when it came from there

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
    base_map: BaseMapSource | None = None
    on_stop: list[Callable[[], None]] = field(default_factory=list)


#: With the filters on and nothing left, the unfiltered question is asked with this limit to say
#: how many chargers the filters hide.
HIDDEN_COUNT_LIMIT = 50


def local_hhmm() -> str:
    return datetime.now().strftime("%H:%M")


def minutes_now() -> float:
    now = datetime.now()
    return now.hour * 60.0 + now.minute + now.second / 60.0


class Controller(QObject):
    cacheReady = Signal()  # the charger data is open: start-up is over (the entry point may tidy up)

    def __init__(self, services: Services, trip: TripSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.trip = services, trip
        self.cum = cumulative_km(trip.points)
        self.mailbox = Mailbox(parent=self)  # the way back to the GUI thread, for the worker and the stores
        self.worker = IoWorker(self.mailbox)
        # The base map's first build takes seconds: on a thread of its own, never ahead of a query.
        self.map_worker = IoWorker(self.mailbox, name="ivi-map")
        self.lookup: ChargerLookup | None = None
        self.provider: SuggestionProvider | None = None
        self.planner: TripPlanner | None = None
        reserve = services.range_model.reserve_percent
        self.vehicle = VehicleStore(services.range_model, self.mailbox, parent=self)
        self.suggestions = SuggestionsStore(self, reserve_percent=reserve)
        self.filters = FiltersStore(services.filters_file, self)
        self.sync = SyncStore(self.mailbox, self)
        self.trip_store = TripStore(trip.destination, self, reserve_percent=reserve)
        self.station = StationStore(self._navigate, self)
        self.map = MapStore(self)
        self.system = SystemStore(self)
        if trip.points:
            self.map.set_route(trip.points, trip.distance_km, trip.origin, trip.destination, trip.via)
        self._asked_at = (-1e9, -1e9, 0.0)  # (km, soc, monotonic)
        self._planned_at_km = -1e9
        self._drift_checked_km = -1e9
        self._drift_checked_soc = -1e9
        self._was_charging = False
        self._planned_rows: list[dict] = []
        self._map_problem = ""
        self.vehicle.sampleApplied.connect(self._on_sample)
        self.vehicle.changed.connect(self._on_vehicle_changed)
        self.filters.filtersChanged.connect(self._filters_changed)
        self.station.requestOpen.connect(self._load_station)
        self.station.requestSearch.connect(self._search)
        self.suggestions.openStation.connect(self.station.show)
        self.suggestions.clearFiltersRequested.connect(self.filters.clear)
        self.map.openStation.connect(self.station.show)
        self._apply_preferences()
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
        self.map_worker.submit(self._load_base_map, self._base_map_ready, self._base_map_failed)

    def _load_base_map(self) -> PreparedMap:
        """The base map (built once from the installed data on a first run) and the overlays
        every map has — the expressway corridors and the big cities — made into polygons here,
        off the GUI thread."""
        from geo.basemap import city_labels, corridor_labels, corridor_layer

        source = self.services.base_map
        base = source.load() if source is not None else None
        overlays = BaseMap((corridor_layer(),), (*corridor_labels(), *city_labels()), "")
        prepared = prepare_shapes((base, overlays))
        if base is None:
            self._map_problem = getattr(source, "problem", "") or "no base map installed"
        return prepared

    def _base_map_ready(self, prepared: PreparedMap) -> None:
        self.map.set_prepared(prepared, self._map_problem)

    def _base_map_failed(self, exc: BaseException) -> None:
        log.error("no base map: %s", exc)
        self.map.set_base((None, BaseMap((), (), "")), str(exc))

    def set_language(self, language: str) -> None:
        """The screen's language: short names and map labels follow it."""
        english = language != "zh_CN"
        self.suggestions.set_language(english)
        self.trip_store.set_language(english)
        self.station.english = english
        self.map.set_language(english)

    def stop(self) -> None:
        self.worker.close()  # first: a vehicle start still running on it finishes before the stop
        self.map_worker.close()
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
        emit(self.cacheReady)
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
        v = self.vehicle
        moving = v.value("moving")
        self.suggestions.set_moving(moving)
        self.station.set_moving(moving)
        self.map.set_following(moving)
        stale = bool(v.value("socStale"))
        self.suggestions.set_uncertain(stale and v.last_soc_percent is not None)
        soc = v.last_soc_percent
        self.suggestions.set_low_battery(soc is not None and (soc < LOW_SOC_PERCENT or v.value("belowReserve")))

    def _on_sample(self) -> None:
        s = self.vehicle.last_sample
        km = self.position_km()
        if s is not None:
            self.map.set_car(s.position, s.heading_deg or 0.0, km)
            self.station.set_car(s.position)
        self.trip_store.set_position(km)
        self._update_charging(km)
        soc = self.vehicle.value("socPercent")
        last_km, last_soc, last_t = self._asked_at
        if (
            abs(km - last_km) >= REFRESH_EVERY_KM
            or abs(soc - last_soc) >= 0.5
            or time.monotonic() - last_t > REFRESH_EVERY_S
        ):
            self.refresh_suggestions()
        charging = bool(self.vehicle.value("charging"))
        was_charging, self._was_charging = self._was_charging, charging
        if charging:
            return  # the plan holds while the car charges (the charging advice reads it); re-planned after
        if was_charging or abs(km - self._planned_at_km) >= REPLAN_EVERY_KM:
            self.replan()
        elif (
            (
                abs(km - self._drift_checked_km) >= DRIFT_CHECK_EVERY_KM
                or abs(soc - self._drift_checked_soc) >= DRIFT_CHECK_EVERY_PERCENT
            )
            and self.planner is not None
            and not self.vehicle.value("socStale")
        ):
            self._drift_checked_km, self._drift_checked_soc = km, soc
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
            route=self.trip.route,
        )

    def refresh_all(self) -> None:
        self.refresh_suggestions()
        self.replan()

    def _apply_preferences(self) -> None:
        choice = self.filters.choice
        self.suggestions.set_preferences(include_ac=choice.include_ac, available_only=choice.available_only)

    def _filters_changed(self) -> None:
        self._apply_preferences()
        self.refresh_all()

    def refresh_suggestions(self) -> None:
        q = self._query()
        if q is None or self.provider is None or not self.trip.points:
            return
        if self.suggestions.value("lowBattery"):  # every charger the car still reaches, reserve or not
            q = replace(q, reserve_percent=0.0)
        self._asked_at = (q.position_km, q.soc_percent, time.monotonic())
        provider = self.provider
        default = Filters()

        def job() -> tuple[list[Suggestion], int]:
            found = provider.suggest(q)
            if found or q.filters == default:
                return found, 0
            unfiltered = provider.suggest(replace(q, filters=default, limit=HIDDEN_COUNT_LIMIT))
            return found, sum(1 for s in unfiltered if s.reachable)

        self.worker.submit_latest("suggest", job, self._suggestions_ready, lambda e: self.suggestions.set_error(str(e)))

    def _suggestions_ready(self, result: tuple[list[Suggestion], int]) -> None:
        suggestions, hidden = result
        self.suggestions.set_suggestions(suggestions, hidden)
        ages = [s.status_age_min for s in self.suggestions.shown if s.status_age_min is not None]
        self.sync.set_status_age(min(ages) if ages else None)
        self._publish_pins()
        self._assess()

    def _publish_pins(self) -> None:
        self.map.set_stops(self.suggestions.model.rows(), self._planned_rows)

    def _assess(self) -> None:
        v = self.vehicle
        stale = v.value("socStale")
        remaining = max(0.0, self.trip.distance_km - self.position_km())
        gone = (
            self.trip_store.value("reasonStation") if self.trip_store.value("reason") == "station_unavailable" else ""
        )
        replacement = self._replacement() if gone else None
        self.suggestions.assess(
            None if stale else v.value("socPercent"),
            v.last_soc_percent,
            max(0.0, v.value("rangeKm")),
            remaining,
            gone,
            replacement,
            self.position_km(),
        )

    def _replacement(self) -> Stop | None:
        plan = self.trip_store.current()
        nxt = next_stop(plan, self.position_km(), self.trip.distance_km)
        return nxt.stop

    def replan(self) -> None:
        q = self._query()
        if q is None or self.planner is None or self.lookup is None or not self.trip.points:
            return
        self._planned_at_km = self._drift_checked_km = q.position_km
        self._drift_checked_soc = q.soc_percent
        planner, dest = self.planner, self.trip.distance_km

        def job():
            return planner.plan(q, dest), dest - q.position_km

        self.worker.submit_latest("plan", job, self._plans_ready, self._plan_failed)

    def _plan_failed(self, exc: BaseException) -> None:
        log.error("trip plan failed: %s", exc)
        self.trip_store.set_error(str(exc))
        self.suggestions.set_next_stop(NextStop("error"))

    def _plans_ready(self, result: tuple[TripPlans, float]) -> None:
        plans, remaining = result
        self.trip_store.set_plans(plans, remaining, plans.unavailable_ids)
        plan = self.trip_store.current()
        self._show_next_stop()
        self._assess()
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
        self._publish_pins()

    def _show_next_stop(self) -> None:
        plan = self.trip_store.current()
        nxt = next_stop(plan, self.position_km(), self.trip.distance_km)
        self.suggestions.set_next_stop(nxt, clock(nxt.arrive_min_of_day) if nxt.stop else "")
        stop = nxt.stop
        if stop is None or not self.suggestions.english or self.lookup is None:
            return
        known = next((s for s in self.suggestions.suggestions if s.location_id == stop.location_id), None)
        if known is not None:
            self.suggestions.set_next_stop_name(short_name(known.name, known.name_en, True))
            return
        lookup, sid = self.lookup, stop.location_id

        def english_name() -> str:
            loc = lookup.location(sid)
            return short_name(loc.name, loc.name_en, True) if loc else ""

        def show(name: str) -> None:
            if name and self.suggestions.value("nextId") == sid:
                self.suggestions.set_next_stop_name(name)

        self.worker.submit(english_name, show)

    def _update_charging(self, km: float) -> None:
        v = self.vehicle
        if not v.value("charging"):
            self.trip_store.set_charging(None, 0.0)
            return
        advice = charging_advice(self.trip_store.current(), km, v.last_soc_percent, self.trip.destination)
        self.trip_store.set_charging(advice, minutes_now())

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
        ahead = next((s.along_km for s in self.suggestions.suggestions if s.location_id == station_id), None)

        def job() -> tuple[Location | None, Tariff | None]:
            loc = lookup.location(station_id)
            return loc, lookup.tariff_of(loc) if loc else None

        self.worker.submit(job, lambda r: self.station.set_location(r[0], r[1], hhmm, ahead))

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
