"""The operator learns: from the partners' status stream to an :class:`OccupancyModel`.

Pure code over plain data: status changes in (OCPI ``(uid, status, last_updated)`` triples, any
order, duplicates allowed), the receiver's disconnections as *gaps*, a model out. Bad records are
counted by reason in :attr:`OccupancyLearner.rejected`, never raised: one bad record costs one
record.

How a station's P(full) per hour of the week is estimated (docs/occupancy.md has the reasoning):

1. observed time only (:mod:`.observe`): gaps, time outside the training span and unknown
   statuses count neither as full nor as free;
2. peers first: every station of the same network, kind of place and size class pools its hours
   into a group profile, itself shrunk towards all stations of that place and size;
3. the station's own level: its mean P(full) against its group's gives an offset (in logits);
4. the station's own hours: each bin pools its neighbours (a 1-2-1 kernel) and is shrunk towards
   the group profile shifted by the offset, as if the prior were ``prior_hours`` of observation.

Holidays are too rare for one station's bins, so a station keeps one number for them (how much
busier it is on holidays than its offset says) and the group keeps the holiday profile by kind
of day. A station with no history is its group's; with little, mostly its group's; and it says so
(:class:`StationFlags`).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from chargers.errors import OccupancyError
from chargers.occupancy.calendar import BINS, HOLIDAY_BINS, REGULAR_BINS, HolidayKind
from chargers.occupancy.events import CODE_OF_STATUS, MAX_EVSES, parse_instant
from chargers.occupancy.halflife import LeadSums, fit_half_life
from chargers.occupancy.model import (
    EvseReliability,
    GroupModel,
    OccupancyModel,
    StationFlags,
    StationModel,
    logit,
    sigmoid,
)
from chargers.occupancy.observe import Observation, observe
from chargers.occupancy.places import Place, StationInfo
from chargers.occupancy.waits import group_waits, station_wait_factor
from chargers.occupancy.window import Window, hour_table

__all__ = ["LearnSettings", "OccupancyLearner"]

Interval = tuple[float, float]
#: Holiday kinds borrow these weekdays' hours until a holiday has been seen.
HOLIDAY_STAND_IN = {HolidayKind.EVE: 4, HolidayKind.FIRST: 5, HolidayKind.MIDDLE: 5, HolidayKind.LAST: 6}


@dataclass(frozen=True)
class LearnSettings:
    prior_hours: float = 8.0  # weight of the prior in each bin, in hours of observation (tuned: see docs)
    kernel: tuple[float, float, float] = (0.5, 1.0, 0.5)  # a station's bin pools its neighbours' hours
    mean_prior_hours: float = 48.0  # weight of the group mean in the station's offset
    group_prior_hours: float = 50.0  # weight of the place-and-size profile in a group's bins
    holiday_prior_hours: float = 24.0
    down_prior_hours: float = 48.0
    wait_prior_s: float = 7200.0  # full time before a station's own waits count as much as its group's
    sparse_hours: int = 14 * 24
    recent_days: int = 28
    max_busy_dc_s: int = 6 * 3600  # a busy status longer than this lost its end (DC sessions)
    max_busy_ac_s: int = 16 * 3600
    evse_often_down: float = 0.10  # an EVSE out of order this share of the time is "often out of order"
    unreliable_down: float = 0.02  # a station entirely down this share of the time is unreliable
    half_life_every: int = 8  # one station in this many feeds the half-life fit


@dataclass
class _Seen:
    """What pass 1 keeps of a station: bin sums, downtime, spells, EVSE statistics."""

    info: StationInfo
    full: list[float]
    seen: list[float]
    down_s: float
    evses: list[EvseReliability]
    spells: list[tuple[int, float]]  # (bin of the spell's start, length s)
    sample: Observation | None = None

    @property
    def seen_s(self) -> float:
        return sum(self.seen[:REGULAR_BINS])

    @property
    def total_seen_s(self) -> float:
        return sum(self.seen)


@dataclass
class _Pool:
    full: list[float] = field(default_factory=lambda: [0.0] * BINS)
    seen: list[float] = field(default_factory=lambda: [0.0] * BINS)
    down_s: float = 0.0
    stations: int = 0

    def add(self, s: _Seen) -> None:
        for b in range(BINS):
            self.full[b] += s.full[b]
            self.seen[b] += s.seen[b]
        self.down_s += s.down_s
        self.stations += 1


def _smooth_week(values: Sequence[float], kernel: tuple[float, float, float]) -> list[float]:
    n = REGULAR_BINS
    a, b, c = kernel
    return [a * values[(i - 1) % n] + b * values[i] + c * values[(i + 1) % n] for i in range(n)]


def _profile(
    pool: _Pool, prior: Sequence[float] | None, prior_hours: float, kernel: tuple[float, float, float]
) -> tuple[float, ...]:
    full, seen = _smooth_week(pool.full, kernel), _smooth_week(pool.seen, kernel)
    out = []
    for b in range(REGULAR_BINS):
        base = prior[b] if prior is not None else 0.0
        k = prior_hours if prior is not None else 1e-9
        out.append((full[b] / 3600 + k * base) / (seen[b] / 3600 + k) if seen[b] or prior is not None else 0.0)
    return tuple(out)


def _holiday(pool: _Pool, regular: Sequence[float], prior_hours: float) -> tuple[tuple[float, ...], bool]:
    out = []
    for kind in HolidayKind:
        for hour in range(24):
            b = REGULAR_BINS + kind * 24 + hour
            stand_in = regular[HOLIDAY_STAND_IN[kind] * 24 + hour]
            out.append((pool.full[b] / 3600 + prior_hours * stand_in) / (pool.seen[b] / 3600 + prior_hours))
    return tuple(out), sum(pool.seen[REGULAR_BINS:]) / 3600 >= 100


class OccupancyLearner:
    """Collects a window of status changes for known stations, then learns a model from them."""

    def __init__(self, stations: Iterable[StationInfo], window: Window) -> None:
        self.window = window
        self.stations = sorted(stations, key=lambda s: s.id)
        self._index = {s.id: i for i, s in enumerate(self.stations)}
        self._where: dict[str, int] = {}
        for si, info in enumerate(self.stations):
            if info.evse_count > MAX_EVSES:
                raise OccupancyError(
                    f"station {info.id} has {info.evse_count} EVSEs; at most {MAX_EVSES} are supported"
                )
            for ei, uid in enumerate(info.evse_uids):
                self._where[uid] = (si << 8) | ei
        self._changes = [array("q") for _ in self.stations]
        self._gaps: list[Interval] = []
        self.rejected: Counter[str] = Counter()
        self.accepted = 0

    # ------------------------------------------------------------------ the stream

    def add(self, uid: str, status: str, last_updated: str) -> bool:
        return self.add_all(((uid, status, last_updated),)) == 1

    def add_all(self, changes: Iterable[tuple[str, str, str]]) -> int:
        """Take status changes; returns how many were kept (the rest are counted in ``rejected``)."""
        where, codes, rejected = self._where, CODE_OF_STATUS, self.rejected
        start, seconds, store = self.window.start_s, self.window.seconds, self._changes
        kept = 0
        for uid, status, last_updated in changes:
            w = where.get(uid)
            if w is None:
                rejected["unknown EVSE"] += 1
                continue
            code = codes.get(status)
            if code is None:
                rejected["unknown status"] += 1
                continue
            t = parse_instant(last_updated)
            if t is None:
                rejected["unreadable time"] += 1
                continue
            rel = int(t) - start
            if rel < 0 or rel >= seconds:
                rejected["outside the window"] += 1
                continue
            store[w >> 8].append((rel << 12) | ((w & 0xFF) << 4) | code)
            kept += 1
        self.accepted += kept
        return kept

    def add_gap(self, start: datetime, end: datetime) -> None:
        """The receiver was disconnected from ``start`` to ``end``: nothing is known of that time
        (what changed meanwhile arrives afterwards with its own ``last_updated``)."""
        a, b = self.window.rel(start), self.window.rel(end)
        if b <= a:
            raise OccupancyError(f"a gap ends after it starts: {start} → {end}")
        self._gaps.append((a, b))

    def station(self, station_id: str) -> StationInfo:
        return self.stations[self._index[station_id]]

    def changes_of(self, station_id: str) -> array:
        return self._changes[self._index[station_id]]

    def observe(
        self,
        station_id: str,
        blind: Sequence[Interval] = (),
        recent_from_s: float = 0.0,
        settings: LearnSettings = LearnSettings(),
    ) -> Observation:
        """One station's observed history over the whole window (gaps and ``blind`` unseen)."""
        info = self.stations[self._index[station_id]]
        max_busy = settings.max_busy_ac_s if info.place is Place.DESTINATION else settings.max_busy_dc_s
        return observe(
            self._changes[self._index[station_id]],
            info.evse_count,
            self.window.hours,
            blind=[*self._gaps, *blind],
            max_busy_s=max_busy,
            recent_from_s=recent_from_s,
        )

    # ------------------------------------------------------------------ learning

    def learn(
        self,
        train: tuple[datetime, datetime] | None = None,
        exclude: Sequence[tuple[datetime, datetime]] = (),
        settings: LearnSettings = LearnSettings(),
    ) -> OccupancyModel:
        """A model from the history between ``train``'s ends (default: the whole window), leaving
        out ``exclude`` (e.g. a holiday held out for testing)."""
        w = self.window
        t0, t1 = (
            (0.0, float(w.seconds))
            if train is None
            else (max(0.0, w.rel(train[0])), min(float(w.seconds), w.rel(train[1])))
        )
        if t1 <= t0:
            raise OccupancyError("the training span is empty")
        blind = [(0.0, t0), (t1, float(w.seconds)), *((w.rel(a), w.rel(b)) for a, b in exclude)]
        seen = [self._pass1(si, info, blind, t1, settings) for si, info in enumerate(self.stations)]
        groups, group_of = self._groups(seen, settings)
        stations = {s.info.id: self._station(s, groups[group_of[i]], group_of[i], settings) for i, s in enumerate(seen)}
        groups = group_waits(groups, [(group_of[i], stations[s.info.id], s.spells) for i, s in enumerate(seen)])
        stations = {
            sid: _replace_wait(m, station_wait_factor(groups[m.group], m, seen[i].spells, settings.wait_prior_s))
            for i, (sid, m) in enumerate(stations.items())
        }
        model = OccupancyModel(
            int(w.start_s + t1), int(w.start_s + t0), int(w.start_s + t1), (), tuple(groups), stations
        )
        half_lives = []
        for place in Place:
            sums = LeadSums()
            for s in seen:
                if s.sample is not None and s.info.place is place:
                    sums.add(s.sample, hour_table(s.info.time_zone, w).bins, model, model.stations[s.info.id], t0, t1)
            half_lives.append(fit_half_life(sums))
        return OccupancyModel(
            model.created_s, model.history_start_s, model.history_end_s, tuple(half_lives), model.groups, stations
        )

    def _pass1(self, si: int, info: StationInfo, blind: Sequence[Interval], t1: float, s: LearnSettings) -> _Seen:
        obs = self.observe(info.id, blind, t1 - s.recent_days * 86400, s)
        bins = hour_table(info.time_zone, self.window).bins
        full, seen = [0.0] * BINS, [0.0] * BINS
        for h in range(self.window.hours):
            sh = obs.seen_s[h]
            if sh:
                b = bins[h]
                full[b] += obs.full_s[h]
                seen[b] += sh
        evses = []
        for e in obs.evses:
            hours_seen, recent_h = e.seen_s / 3600, e.recent_seen_s / 3600
            rate = (
                e.recent_onsets / recent_h * 1000
                if recent_h >= 7 * 24
                else (e.onsets / hours_seen * 1000 if hours_seen else 0.0)
            )
            mttr = e.repair_s / e.repairs / 3600 if e.repairs else (e.open_down_s / 3600 if e.open_down_s else None)
            evses.append(EvseReliability(e.down_s / e.seen_s if e.seen_s else 0.0, rate, mttr))
        spells = [(bins[min(int(a // 3600), self.window.hours - 1)], length) for a, length in obs.spells]
        sample = obs if si % s.half_life_every == 0 else None
        return _Seen(info, full, seen, sum(obs.down_s), evses, spells, sample)

    def _groups(self, seen: list[_Seen], s: LearnSettings) -> tuple[list[GroupModel], list[int]]:
        by_place: dict[tuple[Place, int], _Pool] = {}
        by_group: dict[tuple[str, Place, int], _Pool] = {}
        for x in seen:
            key = x.info.group
            by_place.setdefault((key[1], key[2]), _Pool()).add(x)
            by_group.setdefault(key, _Pool()).add(x)
        place_profiles = {k: _profile(p, None, 0.0, s.kernel) for k, p in by_place.items()}
        groups: list[GroupModel] = []
        index: dict[tuple[str, Place, int], int] = {}
        for key in sorted(by_group, key=lambda k: (k[0], int(k[1]), k[2])):
            pool = by_group[key]
            regular = _profile(pool, place_profiles[(key[1], key[2])], s.group_prior_hours, s.kernel)
            holiday, learned = _holiday(pool, regular, s.holiday_prior_hours)
            total = sum(pool.seen)
            index[key] = len(groups)
            groups.append(
                GroupModel(
                    key[0],
                    key[1],
                    key[2],
                    regular,
                    holiday,
                    (),
                    pool.down_s / total if total else 0.0,
                    learned,
                    pool.stations,
                )
            )
        return groups, [index[x.info.group] for x in seen]

    def _station(self, x: _Seen, g: GroupModel, gi: int, s: LearnSettings) -> StationModel:
        info = x.info
        observed_h = int(x.total_seen_s // 3600)
        group_mean = _mean_profile(g.profile)
        if observed_h == 0:
            return StationModel(
                info.id,
                gi,
                info.time_zone,
                g.profile,
                0.0,
                0.0,
                1.0,
                g.down_share,
                0,
                StationFlags.NO_HISTORY,
                tuple(x.evses),
            )
        own_h = x.seen_s / 3600
        mean = (sum(x.full[:REGULAR_BINS]) / 3600 + s.mean_prior_hours * group_mean) / (own_h + s.mean_prior_hours)
        offset = logit(mean) - logit(group_mean)
        full, seen = _smooth_week(x.full, s.kernel), _smooth_week(x.seen, s.kernel)
        profile = tuple(
            (full[b] / 3600 + s.prior_hours * sigmoid(logit(g.profile[b]) + offset)) / (seen[b] / 3600 + s.prior_hours)
            for b in range(REGULAR_BINS)
        )
        hol_seen = sum(x.seen[REGULAR_BINS:])
        holiday_offset = 0.0
        if hol_seen:
            expected = (
                sum(x.seen[REGULAR_BINS + j] * sigmoid(logit(g.holiday[j]) + offset) for j in range(HOLIDAY_BINS))
                / hol_seen
            )
            actual = (sum(x.full[REGULAR_BINS:]) / 3600 + s.holiday_prior_hours * expected) / (
                hol_seen / 3600 + s.holiday_prior_hours
            )
            holiday_offset = logit(actual) - logit(expected)
        total_h = x.total_seen_s / 3600
        down = (x.down_s / 3600 + s.down_prior_hours * g.down_share) / (total_h + s.down_prior_hours)
        flags = StationFlags.NONE
        if observed_h < s.sparse_hours:
            flags |= StationFlags.SPARSE
        often = sum(e.down_share >= s.evse_often_down for e in x.evses)
        if down >= s.unreliable_down or (often and often * 3 >= len(x.evses)):
            flags |= StationFlags.UNRELIABLE
        return StationModel(
            info.id, gi, info.time_zone, profile, offset, holiday_offset, 1.0, down, observed_h, flags, tuple(x.evses)
        )


def _mean_profile(profile: Sequence[float]) -> float:
    return sum(profile) / len(profile)


def _replace_wait(m: StationModel, factor: float) -> StationModel:
    return replace(m, wait_factor=factor)
