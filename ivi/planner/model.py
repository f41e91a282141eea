"""Plain data in and out of the planner: frozen dataclasses, no I/O, no clock.

Inputs: :class:`Candidate` (a partner station seen from the route; a NamedTuple), :class:`TripRequest`,
:class:`SuggestRequest`, :class:`PlannerSettings`. Outputs: :class:`Stop`, :class:`TripPlan`,
:class:`Suggestion`, :class:`SuggestionOverview`. ``to_json()`` gives the dict the CLI prints and
the UI shows. Fields added since the first version all have defaults (the screen builds these
types in its tests); each says what it means where it is declared.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from chargers.models import Tariff
from ivi.planner.road import Road
from ivi.planner.vehicle import STANDARD_TEMP_C, VehicleProfile

if TYPE_CHECKING:
    from ivi.planner.occupancy import Occupancy, Outlook

#: The state of charge a plan never goes below unless asked otherwise (the driver's reserve), %.
DEFAULT_RESERVE_PERCENT = 10.0
#: Where a departure given only as a time of day is placed when no date is known: a Monday,
#: in the time zone the partner stations keep (China Standard Time).
DEFAULT_TIME_ZONE = "Asia/Shanghai"
REFERENCE_DATE = (2026, 11, 2)


@dataclass(frozen=True)
class PlannerSettings:
    """Assumptions of the model; every one is documented (with its source) in docs/planner.md."""

    expressway_cruise_kmh: float = 120.0  # the speed driven on an expressway: what the energy is for
    expressway_average_kmh: float = 100.0  # including slowdowns, toll gates, traffic: what the time is for
    road_cruise_kmh: float = 70.0  # a national highway (G318) or an access road
    road_average_kmh: float = 55.0
    detour_kmh: float = 40.0  # the first km off the route, to the charger and back (ramps, town)
    detour_near_km: float = 5.0  # beyond this a detour (a pinned station far off) runs at road speed
    detour_road_factor: float = 1.3  # road distance / straight-line distance for the detour
    stop_overhead_min: float = 5.0  # session overhead: leave the road, park, plug in, authorise, handshake
    min_session_min: float = 3.0  # a session lasts at least this (ramp-up): no 0–2 minute top-ups
    busy_wait_min: float = 15.0  # no occupancy model: the wait when a fresh status says every EVSE is taken
    stranded_min: float = 120.0  # occupancy: a failed stop with no other station within the reserve
    minutes_per_cny: float = 1.0  # departure advice: ¥1 is worth a minute (¥60 an hour of the driver's time)
    status_fresh_min: float = 30.0  # availability older than this is shown as stale and not trusted
    soc_step_percent: int = 1  # grid of departure states of charge
    trip_min_power_kw: float = 50.0  # trip plans ignore slower (AC) chargers
    default_target_soc_percent: float = 80.0  # suggestions: charge to this
    pin_min_charge_percent: float = 10.0  # a pinned stop charges at least this much (or to 100 %)
    consumption_margin_percent: float = 15.0  # plans keep the reserve with this much more consumption
    low_battery_floor_percent: float = 3.0  # below the reserve: the first stop may be reached with this

    @property
    def cruise_kmh(self) -> float:
        """The expressway cruise (what the range is computed at); kept for older callers."""
        return self.expressway_cruise_kmh


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
    time_zone: str = DEFAULT_TIME_ZONE  # the station's (OCPI ``time_zone``): its tariff's clock
    is_dc: bool = True  # False: an AC destination charger

    def price_cny_per_kwh(self, hhmm: str, weekday: int | None = None) -> float:
        """Energy + service price at the station's local ``hhmm`` on ISO ``weekday``."""
        if self.tariff is not None:
            w = self.tariff.price_at(hhmm, weekday)
            if w is not None:
                return w.total_cny_per_kwh
        return self.flat_price_cny_per_kwh

    def price_at(self, when: datetime) -> float:
        """The price at an absolute time, read on the station's own clock."""
        hhmm, weekday = local_clock(when, self.time_zone)
        return self.price_cny_per_kwh(hhmm, weekday)


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
    #: The departure as an absolute time (timezone-aware). None: ``depart_min_of_day`` on the
    #: reference Monday in China Standard Time. Tariffs are read on each station's own clock.
    depart_at: datetime | None = None
    road: Road = Road()  # legs (expressway, road, ferry) and altitudes; empty: flat expressway
    consumption_margin_percent: float | None = None  # None: settings (15 %); or the learned spread
    first_stop_floor_percent: float | None = None  # None: settings.low_battery_floor_percent
    #: The synced occupancy model and live statuses (None: no model, the flat busy wait).
    occupancy: Occupancy | None = None

    @property
    def arrive_target_percent(self) -> float:
        return self.reserve_percent if self.arrive_soc_percent is None else self.arrive_soc_percent

    @property
    def margin(self) -> float:
        m = self.settings.consumption_margin_percent
        return (m if self.consumption_margin_percent is None else self.consumption_margin_percent) / 100.0

    @property
    def low_battery_floor_percent(self) -> float:
        f = self.settings.low_battery_floor_percent
        return max(0.0, f if self.first_stop_floor_percent is None else self.first_stop_floor_percent)

    def departure(self) -> datetime:
        """The absolute departure time the plan uses."""
        if self.depart_at is not None:
            return self.depart_at if self.depart_at.tzinfo else self.depart_at.replace(tzinfo=UTC)
        day = datetime(*REFERENCE_DATE, tzinfo=ZoneInfo(DEFAULT_TIME_ZONE))
        return day + timedelta(minutes=self.depart_min_of_day)


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
    #: At the expected consumption (``arrival_soc`` is at the planning one: expected + margin).
    expected_arrival_soc: float | None = None
    #: Percentage points above the reserve the car arrives with at the expected consumption.
    margin_percent: float | None = None
    price_cny_per_kwh: float | None = None  # the price the plan charges here (station's clock)
    reason: str = ""  # why this stop: pinned, low battery, or what it does for the trip
    first_stop_floor: bool = False  # reached on the low-battery floor, below the reserve
    outlook: Outlook | None = None  # predicted occupancy and reliability at the arrival (with a model)

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
            "expected_arrival_soc": _r(self.expected_arrival_soc),
            "margin_percent": _r(self.margin_percent),
            "price_cny_per_kwh": None if self.price_cny_per_kwh is None else round(self.price_cny_per_kwh, 3),
            "reason": self.reason,
            "low_battery_floor": self.first_stop_floor,
            "occupancy": None if self.outlook is None else self.outlook.to_json(),
        }


