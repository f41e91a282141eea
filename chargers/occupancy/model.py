"""The learned occupancy model: plain frozen data the operator publishes and the car reads.

Per station: the probability that it is full in each hour of a regular week (168 values), how
its holidays differ from its peers', how long a wait runs when it is full, how often it is down,
and each EVSE's reliability. Per group of peers (same network, kind of place and size): the same
profiles, for stations with little or no history of their own. Everything the predictor needs is
here; nothing here knows how it was learned or how it travels (see :mod:`.encoding`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntFlag

from chargers.occupancy.calendar import REGULAR_BINS
from chargers.occupancy.places import Place

__all__ = [
    "WAIT_CLASS_EDGES",
    "EvseReliability",
    "GroupModel",
    "OccupancyModel",
    "StationFlags",
    "StationModel",
    "logit",
    "p_full_in",
    "sigmoid",
    "wait_class",
]

#: Expected waits are kept per congestion class: the P(full) of the hour, cut at these edges.
WAIT_CLASS_EDGES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7)
_EPS = 1e-4


def logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, p))
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def wait_class(p_full: float) -> int:
    return sum(p_full >= edge for edge in WAIT_CLASS_EDGES)


class StationFlags(IntFlag):
    NONE = 0
    NO_HISTORY = 1  # never observed: every number is its peers'
    SPARSE = 2  # less than two weeks observed: its own numbers lean on its peers'
    UNRELIABLE = 4  # down, or with EVSEs out of order, far more than its peers


@dataclass(frozen=True)
class EvseReliability:
    down_share: float  # share of observed time out of order
    faults_per_1000h: float  # recent fault rate (the last four weeks), per 1,000 observed hours
    mttr_h: float | None  # mean time to repair; None when no outage was seen to end


@dataclass(frozen=True)
class GroupModel:
    """The peers of a station: every station of one network, kind of place and size class."""

    network: str
    place: Place
    size: int  # chargers.occupancy.places.size_class
    profile: tuple[float, ...]  # P(full) per regular-week bin (168)
    holiday: tuple[float, ...]  # P(full) per holiday bin (4 kinds × 24 hours)
    wait_min: tuple[float, ...]  # mean wait of a car arriving while full, per congestion class
    down_share: float  # share of time a station is entirely down
    holiday_learned: bool  # False: no holiday in the history, holidays use weekend hours
    stations: int
    holiday_wait_min: tuple[float, ...] = ()  # the same on holidays (empty: as on ordinary days)

    def wait_curve(self, b: int) -> tuple[float, ...]:
        return self.holiday_wait_min if b >= REGULAR_BINS and self.holiday_wait_min else self.wait_min

    @property
    def key(self) -> tuple[str, Place, int]:
        return (self.network, self.place, self.size)


@dataclass(frozen=True)
class StationModel:
    id: str
    group: int  # index into OccupancyModel.groups
    time_zone: str
    profile: tuple[float, ...]  # P(full) per regular-week bin (168); the group's when NO_HISTORY
    offset: float  # logit of its mean P(full) minus its group's: how much busier than its peers
    holiday_offset: float  # how much busier than that again on holidays
    wait_factor: float  # its waits relative to its group's at the same congestion
    down_share: float  # share of time entirely down
    observed_h: int  # hours of history behind it
    flags: StationFlags
    evses: tuple[EvseReliability, ...]  # in sorted-uid order


def p_full_in(group: GroupModel, station: StationModel, b: int) -> float:
    """P(full) of ``station`` (whose peers are ``group``) in bin ``b``."""
    if b < REGULAR_BINS:
        return station.profile[b]
    return sigmoid(logit(group.holiday[b - REGULAR_BINS]) + station.offset + station.holiday_offset)


@dataclass(frozen=True)
class OccupancyModel:
    created_s: int  # the end of the history it was learned from (UTC epoch s; the learner has no clock)
    history_start_s: int  # the training history it was learned from
    history_end_s: int
    half_life_min: tuple[float, ...]  # per Place: how fast a live status fades into the prediction
    groups: tuple[GroupModel, ...]
    stations: dict[str, StationModel]

    def group_of(self, station: StationModel) -> GroupModel:
        return self.groups[station.group]

    def find_group(self, network: str, place: Place, size: int) -> GroupModel | None:
        """The closest peers: same network, place and size; else same place and size; else same place."""
        for match in (
            lambda g: g.key == (network, place, size),
            lambda g: g.place is place and g.size == size,
            lambda g: g.place is place,
        ):
            found = [g for g in self.groups if match(g)]
            if found:
                return max(found, key=lambda g: g.stations)
        return None

    def p_full(self, station: StationModel, b: int) -> float:
        """P(full) in bin ``b`` (see :mod:`chargers.occupancy.calendar`)."""
        return p_full_in(self.groups[station.group], station, b)

    def wait_if_full_min(self, station: StationModel, b: int) -> float:
        """Mean wait of a car that finds the station full in bin ``b``."""
        g = self.groups[station.group]
        return g.wait_curve(b)[wait_class(p_full_in(g, station, b))] * station.wait_factor
