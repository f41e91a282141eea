"""National expressway corridors (国家高速公路) as chains of the real cities they join.

Each corridor is the ordered list of cities the expressway passes; its polyline runs through
their coordinates. That is coarser than the road itself (the road winds a few per cent more)
but places service areas where the real ones are: on the corridor, every few tens of km.
Where two cities share a name, the one nearest the previous city on the corridor is meant,
or the one nearest an explicit hint written ``"Name@LAT,LON"``. A place the city table does not
hold (a mountain pass, a ferry port, a county town of the plateau) is a *waypoint* written
``"Name=中文名@LAT,LON"``: it becomes a node of its own (a ``City`` with a negative id and no
population), so that the road follows the real valleys and passes instead of a straight line.

The Qiongzhou Strait has no road: :data:`FERRIES` joins its two ports with a ferry leg (its
crossing time includes boarding), the only way to drive onto Hainan.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass

from geo.cities import City, find_city
from geo.geometry import LatLon


@dataclass(frozen=True)
class Corridor:
    code: str  # e.g. "G2"
    name_en: str
    name_zh: str
    cities: tuple[str, ...]
    #: Road km per km of the polyline through the nodes: about 1 on the plains (the polyline is
    #: within ~5 % of the expressway), well above 1 on mountain roads that wind along valleys.
    road_factor: float = 1.0
    #: "expressway" (国家高速) or "road" (a national highway such as the G318: slower, winding).
    kind: str = "expressway"


#: The two ports of the Qiongzhou Strait ferry (海安新港 in Xuwen county; 新海港 in Haikou).
XUWEN_PORT = "Hai'an Port=徐闻海安港@20.255,110.205"
HAIKOU_PORT = "Xinhai Port=海口新海港@20.057,110.146"


@dataclass(frozen=True)
class Ferry:
    """A car ferry between two nodes of the road graph. ``crossing_min`` is the whole crossing as a
    driver lives it (check-in, boarding and sailing), ``sea_km`` the distance sailed."""

    name_en: str
    name_zh: str
    port_a: str  # a corridor node spec, as in Corridor.cities
    port_b: str
    crossing_min: float
    sea_km: float


FERRIES: tuple[Ferry, ...] = (
    # Sailing about 1.5 h between the New Hai'an port and Haikou's Xinhai port, plus about an hour
    # of check-in and boarding outside peak days (docs/data.md).
    Ferry("Qiongzhou Strait ferry", "琼州海峡轮渡", XUWEN_PORT, HAIKOU_PORT, 150.0, 30.0),
)

CORRIDORS: tuple[Corridor, ...] = (
    Corridor(
        "G1",
        "Beijing–Harbin",
        "京哈高速",
        ("Beijing", "Tangshan", "Qinhuangdao", "Jinzhou", "Shenyang", "Tieling", "Siping", "Changchun", "Harbin"),
    ),
    Corridor(
        "G2",
        "Beijing–Shanghai",
        "京沪高速",
        (
            "Beijing",
            "Langfang",
            "Tianjin",
            "Cangzhou",
            "Dezhou",
            "Jinan",
            "Tai'an",
            "Linyi",
            "Huai'an",
            "Yangzhou",
            "Jiangyin",
            "Wuxi",
            "Suzhou",
            "Shanghai",
        ),
    ),
    Corridor(
        "G3",
        "Beijing–Taipei",
        "京台高速",
        (
            "Jinan",
            "Tai'an",
            "Qufu",
            "Xuzhou",
            "Suzhou",
            "Bengbu",
            "Hefei",
            "Tongling",
            "Huangshan",
            "Nanping",
            "Fuzhou",
        ),
    ),
    Corridor(
        "G4",
        "Beijing–Hong Kong–Macau",
        "京港澳高速",
        (
            "Beijing",
            "Baoding",
            "Shijiazhuang",
            "Xingtai",
            "Handan",
            "Anyang",
            "Xinxiang",
            "Zhengzhou",
            "Xuchang",
            "Luohe",
            "Zhumadian",
            "Xinyang",
            "Wuhan",
            "Xianning",
            "Yueyang",
            "Changsha",
            "Zhuzhou",
            "Hengyang",
            "Chenzhou",
            "Shaoguan",
            "Guangzhou",
            "Dongguan",
            "Shenzhen",
        ),
    ),
    Corridor(
        "G5",
        "Beijing–Kunming",
        "京昆高速",
        (
            "Shijiazhuang",
            "Taiyuan",
            "Linfen",
            "Xi'an",
            "Hanzhong",
            "Guangyuan",
            "Mianyang@31.5,104.7",
            "Chengdu",
            "Ya'an",
            "Xichang",
            "Panzhihua",
            "Kunming",
        ),
    ),
    Corridor(
        "G15",
        "Shenyang–Haikou",
        "沈海高速",
        (
            "Shenyang",
            "Dalian",
            "Yantai",
            "Qingdao",
            "Rizhao",
            "Lianyungang",
            "Yancheng",
            "Nantong",
            "Shanghai",
            "Jiaxing",
            "Ningbo",
            "Taizhou",
            "Wenzhou",
            "Fuzhou",
            "Putian",
            "Quanzhou",
            "Xiamen",
            "Zhangzhou",
            "Shantou",
            "Huizhou",
            "Shenzhen",
            "Guangzhou",
            "Foshan",
            "Jiangmen",
            "Maoming",
            "Zhanjiang",
            XUWEN_PORT,
        ),
    ),
    Corridor(
        "G20",
        "Qingdao–Yinchuan",
        "青银高速",
        ("Qingdao", "Weifang", "Zibo", "Jinan", "Hengshui", "Shijiazhuang", "Taiyuan"),
    ),
    Corridor(
        "G30",
        "Lianyungang–Khorgas",
        "连霍高速",
        (
            "Lianyungang",
            "Xuzhou",
            "Shangqiu",
            "Kaifeng",
            "Zhengzhou",
            "Luoyang",
            "Sanmenxia",
            "Weinan",
            "Xi'an",
            "Baoji",
            "Tianshui",
            "Lanzhou",
        ),
    ),
    Corridor(
        "G42",
        "Shanghai–Chengdu",
        "沪蓉高速",
        (
            "Shanghai",
            "Suzhou",
            "Wuxi",
            "Changzhou",
            "Zhenjiang",
            "Nanjing",
            "Hefei",
            "Lu'an",
            "Wuhan",
            "Jingzhou",
            "Yichang",
            "Wanxian",
            "Dazhou",
            "Nanchong",
            "Suining",
            "Chengdu",
        ),
    ),
    Corridor(
        "G50",
        "Shanghai–Chongqing",
        "沪渝高速",
        (
            "Shanghai",
            "Huzhou",
            "Xuancheng",
            "Wuhu",
            "Anqing",
            "Huangshi",
            "Wuhan",
            "Jingzhou",
            "Yichang",
            "Enshi",
            "Chongqing",
        ),
    ),
    Corridor(
        "G60",
        "Shanghai–Kunming",
        "沪昆高速",
        (
            "Shanghai",
            "Jiaxing",
            "Hangzhou",
            "Jinhua",
            "Quzhou",
            "Shangrao",
            "Yingtan",
            "Nanchang",
            "Pingxiang",
            "Xiangtan",
            "Shaoyang",
            "Huaihua",
            "Kaili",
            "Guiyang",
            "Anshun",
            "Qujing",
            "Kunming",
        ),
    ),
    Corridor(
        "G65",
        "Baotou–Maoming",
        "包茂高速",
        (
            "Baotou",
            "Dongsheng",
            "Yan'an",
            "Tongchuan",
            "Xi'an",
            "Ankang",
            "Dazhou",
            "Chongqing",
            "Huaihua",
            "Guilin",
            "Wuzhou",
            "Maoming",
        ),
    ),
    Corridor(
        "G70",
        "Fuzhou–Yinchuan",
        "福银高速",
        (
            "Fuzhou",
            "Nanping",
            "Nanchang",
            "Jiujiang",
            "Huangshi",
            "Wuhan",
            "Xiaogan",
            "Xiangyang",
            "Shiyan",
            "Shangluo",
            "Xi'an",
            "Xianyang",
            "Pingliang",
            "Guyuan",
            "Yinchuan",
        ),
    ),
    Corridor(
        "G75", "Lanzhou–Haikou", "兰海高速", ("Chongqing", "Zunyi", "Guiyang", "Duyun", "Hechi", "Nanning", "Beihai")
    ),
    Corridor("G25", "Changchun–Shenzhen", "长深高速", ("Nanjing", "Lishui", "Hangzhou")),
    Corridor(
        "G80",
        "Guangzhou–Kunming",
        "广昆高速",
        ("Guangzhou", "Foshan", "Zhaoqing", "Wuzhou", "Nanning", "Baise", "Kunming"),
    ),
    Corridor("G93", "Chengdu–Chongqing", "成渝环线", ("Chengdu", "Suining", "Chongqing")),
    # The Sichuan–Tibet road (川藏南线): passes as waypoints, so that the route climbs them.
    Corridor(
        "G318",
        "Chengdu–Lhasa (Sichuan–Tibet)",
        "川藏公路",
        (
            "Chengdu",
            "Ya'an",
            "Luding=泸定@29.914,102.234",
            "Kangding",
            "Zheduo Pass=折多山@30.073,101.803",
            "Xinduqiao=新都桥@30.051,101.494",
            "Yajiang=雅江@30.032,101.015",
            "Kazila Pass=卡子拉山@30.018,100.580",
            "Litang=理塘@29.996,100.269",
            "Haizi Pass=海子山@29.843,99.659",
            "Batang=巴塘@30.005,99.110",
            "Markam=芒康@29.680,98.593",
            "Dongda Pass=东达山@29.706,98.152",
            "Zogang=左贡@29.671,97.841",
            "Baxoi=八宿@30.053,96.918",
            "Anjiu Pass=安久拉山@29.742,96.654",
            "Rawu=然乌@29.493,96.766",
            "Bomi=波密@29.859,95.768",
            "Nyingchi",
            "Gongbo'gyamda=工布江达@29.885,93.246",
            "Mila Pass=米拉山@29.821,92.352",
            "Maizhokunggar=墨竹工卡@29.834,91.730",
            "Lhasa",
        ),
        # Chengdu → Lhasa is about 2,140 km by the G318; the polyline through these nodes ~1,380.
        road_factor=1.55,
        kind="road",
    ),
    # The Yunnan–Tibet road (滇藏公路) up to where it meets the G318 at Markam.
    Corridor(
        "G214",
        "Kunming–Markam (Yunnan–Tibet)",
        "滇藏公路",
        (
            "Kunming",
            "Chuxiong=楚雄@25.033,101.546",
            "Dali",
            "Lijiang",
            "Shangri-La",
            "Benzilan=奔子栏@28.238,99.296",
            "Baima Pass=白马雪山@28.330,99.098",
            "Deqen=德钦@28.486,98.913",
            "Yanjing=盐井@29.043,98.596",
            "Markam=芒康@29.680,98.593",
        ),
        road_factor=1.4,  # mountain road along the Jinsha and Lancang valleys
        kind="road",
    ),
    # West of Lanzhou the Lianyungang–Khorgas expressway runs up the Hexi Corridor to Ürümqi.
    Corridor(
        "G30W",
        "Lanzhou–Ürümqi",
        "连霍高速（兰州—乌鲁木齐）",
        ("Lanzhou", "Wuwei", "Zhangye", "Jiuquan", "Jiayuguan", "Hami", "Turpan", "Urumqi"),
    ),
    # Haikou to Sanya along Hainan's east coast (环岛高速东线), from the ferry port.
    Corridor(
        "G98", "Hainan ring (east)", "海南环岛高速（东线）", (HAIKOU_PORT, "Haikou", "Qionghai", "Wanning", "Sanya")
    ),
)


@functools.cache
def corridor_cities(code: str) -> tuple[City, ...]:
    corridor = next((c for c in CORRIDORS if c.code == code), None)
    if corridor is None:
        raise KeyError(code)
    out: list[City] = []
    for spec in corridor.cities:
        out.append(node(spec, out[-1].latlon if out else None))
    return tuple(out)


def node(spec: str, near: LatLon | None = None) -> City:
    """A corridor entry as a graph node: a city of the table (``"Name"``, ``"Name@LAT,LON"``)
    or a waypoint (``"Name=中文名@LAT,LON"``)."""
    name, _, hint = spec.partition("@")
    name, _, name_zh = name.partition("=")
    if hint:
        lat, lon = hint.split(",")
        near = (float(lat), float(lon))
    if name_zh:
        if near is None:
            raise ValueError(f"waypoint {spec!r} needs @LAT,LON")
        return waypoint(name, name_zh, near)
    return find_city(name, near=near)


def waypoint(name_en: str, name_zh: str, latlon: LatLon) -> City:
    """A node that is not in the city table: a negative id derived from its name (stable across
    runs, so that the same waypoint on two corridors is one node)."""
    return City(-(zlib.crc32(name_en.encode()) or 1), name_en, name_zh, latlon[0], latlon[1], 0, "")


def corridor_polyline(code: str) -> list[LatLon]:
    return [c.latlon for c in corridor_cities(code)]
