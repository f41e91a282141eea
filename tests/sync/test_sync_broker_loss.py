"""When the broker loses what it held, or one chunk never comes: the publisher notices and
republishes, new cars converge, and a car waiting for a chunk spends bounded bytes (growing,
jittered waits; only the missing chunk asked for again) and resumes rather than restarts."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.protocol.bodies import Topics
from sync.protocol.pacing import Backoff, Timing
from sync.publisher import Publisher
from sync.transport import MqttTransport
from tests.sync.brokers import Mosquitto
from tests.sync.helpers import assert_same_rows, ivi_sync, wait_for

SYNC_TIMEOUT_S = 30
#: The car's waits, shortened so that a test sees several retries in seconds (same code paths).
FAST = Timing(snapshot_stall_s=0.4, snapshot_retry_cap_s=1.6, request_retry_base_s=0.5, apply_retry_base_s=0.2)


def test_a_broker_replaced_by_an_empty_one_is_filled_again_and_new_cars_converge(broker, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.05, seed=2))
    assert ivi_sync("keygen", "--out", str(tmp_path / "op")).returncode == 0
    publish = ("publish", "--feeds", str(feeds), "--key", str(tmp_path / "op.key"), "--state", str(tmp_path / "st"))
    first = ivi_sync(*publish, "--broker", broker.url, "--json")
    assert first.returncode == 0, first.stderr
    chunks = json.loads(first.stdout)["messages"] - 2  # chunks + manifest + heartbeat
    empty = broker.replaced_by_empty()  # the same address, nothing retained, no sessions
    try:
        follow = ("follow", "--broker", empty.url, "--pubkey", str(tmp_path / "op.pub"), "--until-synced")
        before = ivi_sync(*follow, "--db", str(tmp_path / "early.db"), "--timeout", "2")
        assert before.returncode == 1 and "waiting for the manifest" in before.stderr  # said, not silent
        again = ivi_sync(*publish, "--broker", empty.url, "--json")
        assert again.returncode == 0, again.stderr
        doc = json.loads(again.stdout)
        assert doc["version"] == 1 and doc["messages"] == 0  # nothing new in the feeds …
        assert doc["repaired"]["manifest"] and doc["repaired"]["chunks"] == list(range(chunks))  # … all of it again
        assert "no retained manifest" in doc["repaired"]["found"]
        after = ivi_sync(*follow, "--db", str(tmp_path / "car.db"), "--timeout", "30")
        assert after.returncode == 0, after.stderr
        assert "up to date: version 1" in after.stdout
    finally:
        empty.stop()


def test_a_running_publisher_repairs_a_broker_that_lost_its_chunks(tmp_path: Path, signer, small_feeds) -> None:
    broker = Mosquitto(tmp_path / "b").start()
    pub = Publisher(broker.url, signer).start()
    feed = read_feeds([small_feeds])
    pub.publish_dataset(feed.locations, feed.tariffs)
    car = VehicleClient(ChargerStore.open(tmp_path / "old.db", seed=False), signer.verifier, broker.url, "old-car")
    car.start()
    try:
        assert car.wait_synced(SYNC_TIMEOUT_S)
        broker = broker.replaced_by_empty()  # restarted without persistence: retained messages and sessions gone
        assert wait_for(lambda: pub.transport.connected and pub.transport.connects == 2, SYNC_TIMEOUT_S)
        repair = pub.heartbeat(now=time.time() + 3600)  # the hourly full check
        assert repair.manifest and len(repair.chunks) == len(pub.state.chunk_sha256)
        new = VehicleClient(ChargerStore.open(tmp_path / "new.db", seed=False), signer.verifier, broker.url, "new-car")
        new.start()
        try:
            assert new.wait_synced(SYNC_TIMEOUT_S)
            assert_same_rows(new.applier.store, pub.operator)
        finally:
            new.stop()
        # the car that was there reconnected (its session gone with the broker) and is still up to date
        assert wait_for(lambda: car.settled(lambda s: s.synced), SYNC_TIMEOUT_S)
        assert pub.heartbeat(now=time.time() + 7200).manifest is False  # nothing left to repair
    finally:
        car.stop()
        pub.close()
        broker.stop()


def _stalled_car(tmp_path: Path, url: str, signer, name: str) -> VehicleClient:
    store = ChargerStore.open(tmp_path / f"{name}.db", seed=False)
    return VehicleClient(store, signer.verifier, url, name, timing=FAST)


def test_a_chunk_that_never_arrives_costs_bounded_bytes_then_the_snapshot_resumes(
    broker, tmp_path: Path, signer, small_feeds
) -> None:
    feed = read_feeds([small_feeds])
    state = tmp_path / "state"
    pub = Publisher(broker.url, signer, chunk_raw_bytes=16 * 1024, state_dir=state).start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    n = len(pub.state.chunk_sha256)
    sizes = [len(m.payload) for m in pub.operator.chunks()]
    pub.close()  # the publisher is gone, and so is chunk 5 (e.g. lost before the broker's autosave)
    eraser = MqttTransport(broker.url, "eraser", on_message=lambda m: None, persistent=False)
    eraser.connect()
    eraser.publish(Topics().chunk(5), b"", retain=True, wait_s=5)
    eraser.close()
    car = _stalled_car(tmp_path, broker.url, signer, "car-stall").start()
    try:
        assert wait_for(lambda: car.settled(lambda s: s.report()["chunks"] == [n - 1, n]), SYNC_TIMEOUT_S)
        start_bytes = car.transport.bytes_received
        time.sleep(6)
        spent = car.transport.bytes_received - start_bytes
        tries = car.settled(lambda s: s._snap.retry.failures)  # waits 0.2–0.4, 0.4–0.8, then 0.8–1.6 s
        assert 3 <= tries <= 12, tries
        assert spent < 5_000, spent  # only the missing chunk is asked for, and it is not there
        assert "chunk 5 not received" in car.status.detail
        # the publisher comes back: it finds chunk 5 missing and publishes it; the car completes
        # from where it stood (one chunk more on the wire, not the whole snapshot again)
        before = car.transport.bytes_received
        pub = Publisher(broker.url, signer, chunk_raw_bytes=16 * 1024, state_dir=state).start()  # reconciles
        assert car.wait_synced(SYNC_TIMEOUT_S)
        assert car.transport.bytes_received - before < sizes[5] + 3 * 4096 < sum(sizes) / 2
        assert_same_rows(car.applier.store, pub.operator)
        pub.close()
    finally:
        car.stop()


def test_a_wrong_chunk_is_fetched_again_alone_with_growing_waits(broker, tmp_path: Path, signer, small_feeds) -> None:
    feed = read_feeds([small_feeds])
    old = Publisher(broker.url, signer, chunk_raw_bytes=16 * 1024, dataset="other").start()
    old.publish_dataset(feed.locations[:40], feed.tariffs)
    wrong = old.operator.chunks()[0].payload  # a real chunk, signed, but not the one the manifest names
    old.close()
    pub = Publisher(broker.url, signer, chunk_raw_bytes=16 * 1024).start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    pub.close()
    eraser = MqttTransport(broker.url, "eraser", on_message=lambda m: None, persistent=False)
    eraser.connect()
    eraser.publish(Topics().chunk(3), wrong, retain=True, wait_s=5)
    eraser.close()
    car = _stalled_car(tmp_path, broker.url, signer, "car-wrong").start()
    try:
        assert wait_for(lambda: car.settled(lambda s: s.rejected["wrong dataset"] >= 2), SYNC_TIMEOUT_S)
        start_bytes, start_rejections = car.transport.bytes_received, car.settled(lambda s: s.rejected["wrong dataset"])
        time.sleep(5)
        fetched = car.settled(lambda s: s.rejected["wrong dataset"]) - start_rejections
        spent = car.transport.bytes_received - start_bytes
        assert 2 <= fetched <= 8, fetched  # 5 s at waits of ≥ 0.8 s: a handful, not one per tick
        assert spent <= fetched * len(wrong) + 4096  # each time that one chunk, nothing else
        assert "not received" in car.status.detail
    finally:
        car.stop()


def test_reconnect_waits_grow_with_jitter_and_start_short_after_a_success(tmp_path: Path) -> None:
    broker = Mosquitto(tmp_path / "b").start()
    t = MqttTransport(broker.url, "car-r", on_message=lambda m: None, reconnect=Backoff(0.2, 1.0, rng=random.Random(3)))
    t.connect()
    try:
        broker.kill()
        assert wait_for(lambda: t.reconnect.failures >= 4, 20)  # waits 0.1–0.2, 0.2–0.4, 0.4–0.8, 0.5–1 s
        broker.start()
        assert wait_for(lambda: t.connected, 20)
        assert t.reconnect.failures == 0 and t.connects == 2
        draws = [Backoff(1.0, 60.0, rng=random.Random(seed)).next_delay() for seed in range(50)]
        assert len({round(d, 3) for d in draws}) > 40 and all(0.5 <= d <= 1.0 for d in draws)  # a fleet spreads out
    finally:
        t.close()
        broker.stop()
