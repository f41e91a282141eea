"""What the occupancy model needs to know of a station: its network, its kind of place, its EVSEs.

Three kinds of place behave differently (docs/data.md):

* ``highway`` — an expressway service area (服务区): traffic-driven, quiet at night, surges on
  weekends and holidays;
* ``city`` — a DC station in town: commuters, errands, ride-hailing drivers;
* ``destination`` — slow AC chargers at malls and hotels (long sessions while people shop).

The partner feeds carry no place type, so it is read from what they do carry: a service area's
name says so (``服务区`` / "Service Area"; our generator also marks them with the ``RESTAURANT``
facility), and a station whose best charger is AC (under 50 kW) is a destination charger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from chargers.models import Location, RegularHours

__all__ = ["DESTINATION_MAX_KW", "Place", "StationInfo", "catalog", "place_from", "place_of", "size_class"]

#: A station whose best charger is below this is a destination (AC) charger.
DESTINATION_MAX_KW = 50.0
_GONE = frozenset({"REMOVED", "PLANNED"})


class Place(IntEnum):
    HIGHWAY = 0
    CITY = 1
    DESTINATION = 2

    @property
    def label(self) -> str:
        return self.name.lower()


def place_of(loc: Location) -> Place:
    return place_from(loc.name, loc.name_en, loc.max_power_kw)


def place_from(name: str, name_en: str, max_power_kw: float) -> Place:
    """The kind of place from what every view of a station carries (the planner's candidates too)."""
    if "服务区" in name or "service area" in name_en.lower():
        return Place.HIGHWAY
    if max_power_kw < DESTINATION_MAX_KW:
        return Place.DESTINATION
    return Place.CITY


def size_class(evse_count: int) -> int:
    """0: up to 4 EVSEs, 1: 5–6, 2: 7 or more (a bigger station is full far less often)."""
    return 0 if evse_count <= 4 else 1 if evse_count <= 6 else 2


@dataclass(frozen=True)
class StationInfo:
    """A station as the occupancy model sees it. ``evse_uids`` are sorted: the model's per-EVSE
    records follow that order."""

    id: str
    network: str
    place: Place
    evse_uids: tuple[str, ...]
    time_zone: str = "Asia/Shanghai"
    max_power_kw: float = 0.0
    opening: tuple[RegularHours, ...] = ()  # empty: open 24/7

    @property
    def evse_count(self) -> int:
        return len(self.evse_uids)

    @property
    def group(self) -> tuple[str, Place, int]:
        """The peers a new station borrows its prediction from: same network, place and size."""
        return (self.network, self.place, size_class(self.evse_count))

    def open_at(self, weekday: int, hour: int) -> bool:
        """Whether the station is open during local ``hour`` of ``weekday`` (0 = Monday)."""
        if not self.opening:
            return True
        hhmm = f"{hour:02d}:30"
        return any(r.weekday == weekday + 1 and r.period_begin <= hhmm < r.period_end for r in self.opening)


def station_info(loc: Location) -> StationInfo:
    uids = tuple(sorted(e.uid for e in loc.evses if e.status not in _GONE))
    return StationInfo(
        loc.id, loc.network, place_of(loc), uids, loc.time_zone or "Asia/Shanghai", loc.max_power_kw, loc.regular_hours
    )


def catalog(locations: Iterable[Location]) -> dict[str, StationInfo]:
    """Every station with at least one EVSE, by location id."""
    out = {}
    for loc in locations:
        info = station_info(loc)
        if info.evse_uids:
            out[info.id] = info
    return out
