"""What the OTA sync client writes into the cache, each in one transaction with its bookkeeping.

The applied dataset version and status sequence live in ``meta`` (``sync_version``,
``sync_status_seq``) and are written in the same transaction as the rows they describe, so a
client killed mid-apply restarts from a state that is true. Snapshot chunks are staged in the
``sync_shadow`` table as they arrive (verified payloads, so a restart resumes) and swapped in
by :func:`replace_all` in one transaction: readers (WAL) see the old set until the commit and
the new set after it, never a mix.

EVSE statuses follow one rule everywhere: the status with the later ``last_updated`` wins.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from chargers.errors import RecordConflictError
from chargers.models import PARTY_TO_NETWORK, Location, Tariff
from chargers.store import writer
from chargers.store.text import search_words

SHADOW_DDL = (
    "CREATE TABLE IF NOT EXISTS sync_shadow (version INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " payload BLOB NOT NULL, PRIMARY KEY (version, idx))"
)

StatusRow = tuple[str, str, str]  # uid, status, last_updated


def ensure_tables(conn: sqlite3.Connection) -> None:
    conn.execute(SHADOW_DDL)


def sync_position(conn: sqlite3.Connection) -> tuple[int | None, int, tuple[int, frozenset[int]] | None]:
    """(dataset version or None, status sequence, (staged snapshot version, chunk indexes) or None)."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('sync_version', 'sync_status_seq')"))
    version = int(meta["sync_version"]) if "sync_version" in meta else None
    rows = conn.execute("SELECT version, idx FROM sync_shadow").fetchall()
    staged = None
    if rows:
        v = max(r[0] for r in rows)
        staged = (v, frozenset(i for ver, i in rows if ver == v))
    return version, int(meta.get("sync_status_seq", 0)), staged


def begin_snapshot(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM sync_shadow")


def stage_chunk(conn: sqlite3.Connection, version: int, index: int, payload: bytes) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_shadow (version, idx, payload) VALUES (?, ?, ?)", (version, index, payload)
    )


def staged_indexes(conn: sqlite3.Connection, version: int) -> list[int]:
    return [i for (i,) in conn.execute("SELECT idx FROM sync_shadow WHERE version = ? ORDER BY idx", (version,))]


def staged_payload(conn: sqlite3.Connection, version: int, index: int) -> bytes:
    (p,) = conn.execute("SELECT payload FROM sync_shadow WHERE version = ? AND idx = ?", (version, index)).fetchone()
    return bytes(p)


def set_statuses_if_newer(conn: sqlite3.Connection, updates: Iterable[StatusRow]) -> int:
    """Apply ``(uid, status, last_updated)`` only where newer than the row: duplicates and
    late arrivals change nothing. Returns how many EVSEs changed."""
    updates = list(updates)
    cur = conn.executemany(
        "UPDATE evses SET status = ?, last_updated = ? WHERE uid = ? AND coalesce(last_updated, '') < ?",
        ((s, ts, uid, ts) for uid, s, ts in updates),
    )
    changed = cur.rowcount
    if changed:  # a newer timestamp with the same status: the trigger does not run, keep the aggregate true
        conn.executemany(
            "UPDATE locations SET status_updated = ? WHERE pk = (SELECT location_pk FROM evses WHERE uid = ?)"
            " AND coalesce(status_updated, '') < ?",
            ((ts, uid, ts) for uid, _, ts in updates),
        )
    return changed


def _statuses_of(conn: sqlite3.Connection, location_ids: Sequence[str] | None) -> list[StatusRow]:
    if location_ids is None:
        return conn.execute("SELECT uid, status, last_updated FROM evses").fetchall()
    return conn.execute(
        "SELECT e.uid, e.status, e.last_updated FROM evses e JOIN locations l ON l.pk = e.location_pk"
        " WHERE l.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(location_ids)),),
    ).fetchall()


def _position(conn: sqlite3.Connection, version: int, status_seq: int) -> None:
    writer.set_meta(conn, sync_version=str(version), sync_status_seq=str(status_seq))


def apply_delta(
    conn: sqlite3.Connection,
    version: int,
    status_seq: int,
    upsert_locations: Sequence[Location],
    remove_locations: Sequence[str],
    upsert_tariffs: Sequence[Tariff],
    remove_tariffs: Sequence[str],
) -> None:
    """One delta, inside the caller's transaction. Statuses the cache already holds that are
    newer than the delta's (the status stream overtook it) are kept. Removals go first, so that
    an EVSE that moves from a removed location to a new one finds its uid free. Rows that do not
    fit (a uid another location holds) raise :class:`RecordConflictError`: the caller rolls back."""
    kept = _statuses_of(conn, [loc.id for loc in upsert_locations])
    try:
        writer.delete_locations(conn, remove_locations)
        conn.executemany("DELETE FROM tariff_windows WHERE tariff_id = ?", ((t,) for t in remove_tariffs))
        conn.executemany("DELETE FROM tariffs WHERE id = ?", ((t,) for t in remove_tariffs))
        writer.upsert_tariffs(conn, upsert_tariffs)
        writer.upsert_locations(conn, upsert_locations)
    except sqlite3.IntegrityError as exc:
        raise RecordConflictError(f"delta {version} does not fit the cache: {exc}") from exc
    set_statuses_if_newer(conn, kept)
    _position(conn, version, status_seq)


