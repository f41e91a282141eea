"""The composition root of the ``ivi`` app: which implementation sits behind each port.

The screen (``ivi.ui``) only knows the ports in ``ivi.ui.services.ports``. This module picks:

* vehicle: the built-in simulated drive (stand-in for the CAN simulator + reader on a python-can
  ``virtual`` bus — wire ``ivi.can`` here), or nothing (the screen says "no vehicle data");
* suggestions and trip plans: the stand-ins over the cache (wire ``ivi.planner`` here);
* sync: offline without ``--broker`` (wire ``sync.client`` here);
* navigation: one JSON line on stdout.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sync.geo.geometry import haversine_km, parse_polyline
from sync.geo.cities import find_city
from sync.geo.routes import Place, Route, route_between, resolve_place
from sync.store import ChargerStore
from ivi.ui.controller import Services, TripSpec
from ivi.ui.services.greedy_planner import GreedyPlanner
from ivi.ui.services.navigation import PrintNavigation
from ivi.ui.services.offline_sync import OfflineSync
from ivi.ui.services.ports import SyncService, VehicleProfile, VehicleSource
from ivi.ui.services.profiles import DEFAULT_PROFILE, load_profile
from ivi.ui.services.route_suggestions import RouteSuggestions
from ivi.ui.services.sim_vehicle import SimulatedDrive

log = logging.getLogger(__name__)
MIN_LABEL_GAP_KM = 90.0


@dataclass
class AppConfig:
    """Everything ``ivi run`` can choose; the defaults are the embedded default run."""

    db_path: Path | None = None
    origin: str = "Beijing"
    destination: str = "Shanghai"
    route_file: Path | None = None
    vehicle: str = DEFAULT_PROFILE
    language: str = "en"
    theme: str = "night"
    fullscreen: bool = False
    can_interface: str | None = None
    can_channel: str | None = None
    can_log: Path | None = None
    broker: str | None = None
    pubkey: str | None = None
    start_soc_percent: float = 80.0
    start_km: float = 0.0
    sim_speedup: float = 1.0
    config_dir: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def make_trip(config: AppConfig) -> TripSpec:
    """The route from ``--route FILE`` or ``--from/--to`` (raises ``ValueError`` with a reason)."""
    if config.route_file is not None:
        points = parse_polyline(Path(config.route_file).read_text(encoding="utf-8"))
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
    return TripSpec(route.points, route.distance_km, label(origin), label(dest), tuple(via))


def make_vehicle(config: AppConfig, trip: TripSpec, profile: VehicleProfile) -> tuple[VehicleSource | None, str]:
    if config.can_interface or config.can_log:
        # TODO(lead): wire ivi.can's reader here (python-can bus or log replay) when it lands.
        log.warning("CAN reader not available in this build: no vehicle data")
        return None, "CAN reader not wired"
    return SimulatedDrive(trip.points, profile, start_soc_percent=config.start_soc_percent,
                          start_km=config.start_km, speedup=config.sim_speedup), "simulated drive"


def make_sync(config: AppConfig) -> SyncService:
    if config.broker:
        # TODO(lead): wire sync.client (MQTT) here; it reports SyncStatus and changed location ids.
        return OfflineSync("error", f"sync client not available in this build ({config.broker})")
    return OfflineSync()


def build_services(config: AppConfig, trip: TripSpec, profile: VehicleProfile) -> Services:
    vehicle, label = make_vehicle(config, trip, profile)
    db_path = config.db_path

    def open_cache() -> ChargerStore:
        return ChargerStore.open(db_path, seed=True)

    return Services(
        open_cache=open_cache,
        make_suggestions=lambda cache: RouteSuggestions(cache),
        make_planner=lambda cache, provider: GreedyPlanner(provider),  # type: ignore[arg-type]
        vehicle=vehicle,
        sync=make_sync(config),
        navigation=PrintNavigation(),
        vehicle_label=label,
    )


def profile_for(config: AppConfig) -> VehicleProfile:
    return load_profile(config.vehicle)
