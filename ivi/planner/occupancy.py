"""Predicted occupancy and reliability in plans and suggestions: the wait a stop is expected to
cost at the car's predicted arrival, and what its failing would cost.

A stop's cost gains two terms (docs/planner.md, "Occupancy and reliability"):

* the **expected wait** at the predicted arrival, from :func:`chargers.occupancy.predict` — the
  learned hour-of-week profile, with the cache's live status blended in while it is fresh (it
  fades into the history with the half-life the operator learned);
* the **reliability cost** ``p_fail × fallback``: with probability ``p_fail`` no charger works
  and the car goes on to the next station it can reach on its reserve (its detour, stop overhead
  and expected wait; back along the route when none lies ahead; ``stranded_min`` when none at all).

Without a model (none synced yet) nothing changes: ``PlannerSettings.busy_wait_min`` when a
fresh status says every EVSE is taken, as before. A station the model does not know borrows its
peers' numbers (same network, kind of place and size) and says so in its reasons.

Pure: the model, the live statuses and the instant the statuses were read come in as
:class:`Occupancy`; ``ivi.planner.sources.occupancy_for`` builds it from the cache.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chargers.errors import OccupancyError
from chargers.occupancy import LiveStatus, OccupancyModel, Prediction, Reason, StationFlags, StationInfo, predict
from chargers.occupancy.places import place_from
from ivi.planner.model import Candidate

__all__ = ["LOOK_AHEAD", "Occupancy", "Outlook", "fallback_minutes", "live_of", "outlook_of", "peers_of"]

#: How many stations either way a failed stop's fallback is looked for among (the nearest few
#: are the ones that matter; at a million chargers a route has ~13,000 candidates).
LOOK_AHEAD = 8


@dataclass(frozen=True)
class Occupancy:
    """What the car knows of occupancy: the synced model, when the candidates' statuses were read
    (their ``status_age_min`` counts back from it) and, where the cache was asked, the EVSE-level
    live status (it tells a full station from one that is down)."""

    model: OccupancyModel
    now: datetime  # timezone-aware
    live: Mapping[str, LiveStatus] = field(default_factory=dict)
    at: datetime | None = None  # suggestions: where the car is in time, when not now (``ivi suggest --time``)


@dataclass(frozen=True)
class Outlook:
    """What a plan or a suggestion expects of a station at the car's arrival, and why."""

    arrival: datetime
    p_full: float
    p_fail: float
    expected_wait_min: float
    wait_if_full_min: float
    usually: str  # "full", "busy" or "free" at that hour (history alone)
    basis: str  # "live", "live+history", "history" or "peers"
    no_history: bool
    sparse: bool
    unreliable: bool
    often_down: int
    evse_count: int
    holiday: str | None
    reasons: tuple[Reason, ...]
    fallback_min: float = 0.0  # what the stop failing would cost (the next reachable station)
    #: Nearby stations the plan passed over for their occupancy or reliability: (id, name, why).
    instead_of: tuple[tuple[str, str, Reason], ...] = ()

    @property
    def reliability_min(self) -> float:
        return self.p_fail * self.fallback_min

    @property
    def cost_min(self) -> float:
        """What the plan adds to the stop: expected wait + P(fail) × fallback."""
        return self.expected_wait_min + self.reliability_min

    @classmethod
    def of(cls, p: Prediction, fallback_min: float = 0.0) -> Outlook:
        return cls(
            p.arrival,
            p.p_full,
            p.p_fail,
            p.expected_wait_min,
            p.wait_if_full_min,
            p.usually,
            p.basis,
            bool(p.flags & StationFlags.NO_HISTORY),
            bool(p.flags & StationFlags.SPARSE),
            bool(p.flags & StationFlags.UNRELIABLE),
            p.often_down,
            p.evse_count,
            p.holiday,
            p.reasons,
            fallback_min,
        )

    def with_fallback(self, fallback_min: float) -> Outlook:
        return Outlook(**{**self.__dict__, "fallback_min": fallback_min})

    def with_instead_of(self, instead_of: tuple[tuple[str, str, Reason], ...]) -> Outlook:
        return Outlook(**{**self.__dict__, "instead_of": instead_of})

    def main_reason(self) -> Reason | None:
        """What costs the most here: the live status, the usual occupancy or the reliability."""
        keys = ("reliability",) if self.reliability_min > self.expected_wait_min else ("live", "occupancy")
        return next((r for r in self.reasons if r.key in keys), self.reasons[0] if self.reasons else None)

    def to_json(self) -> dict[str, Any]:
        return {
            "arrival": self.arrival.isoformat(timespec="minutes"),
            "p_full": round(self.p_full, 3),
            "p_fail": round(self.p_fail, 4),
            "expected_wait_min": round(self.expected_wait_min, 1),
            "wait_if_full_min": round(self.wait_if_full_min, 1),
            "reliability_min": round(self.reliability_min, 1),
            "usually": self.usually,
            "basis": self.basis,
            "no_history": self.no_history,
            "sparse": self.sparse,
            "unreliable": self.unreliable,
            "often_down": self.often_down,
            "evse_count": self.evse_count,
            "holiday": self.holiday,
            "reasons": [{"key": r.key, "en": r.en, "zh": r.zh} for r in self.reasons],
            "instead_of": [
                {"location_id": i, "name": n, "why": {"en": r.en, "zh": r.zh}} for i, n, r in self.instead_of
            ],
        }


