"""Where there is no road: coarse polygons of the seas off China's coast.

Why: a destination off the route graph is reached by an access road from the nearest graph node
(``geo.routes``), drawn as a straight line. Over land that is a fair stand-in for a road; over
the Taiwan Strait or the Bohai it is a car driving on water. These polygons stay 5–15 km off the
mainland shore (a coastal point is rather taken as reachable than refused), cover Taiwan (no road
or ferry link in the graph) and the open water around Hainan (the Qiongzhou Strait is crossed
only by the ferry of :data:`geo.corridors.FERRIES`). A test checks that no city of the city
table lies in them and that known sea points do.

Pure data and ray casting in degrees; no GIS library.
"""

from __future__ import annotations

import math

from geo.geometry import LatLon, haversine_km, interpolate

__all__ = ["SEA_AREAS", "crosses_sea", "in_sea"]

#: (name, polygon as (lat, lon) vertices). Rough on purpose: open water, not a coastline.
SEA_AREAS: tuple[tuple[str, tuple[LatLon, ...]], ...] = (
    (
        "Bohai Sea",
        (
            (40.3, 120.6),
            (39.6, 121.0),
            (38.9, 120.9),
            (38.3, 120.6),
            (37.9, 119.7),
            (38.3, 118.6),
            (39.0, 118.3),
            (39.3, 119.3),
            (39.8, 119.9),
        ),
    ),
    (
        "Yellow Sea",
        (
            (38.6, 121.9),
            (38.4, 123.6),
            (37.0, 124.6),
            (34.5, 125.5),
            (32.0, 124.5),
            (32.3, 122.3),
            (33.4, 121.0),
            (34.5, 120.0),
            (35.3, 119.9),
            (36.0, 120.9),
            (36.8, 122.7),
            (37.6, 122.7),
        ),
    ),
    (
        "East China Sea",
        (
            (32.0, 124.5),
            (31.6, 122.5),
            (30.8, 122.9),
            (29.5, 122.6),
            (28.3, 121.9),
            (27.3, 121.0),
            (26.6, 120.8),
            (26.0, 123.0),
            (29.0, 126.5),
            (32.0, 127.0),
        ),
    ),
    (
        "Taiwan Strait and Taiwan",
        (
            (26.6, 120.8),
            (26.0, 120.3),
            (25.2, 119.9),
            (24.3, 119.0),
            (23.5, 118.0),
            (22.8, 117.0),
            (22.3, 116.0),
            (21.0, 116.0),
            (21.0, 123.0),
            (26.0, 123.0),
        ),
    ),
    (
        "South China Sea off Guangdong",
        (
            (22.3, 116.0),
            (22.4, 115.0),
            (22.0, 114.2),
            (21.8, 113.3),
            (21.4, 112.4),
            (21.1, 111.5),
            (20.9, 111.0),
            (20.4, 110.9),
            (20.2, 111.6),
            (19.5, 111.3),
            (18.5, 110.7),
            (17.5, 110.0),
            (17.5, 116.0),
        ),
    ),
    (
        # Between the Leizhou peninsula and Hainan (the ferry's water), from the Beibu Gulf to the
        # South China Sea.
        "Qiongzhou Strait",
        ((20.18, 109.6), (20.20, 110.9), (20.10, 110.9), (20.12, 109.6)),
    ),
    (
        "Beibu Gulf",
        (
            (21.35, 108.7),
            (21.35, 109.45),
            (20.9, 109.55),
            (20.3, 109.55),
            (20.12, 109.6),
            (20.1, 109.5),
            (19.9, 109.1),
            (19.6, 108.8),
            (19.2, 108.45),
            (18.6, 108.35),
            (17.5, 107.8),
            (19.5, 106.3),
            (21.0, 107.7),
        ),
    ),
)

_STEP_KM = 2.0


def in_sea(p: LatLon) -> str | None:
    """The name of the sea area ``p`` lies in, or None on land (as far as these polygons know)."""
    for name, poly in SEA_AREAS:
        if _inside(p, poly):
            return name
    return None


def crosses_sea(a: LatLon, b: LatLon) -> str | None:
    """The sea area a straight line from ``a`` to ``b`` crosses (checked every 2 km), or None."""
    n = max(1, math.ceil(haversine_km(a, b) / _STEP_KM))
    for i in range(n + 1):
        hit = in_sea(interpolate(a, b, i / n))
        if hit is not None:
            return hit
    return None


def _inside(p: LatLon, poly: tuple[LatLon, ...]) -> bool:
    """Ray casting towards the east, in degrees (fine for polygons a few degrees across)."""
    y, x = p
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        yi, xi = poly[i]
        yj, xj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside
