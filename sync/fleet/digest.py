"""A car's cache as a digest of its rows, and the publisher's digest to compare it with.

Writing a full SQLite cache costs ~0.4 s of CPU per car at scale 1, so a 2-core machine cannot
give 1,000 cars one each within a minute. Most simulated cars therefore keep a
:class:`DigestCache`: what a SQLite cache would hold, as references to the (shared, read-only)
snapshot rows and delta locations the car verified, plus the car's own EVSE statuses, and a
digest of those rows that equals :func:`publisher_digest` exactly when the car holds what the
publisher published. A sample of cars writes real SQLite caches (``sync.client.CacheApplier``),
checked with :func:`cache_digest` against :func:`reference_cache_digest`.

The digest is a multiset hash (the sum of each row's 128-bit BLAKE2b, mod 2**128): a
location's row without its EVSE statuses, each EVSE's ``(uid, status, last_updated)``, each
tariff's row. Sums let a car's digest be the shared snapshot's (computed once per chunk) plus
what its deltas and statuses change, so checking 1,000 cars costs milliseconds, not minutes. An
EVSE's status is the newest by ``last_updated`` of everything the car applied, the rule of the
SQLite cache and of the publisher.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from chargers.store import ChargerStore
from sync.protocol.actions import ApplyDelta, ApplyStatuses, BeginSnapshot, CommitSnapshot, StageChunk
from sync.protocol.changes import newer
from sync.protocol.operator import Operator
from sync.protocol.rows import ChunkRows, location_row, tariff_row

__all__ = ["ChunkSums", "DigestCache", "cache_digest", "publisher_digest", "reference_cache_digest"]

MOD = 1 << 128
Status = tuple[str, str]  # (status, last_updated)


def _h(*parts: Any) -> int:
    return int.from_bytes(hashlib.blake2b(orjson.dumps(parts), digest_size=16).digest(), "big")


def _location_part(row: list[Any]) -> tuple[int, list[tuple[str, Status]]]:
    """(hash of the row without EVSE statuses, [(uid, (status, last_updated))])."""
    evses = row[17]
    bare = [*row[:17], [[e[0], e[1], e[4]] for e in evses], *row[18:]]
    return _h("L", bare), [(e[0], (e[2], e[3])) for e in evses]


def _status_hash(uid: str, st: Status) -> int:
    return _h("E", uid, st[0], st[1])


class ChunkSums:
    """What one snapshot chunk adds to a digest, computed once and shared by every car."""

    def __init__(self, rows: ChunkRows) -> None:
        self.locations: dict[str, tuple[int, list[tuple[str, Status]]]] = {}
        total = 0
        for r in rows.locations:
            h, evses = _location_part(r)
            self.locations[r[0]] = (h, evses)
            total += h + sum(_status_hash(u, st) for u, st in evses)
        self.tariffs = {t[0]: _h("T", t) for t in rows.tariffs}
        self.total = (total + sum(self.tariffs.values())) % MOD


_SUMS: dict[int, tuple[ChunkRows, ChunkSums]] = {}


def _sums(rows: ChunkRows) -> ChunkSums:
    hit = _SUMS.get(id(rows))
    if hit is not None and hit[0] is rows:
        return hit[1]
    if len(_SUMS) > 256:
        _SUMS.clear()
    s = ChunkSums(rows)
    _SUMS[id(rows)] = (rows, s)
    return s


_DELTA_PARTS: dict[int, tuple[Any, tuple[int, list[tuple[str, Status]]]]] = {}


def _delta_part(loc: Any) -> tuple[int, list[tuple[str, Status]]]:
    hit = _DELTA_PARTS.get(id(loc))
    if hit is not None and hit[0] is loc:
        return hit[1]
    if len(_DELTA_PARTS) > 100_000:
        _DELTA_PARTS.clear()
    part = _location_part(orjson.loads(orjson.dumps(location_row(loc))))
    _DELTA_PARTS[id(loc)] = (loc, part)
    return part


class DigestCache:
    """A car's cache without SQLite: the snapshot it swapped in (shared chunk rows), the
    locations and tariffs its deltas changed, its EVSE statuses, and its sync position. It takes
    the same actions as :class:`~sync.client.CacheApplier` (``apply``) and never fails a write."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.status_seq = 0
        self._base: list[ChunkSums] = []
        self._stage: dict[int, ChunkSums] = {}
        self._stage_version: int | None = None
        self._locations: dict[str, tuple[int, list[tuple[str, Status]]] | None] = {}  # delta overlay
        self._tariffs: dict[str, int | None] = {}
        self._statuses: dict[str, Status] = {}  # newer than the rows' own, from status batches

    def position(self) -> tuple[int | None, int, tuple[int, frozenset[int]] | None]:
        staged = (self._stage_version, frozenset(self._stage)) if self._stage_version is not None else None
        return self.version, self.status_seq, staged

    def apply(self, action: object) -> bool:
        if isinstance(action, StageChunk):
            if self._stage_version != action.version:
                self._stage, self._stage_version = {}, action.version
            self._stage[action.index] = _sums(action.rows)
        elif isinstance(action, BeginSnapshot):
            self._stage, self._stage_version = {}, action.version
        elif isinstance(action, CommitSnapshot):
            self._base = [self._stage[i] for i in range(action.chunks)]
            self._stage, self._stage_version = {}, None
            self._locations, self._tariffs = {}, {}
            self.version, self.status_seq = action.version, action.status_seq
        elif isinstance(action, ApplyDelta):
            d = action.delta
            for lid in d.remove_locations:
                self._locations[lid] = None
            for tid in d.remove_tariffs:
                self._tariffs[tid] = None
            for loc in d.upsert_locations:
                self._locations[loc.id] = _delta_part(loc)
            for t in d.upsert_tariffs:
                self._tariffs[t.id] = _h("T", orjson.loads(orjson.dumps(tariff_row(t))))
            self.version, self.status_seq = d.version, action.status_seq
        elif isinstance(action, ApplyStatuses):
            for uid, status, last_updated in action.changes:
                old = self._statuses.get(uid)
                if old is None or newer(last_updated, old[1]):
                    self._statuses[uid] = (status, last_updated)
            self.status_seq = action.status_seq
        else:
            return False
        return True

    def _status(self, uid: str, own: Status) -> Status:
        st = self._statuses.get(uid)
        return st if st is not None and newer(st[1], own[1]) else own

    def digest(self) -> str:
        """The multiset hash of the rows this cache holds (hex)."""
        base = _index(self._base)
        total = base.total
        # locations the deltas replaced or removed: out with the base row, in with the new one
        for lid, part in self._locations.items():
            old = base.locations.get(lid)
            if old is not None:
                total -= old[0] + sum(_status_hash(u, st) for u, st in old[1])
            if part is not None:
                total += part[0] + sum(_status_hash(u, self._status(u, st)) for u, st in part[1])
        for tid, th in self._tariffs.items():
            total += (th or 0) - base.tariffs.get(tid, 0)
        # statuses newer than a base row's (the rows of deltas took theirs above)
        for uid, st in self._statuses.items():
            at = base.uid_location.get(uid)
            if at is None or at in self._locations:
                continue
            own = base.evse_status[uid]
            if newer(st[1], own[1]):
                total += _status_hash(uid, st) - _status_hash(uid, own)
        return f"{total % MOD:032x}"


