"""What the planner reads from the charger data besides place and power: which carriageway an
expressway service area serves (generator → OCPI → cache), and tariff windows restricted to some
days of the week (OCPI ``day_of_week``), priced in the station's own time zone."""

from __future__ import annotations

import json
import math
import random

import pytest

from chargers.feeds.generator import GeneratorConfig, generate, service_areas
from chargers.models import Tariff, TariffWindow
from chargers.ocpi import location_to_ocpi, parse_location, parse_tariff, tariff_to_ocpi, validate
from chargers.store import ChargerStore
from geo.geometry import bearing_deg


def test_each_service_area_serves_one_carriageway_and_stands_on_its_right() -> None:
    locs, _ = generate(GeneratorConfig(scale=0.05, seed=3))["LI_AUTO"]
    highway = [loc for loc in locs if "服务区" in loc.name]
    assert highway and all(loc.carriageway_bearing_deg is not None for loc in highway)
    assert all(loc.carriageway_bearing_deg is None for loc in locs if "服务区" not in loc.name)
    assert all("方向）" in loc.name and "(towards " in loc.name_en for loc in highway)


def test_the_two_sides_of_a_service_area_face_opposite_ways_right_hand_traffic() -> None:
    sites = service_areas(random.Random("7:sites"))
    for a, b in zip(sites[::2], sites[1::2], strict=True):
        assert a.address == b.address  # one service area, two sides
        assert a.carriageway_bearing_deg is not None and b.carriageway_bearing_deg is not None
        assert abs((a.carriageway_bearing_deg - b.carriageway_bearing_deg) % 360 - 180) < 0.2
        # Right-hand traffic: seen from the other side, each side lies 90° right of its own heading.
        across = bearing_deg((b.lat, b.lon), (a.lat, a.lon))  # from b's side to a's side
        assert abs(((across - a.carriageway_bearing_deg) % 360) - 90) < 5


def test_the_carriageway_travels_through_ocpi_and_the_cache(tmp_path) -> None:
    locs, tariffs = generate(GeneratorConfig(scale=0.02, seed=5))["NIO"]
    side = next(loc for loc in locs if loc.carriageway_bearing_deg is not None)
    doc = location_to_ocpi(side)
    assert doc["parking_type"] == "ALONG_MOTORWAY" and doc["x_carriageway_bearing_deg"] == side.carriageway_bearing_deg
    assert parse_location(json.loads(json.dumps(doc))) == side
    town = next(loc for loc in locs if loc.carriageway_bearing_deg is None)
    assert "parking_type" not in location_to_ocpi(town)
    with ChargerStore.open(tmp_path / "c.db", seed=False) as store:
        store.upsert(locs, tariffs)
        assert store.location(side.id) == side and store.location(town.id) == town


@pytest.mark.parametrize("bad", [400, -1, "north", math.inf, True])
def test_a_bad_carriageway_rejects_that_record_only(bad) -> None:  # type: ignore[no-untyped-def]
    locs, _ = generate(GeneratorConfig(scale=0.02, seed=5))["NIO"]
    good = [location_to_ocpi(loc) for loc in locs[:3]]
    broken = {**good[0], "id": "BROKEN", "x_carriageway_bearing_deg": bad}
    feed = validate([broken, *good])
    assert len(feed.locations) == 3
    assert [(r.reason, r.record_id) for r in feed.rejections] == [("bad carriageway", "BROKEN")]


def test_day_of_week_restrictions_are_read_kept_and_priced_on_their_days(tmp_path) -> None:
    """An OCPI 2.2.1 tariff shaped like the spec's examples: a weekend price and a weekday one."""
    doc = {
        "country_code": "CN",
        "party_id": "NIO",
        "id": "WEEKEND-1",
        "currency": "CNY",
        "elements": [
            {
                "price_components": [{"type": "ENERGY", "price": 1.2, "step_size": 1}],
                "restrictions": {"day_of_week": ["SATURDAY", "SUNDAY"]},
            },
            {
                "price_components": [{"type": "ENERGY", "price": 1.8, "step_size": 1}],
                "restrictions": {
                    "start_time": "00:00",
                    "end_time": "00:00",
                    "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                },
            },
        ],
        "last_updated": "2026-11-01T00:00:00Z",
    }
    tariff = parse_tariff(doc)
    assert [w.days for w in tariff.windows] == [(6, 7), (1, 2, 3, 4, 5)]
    assert tariff.price_at("12:00", 6).total_cny_per_kwh == 1.2  # Saturday
    assert tariff.price_at("12:00", 3).total_cny_per_kwh == 1.8  # Wednesday
    assert tariff.price_at("12:00") is None  # no day known: no day-restricted window applies
    assert parse_tariff(json.loads(json.dumps(tariff_to_ocpi(tariff)))) == tariff
    with ChargerStore.open(tmp_path / "c.db", seed=False) as store:
        store.upsert([], [tariff])
        assert store.tariff("WEEKEND-1") == tariff
    bad = {**doc, "id": "BAD", "elements": [{**doc["elements"][0], "restrictions": {"day_of_week": ["SABADO"]}}]}
    feed = validate([], [bad])
    assert [r.reason for r in feed.rejections] == ["bad tariff restriction"]


def test_windows_without_days_apply_every_day() -> None:
    t = Tariff("T", "NIO", "CNY", (TariffWindow("00:00", "12:00", 1.0, 0.5), TariffWindow("12:00", "00:00", 2.0, 0.5)))
    assert t.price_at("11:59", 1).total_cny_per_kwh == 1.5 and t.price_at("12:00", 7).total_cny_per_kwh == 2.5
