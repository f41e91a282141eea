"""From one station's status changes to what was observed: per hour, how long the station was
full, down, or observed at all; its state at every quarter hour; its spells of congestion; and each
EVSE's outages. The learner and the benchmark's ground truth both read histories through here.

At each instant the station is, from its EVSEs' statuses (:mod:`chargers.occupancy.events`):

* ``FREE`` — at least one working EVSE is available;
* ``FULL`` — none available, at least one working and busy (every working EVSE is taken);
* ``DOWN`` — every EVSE out of order (the stop fails);
* ``UNKNOWN`` — not observed: before an EVSE's first status, while one reports ``UNKNOWN`` and
  none is free, inside a *blind* interval (the receiver was disconnected, or the time is outside
  what is being learned), or a busy status held implausibly long (its end was lost).

Unknown time counts neither way, so a gap in the stream does not bias an estimate: every estimate
is a share of *observed* time, and when the receiver was blind does not depend on whether the
station was full. After a disconnection the receiver re-pulls what changed (OCPI ``date_from``),
so each EVSE's state is known again from the end of the gap.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil

from chargers.occupancy.events import BUSY, CLASS_OF_CODE, DOWN, FREE, GONE, UNKNOWN, UNSEEN, pack

__all__ = ["QUARTER_S", "S_DOWN", "S_FREE", "S_FULL", "S_UNKNOWN", "EvseStats", "Observation", "observe", "tidy"]

S_FREE, S_FULL, S_DOWN, S_UNKNOWN = range(4)
QUARTER_S = 900
#: A queued car pulls in within one to three minutes of the previous one leaving (the simulator's plug
#: delay; an assumption): a free moment shorter than this does not end a spell of congestion.
MERGE_FREE_S = 120


@dataclass
class EvseStats:
    """One EVSE's reliability over the observed time."""

    seen_s: float = 0.0  # known time (working or not)
    down_s: float = 0.0
    onsets: int = 0  # faults seen to begin
    recent_onsets: int = 0
    recent_seen_s: float = 0.0
    repairs: int = 0  # outages seen from start to end
    repair_s: float = 0.0
    open_down_s: float = 0.0  # an outage still going on when the window ends


@dataclass
class Observation:
    hours: int
    full_s: array = field(repr=False)  # array('f') per hour
    down_s: array = field(repr=False)
    seen_s: array = field(repr=False)
    quarters: bytearray = field(repr=False)  # state at each quarter-hour mark
    spells: list[tuple[float, float]] = field(repr=False)  # merged FULL spells: (start_s, length_s)
    evses: list[EvseStats] = field(repr=False)

    def fraction_full(self, hour: int) -> float | None:
        seen = self.seen_s[hour]
        return self.full_s[hour] / seen if seen > 0 else None


def tidy(changes: Sequence[int]) -> list[int]:
    """Sorted and de-duplicated: the same list whatever the order or repetition of arrival."""
    return sorted(set(changes))


def _stale_holds(changes: list[int], n_evses: int, end_s: int, max_busy_s: int) -> list[int]:
    """An ``UNKNOWN`` wherever a busy status lasted longer than any session can (its end was lost)."""
    last_t = [-1] * n_evses
    last_busy = [False] * n_evses
    extra = []
    for v in changes:
        t, k = v >> 12, (v >> 4) & 0xFF
        if k >= n_evses:
            continue
        if last_busy[k] and t - last_t[k] > max_busy_s:
            extra.append(pack(last_t[k] + max_busy_s, k, UNKNOWN))
        last_t[k], last_busy[k] = t, CLASS_OF_CODE[v & 0xF] == BUSY
    for k in range(n_evses):
        if last_busy[k] and end_s - last_t[k] > max_busy_s:
            extra.append(pack(last_t[k] + max_busy_s, k, UNKNOWN))
    return sorted(changes + extra) if extra else changes


