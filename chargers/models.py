"""Plain data for partner chargers, shaped on OCPI 2.2.1 Locations (Location → EVSE → Connector)
and Tariffs. Frozen dataclasses: the store, the protocol and the planner pass them around
without anyone mutating a shared copy.

Coordinates are floats here (OCPI carries them as strings; ``chargers.ocpi`` converts).
Times are ISO-8601 UTC strings as OCPI writes them (``2026-11-01T08:00:00Z``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

#: Our network codes and the OCPI party ids their feeds use.
NETWORKS: dict[str, str] = {"NIO": "NIO", "XPENG": "XPG", "LI_AUTO": "LIA"}
PARTY_TO_NETWORK: dict[str, str] = {party: net for net, party in NETWORKS.items()}

#: OCPI 2.2.1 Status enum (on the EVSE).
STATUSES = frozenset(
    {
        "AVAILABLE",
        "BLOCKED",
        "CHARGING",
        "INOPERATIVE",
        "OUTOFORDER",
        "PLANNED",
        "REMOVED",
        "RESERVED",
        "UNKNOWN",
    }
)
#: OCPI 2.2.1 ConnectorType, the whole enum (GB/T and ChaoJi at Chinese chargers, the rest abroad).
CONNECTOR_STANDARDS = frozenset(
    {
        "CHADEMO",
        "CHAOJI",
        *(f"DOMESTIC_{c}" for c in "ABCDEFGHIJKL"),
        "GBT_AC",
        "GBT_DC",
        "IEC_60309_2_single_16",
        "IEC_60309_2_three_16",
        "IEC_60309_2_three_32",
        "IEC_60309_2_three_64",
        "IEC_62196_T1",
        "IEC_62196_T1_COMBO",
        "IEC_62196_T2",
        "IEC_62196_T2_COMBO",
        "IEC_62196_T3A",
        "IEC_62196_T3C",
        "NEMA_5_20",
        "NEMA_6_30",
        "NEMA_6_50",
        "NEMA_10_30",
        "NEMA_10_50",
        "NEMA_14_30",
        "NEMA_14_50",
        "PANTOGRAPH_BOTTOM_UP",
        "PANTOGRAPH_TOP_DOWN",
        "TESLA_R",
        "TESLA_S",
    }
)
POWER_TYPES = frozenset({"AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"})
CONNECTOR_FORMATS = frozenset({"SOCKET", "CABLE"})
#: OCPI 2.2.1 Facility.
FACILITIES = frozenset(
    {
        "HOTEL",
        "RESTAURANT",
        "CAFE",
        "MALL",
        "SUPERMARKET",
        "SPORT",
        "RECREATION_AREA",
        "NATURE",
        "MUSEUM",
        "BIKE_SHARING",
        "BUS_STOP",
        "TAXI_STAND",
        "TRAM_STOP",
        "METRO_STATION",
        "TRAIN_STATION",
        "AIRPORT",
        "PARKING_LOT",
        "CARPOOL_PARKING",
        "FUEL_STATION",
        "WIFI",
    }
)
#: OCPI 2.2.1 EnergySourceCategory.
ENERGY_SOURCES = frozenset({"NUCLEAR", "GENERAL_FOSSIL", "COAL", "GAS", "GENERAL_GREEN", "SOLAR", "WIND", "WATER"})
#: OCPI 2.2.1 TariffDimensionType (what a price component charges for).
TARIFF_DIMENSIONS = frozenset({"ENERGY", "FLAT", "PARKING_TIME", "TIME"})
#: The largest record (one location with its EVSEs, or one tariff, as OCPI JSON) the publisher
#: signs: a quarter of the car's 4 MiB message limit (``sync.protocol.messages``), so that any
#: record fits one message even uncompressed, envelope included.
MAX_RECORD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Connector:
    id: str
    standard: str
    format: str
    power_type: str
    max_voltage: int
    max_amperage: int
    max_electric_power_w: int
    tariff_ids: tuple[str, ...] = ()
    last_updated: str = ""

    @property
    def power_kw(self) -> float:
        return self.max_electric_power_w / 1000.0


@dataclass(frozen=True)
class Evse:
    uid: str
    status: str
    connectors: tuple[Connector, ...]
    evse_id: str = ""
    last_updated: str = ""

    @property
    def max_power_kw(self) -> float:
        return max((c.power_kw for c in self.connectors), default=0.0)


@dataclass(frozen=True)
class RegularHours:
    weekday: int  # 1 = Monday … 7 = Sunday (OCPI)
    period_begin: str  # "07:00"
    period_end: str  # "23:00"


@dataclass(frozen=True)
class Location:
    id: str
    party_id: str
    name: str
    address: str
    city: str
    lat: float
    lon: float
    evses: tuple[Evse, ...]
    last_updated: str
    name_en: str = ""
    city_en: str = ""
    postal_code: str = ""
    country_code: str = "CN"
    twentyfourseven: bool = True
    regular_hours: tuple[RegularHours, ...] = ()
    is_green_energy: bool = False
    energy_sources: tuple[tuple[str, float], ...] = ()
    time_zone: str = "Asia/Shanghai"
    facilities: tuple[str, ...] = ()
    #: The compass bearing (degrees, 0 = north, clockwise) of the traffic this station serves: an
    #: expressway service area is reached from one carriageway only. None: from either direction
    #: (a town station, or a service area that serves both carriageways). In OCPI it travels as
    #: ``x_carriageway_bearing_deg`` with ``parking_type: ALONG_MOTORWAY`` (see docs/data.md).
    carriageway_bearing_deg: float | None = None

    @property
    def network(self) -> str:
        return PARTY_TO_NETWORK.get(self.party_id, self.party_id)

    @property
    def max_power_kw(self) -> float:
        return max((e.max_power_kw for e in self.evses), default=0.0)


@dataclass(frozen=True)
class TariffWindow:
    """One time-of-use window: ``start``/``end`` are "HH:MM" local time (the station's time
    zone), end exclusive; a window may wrap midnight (``23:00``–``07:00``). ``days`` are the ISO
    weekdays it applies on (1 = Monday … 7 = Sunday; OCPI ``day_of_week``), empty for every day."""

    start: str
    end: str
    energy_cny_per_kwh: float  # electricity
    service_cny_per_kwh: float  # the operator's service fee (服务费)
    days: tuple[int, ...] = ()

    @property
    def total_cny_per_kwh(self) -> float:
        return round(self.energy_cny_per_kwh + self.service_cny_per_kwh, 4)


@dataclass(frozen=True)
class Tariff:
    id: str
    party_id: str
    currency: str
    windows: tuple[TariffWindow, ...]
    last_updated: str = ""

    def price_at(self, hhmm: str, weekday: int | None = None) -> TariffWindow | None:
        """The window in force at local time ``hhmm`` on ISO ``weekday`` (None: windows restricted
        to some days are skipped, since the day is not known)."""
        for w in self.windows:
            if w.days and weekday not in w.days:
                continue
            if w.start == w.end:  # no time restriction (OCPI: an element without start/end time)
                return w
            if w.start <= w.end:
                if w.start <= hhmm < w.end:
                    return w
            elif hhmm >= w.start or hhmm < w.end:
                return w
        return None


@dataclass(frozen=True)
class Rejection:
    """A feed record that was not imported, and why."""

    reason: str  # a short kind, e.g. "missing id", "outside China", "unknown status"
    record_id: str
    detail: str = ""
    partner: str = ""  # the record's party_id, or the feed file's name when the record has none


@dataclass
class ImportReport:
    """What an import did: counts per network and rejections per reason."""

    locations: int = 0
    evses: int = 0
    tariffs: int = 0
    per_network: dict[str, int] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)

    def rejected_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rejections:
            out[r.reason] = out.get(r.reason, 0) + 1
        return dict(sorted(out.items()))


def rejections_by_partner(rejections: list[Rejection]) -> dict[str, dict[str, int]]:
    """``{partner: {reason: count}}``, sorted: what an operator reads first in a report."""
    out: dict[str, dict[str, int]] = {}
    for r in rejections:
        per = out.setdefault(r.partner or "?", {})
        per[r.reason] = per.get(r.reason, 0) + 1
    return {p: dict(sorted(v.items())) for p, v in sorted(out.items())}


def status_age_min(status_updated: str, now: datetime) -> float | None:
    """Minutes since an EVSE status was reported (its OCPI ``last_updated``), never negative;
    None when unknown or unreadable. ``now`` is timezone-aware."""
    if not status_updated:
        return None
    try:
        t = datetime.fromisoformat(status_updated)  # 3.11+: reads a trailing "Z" too
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return max(0.0, (now - t).total_seconds() / 60.0)
