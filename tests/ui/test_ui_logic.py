"""The pure parts behind the screen: CAN snapshot → sample (projection onto the route), the
simulator's drive read back through the decoder, alerts, re-plan reasons, remembered filters,
and the headless ``ivi run``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chargers.models import status_age_min
from geo.geometry import cumulative_km, point_along
from geo.geometry import locate_on_route as project_on_route
from ivi.can import CanDatabase, Decoder, Simulator, VehicleState, load_mapping
from ivi.services.can_vehicle import route_from_km, sample_from_snapshot
from ivi.services.planning import minute_of_day
from ivi.services.ports import Stop, Suggestion, TripPlan
from ivi.ui.stores.filters import FilterChoice, load_choice, save_choice
from ivi.ui.stores.suggestions import AlertInput, evaluate_alert
from ivi.ui.stores.trip import explain_change

ROUTE = [(39.9, 116.4), (39.1, 117.2), (37.4, 116.3), (36.6, 117.0), (34.3, 117.2), (32.0, 118.8), (31.2, 121.5)]
CUM = cumulative_km(ROUTE)


def _suggestion(i: int, reachable: bool = True) -> Suggestion:
    return Suggestion(
        location_id=f"S{i}", network="NIO", name=f"站{i}", lat=30.0, lon=110.0, along_km=10.0, detour_km=0.0,
        arrival_soc=20.0, target_soc=80.0, charge_min=20.0, time_cost_min=30.0, cost_cny=50.0, power_kw=250.0,
        available_count=2, evse_count=4, status_age_min=5.0, status_fresh=True, is_green=False,
        price_cny_per_kwh=1.5, reachable=reachable,
    )  # fmt: skip


def _stop(i: int, along_km: float) -> Stop:
    return Stop(
        location_id=f"S{i}", network="NIO", name=f"站{i}", lat=30.0, lon=110.0, along_km=along_km, detour_km=0.0,
        power_kw=250.0, arrival_soc=20.0, departure_soc=80.0, charge_min=20.0, wait_min=0.0, cost_cny=50.0,
        arrive_min_of_day=600.0, charged_min_of_day=620.0, available_count=2, evse_count=4,
    )  # fmt: skip


def _plan(*stops: Stop) -> TripPlan:
    return TripPlan(
        objective="fastest", feasible=True, stops=stops, drive_km=1000, drive_min=600, charge_min=40,
        stop_overhead_min=10, total_min=650, arrival_soc=15, cost_cny=100, reach_km=1000, route_km=1000,
        position_km=0, start_soc=80, route_percent_per_km=0.15, depart_min_of_day=480,
    )  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 1.0), st.booleans())
def test_a_fix_on_the_route_projects_back_to_its_km(frac, with_hint):
    km = frac * CUM[-1]
    p = point_along(ROUTE, CUM, km)
    hint = project_on_route(ROUTE, CUM, point_along(ROUTE, CUM, max(0.0, km - 5))) if with_hint else None
    where = project_on_route(ROUTE, CUM, p, hint)
    assert abs(where.km - km) < 0.5 and where.off_km < 0.5
    far = project_on_route(ROUTE, CUM, ROUTE[-1], project_on_route(ROUTE, CUM, ROUTE[0]))  # a jump: full search
    assert abs(far.km - CUM[-1]) < 0.5


def test_the_simulated_drive_read_back_through_the_decoder_gives_soc_and_route_km():
    start = route_from_km(ROUTE, 120.0)
    assert abs(cumulative_km(start)[-1] - (CUM[-1] - 120.0)) < 0.5
    sim = Simulator(start, start_soc_percent=66.0)
    db = CanDatabase.load()
    decoder = Decoder(db, load_mapping(db))
    state = VehicleState.for_decoder(decoder)
    last = None
    for frame in islice(sim.frames(), 6000):  # ~40 s of simulated traffic
        updates, rejections = decoder.decode(frame)
        assert not rejections
        state.apply(updates)
        last = frame.timestamp_s
    sample, where = sample_from_snapshot(state.snapshot(last), ROUTE, CUM, 1.0)
    assert sample.soc_percent is not None and 60 < sample.soc_percent <= 66.0
    assert sample.speed_kmh is not None and sample.speed_kmh > 0
    assert where is not None and abs(sample.route_km - (120.0 + sim.car.km)) < 1.0
    assert sample.outside_temp_c == 20.0
    stale, _ = sample_from_snapshot(state.snapshot(last + 60.0), ROUTE, CUM, 2.0)  # a minute of silence
    assert stale.soc_percent is None and stale.speed_kmh is None and stale.position is None


def test_alert_rules():
    ok = _suggestion(1)
    assert evaluate_alert(AlertInput(15.0, 15.0, 40, 500, False, ok)) == "low_soc"
    assert evaluate_alert(AlertInput(60.0, 60.0, 300, 500, True, ok)) == "unreachable"
    assert evaluate_alert(AlertInput(60.0, 60.0, 300, 500, False, ok)) == ""
    assert evaluate_alert(AlertInput(5.0, 5.0, 10, 500, False, None)) == "no_charger"
    assert evaluate_alert(AlertInput(None, None, 0, 500, True, None)) == ""
    # the level goes unknown after it was low: the alert stays, as "unknown"
    assert evaluate_alert(AlertInput(None, 12.0, 0, 500, True, ok)) == "soc_unknown"
    assert evaluate_alert(AlertInput(None, 70.0, 0, 500, True, ok)) == ""
    # a planned charger out of order outranks a low battery (its banner carries the new stop) …
    assert evaluate_alert(AlertInput(15.0, 15.0, 40, 500, False, ok, "站9", _stop(2, 50.0))) == "charger_offline"
    # … but not "no charger in range"
    assert evaluate_alert(AlertInput(2.0, 2.0, 0, 500, False, None, "站9", None)) == "no_charger"


def test_replan_reason_names_the_unavailable_stop():
    def plan(*ids: int) -> TripPlan:
        return _plan(*(_stop(n, 100.0 * k) for k, n in enumerate(ids)))

    a, b, c = 1, 2, 3
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
    now = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
    assert status_age_min("2026-11-25T10:00:00Z", now) == 30.0
    assert status_age_min("2026-11-25T11:00:00Z", now) == 0.0  # from the future: never negative
    assert status_age_min("garbage", now) is None
    assert minute_of_day("07:30") == 450.0
    bad = tmp_path / "car.toml"
    bad.write_text("battery_kwh = 'x'")
    from ivi.app import AppConfig, vehicle_for

    try:
        vehicle_for(AppConfig(vehicle=str(bad)))
    except ValueError as exc:
        assert "car.toml" in str(exc)
    else:
        raise AssertionError("a bad vehicle file must be rejected")


def test_ivi_run_headless_prints_the_screen_and_saves_a_screenshot(cache_path: Path, tmp_path: Path):
    shot = tmp_path / "screen.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).parents[2]),
        "IVI_CONFIG_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ivi",
            "run",
            "--db",
            str(cache_path),
            "--screenshot",
            str(shot),
            "--after",
            "4",
            "--start-km",
            "250",
            "--soc",
            "60",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    assert "SoC 60 %" in out.stdout and "next chargers (ready)" in out.stdout and "kW" in out.stdout
    assert "next stop:" in out.stdout and "map: ready" in out.stdout
    assert "CAN live" in out.stdout  # the CAN simulator on its own virtual bus, read by the CanReader
    driven = float(out.stdout.split(": ")[1].split(" km driven")[0].split()[-1])
    assert 249.0 <= driven < 260.0  # the GNSS fix projected onto the route, from --start-km 250
    assert shot.stat().st_size > 20_000
    bad = subprocess.run(
        [sys.executable, "-m", "ivi", "run", "--from", "Atlantis", "--db", str(cache_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert bad.returncode != 0 and "Error" in bad.stderr and "Traceback" not in bad.stderr


def _snap(**values: object):  # type: ignore[no-untyped-def]
    from ivi.can import SignalValue, VehicleSnapshot

    signals = {p: SignalValue(p, v, "", 0.0, False) for p, v in values.items()}
    return VehicleSnapshot(0.0, signals, {}, 1, None, 0.0)


def test_day_or_night_from_the_first_light_signal_the_car_has():
    from ivi.services.can_vehicle import LIGHT_INTENSITY, LOW_BEAM, darkness, sun_elevation_deg

    noon = datetime(2026, 6, 21, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
    night = datetime(2026, 12, 21, 14, 0, tzinfo=UTC)  # 22:00 in Beijing
    beijing = (39.9, 116.4)
    assert 70 < sun_elevation_deg(*beijing, noon) < 75  # ~73.5° at the June solstice
    assert 25 < sun_elevation_deg(*beijing, datetime(2026, 12, 21, 4, 15, tzinfo=UTC)) < 28  # ~26.7° in December
    assert sun_elevation_deg(*beijing, night) < -40
    assert darkness(_snap(), beijing, noon) == (False, "sun")
    assert darkness(_snap(), beijing, night) == (True, "sun")
    assert darkness(_snap(), None, night) == (None, "")  # nothing known: the palette stays
    assert darkness(_snap(**{LIGHT_INTENSITY: 5.0}), beijing, noon) == (True, "ambient")  # a tunnel at noon
    assert darkness(_snap(**{LOW_BEAM: True, LIGHT_INTENSITY: 90.0}), beijing, noon) == (True, "headlamps")


def test_charging_power_and_minutes_come_from_the_bms():
    from ivi.can import PACK_CURRENT, PACK_VOLTAGE
    from ivi.services.can_vehicle import IS_CHARGING, TIME_TO_COMPLETE, charge_power_kw

    snap = _snap(**{PACK_VOLTAGE: 750.0, PACK_CURRENT: 240.0, IS_CHARGING: True, TIME_TO_COMPLETE: 1500.0})
    assert charge_power_kw(snap, True) == 180.0
    assert charge_power_kw(snap, False) is None
    sample, _ = sample_from_snapshot(snap, ROUTE, CUM, 1.0)
    assert sample.charging and sample.charge_power_kw == 180.0 and sample.charge_minutes_left == 25.0


def test_short_names_and_speed_classes():
    from ivi.ui.stores.suggestions import short_name, speed_class

    assert short_name("蔚来超充站（济南服务区）", "NIO Power Charger · Jinan Service Area", True) == "Jinan Services"
    assert short_name("小鹏超快充站（临沂服务区（对向））", "", False) == "临沂服务区（对向）"
    assert short_name("理想超充站", "", False) == "理想超充站"
    assert [speed_class(kw) for kw in (640, 250, 120, 60, 7)] == ["ultra", "ultra", "fast", "dc", "ac"]


def test_order_hides_ac_unless_nothing_else_is_reached_and_trusts_only_fresh_availability():
    from dataclasses import replace

    from ivi.ui.stores.suggestions import best_stop, order_suggestions

    fast, ac = _suggestion(1), replace(_suggestion(2), power_kw=7.0, along_km=1.0)
    assert [s.location_id for s in order_suggestions([ac, fast], low_battery=False)] == ["S1"]
    assert [s.location_id for s in order_suggestions([ac, fast], low_battery=False, include_ac=True)] == ["S2", "S1"]
    far_fast = replace(fast, arrival_soc=-3.0, reachable=False)  # only the AC one is reached
    assert [s.location_id for s in order_suggestions([ac, far_fast], low_battery=True)] == ["S2", "S1"]
    stale = replace(fast, status_age_min=600.0)
    assert order_suggestions([stale], low_battery=False, available_only=True) == []
    fresh_free = replace(_suggestion(3), along_km=30.0, status_age_min=2.0)
    assert best_stop([stale, fresh_free]).location_id == "S3"  # a fresh free charger beats a closer stale one


def test_next_stop_soc_profile_and_charging_advice():
    from ivi.ui.stores.suggestions import next_stop
    from ivi.ui.stores.trip import charging_advice, soc_profile

    plan = _plan(_stop(1, 200.0), _stop(2, 500.0))
    assert next_stop(plan, 100.0, 1000.0).stop.location_id == "S1"
    assert next_stop(plan, 600.0, 1000.0).kind == "none_needed"
    assert next_stop(None, 0.0, 1000.0).kind == "planning"
    points, stops = soc_profile(plan)
    assert stops == [200.0, 500.0] and points[:2] == [0.0, 80.0] and points[-2:] == [1000.0, 15.0]
    advice = charging_advice(plan, 200.5, 50.0, "Shanghai")
    assert advice is not None and advice.target_soc == 80.0 and advice.next_leg == "站2"
    assert abs(advice.minutes_left - 20.0 * 30.0 / 60.0) < 1e-9 and advice.next_leg_km == 300.0
    assert charging_advice(plan, 350.0, 50.0, "Shanghai") is None
    last = charging_advice(plan, 500.0, 20.0, "Shanghai")
    assert last is not None and last.next_leg == "Shanghai" and last.next_leg_km == 500.0


def test_emitting_signals_keeps_true_alive():
    """PySide6 6.12 on Python 3.11 loses a reference to ``True`` on every ``emit()``; the screen
    emits through ``ivi.ui.signals.emit``, which gives it back (else a long drive aborts with
    "Fatal Python error: bool_dealloc")."""
    import sys

    from ivi.ui.runtime import app_instance
    from ivi.ui.signals import EMIT_LOSES_A_REFERENCE, _Probe, emit

    app_instance()
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(probe.fired)
    assert abs(sys.getrefcount(True) - before) <= 2
    raw = sys.getrefcount(True)
    for _ in range(50):
        probe.fired.emit()
    lost = raw - sys.getrefcount(True)
    for _ in range(max(0, lost)):  # give back what this check took
        import ctypes

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    assert (lost >= 50) == EMIT_LOSES_A_REFERENCE
