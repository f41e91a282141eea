"""The car's sync protocol on messages validly signed with a test key: mutations reach body parsing and the cache.

An input is a JSON list of messages ``{"kind", "v", "seq", "part", "parts", "comp", "body"}`` (an input that is not
such a list is one delta whose body is the input's bytes). Each message is signed with the harness's key, delivered on
its kind's topic (or ``"topic": i`` of :data:`TOPICS`) to a ``VehicleSync`` whose cache holds version 1, and the
actions are carried out on a real ``ChargerStore`` the way ``VehicleClient`` does. A manifest whose ``chunk_sha256``
is ``"auto"`` lists the input's chunks. Then the cache is read back through the store's public API.

Contract: ``receive`` never raises and never answers ``internal error``; every rejection has a reason and is counted;
a cache write either succeeds or raises the store's own error (``chargers.errors.StoreError``, changing nothing);
whatever the cache then holds reads back (``store.all_locations()``, ``store.tariff()``) as valid records.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from chargers.errors import RecordConflictError, StoreError
from chargers.ocpi import location_to_ocpi, parse_location, parse_tariff
from chargers.store import ChargerStore
from fuzz.harness import Finding, Harness, expect
from fuzz.mutators import mutate_json
from fuzz.oracles import check_location, check_tariff
from fuzz.seeds import feed_records, feed_tariffs
from sync.client import CacheApplier
from sync.protocol.actions import CACHE_WRITES, ApplyDelta, ApplyStatuses, CommitSnapshot, Reject, StageChunk
from sync.protocol.bodies import Delta, Topics
from sync.protocol.messages import Header, encode_raw
from sync.protocol.rows import chunk_body, location_json
from sync.signing import generate_signer

__all__ = ["HARNESS", "TOPICS"]

_T = Topics()
TOPICS = (_T.manifest, _T.head, _T.delta, _T.status, _T.chunk(0), Topics.response("car"))
_TOPIC_OF = {"manifest": 0, "head": 1, "delta": 2, "status": 3, "chunk": 4, "catchup": 5, "nack": 5}
_SIGNER = generate_signer()
NOW = 1_800_000_000.0


@functools.cache
def _template() -> sqlite3.Connection:
    """A cache at version 1 holding the seed records (copied for every input)."""
    store = ChargerStore.open(":memory:", seed=False)
    locations = [parse_location(r) for r in feed_records()]
    tariffs = [parse_tariff(t) for t in feed_tariffs()]
    store.sync_ledger().apply_delta(1, 0, locations, [], tariffs, [])
    return store.conn


def _fresh_store() -> ChargerStore:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    _template().backup(conn)
    return ChargerStore(conn, ":memory:")


def _messages(data: bytes) -> list[dict[str, Any]]:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, list) and doc and all(isinstance(m, dict) for m in doc):
        return doc
    return [{"kind": "delta", "v": 2, "seq": 2, "raw_body": data}]


def _nat(v: Any, default: int) -> int:
    return v if type(v) is int and 0 <= v < 2**63 else default


def _payload(m: dict[str, Any], chunk_shas: list[str] | None) -> tuple[str, bytes]:
    kind = m["kind"] if isinstance(m.get("kind"), str) else "delta"
    body = m.get("body")
    if kind == "manifest" and isinstance(body, dict) and body.get("chunk_sha256") == "auto":
        body = {**body, "chunk_sha256": chunk_shas or []}
    if "raw_body" in m:
        raw = m["raw_body"]
    else:
        try:
            raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=True).encode(
                "utf-8", "surrogatepass"
            )
        except (ValueError, RecursionError):
            raw = b"null"
    comp = m["comp"] if m.get("comp") in ("zstd", "gzip", "none") else "none"
    header = Header("cn-partners", kind, _nat(m.get("v"), 2), _nat(m.get("seq"), 0), comp, 0)
    header = Header(*[*list(header.__dict__.values())[:6], _nat(m.get("part"), 0), _nat(m.get("parts"), 1)])
    topic_index = m.get("topic")
    topic = TOPICS[topic_index % len(TOPICS)] if type(topic_index) is int else TOPICS[_TOPIC_OF.get(kind, 2)]
    if kind == "chunk":
        topic = _T.chunk(header.seq % 1000)
    return topic, encode_raw(header, raw, _SIGNER)


def check(data: bytes) -> None:
    messages = _messages(data)[:8]
    store = _fresh_store()
    applier = CacheApplier(store, _SIGNER.verifier)
    touched = _Touched()
    try:
        _deliver(messages, applier, touched)
    finally:
        applier.close()
    _read_back(store, touched)


@dataclass
class _Touched:
    """What the writes changed, to read it back: location ids (``everything`` after a snapshot swap), tariff ids."""

    locations: set[str] = field(default_factory=set)
    tariffs: set[str] = field(default_factory=set)
    everything: bool = False


def _deliver(messages: list[dict[str, Any]], applier: CacheApplier, touched: _Touched) -> None:
    """Deliver the messages and carry out their actions, noting what changed."""
    sync = applier.new_sync("car")
    sync.connected(NOW)
    chunks = [_payload(m, None) for m in messages if m.get("kind") == "chunk"]
    shas = [hashlib.sha256(p).hexdigest() for _, p in chunks]
    rejected = 0
    for m in messages:
        topic, payload = _payload(m, shas)
        actions = sync.receive(topic, payload, NOW + 1, retained=m.get("kind") == "manifest")
        for a in actions:
            if isinstance(a, Reject):
                rejected += 1
                expect(bool(a.reason), "rejection without a reason")
                if a.reason == "internal error":
                    raise Finding("internal error in receive", a.detail)
            elif isinstance(a, CACHE_WRITES):
                _write(applier, sync, a)
                if isinstance(a, StageChunk):
                    touched.tariffs.update(t[0] for t in a.rows.tariffs)
                elif isinstance(a, CommitSnapshot):
                    touched.everything = True
                elif isinstance(a, ApplyDelta):
                    touched.tariffs.update([t.id for t in a.delta.upsert_tariffs] + list(a.delta.remove_tariffs))
                    touched.locations.update(loc.id for loc in a.delta.upsert_locations)
                    touched.locations.update(a.delta.remove_locations)
                elif isinstance(a, ApplyStatuses):
                    touched.locations.update(applier.locations_of([c[0] for c in a.changes]))
    expect(sum(sync.rejected.values()) >= rejected, "rejection not counted")


def _write(applier: CacheApplier, sync: Any, action: Any) -> None:
    """As VehicleClient does: the write lands, or it raises the store's own error and the sync starts over."""
    try:
        applier.apply(action)
        if isinstance(action, StageChunk):
            applier.drain()
    except StoreError as exc:
        permanent = isinstance(exc, RecordConflictError)
        sync.apply_failed(action, str(exc), permanent=permanent, position=applier.ledger.position(), now=NOW + 2)
        return
    sync.applied()
    if isinstance(action, ApplyDelta):
        for loc in action.delta.upsert_locations:
            check_location(loc)


