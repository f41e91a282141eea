"""Reading the cache: nearest stations, stations along a route corridor, text search, stats.

All spatial work happens in the R*Tree (integer coordinates, 1e-7 degree: within a centimetre)
and in Python over the few candidates it returns; only the stations that are the answer are read
from ``locations``. So queries cost milliseconds at a million chargers.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from chargers.store.schema import RTREE_UNITS_PER_DEG
from chargers.store.text import fts_phrase, is_cjk, is_latin, query_terms
from geo.geometry import KM_PER_DEG_LAT, LatLon, cumulative_km, densify, haversine_km, km_per_deg_lon


@dataclass(frozen=True)
class Filters:
    """What the driver asked to see. ``None``/``0``/``False`` means no restriction."""

    networks: frozenset[str] | None = None
    min_power_kw: float = 0.0
    standard: str | None = None
    available_only: bool = False
    green_only: bool = False

    def sql(self, alias: str = "l") -> tuple[str, list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if self.networks:
            where.append(f"{alias}.network IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(self.networks)))
        if self.min_power_kw:
            where.append(f"{alias}.max_power_kw >= ?")
            args.append(self.min_power_kw)
        if self.standard:
            where.append(f"instr({alias}.standards, ?) > 0")
            args.append(f",{self.standard},")
        if self.available_only:
            where.append(f"{alias}.available_count > 0")
        if self.green_only:
            where.append(f"{alias}.is_green = 1")
        return (" AND ".join(where) or "1"), args


class Station(NamedTuple):
    """A location as the planner and the screen need it (no EVSE detail).

    A NamedTuple rather than a frozen dataclass: corridor queries at a million chargers build
    thousands of these, and a frozen dataclass's ``__init__`` costs seven times as much."""

    pk: int
    id: str
    network: str
    name: str
    name_en: str
    address: str
    city: str
    city_en: str
    lat: float
    lon: float
    evse_count: int
    available_count: int
    max_power_kw: float
    standards: tuple[str, ...]
    is_green: bool
    status_updated: str
    tariff_id: str | None
    twentyfourseven: bool

    @property
    def latlon(self) -> LatLon:
        return (self.lat, self.lon)


STATION_COLUMNS = (
    "pk",
    "id",
    "network",
    "name",
    "name_en",
    "address",
    "city",
    "city_en",
    "lat",
    "lon",
    "evse_count",
    "available_count",
    "max_power_kw",
    "standards",
    "is_green",
    "status_updated",
    "tariff_id",
    "twentyfourseven",
)
_SELECT = ", ".join(f"l.{c}" for c in STATION_COLUMNS)
#: What plain rows may hold besides a Station's columns: the station's clock (its tariff's time
#: zone) and the carriageway an expressway service area serves (the planner reads both).
ROW_COLUMNS = (*STATION_COLUMNS, "time_zone", "carriageway_bearing_deg")


def _station(row: Sequence[Any]) -> Station:
    (
        pk,
        id_,
        network,
        name,
        name_en,
        address,
        city,
        city_en,
        lat,
        lon,
        evse_count,
        available_count,
        max_power_kw,
        standards,
        is_green,
        status_updated,
        tariff_id,
        twentyfourseven,
    ) = row
    std = _STANDARDS.get(standards)
    if std is None:  # a handful of distinct lists: split each once per process
        std = tuple(standards.strip(",").split(",")) if standards else ()
        if len(_STANDARDS) < 256:
            _STANDARDS[standards] = std
    return Station(
        pk,
        id_,
        network,
        name,
        name_en,
        address,
        city,
        city_en,
        lat,
        lon,
        evse_count,
        available_count,
        max_power_kw,
        std,
        bool(is_green),
        status_updated or "",
        tariff_id,
        bool(twentyfourseven),
    )


