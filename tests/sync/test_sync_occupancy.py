"""The occupancy model as a signed, versioned part of the dataset: learned by the operator from the
status stream, published in retained parts the manifest names, fetched, checked, decoded and kept
by the car. Pure state machines first, then through a real Mosquitto (and NATS's MQTT 3.1.1) into
real SQLite files."""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from chargers.feeds.bundled import bundled_feed_paths
from chargers.occupancy import (
    Place,
    Window,
    after_outages,
    decode_model,
    encode_model,
    live_stream,
    ocpi_changes,
    place_of,
    receiver_outages,
)
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import CacheApplier, VehicleClient
from sync.errors import SyncError
from sync.occupancy import OccupancyService, simulated_history
from sync.protocol.actions import StoreOccupancy, Subscribe
from sync.protocol.occupancy import CORRUPT
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.publisher import Publisher
from sync.publisher_state import STATE_FILE, load_state, save_state
from sync.signing import generate_signer
from tests.sync.brokers import Nats
from tests.sync.helpers import wait_for
from tests.sync.test_sync_protocol import LOCS, SIGNER, TARIFFS

WINDOW = Window.local_days(date(2026, 11, 2), 14)
END = datetime.fromtimestamp(WINDOW.end_s, UTC)
SYNC_TIMEOUT_S = 30


def learned_bytes(locations, seed: int = 5) -> bytes:  # type: ignore[no-untyped-def]
    service = OccupancyService(locations, WINDOW, train_weeks=2)
    service.add_history(simulated_history(service.catalog.values(), WINDOW, seed))
    return service.learn(END).data


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    return learned_bytes(LOCS)