def replace_all(
    conn: sqlite3.Connection, chunks: Iterable[tuple[list[Any], list[Any]]], version: int, status_seq: int
) -> int:
    """Swap the whole dataset for the snapshot's checked ``(location rows, tariff rows)`` (the
    layout of ``sync.protocol.rows``), inside the caller's transaction; returns the number of
    locations. Newer statuses the cache held survive; the shadow is cleared.

    The bulk path: everything was just deleted, so rows go in with the keys numbered here (no
    look-ups), the derived columns are computed as ``writer.location_row`` computes them (the
    delta path stores the same rows), and the spatial and text indexes are filled once at the end.
    """
    kept = {uid: (status, ts) for uid, status, ts in conn.execute("SELECT uid, status, last_updated FROM evses")}
    writer.delete_all(conn)
    pks = [0, 0]  # the last location and EVSE keys handed out
    n = 0
    try:
        for locations, tariffs in chunks:
            _insert_tariff_rows(conn, tariffs)
            _insert_location_rows(conn, locations, kept, pks)
            n += len(locations)
    except sqlite3.IntegrityError as exc:  # e.g. an id repeated across two chunks
        raise RecordConflictError(f"snapshot {version} does not fit the cache: {exc}") from exc
    writer.index_all(conn)
    _position(conn, version, status_seq)
    conn.execute("DELETE FROM sync_shadow")
    return n


def _insert_tariff_rows(conn: sqlite3.Connection, tariffs: list[Any]) -> None:
    conn.executemany(
        "INSERT INTO tariffs (id, party_id, currency, last_updated) VALUES (?, ?, ?, ?)", (t[:4] for t in tariffs)
    )
    conn.executemany(
        "INSERT INTO tariff_windows (tariff_id, start, end, energy_cny_per_kwh, service_cny_per_kwh) VALUES "
        "(?, ?, ?, ?, ?)",
        ((t[0], *w) for t in tariffs for w in t[4]),
    )


def _insert_location_rows(
    conn: sqlite3.Connection, locations: list[Any], kept: dict[str, tuple[str, str]], pks: list[int]
) -> None:
    loc_pk, evse_pk = pks
    locations = writer.spatial_order(locations, lambda r: (r[8], r[9]))  # see writer.upsert_locations
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
    ) in locations:
        loc_pk += 1
        available, loc_kw, status_updated = 0, 0.0, ""
        standards: set[str] = set()
        dc_tariff = any_tariff = None
        for uid, evse_id, status, ts, connectors in evses:
            held = kept.get(uid)
            if held is not None and (held[1] or "") > (ts or ""):
                status, ts = held
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
            )
        )
    pks[:] = [loc_pk, evse_pk]
    conn.executemany(_INSERT_LOCATION, loc_rows)
    conn.executemany(
        "INSERT INTO evses (pk, location_pk, uid, evse_id, status, max_power_kw, last_updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        evse_rows,
    )
    conn.executemany(
        "INSERT INTO connectors (evse_pk, id, standard, format, power_type, max_voltage, max_amperage,"
        " max_power_kw, tariff_ids, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        connector_rows,
    )


_INSERT_LOCATION = (
    f"INSERT INTO locations (pk, {', '.join(writer.LOCATION_COLUMNS)})"
    f" VALUES ({', '.join('?' * (len(writer.LOCATION_COLUMNS) + 1))})"
)


def dump_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every data row of the cache without surrogate keys, sorted: two caches hold the same
    chargers exactly when their dumps are equal."""
    loc_cols = ", ".join(f"l.{c}" for c in writer.LOCATION_COLUMNS)
    return {
        "locations": sorted(conn.execute(f"SELECT {loc_cols} FROM locations l").fetchall()),
        "evses": sorted(
            conn.execute(
                "SELECT l.id, e.uid, e.evse_id, e.status, e.max_power_kw, e.last_updated FROM evses e"
                " JOIN locations l ON l.pk = e.location_pk"
            ).fetchall()
        ),
        "connectors": sorted(
            conn.execute(
                "SELECT e.uid, c.id, c.standard, c.format, c.power_type, c.max_voltage, c.max_amperage, c.max_power_kw,"
                " c.tariff_ids, c.last_updated FROM connectors c JOIN evses e ON e.pk = c.evse_pk"
            ).fetchall()
        ),
        "tariffs": sorted(conn.execute("SELECT id, party_id, currency, last_updated FROM tariffs").fetchall()),
        "tariff_windows": sorted(
            conn.execute(
                "SELECT tariff_id, start, end, energy_cny_per_kwh, service_cny_per_kwh FROM tariff_windows"
            ).fetchall()
        ),
    }
