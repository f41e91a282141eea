"""What the partners send, and what the operator's receiver gets of it.

* :func:`ocpi_changes` — one station's history as OCPI status changes ``(uid, status, last_updated)``;
* :func:`live_stream` — every station's changes merged in time order over a span: what a partner's
  push feed carries (phase 2 replays it through ``ivi-sync status-feed`` instead of random changes);
* :func:`after_outages` — what a receiver that was disconnected during some intervals holds:
  the changes made while it was away are lost, except each EVSE's latest one, which the OCPI
  re-pull on reconnection (``GET …/locations?date_from=<start of the outage>``) returns with its
  own ``last_updated``. Tests and the benchmark use it to show that declared gaps bias nothing;
* :func:`receiver_outages` — a receiver's disconnections over a span, for those tests.
"""

from __future__ import annotations

import heapq
import random
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

from chargers.occupancy.events import STATUS_OF_CODE, IsoClock
from chargers.occupancy.simulate import StationHistory

__all__ = ["after_outages", "live_stream", "ocpi_changes", "receiver_outages"]

OcpiChange = tuple[str, str, str]
_CLOCK = IsoClock()


def ocpi_changes(
    history: StationHistory, start_s: float = 0.0, end_s: float | None = None, changes: array | None = None
) -> Iterator[OcpiChange]:
    """The station's changes (or ``changes``, packed, of the same station) as the partner sends them,
    in time order, for changes in ``[start_s, end_s)`` seconds of the window."""
    clock, base, uids = _CLOCK, history.window.start_s, history.info.evse_uids
    packed = history.changes if changes is None else changes
    hi = (int(end_s) << 12) if end_s is not None else None
    for v in packed[bisect_left(packed, int(start_s) << 12) :]:
        if hi is not None and v >= hi:
            break
        yield uids[(v >> 4) & 0xFF], STATUS_OF_CODE[v & 0xF], clock(base + (v >> 12))


def live_stream(histories: Iterable[StationHistory], start_s: float, end_s: float) -> Iterator[OcpiChange]:
    """Every station's changes in ``[start_s, end_s)``, merged in time order (ties by uid)."""
    streams = [ocpi_changes(h, start_s, end_s) for h in histories]
    return heapq.merge(*streams, key=lambda c: (c[2], c[0]))


def after_outages(history: StationHistory, outages: Sequence[tuple[float, float]]) -> array:
    """The packed changes a receiver holds after being away during ``outages`` (seconds of the
    window), having re-pulled what changed on each reconnection."""
    kept = array("q")
    windows = sorted(outages)
    latest: dict[int, int] = {}  # per EVSE, its last change inside the current outage
    w = 0
    for v in history.changes:
        t = v >> 12
        while w < len(windows) and t >= windows[w][1]:
            kept.extend(latest.values())
            latest.clear()
            w += 1
        if w < len(windows) and windows[w][0] <= t < windows[w][1]:
            latest[(v >> 4) & 0xFF] = v
        else:
            kept.append(v)
    kept.extend(latest.values())
    return array("q", sorted(kept))


def receiver_outages(
    span_s: float, rng: random.Random, mean_between_h: float = 30.0, length_h: tuple[float, float] = (1.0, 6.0)
) -> list[tuple[float, float]]:
    """Disconnections of a receiver over ``[0, span_s)``: exponential waits (mean ``mean_between_h``)
    between outages of uniform length in ``length_h`` hours, none running past the span."""
    outages: list[tuple[float, float]] = []
    t = 0.0
    while True:
        t += rng.expovariate(1 / (mean_between_h * 3600))
        length = rng.uniform(*length_h) * 3600
        if t + length >= span_s:
            return outages
        outages.append((t, t + length))
        t += length
