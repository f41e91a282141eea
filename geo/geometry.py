"""Distances and polylines on the WGS-84 sphere, small enough to need no GIS library.

Distances use the haversine formula; projections onto a route use a local equirectangular
frame per segment, which is accurate to well under 1 % for segments of tens of kilometres.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polyline as _polyline

from geo.errors import GeoError

LatLon = tuple[float, float]
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180.0


@dataclass(frozen=True)
class BBox:
    """A latitude/longitude box (degrees)."""

    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


#: Mainland China with Hainan, generous by a few tenths of a degree.
CHINA_BBOX = BBox(min_lat=18.0, min_lon=73.4, max_lat=53.6, max_lon=135.1)


def haversine_km(a: LatLon, b: LatLon) -> float:
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_per_deg_lon(lat: float) -> float:
    return KM_PER_DEG_LAT * math.cos(math.radians(lat))


def cumulative_km(points: Sequence[LatLon]) -> list[float]:
    """Distance from the first point to each point along the polyline."""
    out = [0.0]
    for a, b in itertools.pairwise(points):
        out.append(out[-1] + haversine_km(a, b))
    return out


def polyline_length_km(points: Sequence[LatLon]) -> float:
    return cumulative_km(points)[-1] if points else 0.0


def project_on_segment(p: LatLon, a: LatLon, b: LatLon) -> tuple[float, float]:
    """(distance from p to segment ab in km, fraction 0..1 of the foot along ab)."""
    kx = km_per_deg_lon((a[0] + b[0]) / 2)
    ax, ay = a[1] * kx, a[0] * KM_PER_DEG_LAT
    bx, by = b[1] * kx, b[0] * KM_PER_DEG_LAT
    px, py = p[1] * kx, p[0] * KM_PER_DEG_LAT
    dx, dy = bx - ax, by - ay
    seg2 = dx * dx + dy * dy
    t = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
    fx, fy = ax + t * dx, ay + t * dy
    return math.hypot(px - fx, py - fy), t


@dataclass(frozen=True)
class RoutePosition:
    """Where a point lies against a route: ``km`` along it to the nearest point of the route,
    ``off_km`` from the route to the point, and the ``segment`` that nearest point is on."""

    km: float
    off_km: float
    segment: int


#: A fix further than this from the route near the last answer is searched on the whole route.
NEAR_SEARCH_KM = 30.0


def locate_on_route(
    points: Sequence[LatLon], cum: Sequence[float], p: LatLon, near: RoutePosition | None = None
) -> RoutePosition:
    """Project ``p`` onto the polyline ``points`` (``cum`` = :func:`cumulative_km` of it).

    With ``near`` (the last answer for a moving car) only the segments around it are searched,
    unless the point is more than ``NEAR_SEARCH_KM`` from them (the fix jumped, or the car left
    the route). A route of fewer than two points puts everything at km 0."""
    n = len(points) - 1
    if n < 1:
        return RoutePosition(0.0, haversine_km(points[0], p) if points else float("inf"), 0)
    if near is not None:
        lo, hi = max(0, near.segment - 3), min(n, near.segment + 4)
        best = _nearest(points, cum, p, range(lo, hi))
        if best.off_km <= NEAR_SEARCH_KM:
            return best
    return _nearest(points, cum, p, range(n))


def _nearest(points: Sequence[LatLon], cum: Sequence[float], p: LatLon, segments: range) -> RoutePosition:
    best = RoutePosition(0.0, float("inf"), 0)
    for i in segments:
        off, t = project_on_segment(p, points[i], points[i + 1])
        if off < best.off_km:
            best = RoutePosition(cum[i] + t * (cum[i + 1] - cum[i]), off, i)
    return best


def interpolate(a: LatLon, b: LatLon, t: float) -> LatLon:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def densify(points: Sequence[LatLon], max_step_km: float) -> list[LatLon]:
    """Insert points so that no segment is longer than about ``max_step_km`` (points are
    interpolated in degrees, which stretches a step by well under 1 % over China)."""
    if not points:
        return []
    out: list[LatLon] = [points[0]]
    for a, b in itertools.pairwise(points):
        n = max(1, math.ceil(haversine_km(a, b) / max_step_km))
        out.extend(interpolate(a, b, i / n) for i in range(1, n + 1))
    return out


def point_along(points: Sequence[LatLon], cum: Sequence[float], km: float) -> LatLon:
    """The point ``km`` along the polyline (clamped to its ends)."""
    if km <= 0:
        return points[0]
    if km >= cum[-1]:
        return points[-1]
    lo, hi = 0, len(cum) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cum[mid] <= km:
            lo = mid
        else:
            hi = mid
    seg = cum[hi] - cum[lo]
    return interpolate(points[lo], points[hi], 0.0 if seg == 0 else (km - cum[lo]) / seg)


def clip_polyline(points: Sequence[LatLon], from_km: float, to_km: float) -> tuple[list[LatLon], float]:
    """The part of the polyline from ``from_km`` to ``to_km`` along it (clamped to its ends),
    and where that part starts, in km along the whole polyline."""
    cum = cumulative_km(points)
    lo_km, hi_km = max(0.0, from_km), min(cum[-1], to_km) if cum else 0.0
    if not points or hi_km <= lo_km:
        return [], lo_km
    inner = [p for p, k in zip(points, cum, strict=False) if lo_km < k < hi_km]
    return [point_along(points, cum, lo_km), *inner, point_along(points, cum, hi_km)], lo_km


def bearing_deg(a: LatLon, b: LatLon) -> float:
    """Initial compass bearing from a to b, 0 = north, clockwise."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dlon = math.radians(b[1] - a[1])
    y = math.sin(dlon) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return (math.degrees(math.atan2(y, x)) + 360.0) % 360.0