def peers_of(c: Candidate) -> StationInfo:
    """The candidate as the model sees a station it does not know: its peers are those of its
    network, kind of place and size."""
    place = place_from(c.name, c.name_en, c.power_kw)
    uids = tuple(f"{c.location_id}#{i}" for i in range(max(1, c.evse_count)))
    return StationInfo(c.location_id, c.network, place, uids, c.time_zone, c.power_kw)


def live_of(c: Candidate, occ: Occupancy) -> LiveStatus | None:
    """The candidate's live status: the EVSE-level one when the cache was asked, else from its
    counts (no EVSE free: taken — only the EVSE statuses tell taken from out of order)."""
    hit = occ.live.get(c.location_id)
    if hit is not None:
        return hit
    if c.status_age_min is None:
        return None
    free = max(0, c.available_count)
    return LiveStatus(free, max(0, c.evse_count - free), 0, occ.now - timedelta(minutes=c.status_age_min))


def outlook_of(c: Candidate, arrival: datetime, occ: Occupancy) -> Outlook | None:
    """The prediction at ``arrival``; None when the model has no peers for the station either."""
    model = occ.model
    peers = None if c.location_id in model.stations else peers_of(c)
    try:
        return Outlook.of(predict(model, c.location_id, arrival, live=live_of(c, occ), peers=peers))
    except OccupancyError:
        return None


def fallback_minutes(
    rows: Sequence[tuple[float, float, float, float]], reach_pct: float, overhead_min: float, stranded_min: float
) -> list[float]:
    """For each of ``rows`` = (route minutes, route energy %, round-trip detour minutes, expected
    wait) in route order: the minutes lost if that station fails — the cheapest of the next
    ``LOOK_AHEAD`` stations within ``reach_pct`` ahead (its detour, overhead and wait), else of
    those behind (the drive back and forth too), else ``stranded_min``."""
    n = len(rows)
    out = []
    for i, (t, e, _, _) in enumerate(rows):
        best = stranded_min
        for j in range(i + 1, min(n, i + 1 + LOOK_AHEAD)):
            tj, ej, dj, wj = rows[j]
            if ej - e > reach_pct:
                break
            best = min(best, dj + overhead_min + wj)
        if best >= stranded_min:
            for j in range(i - 1, max(-1, i - 1 - LOOK_AHEAD), -1):
                tj, ej, dj, wj = rows[j]
                if e - ej > reach_pct:
                    break
                best = min(best, 2 * (t - tj) + dj + overhead_min + wj)
        out.append(best)
    return out
