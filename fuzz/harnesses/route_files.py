"""Route files from a navigation app (``--route FILE``): GeoJSON, a JSON list of ``[lat, lon]`` or an encoded
polyline, read with :func:`geo.geometry.read_polyline`, then made into a :class:`geo.routes.Route` and used the way
the planner uses one (lengths, a position along it, a point at a km)."""

from __future__ import annotations

import functools
import json
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fuzz.harness import Harness, expect, expect_finite
from fuzz.mutators import mutate_json
from geo.errors import GeoError
from geo.geometry import CHINA_BBOX, encode_polyline, locate_on_route, point_along, read_polyline
from geo.routes import Route

__all__ = ["HARNESS", "check", "seeds"]

#: Beijing → Tianjin → Jinan, a few points of a real corridor.
POINTS = [(39.9042, 116.4074), (39.5, 116.7), (39.3434, 117.3616), (38.3, 116.9), (36.6512, 117.1201)]


@functools.cache
def _file() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-route-")) / "route.json"


def check(data: bytes) -> None:
    path = _file()
    path.write_bytes(data)
    try:
        points = read_polyline(path)
    except GeoError as exc:
        expect(bool(str(exc)), "refusal-without-reason")
        str(exc).encode("utf-8")  # printable in the CLI's one-line error
        return
    expect(len(points) >= 2, "route-of-fewer-than-two-points")
    for p in points:
        expect(type(p) is tuple and len(p) == 2, "point-not-a-pair", repr(p)[:80])
        lat, lon = p
        expect(type(lat) is float and type(lon) is float, "coordinate-not-float", repr(p)[:80])
        expect(CHINA_BBOX.contains(lat, lon), "point-outside-the-map", repr(p))
    route = Route.from_points(points)
    expect_finite(route.distance_km, "route-length-not-finite")
    expect(0 <= route.distance_km <= 2 * math.pi * 6372 * len(points), "route-length", str(route.distance_km))
    middle = point_along(route.points, route.cum_km, route.distance_km / 2)
    where = locate_on_route(route.points, route.cum_km, middle)
    expect_finite(where.km, "position-not-finite")
    expect(-1e-6 <= where.km <= route.distance_km + 1e-6, "position-off-the-route", str(where.km))


def seeds() -> Iterator[bytes]:
    lonlat = [[lon, lat] for lat, lon in POINTS]
    line = {"type": "LineString", "coordinates": lonlat}
    yield json.dumps(line).encode()
    yield json.dumps({"type": "Feature", "properties": {"name": "G2"}, "geometry": line}).encode()
    yield json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": line}]}).encode()
    yield json.dumps([list(p) for p in POINTS]).encode()
    yield encode_polyline(POINTS).encode()


HARNESS = Harness(
    name="route_files",
    check=check,
    seeds=seeds,
    mutate=mutate_json,
    doc=(
        "read_polyline either raises GeoError with a printable reason (unreadable, not UTF-8, not JSON or nested "
        "too deeply, a coordinate that is not a finite number in China, fewer than 2 or more than 500,000 points), "
        "or returns (lat, lon) float pairs inside the map that make a Route of finite length."
    ),
)
