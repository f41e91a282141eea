"""Plain data in and out of the planner: frozen dataclasses, no I/O, no clock.

Inputs: :class:`Candidate` (a partner station seen from the route; a NamedTuple), :class:`TripRequest`,
:class:`SuggestRequest`, :class:`PlannerSettings`. Outputs: :class:`Stop`, :class:`TripPlan`,
:class:`Suggestion`. ``to_json()`` gives the dict the CLI prints and the UI shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from chargers.models import Tariff
from ivi.planner.vehicle import STANDARD_TEMP_C, VehicleProfile

#: The state of charge a plan never goes below unless asked otherwise (the driver's reserve), %.
DEFAULT_RESERVE_PERCENT = 10.0


@dataclass(frozen=True)
class PlannerSettings:
    """Assumptions of the time model; every one is documented in docs/planner.md."""

    cruise_kmh: float = 100.0  # average speed on the route (expressways, incl. slowdowns)
    detour_kmh: float = 40.0  # average speed off the route, to the charger and back
    detour_road_factor: float = 1.3  # road distance / straight-line distance for the detour
    stop_overhead_min: float = 5.0  # leave the road, park, plug in, pay
    busy_wait_min: float = 15.0  # expected wait when a fresh status says every EVSE is taken
    status_fresh_min: float = 30.0  # availability older than this is shown as stale and not trusted
    soc_step_percent: int = 1  # grid of departure states of charge
    trip_min_power_kw: float = 50.0  # trip plans ignore slower (AC) chargers
    default_target_soc_percent: float = 80.0  # suggestions: charge to this
    pin_min_charge_percent: float = 10.0  # a pinned stop charges at least this much (or to 100 %)


class Candidate(NamedTuple):
    """A partner station as the planner sees it from a route (or from the car).

    A NamedTuple rather than a frozen dataclass (like ``chargers.store.Station``): a route at a
    million chargers has ~13,000 candidates, and a frozen dataclass's ``__init__`` costs several
    times as much."""

    location_id: str
    network: str
    name: str
    lat: float
    lon: float
    along_km: float  # distance along the route to the point nearest the station
    off_route_km: float  # straight-line distance from the route to the station
    power_kw: float  # the station's best charger
    evse_count: int = 1
    available_count: int = 1
    status_age_min: float | None = None  # how old the availability is (None: unknown)
    is_green: bool = False
    tariff: Tariff | None = None
    flat_price_cny_per_kwh: float = 1.6  # used when the station has no tariff
    name_en: str = ""  # English or pinyin name, for the screen in English
    city: str = ""

    def price_cny_per_kwh(self, hhmm: str) -> float:
        if self.tariff is not None:
            w = self.tariff.price_at(hhmm)
            if w is not None:
                return w.total_cny_per_kwh
        return self.flat_price_cny_per_kwh


@dataclass(frozen=True)
class TripRequest:
    """Everything one trip plan depends on. ``position_km`` is how far along the route the car is."""

    route_km: float
    vehicle: VehicleProfile
    soc_percent: float
    candidates: tuple[Candidate, ...]
    reserve_percent: float = DEFAULT_RESERVE_PERCENT
    arrive_soc_percent: float | None = None  # None: the reserve
    depart_min_of_day: float = 8 * 60.0  # local time the car sets off, minutes after midnight
    outside_temp_c: float = STANDARD_TEMP_C
    learned_kwh_per_km: float | None = None  # from CAN, corrects the model
    soc_stale: bool = False
    pinned_ids: tuple[str, ...] = ()  # "charge here", in route order
    avoided_ids: frozenset[str] = frozenset()
    offline_ids: frozenset[str] = frozenset()  # chargers known to be out of order
    position_km: float = 0.0
    origin: str = ""
    destination: str = ""
    settings: PlannerSettings = PlannerSettings()

    @property
    def arrive_target_percent(self) -> float:
        return self.reserve_percent if self.arrive_soc_percent is None else self.arrive_soc_percent


@dataclass(frozen=True)
class Stop:
    location_id: str
    network: str
    name: str
    lat: float
    lon: float
    along_km: float
    detour_km: float
    power_kw: float
    arrival_soc: float
    departure_soc: float
    charge_min: float
    wait_min: float
    cost_cny: float
    arrive_min_of_day: float
    charged_min_of_day: float  # when charging completes
    available_count: int
    evse_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "network": self.network,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "along_km": round(self.along_km, 1),
            "arrival_soc": round(self.arrival_soc, 1),
            "departure_soc": round(self.departure_soc, 1),
            "charge_min": round(self.charge_min, 1),
            "wait_min": round(self.wait_min, 1),
            "detour_km": round(self.detour_km, 1),
            "power_kw": self.power_kw,
            "cost_cny": round(self.cost_cny, 2),
            "arrive_at": clock(self.arrive_min_of_day),
            "charged_at": clock(self.charged_min_of_day),
            "available": self.available_count,
            "evses": self.evse_count,
        }


@dataclass(frozen=True)
class TripPlan:
    objective: str  # "fastest", "fewest_stops" or "cheapest"
    feasible: bool
    stops: tuple[Stop, ...]
    drive_km: float
    drive_min: float
    charge_min: float
    stop_overhead_min: float  # parking, plugging in and waiting, over all stops
    total_min: float
    arrival_soc: float  # at the destination (or where the charge runs out, when infeasible)
    cost_cny: float
    reach_km: float  # how far along the route the plan gets (the route length when feasible)
    route_km: float
    position_km: float
    start_soc: float
    route_percent_per_km: float  # state of charge the route costs per km, for re-planning
    depart_min_of_day: float
    message: str = ""
    warnings: tuple[str, ...] = ()
    soc_stale: bool = False
    alternatives: dict[str, TripPlan] = field(default_factory=dict, compare=False)

    def planned_soc_at(self, km: float) -> float:
        """The state of charge the plan expects at ``km`` along the route (on the road)."""
        soc, at = self.start_soc, self.position_km
        for s in self.stops:
            if s.along_km > km:
                break
            soc, at = s.departure_soc, s.along_km
        return soc - (km - at) * self.route_percent_per_km

    def to_json(self, with_alternatives: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "objective": self.objective,
            "feasible": self.feasible,
            "stops": [s.to_json() for s in self.stops],
            "drive_km": round(self.drive_km, 1),
            "drive_min": round(self.drive_min, 1),
            "charge_min": round(self.charge_min, 1),
            "stop_overhead_min": round(self.stop_overhead_min, 1),
            "total_min": round(self.total_min, 1),
            "arrival_soc": round(self.arrival_soc, 1),
            "cost_cny": round(self.cost_cny, 2),
            "reach_km": round(self.reach_km, 1),
            "route_km": round(self.route_km, 1),
            "depart_at": clock(self.depart_min_of_day),
            "arrive_at": clock(self.depart_min_of_day + self.total_min),
            "message": self.message,
            "warnings": list(self.warnings),
            "soc_stale": self.soc_stale,
        }
        if with_alternatives and self.alternatives:
            out["alternatives"] = {k: v.to_json(False) for k, v in self.alternatives.items()}
        return out


@dataclass(frozen=True)
class SuggestRequest:
    """Suggestions ahead on a route (``route_km`` set) or around the car (``route_km`` None)."""

    vehicle: VehicleProfile
    soc_percent: float
    candidates: tuple[Candidate, ...]
    route_km: float | None = None
    position_km: float = 0.0
    reserve_percent: float = DEFAULT_RESERVE_PERCENT
    target_soc_percent: float | None = None  # None: settings.default_target_soc_percent
    now_min_of_day: float = 8 * 60.0
    outside_temp_c: float = STANDARD_TEMP_C
    learned_kwh_per_km: float | None = None
    soc_stale: bool = False
    networks: frozenset[str] | None = None
    min_power_kw: float = 0.0
    available_only: bool = False
    green_only: bool = False
    limit: int = 20
    settings: PlannerSettings = PlannerSettings()


@dataclass(frozen=True)
class Suggestion:
    location_id: str
    network: str
    name: str
    lat: float
    lon: float
    along_km: float  # from the car: along the route to the station (around the car: the road distance)
    detour_km: float
    arrival_soc: float
    target_soc: float
    charge_min: float
    time_cost_min: float  # detour + overhead + expected wait + charging: what ranks suggestions
    cost_cny: float
    power_kw: float
    available_count: int
    evse_count: int
    status_age_min: float | None
    status_fresh: bool
    is_green: bool
    along_route_km: float = 0.0  # where the station sits on the route, from its start (0 around the car)
    price_cny_per_kwh: float | None = None  # energy + service at the arrival time; None without a tariff
    reachable: bool = True  # False: listed only because nothing is reachable (nearest first)
    name_en: str = ""
    city: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "network": self.network,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "along_km": round(self.along_km, 1),
            "detour_km": round(self.detour_km, 1),
            "arrival_soc": round(self.arrival_soc, 1),
            "target_soc": round(self.target_soc, 1),
            "charge_min": round(self.charge_min, 1),
            "time_cost_min": round(self.time_cost_min, 1),
            "cost_cny": round(self.cost_cny, 2),
            "power_kw": self.power_kw,
            "available": self.available_count,
            "evses": self.evse_count,
            "status_age_min": None if self.status_age_min is None else round(self.status_age_min, 1),
            "status_fresh": self.status_fresh,
            "green": self.is_green,
            "price_cny_per_kwh": None if self.price_cny_per_kwh is None else round(self.price_cny_per_kwh, 2),
            "reachable": self.reachable,
        }


def clock(min_of_day: float) -> str:
    """Minutes after the departure day's midnight → ``HH:MM`` (``+1d`` on later days)."""
    total = round(min_of_day)
    days, rest = divmod(total, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return text + (f" +{days}d" if days else "")


def hhmm(min_of_day: float) -> str:
    """Local time of day for a tariff lookup."""
    rest = int(min_of_day) % (24 * 60)
    return f"{rest // 60:02d}:{rest % 60:02d}"
