"""The app's sync service against a real Mosquitto: status for the screen, changed stations, and a
broker that is not there yet."""

import threading

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from ivi.services.mqtt_sync import MqttSync
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from tests.sync.brokers import Mosquitto
from tests.waiting import free_port, wait_for


class Screen:
    """What the screen receives, from the sync's threads."""

    def __init__(self) -> None:
        self.statuses, self.changes = [], []
        self.changed = threading.Event()

    def on_status(self, s) -> None:  # type: ignore[no-untyped-def]
        self.statuses.append(s)

    def on_changed(self, ids) -> None:  # type: ignore[no-untyped-def]
        self.changes.append(ids)
        self.changed.set()


def test_sync_service_follows_the_publisher_and_names_changed_stations(tmp_path):
    write_feeds(tmp_path / "feeds", GeneratorConfig(scale=0.01, seed=3))
    feed = read_feeds([tmp_path / "feeds"])
    key, pub_key = write_keypair(tmp_path / "operator")
    port = free_port()
    db = tmp_path / "car.db"
    screen = Screen()
    service = MqttSync(db, f"mqtt://127.0.0.1:{port}", pub_key, "car-1", retry_s=0.2, max_retry_s=0.5)
    service.start(screen.on_status, screen.on_changed)
    broker = None
    try:
        # No broker yet: the screen hears "offline" with the reason, and the service keeps trying.
        assert wait_for(lambda: any(s.state == "offline" and "127.0.0.1" in s.detail for s in screen.statuses), 60)
        broker = Mosquitto(tmp_path / "broker", port=port).start()
        pub = Publisher(broker.url, load_signer(key)).start()
        try:
            pub.publish_dataset(feed.locations, feed.tariffs)
            assert wait_for(lambda: screen.statuses[-1].state == "up_to_date")
            assert screen.statuses[-1].version == 1 and screen.statuses[-1].last_contact
            assert None in screen.changes  # the snapshot: everything may have changed
            with ChargerStore.open(db, readonly=True) as store:
                assert store.stats()["evses"] == sum(len(loc.evses) for loc in feed.locations)
            loc = feed.locations[3]
            screen.changes.clear()
            screen.changed.clear()
            pub.publish_statuses([(loc.evses[0].uid, "OUTOFORDER", "2031-01-01T00:00:00Z")], wait=True)
            assert screen.changed.wait(20)
            assert wait_for(lambda: [loc.id] in screen.changes)
            with ChargerStore.open(db, readonly=True) as store:
                assert store.location(loc.id).evses[0].status == "OUTOFORDER"
        finally:
            pub.close()
    finally:
        service.stop()
        if broker:
            broker.stop()


def test_a_key_that_is_not_a_key_is_said_plainly_on_screen(tmp_path):
    bad = tmp_path / "operator.pub"
    bad.write_text("not a key")
    screen = Screen()
    service = MqttSync(tmp_path / "c.db", "mqtt://127.0.0.1:1", bad, "car-2", retry_s=5)
    service.start(screen.on_status, screen.on_changed)
    try:
        assert wait_for(lambda: "not a public key" in screen.statuses[-1].detail, 60)
        assert screen.statuses[-1].state == "offline"
    finally:
        service.stop()


def test_the_sync_process_is_stopped_with_the_app(tmp_path):
    _key, pub_key = write_keypair(tmp_path / "operator")
    broker = Mosquitto(tmp_path / "broker").start()
    screen = Screen()
    service = MqttSync(tmp_path / "c.db", broker.url, pub_key, "car-3")
    try:
        service.start(screen.on_status, screen.on_changed)
        assert wait_for(
            lambda: service._proc is not None and any(s.detail != "connecting" for s in screen.statuses), 60
        )
        proc = service._proc
        service.stop()
        assert proc.poll() is not None
    finally:
        broker.stop()
