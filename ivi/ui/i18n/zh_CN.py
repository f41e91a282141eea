"""Chinese (zh_CN) translations of the screen's English source strings.

Maintainer tool, not imported at run time: ``python -m ivi.ui.i18n.zh_CN`` runs
``pyside6-lupdate`` over the QML, fills ``ivi_zh_CN.ts`` from this table and compiles
``ivi_zh_CN.qm`` with ``pyside6-lrelease``; it also writes ``ivi_en.ts/.qm``, which hold only
the English plural forms of the ``%n`` strings (``EN_PLURALS``). Both files are committed so a fresh machine needs no
compile step. A string missing here stays English on screen (and is listed by the tool).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ZH_CN = {
    "usually full at your arrival": "到达时通常已满",
    "usually busy at your arrival": "到达时通常繁忙",
    "usually free at your arrival": "到达时通常有空位",
    "wait ~%1 min": "约等 %1 分钟",
    "%1 of %2 chargers often out of order": "%2 个充电桩中 %1 个常故障",
    "no history yet": "暂无历史数据",
    " · +%1 km detour": " · 绕行 %1 公里",
    "%1 d ago": "%1 天前",
    "%1 h %2 min": "%1 小时 %2 分",
    "%1 h ago": "%1 小时前",
    "%1 is no longer reachable without charging": "不充电已无法到达%1",
    "%1 kW": "%1 千瓦",
    "%1 km": "%1 公里",
    "%1 km ahead": "前方 %1 公里",
    "%1 km/h": "%1 公里/时",
    "%1 min": "%1 分钟",
    "%1 min ago": "%1 分钟前",
    "%1% on arrival": "到达时 %1%",
    "%1% → %2% · %3 min · %4 kW": "%1% → %2% · %3 分钟 · %4 千瓦",
    "%1/%2 free": "空闲 %1/%2",
    "%1/%2 free · up to %3 kW · open %4": "空闲 %1/%2 · 最高 %3 千瓦 · 营业 %4",
    "%n stop(s)": "%n 站",
    "-- km": "-- 公里",
    "Any power": "不限功率",
    "Available": "空闲",
    "Back": "返回",
    "Battery": "电量",
    "Battery low": "电量低",
    "Best stop: %1 · %2 km · %3 kW": "推荐充电站：%1 · %2 公里 · %3 千瓦",
    "Blocked": "被占用",
    "Charger data is empty": "充电站数据为空",
    "Charger data unreadable: %1": "充电站数据无法读取：%1",
    "Charger list unavailable": "充电站列表不可用",
    "Chargers": "充电站",
    "Charging": "充电中",
    "Cheapest": "最省钱",
    "Day": "日间",
    "Fastest": "最快",
    "Fewest stops": "最少停站",
    "Green": "绿电",
    "Green energy": "绿色能源",
    "In use": "使用中",
    "Inoperative": "停用",
    "Li Auto": "理想",
    "Looking for chargers…": "正在查找充电站…",
    "NIO": "蔚来",
    "Navigate": "导航",
    "Next chargers on your route": "沿途下一个充电站",
    "Night": "夜间",
    "No CAN data: battery level unknown": "无 CAN 数据：电量未知",
    "No charger ahead matches the filters": "前方没有符合筛选条件的充电站",
    "No charger in range": "续航范围内没有充电站",
    "No charging needed to reach %1": "无需充电即可到达%1",
    "No plan reaches %1": "没有方案能到达%1",
    "No vehicle data source": "没有车辆数据源",
    "Offline": "离线",
    "Out of order": "故障",
    "Parked": "已停车",
    "Plan changed: %1 has no free charger any more": "方案已更新：%1 已无空闲充电桩",
    "Plan changed: a better stop replaces %1": "方案已更新：更优的充电站替换了 %1",
    "Plan changed: the destination can no longer be reached with these chargers": "方案已更新：这些充电站已无法到达目的地",
    "Planned": "规划中",
    "Planning…": "正在规划…",
    "Preparing charger data…": "正在准备充电站数据…",
    "Price per kWh (energy + service)": "每千瓦时价格（电费 + 服务费）",
    "Removed": "已拆除",
    "Reserved": "已预约",
    "Search is available when parked": "停车后可搜索",
    "Search stations (name, 拼音, English)": "搜索充电站（名称、拼音、英文）",
    "Sent to navigation": "已发送到导航",
    "Sync error": "同步出错",
    "Syncing %1%": "正在同步 %1%",
    "To %1 · %2 km": "前往%1 · %2 公里",
    "To %1: %2 km · %3 total · %4 charging · ¥%5 · %6% on arrival": "前往%1：%2 公里 · 共 %3 · 充电 %4 · ¥%5 · 到达时 %6%",
    "Trip plan": "行程规划",
    "Unknown": "未知",
    "Up to date": "已是最新",
    "Waiting for CAN data…": "等待 CAN 数据…",
    "Xpeng": "小鹏",
    "cached data": "缓存数据",
    "does not reach": "无法到达",
    "just now": "刚刚",
    "km %1": "%1 公里处",
    "now": "当前",
    "out of range": "超出续航",
    "range, keeping %1 km reserve": "续航（保留 %1 公里余量）",
    "status unknown": "状态未知",
    "updated %1": "更新于 %1",
    "¥%1/kWh": "¥%1/千瓦时",
    "≥ %1 kW": "≥ %1 千瓦",
    "Trip plan unavailable": "行程规划不可用",
    "Trip plan unavailable: %1": "行程规划不可用：%1",
    "%1 d": "%1 天",
    "%1 h": "%1 小时",
    "%1 is out of order": "%1 已故障",
    "%1 more · leave at %2": "还需 %1 · %2 出发",
    "%1 to the charge limit": "距充电上限 %1",
    "%1% → %2% · %3 · %4 kW": "%1% → %2% · %3 · %4 千瓦",
    "%n d ago": "%n 天前",
    "%n h ago": "%n 小时前",
    "%n min ago": "%n 分钟前",
    "%n s ago": "%n 秒前",
    "(below reserve)": "（低于余量）",
    "(uncertain)": "（不确定）",
    "+%1 km detour": "绕行 %1 公里",
    "AC chargers": "交流慢充",
    "AC, slow": "交流慢充",
    "Alternatives": "备选充电站",
    "Availability checked %1": "空闲状态更新于 %1",
    "Available now": "当前空闲",
    "Battery level unknown — last %1% %2": "电量未知——最近一次 %1%（%2）",
    "Charge at the nearest charger below": "请在下方最近的充电站充电",
    "Charge to %1% for %2 (%3 km)": "充至 %1% 以前往%2（%3 公里）",
    "Charger list unavailable: %1": "充电站列表不可用：%1",
    "Charging plan": "充电规划",
    "Clear": "清除",
    "Clear filters": "清除筛选",
    "DC": "直流",
    "Day (auto)": "日间（自动）",
    "Done": "完成",
    "Fast": "快充",
    "Filters": "筛选",
    "Filters (%1)": "筛选（%1）",
    "Last known: %1": "最近已知：%1",
    "Map": "地图",
    "Nearest chargers you can reach": "可到达的最近充电站",
    "Nearest: %1 · %2 km · %3 kW": "最近：%1 · %2 公里 · %3 千瓦",
    "New stop: %1 · %2 km · %3 kW": "新的充电站：%1 · %2 公里 · %3 千瓦",
    "Next stop · %1 · charge to %2% · %3 · %4 kW": "下一站 · %1 · 充至 %2% · %3 · %4 千瓦",
    "Night (auto)": "夜间（自动）",
    "No base map: %1": "没有底图：%1",
    "No battery data from the car": "车辆没有电池数据",
    "No charger on the route ahead": "前方路线上没有充电站",
    "No live status: last reported %1": "无实时状态：最近一次上报于 %1",
    "No plan reaches %1 with the chargers on the route: charge at the nearest and plan again": "沿途充电站无法到达%1：请在最近的充电站充电后重新规划",
    "No stop needed for %1 km": "%1 公里内无需充电",
    "Placeholder map (%1), no 审图号": "示意底图（%1），无审图号",
    "Plan changed: %1 has no working charger any more": "方案已更新：%1 已无可用充电桩",
    "Preparing the map…": "正在准备地图…",
    "Prices and charge points when parked": "停车后显示价格和充电桩",
    "Route": "全程",
    "Search when parked": "停车后可搜索",
    "Stations up to date": "充电站数据已是最新",
    "Stations up to date (%1)": "充电站数据已是最新（%1）",
    "Status %1 old": "状态已 %1 未更新",
    "The filters hide %n charger(s) ahead": "筛选条件隐藏了前方 %n 个充电站",
    "To %1: %2 km · arrive %3 · %4 on the way, %5 charging · ¥%6 · %7% on arrival": "前往%1：%2 公里 · %3 到达 · 全程 %4，充电 %5 · ¥%6 · 到达时 %7%",
    "Ultra-fast": "超快充",
    "checked %1": "更新于 %1",
    "in %1 km · %2": "%1 公里后 · %2",
    "in %1 km · at %2 · %3% on arrival": "%1 公里后 · %2 到达 · 到达时 %3%",
    "last known %1/%2": "最近已知 %1/%2 空闲",
    "no stop": "无需停站",
    "open %1": "营业 %1",
    "reserve": "余量",
    "status %1": "状态 %1",
    "to empty · %1 km before the %2 km reserve": "可行驶 · 距 %2 公里余量还有 %1 公里",
    "to empty · in the reserve": "可行驶 · 已进入余量",
    "to empty · reserve %1 km": "可行驶 · 余量 %1 公里",
    "up to %1 kW": "最高 %1 千瓦",
}


#: English needs its plural forms too (Qt's %n): without them a count reads "3 stop(s)".
EN_PLURALS = {
    "%n stop(s)": ("%n stop", "%n stops"),
    "The filters hide %n charger(s) ahead": ("The filters hide %n charger ahead", "The filters hide %n chargers ahead"),
    "%n min ago": ("%n min ago", "%n min ago"),
    "%n h ago": ("%n h ago", "%n h ago"),
    "%n d ago": ("%n day ago", "%n days ago"),
    "%n s ago": ("%n s ago", "%n s ago"),
}


def english_plurals(here: Path, qml: list[Path], bin_dir: Path) -> list[str]:
    """``ivi_en.ts/.qm``: the English plural forms only (``lupdate -pluralonly``)."""
    ts, qm = here / "ivi_en.ts", here / "ivi_en.qm"
    subprocess.run(
        [str(bin_dir / "pyside6-lupdate"), *map(str, qml), "-ts", str(ts), "-no-obsolete", "-pluralonly",
         "-source-language", "en", "-target-language", "en"],
        check=True,
    )  # fmt: skip
    tree = ET.parse(ts)
    missing = []
    for msg in tree.iter("message"):
        src = msg.findtext("source") or ""
        forms = EN_PLURALS.get(src)
        tr = msg.find("translation")
        if tr is None or forms is None:
            missing.append(src)
            continue
        tr.attrib.pop("type", None)
        for child in list(tr):
            tr.remove(child)
        tr.text = None
        for form in forms:
            ET.SubElement(tr, "numerusform").text = form
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)
    return missing


def main() -> int:
    here = Path(__file__).parent
    qml = sorted((here.parent / "qml").rglob("*.qml"))  # Main.qml and the views, panels, controls modules
    ts, qm = here / "ivi_zh_CN.ts", here / "ivi_zh_CN.qm"
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "pyside6-lupdate"), *map(str, qml), "-ts", str(ts), "-no-obsolete"], check=True)
    tree = ET.parse(ts)
    missing = []
    for msg in tree.iter("message"):
        src = msg.findtext("source") or ""
        tr = msg.find("translation")
        text = ZH_CN.get(src)
        if tr is None:  # lupdate writes one per message; a file without is not lupdate's
            raise SystemExit(f"{ts}: message {src!r} has no <translation>")
        if text is None:
            missing.append(src)
            continue
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            tr.text = None
            for child in list(tr):
                tr.remove(child)
            ET.SubElement(tr, "numerusform").text = text
        else:
            tr.text = text
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)
    missing += [f"{m} (English plural forms)" for m in english_plurals(here, qml, bin_dir)]
    for m in missing:
        print(f"untranslated: {m!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
