"""How long a wait runs when a station is full, learned from the status stream alone.

The feed shows no queue, only that every EVSE is taken; a queued car pulls in within minutes of
the previous one leaving, so a spell of congestion is the time the station is full with free
moments shorter than :data:`~chargers.occupancy.observe.MERGE_FREE_S` bridged. A car arriving
at a random instant of a spell of length L waits on average L/2 until it ends, and arrivals fall
into long spells more often, so the mean wait of a car that finds the station full is
``Σ L² / (2 Σ L)`` over the spells. It grows with congestion, so each group keeps it per
congestion class (the hour's P(full)), once for ordinary days and once for holidays (holiday
queues run for hours at a congestion an ordinary Friday evening also reaches in minutes); a
station keeps a factor against its group, shrunk towards 1 until it has hours of congestion of
its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chargers.occupancy.calendar import REGULAR_BINS
from chargers.occupancy.model import WAIT_CLASS_EDGES, GroupModel, StationModel, p_full_in, wait_class
from chargers.occupancy.places import Place

__all__ = ["DEFAULT_WAIT_MIN", "group_waits", "station_wait_factor"]

#: When nothing was ever seen full (the planner's old fixed guess for a full station).
DEFAULT_WAIT_MIN = 15.0
CLASSES = len(WAIT_CLASS_EDGES) + 1
Spells = Sequence[tuple[int, float]]  # (bin of the spell's start, length s)


def _curve(l1: list[float], l2: list[float], *fallbacks: tuple[float, ...] | None) -> tuple[float, ...]:
    """The wait per congestion class; with no spells at all, the first fallback there is."""
    raw: list[float | None] = [l2[c] / (2 * l1[c]) / 60.0 if l1[c] > 0 else None for c in range(CLASSES)]
    if all(v is None for v in raw):
        return next((f for f in fallbacks if f is not None), (DEFAULT_WAIT_MIN,) * CLASSES)
    out: list[float] = []
    for c in range(CLASSES):  # an empty class takes its nearest neighbour's value
        if raw[c] is not None:
            out.append(raw[c])  # type: ignore[arg-type]
        else:
            near = min((abs(c - d), v) for d, v in enumerate(raw) if v is not None)
            out.append(near[1])
    for c in range(1, CLASSES):  # busier hours never wait less
        out[c] = max(out[c], out[c - 1])
    return tuple(round(v, 2) for v in out)


def _sums() -> tuple[list[float], list[float]]:
    return [0.0] * CLASSES, [0.0] * CLASSES


def group_waits(groups: Sequence[GroupModel], stations: Sequence[tuple[int, StationModel, Spells]]) -> list[GroupModel]:
    """Each group with its wait curves (ordinary days, holidays), from the spells of its stations."""
    sums = {(i, hol): _sums() for i in range(len(groups)) for hol in (False, True)}
    place_sums = {(p, hol): _sums() for p in Place for hol in (False, True)}
    for gi, m, spells in stations:
        g = groups[gi]
        for b, length in spells:
            holiday = b >= REGULAR_BINS
            c = wait_class(p_full_in(g, m, b))
            for l1, l2 in (sums[gi, holiday], place_sums[g.place, holiday]):
                l1[c] += length
                l2[c] += length * length
    place = {key: _curve(*v, None) if any(v[0]) else None for key, v in place_sums.items()}
    out = []
    for i, g in enumerate(groups):
        regular = _curve(*sums[i, False], place[g.place, False])
        on_holidays = _curve(*sums[i, True], place[g.place, True], regular)
        out.append(replace(g, wait_min=regular, holiday_wait_min=on_holidays))
    return out


def station_wait_factor(group: GroupModel, m: StationModel, spells: Spells, prior_s: float) -> float:
    """The station's waits against its group's at the same congestion, shrunk towards 1."""
    if not spells:
        return 1.0
    total = sum(length for _, length in spells)
    own = sum(length * length for _, length in spells) / 2.0 / 60.0  # Σ L·(L/2), minutes × s
    expected = sum(length * group.wait_curve(b)[wait_class(p_full_in(group, m, b))] for b, length in spells)
    if expected <= 0:
        return 1.0
    return round((own + prior_s * expected / total) / (expected + prior_s * expected / total), 3)
