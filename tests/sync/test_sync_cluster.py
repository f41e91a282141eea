"""The protocol, unchanged, on a three-node NATS cluster (MQTT 3.1.1): the publisher writes to one
node, cars read from the others, and a node killed with SIGKILL and restarted loses nothing."""

from __future__ import annotations

from pathlib import Path

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.publisher import Publisher
from tests.sync.helpers import assert_same_rows, wait_for

SYNC_TIMEOUT_S = 60


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
