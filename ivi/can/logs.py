"""CAN log files as found in the field, read and written with python-can (with :mod:`ivi.can.bus`, the only
modules that import ``can``).

Formats: Vector ``.asc`` and ``.blf`` (compressed or not), candump ``.log``, PEAK ``.trc`` and python-can's
``.csv``, each also gzip-compressed (``drive.asc.gz``), as python-can reads them. Field logs have damage:
a bad line in a text log is skipped and counted (``on_bad_line``), never the end of the replay; a
binary log that breaks off (a truncated BLF) ends with a :class:`~ivi.can.errors.LogFileError` naming
how many frames were read before the damage, after those frames were handed over.
"""

from __future__ import annotations

import contextlib
import gzip
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import can

from ivi.can.decoder import Frame, RawFrame
from ivi.can.errors import LogFileError

LOG_SUFFIXES = (".asc", ".blf", ".log", ".trc", ".csv")
_DAMAGE = (ValueError, IndexError, KeyError, struct.error, EOFError, UnicodeDecodeError, OSError, can.CanError)

#: Called with a short description of each bad line that was skipped.
BadLineCallback = Callable[[str], None]


def log_format(path: str | Path) -> str:
    """The log format of ``path`` by its suffix (``.asc`` for ``drive.asc`` and ``drive.asc.gz``)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = suffixes[-1] if suffixes else ""
    if fmt not in LOG_SUFFIXES:
        shown = "".join(Path(path).suffixes[-2:]) or "(none)"
        raise LogFileError(
            f"CAN log {path}: unknown format {shown!r} (use {', '.join(LOG_SUFFIXES)}, optionally gzip-compressed: .gz)"
        )
    return fmt


def to_message(frame: Frame) -> can.Message:
    return can.Message(
        arbitration_id=frame.arbitration_id,
        data=frame.data,
        timestamp=frame.timestamp_s,
        is_extended_id=frame.is_extended,
        is_remote_frame=frame.is_remote,
        is_error_frame=frame.is_error,
        is_fd=len(frame.data) > 8,  # CAN FD (real DBCs have 64-byte messages)
        dlc=len(frame.data),
        check=False,
    )


def raw_frame(msg: can.Message) -> RawFrame:
    data = msg.data
    return (
        msg.arbitration_id,
        bytes(data[: msg.dlc]) if data is not None else b"",
        msg.timestamp,
        msg.is_extended_id,
        msg.is_remote_frame,
        msg.is_error_frame,
    )


def read_log(path: str | Path, on_bad_line: BadLineCallback | None = None) -> Iterator[Frame]:
    """Frames of a log, in file order (see :func:`read_log_batches`)."""
    for batch in read_log_batches(path, on_bad_line=on_bad_line):
        for raw in batch:
            yield Frame(*raw)


def read_log_batches(
    path: str | Path, batch_size: int = 1024, on_bad_line: BadLineCallback | None = None
) -> Iterator[list[RawFrame]]:
    """A log as lists of plain tuples. Raises ``LogFileError`` for a missing file, an unknown format, a file
    that holds no frames, or one that breaks off (after yielding the frames before the damage)."""
    path = Path(path)
    if not path.is_file():
        raise LogFileError(f"CAN log {path} does not exist")
    fmt = log_format(path)
    bad = on_bad_line or (lambda _line: None)
    try:
        reader = _open_reader(path, fmt, bad)
    except Exception as exc:
        raise LogFileError(f"CAN log {path} cannot be opened: {exc}") from exc
    count = 0
    batch: list[RawFrame] = []
    add = batch.append
    try:
        for msg in _messages(reader, fmt, bad):
            fid, ts = msg.arbitration_id, msg.timestamp
            if not 0 <= fid <= 0x7FF or not -_INF < ts < _INF:  # rare: then the precise check
                problem = _implausible(msg)
                if problem is not None:
                    bad(f"the frame after {count + len(batch)} good ones: {problem}")
                    continue
            data = msg.data  # raw_frame(msg), inlined: this loop runs once per frame of the log
            add(
                (
                    fid,
                    bytes(data[: min(msg.dlc, 64)]) if data is not None else b"",
                    ts,
                    msg.is_extended_id,
                    msg.is_remote_frame,
                    msg.is_error_frame,
                )
            )
            if len(batch) >= batch_size:
                count += len(batch)
                yield batch
                batch = []
                add = batch.append
    except Exception as exc:  # BLFParseError, zlib errors in a truncated BLF, a broken gzip stream
        if batch:
            yield batch
        raise LogFileError(
            f"CAN log {path} is damaged after {count + len(batch)} frames: {exc or type(exc).__name__}"
        ) from exc
    finally:
        _close(reader)
    if batch:
        count += len(batch)
        yield batch
    expected_size = getattr(reader, "file_size", None)  # BLF headers record the file's size
    on_disk = path.stat().st_size
    if fmt == ".blf" and path.suffix.lower() == ".blf" and isinstance(expected_size, int) and on_disk < expected_size:
        raise LogFileError(
            f"CAN log {path} is truncated: {on_disk} of {expected_size} bytes ({count} frames before the cut were read)"
        )
    if count == 0:
        raise LogFileError(f"CAN log {path} holds no CAN frames (is it a {fmt} log?)")


_INF = float("inf")


def _implausible(msg: can.Message) -> str | None:
    """Why a frame a damaged log yielded cannot be a CAN frame (``None``: it can)."""
    fid = msg.arbitration_id
    if msg.is_extended_id and not 0 <= fid <= 0x1FFF_FFFF:
        return f"ID 0x{fid:X} does not fit 29 bits"
    if not msg.is_extended_id and not 0 <= fid <= 0x7FF:
        return f"ID 0x{fid:X} of a standard frame does not fit 11 bits"
    if not -_INF < msg.timestamp < _INF:
        return f"time {msg.timestamp} is not a number"
    return None


def count_log_messages(path: str | Path) -> int:
    """How many messages python-can's own reader yields for a log (the parser's cost alone, for benchmarks)."""
    reader = can.LogReader(str(path))
    try:
        return sum(1 for _ in reader)
    finally:
        reader.stop()


class LogWriter:
    """Write frames to a log file; the format follows the suffix (``.asc``, ``.blf``, ``.asc.gz``, ...)."""

    def __init__(self, path: str | Path, **options: Any) -> None:
        path = Path(path)
        log_format(path)
        try:
            self._logger = can.Logger(str(path), **options)
        except Exception as exc:
            raise LogFileError(f"cannot write CAN log {path}: {exc}") from exc
        self.path = path

    def write(self, frame: Frame) -> None:
        self._logger.on_message_received(to_message(frame))

    def close(self) -> None:
        self._logger.stop()

    def __enter__(self) -> LogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- tolerant readers -------------------------------------------------------------------------


class _BrokenFile(Exception):
    """The file itself failed (a cut gzip stream, an I/O error): not a bad line to skip."""


class _Lines:
    """A text file's lines with one line of push-back (to restart a reader that skips a header line)."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self._pushed: str | None = None
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._pushed is not None:
            line, self._pushed = self._pushed, None
            return line
        try:
            line = next(self._file)
        except StopIteration:
            raise
        except Exception as exc:
            raise _BrokenFile(str(exc) or type(exc).__name__) from exc
        self.number += 1
        return line

    def push(self, line: str) -> None:
        self._pushed = line

    def close(self) -> None:
        self._file.close()


