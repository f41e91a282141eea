"""The compact snapshot rows: the car's structural check refuses every malformed row with a
reason (even in a chunk the operator signed), and the bulk swap stores exactly the rows the
delta path stores."""

from __future__ import annotations

import copy
import hashlib

import orjson
import pytest

from chargers.store import ChargerStore, syncstate
from chargers.store.syncstate import dump_rows
from sync.client import CacheApplier
from sync.protocol.messages import Header, Rejected, encode_raw
from sync.protocol.rows import check_chunk, chunk_body, location_json
from sync.protocol.vehicle import ApplyStatuses, BeginSnapshot, CommitSnapshot, Reject, StageChunk
from tests.sync.test_sync_protocol import LOCS, SIGNER, TARIFFS, Car, _operator


def _body() -> dict:
    return orjson.loads(chunk_body([location_json(loc) for loc in LOCS[:3]], TARIFFS))


def _set(path, value):
    def mutate(b: dict) -> None:
        target = b
        for k in path[:-1]:
            target = target[k]
        target[path[-1]] = value

    return mutate


MUTATIONS = {
    "wrong format": _set(["format"], "ocpi"),
    "locations not a list": _set(["locations"], {}),
    "short location row": lambda b: b["locations"][0].pop(),
    "id not a string": _set(["locations", 0, 0], 17),
    "empty id": _set(["locations", 0, 0], ""),
    "repeated id": lambda b: b["locations"].append(copy.deepcopy(b["locations"][0])),
    "latitude out of range": _set(["locations", 0, 8], 91.5),
    "longitude a string": _set(["locations", 0, 9], "121.4"),
    "hours not JSON": _set(["locations", 0, 11], "[[1, "),
    "facilities not a list": _set(["locations", 0, 15], '{"a": 1}'),
    "twentyfourseven a boolean": _set(["locations", 0, 10], True),
    "evses not a list": _set(["locations", 0, 17], "none"),
    "unknown status": _set(["locations", 0, 17, 0, 2], "BROKEN"),
    "repeated EVSE uid": lambda b: b["locations"][1][17].append(copy.deepcopy(b["locations"][0][17][0])),
    "connector power a float": _set(["locations", 0, 17, 0, 4, 0, 6], 120000.5),
    "unknown standard": _set(["locations", 0, 17, 0, 4, 0, 1], "SCHUKO"),
    "negative voltage": _set(["locations", 0, 17, 0, 4, 0, 4], -400),
    "tariff window short": lambda b: b["tariffs"][0][4][0].pop(),
}


def test_a_valid_chunk_passes() -> None:
    rows = check_chunk(_body())
    assert len(rows.locations) == 3 and len(rows.tariffs) == len(TARIFFS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_malformed_row_is_refused_with_a_reason(name: str) -> None:
    body = _body()
    MUTATIONS[name](body)
    with pytest.raises(Rejected) as exc:
        check_chunk(body)
    assert exc.value.reason == "malformed body" and exc.value.detail.startswith("chunk: ")


def test_a_signed_but_malformed_chunk_is_rejected_on_arrival_and_not_staged() -> None:
    op = _operator()
    msgs = op.publish_dataset(LOCS, TARIFFS, now=1000)
    chunk0 = next(m for m in msgs if m.topic.endswith("/snapshot/0"))
    # A chunk 0 with one unknown EVSE status, signed with the operator key and listed in the
    # signed manifest: only the structural check stands between it and the cache.
    body = orjson.loads(chunk_body([location_json(loc) for loc in LOCS[:1]], []))
    body["locations"][0][17][0][2] = "BROKEN"
    parts = len(op.state.chunk_sha256)
    bad = encode_raw(Header("cn-partners", "chunk", 1, 0, "zstd", 0, 0, parts), orjson.dumps(body), SIGNER)
    op.state.chunk_sha256 = (hashlib.sha256(bad).hexdigest(), *op.state.chunk_sha256[1:])
    manifest = op.manifest(1000)
    car = Car(op)
    actions = car.sync.receive(manifest.topic, manifest.payload, car.now)
    car.run(actions)
    out = car.sync.receive(chunk0.topic, bad, car.now)
    assert [a.reason for a in out if isinstance(a, Reject)] == ["malformed body"]
    assert not any(isinstance(a, StageChunk) for a in out)
    assert "BROKEN" in next(a.detail for a in out if isinstance(a, Reject))
    assert car.store.conn.execute("SELECT count(*) FROM sync_shadow").fetchone()[0] == 0


def test_snapshot_over_a_full_cache_keeps_newer_statuses_and_equals_the_delta_path() -> None:
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    e = LOCS[2].evses[0]
    newer = ("OUTOFORDER" if e.status != "OUTOFORDER" else "AVAILABLE", "2099-01-01T00:00:00Z")
    car.applier.apply(ApplyStatuses(((e.uid, *newer),), car.sync.status_seq))
    # A fresh applier (no chunks prepared in memory: they are decoded again from the shadow).
    fresh = CacheApplier(car.store, SIGNER.verifier)
    fresh.apply(BeginSnapshot(1, len(op.state.chunk_sha256)))
    chunks = [m for m in op._snapshot() if m.payload]
    for i, m in enumerate(chunks):
        fresh.apply(StageChunk(1, i, m.payload))
    fresh.apply(CommitSnapshot(1, len(chunks), car.sync.status_seq))
    row = car.store.conn.execute("SELECT status, last_updated FROM evses WHERE uid = ?", (e.uid,)).fetchone()
    assert row == newer
    ref = ChargerStore.open(":memory:", seed=False)
    ref.upsert(LOCS, TARIFFS)
    ref.set_evse_statuses([(e.uid, *newer)])
    assert dump_rows(car.store.conn) == dump_rows(ref.conn)


def test_readers_see_the_old_set_during_the_swap_and_the_new_set_after(tmp_path) -> None:
    """The swap is one transaction: a second connection (the UI) reads the whole old dataset
    while rows are going in, and the whole new one after the commit, never a mix."""
    store = ChargerStore.open(tmp_path / "car.db", seed=False)
    store.upsert(LOCS, TARIFFS)
    reader = ChargerStore.open(tmp_path / "car.db", seed=False)
    new = LOCS[: len(LOCS) // 2]
    rows = [
        check_chunk(
            orjson.loads(chunk_body([location_json(loc) for loc in new[i : i + 20]], TARIFFS if i == 0 else []))
        )
        for i in range(0, len(new), 20)
    ]
    seen = []

    def chunks():
        for r in rows:
            yield r.locations, r.tariffs
            seen.append(reader.stats()["locations"])  # between two inserts of the swap

    with store.transaction() as conn:
        syncstate.ensure_tables(conn)
        syncstate.replace_all(conn, chunks(), 2, 0)
        assert len(seen) == len(rows) > 1 and set(seen) == {len(LOCS)}
    assert reader.stats()["locations"] == len(new)
    reader.close()
    store.close()
