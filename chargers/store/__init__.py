"""The offline charger cache: one SQLite file the car keeps of every partner charger.

    >>> store = ChargerStore.open("chargers.db")          # created and seeded if missing
    >>> store.near((31.23, 121.47), n=10, filters=Filters(min_power_kw=250))
    >>> store.along_route(route.points, corridor_km=5)
    >>> store.search("蔚来 虹桥")

The library comes first; ``ivi cache …`` mirrors it. Reads and writes are thread-safe through
one lock per store; WAL lets another process (the sync client) write while this one reads.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chargers.models import Connector, Evse, ImportReport, Location, RegularHours, Rejection, Tariff, TariffWindow
from chargers.ocpi import Feed, read_feeds
from chargers.store import occupancy, queries, writer
from chargers.store.occupancy import OccupancyBlob
from chargers.store.queries import AlongRoute, Filters, Nearby, Station
from chargers.store.schema import SCHEMA_VERSION, connect

if TYPE_CHECKING:
    from chargers.occupancy.model import OccupancyModel
    from chargers.store.ledger import SyncLedger
from geo.geometry import LatLon

__all__ = ["SCHEMA_VERSION", "AlongRoute", "ChargerStore", "Filters", "Nearby", "OccupancyBlob", "Station"]


class ChargerStore:
    """The cache file. Create with :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._occupancy = occupancy.ModelCache()

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path | str, *, seed: bool = True, readonly: bool = False) -> ChargerStore:
        """Open the cache at ``path`` (default: the user data dir). A cache that does not exist
        yet is created and, with ``seed``, filled from the partner feeds bundled in the package."""
        fresh = str(path) == ":memory:" or not Path(path).exists() or Path(path).stat().st_size == 0
        db = connect(path, readonly=readonly)
        store = cls(db.conn, str(path))
        if fresh and seed and not readonly:
            from chargers.feeds.bundled import bundled_feed_paths

            store.import_feeds(bundled_feed_paths(), source="bundled")
        return store

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> ChargerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the store's lock, for a read of several statements."""
        with self._lock:
            yield self.conn

    def sync_ledger(self) -> SyncLedger:
        """The OTA sync client's API on this cache (its position, writes and staged snapshot)."""
        from chargers.store.ledger import SyncLedger

        return SyncLedger(self)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()

    # ------------------------------------------------------------ writing

    def import_feeds(self, paths: Iterable[Path | str], *, source: str = "") -> ImportReport:
        """Import OCPI feeds (files, ``.gz`` files or directories). Bad records are skipped and
        reported; the good ones go in, all in one transaction."""
        paths = list(paths)
        feed = read_feeds(paths)
        report = self.apply_feed(feed)
        with self.transaction() as conn:
            writer.set_meta(conn, source=source or ",".join(str(p) for p in paths))
        return report

    def apply_feed(self, feed: Feed) -> ImportReport:
        """Write a validated feed in one transaction. An EVSE whose uid another location of the
        cache holds (one this feed does not replace) is left out and reported: the cache keeps
        uids unique, and one such EVSE must not fail the whole import."""
        with self.transaction() as conn:
            locations, clashes = writer.without_foreign_uids(conn, feed.locations)
            writer.upsert_tariffs(conn, feed.tariffs)
            writer.upsert_locations(conn, locations)
        report = ImportReport(
            locations=len(locations),
            evses=sum(len(loc.evses) for loc in locations),
            tariffs=len(feed.tariffs),
            rejections=[
                *feed.rejections,
                *(
                    Rejection("duplicate evse uid", lid, f"{uid}: held by location {owner} in the cache", party)
                    for lid, party, uid, owner in clashes
                ),
            ],
        )
        for loc in locations:
            report.per_network[loc.network] = report.per_network.get(loc.network, 0) + len(loc.evses)
        return report

    def upsert(self, locations: Sequence[Location], tariffs: Sequence[Tariff] = ()) -> None:
        with self.transaction() as conn:
            writer.upsert_tariffs(conn, tariffs)
            writer.upsert_locations(conn, locations)

    def set_evse_statuses(self, updates: Iterable[tuple[str, str, str]]) -> int:
        with self.transaction() as conn:
            return writer.set_evse_statuses(conn, updates)

    def set_meta(self, **values: str) -> None:
        with self.transaction() as conn:
            writer.set_meta(conn, **values)

    def set_occupancy_model(self, blob: OccupancyBlob, decoded: OccupancyModel | None = None) -> bool:
        """Keep ``blob`` as the current occupancy model, in one transaction, unless the cache holds
        a newer version; returns whether it was written. ``decoded`` (the caller checked the bytes
        with ``decode_model``) spares :meth:`occupancy_model` decoding them again."""
        with self.transaction() as conn:
            written = occupancy.write_blob(conn, blob)
        if written and decoded is not None:
            self._occupancy.prime(blob, decoded)
        return written

    # ------------------------------------------------------------ reading

    def occupancy_model(self) -> OccupancyModel | None:
        """The current occupancy model, decoded once and kept until a new one is written (by this
        store or another process). None when the cache has none, or when its bytes are refused:
        the reason is logged and counted in :meth:`occupancy_model_refusals`; it never raises."""
        with self._lock:
            return self._occupancy.get(self.conn)

    def occupancy_model_blob(self) -> OccupancyBlob | None:
        """The current model's bytes with their version, creation time and hash (what the sync wrote)."""
        with self._lock:
            return occupancy.read_blob(self.conn)

    def occupancy_model_refusals(self) -> tuple[int, str | None]:
        """(models refused when read, the last reason or None once a good one was read)."""
        return self._occupancy.refused, self._occupancy.last_error

    def evse_statuses(self, location_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
        """``(uid, status, last_updated)`` of each location's EVSEs, by location id, in sorted-uid
        order — the order of the occupancy model's per-EVSE records (``StationInfo.evse_uids``)."""
        with self._lock:
            return occupancy.evse_statuses(self.conn, location_ids)

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def near(self, point: LatLon, n: int = 10, filters: Filters = Filters()) -> list[Nearby]:
        with self._lock:
            return queries.near(self.conn, point, n, filters)

    def along_route(
        self, points: Sequence[LatLon], corridor_km: float = 5.0, filters: Filters = Filters()
    ) -> list[AlongRoute]:
        with self._lock:
            return queries.along_route(self.conn, points, corridor_km, filters)

    def along_route_rows(
        self,
        points: Sequence[LatLon],
        corridor_km: float = 5.0,
        filters: Filters = Filters(),
        columns: Sequence[str] = ("id",),
    ) -> list[tuple[Any, ...]]:
        """:meth:`along_route` as plain rows ``(*columns, along_km, off_route_km)``: what a
        planner reads of a whole corridor, at a fraction of the cost of full stations."""
        with self._lock:
            return queries.along_route_rows(self.conn, points, corridor_km, filters, columns)

    def search(self, text: str, limit: int = 20, filters: Filters = Filters()) -> list[Station]:
        with self._lock:
            return queries.search(self.conn, text, limit, filters)

    def stations(self, ids: Sequence[str]) -> list[Station]:
        with self._lock:
            return queries.get_stations(self.conn, ids)

    def station_rows(self, ids: Sequence[str], columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Plain rows of ``columns`` (a station's, its time zone, its carriageway) for ``ids``."""
        with self._lock:
            return queries.station_rows(self.conn, ids, columns)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return queries.stats(self.conn)

    def location(self, location_id: str) -> Location | None:
        """The full location with EVSEs and connectors, as OCPI describes it."""
        with self._lock:
            return _load_location(self.conn, location_id)

    def tariff(self, tariff_id: str) -> Tariff | None:
        with self._lock:
            row = self.conn.execute(
                "SELECT id, party_id, currency, last_updated FROM tariffs WHERE id = ?", (tariff_id,)
            ).fetchone()
            if not row:
                return None
            windows = self.conn.execute(
                "SELECT start, end, energy_cny_per_kwh, service_cny_per_kwh, days FROM tariff_windows WHERE "
                "tariff_id = ? ORDER BY rowid",
                (tariff_id,),
            ).fetchall()
        return Tariff(
            row[0],
            row[1],
            row[2],
            tuple(
                TariffWindow(start, end, energy, service, tuple(int(x) for x in days.split(",") if x))
                for start, end, energy, service, days in windows
            ),
            row[3],
        )

    def all_locations(self) -> list[Location]:
        """Every location in full (for comparing a synced cache with its feeds)."""
        with self._lock:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM locations ORDER BY id")]
            return [loc for loc in (_load_location(self.conn, i) for i in ids) if loc]


def _load_location(conn: sqlite3.Connection, location_id: str) -> Location | None:
    cols = writer.LOCATION_COLUMNS + writer.PLANNER_COLUMNS
    row = conn.execute(f"SELECT pk, {', '.join(cols)} FROM locations WHERE id = ?", (location_id,)).fetchone()
    if not row:
        return None
    d = dict(zip(("pk", *cols), row, strict=False))
    evses = []
    for epk, uid, evse_id, status, updated in conn.execute(
        "SELECT pk, uid, evse_id, status, last_updated FROM evses WHERE location_pk = ? ORDER BY uid", (d["pk"],)
    ):
        conns = tuple(
            Connector(
                cid,
                std,
                fmt,
                pt,
                int(v),
                int(a),
                round(kw * 1000),
                tuple(t for t in (tids or "").split(",") if t),
                cu or "",
            )
            for cid, std, fmt, pt, v, a, kw, tids, cu in conn.execute(
                "SELECT id, standard, format, power_type, max_voltage, max_amperage, max_power_kw, tariff_ids,"
                " last_updated"
                " FROM connectors WHERE evse_pk = ? ORDER BY id",
                (epk,),
            )
        )
        evses.append(Evse(uid, status, conns, evse_id or "", updated or ""))
    return Location(
        id=d["id"],
        party_id=d["party_id"],
        name=d["name"],
        address=d["address"] or "",
        city=d["city"] or "",
        lat=d["lat"],
        lon=d["lon"],
        evses=tuple(evses),
        last_updated=d["last_updated"] or "",
        name_en=d["name_en"] or "",
        city_en=d["city_en"] or "",
        postal_code=d["postal_code"] or "",
        twentyfourseven=bool(d["twentyfourseven"]),
        regular_hours=tuple(RegularHours(*h) for h in json.loads(d["regular_hours"] or "[]")),
        is_green_energy=bool(d["is_green"]),
        energy_sources=tuple((s, float(p)) for s, p in json.loads(d["energy_sources"] or "[]")),
        time_zone=d["time_zone"] or "Asia/Shanghai",
        facilities=tuple(json.loads(d["facilities"] or "[]")),
        carriageway_bearing_deg=d["carriageway_bearing_deg"],
    )
