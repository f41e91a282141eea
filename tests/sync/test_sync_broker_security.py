"""The broker side of "nobody but the operator may change what the car believes": per-client
ACLs refuse a car's publish to charger topics, and the shipped TLS config works."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.errors import TransportError
from sync.protocol.bodies import Topics
from sync.publisher import Publisher
from sync.transport import MqttTransport
from tests.sync.brokers import Mosquitto, free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto"


def _passwords(path: Path, users: dict[str, str]) -> None:
    for i, (user, pw) in enumerate(users.items()):
        subprocess.run(["mosquitto_passwd", *(["-c"] if i == 0 else []), "-b", str(path), user, pw], check=True)


@pytest.fixture
def acl_broker(tmp_path: Path):
    _passwords(tmp_path / "passwd", {"ivi-sync-publisher": "pub-secret", "car-1": "car1-secret"})
    b = Mosquitto(
        tmp_path / "b",
        extra=(f"acl_file {DEPLOY / 'acl'}", f"password_file {tmp_path / 'passwd'}", "per_listener_settings false"),
    ).start()
    conf = (tmp_path / "b" / "mosquitto.conf").read_text().replace("allow_anonymous true", "allow_anonymous false")
    (tmp_path / "b" / "mosquitto.conf").write_text(conf)
    b.stop()
    b.write_config = lambda: tmp_path / "b" / "mosquitto.conf"  # keep the edited config
    yield b.start()
    b.stop()


def _client(url: str, cid: str, pw: str, received: list | None = None) -> MqttTransport:
    t = MqttTransport(
        url,
        cid,
        username=cid,
        password=pw,
        persistent=False,
        on_message=lambda msg: received.append(msg.topic) if received is not None else None,
    )
    t.connect()
    return t


def test_a_car_may_not_write_charger_topics_or_another_cars_requests(acl_broker) -> None:
    got: list[str] = []
    pub = _client(acl_broker.url, "ivi-sync-publisher", "pub-secret", got)
    pub.subscribe("#")
    car = _client(acl_broker.url, "car-1", "car1-secret")
    try:
        with pytest.raises(TransportError, match="refused"):
            car.publish(Topics().delta, b"IVS1 forged", wait_s=5)
        with pytest.raises(TransportError, match="refused"):
            car.publish(Topics.request("car-2"), b"{}", wait_s=5)
        car.publish(Topics.request("car-1"), b'{"want": "statuses"}', wait_s=5)
        pub.publish(Topics().manifest, b"from the operator", wait_s=5)
        import time

        time.sleep(0.3)
        assert Topics().delta not in got and Topics.request("car-2") not in got
        assert Topics.request("car-1") in got and Topics().manifest in got
    finally:
        car.close()
        pub.close()
    with pytest.raises(TransportError, match=r"refused|accept"):
        _client(acl_broker.url, "car-1", "wrong-password")


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    crt, k = tmp / "server.crt", tmp / "server.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    return crt, k


def test_shipped_tls_config_syncs_a_car(tmp_path: Path, signer, small_feeds) -> None:
    crt, key = _self_signed(tmp_path)
    port = free_port()
    shipped = (DEPLOY / "mosquitto.conf").read_text()
    keep = [
        line for line in shipped.splitlines() if line.startswith(("tls_version", "message_size_limit", "max_queued"))
    ]
    b = Mosquitto(
        tmp_path / "b",
        port=port,
        listener=f"listener {port} 127.0.0.1\ncafile {crt}\ncertfile {crt}\nkeyfile {key}",
        extra=tuple(keep),
    ).start()
    url = f"mqtts://127.0.0.1:{port}"
    try:
        pub = Publisher(url, signer, ca_file=str(crt)).start()
        feed = read_feeds([small_feeds])
        pub.publish_dataset(feed.locations[:50], feed.tariffs)
        store = ChargerStore.open(tmp_path / "car.db", seed=False)
        car = VehicleClient(store, signer.verifier, url, "car-tls", ca_file=str(crt)).start()
        assert car.wait_synced(20)
        assert store.stats()["locations"] == 50
        car.stop()
        pub.close()
        with pytest.raises(TransportError):  # without the CA the car refuses the broker
            MqttTransport(url, "car-x", on_message=lambda *a: None).connect(3)
    finally:
        b.stop()