def _read_back(store: ChargerStore, touched: _Touched) -> None:
    if touched.everything:
        locations = store.all_locations()
    else:
        locations = [loc for loc in map(store.location, sorted(touched.locations)) if loc is not None]
    tariff_ids = touched.tariffs
    for loc in locations:
        check_location(loc)
        tariff_ids.update(t for e in loc.evses for c in e.connectors for t in c.tariff_ids)
    for tid in sorted(tariff_ids):
        tariff = store.tariff(tid)
        if tariff is not None:
            check_tariff(tariff)
    store.stats()


def seeds() -> Iterator[bytes]:
    records = feed_records()
    locations = [parse_location(r) for r in records]
    tariffs = [parse_tariff(t) for t in feed_tariffs()]
    changed = json.loads(json.dumps(records[0]))
    changed["name"] = changed["name"] + " (moved)"
    delta = Delta(2, (parse_location(changed),), (locations[1].id,), (tariffs[0],), ()).to_body()
    uid = locations[0].evses[0].uid
    manifest = {
        "version": 5,
        "chunk_sha256": "auto",
        "locations": len(locations),
        "evses": 1,
        "tariffs": len(tariffs),
        "status_seq": 0,
        "snapshot_status_seq": 0,
        "oldest_delta": 4,
        "published_at": NOW - 10,
        "expires_at": NOW + 3600,
    }
    half = len(locations) // 2
    chunk0 = json.loads(chunk_body([location_json(x) for x in locations[:half]], tariffs))
    chunk1 = json.loads(chunk_body([location_json(x) for x in locations[half:]], []))
    yield json.dumps([{"kind": "delta", "v": 2, "seq": 2, "body": delta}], ensure_ascii=False).encode()
    yield json.dumps(
        [{"kind": "status", "v": 1, "seq": 1, "body": {"changes": [[uid, "CHARGING", "2026-12-01T00:00:00Z"]]}}]
    ).encode()
    yield json.dumps(
        [
            {"kind": "manifest", "v": 5, "seq": 0, "body": manifest},
            {"kind": "chunk", "v": 5, "seq": 0, "part": 0, "parts": 2, "body": chunk0},
            {"kind": "chunk", "v": 5, "seq": 1, "part": 1, "parts": 2, "body": chunk1},
        ],
        ensure_ascii=False,
    ).encode()
    yield json.dumps(
        [
            {
                "kind": "catchup",
                "v": 1,
                "seq": 3,
                "body": {"upto": 3, "changes": [[uid, "AVAILABLE", "2026-12-01T01:00:00Z"]]},
            }
        ]
    ).encode()
    yield json.dumps(
        [{"kind": "head", "v": 1, "seq": 0, "body": {"version": 1, "status_seq": 4, "published_at": NOW}}]
    ).encode()
    yield json.dumps([{"kind": "nack", "v": 1, "seq": 0, "body": {"want": "deltas", "reason": "gone"}}]).encode()
    yield json.dumps(
        [
            {
                "kind": "delta",
                "v": 2,
                "seq": 2,
                "body": {
                    "base": 1,
                    "upsert_locations": [location_to_ocpi(locations[2])],
                    "remove_locations": [],
                    "upsert_tariffs": [],
                    "remove_tariffs": [],
                },
            }
        ],
        ensure_ascii=False,
    ).encode()


HARNESS = Harness(
    name="sync_signed",
    check=check,
    seeds=seeds,
    mutate=mutate_json,
    doc="VehicleSync.receive + the cache writes on validly signed manifests, chunks, deltas, statuses, catch-ups, "
    "nacks and heads: a counted rejection with a reason, or a write that lands (else raises the store's own error "
    "and changes nothing); the cache then reads back as valid records through the store's public API.",
)