def corrupt(data: bytes) -> bytes:
    out = bytearray(data)
    out[len(out) // 2] ^= 0x5A
    return bytes(out)


class Car:
    """A car's state machine and cache; retained messages are sent again on subscribe."""

    def __init__(self, store: ChargerStore | None = None) -> None:
        self.store = store or ChargerStore.open(":memory:", seed=False)
        self.applier = CacheApplier(self.store, SIGNER.verifier)
        self.sync = self.applier.new_sync("car-occ")
        self.retained: dict[str, bytes] = {}
        self.now = 1000.0
        self.run(self.sync.connected(self.now))

    def run(self, actions) -> None:  # type: ignore[no-untyped-def]
        for a in actions:
            if self.applier.apply(a):
                continue
            if isinstance(a, Subscribe) and a.topic.endswith("/+"):
                prefix = a.topic[:-1]
                for t, p in sorted(self.retained.items()):
                    if t.startswith(prefix):
                        self.deliver(t, p, retained=True)
        self.applier.drain()

    def deliver(self, topic: str, payload: bytes, retained: bool = False) -> None:
        self.run(self.sync.receive(topic, payload, self.now, retained))

    def feed(self, msgs: list[Outgoing]) -> None:
        for m in msgs:
            if m.retain:
                self.retained[m.topic] = m.payload
            if "/snapshot/" not in m.topic and "/occupancy/" not in m.topic:
                self.deliver(m.topic, m.payload, retained=m.topic.endswith("/manifest"))

    def wait(self, seconds: float) -> None:
        for _ in range(int(seconds / 0.25) + 1):
            self.now += 0.25
            self.run(self.sync.tick(self.now))


def _operator() -> Operator:
    return Operator(OperatorState("cn-partners"), SIGNER, chunk_raw_bytes=32 * 1024)


def test_the_model_travels_in_parts_and_lands_in_the_cache(model_bytes: bytes) -> None:
    op = _operator()
    car = Car()
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    assert car.sync.synced and car.store.occupancy_model() is None
    msgs = op.publish_occupancy(model_bytes, int(END.timestamp()), now=1001)
    parts = [m for m in msgs if "/occupancy/" in m.topic]
    assert len(parts) == -(-len(model_bytes) // (160 * 1024)) and all(m.retain for m in parts)
    car.feed(msgs)
    model = car.store.occupancy_model()
    assert model is not None and encode_model(model) == model_bytes
    assert car.sync.synced and car.sync.report()["occupancy"]["version"] == 1
    blob = car.store.occupancy_model_blob()
    assert blob is not None and (blob.version, blob.created_s) == (1, int(END.timestamp()))
    # The same manifest again (renewed): nothing is fetched again.
    fetched = []
    car.run = lambda actions: fetched.extend(a for a in actions if isinstance(a, (Subscribe, StoreOccupancy)))  # type: ignore[method-assign]
    car.deliver(op.manifest(1002).topic, op.manifest(1002).payload, retained=True)
    assert fetched == []


def test_a_corrupt_model_is_refused_counted_and_not_fetched_again(model_bytes: bytes) -> None:
    op = _operator()
    car = Car()
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    car.feed(op.publish_occupancy(model_bytes, 1, now=1001))
    # Signed by the operator, named by the manifest, but not a model: refused whole.
    car.feed(op.publish_occupancy(corrupt(model_bytes), 2, now=1002))
    assert [r.reason for r in car.applier.rejections] == [CORRUPT]
    assert "checksum mismatch" in car.applier.rejections[0].detail
    assert car.sync.rejected[CORRUPT] == 1
    kept = car.store.occupancy_model()
    assert kept is not None and encode_model(kept) == model_bytes  # the good one stays
    assert car.sync.synced  # a refused model does not hold the car back
    car.feed([op.manifest(1003)])
    car.wait(60)
    assert car.sync.rejected[CORRUPT] == 1  # not fetched again
    # A good newer model is taken.
    newer = learned_bytes(LOCS, seed=6)
    car.feed(op.publish_occupancy(newer, 3, now=1004))
    got = car.store.occupancy_model()
    assert got is not None and encode_model(got) == newer and car.sync.report()["occupancy"]["version"] == 3


def test_an_unsigned_part_is_refused_and_the_real_one_asked_for_again(model_bytes: bytes) -> None:
    op = _operator()
    car = Car()
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    msgs = op.publish_occupancy(model_bytes, 1, now=1001)
    real = {m.topic: m.payload for m in msgs if "/occupancy/" in m.topic}
    forger = Operator(OperatorState("cn-partners"), generate_signer())
    forger.state.version = 1
    fake = {m.topic: m.payload for m in forger.publish_occupancy(model_bytes, 1, now=1001) if "/occupancy/" in m.topic}
    car.retained.update(fake)  # the broker holds parts someone else signed
    car.feed([m for m in msgs if "/occupancy/" not in m.topic])
    assert car.store.occupancy_model() is None
    assert car.sync.rejected["bad signature"] == len(fake) and not car.sync.synced
    car.retained.update(real)  # the publisher's repair puts the real ones back
    car.wait(12)  # the car subscribes again after its stall
    model = car.store.occupancy_model()
    assert model is not None and encode_model(model) == model_bytes and car.sync.synced


def test_the_operator_learns_the_same_model_whatever_the_order_and_copies() -> None:
    """The publisher hands the learner every batch it is given, duplicates and late ones included
    (the status stream keeps only the news); the model does not change."""
    service_a = OccupancyService(LOCS[:40], WINDOW, train_weeks=2)
    service_b = OccupancyService(LOCS[:40], WINDOW, train_weeks=2)
    stream = [c for h in simulated_history(service_a.catalog.values(), WINDOW, 9) for c in ocpi_changes(h)]
    service_a.offer(sorted(stream, key=lambda c: c[2]))
    rng = random.Random(3)
    noisy = stream + rng.sample(stream, len(stream) // 5)
    rng.shuffle(noisy)
    for i in range(0, len(noisy), 2000):
        service_b.offer(noisy[i : i + 2000])
    assert service_a.learn(END).data == service_b.learn(END).data


def _wait_model(store: ChargerStore, version: int) -> None:
    def has() -> bool:
        blob = store.occupancy_model_blob()
        return blob is not None and blob.version == version

    assert wait_for(has, SYNC_TIMEOUT_S), f"occupancy model {version} did not reach the car's cache"


def test_through_mosquitto_into_sqlite(broker, signer, small_feeds, tmp_path: Path) -> None:
    feed = read_feeds([small_feeds])
    data = learned_bytes(feed.locations)
    pub = Publisher(broker.url, signer, state_dir=tmp_path / "pub").start()
    car: VehicleClient | None = None
    try:
        pub.publish_dataset(feed.locations, feed.tariffs)
        car = VehicleClient(ChargerStore.open(tmp_path / "car.db", seed=False), signer.verifier, broker.url, "car-o")
        car.start()
        assert car.wait_synced(SYNC_TIMEOUT_S)
        pub.publish_occupancy(data, int(END.timestamp()))
        _wait_model(car.applier.store, 1)
        assert car.wait_synced(SYNC_TIMEOUT_S)
        # The car's cache, opened as the head unit opens it, answers with the model.
        with ChargerStore.open(tmp_path / "car.db", readonly=True) as head_unit:
            model = head_unit.occupancy_model()
            assert model is not None and encode_model(model) == data
        # A corrupt model (signed, but not a model) is refused and counted; the good one stays.
        pub.publish_occupancy(corrupt(data), 2)
        assert wait_for(lambda: car is not None and car.sync.rejected[CORRUPT] == 1, SYNC_TIMEOUT_S)
        assert car.applier.store.occupancy_model_blob().version == 1  # type: ignore[union-attr]
        pub.publish_occupancy(data, 3)
        _wait_model(car.applier.store, 3)
    finally:
        if car is not None:
            car.stop()
            car.applier.store.close()
        pub.close()
    # A car that was not there gets it from the retained parts, after a publisher restart too.
    pub = Publisher(broker.url, signer, state_dir=tmp_path / "pub").start()
    late = VehicleClient(ChargerStore.open(tmp_path / "late.db", seed=False), signer.verifier, broker.url, "late")
    try:
        late.start()
        _wait_model(late.applier.store, 3)
        assert late.wait_synced(SYNC_TIMEOUT_S) and late.sync.rejected[CORRUPT] == 0
    finally:
        late.stop()
        late.applier.store.close()
        pub.close()


def test_a_broker_that_lost_the_parts_gets_them_back(broker, signer, small_feeds, tmp_path: Path) -> None:
    feed = read_feeds([small_feeds])
    data = learned_bytes(feed.locations)
    pub = Publisher(broker.url, signer, state_dir=tmp_path / "pub").start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    pub.publish_occupancy(data, 1)
    pub.close()
    fresh = broker.replaced_by_empty()
    pub = Publisher(fresh.url, signer, state_dir=tmp_path / "pub").start()  # start() reconciles
    car = VehicleClient(ChargerStore.open(tmp_path / "car.db", seed=False), signer.verifier, fresh.url, "car-r")
    try:
        car.start()
        _wait_model(car.applier.store, 1)
    finally:
        car.stop()
        car.applier.store.close()
        pub.close()
        fresh.stop()


@pytest.mark.skipif(
    shutil.which("nats-server") is None and not Path("/usr/sbin/nats-server").exists(),
    reason="nats-server is not installed (Makefile APT_PACKAGES)",
)
def test_over_mqtt_3_1_1(signer, small_feeds, tmp_path: Path) -> None:
    nats = Nats(tmp_path / "nats")
    nats.workdir.mkdir(parents=True)
    nats.start()
    feed = read_feeds([small_feeds])
    data = learned_bytes(feed.locations)
    pub = Publisher(nats.url, signer, mqtt5=False).start()
    car = VehicleClient(
        ChargerStore.open(tmp_path / "car.db", seed=False), signer.verifier, nats.url, "car-3", mqtt5=False
    )
    try:
        pub.publish_dataset(feed.locations, feed.tariffs)
        pub.publish_occupancy(data, 1)
        car.start()
        _wait_model(car.applier.store, 1)
        model = car.applier.store.occupancy_model()
        assert model is not None and decode_model(data).stations.keys() == model.stations.keys()
    finally:
        car.stop()
        car.applier.store.close()
        pub.close()
        nats.stop()


def test_gaps_declared_by_the_operator_bias_nothing(broker, signer) -> None:
    """Busy service areas; the operator's receiver away ~10 % of the time, getting back only each
    EVSE's latest change of an outage (the OCPI re-pull). Statuses go through a real publisher and
    reach the learner through its status listener; declared gaps keep the share of time full within
    5 % of what the whole stream says, undeclared ones are further off."""
    feed = read_feeds(bundled_feed_paths())
    window = Window.local_days(date(2026, 10, 12), 28)
    highway = [loc for loc in feed.locations if place_of(loc) is Place.HIGHWAY and len(loc.evses) >= 4][:30]
    outages = receiver_outages(window.seconds, random.Random(4))
    full, gapped, naive = (OccupancyService(highway, window, train_weeks=4) for _ in range(3))
    pub = Publisher(broker.url, signer).start()
    try:
        pub.publish_dataset(highway, feed.tariffs)
        pub.add_status_listener(gapped.offer)
        pub.add_status_listener(naive.offer)
        histories = list(simulated_history(full.catalog.values(), window, 8))
        for h in histories:
            full.offer(list(ocpi_changes(h)))
        held = [replace(h, changes=after_outages(h, outages)) for h in histories]
        stream = list(live_stream(held, 0, window.seconds))
        for i in range(0, len(stream), 2000):
            pub.publish_statuses(stream[i : i + 2000])
        for a, b in outages:
            gapped.gap(window.instant(a), window.instant(b))
    finally:
        pub.close()
    end = datetime.fromtimestamp(window.end_s, UTC)
    for service in (full, gapped, naive):
        service.learn(end)

    def share_full(service: OccupancyService) -> float:
        obs = [service.learner.observe(sid) for sid in service.catalog]
        return sum(sum(o.full_s) for o in obs) / sum(sum(o.seen_s) for o in obs)

    truth, declared = share_full(full), share_full(gapped)
    assert truth > 0.01
    assert abs(declared - truth) / truth < 0.05
    assert abs(share_full(naive) - truth) > abs(declared - truth)


def test_a_rotated_key_signs_the_parts_again_and_cars_keep_their_model(model_bytes: bytes) -> None:
    op = Operator(OperatorState("cn-partners"), SIGNER, chunk_raw_bytes=32 * 1024, key_id=SIGNER.key_id)
    car = Car()
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    car.feed(op.publish_occupancy(model_bytes, 1, now=1001))
    before = op.state.occupancy
    new_key = generate_signer()
    rotated = Operator(op.state, new_key, chunk_raw_bytes=32 * 1024, key_id=new_key.key_id)
    after = rotated.state.occupancy
    assert before is not None and after is not None
    assert after.sha256 == before.sha256 and after.part_sha256 != before.part_sha256
    assert [hashlib.sha256(m.payload).hexdigest() for m in rotated.occupancy_parts()] == list(after.part_sha256)
    assert car.sync.occupancy.plan(after, 1002) == []  # the same model: nothing to fetch


def test_the_publisher_state_keeps_the_model_beside_it_and_refuses_a_damaged_one(
    model_bytes: bytes, tmp_path: Path
) -> None:
    op = _operator()
    op.publish_dataset(LOCS, TARIFFS, now=1000)
    op.publish_occupancy(model_bytes, 1, now=1001)
    path = tmp_path / STATE_FILE
    save_state(op.state, path)
    save_state(op.state, path)  # every heartbeat: the model file is not written again
    files = list(tmp_path.glob("occupancy-*.bin"))
    assert len(files) == 1 and files[0].read_bytes() == model_bytes
    back = load_state(path, "cn-partners")
    assert back.occupancy == op.state.occupancy and back.occupancy_data == model_bytes
    op.publish_occupancy(model_bytes[::-1], 2, now=1002)
    save_state(op.state, path)
    (newer,) = tmp_path.glob("occupancy-*.bin")  # the previous model's file is gone
    newer.write_bytes(model_bytes)
    with pytest.raises(SyncError, match="not the occupancy model the state names"):
        load_state(path, "cn-partners")
