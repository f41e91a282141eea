"""Logs as found in the field: every format python-can reads, gzip-compressed too, and damage that costs
only the damaged line — or, for a log that breaks off, an error after the frames before the break."""

import gzip
import json

import pytest
from click.testing import CliRunner

from ivi.can import CanReader, LogSource
from ivi.can.errors import LogFileError
from ivi.can.logs import LogWriter, read_log
from ivi.cli import main
from tests.can.test_can_freshness import candump_line, speed

FORMATS = [".asc", ".asc.gz", ".blf", ".blf.gz", ".log", ".log.gz", ".csv", ".csv.gz", ".trc"]


def drive(database, n=50):
    return [speed(database, i % 16, 40.0 + i % 100, ts=100.0 + i * 0.02) for i in range(n)]


def replay(path):
    reader = CanReader(LogSource(path)).start()
    assert reader.join(10)
    return reader


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_reads_back_the_frames_it_was_given(database, tmp_path, suffix):
    frames = drive(database)
    path = tmp_path / f"drive{suffix}"
    plain = path.with_suffix("") if suffix == ".blf.gz" else path  # python-can writes no .blf.gz: gzip it here
    with LogWriter(plain) as w:
        for f in frames:
            w.write(f)
    if plain != path:
        path.write_bytes(gzip.compress(plain.read_bytes()))
    got = list(read_log(path))
    assert [(f.arbitration_id, f.data) for f in got] == [(f.arbitration_id, f.data) for f in frames]
    reader = replay(path)
    assert reader.status.last_error is None and reader.snapshot().frames_accepted == len(frames)


@pytest.mark.parametrize("level", [0, 9])
def test_blf_with_and_without_compressed_containers(database, tmp_path, level):
    path = tmp_path / f"level{level}.blf"
    with LogWriter(path, compression_level=level) as w:
        for f in drive(database):
            w.write(f)
    assert replay(path).snapshot().frames_accepted == 50


def _with_bad_lines(text: str, bad: list[str], every: int = 10) -> str:
    lines = text.splitlines(keepends=True)
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i and i % every == 0 and bad:
            out.append(bad.pop(0))
    return "".join(out)


@pytest.mark.parametrize(
    "suffix, bad",
    [
        (".asc", ["100.500000 1  120             Rx   d 8 00 11 ZZ 33 44 55 66 77\n", "100.6 1 12G Rx d 8 00\n"]),
        (".log", ["(100.500000) can0 120#00112233ZZ\n", "(abc) can0 120#00\n", "garbage\n"]),
        (".csv", ["100.5,0x120,0,0,0,8,not-base64!\n", "1,2,3\n"]),
    ],
)
def test_a_bad_line_is_skipped_and_counted_and_the_replay_goes_on(database, tmp_path, suffix, bad):
    frames = drive(database)
    clean = tmp_path / f"clean{suffix}"
    if suffix == ".log":
        clean.write_text("".join(candump_line(f) for f in frames))
    else:
        with LogWriter(clean) as w:
            for f in frames:
                w.write(f)
    damaged = tmp_path / f"damaged{suffix}"
    damaged.write_text(_with_bad_lines(clean.read_text(), list(bad)))
    reader = replay(damaged)
    snap = reader.snapshot()
    assert reader.status.last_error is None and reader.status.bad_log_lines == len(bad)
    assert snap.frames_accepted == len(frames) and snap.rejections["bad_log_line"] == len(bad)
    res = CliRunner().invoke(main, ["can-dump", "--log", str(damaged)])
    assert res.exit_code == 0 and "bad_log_line" in res.stderr and "skipped log line" in res.stderr


def test_a_gzip_log_cut_short_is_an_error_after_the_frames_before_the_cut(database, tmp_path):
    path = tmp_path / "cut.asc.gz"
    with LogWriter(path) as w:
        for f in drive(database, 2000):
            w.write(f)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(LogFileError, match=r"cut\.asc\.gz is damaged after \d+ frames"):
        list(read_log(path))
    res = CliRunner().invoke(main, ["can-dump", "--log", str(path)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert [line[:6] for line in res.output.splitlines() if "Error" in line] == ["Error:"]
    assert "damaged after" in res.output
    printed = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert printed  # the good frames before the cut were shown


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.asc", b"", "holds no CAN frames"),
        ("shopping.log", b"milk\neggs\n", "holds no CAN frames"),
        ("binary.asc.gz", b"\x1f\x8b\x08\x00garbage", "damaged after 0 frames"),
        ("plain.asc.gz", b"not gzip at all", "damaged after 0 frames"),
        ("x.mf4", b"MDF", "unknown format"),
        ("x.gz", gzip.compress(b"x"), "unknown format"),
    ],
)
def test_unreadable_logs_are_one_error_line_and_exit_1(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    res = CliRunner().invoke(main, ["can-dump", "--log", str(tmp_path / name)])
    assert res.exit_code == 1 and "Traceback" not in res.output, res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0]
