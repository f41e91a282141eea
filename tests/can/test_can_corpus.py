"""Real cars' CAN databases, end to end: frames that cantools encodes from drawn signal values (named states
included) decode — through the decoder, and through ``ivi can-dump`` reading a log — to exactly the values
cantools decodes, under the KUKSA CAN provider's rules (``tests/can/kuksa_oracle.py``)."""

import json
import math
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ivi.can.logs import LogWriter, read_log
from ivi.cli import main
from tests.can.conftest import corpus_file
from tests.can.corpus import REAL_DBCS, UNLOADABLE, case, frames
from tests.can.kuksa_oracle import expected

IDS = [r for r, _ in REAL_DBCS]
LOG_FORMATS = [".blf", ".asc", ".log", ".asc.gz", ".csv", ".blf"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


def same(a, b) -> bool:
    """Equal and of the same type (bit-identical floats), NaN included."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


def assert_same_updates(got: dict, want: dict, where: str) -> None:
    assert got.keys() == want.keys(), (where, sorted(got.keys() ^ want.keys())[:5])
    for path, value in want.items():
        assert same(got[path], value), (where, path, got[path], value)


def test_the_corpus_covers_what_the_issue_asks_for(folder):
    dbs = [case(r, lax, folder).db for r, lax in REAL_DBCS]
    signals = [(m, s) for db in dbs for m in db.messages.values() for s in m.signals]
    makers = {r.split("/")[1].split("_")[0].split(".")[0].lower() for r, _ in REAL_DBCS if r.startswith("opendbc")}
    assert makers == {"tesla", "ford", "bmw", "gwm", "mercedes", "mg", "rivian", "vw"}  # and KUKSA's Model 3
    assert any(m.is_multiplexed for db in dbs for m in db.messages.values())
    assert any(len(s.multiplexer_ids or ()) > 1 for _, s in signals)  # extended multiplexing
    assert any(s.layout.little_endian is False for _, s in signals)  # Motorola
    assert any(s.layout.signed for _, s in signals) and any(s.layout.is_float for _, s in signals)
    assert any(m.is_extended for db in dbs for m in db.messages.values())
    assert any(m.is_j1939 for db in dbs for m in db.messages.values())
    assert any(s.choices and "SNA" in " ".join(s.choices.values()) for _, s in signals)


@pytest.mark.parametrize("relative, lax", REAL_DBCS, ids=IDS)
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_mapped_value_equals_cantools_under_kuksa_rules(folder, relative, lax, data):
    c = case(relative, lax, folder)
    decoder = _decoder(c)
    key, frame = data.draw(frames(c))
    updates, rejections = decoder.decode(frame)
    want = expected(c.db, key, frame.data, c.entries)
    reasons = [r.reason.value for r in rejections]
    if want is None:  # cantools refuses the frame: its multiplexer selects no page the DBC describes
        assert "unknown_mux" in reasons
        return
    spec = c.db.messages[key]
    assert_same_updates({u.path: u.value for u in updates}, want[0], spec.name)
    unused = ["unknown_id"] if not any(s.name in c.entries for s in spec.signals) else []  # a message without signals
    assert Counter(reasons) == Counter(want[1] + unused), (spec.name, reasons, want[1])


_decoders: dict = {}


def _decoder(c):
    if c.relative not in _decoders:
        _decoders[c.relative] = c.decoder()
    return _decoders[c.relative]


@pytest.mark.parametrize("index, relative, lax", [(i, r, lax) for i, (r, lax) in enumerate(REAL_DBCS)], ids=IDS)
@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking 120 frames through the CLI would take hours
)
@given(data=st.data())
def test_can_dump_reads_a_log_of_real_frames_to_the_same_values(folder, tmp_path_factory, index, relative, lax, data):
    c = case(relative, lax, folder)
    suffix = LOG_FORMATS[index % len(LOG_FORMATS)]
    drawn = [data.draw(frames(c, ts=1.0 + i * 0.01), label=f"frame {i}") for i in range(120)]
    log = tmp_path_factory.mktemp("log") / f"real{suffix}"
    with LogWriter(log) as w:
        for _, frame in drawn:
            w.write(frame)
    args = ["can-dump", "--log", str(log), "--dbc", str(corpus_file(relative)), "--mapping", str(c.mapping_path)]
    res = CliRunner().invoke(main, [*args, "--lax-dbc"] if lax else args)
    assert res.exit_code == 0, res.output
    printed: dict[float, dict] = {}
    for line in res.stdout.splitlines():
        row = json.loads(line)
        printed.setdefault(round(row["ts"], 4), {})[row["path"]] = row["value"]
    stamps = [round(f.timestamp_s, 4) for f in read_log(log)]  # as the format stores them
    assert len(stamps) == len(drawn) == len(set(stamps))
    for (key, frame), stamp in zip(drawn, stamps, strict=True):
        want = expected(c.db, key, frame.data, c.entries)
        if want is not None:
            where = f"{relative} {c.db.messages[key].name} @ {frame.timestamp_s}"
            assert_same_updates(printed.get(stamp, {}), want[0], where)
    assert f"{len(drawn)} frames read" in res.stderr


@pytest.mark.parametrize("relative", UNLOADABLE)
@pytest.mark.parametrize("lax", [False, True])
def test_dbcs_cantools_refuses_give_one_clear_error(relative, lax, tmp_path):
    log = tmp_path / "x.asc"
    with LogWriter(log) as w:
        from ivi.can import Frame

        w.write(Frame(0x100, bytes(8), 1.0))
    args = ["can-dump", "--log", str(log), "--dbc", str(corpus_file(relative))]
    res = CliRunner().invoke(main, [*args, "--lax-dbc"] if lax else args)
    assert res.exit_code == 1 and "Traceback" not in res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "is not a valid DBC file" in errors[0] and relative.split("/")[1] in errors[0]


@pytest.mark.parametrize("relative", [r for r, lax in REAL_DBCS if lax])
def test_a_dbc_that_needs_lax_parsing_says_so(relative, tmp_path):
    args = ["can-dump", "--log", str(tmp_path / "x.asc"), "--dbc", str(corpus_file(relative))]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "(it loads with --lax-dbc" in res.output


def test_lax_loading_leaves_out_only_value_tables_of_missing_signals_and_says_so():
    from ivi.can import CanDatabase

    db = CanDatabase.load(corpus_file("opendbc/tesla_can.dbc"), lax=True)
    # opendbc's file gives UI_mapSpeedLimit's table to message 568; the signal is in 968 (UI_driverAssistMapData)
    assert db.warnings == ("left out 1 entries naming signals their message does not have: VAL_ 568 UI_mapSpeedLimit",)
    assert [m.name for m, _ in db.find_signals("UI_mapSpeedLimit")] == ["UI_driverAssistMapData"]
