"""Vehicle profiles and the ``ivi plan`` / ``ivi suggest`` commands end to end on a real cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chargers.store import ChargerStore
from ivi.cli import main
from ivi.planner import ProfileError
from ivi.planner.vehicle import charge_table_min, model_kwh_per_km
from ivi.profiles import load_profile, parse_profile, shipped_profile_ids
from tests.planner.conftest import SMALL_CAR_TOML

STOP_KEYS = {
    "location_id",
    "network",
    "name",
    "lat",
    "lon",
    "arrival_soc",
    "departure_soc",
    "charge_min",
    "detour_km",
    "power_kw",
    "cost_cny",
}
TOTAL_KEYS = {"drive_km", "drive_min", "charge_min", "total_min", "arrival_soc", "feasible", "stops"}


def test_shipped_su7_profiles_are_sane() -> None:
    assert {"su7-standard", "su7-pro", "su7-max"} <= set(shipped_profile_ids())
    std, pro, mx = (load_profile(i) for i in ("su7-standard", "su7-pro", "su7-max"))
    assert std.usable_battery_kwh < pro.usable_battery_kwh < mx.usable_battery_kwh
    assert mx.voltage_class_v > 800 and std.voltage_class_v == 400
    # Tapering: the last 20 % take longer than 20–40 %, and a faster charger never takes longer.
    t = charge_table_min(mx, 500)
    assert t[100] - t[80] > t[40] - t[20]
    assert charge_table_min(mx, 120)[80] > t[80]
    assert model_kwh_per_km(mx, 120, 20) > model_kwh_per_km(mx, 90, 20)
    assert model_kwh_per_km(mx, 100, -10) > model_kwh_per_km(mx, 100, 20)


@pytest.mark.parametrize(
    "bad, words",
    [
        ("id = [", "not valid TOML"),
        (SMALL_CAR_TOML.replace("usable_battery_kwh = 40.0", "usable_battery_kwh = -3"), "usable_battery_kwh"),
        (SMALL_CAR_TOML.replace("[[0, 80], [20, 150]", "[[20, 80], [0, 150]"), "increasing"),
        (SMALL_CAR_TOML.replace("[consumption]", "[consumptio]"), "[consumption]"),
    ],
)
def test_profiles_that_do_not_parse_say_why(bad: str, words: str) -> None:
    with pytest.raises(ProfileError, match=words.replace("[", r"\[").replace("]", r"\]")):
        parse_profile(bad, "car.toml")


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError, match="su7-max"):
        load_profile("model-t")


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.output


def test_plan_json(planner_db: Path) -> None:
    code, out = run(
        "plan",
        "--from",
        "Beijing",
        "--to",
        "Shanghai",
        "--soc",
        "60",
        "--vehicle",
        "su7-pro",
        "--arrive-soc",
        "25",
        "--networks",
        "NIO,XPENG",
        "--depart",
        "08:00",
        "--alternatives",
        "--db",
        str(planner_db),
        "--json",
    )
    assert code == 0, out
    doc = json.loads(out)
    assert set(doc) >= TOTAL_KEYS and doc["feasible"] is True
    assert doc["stops"] and all(set(s) >= STOP_KEYS for s in doc["stops"])
    assert {s["network"] for s in doc["stops"]} <= {"NIO", "XPENG"}
    assert doc["arrival_soc"] >= 25
    assert set(doc["alternatives"]) == {"fewest_stops", "cheapest"}
    # Pin one station of the plan's alternative and avoid the first stop: the plan follows.
    first = doc["stops"][0]["location_id"]
    code, out = run(
        "plan",
        "--from",
        "Beijing",
        "--to",
        "Shanghai",
        "--soc",
        "60",
        "--avoid-station",
        first,
        "--depart",
        "08:00",
        "--db",
        str(planner_db),
        "--json",
    )
    assert code == 0 and first not in [s["location_id"] for s in json.loads(out)["stops"]]


def test_suggest_json_and_stale_soc(planner_db: Path) -> None:
    code, out = run(
        "suggest",
        "--at",
        "39.9,116.4",
        "--soc",
        "35",
        "--to",
        "Shanghai",
        "--soc-age",
        "900",
        "--min-power",
        "250",
        "--db",
        str(planner_db),
        "--json",
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["soc_stale"] is True and doc["warnings"]
    assert doc["suggestions"] and all(s["power_kw"] >= 250 for s in doc["suggestions"])


@pytest.mark.parametrize(
    "args, words",
    [
        (["plan", "--from", "Atlantis", "--to", "Shanghai", "--soc", "50"], "Atlantis"),
        (["plan", "--from", "Beijing", "--to", "48.8,2.3", "--soc", "50"], "outside the map"),
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "120"], "120"),
        (["plan", "--from", "Beijing", "--to", "Shanghai", "--soc", "50", "--vehicle", "nope.toml"], "does not exist"),
        (["suggest", "--at", "95,116", "--soc", "50"], "outside the map"),
    ],
)
def test_bad_input_gets_a_clear_message(planner_db: Path, args: list[str], words: str) -> None:
    code, out = run(*args, "--db", str(planner_db))
    assert code != 0 and words in out and "Traceback" not in out


def test_empty_cache_is_explained(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    ChargerStore.open(db, seed=False).close()
    code, out = run("suggest", "--at", "39.9,116.4", "--soc", "50", "--db", str(db))
    assert code == 1 and "empty" in out
