import gzip
import json

from chargers.feeds import bundled_feed_paths
from chargers.feeds.generator import GeneratorConfig, generate, write_feeds
from geo import CHINA_BBOX
from geo.corridors import CORRIDORS, corridor_polyline
from geo.geometry import densify, haversine_km


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a = write_feeds(tmp_path / "a", GeneratorConfig(scale=0.05, seed=5))
    b = write_feeds(tmp_path / "b", GeneratorConfig(scale=0.05, seed=5))
    c = write_feeds(tmp_path / "c", GeneratorConfig(scale=0.05, seed=6))
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_bundled_feeds_are_exactly_the_generator_at_scale_1(tmp_path):
    fresh = write_feeds(tmp_path, GeneratorConfig(scale=1, seed=7))
    assert [p.read_bytes() for p in fresh] == [p.read_bytes() for p in bundled_feed_paths()]


def test_scale_1_has_the_partnership_counts():
    counts = {}
    for p in bundled_feed_paths():
        doc = json.loads(gzip.decompress(p.read_bytes()))
        for loc in doc["data"]:
            counts[loc["party_id"]] = counts.get(loc["party_id"], 0) + len(loc["evses"])
            assert CHINA_BBOX.contains(float(loc["coordinates"]["latitude"]), float(loc["coordinates"]["longitude"]))
    assert counts == {"NIO": 14000, "XPG": 9000, "LIA": 6000}


def test_service_area_stations_sit_on_the_expressways():
    locs, _ = generate(GeneratorConfig(scale=0.05, seed=2))["LI_AUTO"]
    lines = [densify(corridor_polyline(c.code), 5) for c in CORRIDORS]
    highway = [loc for loc in locs if "服务区" in loc.name]
    assert len(highway) > len(locs) / 3  # Li Auto builds mostly along expressways
    for loc in highway:
        d = min(haversine_km((loc.lat, loc.lon), p) for line in lines for p in line)
        assert d < 4.0, loc.name


def test_station_sizes_and_powers_are_plausible():
    for _net, (locs, tariffs) in generate(GeneratorConfig(scale=0.05, seed=4)).items():
        assert all(1 <= len(loc.evses) <= 10 for loc in locs)
        powers = {e.max_power_kw for loc in locs for e in loc.evses}
        assert max(powers) <= 800 and min(powers) >= 7
        tariff_ids = {t.id for t in tariffs}
        assert {t for loc in locs for e in loc.evses for c in e.connectors for t in c.tariff_ids} <= tariff_ids
        for t in tariffs:
            assert 1.0 < t.price_at("12:00").total_cny_per_kwh < 2.6
            assert t.price_at("03:00").total_cny_per_kwh < t.price_at("12:00").total_cny_per_kwh
