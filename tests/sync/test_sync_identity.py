"""One car's credentials must not reach another car: with the shipped broker config (client id
bound to the user, ACL patterns on ``%u``) a car that claims another car's client id keeps its
own session, cannot read the other car's replies, cannot ask in its name, and cannot knock it off.
The same attempt against the old example config (``%c`` patterns) shows what it prevents."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from chargers.ocpi import read_feeds
from sync.errors import TransportError
from sync.protocol.bodies import Topics
from sync.publisher import Publisher
from sync.transport import MqttTransport
from tests.sync.brokers import Mosquitto
from tests.sync.helpers import ivi_sync
from tests.waiting import wait_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto"
USERS = {"ivi-sync-publisher": "pub-secret", "ivi-sync-ops": "ops-secret", "car-1": "car1-secret", "car-2": "car2-s"}
#: The shipped mosquitto.conf's lines about who may do what (the TLS and path lines are the host's).
SHIPPED = tuple(
    line
    for line in (DEPLOY / "mosquitto.conf").read_text().splitlines()
    if line.startswith(("use_username_as_clientid", "per_listener_settings", "max_queued", "message_size_limit"))
)
OLD_ACL = """user ivi-sync-publisher
topic readwrite chargers/#
topic read vehicles/+/request
topic write vehicles/+/response
pattern read chargers/#
pattern write vehicles/%c/request
pattern read vehicles/%c/response
"""


def _broker(tmp: Path, *, shipped: bool) -> Mosquitto:
    passwd = tmp / "passwd"
    for i, (user, pw) in enumerate(USERS.items()):
        subprocess.run(["mosquitto_passwd", *(["-c"] if i == 0 else []), "-b", str(passwd), user, pw], check=True)
    if shipped:
        acl, lines = DEPLOY / "acl", SHIPPED
    else:
        acl, lines = tmp / "old-acl", ("per_listener_settings false",)
        acl.write_text(OLD_ACL)
    assert not shipped or "use_username_as_clientid true" in SHIPPED
    return Mosquitto(
        tmp / "broker", anonymous=False, extra=(*lines, f"acl_file {acl}", f"password_file {passwd}")
    ).start()


class Car:
    def __init__(self, url: str, client_id: str, user: str, password: str) -> None:
        self.topics: list[str] = []
        self.dropped = threading.Event()
        self.t = MqttTransport(
            url,
            client_id,
            username=user,
            password=password,
            on_message=lambda m: self.topics.append(m.topic),
            on_disconnect=self.dropped.set,
        )
        self.t.connect()


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped-config", "old-config"])
def test_a_car_claiming_another_cars_id_gets_nothing_of_it(tmp_path: Path, shipped: bool) -> None:
    broker = _broker(tmp_path, shipped=shipped)
    victim = Car(broker.url, "car-2", "car-2", USERS["car-2"])
    victim.t.subscribe(Topics.response("car-2"))
    try:
        time.sleep(0.3)
        attacker = Car(broker.url, "car-2", "car-1", USERS["car-1"])  # its own password, the victim's id
        attacker.t.subscribe(Topics.response("car-2"))
        time.sleep(0.5)
        if not shipped:  # the defect: the victim's session is taken over and the victim knocked off
            assert victim.dropped.is_set()
            attacker.t.close()
            return
        assert not victim.dropped.is_set(), "the victim was knocked off"
        with pytest.raises(TransportError, match="refused"):
            attacker.t.publish(Topics.request("car-2"), b'{"want": "statuses"}', wait_s=5)
        attacker.t.publish(Topics.request("car-1"), b'{"want": "statuses"}', wait_s=5)  # its own is fine
        operator = Car(broker.url, "ivi-sync-publisher", "ivi-sync-publisher", USERS["ivi-sync-publisher"])
        operator.t.publish(Topics.response("car-2"), b"for car-2 only", wait_s=5)
        assert wait_for(lambda: Topics.response("car-2") in victim.topics, 10)
        time.sleep(0.3)
        assert Topics.response("car-2") not in attacker.topics
        assert not victim.dropped.is_set()
        operator.t.close()
        attacker.t.close()
    finally:
        victim.t.close()
        broker.stop()


def test_the_shipped_config_syncs_a_car_and_lets_the_operator_inspect(tmp_path: Path, signer, small_feeds) -> None:
    broker = _broker(tmp_path, shipped=True)
    key_dir = tmp_path / "keys"
    assert ivi_sync("keygen", "--out", str(key_dir / "op")).returncode == 0
    (tmp_path / "car.pw").write_text(USERS["car-1"] + "\n")
    (tmp_path / "ops.pw").write_text(USERS["ivi-sync-ops"])
    try:
        from sync.signing import load_signer

        pub = Publisher(
            broker.url,
            load_signer(key_dir / "op.key"),
            username="ivi-sync-publisher",
            password=USERS["ivi-sync-publisher"],
        ).start()
        feed = read_feeds([small_feeds])
        pub.publish_dataset(feed.locations[:40], feed.tariffs)
        login = ("--password-file", str(tmp_path / "car.pw"))
        follow = ivi_sync(
            "follow", "--broker", broker.url, "--db", str(tmp_path / "car.db"), "--pubkey", str(key_dir / "op.pub"),
            "--username", "car-1", *login, "--until-synced", "--timeout", "30",
        )  # fmt: skip
        assert follow.returncode == 0, follow.stderr
        assert "up to date: version 1" in follow.stdout
        inspect = ivi_sync(
            "inspect", "--broker", broker.url, "--pubkey", str(key_dir / "op.pub"), "--username", "ivi-sync-ops",
            "--password-file", str(tmp_path / "ops.pw"),
        )  # fmt: skip
        assert inspect.returncode == 0, inspect.stderr
        assert "manifest: version 1, 40 locations" in inspect.stdout
        # The running publisher was not disturbed by the tools (their own users, their own ids).
        assert pub.transport.connected and pub.transport.connects == 1
        pub.close()
    finally:
        broker.stop()
