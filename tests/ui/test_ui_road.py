"""The screen on the road, with the real parts (CAN frames on a virtual bus, the scale-1 cache,
the real planner): a low battery, a silent BMS, filters that hide everything, a planned charger
going out of order, charging at a planned stop, the station detail while moving, the trip chart,
plural forms, and the light signal deciding day or night."""

from __future__ import annotations

import itertools
import re
import threading

from PySide6.QtCore import QCoreApplication

from chargers.store import ChargerStore
from ivi.services.ports import VehicleSample
from ivi.ui.stores.filters import FilterChoice
from ivi.ui.stores.suggestions import is_fresh
from tests.ui.conftest import PushSync, build_screen, item, tap, wait_item


def test_low_battery_lists_what_the_car_still_reaches(screen, qtbot):
    """At 12 % the reserve is reached, but the car has ~70 km to empty: both numbers are shown, the
    nearest chargers come first with their arrival charge (below the reserve, warned), none of the
    nearby ones is "out of range", and the banner names the nearest."""
    c = screen.controller
    screen.car.set(12.0, speed_kmh=100.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "low_soc" and c.suggestions.model.count > 0, timeout=20000)
    assert c.vehicle.value("toEmptyKm") > 40 and c.vehicle.value("belowReserve") is False
    assert item(screen, "rangeText").property("text") == f"{c.vehicle.value('toEmptyKm')} km"
    assert "before the" in item(screen, "reserveText").property("text")
    rows = c.suggestions.model.rows()
    assert all(r["reachable"] for r in rows)  # close chargers are never "out of range"
    assert [r["aheadKm"] for r in rows] == sorted(r["aheadKm"] for r in rows)  # nearest first
    assert any(r["belowReserve"] and 0 < r["arrivalSoc"] < 10 for r in c.suggestions.rows_all())
    assert c.suggestions.value("lowBattery")
    assert item(screen, "listHeader").property("text") == "Nearest chargers you can reach"
    assert c.suggestions.value("bestName") and 0 < c.suggestions.value("bestAheadKm") < 40
    assert "Nearest:" in item(screen, "alertBest").property("text")
    qtbot.waitUntil(lambda: c.suggestions.value("nextKind") == "stop", timeout=20000)  # the plan's next stop leads
    assert item(screen, "nextName").property("text") == c.suggestions.value("nextName")
    # at 8 % the car is in the reserve: said so, and the distance to empty is still a number
    screen.car.set(8.0, speed_kmh=100.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.vehicle.value("belowReserve"), timeout=20000)
    assert c.vehicle.value("toEmptyKm") > 20
    assert item(screen, "reserveText").property("text") == "to empty · in the reserve"


def test_a_silent_bms_is_a_state_of_its_own(screen, qtbot):
    """The BMS falls silent at 12 %: the gauge goes grey with "--", the screen says what it last
    knew and when, the low-battery alert stays up (as "battery level unknown"), and every arrival
    estimate is marked uncertain. Speed is still live."""
    c = screen.controller
    screen.car.set(12.0, speed_kmh=90.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "low_soc" and c.suggestions.model.count > 0, timeout=20000)
    screen.car.set(None, speed_kmh=90.0, route_km=300.0)
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "soc_unknown", timeout=20000)
    assert item(screen, "socText").property("text") == "--"
    assert item(screen, "gaugeCaption").property("text") == "Unknown"
    assert c.vehicle.value("moving") and c.vehicle.value("speedKmh") == 90.0
    qtbot.waitUntil(lambda: c.vehicle.value("socAgeS") >= 1, timeout=5000)
    text = item(screen, "socUnknownText").property("text")
    assert re.fullmatch(r"Battery level unknown — last 12% \d+ s ago", text), text
    assert item(screen, "alertTitle").property("text").startswith("Battery level unknown — last 12%")
    qtbot.waitUntil(lambda: all(r["uncertain"] for r in c.suggestions.model.rows()), timeout=20000)
    assert wait_item(qtbot, screen, "cardFacts").property("text").split(" · ")[1].startswith("≈")
    assert c.suggestions.value("uncertain")
    screen.car.set(30.0, speed_kmh=90.0, route_km=300.0)  # back: the alert goes, the numbers are certain again
    qtbot.waitUntil(lambda: c.suggestions.value("alert") == "" and not c.suggestions.value("uncertain"), timeout=20000)


