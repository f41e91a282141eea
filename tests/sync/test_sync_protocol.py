"""Operator and vehicle state machines together, without a broker: messages are handed over
directly (in any order, duplicated or dropped) and the cache is a real in-memory SQLite."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chargers.errors import RecordConflictError, StoreError
from chargers.feeds.generator import GeneratorConfig, generate
from chargers.store import ChargerStore
from sync.client import CacheApplier
from sync.protocol.bodies import Topics
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.protocol.vehicle import GAP_GRACE_S, REQUEST_TIMEOUT_S, SendRequest, Subscribe
from sync.signing import generate_signer
from tests.sync.helpers import assert_same_rows

SIGNER = generate_signer()
CAR = "car-7"


def _dataset(scale: float = 0.02, seed: int = 3):
    locs, tariffs = [], []
    for loc, t in generate(GeneratorConfig(scale=scale, seed=seed)).values():
        locs += loc
        tariffs += t
    return locs, tariffs


LOCS, TARIFFS = _dataset()


def _changed(locs):
    """A day at the partners: a price change, a new station, a closed one, a broken EVSE."""
    out = list(locs[1:])  # the first one closed
    out[0] = replace(out[0], name=out[0].name + " (新)", last_updated="2026-11-02T00:00:00Z")
    e = out[1].evses[0]
    out[1] = replace(
        out[1], evses=(replace(e, status="OUTOFORDER", last_updated="2026-11-02T01:00:00Z"), *out[1].evses[1:])
    )
    out.append(
        replace(locs[0], id=locs[0].id + "-NEW", evses=tuple(replace(e, uid=e.uid + "-N") for e in locs[0].evses))
    )
    return out


class Car:
    """A car: state machine + cache, with requests answered by ``op`` unless told otherwise."""

    def __init__(self, op: Operator | None, store: ChargerStore | None = None, *, one_filter: bool = False) -> None:
        self.store = store or ChargerStore.open(":memory:", seed=False)
        self.applier = CacheApplier(self.store, SIGNER.verifier)
        self.sync = self.applier.new_sync(CAR, one_filter=one_filter)
        self.op = op
        self.subscribed_snapshot = False
        self.requests: list[SendRequest] = []
        self.now = 1000.0
        self.retained: dict[str, bytes] = {}
        self.manifest_asks: list[float] = []  # when the car subscribed to the manifest (again)
        self.run(self.sync.connected(self.now))

    def run(self, actions) -> None:
        for a in actions:
            try:
                if self.applier.apply(a):
                    continue
            except StoreError as exc:  # as the client does: the state machine starts again from the cache
                permanent = isinstance(exc, RecordConflictError)
                position = self.applier.ledger.position()
                self.run(self.sync.apply_failed(a, str(exc), permanent=permanent, position=position, now=self.now))
                return
            if isinstance(a, Subscribe) and "/snapshot/" in a.topic:  # the broker sends the retained copies
                self.subscribed_snapshot = True
                for t, p in sorted(self.retained.items()):
                    if "/snapshot/" in t and (a.topic.endswith("/+") or t == a.topic):
                        self.deliver(t, p, retained=True)
            elif isinstance(a, Subscribe) and a.topic.endswith("/manifest"):
                self.manifest_asks.append(self.now)
                if a.topic in self.retained:
                    self.deliver(a.topic, self.retained[a.topic], retained=True)
            elif isinstance(a, SendRequest):
                self.requests.append(a)
                if self.op:
                    for m in self.op.answer(a.request, a.request.reply_to):
                        self.deliver(m.topic, m.payload)
        self.applier.drain()  # chunks are staged behind: let what the test reads next be written

    def deliver(self, topic: str, payload: bytes, retained: bool = False) -> None:
        self.run(self.sync.receive(topic, payload, self.now, retained))

    def feed(self, msgs: list[Outgoing]) -> None:
        """Messages published while the car is connected (a retained manifest counts as the
        broker's current one, as after a fresh subscription)."""
        for m in msgs:
            if m.retain:
                self.retained[m.topic] = m.payload
            if "/snapshot/" not in m.topic or self.subscribed_snapshot:
                self.deliver(m.topic, m.payload, retained=m.topic.endswith("/manifest"))

    def wait(self, seconds: float) -> None:
        for _ in range(int(seconds / 0.25) + 1):
            self.now += 0.25
            self.run(self.sync.tick(self.now))


def _operator(**kw) -> Operator:
    return Operator(OperatorState("cn-partners"), SIGNER, chunk_raw_bytes=32 * 1024, **kw)


def test_new_car_takes_the_snapshot_then_deltas() -> None:
    op = _operator()
    first = op.publish_dataset(LOCS, TARIFFS, now=1000)
    assert sum("/snapshot/" in m.topic for m in first) > 2
    car = Car(op)
    car.feed(first)
    assert car.sync.synced and car.sync.version == 1
    assert_same_rows(car.store, op)
    car.feed(op.publish_dataset(_changed(LOCS), TARIFFS, now=1001))
    assert car.sync.synced and car.sync.version == 2
    assert_same_rows(car.store, op)
    assert car.applier.rejections == []


def test_unchanged_feeds_publish_nothing() -> None:
    op = _operator()
    op.publish_dataset(LOCS, TARIFFS, now=1000)
    assert op.publish_dataset(LOCS, TARIFFS, now=1001) == []


def test_big_change_is_split_into_consecutive_versions() -> None:
    op = _operator(delta_max_records=10)
    car = Car(op)
    car.feed(op.publish_dataset(LOCS[:5], TARIFFS, now=1000))
    msgs = op.publish_dataset(LOCS, TARIFFS, now=1001)
    deltas = [m for m in msgs if m.topic.endswith("/delta")]
    assert len(deltas) == -(-(len(LOCS) - 5) // 10) > 1
    car.feed(msgs)
    assert car.sync.synced and car.sync.version == 1 + len(deltas)
    assert_same_rows(car.store, op)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(6)), st.lists(st.integers(0, 5), max_size=6))
