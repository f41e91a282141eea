"""The fleet's light cars: a :class:`DigestCache` fed by the real state machine equals the
publisher's digest exactly when it holds the same rows, and a real SQLite cache fed the same
messages agrees; the shared decoding still checks every car's signature."""

from __future__ import annotations

import dataclasses
import time

import pytest

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.activity import StatusSimulator
from sync.client import CacheApplier
from sync.fleet.digest import DigestCache, cache_digest, publisher_digest, reference_cache_digest
from sync.protocol.actions import CACHE_WRITES
from sync.protocol.decoding import SharedDecoding
from sync.protocol.messages import Rejected
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.protocol.vehicle import VehicleSync
from sync.signing import generate_signer


def _feed(cars: list[tuple[VehicleSync, object]], msgs: list[Outgoing], now: float) -> None:
    for m in msgs:
        for sync, cache in cars:
            for a in sync.receive(m.topic, m.payload, now, retained=m.retain):
                if isinstance(a, CACHE_WRITES):
                    cache.apply(a)  # type: ignore[attr-defined]
                    sync.applied()
            if isinstance(cache, CacheApplier):
                cache.drain()


def test_digest_cars_and_a_sqlite_car_reach_the_publishers_digest(small_feeds, signer) -> None:
    feed = read_feeds([small_feeds])
    op = Operator(OperatorState("cn-partners"), signer)
    shared = SharedDecoding()
    now = time.time()
    light = [(VehicleSync(signer.verifier, f"car-{i}", decoding=shared), DigestCache()) for i in range(3)]
    store = ChargerStore.open(":memory:", seed=False)
    heavy = CacheApplier(store, signer.verifier)
    cars: list[tuple[VehicleSync, object]] = [*light, (VehicleSync(signer.verifier, "car-sql"), heavy)]
    for sync, _ in cars:
        sync.connected(now)
    msgs = op.publish_dataset(feed.locations, feed.tariffs, now)
    _feed(cars, [m for m in msgs if m.topic.endswith("manifest")] + [m for m in msgs if "/snapshot/" in m.topic], now)
    assert all(s.version == 1 for s, _ in cars)
    want = publisher_digest(op)
    assert {c.digest() for _, c in light} == {want}  # type: ignore[attr-defined]
    assert shared.reused >= 2 * shared.decoded  # three cars, one decode each

    sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in feed.locations for e in loc.evses)
    _feed(cars, op.publish_statuses(sim.changes(300, now + 60)), now + 1)
    moved = [dataclasses.replace(loc, name=loc.name + " 新") for loc in feed.locations[:7]]
    msgs = op.publish_dataset(moved + feed.locations[9:], feed.tariffs[1:], now + 120)
    _feed(cars, [m for m in msgs if "/snapshot/" not in m.topic], now + 2)
    lagging = cars.pop(0)  # misses the last status batch
    _feed(cars, op.publish_statuses(sim.changes(300, now + 180)), now + 3)
    assert all(s.version == 2 and s.status_seq == op.state.status_seq for s, _ in cars)
    want2 = publisher_digest(op)
    assert want2 != want
    assert {c.digest() for _, c in light[1:]} == {want2}  # type: ignore[attr-defined]
    assert lagging[1].digest() != want2  # type: ignore[attr-defined]
    assert cache_digest(store) == reference_cache_digest(op)


def test_the_shared_decoding_checks_each_cars_signature(signer) -> None:
    op = Operator(OperatorState("cn-partners"), signer)
    msg = op.head(time.time())
    shared = SharedDecoding()
    shared.decode(msg.payload, signer.verifier, "cn-partners")
    other = generate_signer()
    with pytest.raises(Rejected, match="signature"):
        shared.decode(msg.payload, other.verifier, "cn-partners")  # a car that trusts another key
    with pytest.raises(Rejected):
        shared.decode(msg.payload, signer.verifier, "another-dataset")
    tampered = msg.payload[:-70] + bytes([msg.payload[-70] ^ 1]) + msg.payload[-69:]
    with pytest.raises(Rejected, match="signature"):
        shared.decode(tampered, signer.verifier, "cn-partners")
    assert shared.reused == 0


def test_backoff_jitters() -> None:
    import random

    from sync.protocol.pacing import Backoff

    full = [Backoff(1.0, 60.0, rng=random.Random(s), jitter="full").next_delay() for s in range(200)]
    assert min(full) < 0.1 and max(full) > 0.9 and all(0 <= d <= 1.0 for d in full)  # all of [0, 1 s]
    none = Backoff(1.0, 8.0, jitter="none")
    assert [none.next_delay() for _ in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]  # in step: the storm
    with pytest.raises(ValueError):
        Backoff(jitter="some")
