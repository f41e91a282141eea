"""The screen with the real OTA sync: Mosquitto, the operator's publisher, and the app's sync client
(``ivi-sync follow --events`` in its own process) writing the cache the screen reads."""

from __future__ import annotations

from chargers.feeds.bundled import bundled_feed_paths
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from ivi.services.mqtt_sync import MqttSync
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from tests.sync.brokers import Mosquitto
from tests.ui.conftest import build_screen


def test_a_charger_out_of_order_in_a_real_sync_updates_the_stop(qtbot, cache_copy, trip, tmp_path):
    key, pub_key = write_keypair(tmp_path / "operator")
    broker = Mosquitto(tmp_path / "broker").start()
    pub = Publisher(broker.url, load_signer(key)).start()
    feed = read_feeds(bundled_feed_paths())
    pub.publish_dataset(feed.locations, feed.tariffs)
    sync = MqttSync(cache_copy, broker.url, pub_key, "car-ui-test", retry_s=0.5)
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", sync=sync)
    try:
        c = screen.controller
        qtbot.waitUntil(lambda: c.sync.value("state") == "up_to_date", timeout=60000)
        screen.car.set(80.0, route_km=200.0)
        qtbot.waitUntil(lambda: any(r["available"] > 0 for r in c.suggestions.model.rows()), timeout=10000)
        row = next(r for r in c.suggestions.model.rows() if r["available"] > 0)
        with ChargerStore.open(cache_copy, readonly=True) as store:
            loc = store.location(row["stationId"])
        pub.publish_statuses([(e.uid, "OUTOFORDER", "2031-01-01T00:00:00Z") for e in loc.evses], wait=True)
        # A station whose every charger is out of order is offline to the planner: it leaves the list
        # (or, while it is still being re-planned, shows 0 free).
        qtbot.waitUntil(
            lambda: (
                any(r["stationId"] == loc.id and r["available"] == 0 for r in c.suggestions.model.rows())
                or all(r["stationId"] != loc.id for r in c.suggestions.model.rows())
            ),
            timeout=20000,
        )
        with ChargerStore.open(cache_copy, readonly=True) as store:
            assert {e.status for e in store.location(loc.id).evses} == {"OUTOFORDER"}
        assert c.sync.value("state") == "up_to_date"
    finally:
        screen.close()
        pub.close()
        broker.stop()
