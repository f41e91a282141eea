"""Vehicle profiles from outside (``--vehicle FILE``, the driver's folder): a profile whose every number is
finite and physical, or one ProfileError naming the field (issue 19: float() on optional fields, deep arrays,
inf/nan in consumption and the charging curve, hot_above_c below cold_below_c, 400-digit integers)."""

from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivi.cli import main
from ivi.planner import ProfileError
from ivi.profiles import load_profile, parse_profile

TOML = (resources.files("ivi.profiles") / "su7-max.toml").read_text("utf-8")


def _with(old: str, new: str) -> str:
    assert old in TOML
    return TOML.replace(old, new, 1)


@pytest.mark.parametrize(
    "text, reason",
    [
        (_with("efficiency = 0.95", 'efficiency = "high"'), "charging: efficiency must be a number"),
        (_with("efficiency = 0.95", "efficiency = [0.95]"), "efficiency must be a number"),
        (_with("efficiency = 0.95", "efficiency = 0.2"), "efficiency = 0.2 is outside 0.5–1"),
        (TOML + "\nnested = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        (_with("[100, 25]]", "[100, inf]]"), "charging.curve point [100, inf]"),
        (_with("[100, 25]]", "[100, nan]]"), "charging.curve point [100, nan]"),
        (
            _with("[100, 25]]", "[" + "9" * 400 + ", 25]]"),
            "... needs 0 ≤ soc ≤ 100",
        ),
        (_with("rolling_kwh_per_100km = 7.8", "rolling_kwh_per_100km = inf"), "rolling_kwh_per_100km = inf"),
        (_with("hot_percent_per_c = 0.8", "hot_percent_per_c = nan"), "hot_percent_per_c = nan is outside"),
        (_with("usable_battery_kwh = 99.0", "usable_battery_kwh = " + "9" * 400), "a huge integer is outside"),
        (_with("hot_above_c = 28.0", "hot_above_c = 10.0"), "hot_above_c (10 °C) is below cold_below_c (20 °C)"),
        (_with('chemistry = "NMC"', "chemistry = {a = 1}"), "chemistry must be a string"),
    ],
)
def test_a_bad_profile_is_one_profile_error(text: str, reason: str) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "car.toml")
    assert reason in str(err.value) and str(err.value).startswith("car.toml")


def test_the_shipped_profiles_still_load() -> None:
    car = parse_profile(TOML)
    assert car.charge_efficiency == 0.95 and car.hot_above_c >= car.cold_below_c


def test_a_profile_file_that_cannot_be_read_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot be read"):
        (tmp_path / "folder.toml").mkdir()
        load_profile(tmp_path / "folder.toml")
    odd = tmp_path / "odd.toml"
    odd.write_bytes(TOML.encode() + b'\nnote = "\xff"\n')  # not UTF-8: U+FFFD, still a profile
    assert load_profile(odd).id == "su7-max"


@pytest.mark.parametrize(
    "text",
    [
        _with("[100, 25]]", "[100, inf]]"),
        TOML + "\nx = " + "[" * 3000 + "]" * 3000,
        _with("hot_above_c = 28.0", "hot_above_c = 1.0"),
    ],
    ids=["curve-inf", "deep-array", "hot-below-cold"],
)
def test_ivi_plan_with_a_bad_vehicle_file_prints_one_line(tmp_path: Path, text: str) -> None:
    car = tmp_path / "car.toml"
    car.write_text(text)
    res = CliRunner().invoke(
        main, ["plan", "--from", "Beijing", "--to", "Tianjin", "--soc", "50", "--vehicle", str(car)]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.startswith("Error: ") and res.output.count("\n") == 1, res.output
