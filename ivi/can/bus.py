"""The python-can adapter for buses (with :mod:`ivi.can.logs` for log files, the only modules that import
``can``): open buses, convert between python-can messages and plain :class:`~ivi.can.decoder.Frame`
values, and receivers that hand frames to a callback on their own thread.

Every python-can failure leaves this module as a :class:`~ivi.can.errors.BusError` carrying a sentence
a driver's engineer can act on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from typing import Any

import can

from ivi.can.dbc import EXTENDED_FLAG, J1939_PGN_MASK
from ivi.can.decoder import Frame, RawFrame
from ivi.can.errors import BusError
from ivi.can.logs import (
    LOG_SUFFIXES,
    LogWriter,
    count_log_messages,
    raw_frame,
    read_log,
    read_log_batches,
    to_message,
)

__all__ = [
    "LOG_SUFFIXES",
    "BatchReceiver",
    "Bus",
    "FrameNotifier",
    "LogWriter",
    "count_log_messages",
    "filters_in_software",
    "open_bus",
    "raw_frame",
    "read_log",
    "read_log_batches",
    "receive",
    "send",
    "shutdown",
    "to_frame",
    "to_message",
]

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


def filters_in_software(bus: can.BusABC) -> bool:
    """True when ``bus`` applies ``can_filters`` in Python (``virtual``, ...) instead of in the driver,
    kernel or a remote server: there a set lookup on the ID is cheaper than python-can's filter loop."""
    cls = type(bus)
    return cls._apply_filters is can.BusABC._apply_filters and cls.recv is can.BusABC.recv


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
    state updates are paid per batch rather than per frame.

    Each frame is stamped with ``clock()`` (monotonic) when it is taken off the bus, not with the
    interface's timestamp: those are wall-clock times that step with NTP or a GNSS fix, and an age computed
    from them can be negative or wrong. ``accept`` (message keys: ``id | EXTENDED_FLAG`` for extended
    frames) and ``accept_pgns`` (J1939 parameter groups, ``id & J1939_PGN_MASK``) drop foreign frames with
    a set lookup, for buses that would otherwise filter in Python."""

    def __init__(
        self,
        bus: can.BusABC,
        on_batch: Callable[[list[RawFrame]], None],
        on_error: Callable[[Exception], None],
        *,
        accept: Collection[int] | None = None,
        accept_pgns: Collection[int] = (),
        clock: Callable[[], float] = time.monotonic,
        timeout_s: float = 0.1,
        max_batch: int = 256,
    ) -> None:
        self._bus, self._on_batch, self._on_error = bus, on_batch, on_error
        self._accept = frozenset(accept) if accept is not None else None
        self._pgns = frozenset(accept_pgns)
        self._clock = clock
        self._timeout_s, self._max_batch = timeout_s, max_batch
        self._running = True
        self._thread = threading.Thread(target=self._run, name="ivi-can-rx", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        recv, accept, pgns, max_batch, clock = self._bus.recv, self._accept, self._pgns, self._max_batch, self._clock
        try:
            while self._running:
                msg = recv(self._timeout_s)
                batch: list[RawFrame] = []
                while msg is not None:
                    fid, ext = msg.arbitration_id, msg.is_extended_id
                    if (
                        accept is None
                        or (fid | EXTENDED_FLAG if ext else fid) in accept
                        or (ext and pgns and fid & J1939_PGN_MASK in pgns)
                    ):
                        data = msg.data
                        batch.append(
                            (
                                fid,
                                bytes(data[: msg.dlc]) if data is not None else b"",
                                clock(),
                                ext,
                                msg.is_remote_frame,
                                msg.is_error_frame,
                            )
                        )
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
