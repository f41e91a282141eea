"""A coarse route source: shortest paths over the expressway corridor graph.

A head unit normally gets its route from the navigation app as a polyline; this graph exists so
that demos, tests, the simulator's callers and the CLI can say ``--from Beijing --to Shanghai``
and get a realistic road polyline and road distance with no connectivity.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from dataclasses import dataclass, field

from geo.cities import City, find_city
from geo.corridors import CORRIDORS, corridor_cities
from geo.errors import GeoError
from geo.geometry import LatLon, cumulative_km, haversine_km, parse_latlon


@dataclass(frozen=True)
class Place:
    """A resolved route end: a city or a bare coordinate."""

    label: str
    latlon: LatLon
    city: City | None = None


@dataclass(frozen=True)
class Route:
    """A polyline with its length; ``via`` names the cities it passes, ``corridors`` the roads."""

    points: tuple[LatLon, ...]
    distance_km: float
    via: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    cum_km: tuple[float, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_points(
        cls, points: list[LatLon] | tuple[LatLon, ...], via: tuple[str, ...] = (), corridors: tuple[str, ...] = ()
    ) -> Route:
        if len(points) < 2:
            raise GeoError("a route needs at least two points")
        cum = cumulative_km(points)
        return cls(tuple(points), cum[-1], via, corridors, tuple(cum))


def resolve_place(text: str) -> Place:
    """``"Beijing"``, ``"北京"`` or ``"39.9,116.4"`` → a place on the map."""
    text = text.strip()
    if any(ch.isdigit() for ch in text) and "," in text:
        return Place(text, parse_latlon(text))
    city = find_city(text)
    return Place(city.name_en, city.latlon, city)


class RouteGraph:
    """Cities joined by the corridors; edges weigh their great-circle length."""

    def __init__(self) -> None:
        self.nodes: dict[int, City] = {}
        self.edges: dict[int, list[tuple[int, float, str]]] = {}
        for corridor in CORRIDORS:
            cities = corridor_cities(corridor.code)
            for a, b in itertools.pairwise(cities):
                d = haversine_km(a.latlon, b.latlon)
                for x, y in ((a, b), (b, a)):
                    self.nodes[x.geonameid] = x
                    self.edges.setdefault(x.geonameid, []).append((y.geonameid, d, corridor.code))

    def nearest_node(self, p: LatLon) -> City:
        return min(self.nodes.values(), key=lambda c: haversine_km(p, c.latlon))

    def shortest(self, src: int, dst: int) -> tuple[list[int], list[str]]:
        dist = {src: 0.0}
        prev: dict[int, tuple[int, str]] = {}
        heap = [(0.0, src)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == dst:
                break
            if d > dist[u]:
                continue
            for v, w, code in self.edges.get(u, ()):
                nd = d + w
                if nd < dist.get(v, float("inf")):
                    dist[v] = nd
                    prev[v] = (u, code)
                    heapq.heappush(heap, (nd, v))
        if dst not in dist:
            raise GeoError("no road connects these places in the corridor graph")
        path, codes = [dst], []
        while path[-1] != src:
            u, code = prev[path[-1]]
            path.append(u)
            codes.append(code)
        return path[::-1], codes[::-1]

    def route(self, origin: Place, destination: Place) -> Route:
        a = origin.city if origin.city and origin.city.geonameid in self.nodes else self.nearest_node(origin.latlon)
        b = (
            destination.city
            if destination.city and destination.city.geonameid in self.nodes
            else self.nearest_node(destination.latlon)
        )
        ids, codes = self.shortest(a.geonameid, b.geonameid) if a != b else ([a.geonameid], [])
        points: list[LatLon] = [self.nodes[i].latlon for i in ids]
        if origin.latlon != points[0]:
            points.insert(0, origin.latlon)
        if destination.latlon != points[-1]:
            points.append(destination.latlon)
        if len(points) < 2:
            raise GeoError("origin and destination are the same place")
        unique_codes = tuple(dict.fromkeys(codes))
        return Route.from_points(points, tuple(self.nodes[i].name_en for i in ids), unique_codes)


@functools.cache
def default_graph() -> RouteGraph:
    return RouteGraph()


def route_between(origin: str, destination: str) -> Route:
    """The corridor route between two place names or ``LAT,LON`` strings."""
    return default_graph().route(resolve_place(origin), resolve_place(destination))
