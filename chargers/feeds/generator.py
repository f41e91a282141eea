"""A deterministic generator of realistic partner feeds (OCPI 2.2.1 Locations + Tariffs).

At scale 1 it writes exactly the shared chargers of the partnership — 14,000 NIO, 9,000 Xpeng
and 6,000 Li Auto EVSEs — grouped into stations of each network's typical size, placed in real
cities (weighted by population) and at expressway service areas along the national corridors.
The assumptions behind each number are in ``docs/data.md``. Same seed, same bytes.
"""

from __future__ import annotations

import gzip
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from chargers.models import NETWORKS, Connector, Evse, Location, RegularHours, Tariff, TariffWindow
from chargers.ocpi import dump_feed
from geo.cities import City, all_cities
from geo.corridors import CORRIDORS, corridor_cities
from geo.geometry import KM_PER_DEG_LAT, LatLon, bearing_deg, cumulative_km, km_per_deg_lon, point_along

BASE_TIME = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PowerClass:
    label: str
    power_kw: int
    voltage: int
    standard: str = "GBT_DC"
    power_type: str = "DC"


@dataclass(frozen=True)
class NetworkProfile:
    network: str
    name_zh: str
    name_en: str
    evses: int  # EVSEs shared at scale 1
    highway_share: float  # fraction of EVSEs at expressway service areas
    city_sizes: tuple[tuple[int, float], ...]  # station size → weight
    highway_sizes: tuple[tuple[int, float], ...]
    power_classes: tuple[tuple[PowerClass, float], ...]
    destination_share: float  # city stations that are AC destination chargers
    green_share: float
    service_fee: float  # CNY/kWh at flat hours
    station_zh: str
    station_en: str


AC7 = PowerClass("AC 7 kW", 7, 220, "GBT_AC", "AC_1_PHASE")

NETWORK_PROFILES: dict[str, NetworkProfile] = {
    "NIO": NetworkProfile(
        "NIO",
        "蔚来",
        "NIO",
        14_000,
        0.35,
        ((4, 0.35), (5, 0.2), (6, 0.25), (8, 0.15), (10, 0.05)),
        ((4, 0.5), (5, 0.2), (6, 0.3)),
        (
            (PowerClass("640 kW", 640, 1000), 0.25),
            (PowerClass("250 kW", 250, 750), 0.45),
            (PowerClass("120 kW", 120, 750), 0.30),
        ),
        0.12,
        0.30,
        0.80,
        "超充站",
        "Power Charger",
    ),
    "XPENG": NetworkProfile(
        "XPENG",
        "小鹏",
        "XPENG",
        9_000,
        0.30,
        ((4, 0.3), (6, 0.35), (8, 0.25), (10, 0.1)),
        ((4, 0.4), (6, 0.6)),
        (
            (PowerClass("S5 800 kW", 800, 1000), 0.10),
            (PowerClass("S4 480 kW", 480, 1000), 0.55),
            (PowerClass("120 kW", 120, 750), 0.35),
        ),
        0.0,
        0.20,
        0.70,
        "超快充站",
        "S4 Supercharger",
    ),
    "LI_AUTO": NetworkProfile(
        "LI_AUTO",
        "理想",
        "Li Auto",
        6_000,
        0.60,
        ((4, 0.4), (6, 0.45), (8, 0.15)),
        ((4, 0.35), (6, 0.65)),
        (
            (PowerClass("5C 520 kW", 520, 1000), 0.50),
            (PowerClass("4C 480 kW", 480, 1000), 0.35),
            (PowerClass("250 kW", 250, 1000), 0.15),
        ),
        0.0,
        0.25,
        0.80,
        "超充站",
        "Supercharging Station",
    ),
}