def test_duplicated_and_reordered_deltas_converge(order: list[int], dups: list[int]) -> None:
    op = _operator(delta_max_records=3)
    car = Car(op)
    locs = list(LOCS[:40])
    car.feed(op.publish_dataset(locs, TARIFFS, now=1000))
    deltas = []
    for i in range(6):  # six versions, one small change each
        locs[i] = replace(locs[i], name=f"{locs[i].name} v{i}", last_updated=f"2026-11-03T00:00:0{i}Z")
        deltas.append(next(m for m in op.publish_dataset(locs, TARIFFS, now=1001 + i) if m.topic.endswith("/delta")))
    for i in [*order, *dups]:
        car.deliver(deltas[i].topic, deltas[i].payload)
    car.wait(GAP_GRACE_S * 2)
    assert car.sync.version == op.state.version
    assert_same_rows(car.store, op)
    assert all(r.reason in ("stale version",) for r in car.applier.rejections)


def test_skipped_version_is_requested_and_answered() -> None:
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    op.publish_dataset(_changed(LOCS), TARIFFS, now=1001)  # version 2: lost on the way
    locs3 = _changed(LOCS)
    locs3[5] = replace(locs3[5], name="第三版", last_updated="2026-11-04T00:00:00Z")
    car.feed(op.publish_dataset(locs3, TARIFFS, now=1002))  # version 3 arrives
    assert car.sync.version == 1 and not car.sync.synced
    car.wait(GAP_GRACE_S * 2)
    assert [r.request.want for r in car.requests] == ["deltas"]
    assert car.sync.synced and car.sync.version == 3
    assert_same_rows(car.store, op)


def test_a_heartbeat_ahead_of_the_manifest_fetches_the_retained_manifest_again() -> None:
    """Version 2 went out as a node died: the car missed its manifest and delta, the broker holds
    the retained manifest. The next heartbeat says version 2; after the grace the car asks for the
    retained manifest (once, then with growing waits while it still does not come) and catches up."""
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    assert car.sync.version == 1
    lost = op.publish_dataset(_changed(LOCS), TARIFFS, now=1001)
    manifest = next(m for m in lost if m.topic.endswith("/manifest"))
    head = op.head(1002)
    car.deliver(head.topic, head.payload)
    car.wait(GAP_GRACE_S / 2)
    assert car.sync.version == 1  # not yet: the manifest may still be on its way
    asked = car.manifest_asks
    asked.clear()
    car.wait(GAP_GRACE_S * 3)  # the broker's copy is still the old one: asked again, not every tick
    assert 1 <= len(asked) <= 3
    car.retained[manifest.topic] = manifest.payload  # the node catches up
    car.wait(GAP_GRACE_S * 40)
    assert car.sync.synced and car.sync.version == 2
    assert_same_rows(car.store, op)
    n = len(asked)
    car.deliver(head.topic, head.payload)
    car.wait(GAP_GRACE_S * 10)
    assert len(asked) == n  # in step: a heartbeat of the held version asks for nothing


