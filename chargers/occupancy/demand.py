"""The assumptions of the status simulator: when drivers arrive, how long they charge, how often
chargers break and how long repairs take. Every number is explained, with its source or marked
as an assumption, in docs/data.md ("Charger activity"); the simulator only reads them from here.

Arrivals are a Poisson process whose rate changes by the hour:

    rate(h) = evses × utilisation × intensity / mean_session_h × shape(h) / mean regular-week shape

``shape`` is a 24-hour profile per kind of day that differs by place (expressway service areas
follow traffic and surge on weekends and holidays; city stations mix commuting, midday errands
and night-time ride-hailing; destination chargers follow shop hours), and by station: each city
station has its own mix of those three patterns, each service area a direction (the side that
carries outbound traffic fills on Friday evenings and first holiday days, the other side on
Sunday afternoons and last holiday days).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from chargers.occupancy.calendar import Day, HolidayKind
from chargers.occupancy.places import Place

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "Assumptions",
    "NetworkReliability",
    "PlaceDemand",
    "StationCharacter",
    "character_of",
    "day_shape",
]

H24 = tuple[float, ...]


def _hours(spans: dict[tuple[int, int], float]) -> H24:
    """A 24-hour profile that is 0 except on [first, last] hour spans."""
    out = [0.0] * 24
    for (first, last), v in spans.items():
        for h in range(first, last + 1):
            out[h] = v
    return tuple(out)


# --- city: three patterns a station mixes (the "three-segment" day of Chinese public charging:
# morning, a midday peak, an evening peak; ride-hailing drivers at the night valley tariff).
CITY_COMMUTE: H24 = (0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.4, 0.8, 1.0, 0.9, 0.8, 0.9,
                     1.0, 0.9, 0.8, 0.9, 1.2, 1.7, 2.1, 2.0, 1.6, 1.1, 0.8, 0.5)  # fmt: skip
CITY_MIDDAY: H24 = (0.2, 0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 0.9, 1.2, 1.5, 1.9,
                    2.0, 1.8, 1.5, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.6, 0.4, 0.3)  # fmt: skip
CITY_NIGHT: H24 = (1.6, 1.5, 1.2, 0.9, 0.7, 0.6, 0.6, 0.7, 0.8, 0.8, 0.8, 0.9,
                   1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.7)  # fmt: skip
CITY_LEISURE: H24 = (0.4, 0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.4, 0.7, 1.0, 1.4, 1.6,
                     1.7, 1.7, 1.7, 1.7, 1.6, 1.5, 1.4, 1.3, 1.1, 0.9, 0.7, 0.5)  # fmt: skip
# --- expressway traffic: quiet before 06:00 and after 21:00, broad midday peak.
HIGHWAY_BASE: H24 = (0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.1, 1.35, 1.5, 1.6,
                     1.6, 1.5, 1.5, 1.5, 1.45, 1.3, 1.1, 0.9, 0.7, 0.5, 0.35, 0.25)  # fmt: skip
# --- destination (AC at malls and hotels): shop hours.
MALL: H24 = (0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.4, 0.8, 1.4, 1.6,
             1.6, 1.7, 1.8, 1.8, 1.8, 1.9, 2.0, 1.9, 1.4, 0.8, 0.3, 0.1)  # fmt: skip

# Expressway bumps (added share of traffic) for a station fully on the outbound / inbound side.
OUT_FRIDAY = _hours({(16, 22): 1.0})
OUT_SATURDAY = _hours({(8, 13): 0.8})
IN_SUNDAY = _hours({(13, 21): 1.0})
OUT_EVE = _hours({(12, 23): 1.5})
OUT_FIRST = _hours({(0, 3): 1.2, (7, 21): 1.3})
BOTH_MIDDLE = _hours({(8, 20): 0.3})
IN_LAST = _hours({(9, 23): 1.5})
ZERO: H24 = (0.0,) * 24


@dataclass(frozen=True)
class PlaceDemand:
    utilisation: float  # mean share of an EVSE's time in use over a regular week, average station
    session_median_min: float  # plugged-in time, lognormal
    session_sigma: float
    patience_min: float  # mean wait a driver accepts before driving on (exponential)
    holiday_patience_min: float
    holiday_session_factor: float = 1.0  # staff cap sessions at ~80 % when queues form


@dataclass(frozen=True)
class NetworkReliability:
    faults_per_1000h: float  # per EVSE, while installed
    repair_median_h: float  # lognormal
    repair_sigma: float = 0.9


@dataclass(frozen=True)
class Assumptions:
    places: dict[Place, PlaceDemand] = field(
        default_factory=lambda: {
            Place.HIGHWAY: PlaceDemand(0.14, 38.0, 0.4, 40.0, 120.0, 0.85),
            Place.CITY: PlaceDemand(0.12, 28.0, 0.5, 12.0, 15.0),
            Place.DESTINATION: PlaceDemand(0.20, 150.0, 0.5, 20.0, 20.0),
        }
    )
    networks: dict[str, NetworkReliability] = field(
        default_factory=lambda: {
            "NIO": NetworkReliability(0.8, 8.0),
            "XPENG": NetworkReliability(1.2, 12.0),
            "LI_AUTO": NetworkReliability(1.0, 16.0),
        }
    )
    default_network: NetworkReliability = NetworkReliability(1.2, 12.0)
    intensity_sigma: float = 0.75  # spread of demand between stations (lognormal, mean 1)
    unreliable_share: float = 0.05  # chronically unreliable stations
    unreliable_fault_factor: float = 6.0
    unreliable_repair_factor: float = 3.0
    site_outages_per_1000h: float = 0.04  # the whole station (power, network)
    site_outage_median_h: float = 3.0
    dropouts_per_1000h: float = 0.5  # an EVSE stops reporting (status UNKNOWN), still works
    dropout_median_min: float = 15.0
    overstay_share: float = 0.04  # a car left plugged in after charging (status BLOCKED)
    overstay_min: tuple[float, float] = (5.0, 20.0)
    plug_delay_s: tuple[float, float] = (60.0, 180.0)  # a queued car pulls in after the EVSE frees
    max_patience_min: float = 240.0  # nobody waits longer than reported holiday queues (1–4 h)
    power_session_factor: tuple[tuple[float, float], ...] = ((400.0, 0.85), (200.0, 1.0), (0.0, 1.15))
    short_holiday_surge: float = 0.6  # a 3-day holiday surges this much of a golden week
    surge_sigma: float = 0.9  # spread of the holiday surge between service areas (lognormal, mean 1)


DEFAULT_ASSUMPTIONS = Assumptions()


@dataclass(frozen=True)
class StationCharacter:
    """What makes one station unlike its peers (drawn once per station, deterministically)."""

    intensity: float  # demand relative to the average station of its place
    mix: tuple[float, float, float]  # city: commute, midday, night weights
    outbound: float  # expressway: share of the station's traffic on the outbound side (0–1)
    unreliable: bool
    surge: float = 1.0  # expressway: how much of the national holiday surge reaches this station


def character_of(place: Place, rng: random.Random, a: Assumptions) -> StationCharacter:
    sigma = a.intensity_sigma
    intensity = rng.lognormvariate(-sigma * sigma / 2, sigma)
    weights = [rng.gammavariate(k, 1.0) for k in (2.0, 2.0, 1.0)]
    total = sum(weights)
    mix = (weights[0] / total, weights[1] / total, weights[2] / total)
    outbound, unreliable = rng.betavariate(2.0, 2.0), rng.random() < a.unreliable_share
    spread = a.surge_sigma
    return StationCharacter(intensity, mix, outbound, unreliable, rng.lognormvariate(-spread * spread / 2, spread))


def _surge(day: Day, a: Assumptions) -> float:
    return 1.0 if day.golden_week else a.short_holiday_surge


def day_shape(place: Place, ch: StationCharacter, day: Day, a: Assumptions) -> H24:
    """The station's arrival profile over the 24 local hours of ``day`` (not normalised)."""
    if place is Place.HIGHWAY:
        return _highway(ch, day, a)
    if place is Place.CITY:
        return _city(ch, day, a)
    return _mall(day)


