"""A whole new dataset for the cache, built beside the live tables and swapped in at once.

The OTA sync's snapshot arrives in chunks. Each chunk's rows go into *shadow tables* as it
arrives (``stage_rows``, one short transaction each), so that most of the work is done while
the next chunks are still on the wire. The swap (``swap_in``) is one transaction: keep the
statuses the live cache holds that are newer, drop the live tables, rename the shadow tables
into their place, and build the indexes once, in bulk (the B-trees, the R*Tree, the two text
indexes: measured 40 % cheaper than adding each chunk's entries as it comes, and the rows arrive
in Hilbert order, so the R*Tree is filled along the curve). Readers (other connections, WAL) see
the whole old dataset until the commit and the whole new one after it; they never wait for it.

Shadow tables are made from the live tables' own ``CREATE`` statements (whatever schema
version the file is at), without their secondary indexes, which are built once at the swap.
The ``sync_shadow`` table records which chunks of which version are staged, so that a client
killed in the middle resumes where it stood.

Rows are the compact rows of ``sync.protocol.rows`` (checked by the caller); what the cache
derives from them (aggregates, power, search words) is derived here as ``writer.location_row``
derives it for single locations, so both paths store the same rows (``dump_rows`` checks it).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from chargers.errors import RecordConflictError
from chargers.models import PARTY_TO_NETWORK
from chargers.store import writer
from chargers.store.text import search_words

__all__ = ["SHADOW", "begin", "shadow_ready", "stage_rows", "staged_chunks", "swap_in"]

#: live table → its shadow (children before parents: the order tables are dropped in).
SHADOW = {
    "connectors": "sync_new_connectors",
    "evses": "sync_new_evses",
    "locations": "sync_new_locations",
    "tariff_windows": "sync_new_tariff_windows",
    "tariffs": "sync_new_tariffs",
    "locations_rtree": "sync_new_rtree",
    "locations_fts": "sync_new_fts",
    "locations_words": "sync_new_words",
}
_NAME = re.compile(r'(CREATE (?:VIRTUAL )?TABLE\s+|REFERENCES\s+)(["\[]?)(\w+)(["\]]?)')
STAGED_DDL = (
    "CREATE TABLE IF NOT EXISTS sync_shadow (version INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " payload BLOB NOT NULL, PRIMARY KEY (version, idx))"
)


def _shadow_sql(sql: str) -> str:
    """A live table's CREATE statement, for its shadow (FTS ``content='locations'`` stays: after
    the swap the shadow *is* ``locations``)."""
    return _NAME.sub(lambda m: m.group(1) + m.group(2) + SHADOW.get(m.group(3), m.group(3)) + m.group(4), sql)


def _schema(conn: sqlite3.Connection, kind: str, tables: Iterable[str]) -> list[tuple[str, str]]:
    names = list(tables)
    marks = ", ".join("?" * len(names))
    return conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name IN ({marks}) AND sql IS NOT NULL",
        (kind, *names),
    ).fetchall()


def shadow_ready(conn: sqlite3.Connection) -> bool:
    """Whether every shadow table exists (a staged snapshot can be resumed)."""
    have = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(SHADOW.values()) <= have


def _drop_shadow(conn: sqlite3.Connection) -> None:
    for shadow in SHADOW.values():
        conn.execute(f"DROP TABLE IF EXISTS {shadow}")


def begin(conn: sqlite3.Connection) -> None:
    """Empty shadow tables for a new snapshot (inside the caller's transaction)."""
    conn.execute(STAGED_DDL)
    conn.execute("DELETE FROM sync_shadow")
    _drop_shadow(conn)
    for _, sql in _schema(conn, "table", SHADOW):
        conn.execute(_shadow_sql(sql))


def staged_chunks(conn: sqlite3.Connection) -> tuple[int, frozenset[int]] | None:
    """(version, chunk indexes) staged so far, or None (nothing staged, or no shadow to resume)."""
    rows = conn.execute("SELECT version, idx FROM sync_shadow").fetchall()
    if not rows or not shadow_ready(conn):
        return None
    v = max(r[0] for r in rows)
    return v, frozenset(i for ver, i in rows if ver == v)


def stage_rows(conn: sqlite3.Connection, version: int, index: int, locations: list[Any], tariffs: list[Any]) -> None:
    """One chunk's checked rows into the shadow tables (inside the caller's transaction), keys
    numbered on from the chunks already there. A chunk already staged is left as it is."""
    if conn.execute("SELECT 1 FROM sync_shadow WHERE version = ? AND idx = ?", (version, index)).fetchone():
        return
    first_loc = conn.execute("SELECT coalesce(max(pk), 0) FROM sync_new_locations").fetchone()[0]
    first_evse = conn.execute("SELECT coalesce(max(pk), 0) FROM sync_new_evses").fetchone()[0]
    try:
        _insert_tariff_rows(conn, tariffs)
        _insert_location_rows(conn, locations, [first_loc, first_evse])
    except sqlite3.IntegrityError as exc:
        raise RecordConflictError(f"snapshot {version} chunk {index} does not fit: {exc}") from exc
    conn.execute("INSERT INTO sync_shadow (version, idx, payload) VALUES (?, ?, ?)", (version, index, b""))


def _keep_newer_statuses(conn: sqlite3.Connection) -> None:
    """Statuses the live cache holds that are newer than the snapshot's (the status stream
    overtook it) are laid over the shadow rows, and their locations' aggregates follow."""
    changed = conn.execute(
        "SELECT n.pk, n.location_pk, e.status, e.last_updated FROM sync_new_evses n JOIN evses e ON e.uid = n.uid"
        " WHERE coalesce(e.last_updated, '') > coalesce(n.last_updated, '')"
    ).fetchall()
    if not changed:
        return
    conn.executemany(
        "UPDATE sync_new_evses SET status = ?, last_updated = ? WHERE pk = ?", ((s, ts, pk) for pk, _, s, ts in changed)
    )
    conn.executemany(
        "UPDATE sync_new_locations SET"
        " available_count = (SELECT count(*) FROM sync_new_evses WHERE location_pk = ?1 AND status = 'AVAILABLE'),"
        " status_updated = (SELECT coalesce(max(last_updated), '') FROM sync_new_evses WHERE location_pk = ?1)"
        " WHERE pk = ?1",
        ((lpk,) for lpk in {lpk for _, lpk, _, _ in changed}),
    )


def swap_in(conn: sqlite3.Connection) -> int:
    """Make the shadow tables the live ones (inside the caller's transaction); returns the number
    of locations. Raises :class:`RecordConflictError` (the caller rolls back, nothing changed)
    when the rows break a unique index: an id or EVSE uid in two chunks."""
    indexes = [sql for name, sql in _schema(conn, "index", SHADOW) if not name.startswith("sqlite_autoindex")]
    triggers = [sql for _, sql in _schema(conn, "trigger", SHADOW)]
    _keep_newer_statuses(conn)
    for live in SHADOW:
        conn.execute(f"DROP TABLE {live}")
    for live, shadow in SHADOW.items():
        conn.execute(f"ALTER TABLE {shadow} RENAME TO {live}")
    try:
        for sql in indexes:
            conn.execute(sql)
    except sqlite3.IntegrityError as exc:
        raise RecordConflictError(f"the snapshot does not fit the cache: {exc}") from exc
    writer.index_all(conn)
    for sql in triggers:
        conn.execute(sql)
    conn.execute("DELETE FROM sync_shadow")
    return conn.execute("SELECT count(*) FROM locations").fetchone()[0]


def _insert_tariff_rows(conn: sqlite3.Connection, tariffs: list[Any]) -> None:
    conn.executemany(
        "INSERT INTO sync_new_tariffs (id, party_id, currency, last_updated) VALUES (?, ?, ?, ?)",
        (t[:4] for t in tariffs),
    )
    conn.executemany(
        "INSERT INTO sync_new_tariff_windows (tariff_id, start, end, energy_cny_per_kwh, service_cny_per_kwh, days)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ((t[0], *w[:4], ",".join(map(str, w[4])) if len(w) > 4 else "") for t in tariffs for w in t[4]),
    )


def _insert_location_rows(conn: sqlite3.Connection, locations: list[Any], pks: list[int]) -> None:
    loc_pk, evse_pk = pks  # rows keep their order: the operator cuts the snapshot along a Hilbert curve
    loc_rows, evse_rows, connector_rows = [], [], []
    for (
        lid,
        party,
        name,
        name_en,
        address,
        city,
        city_en,
        postal,
        lat,
        lon,
        t247,
        hours,
        green,
        sources,
        tz,
        facilities,
        last_updated,
        evses,
        *rest,  # rows/2: the carriageway a service area serves
    ) in locations:
        loc_pk += 1
        available, loc_kw, status_updated = 0, 0.0, ""
        standards: set[str] = set()
        dc_tariff = any_tariff = None
        for uid, evse_id, status, ts, connectors in evses:
            evse_pk += 1
            evse_kw = 0.0
            for cid, standard, fmt, power_type, volts, amps, watts, tariff_ids, c_updated in connectors:
                kw = watts / 1000.0
                evse_kw = kw if kw > evse_kw else evse_kw
                standards.add(standard)
                if tariff_ids:
                    first = tariff_ids.split(",", 1)[0]
                    if dc_tariff is None and power_type == "DC":
                        dc_tariff = first
                    if any_tariff is None:
                        any_tariff = first
                connector_rows.append((evse_pk, cid, standard, fmt, power_type, volts, amps, kw, tariff_ids, c_updated))
            evse_rows.append((evse_pk, loc_pk, uid, evse_id, status, evse_kw, ts))
            available += status == "AVAILABLE"
            loc_kw = evse_kw if evse_kw > loc_kw else loc_kw
            status_updated = ts if ts > status_updated else status_updated
        loc_rows.append(
            (
                loc_pk,
                lid,
                party,
                PARTY_TO_NETWORK.get(party, party),
                name,
                name_en,
                address,
                city,
                city_en,
                postal,
                lat,
                lon,
                t247,
                hours,
                green,
                sources,
                tz,
                facilities,
                last_updated,
                len(evses),
                available,
                loc_kw,
                "," + ",".join(sorted(standards)) + "," if standards else "",
                status_updated,
                dc_tariff or any_tariff,
                search_words((name, address, city), (name_en, city_en)),
                rest[0] if rest else None,
            )
        )
    conn.executemany(_INSERT_LOCATION, loc_rows)
    conn.executemany(
        "INSERT INTO sync_new_evses (pk, location_pk, uid, evse_id, status, max_power_kw, last_updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        evse_rows,
    )
    conn.executemany(
        "INSERT INTO sync_new_connectors (evse_pk, id, standard, format, power_type, max_voltage, max_amperage,"
        " max_power_kw, tariff_ids, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        connector_rows,
    )


_COLUMNS = writer.LOCATION_COLUMNS + writer.PLANNER_COLUMNS
_INSERT_LOCATION = (
    f"INSERT INTO sync_new_locations (pk, {', '.join(_COLUMNS)}) VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})"
)
