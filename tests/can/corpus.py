"""Real cars' DBCs for the tests: which ones, a VSS mapping that reads every signal of one, and hypothesis
strategies for frames encoded with cantools (signal values drawn over each signal's whole raw range,
the value table's named states included, multiplexer pages chosen among those the DBC describes)."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ivi.can import CanDatabase, Decoder, Frame, load_mapping
from ivi.can.dbc import J1939_PGN_MASK
from ivi.can.values import is_enum
from tests.can.conftest import corpus_file
from tests.can.kuksa_oracle import Entry

#: (corpus file, needs --lax-dbc): Tesla, Ford, BMW, GWM, Mercedes-Benz, MG, Rivian, VW, and cantools' own
#: test files for IEEE floats, J1939 and extended multiplexing.
REAL_DBCS = [
    ("cantools/floating_point.dbc", False),
    ("cantools/j1939.dbc", False),
    ("cantools/motohawk.dbc", False),
    ("cantools/multiplex_choices.dbc", False),
    ("cantools/vehicle.dbc", False),
    ("kuksa/Model3CAN.dbc", False),
    ("opendbc/FORD_CADS.dbc", False),
    ("opendbc/bmw_e9x_e8x.dbc", False),
    ("opendbc/gwm_haval_h6_phev_2024.dbc", True),
    ("opendbc/mercedes_benz_e350_2010.dbc", False),
    ("opendbc/mg.dbc", False),
    ("opendbc/rivian_primary_actuator.dbc", True),
    ("opendbc/tesla_can.dbc", True),
    ("opendbc/tesla_model3_party.dbc", False),
    ("opendbc/tesla_model3_vehicle.dbc", False),
    ("opendbc/vw_mlb.dbc", False),
    ("opendbc/vw_mqb.dbc", True),
]
#: Real files that cannot be read soundly: each must give one clear error.
UNLOADABLE = ["opendbc/psa_aee2010_r3.dbc", "opendbc/toyota_2017_ref_pt.dbc"]
MATHS = ["x * 2 + 1", "floor(x / 3)", "x^2", "(-x)", "x / 0.5 - 1", "abs(x) % 7", "if(x > 0, x, 0)", "1 / x"]


@dataclass(frozen=True)
class Case:
    """One real DBC with a mapping of every signal in it."""

    relative: str
    lax: bool
    db: CanDatabase
    mapping_path: Path
    entries: dict[str, list[Entry]]

    def decoder(self) -> Decoder:
        return Decoder(self.db, load_mapping(self.db, self.mapping_path))


def _entry(db: CanDatabase, name: str) -> tuple[Entry, dict[str, Any]]:
    """A VSS entry for signal ``name``: the kind of signal decides the datatype, a checksum of the name
    picks among transforms, so every DBC gets strings, lookups, maths, booleans and plain numbers."""
    _, s = db.find_signals(name)[0]
    h = zlib.crc32(name.encode())
    path = f"Vehicle.Corpus.{name}"
    lay = s.layout
    assert lay is not None
    if s.choices and is_enum(s):
        if h % 2:
            return Entry(path, name, "string"), {}
        names = list(dict.fromkeys(s.choices.values()))
        pairs = [{"from": n, "to": i} for i, n in enumerate(names[:-1] or names)]  # the last one is unmapped
        return Entry(path, name, "int32", {"mapping": pairs}), {"transform": {"mapping": pairs}}
    if lay.length_bits == 1 and not s.choices:
        return Entry(path, name, "boolean"), {}
    if h % 3 == 0:
        transform = {"math": MATHS[h % len(MATHS)]}
        return Entry(path, name, "double", transform), {"transform": transform}
    if h % 7 == 1:
        return Entry(path, name, "double", minimum=0.0), {"min": 0}
    return Entry(path, name, "double"), {}


@cache
def case(relative: str, lax: bool, folder: Path) -> Case:
    db = CanDatabase.load(corpus_file(relative), lax=lax)
    entries: dict[str, list[Entry]] = {}
    children: dict[str, Any] = {}
    for name in db.signal_names():
        entry, extra = _entry(db, name)
        entries.setdefault(name, []).append(entry)
        dbc2vss = {"signal": name, "interval_ms": 0} | (
            {"transform": extra["transform"]} if "transform" in extra else {}
        )
        node = {"type": "sensor", "datatype": entry.datatype, "description": name, "dbc2vss": dbc2vss}
        if "min" in extra:
            node["min"] = extra["min"]
        children[name] = node
    doc = {"Vehicle": {"type": "branch", "children": {"Corpus": {"type": "branch", "children": children}}}}
    path = folder / (relative.replace("/", "_") + ".vss.json")
    path.write_text(json.dumps(doc))
    return Case(relative, lax, db, path, entries)


def _pgn_unique(db: CanDatabase, key: int) -> bool:
    m = db.messages[key]
    return (
        sum(
            1 for o in db.messages.values() if o.is_j1939 and o.frame_id & J1939_PGN_MASK == m.frame_id & J1939_PGN_MASK
        )
        == 1
    )


def _raw_values(signal: Any) -> st.SearchStrategy[Any]:
    lay = signal.layout
    if lay.is_float:
        return st.floats(width=lay.length_bits)
    low, high = (
        (-(1 << (lay.length_bits - 1)), (1 << (lay.length_bits - 1)) - 1)
        if lay.signed
        else (0, (1 << lay.length_bits) - 1)
    )
    numbers = st.integers(low, high)
    named = sorted(k for k in (signal.choices or {}) if low <= k <= high)
    return st.one_of(st.sampled_from(named), numbers) if named else numbers


@st.composite
def frames(draw: st.DrawFn, c: Case, keys: tuple[int, ...] | None = None, ts: float = 1.0) -> tuple[int, Frame]:
    """A frame of one of ``keys`` (default: every message) that cantools encoded from drawn raw values.
    J1939 parameter groups come from a drawn source address and priority."""
    db = c.db
    key = draw(st.sampled_from(keys or sorted(db.messages)), label="message")
    spec = db.messages[key]
    values: dict[str, Any] = {}

    def visit(parent: str | None, page: int | None) -> None:
        for s in spec.signals:
            if s.multiplexer != parent or (parent is not None and page not in (s.multiplexer_ids or ())):
                continue
            if s.is_multiplexer:
                chosen = draw(st.sampled_from(sorted(spec.page_ids(s.name))), label=s.name)
                values[s.name] = chosen
                visit(s.name, chosen)
            else:
                values[s.name] = draw(_raw_values(s), label=s.name)

    visit(None, None)
    try:
        data = bytes(db._cantools[key].encode(values, scaling=False, padding=False, strict=False))
    except Exception:  # cantools cannot encode overlapping signals (lax DBCs): any payload will do
        data = draw(st.binary(min_size=spec.length, max_size=spec.length), label="payload")
    fid = spec.frame_id
    if spec.is_j1939 and _pgn_unique(db, key):
        fid = (
            (fid & J1939_PGN_MASK)
            | (draw(st.integers(0, 7), label="priority") << 26)
            | draw(st.integers(0, 255), label="source address")
        )
    return key, Frame(fid, data, ts, spec.is_extended)
