"""The cache file: opening it safely, its schema, and migrations between schema versions.

A file that is not SQLite, or is SQLite but not ours, or was written by a newer schema, raises
and is left untouched. Migrations run in one transaction each; ``meta.schema_version`` says where
a file stands. WAL lets the head-unit UI read while the sync client writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from chargers.errors import NotACacheError, SchemaTooNewError, SchemaTooOldError
from chargers.store.occupancy import DDL as OCCUPANCY_DDL

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x49564943  # "IVIC": marks the file as ours for `file(1)` and for us


def _v1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("locations").create(
        {
            "pk": int,
            "id": str,
            "party_id": str,
            "network": str,
            "name": str,
            "name_en": str,
            "address": str,
            "city": str,
            "city_en": str,
            "postal_code": str,
            "lat": float,
            "lon": float,
            "twentyfourseven": int,
            "regular_hours": str,
            "is_green": int,
            "energy_sources": str,
            "time_zone": str,
            "facilities": str,
            "last_updated": str,
            # Aggregates over the EVSEs, kept by the writer so that filters need no join.
            "evse_count": int,
            "available_count": int,
            "max_power_kw": float,
            "standards": str,
            "status_updated": str,
            "tariff_id": str,
            # Chinese bigrams and English/pinyin words (see chargers.store.text), indexed below.
            "grams": str,
        },
        pk="pk",
        not_null={"id", "network", "lat", "lon"},
    )
    db.table("locations").create_index(["id"], unique=True)
    db.table("evses").create(
        {
            "pk": int,
            "location_pk": int,
            "uid": str,
            "evse_id": str,
            "status": str,
            "max_power_kw": float,
            "last_updated": str,
        },
        pk="pk",
        foreign_keys=[("location_pk", "locations", "pk")],
        not_null={"uid", "status"},
    )
    db.table("evses").create_index(["uid"], unique=True)
    db.table("evses").create_index(["location_pk"])
    db.table("connectors").create(
        {
            "evse_pk": int,
            "id": str,
            "standard": str,
            "format": str,
            "power_type": str,
            "max_voltage": int,
            "max_amperage": int,
            "max_power_kw": float,
            "tariff_ids": str,
            "last_updated": str,
        },
        pk=("evse_pk", "id"),
        foreign_keys=[("evse_pk", "evses", "pk")],
    )
    db.table("tariffs").create({"id": str, "party_id": str, "currency": str, "last_updated": str}, pk="id")
    db.table("tariff_windows").create(
        {
            "tariff_id": str,
            "start": str,
            "end": str,
            "energy_cny_per_kwh": float,
            "service_cny_per_kwh": float,
        },
        foreign_keys=[("tariff_id", "tariffs", "id")],
    )
    db.table("tariff_windows").create_index(["tariff_id"])
    db.execute("CREATE VIRTUAL TABLE locations_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon)")
    # Trigram full-text search over the Chinese fields: substrings of three characters or more.
    db.execute(
        "CREATE VIRTUAL TABLE locations_fts USING fts5(name, address, city,"
        " content='locations', content_rowid='pk', tokenize='trigram')"
    )
    # Words: Chinese bigrams (for two-character queries such as 蔚来 or 上海) and the English and
    # pinyin words, matched by prefix ("wanda", "hongq*"). See chargers.store.text.
    db.execute(
        "CREATE VIRTUAL TABLE locations_words USING fts5(grams, content='locations',"
        " content_rowid='pk', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    # The spatial and text indexes are kept by chargers.store.writer, set-based per batch: per-row
    # triggers made a scale-1 import four times slower (FTS5 pays per statement).
    # Keep the availability aggregate true whatever writes a status.
    db.execute("""
        CREATE TRIGGER evse_status_aggregate AFTER UPDATE OF status ON evses
        WHEN OLD.status IS NOT NEW.status BEGIN
          UPDATE locations SET
            available_count = available_count
              + (NEW.status = 'AVAILABLE') - (OLD.status = 'AVAILABLE'),
            status_updated = max(coalesce(status_updated, ''), coalesce(NEW.last_updated, ''))
          WHERE pk = NEW.location_pk;
        END""")


#: The spatial index: a box per station (a point), in integer units of 1e-7 degree.
RTREE = "rtree_i32(pk, min_lat, max_lat, min_lon, max_lon)"
RTREE_UNITS_PER_DEG = 10_000_000
#: The R*Tree entries of locations (callers append a WHERE clause to index some).
_LAT, _LON = (f"CAST(round({c} * {RTREE_UNITS_PER_DEG}) AS INTEGER)" for c in ("lat", "lon"))
RTREE_ROWS = f"SELECT pk, {_LAT}, {_LAT}, {_LON}, {_LON} FROM locations"


def _v2(db: sqlite_utils.Database) -> None:
    """The R*Tree holds integer coordinates in units of 1e-7 degree (about 1 cm; OCPI gives at most
    seven decimals) instead of 32-bit floats (0.4 m): exact enough that spatial queries finish in
    the index alone and read from ``locations`` only the stations they return — a third off a
    corridor query at a million chargers. (Auxiliary columns would do it too, at twice the probe cost.)"""
    db.execute("DROP TABLE locations_rtree")
    db.execute(f"CREATE VIRTUAL TABLE locations_rtree USING {RTREE}")
    db.execute(f"INSERT INTO locations_rtree {RTREE_ROWS}")


def _v3(db: sqlite_utils.Database) -> None:
    """Which carriageway an expressway service area serves (the compass bearing of its traffic;
    NULL: either direction), and the weekdays a tariff window applies on (comma-joined ISO days;
    '' every day). Both are read by the planner; neither is in the snapshot rows of the sync yet."""
    for table, column, decl in (
        ("locations", "carriageway_bearing_deg", "REAL"),
        ("tariff_windows", "days", "TEXT NOT NULL DEFAULT ''"),
    ):
        if column not in db.table(table).columns_dict:  # a file rolled back to an older version has them
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")


def _v4(db: sqlite_utils.Database) -> None:
    """The current occupancy model the sync delivered (one row: version, when it was learned, its
    SHA-256 and bytes; see :mod:`chargers.store.occupancy`)."""
    db.execute(OCCUPANCY_DDL)


#: MIGRATIONS[i] brings a file from schema version i to i + 1.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)


def _check_header(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise NotACacheError(f"{path} is not an SQLite database; refusing to touch it")


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def connect(path: Path | str, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the cache at ``path``; ``":memory:"`` for tests."""
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _check_header(path)
        if not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if readonly and not memory:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        # Read the file through a memory map: a corridor query at a million chargers touches
        # thousands of pages, and one pread() plus a copy into the 2 MB page cache for each
        # doubled its time. SQLite maps only what the file holds; WAL frames are still read.
        conn.execute("PRAGMA mmap_size = 1073741824")
        db = sqlite_utils.Database(conn)
        tables = db.table_names()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotACacheError(f"{path} is not a usable SQLite database: {exc}") from exc
    if tables and app_id != APPLICATION_ID:
        conn.close()
        raise NotACacheError(f"{path} is an SQLite database but not a charger cache; refusing to touch it")
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        conn.close()
        raise SchemaTooNewError(
            f"{path} has schema version {version}; this module knows up to {SCHEMA_VERSION}. Upgrade the module."
        )
    if readonly:
        if version < SCHEMA_VERSION:
            conn.close()
            raise SchemaTooOldError(
                f"{path} has schema version {version} and needs migrating to {SCHEMA_VERSION}, but was opened"
                " read-only; open it once read-write (e.g. `ivi cache stats --db PATH`)"
            )
        return db
    if not memory:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -32000")  # 32 MB: a bulk import spills pages at the 2 MB default
    conn.execute("PRAGMA foreign_keys = ON")
    for v in range(version, SCHEMA_VERSION):
        # An explicit BEGIN: Python's sqlite3 would run DDL in autocommit otherwise, and a crash
        # half-way through a migration must leave the previous version intact.
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[v](db)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(v + 1),))
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    return db
