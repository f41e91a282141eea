"""The app logs in to the shipped broker configuration: ``ivi run``'s ``--username/--password-file/
--cafile`` (or the ``IVI_MQTT_*`` variables) reach its sync process, and a car with them syncs
through a real Mosquitto that binds client ids to users and refuses anonymous clients."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from ivi.app import AppConfig, BrokerLogin, make_sync
from ivi.services.mqtt_sync import MqttSync
from ivi.settings import ENVIRONMENT, Settings
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from tests.sync.brokers import Mosquitto
from tests.waiting import wait_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto"


def test_the_login_comes_from_the_environment_and_reaches_the_sync_process(tmp_path: Path) -> None:
    env = {
        "IVI_BROKER": "mqtts://broker.example:8883",
        "IVI_PUBKEY": f"{tmp_path / 'old.pub'}:{tmp_path / 'new.pub'}",
        "IVI_MQTT_USERNAME": "LSJA24U63NS000001",
        "IVI_MQTT_PASSWORD_FILE": str(tmp_path / "pw"),
        "IVI_MQTT_CAFILE": str(tmp_path / "ca.crt"),
        "IVI_SYNC_NOT_BEFORE": "2026-11-01",
    }
    assert set(env) <= set(ENVIRONMENT)
    s = Settings.from_environment(env)
    assert s.client_id == "LSJA24U63NS000001"  # the broker binds the client id to the user
    login = BrokerLogin(s.pubkeys, s.mqtt_username, s.mqtt_password_file, s.mqtt_cafile, s.sync_not_before)
    sync = make_sync(AppConfig(settings=s, broker=s.broker, login=login), lambda: ChargerStore.open(":memory:"))
    assert isinstance(sync, MqttSync)
    cmd = sync.command
    assert cmd[cmd.index("--client-id") + 1] == "LSJA24U63NS000001"
    for flag, value in (
        ("--username", "LSJA24U63NS000001"),
        ("--password-file", str(tmp_path / "pw")),
        ("--cafile", str(tmp_path / "ca.crt")),
        ("--not-before", "2026-11-01"),
    ):
        assert cmd[cmd.index(flag) + 1] == value
    assert [cmd[i + 1] for i, a in enumerate(cmd) if a == "--pubkey"] == [
        str(tmp_path / "old.pub"),
        str(tmp_path / "new.pub"),
    ]
    assert not any("secret" in a for a in cmd)


class Screen:
    def __init__(self) -> None:
        self.statuses: list = []
        self.lock = threading.Lock()

    def on_status(self, s) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.statuses.append(s)


def test_the_app_syncs_through_the_shipped_broker_config(tmp_path: Path, small_feeds) -> None:
    passwd = tmp_path / "passwd"
    users = {"ivi-sync-publisher": "pub-secret", "LSJA24U63NS000001": "car-secret"}
    for i, (user, pw) in enumerate(users.items()):
        subprocess.run(["mosquitto_passwd", *(["-c"] if i == 0 else []), "-b", str(passwd), user, pw], check=True)
    shipped = [
        line
        for line in (DEPLOY / "mosquitto.conf").read_text().splitlines()
        if line.startswith(("use_username_as_clientid", "per_listener_settings"))
    ]
    broker = Mosquitto(
        tmp_path / "b", anonymous=False, extra=(*shipped, f"acl_file {DEPLOY / 'acl'}", f"password_file {passwd}")
    ).start()
    key, pub_key = write_keypair(tmp_path / "operator")
    (tmp_path / "car.pw").write_text("car-secret\n")
    feed = read_feeds([small_feeds])
    pub = Publisher(broker.url, load_signer(key), username="ivi-sync-publisher", password="pub-secret").start()
    login = BrokerLogin((str(pub_key),), "LSJA24U63NS000001", tmp_path / "car.pw")
    s = Settings.from_environment({"IVI_DB": str(tmp_path / "car.db")})
    sync = make_sync(
        AppConfig(settings=s, broker=broker.url, login=login), lambda: ChargerStore.open(s.db_path, seed=False)
    )
    screen = Screen()
    try:
        pub.publish_dataset(feed.locations[:30], feed.tariffs)
        sync.start(screen.on_status, lambda ids: None)
        assert wait_for(lambda: screen.statuses and screen.statuses[-1].state == "up_to_date", 60), screen.statuses[-3:]
        assert screen.statuses[-1].version == 1
    finally:
        sync.stop()
        pub.close()
        broker.stop()