def check_latlon(lat: float, lon: float, *, bbox: BBox = CHINA_BBOX) -> LatLon:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise GeoError(f"coordinates are not numbers: {lat}, {lon}")
    if not bbox.contains(lat, lon):
        raise GeoError(f"coordinates {lat:.5f},{lon:.5f} are outside the map (China)")
    return (lat, lon)


def parse_latlon(text: str) -> LatLon:
    """Parse ``"LAT,LON"`` (decimal degrees) and check it lies in China."""
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2:
        raise GeoError(f"expected LAT,LON, got {text!r}")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError as exc:
        raise GeoError(f"expected LAT,LON in decimal degrees, got {text!r}") from exc
    return check_latlon(lat, lon)


#: A route of more points than this is not a navigation app's polyline (5,000 km at 10 m spacing).
MAX_ROUTE_POINTS = 500_000
#: GeoJSON nesting (FeatureCollection → Feature → geometry) deeper than this is not a route.
MAX_GEOJSON_DEPTH = 8


def read_polyline(path: str | Path) -> list[LatLon]:
    """A route file (see :func:`parse_polyline`): every problem — unreadable, not UTF-8, not a route —
    is a :class:`GeoError` naming the file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise GeoError(f"route file {path} does not exist") from exc
    except (OSError, ValueError) as exc:  # a folder, no permission, a NUL in the name, not UTF-8
        raise GeoError(f"route file {path} cannot be read: {exc}") from exc
    try:
        return parse_polyline(text)
    except GeoError as exc:
        raise GeoError(f"{path}: {exc}") from exc


def parse_polyline(text: str) -> list[LatLon]:
    """A route polyline from GeoJSON (LineString, Feature or FeatureCollection with one line),
    a JSON list of ``[lat, lon]`` pairs, or a Google encoded polyline (precision 5).

    Anything else is a :class:`GeoError` with the reason: bad JSON (nested too deeply, a
    4,300-digit number), a coordinate that is not a finite number in China, fewer than two
    points or more than :data:`MAX_ROUTE_POINTS`."""
    text = text.strip()
    if not text:
        raise GeoError("empty route")
    if text[0] in "[{":
        try:
            doc = json.loads(text)
        except RecursionError as exc:
            raise GeoError("route is not valid JSON: nested too deeply") from exc
        except ValueError as exc:  # JSONDecodeError, and Python's limit of 4,300 digits for an integer
            raise GeoError(f"route is not valid JSON: {exc}") from exc
        points = _from_json(doc)
    else:
        bad = next((ch for ch in text if not 63 <= ord(ch) <= 126), None)
        if bad is not None:
            raise GeoError(
                f"route is neither GeoJSON, a JSON list of [lat, lon] pairs nor an encoded polyline: "
                f"{bad!a} cannot appear in an encoded polyline"
            )
        if len(text) > 20 * MAX_ROUTE_POINTS:
            raise GeoError(f"route has more than {MAX_ROUTE_POINTS:,} points")
        try:
            points = [(float(a), float(b)) for a, b in _polyline.decode(text)]
        except Exception as exc:  # the decoder raises IndexError & co on a cut-off text
            raise GeoError(
                "route is not a valid encoded polyline (precision 5): it ends in the middle of a coordinate"
            ) from exc
    if len(points) < 2:
        raise GeoError("a route needs at least two points")
    if len(points) > MAX_ROUTE_POINTS:
        raise GeoError(f"route has {len(points):,} points, more than {MAX_ROUTE_POINTS:,}")
    return [check_latlon(lat, lon) for lat, lon in points]


def encode_polyline(points: Iterable[LatLon]) -> str:
    return _polyline.encode(list(points))


def _from_json(doc: object) -> list[LatLon]:
    for _ in range(MAX_GEOJSON_DEPTH):  # a loop, not recursion: Feature may wrap Feature wrap …
        if isinstance(doc, list):
            return [(_num(c, 0), _num(c, 1)) for c in doc]
        if not isinstance(doc, dict):
            raise GeoError("route JSON must be GeoJSON or a list of [lat, lon]")
        kind = doc.get("type")
        if kind == "FeatureCollection":
            features = doc.get("features", [])
            lines = [f for f in features if isinstance(f, dict)] if isinstance(features, list) else []
            if len(lines) != 1:
                raise GeoError("a FeatureCollection route must hold exactly one LineString")
            doc = lines[0]
        elif kind == "Feature":
            doc = doc.get("geometry")
            if not isinstance(doc, dict):
                raise GeoError("a Feature route needs a LineString geometry")
        elif kind == "LineString":
            coords = doc.get("coordinates")
            if not isinstance(coords, list):
                raise GeoError("LineString without coordinates")
            # GeoJSON is lon, lat.
            return [(_num(c, 1), _num(c, 0)) for c in coords]
        else:
            shown = _shown(kind) if isinstance(kind, str | None) else f"of type {type(kind).__name__}"
            raise GeoError(f"unsupported GeoJSON type {shown} (want a LineString)")
    raise GeoError(f"route GeoJSON is nested deeper than {MAX_GEOJSON_DEPTH} levels")


def _num(pair: object, i: int) -> float:
    if not isinstance(pair, list | tuple) or len(pair) < 2:
        raise GeoError(f"bad coordinate pair {_shown(pair)}")
    v = pair[i]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise GeoError(f"bad coordinate {_shown(v)}")
    if isinstance(v, int) and v.bit_length() > 64:
        raise GeoError("bad coordinate: a huge integer")
    return float(v)


def _shown(v: object) -> str:
    """A JSON value for an error message: short, ASCII (a lone surrogate prints nowhere)."""
    text = ascii(v)
    return text if len(text) <= 60 else text[:57] + "..."


def hilbert_key(lat: float, lon: float, bits: int = 16) -> int:
    """The position of a point on a Hilbert curve over the whole globe (a ``2**bits`` grid).

    Points close on the curve are close on the ground, so rows stored in this order put a
    region's stations on neighbouring database pages: a corridor query then reads a few runs
    of pages instead of one page per station."""
    n = 1 << bits
    x = min(int((lon + 180.0) / 360.0 * n), n - 1)
    y = min(int((lat + 90.0) / 180.0 * n), n - 1)
    d = 0
    s = n >> 1
    while s:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if not ry:  # rotate the quadrant so that the curve stays continuous
            if rx:
                x, y = n - 1 - x, n - 1 - y
            x, y = y, x
        s >>= 1
    return d
