"""Every file in the fuzz regression corpus that a CLI option reads (``--dbc``, ``--mapping``, ``--route``,
``--vehicle``) gives a result or one ``Error:`` line — never a traceback, whatever the file holds."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivi.cli import main

CORPUS = Path(__file__).parents[1] / "fuzz_corpus"


def _files(harness: str) -> list[Path]:
    return sorted((CORPUS / harness).glob("*"))


def _one_error_line(res) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in res.output, res.output
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), repr(res.exception)
    if res.exit_code != 0:
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), res.output


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("log") / "x.log"
    path.write_text("(1.000000) can0 100#0011223344556677\n")
    return path


@pytest.mark.parametrize("dbc", _files("dbc_files"), ids=lambda p: p.name)
def test_can_dump_with_a_hostile_dbc(log: Path, dbc: Path) -> None:
    res = CliRunner().invoke(main, ["can-dump", "--log", str(log), "--dbc", str(dbc)])
    assert res.exit_code == 1
    _one_error_line(res)


@pytest.mark.parametrize("mapping", _files("mapping_files"), ids=lambda p: p.name)
def test_can_dump_with_a_hostile_mapping(log: Path, mapping: Path) -> None:
    res = CliRunner().invoke(main, ["can-dump", "--log", str(log), "--mapping", str(mapping)])
    _one_error_line(res)


@pytest.mark.parametrize("route", _files("route_files"), ids=lambda p: p.name)
def test_route_commands_with_a_hostile_route_file(tmp_path: Path, route: Path) -> None:
    db = str(tmp_path / "never-opened.db")
    for args in (
        ["cache", "route", "--route", str(route), "--db", db],
        ["suggest", "--at", "39.9,116.4", "--soc", "50", "--route", str(route), "--db", db],
    ):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 1
        _one_error_line(res)


@pytest.mark.parametrize("profile", _files("profiles"), ids=lambda p: p.name)
def test_plan_with_a_hostile_vehicle_file(tmp_path: Path, profile: Path) -> None:
    car = tmp_path / "car.toml"  # --vehicle takes a path ending in .toml
    car.write_bytes(profile.read_bytes())
    args = ["plan", "--from", "Beijing", "--to", "Tianjin", "--soc", "50", "--vehicle", str(car)]
    res = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "never-opened.db")])
    _one_error_line(res)
    assert res.exit_code == 1 or profile.name == "not-utf8"
