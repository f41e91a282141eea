"""MapStore: the offline map — route, car and stops projected from the cache's own coordinates.

No tiles: a local equirectangular projection fitted to the route's bounding box, giving
coordinates in 0..1 that the QML scales to its size (keeping ``aspect`` = width / height).
The route strip (trip overview) uses fractions of the route length instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Property, QObject, Signal

from geo.geometry import KM_PER_DEG_LAT, LatLon
from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.base import Store, prop

MARKER_KEYS = ("x", "y", "network", "rank", "stationId", "fraction", "kind")


class Projection:
    """Lat/lon → (x, y) in 0..1 over a bounding box with a margin; y grows downwards."""

    def __init__(self, points: Sequence[LatLon], margin: float = 0.08) -> None:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        w = max((max(lons) - min(lons)) * self.kx, 1e-3)
        h = max(max(lats) - min(lats), 1e-3)
        pad = max(w, h) * margin
        self.x0, self.y1 = min(lons) * self.kx - pad, max(lats) + pad
        self.w, self.h = w + 2 * pad, h + 2 * pad

    @property
    def aspect(self) -> float:
        return self.w / self.h

    @property
    def km_per_unit_height(self) -> float:
        return self.h * KM_PER_DEG_LAT

    def __call__(self, p: LatLon) -> tuple[float, float]:
        return ((p[1] * self.kx - self.x0) / self.w, (self.y1 - p[0]) / self.h)


def flat_path(points: Sequence[LatLon], proj: Projection) -> list[float]:
    out: list[float] = []
    for p in points:
        out.extend(round(v, 5) for v in proj(p))
    return out


class MapStore(Store):
    changed = Signal()
    _defaults = {
        "path": [],
        "aspect": 1.0,
        "carX": 0.5,
        "carY": 0.5,
        "carHeading": 0.0,
        "carFraction": 0.0,
        "originLabel": "",
        "destinationLabel": "",
        "routeKm": 0.0,
        "scaleKm": 0.0,
    }
    path = prop("QVariantList", "path", changed)
    aspect = prop(float, "aspect", changed)
    carX = prop(float, "carX", changed)
    carY = prop(float, "carY", changed)
    carHeading = prop(float, "carHeading", changed)
    carFraction = prop(float, "carFraction", changed)
    originLabel = prop(str, "originLabel", changed)
    destinationLabel = prop(str, "destinationLabel", changed)
    routeKm = prop(float, "routeKm", changed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.proj: Projection | None = None
        self.markers_model = DictListModel(MARKER_KEYS, self)
        self.cities_model = DictListModel(("x", "y", "label"), self)

    markers = Property(QObject, lambda self: self.markers_model, constant=True)
    cities = Property(QObject, lambda self: self.cities_model, constant=True)

    def set_route(
        self,
        points: Sequence[LatLon],
        route_km: float,
        origin: str,
        destination: str,
        via: Sequence[tuple[str, LatLon]] = (),
    ) -> None:
        self.proj = Projection(points)
        self.update(
            path=flat_path(points, self.proj),
            aspect=round(self.proj.aspect, 4),
            routeKm=round(route_km, 1),
            originLabel=origin,
            destinationLabel=destination,
        )
        rows = []
        for label, p in via:
            x, y = self.proj(p)
            rows.append({"x": round(x, 4), "y": round(y, 4), "label": label})
        self.cities_model.replace(rows)

    def set_car(self, position: LatLon | None, heading_deg: float, route_km_done: float) -> None:
        if self.proj is None or position is None:
            return
        x, y = self.proj(position)
        frac = 0.0 if not self._state["routeKm"] else min(1.0, route_km_done / self._state["routeKm"])
        self.update(carX=round(x, 4), carY=round(y, 4), carHeading=round(heading_deg), carFraction=round(frac, 4))

    def set_stops(self, stops: Sequence[dict[str, Any]], planned: Sequence[dict[str, Any]] = ()) -> None:
        if self.proj is None:
            return
        rows = []
        total = self._state["routeKm"] or 1.0
        for kind, items in (("plan", planned), ("stop", stops)):
            for i, s in enumerate(items):
                x, y = self.proj((s["lat"], s["lon"]))
                rows.append(
                    {
                        "x": round(x, 4),
                        "y": round(y, 4),
                        "network": s["network"],
                        "rank": i + 1,
                        "stationId": s["stationId"],
                        "fraction": round(min(1.0, s["alongKm"] / total), 4),
                        "kind": kind,
                    }
                )
        self.markers_model.replace(rows)
