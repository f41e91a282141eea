"""The one thread the screen does its I/O on (cache queries, planning), and the way back.

Jobs run on a single background thread; their results come back to the GUI thread through a
queued Qt signal, so no store is ever touched from another thread. ``submit_latest`` coalesces:
a moving car asks for suggestions ten times a second, and only the newest question matters.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class _Delivery(QObject):
    """Lives on the GUI thread; emitting from the worker queues the call there."""

    deliver = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._call)

    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


def _log_error(exc: BaseException) -> None:
    log.error("background job failed: %s", exc)


class IoWorker:
    """A single background thread with results delivered on the GUI thread."""

    def __init__(self, name: str = "ivi-io") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._delivery = _Delivery()
        self._latest: dict[str, Callable[[], Any]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def post(self, value_callback: Callable[[Any], None], value: Any) -> None:
        """Deliver ``value`` to ``value_callback`` on the GUI thread (safe from any thread)."""
        self._delivery.deliver.emit(value_callback, value)

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] = _log_error) -> None:
        if self._closed:
            return

        def run() -> None:
            try:
                result = job()
            except Exception as exc:  # noqa: BLE001 — every failure becomes a message on screen
                self.post(on_error, exc)
                return
            self.post(on_done, result)

        self._pool.submit(run)

    def submit_latest(self, key: str, job: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] = _log_error) -> None:
        """Like :meth:`submit`, but a job still waiting under ``key`` is replaced, not queued."""
        with self._lock:
            waiting = key in self._latest
            self._latest[key] = job
        if waiting:
            return

        def newest() -> Any:
            with self._lock:
                fn = self._latest.pop(key)
            return fn()

        self.submit(newest, on_done, on_error)

    def wait_idle(self, timeout_s: float = 10.0) -> None:
        """Block until every job submitted so far has run (tests, shutdown)."""
        done = threading.Event()
        self._pool.submit(done.set)
        done.wait(timeout_s)

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