class _Index:
    """A snapshot's rows by id (shared by the cars that hold the same snapshot)."""

    def __init__(self, base: list[ChunkSums]) -> None:
        self.base = base  # keeps the ids below alive
        self.total = sum(c.total for c in base)
        self.locations: dict[str, tuple[int, list[tuple[str, Status]]]] = {}
        self.tariffs: dict[str, int] = {}
        for c in base:
            self.locations.update(c.locations)
            self.tariffs.update(c.tariffs)
        self.uid_location = {u: lid for lid, (_, evses) in self.locations.items() for u, _ in evses}
        self.evse_status = {u: st for _, evses in self.locations.values() for u, st in evses}


_INDEXES: dict[tuple[int, ...], _Index] = {}


def _index(base: list[ChunkSums]) -> _Index:
    key = tuple(id(c) for c in base)
    hit = _INDEXES.get(key)
    if hit is not None and all(a is b for a, b in zip(hit.base, base, strict=True)):
        return hit
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[key] = idx = _Index(list(base))
    return idx


def publisher_digest(op: Operator) -> str:
    """The digest of what ``op`` has published (statuses included): what every car must reach."""
    total = 0
    for loc in op.effective_locations().values():
        h, evses = _location_part(orjson.loads(orjson.dumps(location_row(loc))))
        total += h + sum(_status_hash(u, st) for u, st in evses)
    total += sum(_h("T", orjson.loads(orjson.dumps(tariff_row(t)))) for t in op.state.tariffs.values())
    return f"{total % MOD:032x}"


def cache_digest(store: ChargerStore) -> str:
    """SHA-256 of a SQLite cache's rows (``dump_rows``): equal caches, equal digests."""
    return hashlib.sha256(orjson.dumps(store.sync_ledger().dump_rows())).hexdigest()


def reference_cache_digest(op: Operator) -> str:
    """:func:`cache_digest` of a cache holding exactly what ``op`` has published."""
    ref = ChargerStore.open(":memory:", seed=False)
    try:
        ref.upsert(list(op.effective_locations().values()), list(op.state.tariffs.values()))
        return cache_digest(ref)
    finally:
        ref.close()
