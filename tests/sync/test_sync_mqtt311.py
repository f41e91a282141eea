"""The sync over a second, MQTT 3.1.1-only broker (NATS server's MQTT listener), with
``mqtt5=False`` on both ends: 3.1.1 has no session-expiry or response-topic properties, so the
session is ``clean_session=False`` and the car names its reply topic in the request body."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.activity import StatusSimulator
from sync.client import VehicleClient
from sync.errors import TransportError
from sync.publisher import Publisher
from sync.transport import MqttTransport
from tests.sync.brokers import Nats
from tests.sync.helpers import assert_same_rows, wait_for

SYNC_TIMEOUT_S = 30

pytestmark = pytest.mark.skipif(
    shutil.which("nats-server") is None and not Path("/usr/sbin/nats-server").exists(),
    reason="nats-server is not installed (Makefile APT_PACKAGES)",
)


@pytest.fixture
def nats(tmp_path: Path):
    b = Nats(tmp_path / "nats")
    b.workdir.mkdir(parents=True)
    b.start()
    yield b
    b.stop()


def _car(db: Path, url: str, signer, name: str) -> VehicleClient:
    return VehicleClient(ChargerStore.open(db, seed=False), signer.verifier, url, name, mqtt5=False)


def _stop(car: VehicleClient) -> None:
    car.stop()
    car.applier.store.close()


def test_nats_refuses_mqtt5(nats) -> None:
    """The broker really is 3.1.1-only: what the rest of this module runs on is the fallback."""
    t = MqttTransport(nats.url, "probe", on_message=lambda *a: None, persistent=False)
    with pytest.raises(TransportError):
        t.connect(timeout_s=3)


def test_publish_and_follow_over_mqtt_3_1_1(nats, signer, small_feeds, tmp_path: Path) -> None:
    feed = read_feeds([small_feeds])
    pub = Publisher(nats.url, signer, mqtt5=False).start()
    try:
        pub.publish_dataset(feed.locations, feed.tariffs)
        # 1. An empty cache takes the retained snapshot.
        car = _car(tmp_path / "car.db", nats.url, signer, "car-311").start()
        try:
            assert car.wait_synced(SYNC_TIMEOUT_S)
            assert_same_rows(car.applier.store, pub.operator)
        finally:
            _stop(car)
        for name in ("old.db", "orphan.db"):  # caches at version 1, for steps 3 and 4
            shutil.copy(tmp_path / "car.db", tmp_path / name)
        # 2. Offline while statuses and a new version are published: the persistent session
        #    (clean_session=False) holds them, and nothing needs to be asked for.
        sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in feed.locations[4:] for e in loc.evses)
        pub.publish_statuses(sim.changes(1200, 1.8e9), wait=True)
        pub.publish_dataset(feed.locations[4:], feed.tariffs)
        pub.publish_statuses(sim.changes(30, 1.8e9 + 10), wait=True)
        pub.heartbeat()
        car = _car(tmp_path / "car.db", nats.url, signer, "car-311").start()
        try:
            assert wait_for(
                lambda: car.settled(lambda s: s.synced and s.status_seq == pub.state.status_seq), SYNC_TIMEOUT_S
            )
            assert car.sync.version == 2
            assert car.requests_sent == 0
            assert_same_rows(car.applier.store, pub.operator)
        finally:
            _stop(car)
        # 3. A car with a version-1 cache but no session (a new client id) misses the delta and
        #    the status batches: it asks, with the reply topic in the body, and is answered.
        car = _car(tmp_path / "old.db", nats.url, signer, "car-new").start()
        try:
            assert wait_for(
                lambda: car.settled(lambda s: s.synced and s.status_seq == pub.state.status_seq), SYNC_TIMEOUT_S
            )
            assert car.requests_sent >= 1 and pub.requests_answered >= 1
            assert_same_rows(car.applier.store, pub.operator)
        finally:
            _stop(car)
    finally:
        pub.close()
    # 4. The publisher is gone: a car that asks gets no answer and falls back to the retained
    #    snapshot (the statuses since the snapshot stay unknown to it until a publisher answers).
    car = _car(tmp_path / "orphan.db", nats.url, signer, "car-orphan").start()
    try:
        assert wait_for(lambda: car.settled(lambda s: s.version == 2), SYNC_TIMEOUT_S)
        assert car.requests_sent >= 1
        n = car.applier.store.stats()["locations"]
        assert n == len(feed.locations) - 4
    finally:
        _stop(car)


@pytest.mark.parametrize("kind", ["nats 3.1.1", "mosquitto 3.1.1", "mosquitto 5"])
def test_a_repeated_subscribe_sends_the_retained_messages_again(kind, nats, broker) -> None:
    """What asking again rests on (``Subscribe``): subscribing again to a filter the persistent
    session already holds, with no UNSUBSCRIBE before it, brings the retained copies again."""
    url, mqtt5 = (nats.url, False) if kind.startswith("nats") else (broker.url, kind.endswith("5"))
    got: list[tuple[str, bool]] = []
    pub = MqttTransport(url, "pub-rs", on_message=lambda m: None, mqtt5=mqtt5, persistent=False)
    car = MqttTransport(url, "car-rs", on_message=lambda m: got.append((m.topic, m.retained)), mqtt5=mqtt5)
    pub.connect()
    car.connect()
    try:
        pub.publish("rs/snapshot/0", b"chunk", retain=True, wait_s=5)
        car.subscribe("rs/snapshot/+")
        assert wait_for(lambda: len(got) == 1, 10)
        car.subscribe("rs/snapshot/+")  # again: the same filter, no UNSUBSCRIBE
        assert wait_for(lambda: len(got) == 2, 10)
        assert got == [("rs/snapshot/0", True)] * 2
    finally:
        pub.close()
        car.close()