def test_filters_that_hide_everything_say_so_and_offer_to_clear(screen, qtbot):
    """Filters the chargers ahead do not meet: the list says how many they hide and offers
    "Clear filters", which brings the list back. "Available now" does not trust a 30-day-old
    status either: it hides every charger of the bundled data, and says so."""
    c = screen.controller
    screen.car.set(80.0, route_km=100.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=20000)
    c.filters.set_choice(FilterChoice(networks=("XPENG",), min_power_kw=2000, green_only=True))  # beyond any charger
    qtbot.waitUntil(lambda: c.suggestions.value("state") == "filtered", timeout=20000)
    hidden = c.suggestions.value("hiddenByFilters")
    assert hidden > 0 and c.suggestions.model.count == 0
    assert item(screen, "listHeader").property("text") == f"The filters hide {hidden} chargers ahead"
    assert c.suggestions.value("alert") != "no_charger"  # chargers exist: not "no charger in range"
    tap(screen, "clearFilters")
    qtbot.waitUntil(lambda: c.filters.choice.active_count == 0, timeout=5000)
    qtbot.waitUntil(lambda: c.suggestions.value("state") == "ready" and c.suggestions.model.count > 0, timeout=20000)
    assert c.filters.choice.active_count == 0
    c.filters.toggleAvailable()
    qtbot.waitUntil(lambda: c.suggestions.value("state") == "filtered", timeout=20000)
    assert c.suggestions.value("hiddenByFilters") > 0
    assert c.suggestions.suggestions and all(not is_fresh(s.status_age_min) for s in c.suggestions.suggestions)


def test_a_planned_charger_out_of_order_raises_an_alert_with_the_replacement(qtbot, cache_copy, trip, tmp_path):
    sync = PushSync()
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", sync=sync)
    try:
        c = screen.controller
        screen.car.set(80.0, route_km=0.0)
        qtbot.waitUntil(lambda: c.suggestions.value("nextKind") == "stop", timeout=20000)
        first = c.suggestions.value("nextId")
        writer = ChargerStore.open(cache_copy, seed=False)
        loc = writer.location(first)
        t = threading.Thread(
            target=lambda: (
                writer.set_evse_statuses([(e.uid, "OUTOFORDER", "2031-01-01T00:00:00Z") for e in loc.evses]),
                sync.on_changed([first]),
            )
        )
        t.start()
        t.join()
        qtbot.waitUntil(lambda: c.suggestions.value("alert") == "charger_offline", timeout=20000)
        new_id = c.suggestions.value("nextId")
        assert new_id and new_id != first
        assert c.suggestions.value("bestId") == new_id  # the banner's stop is the replacement
        assert item(screen, "alertTitle").property("text") == f"{c.suggestions.value('offlineName')} is out of order"
        assert item(screen, "alertBest").property("text").startswith("New stop: ")
        assert item(screen, "alertBanner").property("visible")
        # the banner sits above the page, not over it: the next stop card is below it
        banner, card = item(screen, "alertBanner"), item(screen, "nextStop")
        assert banner.mapToScene(banner.boundingRect().bottomLeft()).y() <= card.mapToScene(card.position()).y() + 1
        tap(screen, "alertBanner")
        qtbot.waitUntil(lambda: c.station.value("stationId") == new_id and c.station.value("name") != "", timeout=20000)
        tap(screen, "closeDetail")
        tap(screen, "alertDismiss")
        qtbot.waitUntil(lambda: not item(screen, "alertBanner").property("visible"))
        writer.close()
    finally:
        screen.close()


