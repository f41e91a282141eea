"""The home screen on real Qt offscreen with the real cache: gauge, staleness, suggestions,
filters, driver lock-out, sync deltas, alerts, screenshot, languages."""
from __future__ import annotations

import json
import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from sync.store import ChargerStore
from ivi.ui.services.ports import SyncStatus
from ivi.ui.stores.filters import FiltersStore
from tests.ui.conftest import PushSync, PushVehicle, build_screen, item, tap


def test_soc_sample_changes_the_gauge(screen, qtbot):
    vehicle = screen.controller.services.vehicle
    vehicle.send(63.4)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "63", timeout=2000)
    vehicle.send(62.6)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "63" and screen.controller.vehicle.value("socPercent") == 62.6)
    assert "km" in item(screen, "rangeText").property("text")


def test_stale_soc_shows_dashes(screen, qtbot):
    c = screen.controller
    c.vehicle.stale_after_s = 0.3
    c.services.vehicle.send(70.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "70")
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "--", timeout=2000)
    assert item(screen, "rangeText").property("text") == "-- km"
    assert item(screen, "canStatus").property("visible")
    c.services.vehicle.send(55.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "55")
    c.services.vehicle.send(None)  # the CAN layer marks the signal stale
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "--")


def test_suggestions_follow_the_position(screen, qtbot):
    c, v = screen.controller, screen.controller.services.vehicle
    v.send(80.0, route_km=0.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=5000)
    near_start = {r["stationId"] for r in c.suggestions.model.rows()}
    v.send(80.0, route_km=600.0)
    qtbot.waitUntil(lambda: c.suggestions.model.rows() and c.suggestions.model.rows()[0]["alongKm"] >= 600.0, timeout=5000)
    rows = c.suggestions.model.rows()
    assert not near_start & {r["stationId"] for r in rows}
    assert [r["alongKm"] for r in rows] == sorted(r["alongKm"] for r in rows)
    assert all(r["reachable"] and r["arrivalSoc"] < 80 for r in rows)


def test_a_filter_tap_changes_the_list_and_is_remembered(screen, qtbot, tmp_path):
    c, v = screen.controller, screen.controller.services.vehicle
    v.send(80.0, route_km=100.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=5000)
    tap(screen, "filter_NIO")
    tap(screen, "filter_LI_AUTO")
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0 and {r["network"] for r in c.suggestions.model.rows()} == {"XPENG"}, timeout=5000)
    assert c.filters.value("nio") is False
    saved = json.loads((tmp_path / "config" / "filters.json").read_text())
    assert saved["networks"] == ["XPENG"]
    assert FiltersStore(tmp_path / "config").filters().networks == frozenset({"XPENG"})


def test_moving_locks_search_and_caps_the_list(screen, qtbot):
    c, v = screen.controller, screen.controller.services.vehicle
    v.send(80.0, speed_kmh=0.0, route_km=5.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 3, timeout=5000)
    c.station.search("蔚来 德州")  # parked: Chinese search works
    qtbot.waitUntil(lambda: c.station.value("searchState") == "done", timeout=5000)
    assert c.station.results_model.count > 0 and all("德州" in r["name"] for r in c.station.results_model.rows())
    c.station.search("Dezhou")  # and English / pinyin place names
    qtbot.waitUntil(lambda: c.station.value("searchState") == "done" and c.station.value("query") == "Dezhou", timeout=5000)
    assert c.station.results_model.count > 0
    v.send(80.0, speed_kmh=110.0, route_km=5.0)
    qtbot.waitUntil(lambda: c.vehicle.value("moving"))
    assert c.suggestions.model.count <= 3
    assert item(screen, "searchInput").property("enabled") is False
    assert item(screen, "stopList").property("interactive") is False
    c.station.search("蔚来")
    assert c.station.value("searchState") == "locked"
    assert item(screen, "filter_NIO").property("height") >= 0.7 * screen.theme.touchMin


def test_out_of_order_in_a_sync_delta_updates_the_stop(qtbot, cache_copy, trip, tmp_path):
    sync = PushSync()
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", sync=sync)
    try:
        c, v = screen.controller, screen.controller.services.vehicle
        v.send(80.0, route_km=200.0)
        qtbot.waitUntil(lambda: any(r["available"] > 0 for r in c.suggestions.model.rows()), timeout=5000)
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
        qtbot.waitUntil(lambda: any(r["stationId"] == loc.id and r["available"] == 0 for r in c.suggestions.model.rows()), timeout=5000)
        qtbot.waitUntil(lambda: c.sync.value("state") == "up_to_date")
        assert item(screen, "syncText").property("text") == "Up to date"
        writer.close()
    finally:
        screen.close()


def test_low_soc_shows_the_alert_with_the_best_stop(screen, qtbot):
    c = screen.controller
    c.services.vehicle.send(15.0, speed_kmh=100.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "low_soc", timeout=5000)
    assert item(screen, "alertBanner").property("visible")
    assert c.suggestions.value("bestName")
    c.suggestions.dismissAlert()
    assert not item(screen, "alertBanner").property("visible")


def test_screenshot_is_not_blank_and_shows_the_soc(screen, qtbot, tmp_path):
    screen.controller.services.vehicle.send(77.0)
    qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "77")
    done = []
    screen.after_next_frame(lambda: done.append(screen.grab(tmp_path / "shot.png")))
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert done[0]
    from PySide6.QtGui import QImage

    img = QImage(str(tmp_path / "shot.png"))
    assert (img.width(), img.height()) == (1920, 720)
    soc = item(screen, "socText")
    origin = soc.mapToScene(soc.boundingRect().topLeft())
    bg = QColor(screen.theme.colors["surface"])
    text_colour = QColor(screen.theme.colors["text"])
    region = [img.pixelColor(int(origin.x() + dx), int(origin.y() + dy))
              for dx in range(0, int(soc.width()), 3) for dy in range(0, int(soc.height()), 3)]
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
