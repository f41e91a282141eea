"""Where the sun is: enough astronomy to tell day from night at a place and instant, for the
screen's day/night palette and for the simulated car's lights. Pure."""

from __future__ import annotations

import math
from datetime import UTC, datetime

__all__ = ["sun_elevation_deg"]


def sun_elevation_deg(lat: float, lon: float, when: datetime) -> float:
    """The sun's elevation above the horizon at ``lat, lon`` and ``when`` (aware datetime), in
    degrees, to about half a degree (NOAA's low-precision formulas: enough to tell day from night)."""
    t = when.astimezone(UTC)
    day = t.timetuple().tm_yday
    hours = t.hour + t.minute / 60.0 + t.second / 3600.0
    g = 2.0 * math.pi / 365.0 * (day - 1 + (hours - 12.0) / 24.0)  # fractional year, radians
    decl = (
        0.006918
        - 0.399912 * math.cos(g)
        + 0.070257 * math.sin(g)
        - 0.006758 * math.cos(2 * g)
        + 0.000907 * math.sin(2 * g)
        - 0.002697 * math.cos(3 * g)
        + 0.00148 * math.sin(3 * g)
    )
    eqtime_min = 229.18 * (
        0.000075
        + 0.001868 * math.cos(g)
        - 0.032077 * math.sin(g)
        - 0.014615 * math.cos(2 * g)
        - 0.040849 * math.sin(2 * g)
    )
    solar_min = hours * 60.0 + eqtime_min + 4.0 * lon
    hour_angle = math.radians(solar_min / 4.0 - 180.0)
    phi = math.radians(lat)
    cos_zenith = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(hour_angle)
    return 90.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))
