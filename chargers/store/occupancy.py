"""The cache's copy of the occupancy model: one blob, its version and hash, decoded once per store.

The OTA sync hands the car the model as checked bytes (``chargers.occupancy.encode_model``); the
cache keeps exactly one — the newest — in ``occupancy_model`` (a single row, written in one
transaction, so a reader sees the old model or the new one, never a mix). The planner asks
:meth:`ModelCache.get` for the decoded :class:`OccupancyModel` many times a second: it is
decoded once (0.35 s at scale 1) and kept while the row's version and hash are unchanged — a
cheap lookup that also notices a model written by another process (the sync client).

A blob that does not decode, or whose bytes no longer match their hash (a damaged file), gives
``None`` — the planner falls back to its plain rules — with the reason logged once and counted
(:attr:`ModelCache.refused`); it never raises into the planner.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from chargers.errors import OccupancyModelError
from chargers.occupancy.encoding import decode_model
from chargers.occupancy.model import OccupancyModel

__all__ = [
    "DDL",
    "ModelCache",
    "OccupancyBlob",
    "evse_statuses",
    "read_blob",
    "read_head",
    "sha256_hex",
    "write_blob",
]

log = logging.getLogger(__name__)

#: One row (id = 1): the current model. ``created_s`` is when the operator learned it (UTC epoch
#: seconds, from the publisher), ``sha256`` the hex digest of ``data``.
DDL = """CREATE TABLE IF NOT EXISTS occupancy_model (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    created_s INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL
)"""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class OccupancyBlob:
    """The model as the sync delivers it: its dataset version, when it was learned, its bytes."""

    version: int
    created_s: int
    data: bytes
    sha256: str = ""  # filled in from ``data`` when empty

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", sha256_hex(self.data))

    @property
    def size_bytes(self) -> int:
        return len(self.data)


def read_head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """(version, sha256) of the cached model, or None: the cheap check before using a decoded copy."""
    row = conn.execute("SELECT version, sha256 FROM occupancy_model WHERE id = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def read_blob(conn: sqlite3.Connection) -> OccupancyBlob | None:
    row = conn.execute("SELECT version, created_s, sha256, data FROM occupancy_model WHERE id = 1").fetchone()
    if not row:
        return None
    return OccupancyBlob(int(row[0]), int(row[1]), bytes(row[3]), str(row[2]))


def write_blob(conn: sqlite3.Connection, blob: OccupancyBlob) -> bool:
    """Write ``blob`` inside the caller's transaction unless the cache holds a newer version
    (the same rule as statuses: the newer wins; a replay changes nothing). Returns whether it was written."""
    head = read_head(conn)
    if head is not None and (head[0] > blob.version or head == (blob.version, blob.sha256)):
        return False
    conn.execute(
        "INSERT OR REPLACE INTO occupancy_model(id, version, created_s, sha256, data) VALUES (1, ?, ?, ?, ?)",
        (blob.version, blob.created_s, blob.sha256, blob.data),
    )
    return True


class ModelCache:
    """The decoded model of one store, kept while its row is unchanged. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, str] | None = None
        self._model: OccupancyModel | None = None
        #: Models refused when read (corrupt bytes or a hash mismatch), and the last reason.
        self.refused = 0
        self.last_error: str | None = None

    def prime(self, blob: OccupancyBlob, model: OccupancyModel) -> None:
        """Keep ``model`` (already decoded from ``blob`` by the writer) so it is not decoded again."""
        with self._lock:
            self._key, self._model, self.last_error = (blob.version, blob.sha256), model, None

    def get(self, conn: sqlite3.Connection) -> OccupancyModel | None:
        """The model in ``conn``'s cache, decoding it only when it changed; None when there is none
        or it is refused (then the reason is in :attr:`last_error`)."""
        head = read_head(conn)
        with self._lock:
            if head is None:
                self._key, self._model = None, None
                return None
            if head == self._key:
                return self._model
        blob = read_blob(conn)
        if blob is None:  # removed between the two reads
            return None
        model, error = _decode(blob)
        with self._lock:
            self._key, self._model, self.last_error = (blob.version, blob.sha256), model, error
            if error is not None:
                self.refused += 1
                log.warning("occupancy model %d refused: %s", blob.version, error)
        return model


def _decode(blob: OccupancyBlob) -> tuple[OccupancyModel | None, str | None]:
    actual = sha256_hex(blob.data)
    if actual != blob.sha256:
        return None, f"hash mismatch: the cache says {blob.sha256[:12]}…, the bytes are {actual[:12]}…"
    # Decoding makes ~30,000 tuples at scale 1; with the cyclic collector running in a process that
    # holds a big heap (the screen's) that took 60 % longer (1.85 s against 1.15 s, measured). The
    # model has no cycles: nothing for the collector to find, and it runs again right after.
    paused = gc.isenabled()
    gc.disable()
    try:
        return decode_model(blob.data), None
    except OccupancyModelError as exc:
        return None, str(exc)
    except Exception as exc:  # a bug of the decoder must not reach the planner either
        log.exception("decoding occupancy model %d failed", blob.version)
        return None, f"unreadable ({type(exc).__name__}: {exc})"[:200]
    finally:
        if paused:
            gc.enable()


def evse_statuses(conn: sqlite3.Connection, location_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Per location id, its EVSEs' ``(uid, status, last_updated)`` sorted by uid: the order of
    the model's per-EVSE records (``StationInfo.evse_uids``), and what ``LiveStatus.from_evses`` reads."""
    out: dict[str, list[tuple[str, str, str]]] = {lid: [] for lid in location_ids}
    for lid, uid, status, updated in conn.execute(
        "SELECT l.id, e.uid, e.status, coalesce(e.last_updated, '') FROM evses e JOIN locations l"
        " ON l.pk = e.location_pk WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id, e.uid",
        (json.dumps(list(location_ids)),),
    ):
        out[lid].append((uid, status, updated))
    return out
