"""What the CAN harnesses share: the real-car DBCs, a mapping that reads every signal of one, frames as bytes,
and the oracle for a decoded batch.

The corpus is found as the CAN tests find it (``tests/can/conftest.py``): ``$IVI_CAN_CORPUS``, else
``shared/can-corpus`` beside the checkout or beside any folder above it, else ``/work/shared/can-corpus``.
"""

from __future__ import annotations

import functools
import math
import os
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fuzz.harness import Finding
from ivi.can import CanDatabase, CanError, Decoder
from ivi.can.decoder import RejectReason
from ivi.can.mapping import parse_mapping
from ivi.can.values import is_enum
from ivi.can.vss import INT_RANGES, MAX_STRING_CHARS

__all__ = [
    "ROOT",
    "check_batch",
    "corpus_dir",
    "databases",
    "decoder",
    "frames_from",
    "frames_to_bytes",
    "mapping_document",
]

ROOT = Path(__file__).resolve().parents[2]
#: ``math`` transforms the generated mappings use: KUKSA's own, and ones that fail on some values (a complex
#: root, a huge power, a division by zero, a factorial of a float, a string for a number).
MATHS = (
    "floor((x*40)-100)",
    "(x+100)/40",
    "floor(abs(x/5))",
    "floor(x+0.5)",
    "x * 2 + 1",
    "x ^ 0.5",
    "x ^ 63",
    "(((x^64)^64)^63)^63",
    "1 / x",
    "fac(x)",
    "log(x, 10)",
    "if(x > 0, x, 'NEG')",
    "x * 1e300 * 1e300",
)
DATATYPES = ("double", "float", "int8", "uint8", "int16", "int32", "uint32", "int64", "uint64", "string", "boolean")
MAX_FRAMES = 64


def corpus_dir() -> Path:
    if os.environ.get("IVI_CAN_CORPUS"):
        return Path(os.environ["IVI_CAN_CORPUS"])
    for folder in (ROOT, *ROOT.parents):
        candidate = folder.parent / "shared" / "can-corpus"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/can-corpus")


@functools.cache
def databases() -> tuple[CanDatabase, ...]:
    """The bundled car, the test car, and every corpus DBC that loads (strictly, else laxly), in a fixed order."""
    out = [CanDatabase.load(), CanDatabase.load(ROOT / "tests" / "can" / "data" / "othercar.dbc")]
    for path in sorted(corpus_dir().glob("*/*.dbc")):
        for lax in (False, True):
            try:
                out.append(CanDatabase.load(path, lax=lax))
                break
            except CanError:
                continue
    return tuple(out)


def mapping_document(db: CanDatabase) -> dict[str, Any]:
    """A KUKSA mapping that reads every signal of ``db``: a checksum of the name picks the datatype and the
    transform, so every DBC gets strings, lookups, maths (failing ones too), booleans, integers and floats."""
    children: dict[str, Any] = {}
    for name in db.signal_names():
        _, s = db.find_signals(name)[0]
        h = zlib.crc32(name.encode())
        dbc2vss: dict[str, Any] = {"signal": name, "interval_ms": 0}
        node: dict[str, Any] = {"type": "sensor", "description": name, "dbc2vss": dbc2vss}
        lay = s.layout
        if s.choices and is_enum(s) and h % 2:
            names = list(dict.fromkeys(s.choices.values()))
            dbc2vss["transform"] = {"mapping": [{"from": n, "to": i % 120} for i, n in enumerate(names[:-1] or names)]}
            node["datatype"] = "int8"
        elif lay is not None and lay.length_bits == 1 and not s.choices:
            node["datatype"] = "boolean"
        else:
            node["datatype"] = DATATYPES[h % len(DATATYPES)]
            if h % 3 == 0:
                dbc2vss["transform"] = {"math": MATHS[(h >> 4) % len(MATHS)]}
            if h % 5 == 1 and node["datatype"] in ("double", "float"):
                node["min"], node["max"] = -1000, 1000
        children[name] = node
    return {"Vehicle": {"type": "branch", "children": {"Corpus": {"type": "branch", "children": children}}}}


@functools.cache
def _decoder(index: int) -> tuple[Decoder, dict[str, Any], tuple[int, ...]]:
    db = databases()[index]
    mapping = parse_mapping(db, mapping_document(db), source=f"<every signal of {db.source}>")
    return Decoder(db, mapping), {e.path: e for e in mapping.entries}, tuple(sorted(db.messages))


def decoder(index: int) -> tuple[Decoder, dict[str, Any], tuple[int, ...]]:
    """A fresh-state decoder of every signal of database ``index`` (mod their number), its entries by VSS path,
    and the message keys of the database."""
    dec, entries, keys = _decoder(index % len(databases()))
    dec.reset()
    return dec, entries, keys