# Landmarks that city stations sit at, with their English names.
LANDMARKS = (
    ("万达广场", "Wanda Plaza"),
    ("万象城", "MixC"),
    ("龙湖天街", "Longfor Paradise Walk"),
    ("吾悦广场", "Seazen Plaza"),
    ("银泰城", "Intime City"),
    ("大悦城", "Joy City"),
    ("高铁站", "High-Speed Rail Station"),
    ("机场", "Airport"),
    ("科技园", "Science Park"),
    ("体育中心", "Sports Center"),
    ("会展中心", "Expo Center"),
    ("新天地", "Xintiandi"),
    ("印象城", "InCity"),
    ("奥特莱斯", "Outlets"),
    ("汽车城", "Auto City"),
    ("软件园", "Software Park"),
    ("金融中心", "Financial Center"),
    ("火车站", "Railway Station"),
    ("大学城", "University Town"),
    ("国际社区", "International Community"),
    ("滨江公园", "Riverside Park"),
    ("CBD", "CBD"),
)
QUARTERS = (("东", "East"), ("西", "West"), ("南", "South"), ("北", "North"), ("中心", "Central"))
ROADS = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "长江路",
    "黄河路",
    "新华路",
    "文化路",
    "胜利路",
    "世纪大道",
    "科技路",
)
# A tariff's time-of-use shape: (start, end, multiplier of the flat electricity price).
TOU = (
    ("00:00", "07:00", 0.45),
    ("07:00", "10:00", 1.0),
    ("10:00", "15:00", 1.55),
    ("15:00", "18:00", 1.0),
    ("18:00", "21:00", 1.55),
    ("21:00", "23:00", 1.0),
    ("23:00", "24:00", 0.45),
)
STATUS_WEIGHTS = (
    ("AVAILABLE", 0.68),
    ("CHARGING", 0.24),
    ("OUTOFORDER", 0.03),
    ("INOPERATIVE", 0.01),
    ("RESERVED", 0.01),
    ("UNKNOWN", 0.03),
)
GREEN_SOURCES = (("SOLAR", 60.0), ("WIND", 25.0), ("GENERAL_GREEN", 15.0))
SERVICE_AREA_SPACING_KM = (35.0, 60.0)


@dataclass(frozen=True)
class GeneratorConfig:
    scale: float = 1.0
    seed: int = 7


@dataclass(frozen=True)
class Site:
    """Where a station can stand: a city point or a service area."""

    lat: float
    lon: float
    name_zh: str
    name_en: str
    city: City
    address: str
    highway: bool
    #: The bearing of the traffic a service area serves (one side of the road); None in towns.
    carriageway_bearing_deg: float | None = None


def _weighted(rng: random.Random, items: tuple[tuple[object, float], ...]):
    return rng.choices([i for i, _ in items], [w for _, w in items])[0]


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _offset(p: LatLon, dx_km: float, dy_km: float) -> LatLon:
    return (p[0] + dy_km / KM_PER_DEG_LAT, p[1] + dx_km / km_per_deg_lon(p[0]))


#: How far a service area stands from the middle of the road, on its carriageway's side, km.
SERVICE_AREA_OFFSET_KM = 0.25


