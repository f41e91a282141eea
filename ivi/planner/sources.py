"""The thin adapter between the charger cache and the pure planner: store rows in, plain
:class:`~ivi.planner.model.Candidate` out. The only planner module that touches ``chargers.store``.

``now`` is passed in (UTC), so status freshness is reproducible in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from chargers.models import Tariff, status_age_min
from chargers.store import ChargerStore, Filters, Station
from geo.geometry import LatLon, clip_polyline, cumulative_km, locate_on_route
from ivi.planner.errors import EmptyCacheError, PlanInputError
from ivi.planner.model import Candidate

DEFAULT_CORRIDOR_KM = 5.0
FLAT_PRICE_CNY_PER_KWH = Candidate._field_defaults["flat_price_cny_per_kwh"]


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


def to_candidate(s: Station, along_km: float, off_route_km: float, tariffs: _Tariffs, now: datetime) -> Candidate:
    return Candidate(
        location_id=s.id,
        network=s.network,
        name=s.name,
        lat=s.lat,
        lon=s.lon,
        along_km=along_km,
        off_route_km=off_route_km,
        power_kw=s.max_power_kw,
        evse_count=s.evse_count,
        available_count=s.available_count,
        status_age_min=status_age_min(s.status_updated, now),
        is_green=s.is_green,
        tariff=tariffs.get(s.tariff_id),
        name_en=s.name_en,
        city=s.city,
    )


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
)


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
    """Stations within ``corridor_km`` of the route, plus any ``include_ids`` (pinned stations
    further off the route), placed on the route by projection.

    ``from_km``/``to_km`` read only that stretch of the route (``along_km`` still counts from the
    route's start): suggestions need only what the car can reach, often a quarter of the route.
    The corridor is read as plain rows of just the columns a candidate needs: at a million
    chargers it holds ~13,000 stations, and full ``Station`` objects cost three times as much."""
    tariffs = _Tariffs(store)
    ages: dict[str, float | None] = {}  # many stations share a status time
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
    for (
        id_,
        network,
        name,
        lat,
        lon,
        kw,
        evses,
        available,
        green,
        updated,
        tariff_id,
        name_en,
        city,
        along,
        off,
    ) in store.along_route_rows(part, corridor_km, filters, CANDIDATE_COLUMNS):
        along += offset
        if clipped and not lo <= along <= hi:
            continue
        age = ages.get(updated, _UNSEEN)
        if age is _UNSEEN:
            age = ages[updated] = status_age_min(updated or "", now)
        out.append(
            Candidate(
                id_,
                network,
                name,
                lat,
                lon,
                along,
                off,
                kw,
                evses,
                available,
                age,
                bool(green),
                tariffs.get(tariff_id),
                FLAT_PRICE_CNY_PER_KWH,
                name_en or "",
                city or "",
            )
        )
    have = {c.location_id for c in out}
    missing = [i for i in include_ids if i not in have]
    if missing:
        found = {s.id: s for s in store.stations(missing)}
        unknown = [i for i in missing if i not in found]
        if unknown:
            raise PlanInputError(f"unknown station id(s): {', '.join(unknown)}")
        cum = cumulative_km(points)
        for i in missing:
            where = locate_on_route(points, cum, found[i].latlon)
            out.append(to_candidate(found[i], where.km, where.off_km, tariffs, now))
    if not out:
        _check_not_empty(store)
    return tuple(out)


def nearby_candidates(
    store: ChargerStore, point: LatLon, now: datetime, *, n: int = 50, filters: Filters = Filters()
) -> tuple[Candidate, ...]:
    """The ``n`` stations nearest the car; ``along_km`` 0 and ``off_route_km`` the distance to each."""
    tariffs = _Tariffs(store)
    hits = store.near(point, n, filters)
    if not hits:
        _check_not_empty(store)
    return tuple(to_candidate(h.station, 0.0, h.distance_km, tariffs, now) for h in hits)


def _check_not_empty(store: ChargerStore) -> None:
    if store.stats()["locations"] == 0:
        raise EmptyCacheError(f"the charger cache {store.path} is empty: import or sync the partner feeds first")
