"""The python-can adapter (the only module that imports ``can``): open buses, read and write log
files, convert between python-can messages and plain :class:`~ivi.can.decoder.Frame` values, and a
listener that hands frames to a callback on the Notifier thread.

Every python-can failure leaves this module as a :class:`~ivi.can.errors.BusError` or
:class:`~ivi.can.errors.LogFileError` carrying a sentence a driver's engineer can act on.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import can

from ivi.can.decoder import Frame, RawFrame
from ivi.can.errors import BusError, LogFileError

LOG_SUFFIXES = (".asc", ".blf", ".log", ".trc", ".csv")

Bus = can.BusABC


def open_bus(
    interface: str, channel: str, *, can_filters: list[dict[str, Any]] | None = None, **options: Any
) -> can.BusABC:
    """Open any python-can interface (``virtual``, ``remote``, ``socketcan``, ...) with filters."""
    try:
        return can.Bus(interface=interface, channel=channel, can_filters=can_filters, **options)
    except (can.CanError, OSError, ValueError, ImportError, TypeError) as exc:
        raise BusError(f"cannot open CAN interface {interface!r} channel {channel!r}: {exc}") from exc
    except Exception as exc:  # third-party interfaces raise what they like (websocket errors, ...)
        raise BusError(f"cannot open CAN interface {interface!r} channel {channel!r}: {exc}") from exc


def to_message(frame: Frame) -> can.Message:
    return can.Message(
        arbitration_id=frame.arbitration_id,
        data=frame.data,
        timestamp=frame.timestamp_s,
        is_extended_id=frame.is_extended,
        is_remote_frame=frame.is_remote,
        is_error_frame=frame.is_error,
        dlc=len(frame.data),
        check=False,
    )


def filters_in_software(bus: can.BusABC) -> bool:
    """True when ``bus`` applies ``can_filters`` in Python (``virtual``, ...) instead of in the driver,
    kernel or a remote server: there a set lookup on the ID is cheaper than python-can's filter loop."""
    cls = type(bus)
    return cls._apply_filters is can.BusABC._apply_filters and cls.recv is can.BusABC.recv


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


def to_frame(msg: can.Message) -> Frame:
    return Frame(*raw_frame(msg))


def send(bus: can.BusABC, frame: Frame) -> None:
    try:
        bus.send(to_message(frame))
    except (can.CanError, OSError) as exc:
        raise BusError(f"sending on the CAN bus failed: {exc}") from exc


def receive(bus: can.BusABC, timeout_s: float) -> Frame | None:
    try:
        msg = bus.recv(timeout_s)
    except (can.CanError, OSError) as exc:
        raise BusError(f"receiving from the CAN bus failed: {exc}") from exc
    return None if msg is None else to_frame(msg)


def shutdown(bus: can.BusABC) -> None:
    try:
        bus.shutdown()
    except Exception:  # shutting down a broken bus must not mask the error that broke it
        bus._is_shutdown = True  # and python-can must not retry (and fail noisily) when it is collected


def read_log(path: str | Path) -> Iterator[Frame]:
    """Frames of a ``.asc``/``.blf``/``.log``/``.trc``/``.csv`` log, in file order.

    Raises ``LogFileError`` for a missing file, an unknown format, a file that holds no frames,
    or one that breaks off in the middle (after yielding the frames before the damage).
    """
    for batch in read_log_batches(path):
        for raw in batch:
            yield Frame(*raw)