def _merge(blind: Sequence[tuple[float, float]], end_s: int) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(blind):
        s, e = max(0.0, s), min(float(end_s), e)
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def observe(
    changes: Sequence[int],
    n_evses: int,
    hours: int,
    *,
    blind: Sequence[tuple[float, float]] = (),
    max_busy_s: int = 6 * 3600,
    recent_from_s: float = 0.0,
) -> Observation:
    """Sweep one station's ``changes`` (packed; any order, duplicates allowed) over ``hours`` hours."""
    end_s = hours * 3600
    seq = _stale_holds(tidy(changes), n_evses, end_s, max_busy_s)
    # Blind intervals become two marks in the sweep: seen time stops at the first, resumes at the second.
    marks = [m for s, e in _merge(blind, end_s) for m in ((s, True), (e, False))]
    full, down, seen = array("f", bytes(4 * hours)), array("f", bytes(4 * hours)), array("f", bytes(4 * hours))
    quarters = bytearray([S_UNKNOWN]) * (end_s // QUARTER_S + 1)
    spells: list[tuple[float, float]] = []
    spell = [-1.0, -1.0]  # the open spell: start, end of its last FULL moment

    def add(a: float, b: float, state: int) -> None:
        q0, q1 = ceil(a / QUARTER_S), ceil(b / QUARTER_S)
        if q1 > q0:
            quarters[q0:q1] = bytes([state]) * (q1 - q0)
        if state in (S_UNKNOWN, S_DOWN):
            if spell[0] >= 0:
                spells.append((spell[0], spell[1] - spell[0]))
                spell[0] = -1.0
            if state == S_UNKNOWN:
                return
        elif state == S_FULL:
            if spell[0] >= 0 and a - spell[1] <= MERGE_FREE_S:
                spell[1] = b
            else:
                if spell[0] >= 0:
                    spells.append((spell[0], spell[1] - spell[0]))
                spell[0], spell[1] = a, b
        while a < b:
            h = int(a // 3600)
            e = min(b, h * 3600 + 3600)
            seen[h] += e - a
            if state == S_FULL:
                full[h] += e - a
            elif state == S_DOWN:
                down[h] += e - a
            a = e

    counts = [0, 0, 0, n_evses, 0]
    cls = [UNSEEN] * n_evses
    since = [0.0] * n_evses
    down_since = [-1.0] * n_evses
    evses = [EvseStats() for _ in range(n_evses)]
    recent_from = recent_from_s
    blind_now = False

    def station_state() -> int:
        if blind_now:
            return S_UNKNOWN
        if counts[FREE]:
            return S_FREE
        if counts[UNSEEN]:
            return S_UNKNOWN
        if counts[BUSY]:
            return S_FULL
        return S_DOWN if counts[DOWN] else S_UNKNOWN

    def close_evse(k: int, t: float) -> None:
        """Count EVSE ``k``'s time since its last change (never across a blind interval)."""
        c, a = cls[k], since[k]
        since[k] = t
        if blind_now or c in (UNSEEN, GONE) or t <= a:
            return
        st = evses[k]
        st.seen_s += t - a
        if c == DOWN:
            st.down_s += t - a
        if t > recent_from:
            st.recent_seen_s += t - max(a, recent_from)

    t_prev, state, mark = 0.0, station_state(), 0

    def pass_marks(until: float) -> None:
        """Enter or leave blind intervals up to ``until``."""
        nonlocal t_prev, state, mark, blind_now
        while mark < len(marks) and marks[mark][0] <= until:
            at, starts = marks[mark]
            mark += 1
            if at > t_prev:
                add(t_prev, at, state)
                t_prev = at
            for j in range(n_evses):
                close_evse(j, at)
            blind_now = starts
            state = station_state()

    for v in seq:
        t, k, code = v >> 12, (v >> 4) & 0xFF, v & 0xF
        if k >= n_evses or t >= end_s:
            continue
        if mark < len(marks) and marks[mark][0] <= t:
            pass_marks(t)
        if t > t_prev:
            add(t_prev, t, state)
            t_prev = t
        new = CLASS_OF_CODE[code]
        old = cls[k]
        if new == old:
            continue
        close_evse(k, t)
        st = evses[k]
        if new == DOWN and old in (FREE, BUSY):
            st.onsets += 1
            if t >= recent_from:
                st.recent_onsets += 1
            down_since[k] = t
        elif new in (FREE, BUSY) and down_since[k] >= 0:
            st.repairs += 1
            st.repair_s += t - down_since[k]
            down_since[k] = -1.0
        counts[old] -= 1
        counts[new] += 1
        cls[k] = new
        state = station_state()
    pass_marks(end_s)
    add(t_prev, end_s, state)
    if spell[0] >= 0:
        spells.append((spell[0], spell[1] - spell[0]))
    for k in range(n_evses):
        close_evse(k, end_s)
        if down_since[k] >= 0:
            evses[k].open_down_s = end_s - down_since[k]
    return Observation(hours, full, down, seen, quarters, spells, evses)
