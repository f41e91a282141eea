"""Planner fixtures: a real scale-1 charger cache (seeded once per session in a temp file) and
small hand-made vehicles and stations for the pure planner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from chargers.store import ChargerStore
from ivi.planner import Candidate
from ivi.profiles import load_profile, parse_profile

SMALL_CAR_TOML = """
id = "test-small"
name = "Test car with a small battery"
usable_battery_kwh = 40.0
voltage_class_v = 400
max_dc_power_kw = 150
connector = "GBT_DC"
[consumption]
rolling_kwh_per_100km = 7.0
aero_kwh_per_100km_at_100kmh = 9.0
[charging]
curve = [[0, 80], [20, 150], [50, 150], [80, 60], [100, 20]]
"""

#: A fixed clock: the bundled feeds' statuses are from 2026-10-31/11-01.
NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def planner_db(seeded_db: Path) -> Path:
    """The session's seeded scale-1 cache (tests/conftest.py); the planner only reads it."""
    return seeded_db


@pytest.fixture(scope="session")
def store(planner_db: Path):  # type: ignore[no-untyped-def]
    s = ChargerStore.open(planner_db, readonly=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def small_car():  # type: ignore[no-untyped-def]
    return parse_profile(SMALL_CAR_TOML, "test-small.toml")


@pytest.fixture(scope="session")
def su7_max():  # type: ignore[no-untyped-def]
    return load_profile("su7-max")


def station(
    i: int,
    along_km: float,
    power_kw: float = 150.0,
    off_km: float = 0.5,
    *,
    network: str = "NIO",
    available: int = 2,
    evses: int = 4,
    green: bool = False,
    price: float = 1.6,
    age_min: float | None = 5.0,
) -> Candidate:
    return Candidate(
        location_id=f"S{i:03d}",
        network=network,
        name=f"Station {i}",
        lat=30.0,
        lon=110.0 + i * 0.01,
        along_km=along_km,
        off_route_km=off_km,
        power_kw=power_kw,
        evse_count=evses,
        available_count=available,
        status_age_min=age_min,
        is_green=green,
        flat_price_cny_per_kwh=price,
    )
