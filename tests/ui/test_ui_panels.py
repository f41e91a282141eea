"""Station detail, trip view, bad input and themes on the real screen."""

from __future__ import annotations

import json
import threading

from chargers.store import ChargerStore
from ivi.ui.runtime import app_instance, load_translator
from tests.ui.conftest import PushSync, build_screen, item, tap


def test_station_detail_and_navigate(screen, qtbot):
    c = screen.controller
    screen.car.set(80.0, route_km=50.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=20000)
    sid = c.suggestions.model.rows()[0]["stationId"]
    c.suggestions.select(sid)
    qtbot.waitUntil(lambda: c.station.value("name") != "" and c.station.evses_model.count > 0, timeout=20000)
    assert item(screen, "stationDetail").property("visible")
    evse = c.station.evses_model.rows()[0]
    assert evse["status"] and evse["powerKw"] > 0 and evse["connectors"] in {"GB/T DC", "GB/T AC", "GB/T DC · GB/T AC"}
    assert evse["fresh"] is False and evse["ageMin"] > 15  # the bundled statuses are weeks old: "last known"
    tariff = c.station.tariff_model.rows()
    assert tariff and sum(1 for w in tariff if w["now"]) == 1
    assert all(abs(w["total"] - (w["energy"] + w["service"])) < 0.01 for w in tariff)
    assert c.station.value("hours")
    tap(screen, "navigateButton")
    qtbot.waitUntil(lambda: c.system.value("navSent") != "", timeout=20000)
    out = c.services.navigation.stream.getvalue().strip().splitlines()
    msg = json.loads(out[-1])["navigate_to"]
    assert msg["station_id"] == sid and 18 < msg["lat"] < 54
    tap(screen, "closeDetail")
    assert not item(screen, "stationDetail").property("visible")


def test_trip_view_plans_alternatives_and_explains_a_replan(qtbot, cache_copy, trip, tmp_path):
    sync = PushSync()
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", sync=sync)
    try:
        c = screen.controller
        screen.car.set(80.0, route_km=0.0)
        qtbot.waitUntil(
            lambda: c.trip_store.alts_model.count == 3 and c.trip_store.stops_model.count > 0, timeout=20000
        )
        tap(screen, "tab_trip")
        assert item(screen, "tripView").property("visible")
        kinds = {r["kind"] for r in c.trip_store.alts_model.rows()}
        assert kinds == {"fastest", "fewest_stops", "cheapest"}
        c.trip_store.select("fewest_stops")
        stops = c.trip_store.stops_model.rows()
        assert all(s["departureSoc"] > s["arrivalSoc"] and s["chargeMin"] > 0 for s in stops)
        assert c.trip_store.value("totalMin") > c.trip_store.value("chargeMin") > 0
        # the first planned stop goes out of order: the plan changes and says why
        first = stops[0]["stationId"]
        writer = ChargerStore.open(cache_copy, seed=False)
        loc = writer.location(first)
        t = threading.Thread(
            target=lambda: (
                writer.set_evse_statuses([(e.uid, "OUTOFORDER", "2026-11-25T10:00:00Z") for e in loc.evses]),
                sync.on_changed([first]),
            )
        )
        t.start()
        t.join()
        qtbot.waitUntil(lambda: c.trip_store.value("reason") == "station_unavailable", timeout=20000)
        assert c.trip_store.value("reasonStation") == loc.name
        assert first not in {s["stationId"] for s in c.trip_store.stops_model.rows()}
        assert item(screen, "replanReason").property("visible")
        writer.close()
    finally:
        screen.close()


def test_corrupted_cache_is_reported_and_the_gauge_still_works(qtbot, trip, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    screen = build_screen(qtbot, bad, trip, tmp_path / "config")
    try:
        c = screen.controller
        assert c.system.value("cacheState") == "error" and c.system.value("cacheDetail")
        assert c.suggestions.value("state") == "error"
        screen.car.set(42.0)
        qtbot.waitUntil(lambda: item(screen, "socText").property("text") == "42")
    finally:
        screen.close()
    assert bad.read_bytes().startswith(b"this is not a database")  # left untouched


def test_empty_cache_says_so(qtbot, trip, tmp_path):
    screen = build_screen(
        qtbot,
        tmp_path / "empty.db",
        trip,
        tmp_path / "config",
        open_cache=lambda: ChargerStore.open(tmp_path / "empty.db", seed=False),
    )
    try:
        c = screen.controller
        assert c.system.value("cacheState") == "empty"
        screen.car.set(50.0, route_km=10.0)
        qtbot.waitUntil(lambda: c.suggestions.value("state") == "empty", timeout=20000)
    finally:
        screen.close()


def test_no_vehicle_source_and_missing_translation_are_shown(qtbot, cache_path, trip, tmp_path, monkeypatch):
    from ivi.ui import runtime

    monkeypatch.setattr(runtime, "I18N_DIR", tmp_path / "nowhere")
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", language="zh_CN", vehicle=None)
    try:
        c = screen.controller
        assert c.vehicle.value("canState") == "none" and c.vehicle.value("socText") == "--"
        assert item(screen, "canStatus").property("text") == "No vehicle data source"
        assert c.system.value("translationMissing") == "ivi_zh_CN.qm"
        assert c.system.value("language") == "en"
    finally:
        screen.close()
    tr, problem = load_translator(app_instance(), "xx")
    assert tr is None and problem == "ivi_xx.qm"


def test_day_night_and_scaling(qtbot, cache_path, trip, tmp_path):
    """Sizes follow the declared panel (a 15.6-inch 1920×1080 is less dense than the 12.3-inch
    reference: design units shrink, a 15 mm touch target stays 15 mm), and the button overrides
    the automatic day/night and gives it back."""
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", size=(1920, 1080), panel_inches=15.6)
    try:
        theme = screen.theme
        qtbot.waitUntil(lambda: abs(theme.unit - 0.847) < 0.01)
        assert abs(theme.touchMin / theme.mm - 15.0) < 0.2
        theme.set_mode("auto")
        theme.follow_darkness(True, "sun")
        night_bg = theme.colors.background.name()
        assert theme.night and theme.lightSource == "sun"
        tap(screen, "themeToggle")  # override: day, whatever the sun says
        assert theme.night is False and theme.mode == "day" and theme.colors.background.name() != night_bg
        theme.follow_darkness(True, "sun")
        assert theme.night is False
        tap(screen, "themeToggle")  # back to auto: the next light signal decides
        theme.follow_darkness(True, "sun")
        assert theme.mode == "auto" and theme.night
        assert screen.window.color().name() == theme.colors.background.name()
        assert theme.networkColor("NIO") != theme.networkColor("XPENG") != theme.networkColor("LI_AUTO")
    finally:
        screen.close()
