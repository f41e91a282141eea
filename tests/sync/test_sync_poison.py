"""Poisoned partner feeds against a real Mosquitto: each bad record is left out and reported per
partner and reason, the publisher never crashes, the good records reach a new car, and publishing
the same feeds again changes nothing. Defence in depth on the car: a signed delta that still does
not fit its cache is refused with a reason and acknowledged, and the car recovers."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import orjson

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.ocpi import location_to_ocpi, read_feeds
from chargers.store import ChargerStore
from chargers.store.syncstate import dump_rows
from sync.activity import StatusSimulator
from sync.client import VehicleClient
from sync.protocol.bodies import Delta, Topics
from sync.protocol.messages import Header, encode
from sync.publisher import Publisher
from sync.transport import MqttTransport
from tests.sync.brokers import Mosquitto
from tests.sync.helpers import assert_same_rows, ivi_sync, wait_for

SYNC_TIMEOUT_S = 30


def _feed(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def _poison(feeds: Path) -> dict[str, dict[str, int]]:
    """Put every kind of bad record the issue names into the generated feeds; returns what the
    publisher must report, per partner and reason."""
    nio, xpeng = _feed(feeds / "nio.json.gz"), _feed(feeds / "xpeng.json.gz")
    locs = nio["data"]
    # a NIO location naming an EVSE uid of another NIO location (two locations, one uid) …
    twin = copy.deepcopy(locs[1])
    twin["id"] = "NIO-TWIN"
    twin["evses"] = [copy.deepcopy(locs[0]["evses"][0])]
    # … one naming the same uid twice …
    twice = copy.deepcopy(locs[2])
    twice["id"] = "NIO-TWICE"
    for e in twice["evses"]:
        e["uid"] += "-T"
    twice["evses"].append(copy.deepcopy(twice["evses"][0]))
    # … and Xpeng naming a NIO uid (across partners)
    thief = copy.deepcopy(xpeng["data"][0])
    thief["id"] = "XPG-THIEF"
    thief["evses"] = [copy.deepcopy(locs[3]["evses"][0]), dict(copy.deepcopy(thief["evses"][0]), uid="XPG-OWN-1")]
    # wrong types
    hours = copy.deepcopy(locs[4])
    hours["id"] = "NIO-HOURS"
    hours["opening_times"] = {"twentyfourseven": False, "regular_hours": 5}
    for e in hours["evses"]:
        e["uid"] += "-H"
    # a record no car could take: 3,000 EVSEs (over 1 MiB of JSON)
    huge = copy.deepcopy(locs[5])
    huge["id"] = "NIO-HUGE"
    huge["evses"] = [
        dict(copy.deepcopy(locs[5]["evses"][0]), uid=f"NIO-HUGE-{i:05d}", evse_id=f"CN*NIO*E{i:012d}*1")
        for i in range(3000)
    ]
    for e in huge["evses"]:
        e["connectors"][0]["tariff_ids"] = [f"NIO-HUGE-T{j}" for j in range(12)]
    nio["data"] += [twin, twice, hours, huge]
    # tariffs: "NaN", a NaN literal, Infinity, "abc"
    bad_prices = {"NIO-NAN-STR": "NaN", "NIO-NAN": float("nan"), "NIO-INF": float("inf"), "NIO-ABC": "abc"}
    for tid, price in bad_prices.items():
        t = copy.deepcopy(nio["tariffs"][0])
        t["id"] = tid
        t["elements"][0]["price_components"][0]["price"] = price
        nio["tariffs"].append(t)
    xpeng["data"].append(thief)
    (feeds / "nio.json.gz").write_bytes(gzip.compress(json.dumps(nio, ensure_ascii=False).encode()))
    (feeds / "xpeng.json.gz").write_bytes(gzip.compress(json.dumps(xpeng, ensure_ascii=False).encode()))
    return {
        "NIO": {"bad price": 4, "bad regular_hours": 1, "duplicate evse uid": 2, "record too large": 1},
        "XPG": {"duplicate evse uid": 1},
    }


def _publish(broker: Mosquitto, feeds: Path, tmp: Path) -> dict:
    out = ivi_sync(
        "publish",
        "--broker",
        broker.url,
        "--feeds",
        str(feeds),
        "--key",
        str(tmp / "op.key"),
        "--state",
        str(tmp / "state"),
        "--json",
        timeout=120,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_poisoned_records_are_left_out_and_the_good_ones_reach_a_new_car(broker, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.03, seed=11))
    want = _poison(feeds)
    assert ivi_sync("keygen", "--out", str(tmp_path / "op")).returncode == 0
    first = _publish(broker, feeds, tmp_path)
    assert first["version"] == 1
    assert first["rejected_by_partner"] == want
    # a new car gets exactly the good records
    store = ChargerStore.open(tmp_path / "car.db", seed=False)
    from sync.signing import load_verifier

    car = VehicleClient(store, load_verifier(tmp_path / "op.pub"), broker.url, "car-new").start()
    try:
        assert car.wait_synced(SYNC_TIMEOUT_S)
        assert car.rejections == []
        ref = ChargerStore.open(tmp_path / "ref.db", seed=False)
        good = read_feeds([feeds])
        ref.upsert(good.locations, good.tariffs)
        assert dump_rows(store.conn) == dump_rows(ref.conn)
        assert store.location("NIO-TWIN") is not None and store.location("NIO-TWIN").evses == ()
        ref.close()
    finally:
        car.stop()
        store.close()
    # the same feeds again: nothing to publish (no NaN ≠ NaN churn), the broker holds it all
    again = _publish(broker, feeds, tmp_path)
    assert (again["version"], again["messages"]) == (1, 0)
    assert again["repaired"] == {"manifest": False, "chunks": [], "cleared": [], "occupancy": [], "found": []}


def test_the_car_refuses_a_signed_delta_that_does_not_fit_acknowledges_it_and_recovers(
    tmp_path: Path, signer, small_feeds
) -> None:
    """A delta signed by the operator's key (a bug, or a stolen key) gives an existing EVSE uid to
    a new location. The car's write fails; it must refuse the delta with a reason and acknowledge
    it: with one message in flight allowed, a single unacknowledged one would stop every delivery."""
    broker = Mosquitto(tmp_path / "b", extra=("max_inflight_messages 1",)).start()
    pub = Publisher(broker.url, signer).start()
    feed = read_feeds([small_feeds])
    locs = feed.locations[:60]
    pub.publish_dataset(locs, feed.tariffs)
    store = ChargerStore.open(tmp_path / "car.db", seed=False)
    car = VehicleClient(store, signer.verifier, broker.url, "car-1").start()
    rogue = MqttTransport(broker.url, "rogue", on_message=lambda m: None, persistent=False)
    rogue.connect()
    try:
        assert car.wait_synced(SYNC_TIMEOUT_S)
        stolen = locs[0].evses[0].uid
        intruder = type(locs[1])(**{**locs[1].__dict__, "id": "ROGUE-1", "evses": (locs[0].evses[0],)})
        delta = Delta(2, upsert_locations=(intruder,))
        payload = encode(Header("cn-partners", "delta", 2, 2), delta.to_body(), signer)
        rogue.publish(Topics().delta, payload, wait_s=5)
        assert wait_for(lambda: car.settled(lambda s: s.rejected["does not fit the cache"]), SYNC_TIMEOUT_S)
        reason = next(r for r in car.rejections if r.reason == "does not fit the cache")
        assert "UNIQUE" in reason.detail  # the cache's own words, kept with the rejection
        assert store.location(locs[0].id).evses[0].uid == stolen  # the owner keeps its EVSE
        assert store.location("ROGUE-1") is None and car.settled(lambda s: s.version) == 1
        # delivery goes on (the delta was acknowledged): status batches, then a real new version
        sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in locs for e in loc.evses)
        for i in range(5):
            pub.publish_statuses(sim.changes(50, 1.8e9 + i))
        pub.publish_dataset(locs[1:], feed.tariffs)
        pub.heartbeat()
        assert wait_for(
            lambda: car.settled(lambda s: s.synced and s.version == 2 and s.status_seq == pub.state.status_seq),
            SYNC_TIMEOUT_S,
        )
        assert_same_rows(store, pub.operator)
    finally:
        rogue.close()
        car.stop()
        store.close()
        pub.close()
        broker.stop()


def test_a_partner_feed_that_cannot_be_read_keeps_that_partners_stations(broker, signer, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.02, seed=5))
    pub = Publisher(broker.url, signer, state_dir=tmp_path / "state").start()
    try:
        first = pub.publish_feeds([feeds])
        nio = sum(loc.party_id == "NIO" for loc in pub.state.locations.values())
        (feeds / "nio.json.gz").write_bytes(gzip.compress(b'{"data": [')[:-4])  # a truncated download
        second = pub.publish_feeds([feeds])
        assert second.version == first.version and second.messages == 0
        assert second.kept_partners == ["NIO"]
        assert sum(loc.party_id == "NIO" for loc in pub.state.locations.values()) == nio
        assert {r.reason for r in second.rejections} == {"unreadable file"}
    finally:
        pub.close()


def test_the_publisher_validates_models_it_is_handed_too(broker, signer, small_feeds) -> None:
    feed = read_feeds([small_feeds])
    a, b = feed.locations[0], feed.locations[1]
    clash = type(b)(**{**b.__dict__, "evses": (*b.evses, a.evses[0])})
    pub = Publisher(broker.url, signer).start()
    try:
        report = pub.publish_dataset([a, clash, *feed.locations[2:10]], feed.tariffs)
        assert [(r.reason, r.record_id) for r in report.rejections] == [("duplicate evse uid", b.id)]
        uids = [e.uid for loc in pub.state.locations.values() for e in loc.evses]
        assert len(uids) == len(set(uids))
        assert orjson.dumps(location_to_ocpi(pub.state.locations[b.id]))  # still a whole location
    finally:
        pub.close()
