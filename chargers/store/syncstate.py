"""What the OTA sync client writes into the cache, each in one transaction with its bookkeeping.

The applied dataset version and status sequence live in ``meta`` (``sync_version``,
``sync_status_seq``) and are written in the same transaction as the rows they describe, so a
client killed mid-apply restarts from a state that is true. A snapshot is built beside the live
tables as its chunks arrive and swapped in in one transaction (``chargers.store.snapshot``):
readers (WAL) see the old set until the commit and the new set after it, never a mix.

EVSE statuses follow one rule everywhere: the status with the later ``last_updated`` wins.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from chargers.errors import RecordConflictError
from chargers.models import Location, Tariff
from chargers.store import snapshot, writer

StatusRow = tuple[str, str, str]  # uid, status, last_updated


def ensure_tables(conn: sqlite3.Connection) -> None:
    conn.execute(snapshot.STAGED_DDL)


def sync_position(conn: sqlite3.Connection) -> tuple[int | None, int, tuple[int, frozenset[int]] | None]:
    """(dataset version or None, status sequence, (staged snapshot version, chunk indexes) or None)."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('sync_version', 'sync_status_seq')"))
    version = int(meta["sync_version"]) if "sync_version" in meta else None
    return version, int(meta.get("sync_status_seq", 0)), snapshot.staged_chunks(conn)


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


def position(conn: sqlite3.Connection, version: int, status_seq: int) -> None:
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
    position(conn, version, status_seq)


def dump_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every data row of the cache without surrogate keys, sorted: two caches hold the same
    chargers exactly when their dumps are equal."""
    loc_cols = ", ".join(f"l.{c}" for c in writer.LOCATION_COLUMNS + writer.PLANNER_COLUMNS)
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
                "SELECT tariff_id, start, end, energy_cny_per_kwh, service_cny_per_kwh, days FROM tariff_windows"
            ).fetchall()
        ),
    }
