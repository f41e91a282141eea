"""The protocol, unchanged, on a three-node NATS cluster (MQTT 3.1.1): the publisher writes to one
node, cars read from the others, and a node killed with SIGKILL and restarted loses nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.publisher import Publisher
from tests.sync.helpers import assert_same_rows, ivi_sync, wait_for

SYNC_TIMEOUT_S = 120  # generous: a loaded cluster refuses subscriptions for a while after a kill


@pytest.fixture(autouse=True)
def _log_reconnects(caplog) -> None:
    """A failure shows when the car connected, where, and what the cluster refused."""
    caplog.set_level(logging.INFO, logger="sync")


def test_the_cluster_is_three_nodes_with_a_leader(nats_cluster) -> None:
    routes = [(n.monitor("/routez") or {}).get("num_routes") for n in nats_cluster.nodes]
    assert routes == [2, 2, 2]
    assert nats_cluster.leader() is not None
    nats_cluster.kill(1)
    assert not nats_cluster.nodes[1].alive
    nats_cluster.restart(1)
    assert nats_cluster.nodes[1].alive
    assert wait_for(lambda: (nats_cluster.nodes[1].monitor("/routez") or {}).get("num_routes") == 2, 30)


def test_publisher_on_one_node_car_on_another(nats_cluster, signer, small_feeds, tmp_path: Path) -> None:
    feed = read_feeds([small_feeds])
    a, b, _ = nats_cluster.urls
    pub = Publisher(a, signer, mqtt5=False).start()
    try:
        pub.publish_dataset(feed.locations, feed.tariffs)
        car = VehicleClient(
            ChargerStore.open(tmp_path / "car.db", seed=False), signer.verifier, b, "car-b", mqtt5=False
        )
        car.start()
        try:
            assert car.wait_synced(SYNC_TIMEOUT_S)
            assert_same_rows(car.applier.store, pub.operator)
        finally:
            car.stop()
            car.applier.store.close()
    finally:
        pub.close()


def _victim_second(cluster) -> list[str]:
    """The nodes' URLs, ordered so that node 1 (the one these tests kill) does not lead JetStream."""
    if cluster.leader() == 1:
        cluster.nodes[1], cluster.nodes[2] = cluster.nodes[2], cluster.nodes[1]
    return cluster.urls


def test_a_car_fails_over_when_its_node_dies_and_keeps_its_session(
    nats_cluster, signer, small_feeds, tmp_path: Path
) -> None:
    """The car's node is SIGKILLed while the publisher publishes on another: the car moves to the
    next node of its list, resumes its persistent session there and converges."""
    feed = read_feeds([small_feeds])
    a, b, c = _victim_second(nats_cluster)
    car = VehicleClient(
        ChargerStore.open(tmp_path / "car.db", seed=False), signer.verifier, [b, c, a], "car-fo", mqtt5=False
    )
    car.start()
    pub = Publisher(a, signer, mqtt5=False).start()
    try:
        assert car.transport.address.port == nats_cluster.nodes[1].mqtt_port
        nats_cluster.kill(1)  # not the JetStream leader: that one stalls the cluster 5-8 s (tests/fleet)
        assert wait_for(lambda: not car.transport.connected, 10)
        pub.publish_dataset(feed.locations, feed.tariffs)
        assert car.wait_synced(SYNC_TIMEOUT_S)
        assert car.transport.address.port != nats_cluster.nodes[1].mqtt_port  # on a live node
        assert 2 <= car.transport.connects <= 4  # a failover (a settling node may drop it once more), no churn
        assert_same_rows(car.applier.store, pub.operator)
    finally:
        pub.close()
        car.stop()
        car.applier.store.close()


def test_publish_and_follow_as_processes_with_a_node_list(nats_cluster, small_feeds, tmp_path: Path) -> None:
    """``ivi-sync publish`` and ``follow --until-synced`` with ``--mqtt 3.1.1``; the car's
    ``--broker`` lists a dead node first and the others comma-separated."""
    a, b, c = _victim_second(nats_cluster)
    assert ivi_sync("keygen", "--out", str(tmp_path / "op")).returncode == 0
    out = ivi_sync(
        "publish", "--broker", a, "--mqtt", "3.1.1", "--feeds", str(small_feeds), "--key", str(tmp_path / "op.key"),
        "--once", "--state", str(tmp_path / "state"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    nats_cluster.kill(1)
    out = ivi_sync(
        "follow", "--broker", b, "--broker", f"{c},{a}", "--mqtt", "3.1.1", "--db", str(tmp_path / "car.db"),
        "--pubkey", str(tmp_path / "op.pub"), "--client-id", "car-cli", "--until-synced", "--timeout", "60",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "up to date: version 1" in out.stdout
