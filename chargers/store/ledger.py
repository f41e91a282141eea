"""The OTA sync's side of the cache: its position, its writes, its staged snapshot — each a
method that runs in one transaction of the store, so the sync client never touches SQL, the
store's connection or its lock (every statement lives in ``chargers.store``).

The rows are written by :mod:`chargers.store.syncstate`; this is the API the sync client uses::

    ledger = store.sync_ledger()
    version, status_seq, staged = ledger.position()
    ledger.apply_statuses(changes, status_seq=812)
    ledger.stage_chunk(7, 0, payload)
    ledger.swap_snapshot(7, chunks=12, status_seq=812, rows_of=decode_chunk)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from chargers.errors import StoreError
from chargers.models import Location, Tariff
from chargers.store import syncstate, writer

if TYPE_CHECKING:
    from chargers.store import ChargerStore

__all__ = ["ChunkRowsFn", "SyncLedger"]

#: ``rows_of(index, payload)`` → one snapshot chunk's checked ``(location rows, tariff rows)``;
#: ``payload()`` reads the staged bytes (only called when the caller has no decoded copy).
ChunkRowsFn = Callable[[int, Callable[[], bytes]], tuple[list[Any], list[Any]]]


class SyncLedger:
    """What the OTA sync client reads and writes in one :class:`ChargerStore`."""

    def __init__(self, store: ChargerStore) -> None:
        self.store = store
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
            syncstate.begin_snapshot(conn)

    def stage_chunk(self, version: int, index: int, payload: bytes) -> None:
        with self.store.transaction() as conn:
            syncstate.stage_chunk(conn, version, index, payload)

    def swap_snapshot(self, version: int, chunks: int, status_seq: int, rows_of: ChunkRowsFn) -> int:
        """Swap the staged snapshot ``version`` in, in one transaction; returns its locations.
        Raises :class:`StoreError` (and changes nothing) when a chunk is missing."""
        with self.store.transaction() as conn:
            staged = syncstate.staged_indexes(conn, version)
            if staged != list(range(chunks)):
                raise StoreError(f"snapshot {version}: {len(staged)} of {chunks} chunks staged")

            def rows() -> Iterator[tuple[list[Any], list[Any]]]:
                for i in staged:
                    yield rows_of(i, functools.partial(syncstate.staged_payload, conn, version, i))

            return syncstate.replace_all(conn, rows(), version, status_seq)

    def dump_rows(self) -> dict[str, list[tuple[object, ...]]]:
        """Every row that describes the dataset, in a stable order (to compare two caches)."""
        with self.store.reading() as conn:
            return syncstate.dump_rows(conn)
