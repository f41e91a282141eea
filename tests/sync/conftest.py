from __future__ import annotations

from pathlib import Path

import pytest

from chargers.feeds.generator import GeneratorConfig, write_feeds
from sync.signing import generate_signer
from tests.sync.brokers import Mosquitto


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
