"""The cache's occupancy model on real SQLite files: kept newest-wins in one row, decoded once,
noticed when another connection writes a new one, refused (None, counted) when damaged, and
carried through the migration from schema version 3."""

import dataclasses
import sqlite3

import pytest

from chargers.occupancy import catalog, decode_model, encode_model
from chargers.store import ChargerStore, OccupancyBlob
from chargers.store.schema import SCHEMA_VERSION
from tests.chargers.test_occupancy_encoding import small_model


@pytest.fixture(scope="module")
def blob() -> bytes:
    return encode_model(small_model())


@pytest.fixture
def cache(tmp_path, small_feeds):  # type: ignore[no-untyped-def]
    path = tmp_path / "chargers.db"
    with ChargerStore.open(path, seed=False) as store:
        store.import_feeds([small_feeds])
    return path


def test_no_model_is_none_and_not_a_refusal(cache) -> None:
    with ChargerStore.open(cache) as store:
        assert store.occupancy_model() is None
        assert store.occupancy_model_blob() is None
        assert store.occupancy_model_refusals() == (0, None)


def test_a_model_is_kept_decoded_once_and_seen_by_other_connections(cache, blob) -> None:
    with ChargerStore.open(cache) as writer, ChargerStore.open(cache, readonly=True) as reader:
        assert writer.set_occupancy_model(OccupancyBlob(3, 1_790_000_000, blob))
        model = reader.occupancy_model()
        assert model is not None and encode_model(model) == blob
        assert reader.occupancy_model() is model  # decoded once, kept
        stored = reader.occupancy_model_blob()
        assert stored is not None and (stored.version, stored.created_s, stored.data) == (3, 1_790_000_000, blob)
        # A newer model written through another connection replaces the kept one.
        newer = dataclasses.replace(decode_model(blob), created_s=model.created_s + 1)
        newer_blob = encode_model(newer)
        assert newer_blob != blob
        assert writer.set_occupancy_model(OccupancyBlob(4, 1_790_000_100, newer_blob), decoded=newer)
        assert writer.occupancy_model() is newer  # the writer's decoded copy is primed, not decoded again
        again = reader.occupancy_model()
        assert again is not model and again is not None and again.created_s == model.created_s + 1


def test_an_older_or_replayed_model_changes_nothing(cache, blob) -> None:
    with ChargerStore.open(cache) as store:
        assert store.set_occupancy_model(OccupancyBlob(5, 1, blob))
        assert not store.set_occupancy_model(OccupancyBlob(5, 1, blob))  # a replay
        assert not store.set_occupancy_model(OccupancyBlob(4, 2, b"older"))
        got = store.occupancy_model_blob()
        assert got is not None and (got.version, got.data) == (5, blob)


def test_damaged_bytes_give_none_with_the_reason_counted_once(cache, blob) -> None:
    with ChargerStore.open(cache) as store:
        store.set_occupancy_model(OccupancyBlob(1, 1, blob))
        damaged = bytearray(blob)
        damaged[len(blob) // 2] ^= 0xFF
        with store.transaction() as conn:  # the file damaged under the cache: the hash no longer matches
            conn.execute("UPDATE occupancy_model SET data = ?", (bytes(damaged),))
    with ChargerStore.open(cache) as store:
        assert store.occupancy_model() is None
        assert store.occupancy_model() is None
        refused, reason = store.occupancy_model_refusals()
        assert refused == 1 and reason is not None and "hash mismatch" in reason
        # Bytes whose hash matches but which do not decode (written without being checked).
        assert store.set_occupancy_model(OccupancyBlob(2, 1, bytes(damaged)))
        assert store.occupancy_model() is None
        refused, reason = store.occupancy_model_refusals()
        assert refused == 2 and reason is not None and "checksum mismatch" in reason
        # A good model afterwards is used, and the reason is cleared.
        store.set_occupancy_model(OccupancyBlob(3, 1, blob))
        assert store.occupancy_model() is not None
        assert store.occupancy_model_refusals() == (2, None)


def test_evse_statuses_follow_the_models_evse_order(cache) -> None:
    with ChargerStore.open(cache) as store:
        locations = store.all_locations()
        ids = [loc.id for loc in locations[:50]]
        statuses = store.evse_statuses([*ids, "nowhere"])
        assert statuses["nowhere"] == []
        infos = catalog(locations[:50])
        for loc in locations[:50]:
            uids = [u for u, _, _ in statuses[loc.id]]
            assert uids == sorted(uids) == [e.uid for e in loc.evses]
            assert tuple(u for u, s, _ in statuses[loc.id] if s != "REMOVED") == infos[loc.id].evse_uids
        assert any(len(v) > 1 for v in statuses.values())


def test_a_version_3_cache_is_migrated_and_keeps_its_chargers(cache, blob) -> None:
    with ChargerStore.open(cache) as store:
        before = store.sync_ledger().dump_rows()
    conn = sqlite3.connect(cache)
    conn.execute("DROP TABLE occupancy_model")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with ChargerStore.open(cache) as store:
        assert store.meta("schema_version") == str(SCHEMA_VERSION) == "4"
        assert store.sync_ledger().dump_rows() == before
        assert store.occupancy_model() is None
        assert store.sync_ledger().set_occupancy_model(OccupancyBlob(1, 1, blob))
        assert store.sync_ledger().occupancy_head() == (1, OccupancyBlob(1, 1, blob).sha256)
        assert store.occupancy_model() is not None


def test_a_decoder_bug_does_not_reach_the_planner(cache, blob, monkeypatch) -> None:
    from chargers.store import occupancy

    def broken(data: bytes) -> None:
        raise IndexError("a bug")

    monkeypatch.setattr(occupancy, "decode_model", broken)
    with ChargerStore.open(cache) as store:
        store.set_occupancy_model(OccupancyBlob(1, 1, blob))
        assert store.occupancy_model() is None
        refused, reason = store.occupancy_model_refusals()
        assert refused == 1 and reason is not None and "IndexError: a bug" in reason