def _skipping(parse: Callable[..., can.Message | None]) -> Callable[..., can.Message | None]:
    """A python-can line parser that reports a line it cannot parse and skips it (``None``)."""

    def tolerant(reader: Any, line: str, *args: Any) -> can.Message | None:
        try:
            return parse(reader, line, *args)
        except _DAMAGE as exc:
            reader.on_bad_line(f"{line.strip()[:60]!r}: {exc}")
            return None

    return tolerant


class _ASC(can.ASCReader):
    """python-can's ASC reader, skipping (and reporting) a frame line it cannot parse."""

    on_bad_line: BadLineCallback = staticmethod(lambda _line: None)
    _process_classic_can_frame = _skipping(can.ASCReader._process_classic_can_frame)  # type: ignore[assignment]
    _process_fd_can_frame = _skipping(can.ASCReader._process_fd_can_frame)  # type: ignore[assignment]


class _TRC(can.TRCReader):
    """python-can's TRC reader, skipping (and reporting) a line it cannot parse."""

    on_bad_line: BadLineCallback = staticmethod(lambda _line: None)
    _parse_line = _skipping(can.TRCReader._parse_line)


def _open_text(path: Path) -> IO[str]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _open_reader(path: Path, fmt: str, bad: BadLineCallback) -> Any:
    if fmt == ".blf":
        binary: Any = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")  # noqa: SIM115
        return can.BLFReader(binary)  # (which closes it)
    lines: Any = _Lines(_open_text(path))  # a TextIO as far as python-can's readers care
    reader: Any
    if fmt == ".asc":
        reader = _ASC(lines)
    elif fmt == ".trc":
        reader = _TRC(lines)
    elif fmt == ".log":
        reader = can.CanutilsLogReader(lines)
    else:
        reader = can.CSVReader(lines)
    reader.on_bad_line = bad
    return reader


def _messages(reader: Any, fmt: str, bad: BadLineCallback) -> Iterator[can.Message]:
    """The reader's messages. Line formats without state (candump, CSV) are restarted past a bad line;
    ASC and TRC skip bad lines themselves."""
    if fmt not in (".log", ".csv"):
        yield from reader
        return
    lines: _Lines = reader.file
    last_bad = -1
    while True:
        try:
            yield from reader
            return
        except _DAMAGE as exc:
            if lines.number == last_bad:  # no progress: the reader fails before reading a line
                raise
            last_bad = lines.number
            bad(f"line {lines.number}: {exc}")
            if fmt == ".csv":
                lines.push("header\n")  # the restarted CSV reader skips one header line


def _close(reader: Any) -> None:
    with contextlib.suppress(Exception):  # closing a damaged file must not mask the damage
        reader.stop()
