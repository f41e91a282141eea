"""Fixtures shared by every test package: real SQLite caches and real generated feeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.store import ChargerStore

# Hypothesis checks behaviour here, not speed (benchmarks do that): no per-example deadline, which
# a loaded CI machine can exceed at random and turn into a flaky failure.
settings.register_profile("ivi", deadline=None)
settings.load_profile("ivi")


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scale-1 cache seeded from the bundled feeds, built once per session. Read-only use:
    tests that write take ``seeded_copy``."""
    path = tmp_path_factory.mktemp("cache") / "chargers.db"
    ChargerStore.open(path).close()
    return path


@pytest.fixture
def seeded_copy(seeded_db: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "chargers.db"
    shutil.copy(seeded_db, dst)
    return dst


@pytest.fixture(scope="session")
def small_feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Scale-0.02 partner feeds (about 580 chargers): quick to import, same shape as the real ones."""
    out = tmp_path_factory.mktemp("feeds")
    write_feeds(out, GeneratorConfig(scale=0.02, seed=11))
    return out