def test_a_car_that_hears_no_manifest_asks_again_with_growing_waits() -> None:
    """The broker had no manifest when the car subscribed (a node's retained view lagging after a
    failure, or nothing published yet): the car asks again after 5 s, then less and less often,
    and syncs once the broker has it."""
    op = _operator()
    car = Car(op)
    asked = car.manifest_asks
    car.wait(120)
    assert 3 <= len(asked) <= 9  # 5 s, then doubling waits: not every tick
    gaps = [b - a for a, b in pairwise(asked)]
    assert gaps[-1] > gaps[0] and asked[0] >= 1000 + 5
    for m in op.publish_dataset(LOCS, TARIFFS, now=1100):  # now the broker holds them
        if m.retain:
            car.retained[m.topic] = m.payload
    car.wait(300)
    assert car.sync.synced and car.sync.version == 1
    assert_same_rows(car.store, op)


def test_silent_publisher_means_the_retained_snapshot() -> None:
    op = _operator()
    car = Car(None)  # nobody answers requests (e.g. the publisher is down)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    car.subscribed_snapshot = False
    op.publish_dataset(_changed(LOCS), TARIFFS, now=1001)
    locs3 = _changed(LOCS)[:-3]
    car.feed(op.publish_dataset(locs3, TARIFFS, now=1002))
    car.wait(GAP_GRACE_S + REQUEST_TIMEOUT_S + 1)
    assert car.requests and car.sync.synced and car.sync.version == 3
    assert_same_rows(car.store, op)


def test_rollback_and_replay_are_refused_and_logged() -> None:
    op = _operator()
    car = Car(op)
    v1 = op.publish_dataset(LOCS, TARIFFS, now=1000)
    car.feed(v1)
    v2 = op.publish_dataset(_changed(LOCS), TARIFFS, now=1001)
    car.feed(v2)
    old_manifest = next(m for m in v1 if m.topic.endswith("/manifest"))
    old_delta = next(m for m in v2 if m.topic.endswith("/delta"))
    car.deliver(old_manifest.topic, old_manifest.payload)
    car.deliver(old_delta.topic, old_delta.payload)
    assert [r.reason for r in car.applier.rejections] == ["rollback", "stale version"]
    assert car.sync.version == 2
    assert_same_rows(car.store, op)


def test_under_one_filter_up_to_date_waits_for_the_retained_heartbeat() -> None:
    """One subscription for the four streams: the broker sends the retained manifest and heartbeat
    in its own order. A car back from a garage that gets the manifest (its status sequence a day
    old) first is not "up to date" until the heartbeat has told it how far the statuses went; if
    the broker holds no heartbeat (expired while the publisher is down), after the gap grace."""
    from sync.activity import StatusSimulator

    op = _operator()
    car = Car(op, one_filter=True)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    head = op.head(1000)
    car.deliver(head.topic, head.payload, retained=True)
    assert car.sync.synced
    car.run(car.sync.disconnected(car.now))
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in LOCS for e in loc.evses), seed=5)
    op.publish_statuses(sim.changes(200, 1.8e9))  # while the car was away (its queue lost)
    car.run(car.sync.connected(car.now))
    manifest = op.manifest(1001)  # the retained copies, the manifest first
    car.deliver(manifest.topic, manifest.payload, retained=True)
    assert not car.sync.synced and "heartbeat" in car.sync.status().detail
    head = op.head(1001)
    car.deliver(head.topic, head.payload, retained=True)
    assert not car.sync.synced  # now it knows the statuses went further: it asks for them
    car.wait(GAP_GRACE_S * 3)
    assert car.sync.synced and car.sync.status_seq == op.state.status_seq
    assert_same_rows(car.store, op)
    car.run(car.sync.connected(car.now))  # again, and the broker holds no heartbeat
    car.deliver(manifest.topic, manifest.payload, retained=True)
    assert not car.sync.synced
    car.wait(GAP_GRACE_S * 2)
    assert car.sync.synced


def test_statuses_out_of_order_duplicated_and_with_gaps_converge() -> None:
    from sync.activity import StatusSimulator

    op = _operator(status_batch=500)
    car = Car(op)
    car.feed(op.publish_dataset(LOCS, TARIFFS, now=1000))
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in LOCS for e in loc.evses), seed=5)
    batches = op.publish_statuses(sim.changes(3000, 1.8e9))
    assert len(batches) == 6
    for i in (5, 0, 0, 2, 1, 3):  # 4 lost, 5 early, 0 twice
        car.deliver(batches[i].topic, batches[i].payload)
    car.feed([op.manifest(1002)])
    assert not car.sync.synced
    car.wait(GAP_GRACE_S * 2)
    assert car.sync.synced and car.sync.status_seq == op.state.status_seq
    assert_same_rows(car.store, op)
    assert {r.reason for r in car.applier.rejections} == {"duplicate"}


