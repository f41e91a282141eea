"""KUKSA dbc2vss mapping files, loaded against the bundled car's DBC, then used: a mapping that loads builds a
decoder, which decodes frames of every message the mapping reads (all-zero, all-ones and a few fixed patterns)."""

from __future__ import annotations

import functools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fuzz.harness import Harness, expect, expect_finite
from fuzz.harnesses._can import ROOT, check_batch
from fuzz.mutators import mutate_json
from ivi.can import CanDatabase, CanError, Decoder, MappingError, load_mapping
from ivi.can.mapping import MAX_INTERVAL_MS
from ivi.can.vss import DATATYPES, coerce

__all__ = ["HARNESS", "check", "seeds"]

PATTERNS = (b"\x00", b"\xff", b"\x55", b"\xaa", b"\x80", b"\x7f")


@functools.cache
def _database() -> CanDatabase:
    return CanDatabase.load()


@functools.cache
def _file() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-mapping-")) / "mapping.json"


def check(data: bytes) -> None:
    db = _database()
    path = _file()
    path.write_bytes(data)
    try:
        mapping = load_mapping(db, path)
    except MappingError as exc:
        message = str(exc)
        expect(bool(message), "refusal-without-reason")
        message.encode("utf-8")  # printable: a lone surrogate here would crash the CLI's one-line error
        return
    expect(bool(mapping.entries), "mapping-without-entries")
    for e in mapping.entries:
        e.path.encode("utf-8")
        expect(e.datatype in DATATYPES, "entry-datatype", e.datatype)
        expect(bool(e.frame_keys) and all(k in db.messages for k in e.frame_keys), "entry-frames", e.path)
        expect(0 <= e.interval_ms <= MAX_INTERVAL_MS, "entry-interval", str(e.interval_ms))
        for bound in (e.minimum, e.maximum):
            if bound is not None:
                expect_finite(bound, "entry-bound-not-finite")
        if e.minimum is not None and e.maximum is not None:
            expect(e.minimum <= e.maximum, "entry-min-above-max", e.path)
        if e.transform is not None and e.transform.is_lookup:
            for pair in e.transform.source:
                coerce(e.datatype, pair["to"])  # checked at load: raising here is a finding
    try:
        dec = Decoder(db, mapping)
    except CanError:
        return
    entries = {e.path: e for e in mapping.entries}
    frames = []
    for key in sorted(mapping.frame_ids):
        m = db.messages[key]
        fid = m.frame_id
        frames += [(fid, p * m.length, 1.0 + 0.1 * i, m.is_extended, False, False) for i, p in enumerate(PATTERNS)]
    check_batch(dec, entries, frames)


def seeds() -> Iterator[bytes]:
    yield (ROOT / "ivi" / "can" / "data" / "su7_vss_mapping.json").read_bytes()
    doc = json.loads((ROOT / "ivi" / "can" / "data" / "su7_vss_mapping.json").read_bytes())
    speed = doc["Vehicle"]["children"]["Speed"]
    for transform in (
        {"math": "floor(x+0.5)"},
        {"math": "x ^ 0.5"},
        {"mapping": [{"from": 0, "to": 1.5}, {"from": 1, "to": 2}]},
    ):
        speed["dbc2vss"]["transform"] = transform
        yield json.dumps(doc).encode()


HARNESS = Harness(
    name="mapping_files",
    check=check,
    seeds=seeds,
    mutate=mutate_json,
    doc=(
        "load_mapping either raises MappingError with a printable reason naming the VSS path, or returns entries "
        "with a scalar VSS datatype, DBC messages that exist, finite min ≤ max, an interval of at most a day and "
        "'mapping' transforms whose 'to' values are values of the datatype; the decoder built from it keeps the "
        "can_frames contract on frames of every message it reads."
    ),
)
