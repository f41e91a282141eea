"""How fast a live status fades into the prediction: the half-life, and how it is learned.

A station that is full now is likely full in ten minutes and tells little about tomorrow. Seen as
a two-state Markov chain (full / not full) whose long-run share at each hour is the history
model's P(full), the chance of "full at t + τ" given "full at t" is ``p + (1 − p)·e^(−τ/θ)``
and given "free at t" is ``p − p·e^(−τ/θ)``: in both cases

    P(full at t + τ) = w(τ)·live + (1 − w(τ))·p,    w(τ) = 2^(−τ / half-life)

— the live status overrides the prediction for the near future and blends back into it. The
half-life (θ·ln 2) is what the data says: for leads of 15 minutes to 8 hours the learner collects,
per kind of place, the sums that make the Brier score of the blend a quadratic in w at each
lead, and picks the half-life whose w(τ) minimises their total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chargers.occupancy.observe import QUARTER_S, S_FULL, S_UNKNOWN, Observation

if TYPE_CHECKING:
    from chargers.occupancy.model import OccupancyModel, StationModel

__all__ = ["DEFAULT_HALF_LIFE_MIN", "LEADS_MIN", "LeadSums", "fit_half_life", "hour_weight", "weight"]

LEADS_MIN = (15, 30, 60, 120, 240, 480)
#: Used when there is nothing to learn it from: about the length of one charging session.
DEFAULT_HALF_LIFE_MIN = 30.0
_CANDIDATES = tuple(3.0 * 1.12**i for i in range(50))  # 3 min … ~780 min


def weight(lead_s: float, half_life_min: float) -> float:
    """How much of a live status still counts ``lead_s`` after it was observed."""
    return 2.0 ** (-max(0.0, lead_s) / (half_life_min * 60.0))


def hour_weight(lead_s: float, half_life_min: float, span_s: float = 3600.0) -> float:
    """The mean of :func:`weight` over ``[lead_s, lead_s + span_s]`` (a forecast for a whole hour)."""
    k = math.log(2) / (half_life_min * 60.0)
    a = max(0.0, lead_s)
    return (math.exp(-k * a) - math.exp(-k * (a + span_s))) / (k * span_s)


@dataclass
class LeadSums:
    """Per lead: Σ(live − p)² and Σ(live − p)(outcome − p) over forecasts made at that lead."""

    xx: list[float] = field(default_factory=lambda: [0.0] * len(LEADS_MIN))
    xy: list[float] = field(default_factory=lambda: [0.0] * len(LEADS_MIN))
    count: int = 0

    def add(
        self, obs: Observation, bins: Sequence[int], model: OccupancyModel, station: StationModel, t0: float, t1: float
    ) -> None:
        """Every hour of ``obs`` inside ``[t0, t1)`` that was mostly observed, forecast from each lead."""
        quarters = obs.quarters
        for h in range(obs.hours):
            start = h * 3600
            if start < t0 or start + 3600 > t1 or obs.seen_s[h] < 1800:
                continue
            p = model.p_full(station, bins[h])
            y = obs.full_s[h] / obs.seen_s[h]
            for i, lead in enumerate(LEADS_MIN):
                at = start - lead * 60
                if at < t0:
                    continue
                state = quarters[at // QUARTER_S]
                if state == S_UNKNOWN:
                    continue
                d = (1.0 if state == S_FULL else 0.0) - p
                self.xx[i] += d * d
                self.xy[i] += d * (y - p)
                self.count += 1


def fit_half_life(sums: LeadSums) -> float:
    """The half-life (minutes) whose hour-averaged weights minimise the Brier score of the blend."""
    if not sums.count:
        return DEFAULT_HALF_LIFE_MIN

    def loss(h: float) -> float:
        total = 0.0
        for i, lead in enumerate(LEADS_MIN):
            w = hour_weight(lead * 60.0, h)
            total += w * w * sums.xx[i] - 2.0 * w * sums.xy[i]
        return total

    best: float = min(_CANDIDATES, key=loss)
    return round(best, 1)