def frames_from(data: bytes, keys: tuple[int, ...]) -> list[tuple[int, bytes, float, bool, bool, bool]]:
    """Frames encoded as bytes, so that byte-level mutation stays meaningful: per frame a selector byte (high bit
    set: a raw 29-bit ID in the next four bytes, bit 6 extended; else a message of the database by a 14-bit index),
    a flags byte (bit 0 remote, bit 1 error, bits 2–7 the time step in 10 ms; 63 steps the clock back a second),
    a length byte (mod 65: classic CAN and CAN FD) and the payload."""
    out: list[tuple[int, bytes, float, bool, bool, bool]] = []
    i, ts = 0, 1000.0
    while i < len(data) and len(out) < MAX_FRAMES:
        sel = data[i]
        if sel & 0x80:
            raw = int.from_bytes(data[i + 1 : i + 5].ljust(4, b"\0"), "big")
            ext = bool(sel & 0x40)
            fid = raw & (0x1FFF_FFFF if ext else 0x7FF)
            i += 5
        else:
            index = ((sel & 0x3F) << 8 | (data[i + 1] if i + 1 < len(data) else 0)) % len(keys)
            key = keys[index]
            fid, ext = key & 0x1FFF_FFFF, bool(key & 0x8000_0000)
            i += 2
        flags = data[i] if i < len(data) else 0
        length = (data[i + 1] if i + 1 < len(data) else 8) % 65
        i += 2
        payload = data[i : i + length]
        i += length
        step = flags >> 2
        ts += -1.0 if step == 63 else step * 0.01
        out.append((fid, payload, ts, ext, bool(flags & 1), bool(flags & 2)))
    return out


def frames_to_bytes(frames: Iterable[tuple[int, bytes, int]], keys: tuple[int, ...]) -> bytes:
    """The inverse of :func:`frames_from` for seeds: ``(message key, payload, time step)`` per frame."""
    out = bytearray()
    for key, payload, step in frames:
        index = keys.index(key)
        out += bytes([(index >> 8) & 0x3F, index & 0xFF, (step & 0x3F) << 2, len(payload)]) + payload
    return bytes(out)


def check_batch(dec: Decoder, entries: dict[str, Any], frames: list[tuple[int, bytes, float, bool, bool, bool]]) -> int:
    """Decode ``frames`` in one batch and hold the outcome to the decoder's contract: every update is a value of
    its VSS datatype within the entry's bounds, every problem a counted rejection with a reason, and no
    ``decode_failed`` (the decoder's net for exceptions nobody foresaw). Returns the number of updates.
    (Messages are built only on failure: this runs on every input.)"""
    updates, rejections, accepted = dec.decode_batch(frames)
    times = {f[2] for f in frames}
    if not 0 <= accepted <= len(frames):
        raise Finding("accepted-count", f"{accepted} of {len(frames)}")
    for r in rejections:
        reason = r.reason
        if type(reason) is not RejectReason:
            raise Finding("rejection-without-reason", repr(r))
        if reason is RejectReason.DECODE_FAILED:
            raise Finding(f"decode_failed:{r.detail.split(':')[1].strip() if ':' in r.detail else ''}", r.detail)
        if reason is RejectReason.TRANSFORM_FAILED and not r.detail:
            raise Finding("transform-failed-without-detail", repr(r))
    for u in updates:
        entry = entries.get(u.path)
        if entry is None:
            raise Finding("update-of-unmapped-path", u.path)
        if u.timestamp_s not in times:
            raise Finding("update-time-not-a-frame-time", repr(u))
        _check_value(entry, u.value)
    return len(updates)


def _check_value(entry: Any, value: object) -> None:
    datatype = entry.datatype
    if datatype == "boolean":
        if type(value) is not bool:
            raise Finding("value-not-boolean", f"{entry.path}: {type(value).__name__}")
        return
    if datatype == "string":
        if type(value) is not str or len(value) > MAX_STRING_CHARS:
            raise Finding("value-not-string", f"{entry.path}: {value!r:.80}")
        return
    if datatype in ("float", "double"):
        if type(value) is not float:
            raise Finding("value-not-float", f"{entry.path}: {type(value).__name__}")
        if not math.isfinite(value):
            raise Finding("value-not-finite", f"{entry.path}: {value}")
    else:
        if type(value) is not int:
            raise Finding("value-not-int", f"{entry.path}: {type(value).__name__} {value!r:.80}")
        low, high = INT_RANGES[datatype]
        if not low <= value <= high:
            raise Finding("value-outside-datatype", f"{entry.path}: {value} in {datatype}")
    assert isinstance(value, int | float)
    if entry.minimum is not None and value < entry.minimum:
        raise Finding("value-below-min", f"{entry.path}: {value} < {entry.minimum}")
    if entry.maximum is not None and value > entry.maximum:
        raise Finding("value-above-max", f"{entry.path}: {value} > {entry.maximum}")
