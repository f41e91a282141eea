"""The imperative shell around the decoder: frames from a bus or a log file into a
:class:`~ivi.can.state.VehicleState`, thread-safe, with reconnects.

::

    reader = CanReader(BusSource("virtual", "ivi"), on_update=print).start()
    snap = reader.snapshot()          # any thread; VehicleSnapshot now (the reader's monotonic clock)
    reader.stop()

A bus is read on a receiver thread with hardware filters for exactly the IDs the mapping decodes
(on buses that filter in Python, like ``virtual``, a set lookup on the ID replaces them); frames
are handed over in batches, one per wake-up, so the lock and callbacks are paid per batch. When
the bus fails, a supervisor thread closes it and reopens it with
exponential backoff (``backoff_s`` doubling up to ``max_backoff_s``); meanwhile signals go stale
on their own. A log file is replayed as fast as it can be read, on one thread; timestamps are
the log's, so ``snapshot()`` is taken at the last frame's time; a line of a text log that cannot be
parsed is skipped and counted as ``bad_log_line``.

Time on the live path is one monotonic clock (``clock``, default :func:`time.monotonic`): frames are
stamped with it when taken off the bus and snapshots are taken with it, so a wall-clock step (NTP, a
GNSS fix) can neither make an old value look fresh nor a fresh one look old.

Consumers get updates three ways: ``on_update(list[SignalUpdate])`` called on the reader thread
(keep it short: emit a Qt signal, put to a queue), ``updates`` (a thread-safe queue, if
``queue_updates=True``), or polling ``snapshot(now_s)``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivi.can.bus import BatchReceiver, filters_in_software, open_bus, read_log_batches, shutdown
from ivi.can.dbc import CanDatabase
from ivi.can.decoder import Decoder, Frame, RawFrame, Rejection, RejectReason, SignalUpdate
from ivi.can.errors import BusError, CanError
from ivi.can.mapping import load_mapping
from ivi.can.state import VehicleSnapshot, VehicleState


@dataclass(frozen=True)
class BusSource:
    """A live bus: any python-can interface name and channel, plus interface options."""

    interface: str = "virtual"
    channel: str = "ivi"
    options: dict[str, Any] = field(default_factory=dict)
    use_filters: bool = True


@dataclass(frozen=True)
class LogSource:
    path: Path


@dataclass
class ReaderStatus:
    connected: bool = False
    reconnects: int = 0
    last_error: str | None = None
    frames_in: int = 0
    finished: bool = False
    bad_log_lines: int = 0
    #: The first few bad log lines (what was wrong with them), for the user
    bad_line_examples: list[str] = field(default_factory=list)


class CanReader:
    """Reads one bus or log into a ``VehicleState``. See the module docstring."""

    def __init__(
        self,
        source: BusSource | LogSource,
        *,
        dbc: str | Path | None = None,
        mapping: str | Path | None = None,
        decoder: Decoder | None = None,
        lax_dbc: bool = False,
        on_update: Callable[[list[SignalUpdate]], None] | None = None,
        on_rejection: Callable[[list[Rejection]], None] | None = None,
        queue_updates: bool = False,
        backoff_s: float = 0.1,
        max_backoff_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if decoder is None:
            database = CanDatabase.load(dbc, lax=lax_dbc)
            decoder = Decoder(database, load_mapping(database, mapping))
        self.source, self.decoder = source, decoder
        self.state = VehicleState.for_decoder(decoder)
        self.status = ReaderStatus()
        self.updates: queue.SimpleQueue[SignalUpdate] | None = queue.SimpleQueue() if queue_updates else None
        self._on_update, self._on_rejection = on_update, on_rejection
        self._backoff_s, self._max_backoff_s, self._clock = backoff_s, max_backoff_s, clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._failed = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_ts: float | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> CanReader:
        """Start reading in the background. A bus that cannot be opened at all raises ``BusError``."""
        if isinstance(self.source, LogSource):
            target: Callable[[], None] = self._replay_log
        else:
            bus = self._open()  # fail fast on a wrong interface or channel
            target = lambda: self._supervise(bus)  # noqa: E731
        self._thread = threading.Thread(target=target, name="ivi-can-reader", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        self._failed.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for a log replay to end; True when it did."""
        if self._thread is not None:
            self._thread.join(timeout_s)
            return not self._thread.is_alive()
        return True

    def __enter__(self) -> CanReader:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the public view ------------------------------------------------------------------
    def snapshot(self, now_s: float | None = None) -> VehicleSnapshot:
        """State at ``now_s`` (default: the reader's clock for a bus, the last frame's time for a log)."""
        if now_s is None:
            now_s = (self._last_ts or 0.0) if isinstance(self.source, LogSource) else self._clock()
        with self._lock:
            return self.state.snapshot(now_s)

    def feed(self, frame: Frame) -> list[SignalUpdate]:
        """Decode one frame into the state (tests and tools; the reader threads use :meth:`feed_batch`)."""
        return self.feed_batch(
            [(frame.arbitration_id, frame.data, frame.timestamp_s, frame.is_extended, frame.is_remote, frame.is_error)]
        )

    def feed_batch(self, frames: list[RawFrame], now_s: float | None = None) -> list[SignalUpdate]:
        """Decode frames into the state under one lock acquisition; consumers hear once per batch.
        ``now_s``: the time on the clock the frames were stamped with; a frame stamped later is refused."""
        if not frames:
            return []
        updates, rejections, accepted = self.decoder.decode_batch(frames)
        with self._lock:
            self.status.frames_in += len(frames)
            self._last_ts = frames[-1][2]
            notify = self.state.apply(updates, now_s) if updates else updates
            if rejections:
                self.state.reject(rejections)
            self.state.frames_accepted += accepted
        if notify:
            if self.updates is not None:
                for u in notify:
                    self.updates.put(u)
            if self._on_update is not None:
                self._on_update(notify)
        if rejections and self._on_rejection is not None:
            self._on_rejection(rejections)
        return notify

    # --- log replay -----------------------------------------------------------------------
    def _replay_log(self) -> None:
        assert isinstance(self.source, LogSource)
        try:
            for batch in read_log_batches(self.source.path, on_bad_line=self._bad_line):
                if self._stop.is_set():
                    break
                self.feed_batch(batch)
        except CanError as exc:
            self.status.last_error = str(exc)
        except Exception as exc:  # never a traceback on the reader thread: the CLI reports it as an error
            self.status.last_error = f"reading {self.source.path} failed: {type(exc).__name__}: {exc}"
        finally:
            self.status.finished = True

    def _bad_line(self, what: str) -> None:
        with self._lock:
            self.status.bad_log_lines += 1
            if len(self.status.bad_line_examples) < 3:
                self.status.bad_line_examples.append(what)
            self.state.rejections[RejectReason.BAD_LOG_LINE.value] += 1

    # --- live bus -------------------------------------------------------------------------
    def _open(self) -> Any:
        src = self.source
        assert isinstance(src, BusSource)
        filters = self.decoder.can_filters() if src.use_filters else None
        return open_bus(src.interface, src.channel, can_filters=filters, **src.options)

    def _receiver(self, bus: Any) -> BatchReceiver:
        accept: frozenset[int] | None = None
        pgns: frozenset[int] = frozenset()
        if self.source.use_filters and filters_in_software(bus):  # type: ignore[union-attr]
            bus.set_filters(None)  # python-can would loop over every filter for every frame
            accept, pgns = self.decoder.accepts()
        return BatchReceiver(bus, self._feed_live, self._bus_failed, accept=accept, accept_pgns=pgns, clock=self._clock)

    def _feed_live(self, frames: list[RawFrame]) -> None:
        self.feed_batch(frames, self._clock())

    def _supervise(self, bus: Any) -> None:
        delay = self._backoff_s
        while not self._stop.is_set():
            if bus is None:
                try:
                    bus = self._open()
                except BusError as exc:
                    self.status.last_error = str(exc)
                    self._stop.wait(delay)
                    delay = min(self._max_backoff_s, delay * 2)
                    continue
                self.status.reconnects += 1
            self._failed.clear()
            notifier = self._receiver(bus)
            self.status.connected = True
            self._failed.wait()
            self.status.connected = False
            notifier.stop()
            shutdown(bus)
            bus = None
            if not self._stop.is_set():
                self._stop.wait(delay)
                delay = min(self._max_backoff_s, delay * 2)
        if bus is not None:
            shutdown(bus)

    def _bus_failed(self, exc: Exception) -> None:
        self.status.last_error = f"CAN bus failed: {exc}"
        self._failed.set()
