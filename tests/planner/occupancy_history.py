"""Occupancy models for the planner's tests, learned by the real :class:`OccupancyLearner` from
status histories written here as the OCPI stream a partner sends: chosen so that a test knows
which station is full when (``crafted_model``), or realistic (``simulated_model``, the
simulator's). Pure and deterministic: no clock, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from chargers.occupancy import (
    OccupancyLearner,
    OccupancyModel,
    Place,
    StationInfo,
    Window,
    catalog,
    encode_model,
    ocpi_changes,
    simulate,
)
from chargers.store import ChargerStore
from chargers.store.occupancy import OccupancyBlob
from geo.geometry import LatLon

SHANGHAI_OFFSET = timedelta(hours=8)
#: Three weeks of history (Monday 2026-10-12 … Sunday 11-01; no holiday inside).
FIRST_DAY = date(2026, 10, 12)
DAYS = 21


@dataclass(frozen=True)
class Crafted:
    """A station's history: every EVSE taken during ``busy_hours`` (local) each day; the first
    ``broken`` EVSEs out of order all along; every ``down_every``-th day the whole station out of
    order from midnight to ``down_hours``."""

    id: str
    busy_hours: tuple[int, ...] = ()
    evses: int = 4
    network: str = "NIO"
    place: Place = Place.HIGHWAY
    broken: int = 0
    down_every: int = 0
    down_hours: int = 12

    def info(self) -> StationInfo:
        return StationInfo(self.id, self.network, self.place, tuple(f"{self.id}*{k}" for k in range(self.evses)))


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _changes(st: Crafted, first_day: date, days: int) -> Iterable[tuple[str, str, str]]:
    midnight0 = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC) - SHANGHAI_OFFSET
    for k, uid in enumerate(st.info().evse_uids):
        if k < st.broken:
            yield uid, "OUTOFORDER", _iso(midnight0 + timedelta(seconds=1))
            continue
        yield uid, "AVAILABLE", _iso(midnight0 + timedelta(seconds=1))
        for d in range(days):
            day0 = midnight0 + timedelta(days=d)
            if st.down_every and d % st.down_every == 0:
                yield uid, "OUTOFORDER", _iso(day0 + timedelta(seconds=2))
                yield uid, "AVAILABLE", _iso(day0 + timedelta(hours=st.down_hours))
            for h in st.busy_hours:
                if st.down_every and d % st.down_every == 0 and h < st.down_hours:
                    continue
                # One session per hour (a queue: the next car plugs in a minute later).
                yield uid, "CHARGING", _iso(day0 + timedelta(hours=h, seconds=5 + k))
                yield uid, "AVAILABLE", _iso(day0 + timedelta(hours=h + 1, seconds=-60 + k))


def crafted_model(stations: Sequence[Crafted], first_day: date = FIRST_DAY, days: int = DAYS) -> OccupancyModel:
    window = Window.local_days(first_day, days)
    learner = OccupancyLearner([s.info() for s in stations], window)
    for s in stations:
        kept = learner.add_all(_changes(s, first_day, days))
        assert kept > 0, s
    assert not learner.rejected, learner.rejected
    return learner.learn()


def simulated_model(stations: Sequence[StationInfo], first_day: date = FIRST_DAY, days: int = DAYS) -> OccupancyModel:
    """A model learned from the realistic simulator's history of ``stations``."""
    window = Window.local_days(first_day, days)
    learner = OccupancyLearner(stations, window)
    for h in simulate(stations, window, seed=7):
        learner.add_all(ocpi_changes(h))  # the stream partners send
    return learner.learn()


def store_crafted_model(
    db: str | object, points: Sequence[LatLon], busy_hours: tuple[int, ...], *, broken: int = 0
) -> OccupancyModel:
    """Learn a model in which every station near ``points`` is full during ``busy_hours`` each day
    (and, with four or more EVSEs, has ``broken`` of them always out of order), and keep it in the
    cache at ``db`` as the sync would (``set_occupancy_model``)."""
    from ivi.planner.sources import route_candidates

    with ChargerStore.open(db, seed=False) as store:  # type: ignore[arg-type]
        now = datetime(2026, 11, 1, tzinfo=UTC)
        ids = sorted({c.location_id for c in route_candidates(store, points, now)})
        infos = catalog(loc for loc in (store.location(i) for i in ids) if loc is not None)
        crafted = [
            Crafted(i.id, busy_hours, i.evse_count, i.network, i.place, broken=broken if i.evse_count >= 4 else 0)
            for i in infos.values()
        ]
        model = crafted_model(crafted)
        assert store.set_occupancy_model(OccupancyBlob(1, model.created_s, encode_model(model)))
        assert store.occupancy_model() is not None
    return model
