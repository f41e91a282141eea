from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chargers.feeds.generator import GeneratorConfig, write_feeds
from sync.signing import generate_signer
from tests.sync.brokers import Mosquitto, NatsCluster


@pytest.fixture
def broker(tmp_path: Path):
    b = Mosquitto(tmp_path / "broker").start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def signer():
    return generate_signer()


@pytest.fixture(scope="session")
def small_feeds(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("feeds")
    write_feeds(d, GeneratorConfig(scale=0.05))
    return d


def _have_nats() -> bool:
    return shutil.which("nats-server") is not None or Path("/usr/sbin/nats-server").exists()


@pytest.fixture
def nats_cluster(tmp_path: Path):
    """Three clustered NATS nodes (JetStream + MQTT 3.1.1) on free loopback ports."""
    if not _have_nats():
        pytest.skip("nats-server is not installed (Makefile APT_PACKAGES)")
    c = NatsCluster(tmp_path / "cluster").start()
    yield c
    c.stop()
