"""The operator learns occupancy: the partner status stream in, a signed occupancy model out.

:class:`OccupancyService` sits beside a :class:`~sync.publisher.Publisher`. Every batch of
partner status changes the publisher is handed reaches it (``Publisher.add_status_listener``;
taking a batch is a list append, so the stream is never held up); intervals when the receiver was
blind are declared with :meth:`~OccupancyService.gap`. On a schedule (:meth:`due`) or on command,
:meth:`learn` drains what arrived into the :class:`~chargers.occupancy.OccupancyLearner`, learns
from the last ``train_weeks`` before ``now``, encodes the model and the publisher sends it as the
next model version (``Publisher.publish_occupancy``: signed retained parts, the manifest naming
them). Learning at scale 1 takes about a minute: run it on a thread of its own
(:meth:`start_thread`); the learner's state is touched only there.

Until real partner history exists, the history is the realistic simulator's
(:func:`simulated_history`, ``chargers.occupancy.simulate``; ``ivi-sync publish
--occupancy-history WEEKS`` and ``ivi-sync status-feed --occupancy-history WEEKS``).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from chargers.errors import OccupancyError
from chargers.models import Location
from chargers.occupancy import (
    OccupancyLearner,
    StationHistory,
    StationInfo,
    Window,
    catalog,
    encode_model,
    ocpi_changes,
    simulate,
)
from chargers.occupancy.model import OccupancyModel
from chargers.occupancy.window import zone
from sync.protocol.bodies import StatusChange

__all__ = ["LearnReport", "OccupancyService", "history_window", "simulated_history", "trimmed"]

log = logging.getLogger("sync.occupancy")
WEEK_S = 7 * 86400


@dataclass(frozen=True)
class LearnReport:
    """One model learned: its bytes, what it was learned from, and what it cost."""

    model: OccupancyModel
    data: bytes
    stations: int
    changes: int  # status changes the learner holds
    rejected: dict[str, int]  # by reason, since the start
    learn_s: float

    @property
    def bytes_per_station(self) -> float:
        return len(self.data) / max(1, self.stations)


def history_window(end: datetime, weeks: float, ahead_days: float = 0.0, tz: str = "Asia/Shanghai") -> Window:
    """Whole local days: ``weeks`` before the local day of ``end``, that day, and ``ahead_days`` more."""
    day = end.astimezone(zone(tz)).date()
    back = round(weeks * 7)
    return Window.local_days(day - timedelta(days=back), back + 1 + math.ceil(ahead_days), tz)


def simulated_history(stations: Iterable[StationInfo], window: Window, seed: int) -> Iterator[StationHistory]:
    """The realistic simulator's history of ``stations`` over ``window`` (deterministic for ``seed``)."""
    return simulate(stations, window, seed=seed)


class OccupancyService:
    """The operator's learner over one window of history, fed by the publisher's status stream."""

    def __init__(self, locations: Iterable[Location], window: Window, *, train_weeks: float = 8.0) -> None:
        self.catalog: dict[str, StationInfo] = catalog(locations)
        self.window = window
        self.train_weeks = train_weeks
        self.learner = OccupancyLearner(self.catalog.values(), window)
        self._inbox: list[list[StatusChange]] = []
        self._gaps: list[tuple[datetime, datetime]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.last: LearnReport | None = None
        self.learned_at: float | None = None

    # ------------------------------------------------------------ input (any thread)

    def offer(self, changes: list[StatusChange]) -> None:
        """A batch of partner status changes (the publisher's status listener): queued, cheap."""
        with self._lock:
            self._inbox.append(changes)

    def gap(self, start: datetime, end: datetime) -> None:
        """The receiver was blind from ``start`` to ``end`` (disconnected from the partners): that
        time counts neither as free nor as full. Raises ``OccupancyError`` for an empty or naive interval."""
        if start.tzinfo is None or end.tzinfo is None or end <= start:
            raise OccupancyError(f"a gap is an aware interval that ends after it starts: {start} → {end}")
        with self._lock:
            self._gaps.append((start, end))

    def add(self, changes: Iterable[StatusChange]) -> int:
        """Changes straight into the learner (before the learning thread starts); returns those kept."""
        return self.learner.add_all(changes)

    def add_history(self, histories: Iterable[StationHistory], until_s: float | None = None) -> int:
        """Simulated (or archived) histories, up to ``until_s`` (UTC epoch seconds); returns the
        changes kept. Called before the live stream starts, or from the learning thread."""
        end = None if until_s is None else until_s - self.window.start_s
        kept = 0
        for h in histories:
            kept += self.learner.add_all(ocpi_changes(h, 0.0, end))
        return kept

    # ------------------------------------------------------------ learning (one thread)

    def _drain(self) -> None:
        with self._lock:
            inbox, self._inbox = self._inbox, []
            gaps, self._gaps = self._gaps, []
        for batch in inbox:
            self.learner.add_all(batch)
        for a, b in gaps:
            self.learner.add_gap(a, b)

    def learn(self, now: datetime) -> LearnReport:
        """Take what arrived, learn from the ``train_weeks`` before ``now``, encode."""
        t0 = time.perf_counter()
        self._drain()
        start = max(datetime.fromtimestamp(self.window.start_s, UTC), now - timedelta(weeks=self.train_weeks))
        model = self.learner.learn(train=(start, now))
        data = encode_model(model)
        report = LearnReport(
            model,
            data,
            len(model.stations),
            self.learner.accepted,
            dict(self.learner.rejected),
            time.perf_counter() - t0,
        )
        self.last, self.learned_at = report, now.timestamp()
        log.info(
            "occupancy model learned in %.1f s: %d stations, %d bytes (%.0f per station), %d changes",
            report.learn_s,
            report.stations,
            len(data),
            report.bytes_per_station,
            report.changes,
        )
        return report

    def due(self, now_s: float, every_s: float) -> bool:
        return self.learned_at is None or now_s - self.learned_at >= every_s

    def start_thread(self, every_s: float, clock: Callable[[], float], publish: Callable[[LearnReport], None]) -> None:
        """Learn on a thread of its own whenever ``every_s`` of ``clock`` time has passed since the
        last model, and hand each model to ``publish``. A failure is logged; the next try comes."""

        def run() -> None:
            while not self._stop.wait(0.2):
                now_s = clock()
                if not self.due(now_s, every_s):
                    continue
                try:
                    publish(self.learn(datetime.fromtimestamp(now_s, UTC)))
                except Exception:
                    log.exception("learning or publishing the occupancy model failed")
                    self.learned_at = now_s

        self._thread = threading.Thread(target=run, name="occupancy-learn", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(300)


def trimmed(h: StationHistory, start_s: float) -> StationHistory:
    """``h`` with only its changes from ``start_s`` (seconds of its window) on, and no ground truth:
    what a replay of the live part needs, at a fraction of the memory."""
    changes = h.changes[bisect_left(h.changes, int(start_s) << 12) :]
    empty = array("d")
    return replace(
        h, changes=array("q", changes), arrival_s=empty, start_s=empty, release_s=empty, evse=b"", balked_s=empty
    )