_STANDARDS: dict[str | None, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Nearby:
    station: Station
    distance_km: float


class AlongRoute(NamedTuple):
    """A station in a route's corridor. A NamedTuple like :class:`Station`: a corridor at a
    million chargers holds ~13,000 of these."""

    station: Station
    along_km: float  # distance from the route's start to the point nearest the station
    off_route_km: float  # straight-line distance from the route to the station


#: Degrees per R*Tree unit, and how far (km) a station's R*Tree point can be from its coordinates.
DEG_PER_UNIT = 1 / RTREE_UNITS_PER_DEG
RTREE_ROUNDING_KM = 0.00001


def _rtree_box(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> tuple[int, int, int, int]:
    """A box in degrees as R*Tree units, rounded outwards."""
    u = RTREE_UNITS_PER_DEG
    return math.floor(min_lat * u), math.ceil(max_lat * u), math.floor(min_lon * u), math.ceil(max_lon * u)


def near(
    conn: sqlite3.Connection, point: LatLon, n: int = 10, filters: Filters = Filters(), max_km: float = 3000.0
) -> list[Nearby]:
    """The ``n`` stations nearest ``point`` that pass ``filters``, nearest first (ties by id).

    Searches a box that doubles until it holds ``n`` matches inside the inscribed circle. Without
    filters the box is probed in the R*Tree alone, and only the winners are read; filters need
    the table, so they join it. Ranked on the table's coordinates."""
    where, fargs = filters.sql()
    if where == "1":
        sql = (
            f"SELECT pk, min_lat * {DEG_PER_UNIT}, min_lon * {DEG_PER_UNIT} FROM locations_rtree"
            " WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?"
        )
    else:
        sql = (
            "SELECT r.pk, l.lat, l.lon FROM locations_rtree r JOIN locations l ON l.pk = r.pk"
            f" WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ? AND {where}"
        )
    radius = 5.0
    while True:
        dlat = radius / KM_PER_DEG_LAT
        dlon = radius / max(km_per_deg_lon(point[0]), 1e-6)
        box = _rtree_box(point[0] - dlat, point[0] + dlat, point[1] - dlon, point[1] + dlon)
        rows = conn.execute(sql, [*box, *fargs]).fetchall()
        inside = sorted((d, pk) for pk, lat, lon in rows if (d := haversine_km(point, (lat, lon))) <= radius)
        if len(inside) >= n or radius >= max_km:
            break
        radius *= 2
    if len(inside) > n:  # the first n, and any that the last centimetre of rounding could swap in
        cut = inside[n - 1][0] + 2 * RTREE_ROUNDING_KM
        inside = [x for x in inside if x[0] <= cut]
    stations = _stations_by_pk(conn, sorted(pk for _, pk in inside))
    ranked = sorted((haversine_km(point, s.latlon), s.id, s) for s in stations)
    return [Nearby(s, d) for d, _, s in ranked if d <= radius][:n]


def _stations_by_pk(conn: sqlite3.Connection, pks: list[int]) -> list[Station]:
    rows = conn.execute(
        f"SELECT {_SELECT} FROM locations l WHERE l.pk IN (SELECT value FROM json_each(?))",
        (json.dumps(pks),),
    ).fetchall()
    return [_station(r) for r in rows]


def along_route(
    conn: sqlite3.Connection, points: Sequence[LatLon], corridor_km: float = 5.0, filters: Filters = Filters()
) -> list[AlongRoute]:
    """Every station within ``corridor_km`` of the polyline, ordered by distance along it
    (ties by id). See :func:`along_route_rows` for how, and for a leaner answer."""
    return [
        AlongRoute(_station(row), along, off2**0.5)
        for along, _, off2, row in _corridor(conn, points, corridor_km, filters, STATION_COLUMNS, 25.0)
    ]


def along_route_rows(
    conn: sqlite3.Connection,
    points: Sequence[LatLon],
    corridor_km: float = 5.0,
    filters: Filters = Filters(),
    columns: Sequence[str] = ("id",),
    step_km: float = 25.0,
) -> list[tuple[Any, ...]]:
    """The stations of :func:`along_route` as plain rows ``(*columns, along_km, off_route_km)``
    of the ``locations`` table's ``columns``, in the same order.

    The planner reads a whole corridor (~13,000 stations at a million chargers) and needs only a
    few numbers of each; rows of just those columns cost a fraction of full stations.

    How: the polyline is cut into pieces of about ``step_km``; each piece's box (grown by the
    corridor) is one probe of the R*Tree alone, whose points are within a centimetre, and each station it
    returns is projected onto the piece in a local flat frame. Only the stations in the corridor
    are read from the table (rows are stored in Hilbert order, so a corridor's rows sit together)."""
    _check_columns(columns)
    n = len(columns)
    hits = _corridor(conn, points, corridor_km, filters, columns, step_km)
    if hits and len(hits[0][3]) == n:
        return [(*row, along, off2**0.5) for along, _, off2, row in hits]
    return [(*row[:n], along, off2**0.5) for along, _, off2, row in hits]


def _corridor(
    conn: sqlite3.Connection,
    points: Sequence[LatLon],
    corridor_km: float,
    filters: Filters,
    columns: Sequence[str],
    step_km: float,
) -> list[tuple[float, str, float, tuple[Any, ...]]]:
    """(along_km, id, off_route_km², row) of every station in the corridor, in order; the row holds
    ``columns`` and then ``pk`` and ``id`` where ``columns`` lacks them."""
    if len(points) < 2:
        return []
    inside = _in_corridor(conn, points, corridor_km, step_km)
    if not inside:
        return []
    where, fargs = filters.sql()
    cols = (*columns, *(c for c in ("pk", "id") if c not in columns))
    i_pk, i_id = cols.index("pk"), cols.index("id")
    rows = conn.execute(
        f"SELECT {', '.join(f'l.{c}' for c in cols)} FROM locations l"
        f" WHERE l.pk IN (SELECT value FROM json_each(?)) AND {where}",
        [json.dumps(sorted(inside)), *fargs],
    ).fetchall()
    hits = []
    for row in rows:
        off2, along = inside[row[i_pk]]
        hits.append((along, row[i_id], off2, row))
    hits.sort()  # plain tuples: (along, id) decides, as ids are unique; no key function per item
    return hits


def _in_corridor(
    conn: sqlite3.Connection, points: Sequence[LatLon], corridor_km: float, step_km: float
) -> dict[int, tuple[float, float]]:
    """pk → (off_route_km², along_km) of every station within ``corridor_km`` of the polyline,
    measured to the nearest piece of it (a station near a bend is in several pieces' boxes)."""
    pts = densify(points, step_km)
    cum = cumulative_km(pts)
    inside: dict[int, tuple[float, float]] = {}
    probe = (
        "SELECT pk, min_lat, min_lon FROM locations_rtree"
        " WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?"
    )
    dlat = corridor_km / KM_PER_DEG_LAT
    limit2 = corridor_km * corridor_km
    ky = KM_PER_DEG_LAT * DEG_PER_UNIT  # km per R*Tree unit of latitude
    for i in range(len(pts) - 1):
        (alat, alon), (blat, blon) = pts[i], pts[i + 1]
        start_km, seg_km = cum[i], cum[i + 1] - cum[i]
        kx = km_per_deg_lon((alat + blat) / 2)
        # The piece a→b in km with a at the origin; t along it, clamped. (Inline: the hot loop.)
        dx, dy = (blon - alon) * kx, (blat - alat) * KM_PER_DEG_LAT
        seg2 = dx * dx + dy * dy or 1e-12
        dlon = corridor_km / km_per_deg_lon(max(abs(alat), abs(blat)))
        box = _rtree_box(min(alat, blat) - dlat, max(alat, blat) + dlat, min(alon, blon) - dlon, max(alon, blon) + dlon)
        kxu, alat_u, alon_u = kx * DEG_PER_UNIT, alat * RTREE_UNITS_PER_DEG, alon * RTREE_UNITS_PER_DEG
        for pk, lat_u, lon_u in conn.execute(probe, box):
            px, py = (lon_u - alon_u) * kxu, (lat_u - alat_u) * ky
            t = (px * dx + py * dy) / seg2
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            ex, ey = px - t * dx, py - t * dy
            off2 = ex * ex + ey * ey
            if off2 <= limit2:
                old = inside.get(pk)
                if old is None or off2 < old[0]:
                    inside[pk] = (off2, start_km + t * seg_km)
    return inside


def search(conn: sqlite3.Connection, text: str, limit: int = 20, filters: Filters = Filters()) -> list[Station]:
    """Stations whose name, address or city (Chinese) or English/pinyin name contain every word
    of ``text``.

    Chinese words of three characters or more go to the trigram index, two-character ones to the
    bigram index; English and pinyin words match word prefixes; anything else (one character,
    mixed scripts) falls back to a scan (LIKE), which is rare and bounded by ``limit``."""
    terms = query_terms(text)
    if not terms:
        return []
    where, args = filters.sql()
    clauses, cargs = [where], list(args)
    tri = [t for t in terms if len(t) >= 3 and is_cjk(t)]
    words = [fts_phrase(t) for t in terms if len(t) == 2 and is_cjk(t)]
    words += [fts_phrase(t) + "*" for t in terms if is_latin(t)]
    short = [t for t in terms if t not in tri and not (len(t) == 2 and is_cjk(t)) and not is_latin(t)]
    if tri:
        clauses.append("l.pk IN (SELECT rowid FROM locations_fts WHERE locations_fts MATCH ?)")
        cargs.append(" AND ".join(fts_phrase(t) for t in tri))
    if words:
        clauses.append("l.pk IN (SELECT rowid FROM locations_words WHERE locations_words MATCH ?)")
        cargs.append(" AND ".join(words))
    for t in short:
        clauses.append(
            "(l.name || ' ' || l.name_en || ' ' || l.address || ' ' || l.city || ' ' || l.city_en) LIKE ? ESCAPE '\\'"
        )
        cargs.append("%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    rows = conn.execute(
        f"SELECT {_SELECT} FROM locations l WHERE {' AND '.join(clauses)} ORDER BY l.max_power_kw DESC, l.id LIMIT ?",
        [*cargs, limit],
    ).fetchall()
    return [_station(r) for r in rows]


def _check_columns(columns: Sequence[str]) -> None:
    unknown = set(columns) - set(ROW_COLUMNS)
    if unknown:
        raise ValueError(f"not a station column: {', '.join(sorted(unknown))}")


def station_rows(conn: sqlite3.Connection, ids: Sequence[str], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Plain rows of ``columns`` for the stations ``ids`` (those the cache holds), in id order."""
    _check_columns(columns)
    return conn.execute(
        f"SELECT {', '.join(f'l.{c}' for c in columns)} FROM locations l"
        " WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id",
        (json.dumps(list(ids)),),
    ).fetchall()


def get_stations(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Station]:
    rows = conn.execute(
        f"SELECT {_SELECT} FROM locations l WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id",
        (json.dumps(list(ids)),),
    ).fetchall()
    return [_station(r) for r in rows]


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts per network, for ``ivi cache stats`` and for checking a sync against its feeds."""
    per: dict[str, dict[str, int]] = {}
    for net, locs, evses, avail in conn.execute(
        "SELECT network, count(*), coalesce(sum(evse_count), 0), coalesce(sum(available_count), 0) "
        "FROM locations GROUP BY network ORDER BY network"
    ):
        per[net] = {"locations": locs, "evses": evses, "available": avail}
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    return {
        "locations": sum(v["locations"] for v in per.values()),
        "evses": sum(v["evses"] for v in per.values()),
        "tariffs": conn.execute("SELECT count(*) FROM tariffs").fetchone()[0],
        "networks": per,
        "meta": meta,
    }