def test_the_station_detail_shows_only_a_glance_while_moving(screen, qtbot):
    c = screen.controller
    screen.car.set(80.0, speed_kmh=100.0, route_km=50.0)
    qtbot.waitUntil(lambda: c.vehicle.value("moving") and c.suggestions.model.count > 0, timeout=20000)
    row = c.suggestions.model.rows()[0]
    c.suggestions.select(row["stationId"])
    qtbot.waitUntil(lambda: c.station.evses_model.count > 0, timeout=20000)
    assert item(screen, "detailName").property("visible") and item(screen, "detailFacts").property("visible")
    assert item(screen, "navigateButton").property("visible")
    facts = item(screen, "detailFacts").property("text")
    assert facts.startswith(f"{round(row['aheadKm'])} km · up to ") and "last known" in facts  # weeks-old status
    for hidden in ("detailTables", "detailAddress", "evseList", "tariffList"):
        assert not item(screen, hidden).isVisible(), hidden
    assert item(screen, "detailLocked").property("visible")
    screen.car.set(80.0, speed_kmh=0.0, route_km=50.0)  # parked: the price table and charge points
    qtbot.waitUntil(lambda: item(screen, "detailTables").isVisible(), timeout=20000)
    assert item(screen, "detailAddress").isVisible() and not item(screen, "detailLocked").property("visible")
    assert c.station.tariff_model.count > 0


def test_charging_at_a_planned_stop_says_what_to_charge_to_and_when_to_leave(screen, qtbot):
    c = screen.controller
    screen.car.set(80.0, route_km=0.0)
    qtbot.waitUntil(lambda: c.trip_store.stops_model.count > 0, timeout=20000)
    plan = c.trip_store.current()
    stop = plan.stops[0]
    screen.car.set(stop.arrival_soc + 5, speed_kmh=0.0, route_km=stop.along_km, charge_kw=180.0)
    # The test car jumps its SoC: the CAN layer accepts the jump once enough time has passed to make it
    # plausible (ivi.can.vss.ChangeLimit), so wait for the new value, not just for "charging".
    soc = round(stop.arrival_soc + 5, 1)
    qtbot.waitUntil(
        lambda: (
            c.vehicle.value("charging")
            and abs(c.vehicle.value("socPercent") - soc) < 0.2
            and c.trip_store.value("chargeTarget") > 0
        ),
        timeout=30000,
    )
    assert c.vehicle.value("chargePowerKw") == 180
    assert item(screen, "chargePower").property("text") == "180 kW"
    assert item(screen, "gaugeCaption").property("text") == "Charging"
    assert c.trip_store.value("chargeTarget") == round(stop.departure_soc)
    target = item(screen, "chargeTarget").property("text")
    nxt = plan.stops[1].name if len(plan.stops) > 1 else None
    assert target.startswith(f"Charge to {round(stop.departure_soc)}% for ") and (nxt is None or "km)" in target)
    assert 0 < c.trip_store.value("chargeMinutesLeft") <= stop.charge_min + 1
    assert re.fullmatch(r".* more · leave at \d\d:\d\d", item(screen, "leaveAt").property("text"))
    screen.car.set(stop.departure_soc, speed_kmh=0.0, route_km=stop.along_km)  # unplugged
    qtbot.waitUntil(lambda: not c.vehicle.value("charging") and c.trip_store.value("chargeTarget") == -1, timeout=20000)
    assert not item(screen, "chargingPanel").property("visible")


