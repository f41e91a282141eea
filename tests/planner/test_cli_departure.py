"""``ivi plan --depart-window``: every departure of the window is planned on the real cache and
the advice printed (text in both languages, JSON with every option); a bad window is a usage
error (exit 2) that says what is wrong. With an occupancy model in the cache (as the sync writes
it) the plans use it and the advice avoids the busy hours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.routes import route_between
from ivi.cli import main
from tests.planner.occupancy_history import store_crafted_model

TRIP = ("plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "60", "--depart", "2026-12-01T06:00+08:00")


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.output


def test_the_window_is_searched_and_the_advice_printed(planner_db: Path) -> None:
    code, out = run(*TRIP, "--depart-window", "07:00-10:00", "--depart-step", "30", "--db", str(planner_db), "--json")
    assert code == 0, out
    j = json.loads(out)
    d = j["departure"]
    assert [o["depart_at"][11:16] for o in d["options"]] == [
        "07:00",
        "07:30",
        "08:00",
        "08:30",
        "09:00",
        "09:30",
        "10:00",
    ]
    best = min((o for o in d["options"] if o["feasible"]), key=lambda o: (o["score"], o["depart_at"]))
    assert d["depart_at"] == best["depart_at"] and j["depart_at_iso"] == best["depart_at"]
    assert d["advice"].startswith(f"leave at {best['depart_at'][11:16]}: ")
    assert d["advice_zh"].startswith(f"建议{best['depart_at'][11:16]}出发：")
    assert j["total_min"] == best["total_min"] and j["depart_at"] == best["depart_at"][11:16]
    assert j["occupancy_model"] is False  # the bundled cache has none: tariffs alone decide
    code, text = run(*TRIP, "--depart-window", "07:00-10:00", "--depart-step", "30", "--db", str(planner_db))
    assert code == 0 and text.splitlines()[0] == d["advice"] and text.splitlines()[1] == d["advice_zh"]
    assert sum(line.startswith(" * ") for line in text.splitlines()) == 1


@pytest.mark.parametrize(
    ("window", "step", "words"),
    [
        ("10:00-07:00", "15", "the window must end after it starts"),
        ("7-10", "15", "expected HH:MM-HH:MM"),
        ("25:00-26:00", "15", "expected HH:MM-HH:MM"),
        ("00:00-23:59", "5", "use a step of at least 15 min"),
    ],
)
def test_a_bad_window_is_a_usage_error_with_a_reason(planner_db: Path, window: str, step: str, words: str) -> None:
    code, out = run(*TRIP, "--depart-window", window, "--depart-step", step, "--db", str(planner_db))
    assert code == 2 and words in out, out


def test_with_a_model_in_the_cache_plans_use_it_and_the_window_avoids_the_busy_hours(seeded_copy: Path) -> None:
    # Every station between Beijing and Shanghai is full 08:00-11:00 each day (China time).
    store_crafted_model(seeded_copy, route_between("Beijing", "Shanghai").points, (8, 9, 10), broken=2)
    code, out = run(*TRIP, "--depart-window", "08:00-10:00", "--depart-step", "60", "--db", str(seeded_copy), "--json")
    assert code == 0, out
    j = json.loads(out)
    assert j["occupancy_model"] is True
    d = j["departure"]
    first, best = d["options"][0], min(d["options"], key=lambda o: (o["score"], o["depart_at"]))
    assert first["depart_at"][11:16] == "08:00" and first["wait_min"] > 30  # its first stop falls in the rush
    assert d["depart_at"] == best["depart_at"] != first["depart_at"] and best["wait_min"] < first["wait_min"]
    assert d["saves_min"] > 0 and d["advice"].startswith(f"leave at {best['depart_at'][11:16]}: ")
    # Each stop's wait is predicted for the hour the plan really gets there (within 20 minutes).
    for s in j["stops"]:
        planned = int(s["arrive_at"][:2]) * 60 + int(s["arrive_at"][3:5])
        predicted = int(s["occupancy"]["arrival"][11:13]) * 60 + int(s["occupancy"]["arrival"][14:16])
        assert abs(planned - predicted) <= 20, s
    stop = j["stops"][0]["occupancy"]
    assert stop["usually"] in ("free", "busy", "full") and stop["often_down"] in (0, 2)
    assert all({"en", "zh"} <= set(r) for r in stop["reasons"])
    # The text output says, under each stop, what the plan expects there.
    code, text = run(*TRIP, "--db", str(seeded_copy))
    assert code == 0 and "\n      at " in text and ("usually" in text or "often" in text)
    assert "no occupancy model synced yet" not in text


def test_suggestions_carry_the_outlook_at_the_given_time(seeded_copy: Path) -> None:
    route = route_between("Beijing", "Shanghai")
    store_crafted_model(seeded_copy, route.points, (8, 9, 10))
    at = f"{route.points[0][0]},{route.points[0][1]}"
    args = ("suggest", "--at", at, "--soc", "40", "--to", "Shanghai", "--db", str(seeded_copy), "--json")
    code, out = run(*args, "--time", "2026-12-01T08:30+08:00")
    assert code == 0, out
    rush = json.loads(out)["suggestions"]
    assert rush and all(s["occupancy"]["arrival"].startswith("2026-12-01T") for s in rush)
    assert any(s["occupancy"]["usually"] == "full" for s in rush)
    code, out = run(*args, "--time", "2026-12-01T14:30+08:00")
    calm = json.loads(out)["suggestions"]
    assert code == 0 and all(s["occupancy"]["usually"] == "free" for s in calm)
    code, text = run(*args[:-1], "--time", "2026-12-01T08:30+08:00")
    assert code == 0 and "usually full at 0" in text