def test_restart_resumes_a_half_staged_snapshot() -> None:
    op = _operator()
    msgs = op.publish_dataset(LOCS, TARIFFS, now=1000)
    chunks = [m for m in msgs if "/snapshot/" in m.topic]
    car = Car(op)
    car.feed([m for m in msgs if m.topic.endswith("/manifest")])
    car.deliver(chunks[0].topic, chunks[0].payload)
    car.deliver(chunks[1].topic, chunks[1].payload)
    # the process dies; a new one opens the same cache
    again = Car(op, store=car.store)
    assert again.sync._restored_stage is not None and again.sync._restored_stage[1] == frozenset({0, 1})
    again.feed([m for m in msgs if m.topic.endswith("/manifest")])
    for m in chunks[2:]:
        again.deliver(m.topic, m.payload)
    assert again.sync.synced
    assert_same_rows(again.store, op)


def test_manifest_for_another_dataset_or_key_is_refused() -> None:
    other = Operator(OperatorState("eu-partners"), SIGNER)
    forged = Operator(OperatorState("cn-partners"), generate_signer())
    car = Car(None)
    for m in (
        other.publish_dataset(LOCS[:3], TARIFFS, now=1000)[-1:]
        + forged.publish_dataset(LOCS[:3], TARIFFS, now=1000)[-1:]
    ):
        car.deliver(Topics().manifest, m.payload)
    assert [r.reason for r in car.applier.rejections] == ["wrong dataset", "bad signature"]
    assert car.sync.manifest is None and car.store.stats()["locations"] == 0


def test_expired_manifest_shows_error() -> None:
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS[:3], TARIFFS, now=1000))
    car.now = 1000 + 8 * 24 * 3600
    car.feed([op.manifest(1000)])
    assert car.sync.status().state == "error" and "expired" in car.sync.status().detail


def test_evses_that_move_between_locations_travel_in_one_delta() -> None:
    """A partner re-ids a station (old id gone, new id with the same EVSE uids) and two stations
    swap an EVSE: with one record per delta, each move must still land in one transaction."""
    op = _operator(delta_max_records=1)
    car = Car(op)
    locs = list(LOCS[:30])
    car.feed(op.publish_dataset(locs, TARIFFS, now=1000))
    a, b, c = locs[3], locs[4], locs[5]
    renamed = replace(a, id=a.id + "-R", last_updated="2026-11-05T00:00:00Z")
    swapped_b = replace(b, evses=(c.evses[0], *b.evses[1:]), last_updated="2026-11-05T00:00:00Z")
    swapped_c = replace(c, evses=(b.evses[0], *c.evses[1:]), last_updated="2026-11-05T00:00:00Z")
    new = [renamed if x is a else swapped_b if x is b else swapped_c if x is c else x for x in locs]
    msgs = op.publish_dataset(new, TARIFFS, now=1001)
    deltas = [m for m in msgs if m.topic.endswith("/delta")]
    assert len(deltas) == 2  # {a gone, a-R new} and {b, c}: one delta each, not one per record
    car.feed(msgs)
    assert car.sync.synced and car.sync.version == op.state.version
    assert car.applier.rejections == []
    assert_same_rows(car.store, op)


def test_a_delta_never_outgrows_a_car_message() -> None:
    from chargers.models import MAX_RECORD_BYTES
    from sync.protocol.changes import DELTA_MAX_RAW_BYTES
    from sync.protocol.messages import MAX_PAYLOAD_BYTES

    assert MAX_RECORD_BYTES * 2 <= DELTA_MAX_RAW_BYTES <= MAX_PAYLOAD_BYTES // 2
    op = _operator()
    car = Car(op)
    car.feed(op.publish_dataset(LOCS[:2], TARIFFS, now=1000))
    msgs = op.publish_dataset(LOCS, TARIFFS, now=1001)  # every location new: split by size as well
    assert all(len(m.payload) <= MAX_PAYLOAD_BYTES for m in msgs)
    car.feed(msgs)
    assert car.sync.synced
    from chargers.dataset import record_bytes
    from sync.protocol.changes import split_delta

    parts = split_delta(2, list(LOCS), [], [], [], max_bytes=20_000)
    assert len(parts) > 3 and [d.version for d in parts] == list(range(2, 2 + len(parts)))
    assert all(sum(map(record_bytes, d.upsert_locations)) <= 20_000 for d in parts)
    assert [loc for d in parts for loc in d.upsert_locations] == list(LOCS)