def test_trip_view_has_clock_times_distances_from_the_car_and_the_chart(screen, qtbot):
    c = screen.controller
    screen.car.set(80.0, route_km=100.0)
    qtbot.waitUntil(lambda: c.trip_store.stops_model.count > 0 and bool(c.trip_store.value("chart")), timeout=20000)
    tap(screen, "tab_trip")
    plan = c.trip_store.current()
    rows = c.trip_store.stops_model.rows()
    for r, s in zip(rows, plan.stops, strict=False):
        assert r["aheadKm"] == round(s.along_km - 100.0) and re.fullmatch(r"\d\d:\d\d", r["arriveAt"])
    chart = c.trip_store.value("chart")
    assert chart[:2] == [0.0, round(plan.start_soc, 1)]
    assert c.trip_store.value("chartStops") == [round(s.along_km - plan.position_km, 1) for s in plan.stops]
    pairs = list(zip(chart[::2], chart[1::2], strict=True))
    assert [km for km, _ in pairs] == sorted(km for km, _ in pairs)  # left to right
    ups = [(a, b) for a, b in itertools.pairwise(pairs) if b[1] > a[1]]
    assert len(ups) == len(plan.stops) and all(a[0] == b[0] for a, b in ups)  # straight up at each stop
    assert item(screen, "socChart").isVisible()
    assert re.search(r"arrive \d\d:\d\d", item(screen, "tripTotalsText").property("text"))
    option = wait_item(qtbot, screen, f"alt_{c.trip_store.value('selected')}")
    assert option.property("edgeColor") == screen.theme.colors.accent  # the selected plan, in the accent colour


def test_counts_use_plural_forms(qtbot, cache_path, trip, tmp_path):
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", wait_ready=False)
    try:
        assert QCoreApplication.translate("Labels", "%n stop(s)", "", 1) == "1 stop"
        assert QCoreApplication.translate("Labels", "%n stop(s)", "", 3) == "3 stops"
    finally:
        screen.close()
        if screen.translator is not None:
            QCoreApplication.removeTranslator(screen.translator)
    zh = build_screen(qtbot, cache_path, trip, tmp_path / "config-zh", language="zh_CN", wait_ready=False)
    try:
        assert QCoreApplication.translate("Labels", "%n stop(s)", "", 3) == "3 站"
    finally:
        zh.close()
        QCoreApplication.removeTranslator(zh.translator)


def test_day_and_night_follow_the_light_signal_until_the_driver_overrides(qtbot, cache_path, trip, tmp_path):
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", vehicle=None, theme_mode="auto")
    try:
        theme, v = screen.theme, screen.controller.vehicle

        def sample(dark: bool | None, source: str) -> None:
            v.apply(VehicleSample(0.0, 50.0, 0.0, dark_outside=dark, light_source=source))

        sample(False, "ambient")
        assert theme.night is False and theme.lightSource == "ambient"
        assert item(screen, "themeToggle").property("text") == "Day (auto)"
        sample(True, "headlamps")
        assert theme.night is True
        sample(None, "")  # unknown: the palette stays
        assert theme.night is True
        tap(screen, "themeToggle")  # the driver wants day
        sample(True, "headlamps")
        assert theme.night is False and item(screen, "themeToggle").property("text") == "Day"
    finally:
        screen.close()


def test_a_failing_planner_is_said_plainly_and_the_rest_still_works(qtbot, cache_path, trip, tmp_path, monkeypatch):
    from ivi.planner.errors import PlanInputError
    from ivi.services.planning import PlannerService

    def broken(self, query, destination_km):  # type: ignore[no-untyped-def]
        raise PlanInputError("no route graph for this trip")

    monkeypatch.setattr(PlannerService, "plan", broken)
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config")
    try:
        c = screen.controller
        screen.car.set(70.0, route_km=50.0)
        qtbot.waitUntil(lambda: c.suggestions.value("nextKind") == "error", timeout=20000)
        assert item(screen, "nextName").property("text") == "Trip plan unavailable"
        qtbot.waitUntil(lambda: c.suggestions.model.count > 0, timeout=20000)  # suggestions still come
        tap(screen, "tab_trip")
        text = wait_item(qtbot, screen, "tripTotalsText").property("text")
        assert text == "Trip plan unavailable: no route graph for this trip"
    finally:
        screen.close()


def test_ivi_alone_takes_the_options_of_ivi_run():
    """``ivi --screenshot F`` is ``ivi run --screenshot F``: the options reach ``run`` (a bad
    ``--size`` is refused by ``run``'s own check, with its usage line)."""
    from click.testing import CliRunner

    from ivi.cli import main

    result = CliRunner().invoke(main, ["--screenshot", "shot.png", "--size", "10x10"])
    assert result.exit_code == 2 and " run [OPTIONS]" in result.output and "--size" in result.output
