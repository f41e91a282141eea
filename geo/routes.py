"""A coarse route source: shortest paths over the expressway corridor graph.

A head unit normally gets its route from the navigation app as a polyline; this graph exists so
that demos, tests, the simulator's callers and the CLI can say ``--from Beijing --to Shanghai``
and get a realistic road polyline and road distance with no connectivity.

Real geography, not straight lines: the sea is crossed only by the ferries of the graph (the
Qiongzhou Strait to Hainan); a place off the graph is reached by an access road from the nearest
node whose way there stays on land, at most ``MAX_ACCESS_KM`` away, counted ``ROAD_FACTOR``
times its straight length; a place no road or ferry of the graph reaches is an error that says
why. Routes carry the altitude of their nodes and their legs (expressway, access road, ferry).
"""

from __future__ import annotations

import functools
import heapq
import itertools
from dataclasses import dataclass, field

from geo.cities import City, find_city
from geo.corridors import CORRIDORS, FERRIES, corridor_cities, node
from geo.elevation import altitude_m
from geo.errors import GeoError
from geo.geometry import LatLon, cumulative_km, haversine_km, parse_latlon
from geo.sea import crosses_sea, in_sea


@dataclass(frozen=True)
class Place:
    """A resolved route end: a city or a bare coordinate."""

    label: str
    latlon: LatLon
    city: City | None = None


#: Kinds of leg a route is made of: an expressway of the corridor graph, an access road from the
#: graph to a place off it (drawn straight, longer on the ground), a car ferry.
EXPRESSWAY, ROAD, FERRY = "expressway", "road", "ferry"
#: Road km per straight-line km for an access road off the graph (winding, never the crow's line).
ROAD_FACTOR = 1.3
#: Farther than this (straight line) from every graph node, a place has no road in the graph.
MAX_ACCESS_KM = 150.0


@dataclass(frozen=True)
class RouteLeg:
    """A stretch of the route's polyline from ``from_km`` to ``to_km`` (polyline km) of one kind.
    ``road_factor`` is road km per polyline km (an access road drawn straight is longer on the
    ground); ``crossing_min`` is a ferry's whole crossing (check-in, boarding, sailing)."""

    from_km: float
    to_km: float
    kind: str = EXPRESSWAY
    name: str = ""
    road_factor: float = 1.0
    crossing_min: float = 0.0

    @property
    def length_km(self) -> float:
        return self.to_km - self.from_km


@dataclass(frozen=True)
class Route:
    """A polyline with its length; ``via`` names the nodes it passes, ``corridors`` the roads.

    ``altitudes_m`` (one per point, None where unknown; empty when nothing is known) and ``legs``
    (in order, covering the polyline; empty: all expressway) tell the planner how the road
    climbs and where it is a ferry."""

    points: tuple[LatLon, ...]
    distance_km: float
    via: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    cum_km: tuple[float, ...] = field(default=(), compare=False, repr=False)
    altitudes_m: tuple[float | None, ...] = ()
    legs: tuple[RouteLeg, ...] = ()

    @classmethod
    def from_points(
        cls,
        points: list[LatLon] | tuple[LatLon, ...],
        via: tuple[str, ...] = (),
        corridors: tuple[str, ...] = (),
        altitudes_m: tuple[float | None, ...] = (),
        legs: tuple[RouteLeg, ...] = (),
    ) -> Route:
        if len(points) < 2:
            raise GeoError("a route needs at least two points")
        if altitudes_m and len(altitudes_m) != len(points):
            raise GeoError("a route needs one altitude per point (or none)")
        cum = cumulative_km(points)
        return cls(tuple(points), cum[-1], via, corridors, tuple(cum), tuple(altitudes_m), tuple(legs))

    @property
    def road_km(self) -> float:
        """Length on the ground: access roads count their road factor, ferries their sea km."""
        if not self.legs:
            return self.distance_km
        return sum(leg.length_km * leg.road_factor for leg in self.legs)

    @property
    def ferries(self) -> tuple[RouteLeg, ...]:
        return tuple(leg for leg in self.legs if leg.kind == FERRY)


def resolve_place(text: str) -> Place:
    """``"Beijing"``, ``"北京"`` or ``"39.9,116.4"`` → a place on the map."""
    text = text.strip()
    if any(ch.isdigit() for ch in text) and "," in text:
        return Place(text, parse_latlon(text))
    city = find_city(text)
    return Place(city.name_en, city.latlon, city)


