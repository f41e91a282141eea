"""MapStore: the offline map — base map, corridors, route, car, planned stops and suggested
chargers as pins — and the view (centre, zoom) that pans and zooms when parked and follows the
car while moving.

Everything is in Web Mercator km (``geo.basemap.project``). The QML draws the base layers with
Qt Quick Shapes into a cached layer rendered for a *reference* view (``refX/refY/refZoom``); a pan
or zoom only moves and scales that cached image (a few ms a frame in software rendering), and
:meth:`settle` re-renders it once the view has come to rest away from the reference. Labels and
pins are laid out here, in screen pixels for the current view, by pure functions:

* :func:`place_labels` — greedy by rank; a label never covers the car, a pin or another label,
  and never leaves the map;
* :func:`cluster_pins` — pins whose touch targets (``touchPx`` squares) would overlap become one
  pin with a count, whose tap zooms in; every target stays inside the map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, QPointF, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetricsF, QPolygonF

from geo.basemap import project
from ivi.services.ports import BaseMap, LatLon, MapLabel
from ivi.ui.listmodel import DictListModel
from ivi.ui.signals import emit
from ivi.ui.stores.base import Store, prop

PIN_KEYS = ("px", "py", "kind", "network", "count", "stationId", "rank")
LABEL_KEYS = ("px", "py", "text", "kind", "w", "h", "ax", "ay")
SHAPE_LAYERS = ("neighbour", "land", "province", "coast", "border", "maritime", "corridor")
MIN_ZOOM = 0.04  # px per km: China fits a ~250 px wide map
MAX_ZOOM = 40.0  # px per km: a city block
FOLLOW_SPAN_KM = 220.0  # what a moving car's map shows, top to bottom
SETTLE_MS = 250
REFERENCE_DRIFT = 0.25  # re-render the cached layer past this share of the viewport …
REFERENCE_ZOOM_RATIO = 1.3  # … or this zoom ratio from it
PIN_VISUAL = 0.46  # a pin's drawn diameter, as a share of its touch target
RELAYOUT_PX = 3.0  # a view moved less than this keeps its labels and pins where they are


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, o: Rect) -> bool:
        return self.x < o.x + o.w and o.x < self.x + self.w and self.y < o.y + o.h and o.y < self.y + self.h

    def inside(self, w: float, h: float) -> bool:
        return self.x >= 0 and self.y >= 0 and self.x + self.w <= w and self.y + self.h <= h


@dataclass(frozen=True)
class View:
    """Centre in km and zoom in px per km over a viewport of ``w`` × ``h`` px."""

    cx: float
    cy: float
    zoom: float
    w: float
    h: float

    def to_screen(self, x_km: float, y_km: float) -> tuple[float, float]:
        return (x_km - self.cx) * self.zoom + self.w / 2, (y_km - self.cy) * self.zoom + self.h / 2

    def to_km(self, px: float, py: float) -> tuple[float, float]:
        return (px - self.w / 2) / self.zoom + self.cx, (py - self.h / 2) / self.zoom + self.cy


def clamp_zoom(zoom: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def fit_view(points_km: Sequence[tuple[float, float]], w: float, h: float, margin: float = 0.12) -> View:
    """The view that shows every point with ``margin`` of the viewport around them."""
    xs, ys = [p[0] for p in points_km], [p[1] for p in points_km]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    zoom = clamp_zoom(min(w * (1 - 2 * margin) / span_x, h * (1 - 2 * margin) / span_y))
    return View((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, zoom, w, h)


@dataclass(frozen=True)
class PinInput:
    x_km: float
    y_km: float
    kind: str  # "plan" | "stop"
    network: str
    station_id: str
    rank: int  # plan stops first, then the list's order


def cluster_pins(
    pins: Sequence[PinInput], view: View, touch_px: float, reserve_right_px: float = 0.0
) -> list[dict[str, Any]]:
    """Screen rows for the pins, with touch targets (``touch_px`` squares) that never overlap:
    planned stops first, each kept as itself (a suggested charger under a planned stop's target
    is left to the list); suggested chargers whose targets would overlap become one pin with their
    count. A pin whose square would leave the map, or reach into the strip kept for the map's
    buttons, is dropped."""
    out: list[dict[str, Any]] = []
    half = touch_px / 2
    for p in sorted(pins, key=lambda p: (p.kind != "plan", p.rank)):
        x, y = view.to_screen(p.x_km, p.y_km)
        if not Rect(x - half, y - half, touch_px, touch_px).inside(view.w - reserve_right_px, view.h):
            continue
        near = next((o for o in out if abs(o["px"] - x) < touch_px and abs(o["py"] - y) < touch_px), None)
        if near is not None:
            if near["kind"] != "plan":
                near["count"] += 1
                near["kind"] = "cluster"
            continue
        out.append(
            {
                "px": round(x, 1),
                "py": round(y, 1),
                "kind": p.kind,
                "network": p.network,
                "count": 1,
                "stationId": p.station_id,
                "rank": p.rank,
            }
        )
    return out


@dataclass(frozen=True)
class LabelInput:
    text: str
    x_km: float
    y_km: float
    kind: str  # "end" (route origin/destination), "province", "city", "corridor"
    rank: int
    beside: bool  # beside a dot (cities, route ends) rather than centred on the point


def place_labels(
    labels: Sequence[LabelInput],
    view: View,
    measure: Callable[[str], tuple[float, float]],
    reserved: Sequence[Rect],
    gap_px: float = 4.0,
) -> list[dict[str, Any]]:
    """Screen rows for the labels that fit: by rank, each at the first free spot (centred, or
    right / left / above / below its dot), never over a reserved rect (the car, pins, controls),
    another label, or the map's edge."""
    taken = list(reserved)
    out: list[dict[str, Any]] = []
    for lb in sorted(labels, key=lambda lb: lb.rank):
        x, y = view.to_screen(lb.x_km, lb.y_km)
        if not (0 <= x <= view.w and 0 <= y <= view.h):
            continue
        w, h = measure(lb.text)
        if lb.beside:
            d = 8.0
            spots = [(x + d, y - h / 2), (x - d - w, y - h / 2), (x - w / 2, y - d - h), (x - w / 2, y + d)]
        else:
            spots = [(x - w / 2, y - h / 2)]
        for sx, sy in spots:
            r = Rect(sx, sy, w, h)
            padded = Rect(sx - gap_px, sy - gap_px, w + 2 * gap_px, h + 2 * gap_px)
            if r.inside(view.w, view.h) and not any(padded.overlaps(t) for t in taken):
                taken.append(r)
                out.append(
                    {
                        "px": round(sx, 1),
                        "py": round(sy, 1),
                        "text": lb.text,
                        "kind": lb.kind,
                        "w": round(w, 1),
                        "h": round(h, 1),
                        "ax": round(x, 1),
                        "ay": round(y, 1),
                    }
                )
                break
    return out


