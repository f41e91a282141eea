"""The home screen on real Qt offscreen with the real cache: gauge, staleness, suggestions,
filters, driver lock-out, sync deltas, alerts, screenshot, languages."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from chargers.store import ChargerStore
from ivi.services.ports import SyncStatus
from ivi.ui.stores.filters import FiltersStore
from tests.ui.conftest import PushSync, build_screen, item, tap


def test_a_soc_frame_on_the_virtual_bus_changes_the_gauge(screen, qtbot):
    """A DBC-encoded BMS_SOC frame on a python-can virtual bus, read by the real CanReader."""
    car = screen.car
    assert item(screen, "socText").property("text") == "--"  # no frame yet
    car.set(63.4)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "63", timeout=20000)
    car.set(57.8)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "58", timeout=20000)
    assert screen.controller.vehicle.value("socPercent") == 57.8
    assert screen.controller.vehicle.value("canState") == "live"
    assert "km" in item(screen, "rangeText").property("text")


def test_no_soc_frames_show_dashes_and_the_planner_is_told(screen, qtbot):
    c = screen.controller
    screen.car.set(70.0, route_km=20.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "70", timeout=20000)
    screen.car.set(None, route_km=20.0)  # the BMS falls silent: stale after 3 cycles (300 ms)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "--", timeout=20000)
    assert item(screen, "rangeText").property("text") == "-- km"
    assert item(screen, "socUnknownText").property("visible")  # "Battery level unknown — last 70% …"
    assert item(screen, "socUnknownText").property("text").startswith("Battery level unknown — last 70%")
    q = c._query()
    assert q is not None and q.soc_stale and q.soc_percent == 70.0  # last value, flagged stale
    screen.car.set(55.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "55", timeout=20000)


def test_suggestions_follow_the_position(screen, qtbot):
    c, v = screen.controller, screen.car
    v.set(80.0, route_km=0.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=20000)
    near_start = {r["stationId"] for r in c.suggestions.model.rows()}
    v.set(80.0, route_km=600.0)
    qtbot.waitUntil(
        lambda: c.suggestions.model.rows() and c.suggestions.model.rows()[0]["alongKm"] >= 600.0, timeout=20000
    )
    rows = c.suggestions.model.rows()
    assert abs(c.position_km() - 600.0) < 1.0  # projected from the GNSS frame onto the route
    assert not near_start & {r["stationId"] for r in rows}
    assert all(r["alongKm"] >= 600.0 for r in rows)
    assert all(r["reachable"] and 10 <= r["arrivalSoc"] < 80 for r in rows)
    # the alternatives come in the planner's ranking (least time lost), not in route order
    ranked = [s.location_id for s in c.suggestions.shown if s.location_id != c.suggestions.value("nextId")]
    assert [r["stationId"] for r in rows] == ranked[: len(rows)]


def test_a_filter_tap_changes_the_list_and_is_remembered(screen, qtbot, tmp_path):
    c, v = screen.controller, screen.car
    v.set(80.0, route_km=100.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=20000)
    tap(screen, "filtersButton")  # the filter sheet (parked only)
    qtbot.waitUntil(lambda: item(screen, "filterSheet").property("visible"))
    tap(screen, "filter_NIO")
    tap(screen, "filter_LI_AUTO")
    qtbot.waitUntil(
        lambda: c.suggestions.model.count > 0 and {r["network"] for r in c.suggestions.model.rows()} == {"XPENG"},
        timeout=20000,
    )
    assert c.filters.value("nio") is False
    saved = json.loads((tmp_path / "config" / "filters.json").read_text())
    assert saved["networks"] == ["XPENG"]
    assert FiltersStore(tmp_path / "config" / "filters.json").filters().networks == frozenset({"XPENG"})


def test_moving_locks_search_and_caps_the_list(screen, qtbot):
    c, v = screen.controller, screen.car
    v.set(80.0, speed_kmh=0.0, route_km=5.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 3, timeout=20000)
    c.station.search("蔚来 德州")  # parked: Chinese search works
    qtbot.waitUntil(lambda: c.station.value("searchState") == "done", timeout=20000)
    assert c.station.results_model.count > 0 and all("德州" in r["name"] for r in c.station.results_model.rows())
    c.station.search("Dezhou")  # and English / pinyin place names
    qtbot.waitUntil(
        lambda: c.station.value("searchState") == "done" and c.station.value("query") == "Dezhou", timeout=20000
    )
    assert c.station.results_model.count > 0
    v.set(80.0, speed_kmh=110.0, route_km=5.0)  # a VCU speed frame > 0 on the bus
    qtbot.waitUntil(lambda: c.vehicle.value("moving"), timeout=20000)
    assert c.vehicle.value("speedKmh") == 110.0
    assert c.suggestions.model.count <= 3
    assert item(screen, "searchInput").property("enabled") is False
    assert item(screen, "stopList").property("interactive") is False
    c.station.search("蔚来")
    assert c.station.value("searchState") == "locked"
    assert item(screen, "filtersButton").property("height") >= screen.theme.touchMin
    assert item(screen, "filterSheet").property("visible") is False


def test_out_of_order_in_a_sync_delta_updates_the_stop(qtbot, cache_copy, trip, tmp_path):
    sync = PushSync()
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", sync=sync)
    try:
        c, v = screen.controller, screen.car
        v.set(80.0, route_km=200.0)
        qtbot.waitUntil(lambda: any(r["available"] > 0 for r in c.suggestions.model.rows()), timeout=20000)
        row = next(r for r in c.suggestions.model.rows() if r["available"] > 0)
        writer = ChargerStore.open(cache_copy, seed=False)  # the sync client's own connection
        loc = writer.location(row["stationId"])
        stamp = "2026-11-25T10:00:00Z"

        def apply_delta() -> None:
            sync.on_status(SyncStatus("syncing", 0.5))
            writer.set_evse_statuses([(e.uid, "OUTOFORDER", stamp) for e in loc.evses])
            sync.on_status(SyncStatus("up_to_date", 1.0, "v2", 1_790_000_000.0))
            sync.on_changed([loc.id])

        t = threading.Thread(target=apply_delta)
        t.start()
        t.join()
        qtbot.waitUntil(
            lambda: any(r["stationId"] == loc.id and r["available"] == 0 for r in c.suggestions.model.rows()),
            timeout=20000,
        )
        qtbot.waitUntil(lambda: c.sync.value("state") == "up_to_date")
        assert item(screen, "syncText").property("text") == "Stations up to date (v2)"
        writer.close()
    finally:
        screen.close()


def test_low_soc_shows_the_alert_with_the_best_stop(screen, qtbot):
    c = screen.controller
    screen.car.set(15.0, speed_kmh=100.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "low_soc", timeout=20000)
    assert item(screen, "alertBanner").property("visible")
    assert c.suggestions.value("bestName")
    c.suggestions.dismissAlert()
    assert not item(screen, "alertBanner").property("visible")


def test_screenshot_is_not_blank_and_shows_the_soc(screen, qtbot, tmp_path):
    screen.car.set(77.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "77")
    done = []
    screen.after_next_frame(lambda: done.append(screen.grab(tmp_path / "shot.png")))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert done[0]
    from PySide6.QtGui import QImage

    img = QImage(str(tmp_path / "shot.png"))
    assert (img.width(), img.height()) == (1920, 720)
    soc = item(screen, "socText")
    origin = soc.mapToScene(soc.boundingRect().topLeft())
    bg = QColor(screen.theme.colors.surface)
    text_colour = QColor(screen.theme.colors.text)
    region = [
        img.pixelColor(int(origin.x() + dx), int(origin.y() + dy))
        for dx in range(0, int(soc.width()), 3)
        for dy in range(0, int(soc.height()), 3)
    ]
    assert any(abs(p.lightness() - text_colour.lightness()) < 30 for p in region)  # the digits are drawn
    assert any(abs(p.lightness() - bg.lightness()) < 10 for p in region)
    assert len({img.pixel(x, y) for x in range(0, 1920, 40) for y in range(0, 720, 40)}) > 20


def test_both_languages_load(qtbot, cache_path, trip, tmp_path):
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", language="zh_CN")
    try:
        assert screen.controller.system.value("translationMissing") == ""
        assert screen.controller.system.value("language") == "zh_CN"
        assert QCoreApplication.translate("Labels", "NIO") == "蔚来"
        assert not screen.theme.cjkFontMissing
    finally:
        screen.close()
        QCoreApplication.removeTranslator(screen.translator)
    assert QCoreApplication.translate("Labels", "NIO") == "NIO"
