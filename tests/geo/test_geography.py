"""Real geography on the route graph: the sea is crossed only by ferry, places off the graph are
reached by an access road (never a straight line across the sea or the plateau), and routes know
how high they climb."""

from __future__ import annotations

import itertools

import pytest

from geo import route_between
from geo.cities import all_cities, find_city
from geo.corridors import CORRIDORS, FERRIES, corridor_cities, node
from geo.elevation import ALTITUDE_M, altitude_m
from geo.errors import GeoError
from geo.geometry import haversine_km
from geo.routes import FERRY, MAX_ACCESS_KM, ROAD, ROAD_FACTOR, default_graph
from geo.sea import crosses_sea, in_sea


def test_guangzhou_to_haikou_crosses_the_qiongzhou_strait_by_ferry_only() -> None:
    route = route_between("Guangzhou", "Haikou")
    ferries = route.ferries
    assert len(ferries) == 1 and ferries[0].name == "Qiongzhou Strait ferry"
    assert ferries[0].crossing_min == FERRIES[0].crossing_min
    # The ferry leg is where the route is over the water, and nowhere else is.
    for a, b, k0, k1 in zip(route.points, route.points[1:], route.cum_km, route.cum_km[1:], strict=False):
        over_water = crosses_sea(a, b)
        inside_ferry = any(f.from_km <= k0 and k1 <= f.to_km + 1e-9 for f in ferries)
        assert (over_water is not None) == inside_ferry, (a, b, over_water)
    # The legs cover the polyline exactly, in order.
    assert route.legs[0].from_km == 0 and route.legs[-1].to_km == pytest.approx(route.distance_km)
    assert all(x.to_km == pytest.approx(y.from_km) for x, y in itertools.pairwise(route.legs))


def test_no_edge_of_the_road_graph_crosses_the_sea() -> None:
    for corridor in CORRIDORS:
        for a, b in itertools.pairwise(corridor_cities(corridor.code)):
            assert crosses_sea(a.latlon, b.latlon) is None, (corridor.code, a.name_en, b.name_en)
    for ferry in FERRIES:  # while each ferry does cross it
        assert crosses_sea(node(ferry.port_a).latlon, node(ferry.port_b).latlon) == "Qiongzhou Strait"


def test_the_sea_polygons_hold_no_city_and_the_known_waters() -> None:
    """The polygons stay off the shore: not one of the 2,100 cities of the city table is in them."""
    assert [c.name_en for c in all_cities() if in_sea(c.latlon)] == []
    assert in_sea((24.5, 119.9)) == "Taiwan Strait and Taiwan"  # mid-strait, east of Fujian
    assert in_sea((38.8, 119.5)) == "Bohai Sea"
    assert in_sea((35.0, 123.0)) == "Yellow Sea"
    assert in_sea((20.15, 110.2)) == "Qiongzhou Strait"


@pytest.mark.parametrize(
    "destination, words",
    [
        ("24.5,119.9", "lies in the Taiwan Strait"),  # a coordinate over the strait, east of Fujian
        ("25.03,121.56", "lies in the Taiwan Strait and Taiwan"),  # Taipei: no road or ferry link
        ("32.5,80.1", "nearest road node (Lhasa) is 1094 km away"),  # Ngari: no road of the graph near
    ],
)
def test_a_place_no_road_or_ferry_reaches_is_a_clear_error(destination: str, words: str) -> None:
    with pytest.raises(GeoError, match="no road or ferry link in the graph reaches") as err:
        route_between("Fuzhou", destination)
    assert words in str(err.value)


def test_an_off_graph_place_is_reached_by_an_access_road_from_the_nearest_node() -> None:
    off_graph = (30.55, 104.30)  # east of Chengdu, off the graph
    route = route_between("Beijing", f"{off_graph[0]},{off_graph[1]}")
    last = route.legs[-1]
    assert last.kind == ROAD and last.road_factor == ROAD_FACTOR
    assert route.via[-1] == "Chengdu"
    straight = haversine_km(find_city("Chengdu").latlon, off_graph)
    assert last.length_km == pytest.approx(straight, rel=1e-6) and straight < MAX_ACCESS_KM
    assert route.road_km == pytest.approx(route.distance_km + (ROAD_FACTOR - 1) * straight)


def test_lhasa_is_reached_by_road_over_the_passes_never_across_the_plateau_in_a_line() -> None:
    for origin in ("Chengdu", "Panzhihua"):
        route = route_between(origin, "Lhasa")
        assert "G318" in route.corridors and route.via[-1] == "Lhasa"
        # Every step of the polyline is a road between neighbouring nodes (< 300 km), none a leap.
        assert max(b - a for a, b in itertools.pairwise(route.cum_km)) < 300
        assert 1800 < route.road_km < 2600  # the G318 is about 2,140 km from Chengdu
        alts = [a for a in route.altitudes_m if a is not None]
        assert len(alts) == len(route.points)  # every node of these roads has an altitude
        assert max(alts) >= 4700 and alts[-1] == ALTITUDE_M["Lhasa"]
        climb = sum(max(0.0, b - a) for a, b in itertools.pairwise(alts))
        assert climb > 10_000  # up and down the Hengduan mountains, pass after pass


def test_every_graph_node_has_an_altitude() -> None:
    missing = sorted({c.name_en for c in default_graph().nodes.values() if altitude_m(c) is None})
    assert missing == []


def test_every_corridor_node_is_near_its_neighbours_and_ferries_join_two_nodes() -> None:
    graph = default_graph()
    ferry_edges = [e for edges in graph.edges.values() for _, _, e in edges if e[1] == FERRY]
    assert len(ferry_edges) == 2 * len(FERRIES)  # both directions