@dataclass(frozen=True)
class Ferry:
    """A ferry crossing on the route: no driving, no charging, its whole crossing time."""

    name: str
    from_km: float  # along the route, from its start
    to_km: float
    crossing_min: float
    board_min_of_day: float  # when the plan reaches the port (minutes after the departure day's midnight)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from_km": round(self.from_km, 1),
            "to_km": round(self.to_km, 1),
            "crossing_min": round(self.crossing_min, 1),
            "board_at": clock(self.board_min_of_day),
        }


@dataclass(frozen=True)
class NearbyCharger:
    """The charger nearest to where an infeasible plan runs out (any power, AC included)."""

    location_id: str
    name: str
    network: str
    along_km: float
    distance_km: float  # from where the car runs out, by road, either way along the route
    power_kw: float

    def to_json(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "name": self.name,
            "network": self.network,
            "along_km": round(self.along_km, 1),
            "distance_km": round(self.distance_km, 1),
            "power_kw": self.power_kw,
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
    #: At the expected consumption: the arrival at the destination (or the reach point), and how
    #: many points that is above the asked arrival (the margin the pessimistic plan keeps).
    expected_arrival_soc: float | None = None
    margin_percent: float | None = None
    consumption_margin_percent: float = 0.0  # how much more consumption the plan keeps the reserve for
    to_empty_km: float | None = None  # from the car, at the expected consumption, without charging
    reserve_km: float | None = None  # how far the reserve alone goes at expressway cruise
    ferries: tuple[Ferry, ...] = ()
    low_battery: bool = False  # the first stop is reached on the low-battery floor
    runs_out_km: float | None = None  # infeasible: where the best partial plan reaches 0 % (expected)
    nearest_charger: NearbyCharger | None = None  # infeasible: the charger nearest that point
    road_km: float | None = None  # distance on the ground to the destination (road factors, detours)
    kwh_per_km: float | None = None  # expected consumption at expressway cruise the plan assumed
    #: (km along the route, expected SoC drop in % since the car) breakpoints: ``planned_soc_at``.
    expected_profile: tuple[tuple[float, float], ...] = field(default=(), compare=False, repr=False)

    def planned_soc_at(self, km: float) -> float:
        """The state of charge the plan expects at ``km`` along the route (on the road), at the
        expected consumption."""
        soc, at = self.start_soc, self.position_km
        for s in self.stops:
            if s.along_km > km:
                break
            soc, at = s.departure_soc, s.along_km
        if not self.expected_profile:
            return soc - (km - at) * self.route_percent_per_km
        return soc - (_profile_at(self.expected_profile, km) - _profile_at(self.expected_profile, at))

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
            "expected_arrival_soc": _r(self.expected_arrival_soc),
            "margin_percent": _r(self.margin_percent),
            "consumption_margin_percent": round(self.consumption_margin_percent, 1),
            "to_empty_km": _r(self.to_empty_km),
            "reserve_km": _r(self.reserve_km),
            "road_km": _r(self.road_km),
            "ferries": [f.to_json() for f in self.ferries],
            "low_battery": self.low_battery,
            "runs_out_km": _r(self.runs_out_km),
            "nearest_charger": None if self.nearest_charger is None else self.nearest_charger.to_json(),
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
    #: The current plan's stops still ahead, in route order: the next one is listed first.
    plan_stop_ids: tuple[str, ...] = ()
    include_ac: bool = False  # AC destination chargers only when asked (or when nothing else is reachable)
    first_stop_floor_percent: float | None = None  # None: settings.low_battery_floor_percent
    road: Road = Road()  # legs and altitudes of the route, as for a trip
    destination_km: float | None = None  # where the route ends (None: route_km)
    occupancy: Occupancy | None = None  # the synced occupancy model (None: the flat busy wait)


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
    planned: bool = False  # the trip plan's next stop
    gain_km: float = 0.0  # range the charge adds, at expressway cruise
    minutes_per_100km: float | None = None  # time the stop costs per 100 km of range it adds: the ranking
    low_battery: bool = False  # reachable only on the low-battery floor, below the reserve
    outlook: Outlook | None = None  # predicted occupancy and reliability at the arrival (with a model)

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
            "planned": self.planned,
            "gain_km": round(self.gain_km, 1),
            "minutes_per_100km": _r(self.minutes_per_100km),
            "low_battery": self.low_battery,
            "occupancy": None if self.outlook is None else self.outlook.to_json(),
        }


