"""The compact snapshot rows: the car's structural check refuses every malformed row with a
reason (even in a chunk the operator signed), and the bulk swap stores exactly the rows the
delta path stores."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace

import orjson
import pytest

from chargers.errors import RecordConflictError
from chargers.store import ChargerStore, snapshot
from chargers.store.syncstate import dump_rows
from sync.client import CacheApplier
from sync.protocol.bodies import Topics
from sync.protocol.messages import Header, Rejected, decode, encode_raw
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
    "weekday out of range": _set(["tariffs", 0, 4, 0, 4], [0, 8]),
    "carriageway a string": _set(["locations", 0, 18], "north"),
    "carriageway out of range": _set(["locations", 0, 18], 360.0),
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
    # The same snapshot again, over the full cache: staged beside it, then swapped in.
    fresh = CacheApplier(car.store, SIGNER.verifier)
    fresh.apply(BeginSnapshot(1, len(op.state.chunk_sha256)))
    chunks = [m for m in op._snapshot() if m.payload]
    for i, m in enumerate(chunks):
        fresh.apply(StageChunk(1, i, check_chunk(decode(m.payload, SIGNER.verifier, "cn-partners").body)))
    fresh.apply(CommitSnapshot(1, len(chunks), car.sync.status_seq))
    row = car.store.conn.execute("SELECT status, last_updated FROM evses WHERE uid = ?", (e.uid,)).fetchone()
    assert row == newer
    ref = ChargerStore.open(":memory:", seed=False)
    ref.upsert(LOCS, TARIFFS)
    ref.set_evse_statuses([(e.uid, *newer)])
    assert dump_rows(car.store.conn) == dump_rows(ref.conn)


def test_readers_see_the_old_set_during_the_swap_and_the_new_set_after(tmp_path) -> None:
    """The snapshot is staged beside the live tables and swapped in in one transaction: a second
    connection (the UI) reads the whole old dataset while chunks are staged and while the swap
    is under way, and the whole new one after the commit, never a mix."""
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
    ledger = store.sync_ledger()
    ledger.begin_snapshot()
    seen = []
    for i, r in enumerate(rows):
        ledger.stage_rows(2, i, r.locations, r.tariffs)
        seen.append(reader.stats()["locations"])
    assert len(seen) == len(rows) > 1 and set(seen) == {len(LOCS)}
    with store.transaction() as conn:
        snapshot.swap_in(conn)
        assert reader.stats()["locations"] == len(LOCS)  # the swap is not committed yet
        assert reader.near((31.2, 121.5), 3)  # and the old indexes still answer
    assert reader.stats()["locations"] == len(new)
    assert store.stats()["locations"] == len(new)
    ref = ChargerStore.open(":memory:", seed=False)
    ref.upsert(new, TARIFFS)
    assert dump_rows(store.conn) == dump_rows(ref.conn)
    assert reader.search(new[0].name[:4]) and reader.near((new[0].lat, new[0].lon), 1)[0].station.id == new[0].id
    reader.close()
    store.close()


def test_chunks_that_do_not_fit_together_fail_the_swap_and_change_nothing(tmp_path) -> None:
    """An id in two chunks (only an operator's bug can do it): the swap fails with a
    RecordConflictError and the cache keeps the dataset it had."""
    store = ChargerStore.open(tmp_path / "car.db", seed=False)
    store.upsert(LOCS[:5], TARIFFS)
    before = dump_rows(store.conn)
    ledger = store.sync_ledger()
    ledger.begin_snapshot()
    for i in range(2):  # the same locations in chunk 0 and chunk 1
        r = check_chunk(orjson.loads(chunk_body([location_json(loc) for loc in LOCS[5:9]], TARIFFS if i == 0 else [])))
        ledger.stage_rows(3, i, r.locations, r.tariffs)
    with pytest.raises(RecordConflictError, match="UNIQUE"):
        ledger.swap_snapshot(3, 2, 0)
    assert dump_rows(store.conn) == before
    assert store.near((LOCS[0].lat, LOCS[0].lon), 1)
    store.close()


def test_a_signed_snapshot_whose_chunks_clash_is_refused_once_and_the_next_version_heals() -> None:
    """Chunk 1 repeats a location of chunk 0 (signed and listed by the manifest: an operator's
    bug). Each chunk passes its own check; the swap fails. The car says why, does not try the
    same version again and again, and takes the next version when it comes."""
    op = _operator()
    op.publish_dataset(LOCS[:30], TARIFFS, now=1000)
    dup = [location_json(loc) for loc in LOCS[:20]], [location_json(loc) for loc in LOCS[10:30]]
    bodies = [chunk_body(dup[0], TARIFFS), chunk_body(dup[1], [])]
    chunks = [
        encode_raw(Header("cn-partners", "chunk", 1, i, "zstd", 0, i, 2), b, SIGNER) for i, b in enumerate(bodies)
    ]
    op.state.chunk_sha256 = tuple(hashlib.sha256(c).hexdigest() for c in chunks)
    manifest = op.manifest(1000)
    car = Car(op)
    car.retained = {Topics().chunk(i): c for i, c in enumerate(chunks)}
    car.deliver(manifest.topic, manifest.payload, retained=True)
    assert [r.reason for r in car.applier.rejections] == ["does not fit the cache"]
    s = car.sync.status()
    assert s.state == "error" and "version 1 does not fit the cache" in s.detail
    assert car.store.stats()["locations"] == 0
    car.wait(30)  # no second attempt at version 1
    assert [r.reason for r in car.applier.rejections] == ["does not fit the cache"]
    op.state.chunk_sha256 = ()
    car.feed(op.publish_dataset(LOCS[:25], TARIFFS, now=1100))  # version 2, cut properly
    car.wait(1)
    assert car.sync.synced and car.sync.version == 2


def test_a_snapshot_carries_the_carriageway_and_a_tariffs_weekdays() -> None:
    """rows/2: what the planner needs of a station (which carriageway a service area serves) and of
    a tariff (the weekdays a window applies on) reach a car by snapshot as they do by delta."""
    served = next(loc for loc in LOCS if loc.carriageway_bearing_deg is not None)
    weekend = replace(TARIFFS[0], windows=tuple(replace(w, days=(6, 7)) for w in TARIFFS[0].windows))
    tariffs = [weekend, *TARIFFS[1:]]
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, tariffs, now=1000))
    ref = ChargerStore.open(":memory:", seed=False)
    ref.upsert(LOCS, tariffs)
    assert dump_rows(car.store.conn) == dump_rows(ref.conn)
    row = car.store.conn.execute("SELECT carriageway_bearing_deg FROM locations WHERE id = ?", (served.id,))
    assert row.fetchone()[0] == served.carriageway_bearing_deg
    assert car.store.tariff(weekend.id).windows[0].days == (6, 7)


def test_a_rows_1_chunk_of_an_older_publisher_is_still_read() -> None:
    body = _body()
    body["format"] = "rows/1"
    for row in body["locations"]:
        row.pop()  # no carriageway
    for t in body["tariffs"]:
        for w in t[4]:
            w.pop()  # no weekdays
    rows = check_chunk(body)
    assert len(rows.locations) == 3
    body["locations"][0].append(90.0)  # a rows/2 field in a rows/1 chunk is a malformed row
    with pytest.raises(Rejected):
        check_chunk(body)
