"""Scoring forecasts of "the station is full", per station-hour, and the baselines they must beat.

The outcome of a station-hour is the share ``y`` of its observed time the station was full. A car
arriving at a uniformly random instant of the hour finds it full with probability ``y``, so the
*expected* scores of a forecast ``p`` over that arrival are

    Brier    = (p − y)² + y·(1 − y)
    log loss = −(y·ln p + (1 − y)·ln(1 − p))      (p clipped to [0.001, 0.999])

— exactly what sampling one arrival per hour would give on average, without its noise. A forecast
for an hour starting at H is made at H − lead, when the station's state was last seen.

Baselines (measured in the same run as the model):

* ``always free`` — p = 0;
* ``last known status persists`` — p = 1 if the station was full at the last quarter-hour mark at
  or before H − lead where its state was known, else 0 (down counts as not full; never seen: 0);
* ``station average`` — p = the share of the station's observed training time it was full.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from chargers.occupancy.observe import QUARTER_S, S_FULL, S_UNKNOWN

__all__ = ["CLIP", "Score", "brier", "last_known_full", "log_loss"]

CLIP = 1e-3


def brier(p: float, y: float) -> float:
    return (p - y) ** 2 + y * (1 - y)


def log_loss(p: float, y: float) -> float:
    p = min(1 - CLIP, max(CLIP, p))
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


@dataclass
class Score:
    """Running means of both scores."""

    n: int = 0
    brier_sum: float = 0.0
    log_sum: float = 0.0

    def add(self, p: float, y: float) -> None:
        self.n += 1
        self.brier_sum += brier(p, y)
        self.log_sum += log_loss(p, y)

    def merge(self, other: Score) -> None:
        self.n += other.n
        self.brier_sum += other.brier_sum
        self.log_sum += other.log_sum

    @property
    def brier(self) -> float:
        return self.brier_sum / self.n if self.n else math.nan

    @property
    def log_loss(self) -> float:
        return self.log_sum / self.n if self.n else math.nan


def last_known_full(quarters: Sequence[int], at_s: float) -> float:
    """1.0 if the last known state at or before ``at_s`` was full, else 0.0 (see the module doc)."""
    q = int(at_s // QUARTER_S)
    while q >= 0:
        state = quarters[q]
        if state != S_UNKNOWN:
            return 1.0 if state == S_FULL else 0.0
        q -= 1
    return 0.0
