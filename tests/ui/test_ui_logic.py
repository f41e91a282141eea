"""The pure parts behind the screen: the simulated drive, ranking, alerts, re-plan reasons,
remembered filters, and the headless ``ivi run``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings, strategies as st

from sync.store import AlongRoute
from ivi.ui.services.greedy_planner import charge_minutes
from ivi.ui.services.ports import PlannedStop, Suggestion, TripPlan
from ivi.ui.services.profiles import PROFILES, load_profile
from ivi.ui.services.route_suggestions import rank_ahead
from ivi.ui.services.sim_vehicle import CHARGE_BELOW_PERCENT, DriveState, step
from ivi.ui.stores.filters import FilterChoice, load_choice, save_choice
from ivi.ui.stores.suggestions import evaluate_alert, status_age_min
from ivi.ui.stores.trip import explain_change
from ivi.ui.stores.map import Projection

P = PROFILES["su7-pro"]


def _station(i: int, available: int = 2, kw: float = 250.0):  # type: ignore[no-untyped-def]
    from sync.store import Station

    return Station(i, f"S{i}", "NIO", f"站{i}", f"Station {i}", "", "", "", 30.0, 120.0, 4, available, kw, ("GBT_DC",),
                   False, "2026-11-25T10:00:00Z", None, True)


@settings(max_examples=60, deadline=None)
@given(st.floats(20, 100), st.lists(st.floats(0.05, 5.0), min_size=1, max_size=40))
def test_simulated_drive_moves_forward_and_spends_charge(soc, steps):
    s = DriveState(0.0, 0.0, soc, 100.0)
    for dt in steps:
        n = step(s, dt, 1200.0, P)
        assert n.km >= s.km and n.t_s > s.t_s
        if not s.charging:
            assert n.soc_percent <= s.soc_percent + 1e-9
        s = n


def test_simulated_drive_stops_to_charge_when_low():
    s = DriveState(0.0, 10.0, CHARGE_BELOW_PERCENT + 0.01, 100.0)
    for _ in range(2000):
        s = step(s, 1.0, 1200.0, P)
    assert s.soc_percent > CHARGE_BELOW_PERCENT + 5  # it charged and went on


def test_rank_ahead_keeps_reachable_stations_ahead_in_order():
    hits = [AlongRoute(_station(i), km, 0.5) for i, km in enumerate([5, 50, 120, 300, 900])]
    rows = rank_ahead(hits, 40.0, 30.0, P, 10)
    assert [h.along_km for h, *_ in rows] == [50, 120]  # 5 is behind, 300/900 out of range at 30 %
    assert all(ok for *_, ok in rows)
    far = rank_ahead(hits, 400.0, 2.0, P, 10)
    assert far and not any(ok for *_, ok in far)


def test_alert_rules():
    ok = Suggestion(_station(1), 10, 10, 0, 20, True, 1.5)
    assert evaluate_alert(15.0, 40, 500, False, ok) == "low_soc"
    assert evaluate_alert(60.0, 300, 500, True, ok) == "unreachable"
    assert evaluate_alert(60.0, 300, 500, False, ok) == ""
    assert evaluate_alert(5.0, 10, 500, False, None) == "no_charger"
    assert evaluate_alert(None, 0, 500, True, None) == ""


def test_replan_reason_names_the_unavailable_stop():
    a, b, c = _station(1), _station(2), _station(3)
    def plan(*stations):  # type: ignore[no-untyped-def]
        return TripPlan("fastest", tuple(PlannedStop(s, 100.0 * i, 20, 80, 20, 50) for i, s in enumerate(stations)), 1000, 600, 40, 100, 15)
    assert explain_change(plan(a, b), plan(a, c), {"S2"}) == ("station_unavailable", "站2")
    assert explain_change(plan(a, b), plan(a, c), set()) == ("replaced", "站2")
    assert explain_change(plan(a, b), plan(a, b), set()) == ("", "")


def test_filters_survive_restart_and_a_damaged_file(tmp_path: Path):
    path = tmp_path / "filters.json"
    save_choice(path, FilterChoice(("NIO",), 250, True, True))
    assert load_choice(path) == (FilterChoice(("NIO",), 250, True, True), "")
    path.write_text("{not json")
    choice, problem = load_choice(path)
    assert choice == FilterChoice() and "unreadable" in problem


def test_small_helpers(tmp_path: Path):
    assert status_age_min("2026-11-25T10:00:00Z", 1_795_000_000.0 + 0) >= 0
    assert status_age_min("garbage", 0.0) == -1
    assert charge_minutes(10, 80, 400, P) > charge_minutes(10, 50, 400, P) > 0
    proj = Projection([(39.9, 116.4), (31.2, 121.5)])
    for p in [(39.9, 116.4), (31.2, 121.5)]:
        x, y = proj(p)
        assert 0 < x < 1 and 0 < y < 1
    bad = tmp_path / "car.toml"
    bad.write_text("battery_kwh = 'x'")
    try:
        load_profile(str(bad))
    except ValueError as exc:
        assert "car.toml" in str(exc)
    else:
        raise AssertionError("a bad vehicle file must be rejected")


def test_ivi_run_headless_prints_the_screen_and_saves_a_screenshot(cache_path: Path, tmp_path: Path):
    shot = tmp_path / "screen.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).parents[2]), "IVI_CONFIG_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "ivi", "run", "--db", str(cache_path), "--screenshot", str(shot), "--after", "1.5",
                          "--start-km", "250", "--soc", "60"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "SoC 60 %" in out.stdout and "next chargers (ready)" in out.stdout and "kW" in out.stdout
    assert shot.stat().st_size > 20_000
    bad = subprocess.run([sys.executable, "-m", "ivi", "run", "--from", "Atlantis", "--db", str(cache_path)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode != 0 and "Error" in bad.stderr and "Traceback" not in bad.stderr
