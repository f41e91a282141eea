"""Writing the cache: whole locations (with their EVSEs, connectors and aggregates), tariffs and
EVSE statuses. Every public function here runs inside the caller's single transaction, so a
crash leaves the previous state, never half of a batch.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from chargers.models import Location, Tariff
from chargers.store.schema import RTREE_ROWS
from chargers.store.text import search_words
from geo.geometry import hilbert_key

T = TypeVar("T")

LOCATION_COLUMNS = (
    "id",
    "party_id",
    "network",
    "name",
    "name_en",
    "address",
    "city",
    "city_en",
    "postal_code",
    "lat",
    "lon",
    "twentyfourseven",
    "regular_hours",
    "is_green",
    "energy_sources",
    "time_zone",
    "facilities",
    "last_updated",
    "evse_count",
    "available_count",
    "max_power_kw",
    "standards",
    "status_updated",
    "tariff_id",
    "grams",
)
#: Written besides LOCATION_COLUMNS, from the model rather than derived: which carriageway a
#: service area serves (the sync's snapshot rows carry it since ``rows/2``).
PLANNER_COLUMNS = ("carriageway_bearing_deg",)
_UPSERT_COLUMNS = LOCATION_COLUMNS + PLANNER_COLUMNS
_UPSERT_LOCATION = (
    f"INSERT INTO locations ({', '.join(_UPSERT_COLUMNS)}) VALUES ({', '.join('?' * len(_UPSERT_COLUMNS))}) "
    f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _UPSERT_COLUMNS[1:])}"
)


def location_row(loc: Location) -> tuple[object, ...]:
    connectors = [c for e in loc.evses for c in e.connectors]
    standards = sorted({c.standard for c in connectors})
    tariff = next((t for c in connectors if c.power_type == "DC" for t in c.tariff_ids), None)
    tariff = tariff or next((t for c in connectors for t in c.tariff_ids), None)
    return (
        loc.id,
        loc.party_id,
        loc.network,
        loc.name,
        loc.name_en,
        loc.address,
        loc.city,
        loc.city_en,
        loc.postal_code,
        loc.lat,
        loc.lon,
        int(loc.twentyfourseven),
        json.dumps([[h.weekday, h.period_begin, h.period_end] for h in loc.regular_hours]),
        int(loc.is_green_energy),
        json.dumps([list(s) for s in loc.energy_sources]),
        loc.time_zone,
        json.dumps(list(loc.facilities)),
        loc.last_updated,
        len(loc.evses),
        sum(e.status == "AVAILABLE" for e in loc.evses),
        loc.max_power_kw,
        "," + ",".join(standards) + "," if standards else "",
        max((e.last_updated for e in loc.evses), default=""),
        tariff,
        search_words((loc.name, loc.address, loc.city), (loc.name_en, loc.city_en)),
    )


def upsert_locations(conn: sqlite3.Connection, locations: Sequence[Location]) -> int:
    """Insert or wholly replace ``locations`` (keyed by OCPI id; the row's pk stays stable).

    New rows go in along a Hilbert curve (``spatial_order``), so that neighbours on the ground
    are neighbours in the table: a corridor query at a million chargers then reads runs of pages."""
    if not locations:
        return 0
    locations = spatial_order(locations, lambda loc: (loc.lat, loc.lon))
    ids = [loc.id for loc in locations]
    existing = [(pk,) for _, pk in _pks(conn, ids)]
    # Children and index entries of replaced locations go first; a fresh import has none.
    _unindex(conn, [pk for (pk,) in existing])
    conn.executemany("DELETE FROM connectors WHERE evse_pk IN (SELECT pk FROM evses WHERE location_pk = ?)", existing)
    conn.executemany("DELETE FROM evses WHERE location_pk = ?", existing)
    conn.executemany(_UPSERT_LOCATION, ((*location_row(loc), loc.carriageway_bearing_deg) for loc in locations))
    pks = dict(_pks(conn, ids))
    pk_list = [(pks[i],) for i in ids]
    _index(conn, [pk for (pk,) in pk_list])
    evse_rows = []
    for loc in locations:
        for e in loc.evses:
            evse_rows.append((pks[loc.id], e.uid, e.evse_id, e.status, e.max_power_kw, e.last_updated))
    conn.executemany(
        "INSERT INTO evses (location_pk, uid, evse_id, status, max_power_kw, last_updated) VALUES (?, ?, ?, ?, ?, ?)",
        evse_rows,
    )
    uid_pk = dict(
        conn.execute(
            "SELECT uid, pk FROM evses WHERE location_pk IN (SELECT value FROM json_each(?))",
            (json.dumps([p for (p,) in pk_list]),),
        ).fetchall()
    )
    conn.executemany(
        "INSERT INTO connectors (evse_pk, id, standard, format, power_type, max_voltage, max_amperage,"
        " max_power_kw, tariff_ids, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                uid_pk[e.uid],
                c.id,
                c.standard,
                c.format,
                c.power_type,
                c.max_voltage,
                c.max_amperage,
                c.power_kw,
                ",".join(c.tariff_ids),
                c.last_updated,
            )
            for loc in locations
            for e in loc.evses
            for c in e.connectors
        ),
    )
    return len(locations)


def without_foreign_uids(
    conn: sqlite3.Connection, locations: Sequence[Location]
) -> tuple[list[Location], list[tuple[str, str, str, str]]]:
    """``locations`` without the EVSEs whose uid belongs, in the cache, to a location that is not
    among them (writing those would break the unique uid); and each such clash as
    ``(location id, party, uid, owner's id)``."""
    ids = {loc.id for loc in locations}
    uids = [e.uid for loc in locations for e in loc.evses]
    owners = dict(
        conn.execute(
            "SELECT e.uid, l.id FROM evses e JOIN locations l ON l.pk = e.location_pk"
            " WHERE e.uid IN (SELECT value FROM json_each(?))",
            (json.dumps(uids),),
        ).fetchall()
    )
    foreign = {u: o for u, o in owners.items() if o not in ids}
    if not foreign:
        return list(locations), []
    out, clashes = [], []
    for loc in locations:
        kept = tuple(e for e in loc.evses if e.uid not in foreign)
        clashes += [(loc.id, loc.party_id, e.uid, foreign[e.uid]) for e in loc.evses if e.uid in foreign]
        out.append(loc if len(kept) == len(loc.evses) else replace(loc, evses=kept))
    return out, clashes


def spatial_order(rows: Sequence[T], latlon: Callable[[T], tuple[float, float]]) -> list[T]:
    """``rows`` sorted along a Hilbert curve of their coordinates: bulk inserts number keys in
    this order, which keeps each region's rows contiguous on disk."""
    return sorted(rows, key=lambda r: hilbert_key(*latlon(r)))


_IN_PKS = "IN (SELECT value FROM json_each(?))"


def _index(conn: sqlite3.Connection, pks: list[int]) -> None:
    """Add the R*Tree and full-text entries of these locations (set-based: one statement each)."""
    if not pks:
        return
    arg = (json.dumps(pks),)
    conn.execute(f"INSERT INTO locations_rtree {RTREE_ROWS} WHERE pk {_IN_PKS}", arg)
    conn.execute(
        "INSERT INTO locations_fts(rowid, name, address, city) SELECT pk, name, address, city FROM locations "
        f"WHERE pk {_IN_PKS}",
        arg,
    )
    conn.execute(f"INSERT INTO locations_words(rowid, grams) SELECT pk, grams FROM locations WHERE pk {_IN_PKS}", arg)


def index_all(conn: sqlite3.Connection) -> None:
    """Fill the R*Tree and full-text indexes from every location, after a bulk insert into
    emptied tables (``delete_all``): one pass each, no key list to look up."""
    conn.execute(f"INSERT INTO locations_rtree {RTREE_ROWS}")
    conn.execute("INSERT INTO locations_fts(rowid, name, address, city) SELECT pk, name, address, city FROM locations")
    conn.execute("INSERT INTO locations_words(rowid, grams) SELECT pk, grams FROM locations")


def _unindex(conn: sqlite3.Connection, pks: list[int]) -> None:
    """Remove the index entries of these locations; external-content FTS5 needs the old values."""
    if not pks:
        return
    arg = (json.dumps(pks),)
    conn.execute(f"DELETE FROM locations_rtree WHERE pk {_IN_PKS}", arg)
    conn.execute(
        "INSERT INTO locations_fts(locations_fts, rowid, name, address, city)"
        f" SELECT 'delete', pk, name, address, city FROM locations WHERE pk {_IN_PKS}",
        arg,
    )
    conn.execute(
        "INSERT INTO locations_words(locations_words, rowid, grams)"
        f" SELECT 'delete', pk, grams FROM locations WHERE pk {_IN_PKS}",
        arg,
    )


def _pks(conn: sqlite3.Connection, ids: list[str]) -> list[tuple[str, int]]:
    return conn.execute(
        "SELECT id, pk FROM locations WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
    ).fetchall()


def delete_locations(conn: sqlite3.Connection, ids: Iterable[str]) -> int:
    """Remove locations and everything under them (OCPI itself marks EVSEs ``REMOVED`` instead;
    this is for a location the partner no longer shares at all)."""
    found = _pks(conn, list(ids))
    pk_list = [(pk,) for _, pk in found]
    _unindex(conn, [pk for _, pk in found])
    conn.executemany("DELETE FROM connectors WHERE evse_pk IN (SELECT pk FROM evses WHERE location_pk = ?)", pk_list)
    conn.executemany("DELETE FROM evses WHERE location_pk = ?", pk_list)
    conn.executemany("DELETE FROM locations WHERE pk = ?", pk_list)
    return len(found)


def delete_all(conn: sqlite3.Connection) -> None:
    """Empty the dataset (locations, EVSEs, connectors, tariffs) and its indexes, for a snapshot
    that replaces everything inside the caller's transaction."""
    for table in ("connectors", "evses", "locations", "tariff_windows", "tariffs", "locations_rtree"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("INSERT INTO locations_fts(locations_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO locations_words(locations_words) VALUES ('delete-all')")


def upsert_tariffs(conn: sqlite3.Connection, tariffs: Sequence[Tariff]) -> int:
    conn.executemany(
        "INSERT OR REPLACE INTO tariffs (id, party_id, currency, last_updated) VALUES (?, ?, ?, ?)",
        ((t.id, t.party_id, t.currency, t.last_updated) for t in tariffs),
    )
    conn.executemany("DELETE FROM tariff_windows WHERE tariff_id = ?", ((t.id,) for t in tariffs))
    conn.executemany(
        "INSERT INTO tariff_windows (tariff_id, start, end, energy_cny_per_kwh, service_cny_per_kwh, days)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            (t.id, w.start, w.end, w.energy_cny_per_kwh, w.service_cny_per_kwh, ",".join(map(str, w.days)))
            for t in tariffs
            for w in t.windows
        ),
    )
    return len(tariffs)


def set_evse_statuses(conn: sqlite3.Connection, updates: Iterable[tuple[str, str, str]]) -> int:
    """Apply ``(uid, status, last_updated)`` triples; returns how many EVSEs changed.
    The location's availability aggregate follows through the schema's trigger."""
    cur = conn.executemany(
        "UPDATE evses SET status = ?, last_updated = ? WHERE uid = ? AND (status IS NOT ? OR last_updated IS NOT ?)",
        ((status, ts, uid, status, ts) for uid, status, ts in updates),
    )
    return cur.rowcount  # sqlite3_changes(): the EVSE rows only, not the trigger's


def set_meta(conn: sqlite3.Connection, **values: str) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())