class RouteGraph:
    """Cities and waypoints joined by the corridors (edges weigh their great-circle length) and by
    the car ferries (weighed as the road km driven in the same time, so a ferry is taken only
    where it is the way)."""

    def __init__(self) -> None:
        self.nodes: dict[int, City] = {}
        #: node → [(neighbour, weight km, edge)]; the edge is (corridor code or ferry name, kind,
        #: road factor, crossing min).
        self.edges: dict[int, list[tuple[int, float, Edge]]] = {}
        for corridor in CORRIDORS:
            for a, b in itertools.pairwise(corridor_cities(corridor.code)):
                d = haversine_km(a.latlon, b.latlon) * corridor.road_factor
                self._link(a, b, d, (corridor.code, corridor.kind, corridor.road_factor, 0.0))
        for ferry in FERRIES:
            a, b = node(ferry.port_a), node(ferry.port_b)
            weight = ferry.crossing_min / 60.0 * FERRY_EQUIVALENT_KMH
            self._link(
                a,
                b,
                weight,
                (ferry.name_en, FERRY, ferry.sea_km / haversine_km(a.latlon, b.latlon), ferry.crossing_min),
            )

    def _link(self, a: City, b: City, weight: float, edge: Edge) -> None:
        for x, y in ((a, b), (b, a)):
            self.nodes[x.geonameid] = x
            self.edges.setdefault(x.geonameid, []).append((y.geonameid, weight, edge))

    def nearest_node(self, p: LatLon) -> City:
        return min(self.nodes.values(), key=lambda c: haversine_km(p, c.latlon))

    def access_node(self, place: Place) -> City:
        """The graph node a place is reached from: itself when it is one, else the nearest node
        whose straight access line stays on land, within ``MAX_ACCESS_KM``."""
        if place.city is not None and place.city.geonameid in self.nodes:
            return place.city
        by_distance = sorted(self.nodes.values(), key=lambda c: haversine_km(place.latlon, c.latlon))
        sea = None
        for c in by_distance:
            d = haversine_km(place.latlon, c.latlon)
            if d > MAX_ACCESS_KM:
                break
            sea = crosses_sea(place.latlon, c.latlon) if d > 0 else None
            if sea is None:
                return c
        nearest = by_distance[0]
        where = in_sea(place.latlon)
        if where is not None:
            reason = f"it lies in the {where}"
        elif sea is not None:
            reason = f"the way from the nearest road node crosses the {sea}"
        else:
            d = haversine_km(place.latlon, nearest.latlon)
            reason = f"the nearest road node ({nearest.name_en}) is {d:.0f} km away"
        raise GeoError(f"no road or ferry link in the graph reaches {place.label}: {reason}")

    def shortest(self, src: int, dst: int) -> tuple[list[int], list[Edge]]:
        """Node ids from ``src`` to ``dst`` and the edge taken between each pair."""
        dist = {src: 0.0}
        prev: dict[int, tuple[int, Edge]] = {}
        heap = [(0.0, src)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == dst:
                break
            if d > dist[u]:
                continue
            for v, w, edge in self.edges.get(u, ()):
                nd = d + w
                if nd < dist.get(v, float("inf")):
                    dist[v] = nd
                    prev[v] = (u, edge)
                    heapq.heappush(heap, (nd, v))
        if dst not in dist:
            a, b = self.nodes[src].name_en, self.nodes[dst].name_en
            raise GeoError(f"no road or ferry link in the graph connects {a} and {b}")
        path, edges = [dst], []
        while path[-1] != src:
            u, edge = prev[path[-1]]
            path.append(u)
            edges.append(edge)
        return path[::-1], edges[::-1]

    def route(self, origin: Place, destination: Place) -> Route:
        a, b = self.access_node(origin), self.access_node(destination)
        ids, edges = self.shortest(a.geonameid, b.geonameid) if a != b else ([a.geonameid], [])
        nodes = [self.nodes[i] for i in ids]
        points: list[LatLon] = [c.latlon for c in nodes]
        alts: list[float | None] = [altitude_m(c) for c in nodes]
        # One edge per polyline segment.
        segments: list[Edge] = list(edges)
        if origin.latlon != points[0]:
            points.insert(0, origin.latlon)
            alts.insert(0, _place_altitude(origin))
            segments.insert(0, ACCESS_ROAD)
        if destination.latlon != points[-1]:
            points.append(destination.latlon)
            alts.append(_place_altitude(destination))
            segments.append(ACCESS_ROAD)
        if len(points) < 2:
            raise GeoError("origin and destination are the same place")
        codes = tuple(dict.fromkeys(name for name, kind, _, _ in edges if kind != FERRY))
        cum = cumulative_km(points)
        legs: list[RouteLeg] = []
        for i, (name, kind, factor, crossing) in enumerate(segments):
            last = legs[-1] if legs else None
            if last is not None and kind != FERRY and (last.kind, last.name, last.road_factor) == (kind, name, factor):
                legs[-1] = RouteLeg(last.from_km, cum[i + 1], kind, last.name, factor, 0.0)
            else:
                legs.append(RouteLeg(cum[i], cum[i + 1], kind, name, factor, crossing))
        altitudes = tuple(alts) if any(x is not None for x in alts) else ()
        return Route.from_points(points, tuple(c.name_en for c in nodes), codes, altitudes, tuple(legs))


#: A ferry weighs in the shortest-path search as the road km driven in the same time.
FERRY_EQUIVALENT_KMH = 100.0
#: An edge of the graph: (corridor code or ferry name, kind, road factor, crossing min).
Edge = tuple[str, str, float, float]
ACCESS_ROAD: Edge = ("access road", ROAD, ROAD_FACTOR, 0.0)


def _place_altitude(place: Place) -> float | None:
    return None if place.city is None else altitude_m(place.city)


@functools.cache
def default_graph() -> RouteGraph:
    return RouteGraph()


def route_between(origin: str, destination: str) -> Route:
    """The corridor route between two place names or ``LAT,LON`` strings."""
    return default_graph().route(resolve_place(origin), resolve_place(destination))
