"""DBC files (``--dbc FILE``): loaded with :meth:`ivi.can.CanDatabase.load` (strictly; a file that fails is also
tried laxly, to say whether ``--lax-dbc`` would help), then used: a mapping of every signal, a decoder, and frames of
every message (all-zero and all-ones payloads) through the can_frames contract."""

from __future__ import annotations

import functools
import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fuzz.harness import Harness, expect
from fuzz.harnesses._can import ROOT, check_batch, corpus_dir, mapping_document
from fuzz.mutators import mutate_bytes
from ivi.can import CanError, DatabaseError, Decoder
from ivi.can.dbc import CanDatabase
from ivi.can.mapping import parse_mapping

__all__ = ["HARNESS", "check", "mutate", "seeds"]

MAX_MESSAGES_DECODED = 64


@functools.cache
def _file() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-dbc-")) / "car.dbc"


def check(data: bytes) -> None:
    path = _file()
    path.write_bytes(data)
    try:
        db = CanDatabase.load(path)
    except DatabaseError as exc:
        expect(bool(str(exc)), "refusal-without-reason")
        str(exc).encode("utf-8")
        return
    expect(bool(db.messages), "database-without-messages")
    for m in db.messages.values():
        expect(0 <= m.frame_id <= (0x1FFF_FFFF if m.is_extended else 0x7FF), "frame-id", hex(m.frame_id))
        expect(0 <= m.length <= 64, "message-length", str(m.length))
        for s in m.signals:
            expect(s.layout is not None and 1 <= s.layout.length_bits <= 64, "signal-length", s.name)
    try:
        mapping = parse_mapping(db, mapping_document(db), source="<every signal>")
        dec = Decoder(db, mapping)
    except CanError:
        return  # a database whose signals cannot all be mapped: the loader's error, said at start-up
    entries = {e.path: e for e in mapping.entries}
    frames = [
        (m.frame_id, bytes([fill]) * m.length, 1.0, m.is_extended, False, False)
        for m in list(db.messages.values())[:MAX_MESSAGES_DECODED]
        for fill in (0x00, 0xFF)
    ]
    check_batch(dec, entries, frames)


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_INTERESTING = (
    b"0", b"1", b"-1", b"7", b"8", b"63", b"64", b"65", b"255", b"2047", b"2048", b"4294967295", b"2147483648",
    b"536870911", b"18446744073709551616", b"1e308", b"-1e308", b"1e999", b"0.0", b"-0", b"9" * 400,
)  # fmt: skip


def mutate(data: bytes, max_size: int, seed: int) -> bytes:
    """Line-level edits of a DBC (drop, duplicate or swap lines), numbers swapped for edge values (bit 63 of a
    64-bit frame, ID 2048 in a standard frame, a length of 65, 1e999), and byte-level edits now and then."""
    rng = random.Random(seed)
    if rng.random() < 0.2:
        return mutate_bytes(data, max_size, seed)
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(4)
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            numbers = list(_NUMBER.finditer(lines[i]))
            if numbers:
                m = rng.choice(numbers)
                lines[i] = lines[i][: m.start()] + rng.choice(_INTERESTING) + lines[i][m.end() :]
    return b"\n".join(lines)[:max_size]


def seeds() -> Iterator[bytes]:
    """The small real files whole; the big ones cut to their first messages (cantools takes ~1 s per 100 KB)."""
    files = [ROOT / "ivi" / "can" / "data" / "su7.dbc", ROOT / "tests" / "can" / "data" / "othercar.dbc"]
    files += sorted(corpus_dir().glob("*/*.dbc"))
    for path in files:
        data = path.read_bytes()
        if len(data) <= 16_000:
            yield data
        else:
            cut = data.find(b"\nBO_ ", 12_000)
            yield data[:cut] if cut > 0 else data[:16_000]


HARNESS = Harness(
    name="dbc_files",
    check=check,
    seeds=seeds,
    mutate=mutate,
    doc=(
        "CanDatabase.load either raises DatabaseError with a printable reason (saying when --lax-dbc would load "
        "it), or returns messages with valid frame IDs, lengths of 0–64 bytes and signals of 1–64 bits; a mapping "
        "of every signal then either loads or is a CanError, and its decoder keeps the can_frames contract."
    ),
)
