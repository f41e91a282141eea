"""CAN log files as found in the field (``ivi can-dump --log FILE``, the app's log replay): Vector ``.asc`` and
``.blf``, candump ``.log``, PEAK ``.trc``, python-can ``.csv``, gzip-compressed ``.asc.gz``, read with
:func:`ivi.can.logs.read_log_batches` and decoded with the bundled car's decoder.

The first byte picks the format; the rest is the file. Seeds are two seconds of the reference car's simulated drive
written in each format by :class:`ivi.can.logs.LogWriter`.
"""

from __future__ import annotations

import functools
import itertools
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fuzz.harness import Finding, Harness
from fuzz.harnesses._can import check_batch, mapping_document
from ivi.can import CanDatabase, Decoder, Frame, LogFileError, Simulator
from ivi.can.logs import LogWriter, read_log_batches
from ivi.can.mapping import parse_mapping

__all__ = ["HARNESS", "check", "seeds"]

FORMATS = (".asc", ".blf", ".log", ".trc", ".csv", ".asc.gz")
MAX_FRAMES = 4096


@functools.cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-log-"))


def check(data: bytes) -> None:
    if not data:
        return
    path = _folder() / f"drive{FORMATS[data[0] % len(FORMATS)]}"
    path.write_bytes(data[1:])
    bad: list[str] = []
    frames = []
    try:
        for batch in read_log_batches(path, on_bad_line=bad.append):
            frames += batch
            if len(frames) >= MAX_FRAMES:
                break
    except LogFileError as exc:
        if not str(exc):
            raise Finding("refusal-without-reason") from exc
    if any(not line for line in bad):
        raise Finding("bad-line-without-reason")
    for fid, payload, ts, ext, remote, error in frames:
        if not (type(fid) is int and 0 <= fid <= (0x1FFF_FFFF if ext else 0x7FF)):
            raise Finding("frame-id", f"{fid!r:.40} extended={ext}")
        if type(payload) is not bytes or len(payload) > 64:
            raise Finding("frame-payload", f"{type(payload).__name__} of {len(payload)} bytes")
        if not (isinstance(ts, float | int) and math.isfinite(ts)):
            raise Finding("frame-time-not-finite", repr(ts))
        if not all(type(flag) is bool for flag in (ext, remote, error)):
            raise Finding("frame-flags", repr((ext, remote, error)))
    dec, entries = _bundled()
    dec.reset()
    check_batch(dec, entries, frames)


@functools.cache
def _bundled() -> tuple[Decoder, dict[str, Any]]:
    """The bundled car's decoder of every signal (not the whole corpus: a log is one car's)."""
    db = CanDatabase.load()
    mapping = parse_mapping(db, mapping_document(db), source="<every signal of the bundled car>")
    return Decoder(db, mapping), {e.path: e for e in mapping.entries}


@functools.cache
def _drive() -> tuple[Frame, ...]:
    sim = Simulator([(39.900, 116.400), (39.910, 116.410)], start_soc_percent=70.0, seed=3)
    return tuple(itertools.islice(sim.frames(), 120))


def seeds() -> Iterator[bytes]:
    for i, fmt in enumerate(FORMATS):
        path = _folder() / f"seed{fmt}"
        with LogWriter(path) as writer:
            for frame in _drive():
                writer.write(frame)
        yield bytes([i]) + path.read_bytes()


_bundled()  # built at import, before fuzzing starts: not in the first input's time limit

HARNESS = Harness(
    name="can_logs",
    check=check,
    seeds=seeds,
    byte_level=True,
    doc=(
        "read_log_batches yields frames with an ID of their format, at most 64 bytes, a finite time and boolean "
        "flags — a bad line skipped with a reason — or raises LogFileError with a reason (after the frames before "
        "the damage); the bundled car's decoder keeps the can_frames contract on them."
    ),
)