def service_areas(rng: random.Random) -> list[Site]:
    """Service areas along every corridor every 35–60 km, one on each carriageway: traffic drives
    on the right, so each stands right of the direction it serves and is named after where that
    carriageway goes (``德州服务区（往上海方向）``, "Dezhou Service Area (towards Shanghai)")."""
    cities = [c for c in all_cities() if c.name_zh]
    out: list[Site] = []
    used: dict[str, int] = {}
    for corridor in CORRIDORS:
        chain = corridor_cities(corridor.code)
        points = [c.latlon for c in chain]
        cum = cumulative_km(points)
        ends = (chain[-1], chain[0])  # where each carriageway goes: forward, then back
        km = rng.uniform(*SERVICE_AREA_SPACING_KM) / 2
        while km < cum[-1] - 10:
            p = point_along(points, cum, km)
            near = min(cities[:600], key=lambda c: (c.lat - p[0]) ** 2 + ((c.lon - p[1]) * 0.85) ** 2)
            base_zh, base_en = near.name_zh, near.name_en
            n = used.get(base_zh, 0)
            used[base_zh] = n + 1
            suffix_zh, suffix_en = ("", "") if n == 0 else QUARTERS[(n - 1) % 4]
            name_zh = f"{base_zh}{suffix_zh}服务区"
            name_en = f"{base_en}{' ' + suffix_en if suffix_en else ''} Service Area"
            if n >= 4:
                name_zh, name_en = f"{base_zh}{n}号服务区", f"{base_en} Service Area No. {n}"
            forward = bearing_deg(point_along(points, cum, km - 1.0), point_along(points, cum, km + 1.0))
            for side, end in enumerate(ends):
                heading = (forward + 180.0 * side) % 360.0
                right = math.radians(heading + 90.0)
                q = _offset(p, SERVICE_AREA_OFFSET_KM * math.sin(right), SERVICE_AREA_OFFSET_KM * math.cos(right))
                out.append(
                    Site(
                        q[0],
                        q[1],
                        f"{name_zh}（往{end.name_zh or end.name_en}方向）",
                        f"{name_en} (towards {end.name_en})",
                        near,
                        f"{corridor.name_zh}{near.name_zh}段K{int(km)}",
                        True,
                        round(heading, 1),
                    )
                )
            km += rng.uniform(*SERVICE_AREA_SPACING_KM)
    return out


def city_site(rng: random.Random, city: City) -> Site:
    spread = 2.0 + 10.0 * math.sqrt(min(city.population, 25_000_000) / 10_000_000)
    p = _offset(city.latlon, rng.gauss(0, spread / 2), rng.gauss(0, spread / 2))
    (lm_zh, lm_en), (q_zh, q_en) = rng.choice(LANDMARKS), rng.choice(QUARTERS)
    road, number = rng.choice(ROADS), rng.randint(1, 999)
    return Site(
        p[0],
        p[1],
        f"{city.name_zh}{q_zh}{lm_zh}",
        f"{city.name_en} {lm_en} ({q_en})",
        city,
        f"{city.name_zh}市{q_zh}区{road}{number}号",
        False,
    )


def _sizes(rng: random.Random, total: int, table: tuple[tuple[int, float], ...]) -> list[int]:
    sizes: list[int] = []
    left = total
    while left > 0:
        s = min(int(_weighted(rng, table)), left)
        sizes.append(s)
        left -= s
    return sizes


def _tariffs(rng: random.Random, profile: NetworkProfile, provinces: list[str]) -> dict[str, Tariff]:
    party = NETWORKS[profile.network]
    out = {}
    for prov in provinces:
        flat = round(rng.uniform(0.55, 0.85), 2)
        windows = tuple(
            TariffWindow(s, e, round(flat * m, 3), round(profile.service_fee * (0.75 if m < 1 else 1.0), 2))
            for s, e, m in TOU
        )
        tid = f"{party}-{prov}-DC"
        out[prov] = Tariff(tid, party, "CNY", windows, _iso(BASE_TIME - timedelta(days=rng.randint(1, 90))))
    return out


