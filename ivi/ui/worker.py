"""The one thread the screen does its I/O on (cache queries, planning), and the way back.

Jobs run on a single background thread; their results come back to the GUI thread through a
GUI-thread :class:`Mailbox` (one per screen, made by its controller and handed to the stores
that take deliveries from other threads), so no store is ever touched from another thread. ``submit_latest`` coalesces:
a moving car asks for suggestions ten times a second, and only the newest question matters.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class Mailbox(QObject):
    """Lives on the GUI thread; any thread may :meth:`post` a call that it runs there.

    A thread-safe queue drained by a 5 ms GUI-thread timer, rather than a queued Qt signal
    emitted from a Python thread: with PySide6 6.12 such emissions corrupted reference counts
    (``Fatal Python error: bool_dealloc`` / ``none_dealloc`` within seconds at 10 Hz)."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[tuple[Callable[[Any], None], Any]] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.drain)
        self._timer.start()

    def post(self, callback: Callable[[Any], None], value: Any) -> None:
        self._queue.put((callback, value))

    def drain(self) -> None:
        while True:
            try:
                callback, value = self._queue.get_nowait()
            except queue.Empty:
                return
            try:
                callback(value)
            except Exception:
                log.exception("GUI-thread delivery failed")


def _log_error(exc: BaseException) -> None:
    log.error("background job failed: %s", exc)


class IoWorker:
    """A single background thread with results delivered on the GUI thread."""

    def __init__(self, mailbox: Mailbox, name: str = "ivi-io") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._mailbox = mailbox
        self._latest: dict[str, Callable[[], Any]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def post(self, value_callback: Callable[[Any], None], value: Any) -> None:
        """Deliver ``value`` to ``value_callback`` on the GUI thread (safe from any thread)."""
        self._mailbox.post(value_callback, value)

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] = _log_error,
    ) -> None:
        if self._closed:
            return

        def run() -> None:
            try:
                result = job()
            except Exception as exc:
                self.post(on_error, exc)
                return
            self.post(on_done, result)

        self._pool.submit(run)

    def submit_latest(
        self,
        key: str,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] = _log_error,
    ) -> None:
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
