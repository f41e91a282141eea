"""National expressway corridors (国家高速公路) as chains of the real cities they join.

Each corridor is the ordered list of cities the expressway passes; its polyline runs through
their coordinates. That is coarser than the road itself (the road winds a few per cent more)
but places service areas where the real ones are: on the corridor, every few tens of km.
Where two cities share a name, the one nearest the previous city on the corridor is meant,
or the one nearest an explicit hint written ``"Name@LAT,LON"``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from geo.cities import City, find_city
from geo.geometry import LatLon


@dataclass(frozen=True)
class Corridor:
    code: str  # e.g. "G2"
    name_en: str
    name_zh: str
    cities: tuple[str, ...]


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
            "Haikou",
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
)


@functools.cache
def corridor_cities(code: str) -> tuple[City, ...]:
    corridor = next((c for c in CORRIDORS if c.code == code), None)
    if corridor is None:
        raise KeyError(code)
    out: list[City] = []
    for spec in corridor.cities:
        name, _, hint = spec.partition("@")
        near: tuple[float, float] | None = out[-1].latlon if out else None
        if hint:
            lat, lon = hint.split(",")
            near = (float(lat), float(lon))
        out.append(find_city(name, near=near))
    return tuple(out)


def corridor_polyline(code: str) -> list[LatLon]:
    return [c.latlon for c in corridor_cities(code)]
