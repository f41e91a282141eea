"""``ivi plan`` and ``ivi suggest`` on real trips: the answer does not depend on the head unit's
time zone, an infeasible plan exits 3 with where the car runs out, and bad input gets one
``Error:`` line (unknown station ids, a malformed polyline, a place no road reaches, a time
without an offset)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivi.cli import main

TINY_CAR = """
id = "tiny"
name = "Tiny city car"
usable_battery_kwh = 8.0
voltage_class_v = 400
max_dc_power_kw = 60
connector = "GBT_DC"
[consumption]
rolling_kwh_per_100km = 8.0
aero_kwh_per_100km_at_100kmh = 9.0
[charging]
curve = [[0, 40], [50, 60], [100, 20]]
"""


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.output


def run_in_zone(zone: str, *args: str) -> dict:  # type: ignore[type-arg]
    """``ivi`` in its own process with the head unit's clock set to ``zone``."""
    env = {**os.environ, "TZ": zone}
    out = subprocess.run(
        [sys.executable, "-c", "from ivi.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_same_instant_costs_the_same_under_utc_and_china_time(planner_db: Path) -> None:
    args = ("plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--db", str(planner_db), "--json")
    at = ("--depart", "2026-12-01T07:30+08:00")
    utc, cst = run_in_zone("UTC", *args, *at), run_in_zone("Asia/Shanghai", *args, *at)
    assert utc["cost_cny"] == cst["cost_cny"] and utc["cost_cny"] > 0
    assert [s["location_id"] for s in utc["stops"]] == [s["location_id"] for s in cst["stops"]]
    assert [s["price_cny_per_kwh"] for s in utc["stops"]] == [s["price_cny_per_kwh"] for s in cst["stops"]]
    assert utc["depart_at"] == cst["depart_at"] == "07:30"  # shown on China's clock either way
    # Written in UTC, the same instant plans the same.
    same = run_in_zone("UTC", *args, "--depart", "2026-11-30T23:30Z")
    assert same["cost_cny"] == utc["cost_cny"]


def test_an_infeasible_plan_exits_3_with_where_the_car_runs_out(planner_db: Path, tmp_path: Path) -> None:
    car = tmp_path / "tiny.toml"
    car.write_text(TINY_CAR)
    args = ["plan", "--from", "Chengdu", "--to", "Lhasa", "--soc", "90", "--vehicle", str(car), "--db", str(planner_db)]
    code, out = run(*args, "--json")
    assert code == 3, out
    doc = json.loads(out)
    assert doc["feasible"] is False and doc["runs_out_km"] > 0 and doc["nearest_charger"]["location_id"]
    assert "alternatives" not in doc
    code, text = run(*args)
    assert code == 3 and "NOT FEASIBLE" in text and "runs out at km" in text and "nearest charger there" in text


def test_low_charge_is_explained_not_refused(planner_db: Path) -> None:
    code, out = run("plan", "--from", "Shanghai", "--to", "Hangzhou", "--soc", "8", "--db", str(planner_db))
    assert code == 0, out
    assert "below the 10 % reserve" in out and "km to empty" in out
    code, out = run("suggest", "--at", "31.23,121.47", "--soc", "8", "--db", str(planner_db))
    assert code == 0 and out.startswith("low battery: about") and "nearest fast charger" in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--avoid-station", "NOPE1"], "NOPE1"),
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--via-station", "NOPE2"], "NOPE2"),
        (["plan", "--from", "Fuzhou", "--to", "24.5,119.9", "--soc", "50"], "lies in the Taiwan Strait"),
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--depart", "2026-12-01T07:30"], "offset"),
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--depart", "25:00"], "HH:MM"),
    ],
)
def test_bad_input_is_one_clear_line(planner_db: Path, args: list[str], words: str) -> None:
    code, out = run(*args, "--db", str(planner_db))
    assert code in (1, 2) and words in out and "Traceback" not in out, out


def test_a_malformed_polyline_says_what_is_wrong(planner_db: Path, tmp_path: Path) -> None:
    route = tmp_path / "route.txt"
    route.write_text("_p~iF~ps|U_ulLnnqC_mqNvxq")  # an encoded polyline cut short
    code, out = run("suggest", "--at", "31.23,121.47", "--soc", "50", "--route", str(route), "--db", str(planner_db))
    assert code == 1 and "ends in the middle of a coordinate" in out and "string index" not in out


def test_suggest_on_a_route_puts_the_plans_next_stop_first(planner_db: Path) -> None:
    code, out = run(
        "suggest", "--at", "39.9,116.4", "--soc", "30", "--to", "Shanghai", "--db", str(planner_db), "--json"
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["suggestions"][0]["planned"] is True
    assert doc["overview"]["no_stop_needed_before_km"] > 0