def _highway(ch: StationCharacter, day: Day, a: Assumptions) -> H24:
    o = ch.outbound
    level, out, inn = 1.0, ZERO, ZERO
    if day.holiday is None:
        if day.weekday == 4:
            out = OUT_FRIDAY
        elif day.weekday == 5:
            level, out = 1.15, OUT_SATURDAY
        elif day.weekday == 6:
            level, inn = 1.2, IN_SUNDAY
    else:
        s = _surge(day, a) * ch.surge
        if day.holiday is HolidayKind.EVE:
            out = tuple(v * s for v in OUT_EVE)
        elif day.holiday is HolidayKind.FIRST:
            level, out = 1 + 0.4 * s, tuple(v * s for v in OUT_FIRST)
        elif day.holiday is HolidayKind.MIDDLE:
            level, out, inn = 1 + 0.3 * s, BOTH_MIDDLE, BOTH_MIDDLE
        else:
            level, inn = 1 + 0.3 * s, tuple(v * s for v in IN_LAST)
    return tuple(HIGHWAY_BASE[h] * level * (1 + o * out[h] + (1 - o) * inn[h]) for h in range(24))


def _city(ch: StationCharacter, day: Day, a: Assumptions) -> H24:
    wc, wm, wn = ch.mix
    kind = day.holiday
    leisure = (kind is not None and kind is not HolidayKind.EVE) or (kind is None and not day.working)
    first = CITY_LEISURE if leisure else CITY_COMMUTE
    shape = [wc * first[h] + wm * CITY_MIDDAY[h] + wn * CITY_NIGHT[h] for h in range(24)]
    if kind is None and day.weekday == 4:  # Friday evening
        shape[17:22] = [v * 1.15 for v in shape[17:22]]
    elif kind is None and day.weekday == 6:  # Sunday evening at home
        shape[19:24] = [v * 0.85 for v in shape[19:24]]
    elif kind is HolidayKind.EVE:
        shape[17:23] = [v * 1.1 for v in shape[17:23]]
    elif kind is HolidayKind.FIRST:  # many drivers have left town
        shape = [v * 0.85 for v in shape]
    elif kind is HolidayKind.LAST:  # back in town, topping up for the week
        shape[18:23] = [v * 1.2 for v in shape[18:23]]
    return tuple(shape)


def _mall(day: Day) -> H24:
    if day.holiday is None:
        level = 1.0 if day.working else 1.3
    else:
        level = {HolidayKind.EVE: 1.0, HolidayKind.FIRST: 1.1, HolidayKind.MIDDLE: 1.4, HolidayKind.LAST: 1.2}[
            day.holiday
        ]
    return tuple(v * level for v in MALL)