def generate_network(
    profile: NetworkProfile, config: GeneratorConfig, sites: list[Site]
) -> tuple[list[Location], list[Tariff]]:
    rng = random.Random(f"{config.seed}:{profile.network}")
    party = NETWORKS[profile.network]
    total = round(profile.evses * config.scale)
    highway_total = round(total * profile.highway_share)
    cities = [c for c in all_cities() if c.name_zh and c.population >= 150_000]
    weights = [c.population for c in cities]
    provinces = sorted({c.province for c in all_cities()})
    tariffs = _tariffs(rng, profile, provinces)
    highway_sites = list(sites)
    # Shuffled by their own stream, so that a change to the corridors moves only the service areas
    # and leaves every draw for station sizes, powers and city sites as it was.
    random.Random(f"{config.seed}:{profile.network}:sites").shuffle(highway_sites)
    locations: list[Location] = []
    plan = [(s, True) for s in _sizes(rng, highway_total, profile.highway_sizes)]
    plan += [(s, False) for s in _sizes(rng, total - highway_total, profile.city_sizes)]
    for n, (size, highway) in enumerate(plan, 1):
        if highway:
            site = highway_sites[(n - 1) % len(highway_sites)]
            if n > len(highway_sites):  # past scale 1 several stations share a service area
                p = _offset((site.lat, site.lon), rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4))
                site = Site(
                    p[0], p[1], site.name_zh, site.name_en, site.city, site.address, True, site.carriageway_bearing_deg
                )
        else:
            site = city_site(rng, rng.choices(cities, weights)[0])
        destination = not highway and rng.random() < profile.destination_share
        pc: PowerClass = AC7 if destination else _weighted(rng, profile.power_classes)
        loc_id = f"{party}{n:06d}"
        tariff = tariffs[site.city.province]
        updated = BASE_TIME - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        evses = []
        for k in range(1, size + 1):
            status = _weighted(rng, STATUS_WEIGHTS)
            st_time = _iso(BASE_TIME - timedelta(seconds=rng.randint(30, 6 * 3600)))
            conn = Connector(
                "1",
                pc.standard,
                "CABLE",
                pc.power_type,
                pc.voltage,
                round(pc.power_kw * 1000 / pc.voltage),
                pc.power_kw * 1000,
                (tariff.id,),
                _iso(updated),
            )
            evses.append(Evse(f"{loc_id}-{k:02d}", str(status), (conn,), f"CN*{party}*E{n:06d}*{k}", st_time))
        kind_zh = "目的地充电站" if destination else profile.station_zh
        kind_en = "Destination Charger" if destination else profile.station_en
        green = rng.random() < profile.green_share
        hours: tuple[RegularHours, ...] = ()
        if not highway and rng.random() < 0.15:
            hours = tuple(RegularHours(d, "07:00", "23:00") for d in range(1, 8))
        locations.append(
            Location(
                id=loc_id,
                party_id=party,
                name=f"{profile.name_zh}{kind_zh}（{site.name_zh}）",
                name_en=f"{profile.name_en} {kind_en} · {site.name_en}",
                address=site.address,
                city=site.city.name_zh,
                city_en=site.city.name_en,
                lat=round(site.lat, 6),
                lon=round(site.lon, 6),
                evses=tuple(evses),
                last_updated=_iso(updated),
                twentyfourseven=not hours,
                regular_hours=hours,
                is_green_energy=green,
                energy_sources=GREEN_SOURCES if green else (),
                facilities=("RESTAURANT", "WIFI") if highway else ("MALL",),
                carriageway_bearing_deg=site.carriageway_bearing_deg,
            )
        )
    used = {t for loc in locations for e in loc.evses for c in e.connectors for t in c.tariff_ids}
    return locations, [t for t in tariffs.values() if t.id in used]


def generate(config: GeneratorConfig = GeneratorConfig()) -> dict[str, tuple[list[Location], list[Tariff]]]:
    """Every network's locations and tariffs, deterministically from ``config``."""
    sites = service_areas(random.Random(f"{config.seed}:sites"))
    return {net: generate_network(profile, config, sites) for net, profile in NETWORK_PROFILES.items()}


def write_feeds(out_dir: Path, config: GeneratorConfig = GeneratorConfig(), *, compress: bool = True) -> list[Path]:
    """Write ``nio.json[.gz]``, ``xpeng.json[.gz]``, ``li_auto.json[.gz]``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for net, (locations, tariffs) in generate(config).items():
        doc = dump_feed(locations, tariffs, timestamp=_iso(BASE_TIME))
        data = orjson.dumps(doc)
        path = out_dir / f"{net.lower()}.json{'.gz' if compress else ''}"
        # mtime=0 keeps the gzip bytes deterministic.
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if compress else data)
        paths.append(path)
    return paths
