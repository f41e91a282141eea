"""The thin adapter between the charger cache and the pure planner: store rows in, plain
:class:`~ivi.planner.model.Candidate` out. The only planner module that touches ``chargers.store``.

``now`` is passed in (UTC), so status freshness is reproducible in tests.

The right side of the road: a station that serves one carriageway of an expressway (its
``carriageway_bearing_deg``) is a candidate only when the route passes it in that direction —
within ``SAME_WAY_DEG`` of the route's bearing where the station projects onto it. The opposite
service area is across the central barrier: a planner that sent the driver there would lie.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from chargers.models import Tariff, status_age_min
from chargers.occupancy import LiveStatus
from chargers.store import ChargerStore, Filters
from geo.geometry import LatLon, bearing_deg, clip_polyline, cumulative_km, locate_on_route, point_along
from ivi.planner.errors import EmptyCacheError, PlanInputError
from ivi.planner.model import DEFAULT_TIME_ZONE, Candidate
from ivi.planner.occupancy import Occupancy

DEFAULT_CORRIDOR_KM = 5.0
FLAT_PRICE_CNY_PER_KWH = Candidate._field_defaults["flat_price_cny_per_kwh"]
#: A one-way station is on the route's side when its bearing is within this of the route's.
SAME_WAY_DEG = 90.0
#: Below this a charger is an AC destination charger (the networks' DC chargers start at 120 kW).
DC_MIN_KW = 50.0
#: A station with no EVSE free whose status is at most this old has its EVSE statuses read, so
#: that the plan tells a full station from one that is out of order (older ones have faded).
LIVE_DETAIL_MIN = 60.0


class _Tariffs:
    """Tariffs are shared by many stations (93 at scale 1): read each once per request."""

    def __init__(self, store: ChargerStore) -> None:
        self.store = store
        self.cache: dict[str, Tariff | None] = {}

    def get(self, tariff_id: str | None) -> Tariff | None:
        if not tariff_id:
            return None
        if tariff_id not in self.cache:
            self.cache[tariff_id] = self.store.tariff(tariff_id)
        return self.cache[tariff_id]


_UNSEEN = -1.0  # not an age: ages are ≥ 0 or None

#: The columns of a station a candidate is made of (see :func:`route_candidates`).
CANDIDATE_COLUMNS = (
    "id",
    "network",
    "name",
    "lat",
    "lon",
    "max_power_kw",
    "evse_count",
    "available_count",
    "is_green",
    "status_updated",
    "tariff_id",
    "name_en",
    "city",
    "time_zone",
    "carriageway_bearing_deg",
)


class _Rows:
    """Candidates from plain rows of CANDIDATE_COLUMNS (status ages parsed once per timestamp)."""

    def __init__(self, store: ChargerStore, now: datetime) -> None:
        self.tariffs = _Tariffs(store)
        self.ages: dict[str, float | None] = {}
        self.now = now

    def candidate(self, row: Sequence[Any], along_km: float, off_km: float) -> Candidate:
        id_, network, name, lat, lon, kw, evses, available, green, updated, tariff_id, name_en, city, tz, _ = row
        age = self.ages.get(updated, _UNSEEN)
        if age is _UNSEEN:
            age = self.ages[updated] = status_age_min(updated or "", self.now)
        return Candidate(
            id_,
            network,
            name,
            lat,
            lon,
            along_km,
            off_km,
            kw,
            evses,
            available,
            age,
            bool(green),
            self.tariffs.get(tariff_id),
            FLAT_PRICE_CNY_PER_KWH,
            name_en or "",
            city or "",
            tz or DEFAULT_TIME_ZONE,
            kw >= DC_MIN_KW,
        )


def serves_the_route(points: Sequence[LatLon], cum: Sequence[float], along_km: float, bearing: float | None) -> bool:
    """A station serving the carriageway of ``bearing`` (None: both) is on the route's side at
    ``along_km``: the route heads the same way there (compared over ±1 km of the route)."""
    if bearing is None:
        return True
    route_way = bearing_deg(point_along(points, cum, along_km - 1.0), point_along(points, cum, along_km + 1.0))
    diff = abs((bearing - route_way + 180.0) % 360.0 - 180.0)
    return diff <= SAME_WAY_DEG


def route_candidates(
    store: ChargerStore,
    points: Sequence[LatLon],
    now: datetime,
    *,
    corridor_km: float = DEFAULT_CORRIDOR_KM,
    filters: Filters = Filters(),
    include_ids: Iterable[str] = (),
    from_km: float = 0.0,
    to_km: float | None = None,
) -> tuple[Candidate, ...]:
    """Stations within ``corridor_km`` of the route that serve its direction of travel, plus any
    ``include_ids`` (pinned stations further off the route), placed on the route by projection.

    ``from_km``/``to_km`` read only that stretch of the route (``along_km`` still counts from the
    route's start): suggestions need only what the car can reach, often a quarter of the route.
    The corridor is read as plain rows of just the columns a candidate needs: at a million
    chargers it holds ~13,000 stations, and full ``Station`` objects cost three times as much.
    A pinned station on the other carriageway is refused with a reason."""
    rows = _Rows(store, now)
    out: list[Candidate] = []
    part, offset = points, 0.0
    clipped = from_km > 0.0 or to_km is not None
    if clipped:
        # Stations near the stretch's ends are placed on the route beyond them: read a corridor's
        # width more on each side, and keep only what lies on the stretch.
        part, offset = clip_polyline(
            points, from_km - corridor_km, float("inf") if to_km is None else to_km + corridor_km
        )
    lo, hi = from_km, float("inf") if to_km is None else to_km
    cum = cumulative_km(points)
    for *row, along, off in store.along_route_rows(part, corridor_km, filters, CANDIDATE_COLUMNS):
        along += offset
        if clipped and not lo <= along <= hi:
            continue
        if not serves_the_route(points, cum, along, row[-1]):
            continue  # the service area across the barrier
        out.append(rows.candidate(row, along, off))
    have = {c.location_id for c in out}
    missing = [i for i in dict.fromkeys(include_ids) if i not in have]
    if missing:
        found = {r[0]: r for r in store.station_rows(missing, CANDIDATE_COLUMNS)}
        unknown = [i for i in missing if i not in found]
        if unknown:
            raise PlanInputError(f"unknown station id(s): {', '.join(unknown)}")
        for i in missing:
            hit = found[i]
            where = locate_on_route(points, cum, (hit[3], hit[4]))
            if not serves_the_route(points, cum, where.km, hit[-1]):
                raise PlanInputError(
                    f"station {i} ({hit[2]}) serves the other carriageway: it cannot be reached in this direction"
                )
            out.append(rows.candidate(hit, where.km, where.off_km))
    if not out:
        _check_not_empty(store)
    return tuple(out)


def nearby_candidates(
    store: ChargerStore, point: LatLon, now: datetime, *, n: int = 50, filters: Filters = Filters()
) -> tuple[Candidate, ...]:
    """The ``n`` stations nearest the car; ``along_km`` 0 and ``off_route_km`` the distance to each."""
    hits = store.near(point, n, filters)
    if not hits:
        _check_not_empty(store)
    rows = {r[0]: r for r in store.station_rows([h.station.id for h in hits], CANDIDATE_COLUMNS)}
    make = _Rows(store, now)
    return tuple(make.candidate(rows[h.station.id], 0.0, h.distance_km) for h in hits if h.station.id in rows)


def occupancy_for(store: ChargerStore, candidates: Sequence[Candidate], now: datetime) -> Occupancy | None:
    """The occupancy model the sync delivered (None: none yet, plans use the flat busy wait),
    with the EVSE-level status of the candidates that have no EVSE free and a recent status."""
    model = store.occupancy_model()
    if model is None:
        return None
    wanted = [
        c.location_id
        for c in candidates
        if c.available_count <= 0 and c.status_age_min is not None and c.status_age_min <= LIVE_DETAIL_MIN
    ]
    live = {}
    for sid, evses in (store.evse_statuses(wanted) if wanted else {}).items():
        status = LiveStatus.from_evses(((st, updated) for _, st, updated in evses), now)
        if status is not None:
            live[sid] = status
    return Occupancy(model, now, live)


def unknown_ids(store: ChargerStore, ids: Iterable[str]) -> list[str]:
    """Of ``ids``, those the cache does not hold (a driver's typo is an error, not ignored)."""
    wanted = list(dict.fromkeys(ids))
    found = {r[0] for r in store.station_rows(wanted, ("id",))} if wanted else set()
    return [i for i in wanted if i not in found]


def _check_not_empty(store: ChargerStore) -> None:
    if store.stats()["locations"] == 0:
        raise EmptyCacheError(f"the charger cache {store.path} is empty: import or sync the partner feeds first")