@dataclass(frozen=True)
class SuggestionOverview:
    """What the driver needs to read before the list: how far the charge goes, whether a stop is
    needed yet, and at low charge the nearest fast charger. ``message`` says it in one line."""

    to_empty_km: float  # at the expected consumption, to 0 %
    reserve_km: float  # what the reserve alone covers
    usable_km: float  # to the reserve
    no_stop_needed_before_km: float | None  # along the route; None around the car
    reaches_destination: bool
    low_battery: bool  # at or below the reserve
    nearest_fast_km: float | None  # by road, to the nearest reachable DC charger
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "to_empty_km": round(self.to_empty_km, 1),
            "reserve_km": round(self.reserve_km, 1),
            "usable_km": round(self.usable_km, 1),
            "no_stop_needed_before_km": _r(self.no_stop_needed_before_km),
            "reaches_destination": self.reaches_destination,
            "low_battery": self.low_battery,
            "nearest_fast_km": _r(self.nearest_fast_km),
            "message": self.message,
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


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_clock(when: datetime, time_zone: str) -> tuple[str, int]:
    """``HH:MM`` and ISO weekday of an absolute time on a station's clock (``zoneinfo``)."""
    local = when.astimezone(_zone(time_zone or DEFAULT_TIME_ZONE))
    return f"{local.hour:02d}:{local.minute:02d}", local.isoweekday()


def min_of_day(when: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> float:
    """Minutes after local midnight of an absolute time, in ``time_zone``."""
    local = when.astimezone(_zone(time_zone))
    return local.hour * 60.0 + local.minute + local.second / 60.0


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def _profile_at(profile: tuple[tuple[float, float], ...], km: float) -> float:
    if km <= profile[0][0]:
        return profile[0][1]
    for (k0, v0), (k1, v1) in itertools.pairwise(profile):
        if km <= k1:
            return v0 + (v1 - v0) * ((km - k0) / (k1 - k0) if k1 > k0 else 0.0)
    return profile[-1][1]
