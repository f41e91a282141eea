"""The OTA sync's side of the cache: its position, its writes, its staged snapshot — each a
method that runs in one transaction of the store, so the sync client never touches SQL, the
store's connection or its lock (every statement lives in ``chargers.store``).

The rows are written by :mod:`chargers.store.syncstate`; this is the API the sync client uses::

    ledger = store.sync_ledger()
    version, status_seq, staged = ledger.position()
    ledger.apply_statuses(changes, status_seq=812)
    ledger.begin_snapshot()
    ledger.stage_rows(7, 0, location_rows, tariff_rows)      # as each chunk arrives
    ledger.swap_snapshot(7, chunks=12, status_seq=812)      # when all have
    ledger.set_occupancy_model(OccupancyBlob(3, created_s, data), decoded)   # a checked model
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from chargers.errors import StoreError
from chargers.models import Location, Tariff
from chargers.store import snapshot, syncstate, writer
from chargers.store.occupancy import OccupancyBlob, read_head

if TYPE_CHECKING:
    from chargers.occupancy.model import OccupancyModel
    from chargers.store import ChargerStore

__all__ = ["SyncLedger"]

WAL_CHECKPOINT_PAGES = 16384


class SyncLedger:
    """What the OTA sync client reads and writes in one :class:`ChargerStore`."""

    def __init__(self, store: ChargerStore) -> None:
        self.store = store
        with store.reading() as conn:
            # The sync writes a snapshot's hundreds of megabytes in many short transactions: a
            # checkpoint each 64 MB of WAL instead of each 4 MB halves the commits' cost (fewer
            # fsyncs); readers are not held up by a larger WAL, and it is cut back afterwards.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA journal_size_limit = {WAL_CHECKPOINT_PAGES * 4096}")
        with store.transaction() as conn:
            syncstate.ensure_tables(conn)

    def position(self) -> tuple[int | None, int, tuple[int, frozenset[int]] | None]:
        """(dataset version or None, status sequence, (staged snapshot version, chunk indexes) or None)."""
        with self.store.reading() as conn:
            return syncstate.sync_position(conn)

    def locations_of(self, evse_uids: Sequence[str]) -> list[str]:
        """The ids of the locations these EVSEs belong to."""
        with self.store.reading() as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT l.id FROM evses e JOIN locations l ON l.pk = e.location_pk"
                    " WHERE e.uid IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(evse_uids)),),
                )
            ]

    def apply_statuses(self, changes: Iterable[syncstate.StatusRow], status_seq: int) -> int:
        """EVSE statuses (each only if newer than the cache's) and the new sequence; returns how
        many EVSEs changed."""
        with self.store.transaction() as conn:
            changed = syncstate.set_statuses_if_newer(conn, changes)
            writer.set_meta(conn, sync_status_seq=str(status_seq))
        return changed

    def apply_delta(
        self,
        version: int,
        status_seq: int,
        upsert_locations: Sequence[Location],
        remove_locations: Sequence[str],
        upsert_tariffs: Sequence[Tariff],
        remove_tariffs: Sequence[str],
    ) -> None:
        with self.store.transaction() as conn:
            syncstate.apply_delta(
                conn, version, status_seq, upsert_locations, remove_locations, upsert_tariffs, remove_tariffs
            )

    def begin_snapshot(self) -> None:
        with self.store.transaction() as conn:
            snapshot.begin(conn)

    def stage_rows(self, version: int, index: int, locations: list[Any], tariffs: list[Any]) -> None:
        """One snapshot chunk's checked rows (``sync.protocol.rows``) into the shadow tables."""
        with self.store.transaction() as conn:
            snapshot.stage_rows(conn, version, index, locations, tariffs)

    def swap_snapshot(self, version: int, chunks: int, status_seq: int) -> int:
        """Swap the staged snapshot ``version`` in, in one transaction; returns its locations.
        Raises :class:`StoreError` (and changes nothing) when a chunk is missing, and
        :class:`~chargers.errors.RecordConflictError` when the chunks do not fit together."""
        with self.store.transaction() as conn:
            staged = snapshot.staged_chunks(conn)
            if staged is None or staged[0] != version or staged[1] != frozenset(range(chunks)):
                have = len(staged[1]) if staged and staged[0] == version else 0
                raise StoreError(f"snapshot {version}: {have} of {chunks} chunks staged")
            n = snapshot.swap_in(conn)
            syncstate.position(conn, version, status_seq)
            return n

    def occupancy_head(self) -> tuple[int, str] | None:
        """(version, sha256) of the occupancy model the cache holds, or None."""
        with self.store.reading() as conn:
            return read_head(conn)

    def set_occupancy_model(self, blob: OccupancyBlob, decoded: OccupancyModel | None = None) -> bool:
        """Keep a verified model (see :meth:`ChargerStore.set_occupancy_model`); whether it was written."""
        return self.store.set_occupancy_model(blob, decoded)

    def dump_rows(self) -> dict[str, list[tuple[object, ...]]]:
        """Every row that describes the dataset, in a stable order (to compare two caches)."""
        with self.store.reading() as conn:
            return syncstate.dump_rows(conn)
