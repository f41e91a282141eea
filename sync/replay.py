"""The realistic partner status stream, replayed: what ``ivi-sync status-feed`` publishes.

The history comes from ``chargers.occupancy.simulate`` (arrivals, queues, sessions, faults and
repairs per EVSE, daily and weekly patterns by kind of place, holidays; assumptions and sources in
docs/data.md), for every station of the published dataset, over whole local days: ``history_weeks``
before the day of ``start`` (the operator's training history, handed to an
:class:`~sync.occupancy.OccupancyService` if one is given) and ``days`` from it on (the live part).
:meth:`StatusReplay.initial` is every EVSE's status at ``start``; :meth:`StatusReplay.until` the
changes up to a simulated instant, in time order. The caller maps wall-clock time to simulated
time (real time, or ``--speed N`` times faster). Same dataset, seed and start: the same stream.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import datetime

from chargers.models import Location
from chargers.occupancy import Window, catalog, live_stream, ocpi_changes, simulate
from chargers.occupancy.events import IsoClock
from sync.errors import SyncError
from sync.occupancy import OccupancyService, history_window, trimmed
from sync.protocol.bodies import StatusChange

__all__ = ["StatusReplay"]

log = logging.getLogger("sync.replay")


class StatusReplay:
    """One simulated span of partner statuses, consumed in time order."""

    def __init__(
        self,
        locations: Iterable[Location],
        start: datetime,
        *,
        days: float = 1.0,
        seed: int = 1,
        history_weeks: float = 0.0,
        learner: OccupancyService | None = None,
    ) -> None:
        t0 = time.perf_counter()
        locations = list(locations)
        self.window: Window = learner.window if learner else history_window(start, history_weeks, days)
        self.start_s = start.timestamp()
        rel = self.start_s - self.window.start_s
        if not 0 <= rel < self.window.seconds:
            raise SyncError(f"{start} is outside the simulated window")
        infos = catalog(locations)
        self.evses = sum(i.evse_count for i in infos.values())
        live, initial = [], {}
        history_changes = 0
        for h in simulate(infos.values(), self.window, seed=seed):
            before = list(ocpi_changes(h, 0.0, rel))
            history_changes += len(before)
            if learner is not None:
                learner.add(before)
            for uid, status, ts in before:
                initial[uid] = (uid, status, ts)
            live.append(trimmed(h, rel))
        self._initial = sorted(initial.values())
        self._stream: Iterator[StatusChange] = live_stream(live, rel, self.window.seconds)
        self._next: StatusChange | None = next(self._stream, None)
        self._clock = IsoClock()
        self.sent = 0
        log.info(
            "simulated %d stations (%d EVSEs) over %d h in %.1f s: %d changes before the start",
            len(infos),
            self.evses,
            self.window.hours,
            time.perf_counter() - t0,
            history_changes,
        )

    def initial(self) -> list[StatusChange]:
        """Every EVSE's last status before the start (what a partner's full pull returns)."""
        return list(self._initial)

    @property
    def end_s(self) -> float:
        return float(self.window.end_s)

    @property
    def done(self) -> bool:
        return self._next is None

    def until(self, sim_s: float, limit: int | None = None) -> list[StatusChange]:
        """The changes stamped at or before ``sim_s`` (UTC epoch seconds), at most ``limit``."""
        stamp = self._clock(int(sim_s))
        out: list[StatusChange] = []
        nxt, stream = self._next, self._stream
        while nxt is not None and nxt[2] <= stamp and (limit is None or len(out) < limit):
            out.append(nxt)
            nxt = next(stream, None)
        self._next = nxt
        self.sent += len(out)
        return out