def read_log_batches(path: str | Path, batch_size: int = 1024) -> Iterator[list[RawFrame]]:
    """:func:`read_log` as lists of plain tuples (no per-frame objects beyond python-can's own)."""
    path = Path(path)
    if not path.is_file():
        raise LogFileError(f"CAN log {path} does not exist")
    if path.suffix.lower() not in LOG_SUFFIXES:
        raise LogFileError(f"CAN log {path}: unknown format {path.suffix!r} (use {', '.join(LOG_SUFFIXES)})")
    count = 0
    try:
        reader = can.LogReader(str(path))
    except Exception as exc:
        raise LogFileError(f"CAN log {path} cannot be opened: {exc}") from exc
    batch: list[RawFrame] = []
    try:
        for msg in reader:
            batch.append(raw_frame(msg))
            if len(batch) >= batch_size:
                count += len(batch)
                yield batch
                batch = []
    except (ValueError, IndexError, KeyError, struct.error, EOFError, UnicodeDecodeError, OSError, can.CanError) as exc:
        if batch:
            yield batch
        raise LogFileError(
            f"CAN log {path} is damaged after {count + len(batch)} frames: {exc or type(exc).__name__}"
        ) from exc
    except Exception as exc:  # e.g. BLFParseError, zlib errors in a truncated BLF
        if batch:
            yield batch
        raise LogFileError(
            f"CAN log {path} is damaged after {count + len(batch)} frames: {exc or type(exc).__name__}"
        ) from exc
    finally:
        stop = getattr(reader, "stop", None)
        if stop:
            stop()
    if batch:
        count += len(batch)
        yield batch
    expected_size = getattr(reader, "file_size", None)  # BLF headers record the file's size
    if isinstance(expected_size, int) and expected_size > 0 and path.stat().st_size < expected_size:
        raise LogFileError(
            f"CAN log {path} is truncated: {path.stat().st_size} of {expected_size} bytes "
            f"({count} frames before the cut were read)"
        )
    if count == 0:
        raise LogFileError(f"CAN log {path} holds no CAN frames (is it a {path.suffix} log?)")


def count_log_messages(path: str | Path) -> int:
    """How many messages python-can's own reader yields for a log (the parser's cost alone, for benchmarks)."""
    reader = can.LogReader(str(path))
    try:
        return sum(1 for _ in reader)
    finally:
        reader.stop()


class LogWriter:
    """Write frames to a log file; the format follows the suffix (``.asc``, ``.blf``, ...)."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if path.suffix.lower() not in LOG_SUFFIXES:
            raise LogFileError(f"CAN log {path}: unknown format {path.suffix!r} (use {', '.join(LOG_SUFFIXES)})")
        try:
            self._logger = can.Logger(str(path))
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


class _Listener(can.Listener):
    def __init__(self, on_frame: Callable[[Frame], None], on_error: Callable[[Exception], None]) -> None:
        self._on_frame, self._on_error = on_frame, on_error

    def on_message_received(self, msg: can.Message) -> None:
        self._on_frame(to_frame(msg))

    def on_error(self, exc: Exception) -> None:
        self._on_error(exc)


class FrameNotifier:
    """A python-can Notifier thread delivering frames of one bus to ``on_frame``."""

    def __init__(
        self,
        bus: can.BusABC,
        on_frame: Callable[[Frame], None],
        on_error: Callable[[Exception], None],
        timeout_s: float = 0.1,
    ) -> None:
        self._notifier = can.Notifier(bus, [_Listener(on_frame, on_error)], timeout=timeout_s)

    def stop(self, timeout_s: float = 1.0) -> None:
        self._notifier.stop(timeout_s)


class BatchReceiver:
    """Receives one bus on its own thread and hands frames over in batches: after each wake-up it drains
    what is already queued (up to ``max_batch``) and calls ``on_batch`` once, so locks, callbacks and
    state updates are paid per batch rather than per frame. ``accept_ids`` (keys ``id | extended << 29``)
    drops foreign frames with one set lookup, for buses that would otherwise filter in Python."""

    def __init__(
        self,
        bus: can.BusABC,
        on_batch: Callable[[list[RawFrame]], object],
        on_error: Callable[[Exception], None],
        *,
        accept_ids: Collection[int] | None = None,
        timeout_s: float = 0.1,
        max_batch: int = 256,
    ) -> None:
        self._bus, self._on_batch, self._on_error = bus, on_batch, on_error
        self._accept = frozenset(accept_ids) if accept_ids is not None else None
        self._timeout_s, self._max_batch = timeout_s, max_batch
        self._running = True
        self._thread = threading.Thread(target=self._run, name="ivi-can-rx", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        recv, accept, max_batch = self._bus.recv, self._accept, self._max_batch
        try:
            while self._running:
                msg = recv(self._timeout_s)
                batch: list[RawFrame] = []
                while msg is not None:
                    if accept is None or (msg.arbitration_id | (msg.is_extended_id << 29)) in accept:
                        batch.append(raw_frame(msg))
                        if len(batch) >= max_batch:
                            break
                    msg = recv(0.0)
                if batch:
                    self._on_batch(batch)
        except Exception as exc:  # a failing bus or interface: the reader reconnects
            if self._running:
                self._on_error(exc)

    def stop(self, timeout_s: float = 1.0) -> None:
        self._running = False
        if self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
