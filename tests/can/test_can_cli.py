"""``ivi can-sim`` and ``ivi can-dump`` end to end, including a second process over python-can-remote."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivi.can import BusSource, CanReader
from ivi.cli import main
from tests.can.conftest import start_remote_server
from tests.waiting import wait_for

DATA = Path(__file__).parent / "data"
ROUTE = "[[39.900, 116.400], [39.910, 116.410]]"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def asc_log(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    (d / "route.json").write_text(ROUTE)
    log = d / "drive.asc"
    res = run(
        "can-sim",
        "--route",
        str(d / "route.json"),
        "--interface",
        "none",
        "--log",
        str(log),
        "--corrupt-rate",
        "0.01",
        "--quiet",
        "--seed",
        "2",
    )
    assert res.exit_code == 0, res.output
    return log


def test_can_dump_prints_vss_json_lines_and_a_rejection_summary(asc_log):
    res = CliRunner().invoke(main, ["can-dump", "--log", str(asc_log)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert {"path", "value", "unit", "ts"} == set(lines[0])
    socs = [r["value"] for r in lines if r["path"] == "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"]
    assert socs and 79.0 < socs[-1] <= 80.0
    assert "bad_checksum" in res.stderr and "frames read" in res.stderr


def test_can_dump_table_shows_stale_signals_as_dashes(asc_log):
    res = run("can-dump", "--log", str(asc_log), "--format", "table")
    assert res.exit_code == 0
    assert "Vehicle.Speed" in res.output and "STALE" not in res.output.split("Vehicle.Speed")[1].splitlines()[0]


def _put(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: _put(d / "x.asc", b"hello, I am a shopping list\n"), "holds no CAN frames"),
        (lambda d: _put(d / "x.blf", b"\x00garbage" * 50), "x.blf"),
        (lambda d: _put(d / "x.pdf", b"%PDF"), "unknown format"),
        (lambda d: d / "missing.asc", "does not exist"),
    ],
)
def test_can_dump_bad_logs_give_clear_errors(tmp_path, make, message):
    res = run("can-dump", "--log", str(make(tmp_path)))
    assert res.exit_code == 1 and message in res.output and "Traceback" not in res.output


def test_truncated_blf_reports_damage_and_keeps_good_frames(asc_log, tmp_path):
    from ivi.can.bus import LogWriter, read_log

    blf = tmp_path / "d.blf"
    with LogWriter(blf) as w:
        for f in read_log(asc_log):
            w.write(f)
    raw = blf.read_bytes()
    (tmp_path / "cut.blf").write_bytes(raw[: len(raw) // 2 + 3])
    res = run("can-dump", "--log", str(tmp_path / "cut.blf"))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "is truncated" in res.output and "frames before the cut" in res.output


def test_truncated_asc_line_is_rejected_not_decoded(asc_log, tmp_path):
    text = asc_log.read_text()
    cut = tmp_path / "cut.asc"
    cut.write_text(text[: len(text) // 2])  # ends in the middle of a frame line
    res = run("can-dump", "--log", str(cut), "--format", "table")
    assert "Traceback" not in res.output and "Vehicle.Speed" in res.output


def test_bad_dbc_and_mapping_give_clear_errors(asc_log, tmp_path):
    (tmp_path / "bad.dbc").write_text("BO_ nonsense")
    res = run("can-dump", "--log", str(asc_log), "--dbc", str(tmp_path / "bad.dbc"))
    assert res.exit_code == 1 and "not a valid DBC" in res.output
    res = run("can-dump", "--log", str(asc_log), "--dbc", str(DATA / "othercar.dbc"))  # our mapping, their DBC
    assert res.exit_code == 1 and "is not in the CAN database" in res.output


def test_other_cars_log_with_its_dbc_and_mapping(tmp_path):
    from ivi.can import CanDatabase, Frame
    from ivi.can.bus import LogWriter

    db = CanDatabase.load(DATA / "othercar.dbc")
    m = db.message_by_name("BMU_Energy")
    with LogWriter(tmp_path / "other.asc") as w:
        for i in range(10):
            w.write(
                Frame(
                    m.frame_id,
                    db.encode(m.key, {"BMU_UserSoc": 50 + i, "BMU_PackVolt": 400, "BMU_PackAmp": 0}),
                    i * 0.2,
                    is_extended=True,
                )
            )
    res = run(
        "can-dump",
        "--log",
        str(tmp_path / "other.asc"),
        "--dbc",
        str(DATA / "othercar.dbc"),
        "--mapping",
        str(DATA / "othercar_vss.json"),
    )
    socs = [json.loads(x)["value"] for x in res.output.splitlines() if "StateOfCharge" in x]
    # The mapping gives no interval_ms: KUKSA's default, 1000 ms, lets one value a second through.
    assert socs == [50.0, 55.0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "Beijing", "--to", "Tianjin", "--interface", "none"], "give --log"),
        ([], "give --from and --to"),
        (["--from", "Atlantis", "--to", "Shanghai"], "Atlantis"),
        (["--from", "Beijing", "--to", "Tianjin", "--silence", "BMS"], "bad silence"),
        (["--from", "Beijing", "--to", "Tianjin", "--charge-at", "abc"], "bad --charge-at"),
        (["--from", "Beijing", "--to", "Tianjin", "--interface", "no_such_bus"], "cannot open CAN interface"),
    ],
)
def test_can_sim_bad_arguments(args, message):
    res = run("can-sim", *args)
    assert res.exit_code != 0 and message in res.output and "Traceback" not in res.output


def test_can_sim_subprocess_feeds_a_reader_over_python_can_remote(remote_bus_server, tmp_path):
    url, _, _ = remote_bus_server
    reader = CanReader(BusSource("remote", url)).start()
    try:
        assert wait_for(lambda: reader.status.connected)  # frames sent before the reader is on the bus are lost
        (tmp_path / "route.json").write_text(ROUTE)
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "ivi",
                "can-sim",
                "--route",
                str(tmp_path / "route.json"),
                "--interface",
                "remote",
                "--channel",
                url,
                "--speedup",
                "100",
                "--start-soc",
                "66",
                "--quiet",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert proc.returncode == 0, proc.stderr
        wait_for(lambda: reader.snapshot().frames_accepted > 5000)
        snap = reader.snapshot()
    finally:
        reader.stop()
    assert snap.frames_accepted > 5000 and snap.rejected_total == 0
    assert 65.0 < snap.signals["Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"].value <= 66.0
    assert snap.signals["Vehicle.CurrentLocation.Latitude"].value == pytest.approx(39.91, abs=1e-3)


def test_reader_reconnects_after_the_bus_goes_away(remote_bus_server):
    url, proc, port = remote_bus_server
    reader = CanReader(BusSource("remote", url), backoff_s=0.1, max_backoff_s=0.4).start()
    try:
        assert wait_for(lambda: reader.status.connected)  # start() connects in the background
        proc.terminate()
        proc.wait(5)
        assert wait_for(lambda: not reader.status.connected and reader.status.last_error)
        server = start_remote_server(port, "again")
        try:
            assert wait_for(lambda: reader.status.connected and reader.status.reconnects >= 1)
        finally:
            server.terminate()
            server.wait(5)
    finally:
        reader.stop()
