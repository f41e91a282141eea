"""The python-can adapter (the only module that imports ``can``): open buses, read and write log
files, convert between python-can messages and plain :class:`~ivi.can.decoder.Frame` values, and a
listener that hands frames to a callback on the Notifier thread.

Every python-can failure leaves this module as a :class:`~ivi.can.errors.BusError` or
:class:`~ivi.can.errors.LogFileError` carrying a sentence a driver's engineer can act on.
"""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Callable, Iterator

import can

from ivi.can.decoder import Frame
from ivi.can.errors import BusError, LogFileError

LOG_SUFFIXES = (".asc", ".blf", ".log", ".trc", ".csv")

Bus = can.BusABC


def open_bus(interface: str, channel: str, *, can_filters: list[dict[str, Any]] | None = None,
             **options: Any) -> can.BusABC:
    """Open any python-can interface (``virtual``, ``remote``, ``socketcan``, ...) with filters."""
    try:
        return can.Bus(interface=interface, channel=channel, can_filters=can_filters, **options)
    except (can.CanError, OSError, ValueError, ImportError, TypeError) as exc:
        raise BusError(f"cannot open CAN interface {interface!r} channel {channel!r}: {exc}") from None
    except Exception as exc:  # third-party interfaces raise what they like (websocket errors, ...)
        raise BusError(f"cannot open CAN interface {interface!r} channel {channel!r}: {exc}") from None


def to_message(frame: Frame) -> can.Message:
    return can.Message(arbitration_id=frame.arbitration_id, data=frame.data, timestamp=frame.timestamp_s,
                       is_extended_id=frame.is_extended, is_remote_frame=frame.is_remote,
                       is_error_frame=frame.is_error, dlc=len(frame.data), check=False)


def to_frame(msg: can.Message) -> Frame:
    return Frame(msg.arbitration_id, bytes(msg.data[:msg.dlc]) if msg.data is not None else b"", msg.timestamp,
                 msg.is_extended_id, msg.is_remote_frame, msg.is_error_frame)


def send(bus: can.BusABC, frame: Frame) -> None:
    try:
        bus.send(to_message(frame))
    except (can.CanError, OSError) as exc:
        raise BusError(f"sending on the CAN bus failed: {exc}") from None


def receive(bus: can.BusABC, timeout_s: float) -> Frame | None:
    try:
        msg = bus.recv(timeout_s)
    except (can.CanError, OSError) as exc:
        raise BusError(f"receiving from the CAN bus failed: {exc}") from None
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
    path = Path(path)
    if not path.is_file():
        raise LogFileError(f"CAN log {path} does not exist")
    if path.suffix.lower() not in LOG_SUFFIXES:
        raise LogFileError(f"CAN log {path}: unknown format {path.suffix!r} (use {', '.join(LOG_SUFFIXES)})")
    count = 0
    try:
        reader = can.LogReader(str(path))
    except Exception as exc:
        raise LogFileError(f"CAN log {path} cannot be opened: {exc}") from None
    try:
        for msg in reader:
            count += 1
            yield to_frame(msg)
    except (ValueError, IndexError, KeyError, struct.error, EOFError, UnicodeDecodeError, OSError,
            can.CanError) as exc:
        raise LogFileError(f"CAN log {path} is damaged after {count} frames: {exc or type(exc).__name__}") from None
    except Exception as exc:  # e.g. BLFParseError, zlib errors in a truncated BLF
        raise LogFileError(f"CAN log {path} is damaged after {count} frames: {exc or type(exc).__name__}") from None
    finally:
        stop = getattr(reader, "stop", None)
        if stop:
            stop()
    expected_size = getattr(reader, "file_size", None)   # BLF headers record the file's size
    if isinstance(expected_size, int) and expected_size > 0 and path.stat().st_size < expected_size:
        raise LogFileError(f"CAN log {path} is truncated: {path.stat().st_size} of {expected_size} bytes "
                           f"({count} frames before the cut were read)")
    if count == 0:
        raise LogFileError(f"CAN log {path} holds no CAN frames (is it a {path.suffix} log?)")


class LogWriter:
    """Write frames to a log file; the format follows the suffix (``.asc``, ``.blf``, ...)."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if path.suffix.lower() not in LOG_SUFFIXES:
            raise LogFileError(f"CAN log {path}: unknown format {path.suffix!r} (use {', '.join(LOG_SUFFIXES)})")
        try:
            self._logger = can.Logger(str(path))
        except Exception as exc:
            raise LogFileError(f"cannot write CAN log {path}: {exc}") from None
        self.path = path

    def write(self, frame: Frame) -> None:
        self._logger.on_message_received(to_message(frame))

    def close(self) -> None:
        self._logger.stop()

    def __enter__(self) -> "LogWriter":
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

    def __init__(self, bus: can.BusABC, on_frame: Callable[[Frame], None],
                 on_error: Callable[[Exception], None], timeout_s: float = 0.1) -> None:
        self._notifier = can.Notifier(bus, [_Listener(on_frame, on_error)], timeout=timeout_s)

    def stop(self, timeout_s: float = 1.0) -> None:
        self._notifier.stop(timeout_s)
