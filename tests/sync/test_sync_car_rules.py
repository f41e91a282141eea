"""The car's rules for trusting and finishing: expired manifests refused, a floor for a car with no
data, "up to date" only once everything the broker announces is applied (statuses included),
catch-up requests rate-limited per car (and the car waits as told), status batches that expire
in the broker rather than pile up for a sleeping car, a rotated key, and ``receive`` that never
raises whatever it is handed."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.activity import StatusSimulator
from sync.client import VehicleClient
from sync.protocol.actions import Reject, SendRequest
from sync.protocol.bodies import Nack, Topics, VehicleRequest
from sync.protocol.messages import KINDS, Header, encode
from sync.protocol.pacing import RateLimiter, TokenBucket
from sync.protocol.vehicle import VehicleSync
from sync.publisher import Publisher
from sync.signing import generate_signer, load_signer, write_keypair
from sync.transport import MqttTransport
from tests.sync.helpers import assert_same_rows, ivi_sync, wait_for
from tests.sync.test_sync_protocol import LOCS, SIGNER, TARIFFS, Car, _operator

SYNC_TIMEOUT_S = 30
DAY_S = 24 * 3600.0


def test_an_expired_manifest_is_refused_and_said() -> None:
    op = _operator()
    msgs = op.publish_dataset(LOCS[:5], TARIFFS, now=1000)
    car = Car(None)
    car.now = 1000 + 8 * DAY_S  # a week and a day later: the manifest expired (7 days)
    car.feed(msgs)
    assert [r.reason for r in car.applier.rejections] == ["expired"]
    assert car.sync.manifest is None and not car.sync.synced
    s = car.sync.status()
    assert s.state == "error" and "expired" in s.detail
    car.feed([op.manifest(car.now)])  # the operator renews it: the car goes on
    assert car.sync.synced and car.sync.version == 1


def test_a_fresh_car_needs_a_manifest_newer_than_its_floor() -> None:
    op = _operator()
    old = op.publish_dataset(LOCS[:5], TARIFFS, now=1000)  # still valid for a week: a replay works on time
    car = Car(None)
    car.sync.floor_s = 2000.0
    car.now = 1500
    car.feed(old)
    assert [r.reason for r in car.applier.rejections] == ["older than the floor"]
    assert car.sync.status().state == "error" and "floor" in car.sync.status().detail
    car.now = 2500
    car.feed([op.manifest(2400)])
    assert car.sync.synced
    # a car that holds data is past the floor: its own version is the bar (rollback)
    car.feed([old[-1]])
    assert car.applier.rejections[-1].reason == "rollback"


def test_up_to_date_waits_for_the_statuses_the_heartbeat_announces() -> None:
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    assert car.sync.synced
    sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in LOCS for e in loc.evses)
    batches = op.publish_statuses(sim.changes(900, 1.8e9))
    car.feed([op.head(1001)])  # the heartbeat says the stream moved on; the batches are still on their way
    assert not car.sync.synced and car.sync.status_target == op.state.status_seq
    car.feed(batches)
    assert car.sync.synced


def test_a_car_told_to_wait_waits_and_never_falls_back_to_the_snapshot() -> None:
    op = _operator()
    car = Car(None)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in LOCS for e in loc.evses)
    op.publish_statuses(sim.changes(100, 1.8e9))  # lost on the way
    car.feed([op.head(1001)])
    car.wait(2)
    assert [r.request.want for r in car.requests] == ["statuses"]
    nack = op.nack(Nack("statuses", "too many requests", 30.0), Topics.response("car-7"))
    car.deliver(nack.topic, nack.payload)
    car.wait(29)
    assert len(car.requests) == 1  # not before 30 s (× 1–1.5)
    car.wait(20)
    assert len(car.requests) >= 2 and not car.sync._snap  # asked again, no snapshot


def test_requests_are_rate_limited_per_car_through_a_real_broker(broker, signer, small_feeds) -> None:
    feed = read_feeds([small_feeds])
    pub = Publisher(broker.url, signer, requests_per_car=2, request_refill_s=600).start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    got: list[str] = []
    car = MqttTransport(broker.url, "car-9", on_message=lambda m: got.append(m.topic), persistent=False)
    car.connect()
    car.subscribe(Topics.response("car-9"))
    try:
        ask = VehicleRequest("statuses", since_status_seq=0, reply_to=Topics.response("car-9")).to_json()
        for _ in range(20):  # 69 bytes each, asking for every EVSE's status
            car.publish(Topics.request("car-9"), ask, wait_s=5)
        assert wait_for(lambda: pub.limiter.refused == 18, 10)
        time.sleep(0.5)
        assert pub.requests_answered == 2
        assert len(got) == 3  # two answers and one "retry after" (the rest dropped, not answered)
        assert pub.limiter.allow("car-10", time.time()) == 0  # another car is not held back
    finally:
        car.close()
        pub.close()


def test_token_buckets_refill_and_forget_the_idle() -> None:
    b = TokenBucket(2, 0.5)
    assert b.take(0) and b.take(0) and not b.take(0)
    assert b.retry_after_s(0) == 2.0 and b.take(2.0)
    limiter = RateLimiter(1, 0.1, max_keys=3)
    for car in ("a", "b", "c", "d"):
        assert limiter.allow(car, 0) == 0
    assert limiter.allow("d", 0) > 0 and limiter.allow("a", 0) == 0  # "a" was forgotten: a full bucket


def test_status_batches_expire_in_the_broker_for_a_sleeping_car(broker, tmp_path: Path, signer, small_feeds) -> None:
    feed = read_feeds([small_feeds])
    pub = Publisher(broker.url, signer, status_expiry_s=1).start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    store = ChargerStore.open(tmp_path / "car.db", seed=False)
    car = VehicleClient(store, signer.verifier, broker.url, "car-asleep").start()
    sleeper = MqttTransport(broker.url, "raw-asleep", on_message=lambda m: None)  # a persistent session
    sleeper.connect()
    sleeper.subscribe(Topics().status)
    try:
        assert car.wait_synced(SYNC_TIMEOUT_S)
        car.stop()
        sleeper.close()
        sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in feed.locations for e in loc.evses)
        for i in range(10):
            pub.publish_statuses(sim.changes(200, 1.8e9 + i), wait=True)
        time.sleep(2.5)  # longer than the batches' expiry: the broker drops them from the queues
        pub.heartbeat()
        got: list[str] = []
        woken = MqttTransport(broker.url, "raw-asleep", on_message=lambda m: got.append(m.topic))
        woken.connect()
        time.sleep(1.0)
        woken.close()
        assert Topics().status not in got  # none of the ten stale batches was delivered
        car = VehicleClient(store, signer.verifier, broker.url, "car-asleep").start()
        assert wait_for(
            lambda: car.settled(lambda s: s.synced and s.status_seq == pub.state.status_seq), SYNC_TIMEOUT_S
        )
        assert car.requests_sent >= 1  # one compacted catch-up instead of ten batches
        assert_same_rows(store, pub.operator)
    finally:
        car.stop()
        store.close()
        pub.close()


def test_a_rotated_key_converges_without_the_operator(broker, tmp_path: Path, small_feeds) -> None:
    old_key, old_pub = write_keypair(tmp_path / "old")
    new_key, new_pub = write_keypair(tmp_path / "new")
    feed = read_feeds([small_feeds])
    state = tmp_path / "state"
    pub = Publisher(broker.url, load_signer(old_key), state_dir=state).start()
    pub.publish_dataset(feed.locations, feed.tariffs)
    pub.close()
    # the fleet was shipped trusting both keys; the publisher restarts with the new one
    pub = Publisher(broker.url, load_signer(new_key), state_dir=state).start()
    try:
        assert pub.state.key_id == load_signer(new_key).key_id and pub.state.deltas == {}
        out = ivi_sync(
            "follow",
            "--broker",
            broker.url,
            "--db",
            str(tmp_path / "car.db"),
            "--pubkey",
            str(new_pub),
            "--until-synced",
            "--timeout",
            "30",
            timeout=60,
        )
        assert out.returncode == 0, out.stderr  # a car that trusts only the new key syncs
        with sqlite3.connect(tmp_path / "car.db") as c:
            assert c.execute("SELECT value FROM meta WHERE key = 'sync_version'").fetchone() == ("1",)
        inspect = ivi_sync("inspect", "--broker", broker.url, "--pubkey", str(old_pub), timeout=60)
        assert inspect.returncode == 1 and "bad signature" in inspect.stderr  # the old key no longer signs it
    finally:
        pub.close()


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELDS = ["version", "status_seq", "chunk_sha256", "upto", "changes", "base", "want", "retry_after_s", "format"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(KINDS),
    version=st.integers(0, 5),
    seq=st.integers(0, 5),
    parts=st.integers(1, 3),
    body=_json | st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS, _json)),
)
def test_receive_never_raises_on_signed_nonsense(kind: str, version: int, seq: int, parts: int, body) -> None:
    sync = VehicleSync(SIGNER.verifier, "car-f", version=1)
    sync.connected(0.0)
    payload = encode(Header("cn-partners", kind, version, seq, "zstd", 0, seq % parts, parts), body, SIGNER)
    t = Topics()
    for topic in (t.manifest, t.head, t.delta, t.status, t.chunk(0), Topics.response("car-f"), "x/y"):
        out = sync.receive(topic, payload, 1.0, retained=True)
        assert isinstance(out, list)
        assert all(isinstance(a.reason, str) for a in out if isinstance(a, Reject))
        assert "internal error" not in sync.rejected, [a for a in out if isinstance(a, Reject)]
    sync.tick(100.0)


def test_receive_never_raises_on_garbage_of_any_size() -> None:
    sync = VehicleSync(SIGNER.verifier, "car-g")
    other = generate_signer()
    garbage = (
        b"",
        b"IVS1",
        b"IVS1" + bytes(200),
        orjson.dumps({"a": 1}),
        encode(Header("cn-partners", "manifest", 1, 1), {}, other),
    )
    for payload in garbage:
        out = sync.receive(Topics().manifest, payload, 1.0)
        assert not any(isinstance(a, SendRequest) for a in out)
    assert "internal error" not in sync.rejected and sum(sync.rejected.values()) == len(garbage)


def _follow(url: str, db: Path, pub_key: Path, *extra: str) -> subprocess.CompletedProcess:
    return ivi_sync(
        "follow",
        "--broker",
        url,
        "--db",
        str(db),
        "--pubkey",
        str(pub_key),
        "--client-id",
        "car-q",
        "--until-synced",
        *extra,
        timeout=90,
    )


def test_follow_is_up_to_date_only_once_the_queued_statuses_are_in(broker, tmp_path: Path, small_feeds) -> None:
    key, pub_key = write_keypair(tmp_path / "op")
    feed = read_feeds([small_feeds])
    pub = Publisher(broker.url, load_signer(key)).start()
    try:
        pub.publish_dataset(feed.locations, feed.tariffs)
        assert _follow(broker.url, tmp_path / "car.db", pub_key, "--timeout", "30").returncode == 0
        # offline for a while: status batches and heartbeats queue up in the car's session
        sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in feed.locations for e in loc.evses)
        for i in range(40):
            pub.publish_statuses(sim.changes(300, 1.8e9 + i), wait=True)
            if i % 10 == 9:
                pub.heartbeat()
        out = _follow(broker.url, tmp_path / "car.db", pub_key, "--timeout", "30")
        assert out.returncode == 0, out.stderr
        assert f"statuses {pub.state.status_seq}," in out.stdout
        with sqlite3.connect(tmp_path / "car.db") as c:
            (seq,) = c.execute("SELECT value FROM meta WHERE key = 'sync_status_seq'").fetchone()
        assert int(seq) == pub.state.status_seq == 40
    finally:
        pub.close()


def test_follow_ends_non_zero_on_an_expired_manifest(broker, tmp_path: Path, small_feeds) -> None:
    key, pub_key = write_keypair(tmp_path / "op")
    feed = read_feeds([small_feeds])
    pub = Publisher(broker.url, load_signer(key)).start()
    try:
        pub.publish_dataset(feed.locations[:20], feed.tariffs, now=time.time() - 8 * DAY_S)  # frozen a week ago
        out = _follow(broker.url, tmp_path / "car.db", pub_key, "--timeout", "3")
        assert out.returncode == 1 and out.stdout == ""
        assert "Error: not synced after 3 s: error: manifest version 1 expired at" in out.stderr
    finally:
        pub.close()
