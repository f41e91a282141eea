"""Ports between the screen's stores and the rest of the module, with the plain data they carry.

Every port delivers frozen dataclasses through plain callables, so that a CAN reader thread, an
MQTT client thread or a planner running in a worker can feed the screen without knowing Qt. The
stores hand what they receive to the GUI thread through a mailbox (``ivi.ui.worker``).

Nothing here imports Qt; ``ivi.app`` (the composition root) picks the implementations:

==================  ===================================================================
port                implementation
==================  ===================================================================
VehicleSource       ``ivi.services.can_vehicle.CanVehicleSource`` (``ivi.can`` reader, +simulator)
SuggestionProvider  ``ivi.services.planning.PlannerService`` (``ivi.planner.suggest``)
TripPlanner         ``ivi.services.planning.PlannerService`` (``plan_trip`` / ``replan``)
SyncService         ``OfflineSync`` until ``sync.client`` (MQTT) lands — see ``ivi.app.make_sync``
NavigationSink      ``navigation.PrintNavigation`` (one JSON line on stdout)
==================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from chargers.store import Filters, Station
from geo.geometry import LatLon

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


class VehicleSource(Protocol):
    """Anything that delivers :class:`VehicleSample` s from its own thread until stopped."""

    def start(self, deliver: Callable[[VehicleSample], None]) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class VehicleProfile:
    """The few numbers the screen needs about the car (range estimate and charging curve)."""

    name: str
    battery_kwh: float
    kwh_per_km: float
    max_charge_kw: float
    reserve_percent: float = 10.0

    def range_km(self, soc_percent: float, *, keep_reserve: bool = True, kwh_per_km: float | None = None) -> float:
        """Range at ``soc_percent``; ``kwh_per_km`` (the learned consumption) overrides the profile's."""
        usable = soc_percent - (self.reserve_percent if keep_reserve else 0.0)
        return max(0.0, usable) / 100.0 * self.battery_kwh / (kwh_per_km or self.kwh_per_km)

    def soc_used(self, km: float) -> float:
        return km * self.kwh_per_km / self.battery_kwh * 100.0


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """One stop the driver could make next."""

    station: Station
    along_km: float  # from the start of the route
    ahead_km: float  # from the car, along the route
    detour_km: float  # there and back off the route
    arrival_soc_percent: float
    reachable: bool
    price_cny_per_kwh: float | None  # total (energy + service) at arrival time, if a tariff is known


@dataclass(frozen=True)
class SuggestionQuery:
    """Where the car is and what the driver asked for."""

    route_points: tuple[LatLon, ...]
    position_km: float
    soc_percent: float
    profile: VehicleProfile
    filters: Filters
    local_time_hhmm: str = "12:00"
    limit: int = 8
    soc_stale: bool = False  # the SoC is the last known value, not a fresh one: the planner flags it
    learned_kwh_per_km: float | None = None  # from CAN: corrects the planner's consumption model
    outside_temp_c: float | None = None


class SuggestionProvider(Protocol):
    def suggest(self, query: SuggestionQuery) -> list[Suggestion]: ...

    def invalidate(self) -> None:
        """Forget cached candidates (the cache changed under us)."""


# ---------------------------------------------------------------- trip plans


@dataclass(frozen=True)
class PlannedStop:
    station: Station
    along_km: float
    arrival_soc_percent: float
    departure_soc_percent: float
    charge_min: float
    cost_cny: float


@dataclass(frozen=True)
class TripPlan:
    kind: str  # "fastest" | "fewest_stops" | "cheapest"
    stops: tuple[PlannedStop, ...]
    drive_km: float
    drive_min: float
    charge_min: float
    cost_cny: float
    arrival_soc_percent: float
    feasible: bool = True
    stop_overhead_min: float = 0.0  # parking, plugging in and expected waits, over all stops
    message: str = ""  # why it is not feasible

    @property
    def total_min(self) -> float:
        return self.drive_min + self.charge_min + self.stop_overhead_min


@dataclass(frozen=True)
class TripPlans:
    """The recommended plan and the alternatives, by kind; ``notes`` say what changed against the
    previous plan and why (one sentence each, from the planner's re-planning)."""

    chosen: TripPlan | None
    alternatives: tuple[TripPlan, ...] = ()
    notes: tuple[str, ...] = ()
    unavailable_ids: frozenset[str] = frozenset()  # planned chargers found out of order


class TripPlanner(Protocol):
    def plan(self, query: SuggestionQuery, destination_km: float) -> TripPlans: ...

    def drift(self, position_km: float, soc_percent: float) -> str | None:
        """Why the current plan no longer holds (cheap, pure), or None while it does."""


# ---------------------------------------------------------------- sync


SYNC_STATES = ("offline", "syncing", "up_to_date", "error")


@dataclass(frozen=True)
class SyncStatus:
    """Mirrors ``sync.client.SyncStatus`` (state offline|syncing|up_to_date|error)."""

    state: str
    progress: float = 0.0  # 0..1 while syncing
    version: str = ""
    last_contact: float | None = None  # epoch seconds
    detail: str = ""


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
