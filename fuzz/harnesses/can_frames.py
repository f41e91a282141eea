"""CAN frames through the decoder, for every real DBC that loads (and the bundled car and the test car).

The first byte picks the database; the rest is frames in :func:`fuzz.harnesses._can.frames_from`'s byte layout, so
plain byte mutation reaches real messages, multiplexer pages, counters and checksums. Every signal of the database
is mapped, with datatypes and transforms (failing ones included) chosen per signal.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuzz.harness import Harness
from fuzz.harnesses._can import check_batch, databases, decoder, frames_from, frames_to_bytes

__all__ = ["HARNESS", "check", "seeds"]


def check(data: bytes) -> None:
    if not data:
        return
    dec, entries, keys = decoder(data[0])
    check_batch(dec, entries, frames_from(data[1:], keys))


def seeds() -> Iterator[bytes]:
    """Per database: every message with an all-zero and an all-ones payload of its length, 32 frames per seed."""
    for index, db in enumerate(databases()):
        _, _, keys = decoder(index)
        frames = [(k, bytes([fill]) * db.messages[k].length, 1) for k in keys for fill in (0x00, 0xFF)]
        for start in range(0, min(len(frames), 256), 32):
            yield bytes([index]) + frames_to_bytes(frames[start : start + 32], keys)


def _warm_up() -> None:
    """Load every database and compile its decoder now, at import (the worker imports the harness before
    fuzzing starts): done in the first input it would count against that input's time limit."""
    for index in range(len(databases())):
        decoder(index)


_warm_up()

HARNESS = Harness(
    name="can_frames",
    check=check,
    seeds=seeds,
    byte_level=True,
    doc=(
        "Decoder.decode_batch never raises: every frame gives VSS updates whose values are of the entry's VSS "
        "datatype (a finite float, an int within its type's range, a bool, a string of at most 1,000 characters) "
        "and within the entry's min/max, or counted Rejections with a reason; never decode_failed (the net for "
        "exceptions nobody foresaw)."
    ),
)