def polygons(lines: Sequence[Sequence[float]]) -> list[QPolygonF]:
    return [QPolygonF([QPointF(line[i], line[i + 1]) for i in range(0, len(line) - 1, 2)]) for line in lines]


@dataclass(frozen=True)
class PreparedMap:
    """A base map and its overlays made ready for the screen: polygons per layer, labels."""

    base: BaseMap | None
    layers: dict[str, list[QPolygonF]]
    labels: tuple[MapLabel, ...]


def prepare_shapes(loaded: tuple[BaseMap | None, BaseMap]) -> PreparedMap:
    """The polygons Qt Quick Shapes draw, per layer (QPolygonF are plain values: any thread may
    make them, so the GUI thread need not spend ~100 ms on it)."""
    base, overlays = loaded
    layers = {
        kind: polygons([*(base.layer(kind).lines if base else ()), *overlays.layer(kind).lines])
        for kind in SHAPE_LAYERS
    }
    return PreparedMap(base, layers, (*(base.labels if base else ()), *overlays.labels))


class MapShapes(QObject):
    """The map's geometry for Qt Quick Shapes, in km: one list of polygons per layer."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._layers: dict[str, list[QPolygonF]] = {k: [] for k in (*SHAPE_LAYERS, "route")}

    def set_layer(self, kind: str, lines: Sequence[Sequence[float]]) -> None:
        self.set_polygons(kind, polygons(lines))

    def set_polygons(self, kind: str, polys: list[QPolygonF]) -> None:
        self._layers[kind] = polys
        emit(self.changed)

    def count(self, kind: str) -> int:
        return len(self._layers[kind])

    neighbour = Property(list, lambda self: self._layers["neighbour"], notify=changed)
    land = Property(list, lambda self: self._layers["land"], notify=changed)
    province = Property(list, lambda self: self._layers["province"], notify=changed)
    coast = Property(list, lambda self: self._layers["coast"], notify=changed)
    border = Property(list, lambda self: self._layers["border"], notify=changed)
    maritime = Property(list, lambda self: self._layers["maritime"], notify=changed)
    corridor = Property(list, lambda self: self._layers["corridor"], notify=changed)
    route = Property(list, lambda self: self._layers["route"], notify=changed)


class MapStore(Store):
    changed = Signal()
    openStation = Signal(str)  # a station pin was tapped

    _defaults = {
        "centerX": 0.0,
        "centerY": 0.0,
        "zoom": 0.2,
        "refX": 0.0,
        "refY": 0.0,
        "refZoom": 0.2,
        "following": False,
        "carX": -1000.0,
        "carY": -1000.0,
        "carHeading": 0.0,
        "carVisible": False,
        "carFraction": 0.0,
        "originLabel": "",
        "destinationLabel": "",
        "routeKm": 0.0,
        "baseState": "loading",  # loading | ready | missing
        "source": "",
        "scaleKm": 0.0,
    }
    centerX = prop(float, "centerX", changed)
    centerY = prop(float, "centerY", changed)
    zoom = prop(float, "zoom", changed)
    refX = prop(float, "refX", changed)
    refY = prop(float, "refY", changed)
    refZoom = prop(float, "refZoom", changed)
    following = prop(bool, "following", changed)
    carX = prop(float, "carX", changed)  # screen px in the map's viewport
    carY = prop(float, "carY", changed)
    carHeading = prop(float, "carHeading", changed)
    carVisible = prop(bool, "carVisible", changed)
    carFraction = prop(float, "carFraction", changed)
    originLabel = prop(str, "originLabel", changed)
    destinationLabel = prop(str, "destinationLabel", changed)
    routeKm = prop(float, "routeKm", changed)
    baseState = prop(str, "baseState", changed)
    source = prop(str, "source", changed)  # where the base map came from, or why there is none
    scaleKm = prop(float, "scaleKm", changed)  # km that 100 px cover at the centre

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shapes_obj = MapShapes(self)
        self.pins_model = DictListModel(PIN_KEYS, self)
        self.labels_model = DictListModel(LABEL_KEYS, self)
        self.english = True
        self._w, self._h, self._touch, self._label_px, self._reserve_right = 800.0, 600.0, 99.0, 24.0, 0.0
        self._font_family = "sans-serif"
        self._metrics: QFontMetricsF | None = None
        self._widths: dict[str, tuple[float, float]] = {}
        self._route_km_pts: list[tuple[float, float]] = []
        self._ends: list[LabelInput] = []
        self._base_labels: list[MapLabel] = []
        self._pins: list[PinInput] = []
        self._car_km: tuple[float, float] | None = None
        self._fitted = False
        self._inputs = 0  # bumped when pins, labels or the viewport change
        self._laid: tuple[int, View] | None = None  # what the labels and pins were last laid out for
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.settle)

    shapes = Property(MapShapes, lambda self: self.shapes_obj, constant=True)
    pins = Property(QObject, lambda self: self.pins_model, constant=True)
    labels = Property(QObject, lambda self: self.labels_model, constant=True)

    # ------------------------------------------------------------ data

    def set_base(self, loaded: tuple[BaseMap | None, BaseMap], problem: str = "") -> None:
        """The base map (``None``: not installed) and the overlays (corridors, cities). The
        polygons for Qt Quick Shapes are made here unless :func:`prepare_shapes` made them on
        another thread (they take ~100 ms for the whole of China)."""
        self.set_prepared(prepare_shapes(loaded), problem)

    def set_prepared(self, prepared: PreparedMap, problem: str = "") -> None:
        for kind, polys in prepared.layers.items():
            self.shapes_obj.set_polygons(kind, polys)
        self._base_labels = list(prepared.labels)
        self._inputs += 1
        base = prepared.base
        state = "ready" if base is not None else "missing"
        self.update(baseState=state, source=base.source if base else problem)
        self._relayout(rereference=True)

    def set_language(self, english: bool) -> None:
        if english != self.english:
            self.english = english
            self._inputs += 1
            self._relayout()

    def set_route(
        self,
        points: Sequence[LatLon],
        route_km: float,
        origin: str,
        destination: str,
        via: Sequence[tuple[str, LatLon]] = (),
    ) -> None:
        if not points:
            return
        pts = [project(lat, lon) for lat, lon in points]
        self._route_km_pts = pts
        self.shapes_obj.set_layer("route", [[v for p in pts for v in p]])
        self._ends = [
            LabelInput(origin, *pts[0], "end", -2, True),
            LabelInput(destination, *pts[-1], "end", -1, True),
        ]
        self._inputs += 1
        self.update(routeKm=round(route_km, 1), originLabel=origin, destinationLabel=destination)
        self._fitted = False
        self._fit()
        self._relayout(rereference=True)

    def set_car(self, position: LatLon | None, heading_deg: float, route_km_done: float) -> None:
        if position is None:
            return
        self._car_km = project(*position)
        frac = 0.0 if not self._state["routeKm"] else min(1.0, route_km_done / self._state["routeKm"])
        values: dict[str, object] = {"carHeading": round(heading_deg), "carFraction": round(frac, 4)}
        if self._state["following"]:
            values.update(centerX=round(self._car_km[0], 2), centerY=round(self._car_km[1], 2))
        self.update(**values)
        self._relayout()
        if self._state["following"]:
            self._maybe_rereference()

    def set_stops(self, stops: Sequence[dict[str, Any]], planned: Sequence[dict[str, Any]] = ()) -> None:
        pins = []
        for kind, items in (("plan", planned), ("stop", stops)):
            for i, s in enumerate(items):
                x, y = project(s["lat"], s["lon"])
                pins.append(PinInput(x, y, kind, s["network"], s["stationId"], i))
        if pins != self._pins:
            self._pins = pins
            self._inputs += 1
        self._relayout()

    def set_following(self, following: bool) -> None:
        """Moving: the map follows the car at a fixed span; parked: the driver pans and zooms."""
        if following == self._state["following"]:
            return
        self.update(following=following)
        if following:
            zoom = clamp_zoom(self._h / FOLLOW_SPAN_KM)
            c = self._car_km or (self._state["centerX"], self._state["centerY"])
            self.update(centerX=round(c[0], 2), centerY=round(c[1], 2), zoom=zoom)
            self._relayout(rereference=True)

    # ------------------------------------------------------------ view (QML calls these)

    @Slot(float, float, float, float, float, str)
    def setViewport(
        self, width_px: float, height_px: float, touch_px: float, label_px: float, reserve_right_px: float, family: str
    ) -> None:
        """The map's size in px, the touch target and label font size, and a strip at the right
        kept free of labels (the zoom buttons)."""
        values = (float(width_px), float(height_px), float(touch_px), float(label_px), float(reserve_right_px), family)
        if values == (self._w, self._h, self._touch, self._label_px, self._reserve_right, self._font_family):
            return
        if width_px < 1 or height_px < 1:
            return
        if (label_px, family) != (self._label_px, self._font_family):
            self._metrics, self._widths = None, {}
        self._w, self._h, self._touch, self._label_px, self._reserve_right, self._font_family = values
        self._inputs += 1
        if not self._fitted:
            self._fit()
        self._relayout(rereference=True)

    @Slot(float, float)
    def pan(self, dx_px: float, dy_px: float) -> None:
        """The driver dragged the map by ``dx, dy`` px (parked only)."""
        if self._state["following"]:
            return
        z = self._state["zoom"]
        self.update(
            centerX=round(self._state["centerX"] - dx_px / z, 2), centerY=round(self._state["centerY"] - dy_px / z, 2)
        )
        self._relayout()
        self._settle.start()

    @Slot(float, float, float)
    def zoomAt(self, factor: float, px: float, py: float) -> None:
        """Zoom by ``factor`` keeping the point under ``px, py`` where it is (parked only)."""
        if self._state["following"] or factor <= 0:
            return
        view = self.view()
        kx, ky = view.to_km(px, py)
        zoom = clamp_zoom(view.zoom * factor)
        cx = kx - (px - view.w / 2) / zoom
        cy = ky - (py - view.h / 2) / zoom
        self.update(centerX=round(cx, 2), centerY=round(cy, 2), zoom=zoom)
        self._relayout()
        self._settle.start()

    @Slot()
    def recenter(self) -> None:
        """Back to the whole route (parked)."""
        self._fitted = False
        self._fit()
        self._relayout(rereference=True)

    @Slot(str, float, float)
    def tapPin(self, station_id: str, px: float, py: float) -> None:
        """A tap on a pin: a station opens; a cluster zooms in around it (or opens its first
        station when already fully zoomed in)."""
        row = next((r for r in self.pins_model.rows() if r["stationId"] == station_id), None)
        if (
            row is not None
            and row["kind"] == "cluster"
            and self._state["zoom"] < MAX_ZOOM
            and not self._state["following"]
        ):
            self.zoomAt(2.0, px, py)
            return
        emit(self.openStation, station_id)

    @Slot()
    def settle(self) -> None:
        """After a gesture: re-render the cached layer when the view has moved far from it."""
        self._maybe_rereference()

    # ------------------------------------------------------------ layout

    def view(self) -> View:
        return View(self._state["centerX"], self._state["centerY"], self._state["zoom"], self._w, self._h)

    def _fit(self) -> None:
        if not self._route_km_pts or self._w < 2:
            return
        v = fit_view(self._route_km_pts, self._w - self._reserve_right, self._h)
        self.update(centerX=round(v.cx, 2), centerY=round(v.cy, 2), zoom=v.zoom)
        self._fitted = True

    def _maybe_rereference(self) -> None:
        s = self._state
        ratio = s["zoom"] / max(1e-9, s["refZoom"])
        dx = abs(s["centerX"] - s["refX"]) * s["zoom"]
        dy = abs(s["centerY"] - s["refY"]) * s["zoom"]
        if (
            ratio > REFERENCE_ZOOM_RATIO
            or ratio < 1 / REFERENCE_ZOOM_RATIO
            or dx > REFERENCE_DRIFT * self._w
            or dy > REFERENCE_DRIFT * self._h
        ):
            self._rereference()

    def _rereference(self) -> None:
        self.update(refX=self._state["centerX"], refY=self._state["centerY"], refZoom=self._state["zoom"])

    def _measure(self, text: str) -> tuple[float, float]:
        if self._metrics is None:
            font = QFont(self._font_family)
            font.setPixelSize(max(1, round(self._label_px)))
            self._metrics = QFontMetricsF(font)
        size = self._widths.get(text)
        if size is None:
            size = (self._metrics.horizontalAdvance(text) + 2.0, self._metrics.height())
            self._widths[text] = size
        return size

    def _moved_px(self, view: View) -> float:
        if self._laid is None or self._laid[0] != self._inputs or self._laid[1].zoom != view.zoom:
            return float("inf")
        old = self._laid[1]
        if (old.w, old.h) != (view.w, view.h):
            return float("inf")
        return max(abs(view.cx - old.cx), abs(view.cy - old.cy)) * view.zoom

    def _relayout(self, rereference: bool = False) -> None:
        """Pins and labels for the current view. A moving car shifts a following view by a
        fraction of a pixel per sample: below ``RELAYOUT_PX`` only the car moves (the labels'
        layout costs ~20 ms of the GUI thread)."""
        if rereference:
            self._rereference()
        view = self.view()
        if not rereference and self._moved_px(view) < RELAYOUT_PX:
            self._place_car(view, self._touch * 0.5)
            return
        self._laid = (self._inputs, view)
        z = view.zoom
        self.update(scaleKm=round(100.0 / z * self._scale_correction(view), 1))
        pins = cluster_pins(self._pins, view, self._touch, self._reserve_right)
        self.pins_model.replace(pins)
        car_size = self._touch * 0.5
        pin_r = self._touch * PIN_VISUAL / 2
        reserved = [Rect(p["px"] - pin_r, p["py"] - pin_r, 2 * pin_r, 2 * pin_r) for p in pins]
        car = self._place_car(view, car_size)
        if car is not None:
            reserved.append(car)
        if self._reserve_right > 0:
            reserved.append(Rect(view.w - self._reserve_right, 0, self._reserve_right, view.h))
        self.labels_model.replace(place_labels(self._label_inputs(view), view, self._measure, reserved))

    def _place_car(self, view: View, car_size: float) -> Rect | None:
        if self._car_km is None:
            return None
        cx, cy = view.to_screen(*self._car_km)
        visible = 0 <= cx <= view.w and 0 <= cy <= view.h
        self.update(carX=round(cx, 1), carY=round(cy, 1), carVisible=visible)
        return Rect(cx - car_size, cy - car_size, 2 * car_size, 2 * car_size)

    def _scale_correction(self, view: View) -> float:
        """Mercator stretches by 1/cos(lat): km on the ground per projected km at the centre."""
        lat = 2 * math.atan(math.exp(-view.cy / 6371.0)) - math.pi / 2
        return math.cos(lat)

    def _label_inputs(self, view: View) -> list[LabelInput]:
        out = list(self._ends)
        # Provinces read at country scale; cities once a few hundred km fill the map.
        show_cities = view.zoom >= 0.25
        show_provinces = view.zoom <= 3.0
        x0, y0 = view.to_km(0, 0)
        x1, y1 = view.to_km(view.w, view.h)
        ends = {lb.text for lb in self._ends}
        for lb in self._base_labels:
            if not (x0 <= lb.x_km <= x1 and y0 <= lb.y_km <= y1):
                continue
            if lb.name_en in ends or lb.name_zh in ends:  # the route's ends are labelled already
                continue
            if lb.kind == "province" and not show_provinces:
                continue
            if lb.kind == "city" and not show_cities:
                continue
            text = lb.name_en if self.english else lb.name_zh
            out.append(LabelInput(text, lb.x_km, lb.y_km, lb.kind, lb.rank, lb.kind == "city"))
        return out
