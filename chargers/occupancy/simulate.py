"""A realistic, deterministic history of partner EVSE statuses: cars arrive, queue, charge and
leave; chargers break and get repaired. Same seed, same history (a ``random.Random`` per station,
seeded with the seed and the station id, so one station's history does not depend on the others).

Per station (assumptions in :mod:`chargers.occupancy.demand`, sources in docs/data.md):

1. arrivals: a Poisson process, its rate constant within each UTC hour (exact for a piecewise
   constant rate: exponential gaps restarted at each hour, by memorylessness), zero while the
   station is closed;
2. outages per EVSE (faults at the network's rate, lognormal repairs; site-wide outages) and
   reporting dropouts (the EVSE still works, the feed says ``UNKNOWN``);
3. a first-come first-served queue over the working EVSEs: a car plugs into a free EVSE, or waits
   for the first one to free up (and pulls in 1–3 minutes later) unless the wait exceeds its
   patience, then drives on (it leaves no trace in the feed);
4. the statuses a partner would report: ``CHARGING``, ``BLOCKED`` (left plugged in after
   charging), ``AVAILABLE``, ``OUTOFORDER``, ``UNKNOWN``, each change once, per EVSE strictly
   later than the previous one; a snapshot of every EVSE at the window's start.

The history keeps the ground truth too (each car's arrival, start and release, the outages), so
:func:`realised_wait` can say what a car arriving at any instant would really have waited.
"""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chargers.occupancy.calendar import Day
from chargers.occupancy.demand import DEFAULT_ASSUMPTIONS, Assumptions, StationCharacter, character_of, day_shape
from chargers.occupancy.events import AVAILABLE, BLOCKED, CHARGING, OUTOFORDER, UNKNOWN, pack
from chargers.occupancy.places import StationInfo
from chargers.occupancy.window import Window, hour_table

__all__ = ["StationHistory", "WaitOutcome", "realised_wait", "simulate", "simulate_station"]

Interval = tuple[float, float]


@dataclass(frozen=True)
class StationHistory:
    """One station's simulated window: the status changes a partner sends (packed, sorted; see
    :mod:`chargers.occupancy.events`) and the ground truth behind them."""

    info: StationInfo
    window: Window
    character: StationCharacter
    changes: array  # array('q') of packed status changes, sorted
    arrival_s: array  # array('d'): cars that charged, in arrival order (seconds since window start)
    start_s: array  # array('d'): when each plugged in
    release_s: array  # array('d'): when each freed its EVSE
    evse: bytes  # which EVSE each used
    balked_s: array  # array('d'): arrivals of cars that found the wait too long and drove on
    outages: tuple[tuple[Interval, ...], ...]  # per EVSE, merged (faults and site outages)

    @property
    def sessions(self) -> int:
        return len(self.arrival_s)

    def waits_s(self) -> Iterator[float]:
        return (s - a for a, s in zip(self.arrival_s, self.start_s, strict=True))


def _rates(info: StationInfo, ch: StationCharacter, window: Window, a: Assumptions) -> list[float]:
    """Arrivals per hour for each hour of the window."""
    demand = a.places[info.place]
    table = hour_table(info.time_zone, window)
    mean_session_h = demand.session_median_min * math.exp(demand.session_sigma**2 / 2) / 60.0
    per_hour = info.evse_count * demand.utilisation * ch.intensity / mean_session_h
    regular = [day_shape(info.place, ch, Day(wd), a) for wd in range(7)]
    mean_shape = sum(sum(s) for s in regular) / 168.0
    shapes: dict[tuple[int, int | None, bool, bool], tuple[float, ...]] = {}
    out = []
    for h, day in enumerate(table.days):
        key = (day.weekday, day.holiday, day.makeup, day.golden_week)
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = day_shape(info.place, ch, day, a)
        hour = table.local_hours[h]
        open_now = info.open_at(table.weekdays[h], hour)
        out.append(per_hour * shape[hour] / mean_shape if open_now else 0.0)
    return out


def _lognormal_h(rng: random.Random, median_h: float, sigma: float) -> float:
    return rng.lognormvariate(math.log(median_h), sigma)


def _poisson_times(rng: random.Random, per_1000h: float, end_s: float) -> Iterator[float]:
    if per_1000h <= 0:
        return
    rate_s = per_1000h / 1000.0 / 3600.0
    t = rng.expovariate(rate_s)
    while t < end_s:
        yield t
        t += rng.expovariate(rate_s)


def _merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    out: list[list[float]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def _outages(
    info: StationInfo, ch: StationCharacter, rng: random.Random, a: Assumptions, end_s: float
) -> tuple[tuple[tuple[Interval, ...], ...], tuple[tuple[Interval, ...], ...]]:
    net = a.networks.get(info.network, a.default_network)
    rate = net.faults_per_1000h * (a.unreliable_fault_factor if ch.unreliable else 1.0)
    repair = net.repair_median_h * (a.unreliable_repair_factor if ch.unreliable else 1.0)
    site = [
        (t, t + 3600 * _lognormal_h(rng, a.site_outage_median_h, 0.8))
        for t in _poisson_times(rng, a.site_outages_per_1000h, end_s)
    ]
    downs, dropouts = [], []
    for _ in range(info.evse_count):
        own = [(t, t + 3600 * _lognormal_h(rng, repair, net.repair_sigma)) for t in _poisson_times(rng, rate, end_s)]
        downs.append(_merge(own + site))
        drops = [
            (t, t + 60 * _lognormal_h(rng, a.dropout_median_min, 0.8))
            for t in _poisson_times(rng, a.dropouts_per_1000h, end_s)
        ]
        dropouts.append(_merge(drops))
    return tuple(downs), tuple(dropouts)


def _session_factor(info: StationInfo, a: Assumptions) -> float:
    return next(f for kw, f in a.power_session_factor if info.max_power_kw >= kw)


def simulate_station(
    info: StationInfo, window: Window, assumptions: Assumptions = DEFAULT_ASSUMPTIONS, seed: int = 7
) -> StationHistory:
    """One station's history over ``window``, deterministic for ``seed``."""
    a = assumptions
    rng = random.Random(f"{seed}:{info.id}")
    ch = character_of(info.place, rng, a)
    n, end_s = info.evse_count, float(window.seconds)
    downs, dropouts = _outages(info, ch, rng, a, end_s)
    rates = _rates(info, ch, window, a)
    demand = a.places[info.place]
    table = hour_table(info.time_zone, window)
    holiday_hours = [d.holiday is not None and d.holiday > 0 for d in table.days]
    median_s = demand.session_median_min * 60.0 * _session_factor(info, a)
    log_median, sigma = math.log(median_s), demand.session_sigma
    expo, rnd, uniform, gauss = rng.expovariate, rng.random, rng.uniform, rng.gauss
    plug_lo, plug_hi = a.plug_delay_s
    max_patience_s = a.max_patience_min * 60.0
    over_lo, over_hi = a.overstay_min[0] * 60, a.overstay_min[1] * 60
    free_at = [0.0] * n
    ptr = [0] * n
    arrival_s, start_s, release_s, balked = array("d"), array("d"), array("d"), array("d")
    used = bytearray()
    per_evse: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    inf = math.inf
    for hour, lam in enumerate(rates):
        if lam <= 0.0:
            continue
        holiday = holiday_hours[hour]
        patience_s = 60.0 * (demand.holiday_patience_min if holiday else demand.patience_min)
        dur_median = log_median + (math.log(demand.holiday_session_factor) if holiday else 0.0)
        t, hour_end, rate_s = hour * 3600.0, hour * 3600.0 + 3600.0, lam / 3600.0
        while True:
            t += expo(rate_s)
            if t >= hour_end:
                break
            free_now: list[int] = []
            best_k, best_t = -1, inf
            for k in range(n):
                tk = free_at[k] if free_at[k] > t else t
                dk, p = downs[k], ptr[k]
                while p < len(dk) and dk[p][1] <= tk:
                    p += 1
                ptr[k] = p
                if p < len(dk) and dk[p][0] <= tk:
                    tk = dk[p][1]
                if tk <= t:
                    free_now.append(k)
                elif tk < best_t:
                    best_k, best_t = k, tk
            if free_now:
                k = free_now[0] if len(free_now) == 1 else free_now[int(rnd() * len(free_now))]
                start = t
            else:
                if best_k < 0 or best_t - t > min(expo(1.0 / patience_s), max_patience_s):
                    balked.append(t)
                    continue
                k, start = best_k, best_t + uniform(plug_lo, plug_hi)
            dk, p = downs[k], ptr[k]
            while p < len(dk) and dk[p][1] <= start:
                p += 1
            next_down = dk[p][0] if p < len(dk) else inf
            if next_down <= start:  # broke down while the car pulled in: wait for the repair, or leave
                start = dk[p][1] + uniform(plug_lo, plug_hi)
                next_down = dk[p + 1][0] if p + 1 < len(dk) else inf
                if start - t > max_patience_s:
                    balked.append(t)
                    continue
            charge_end = start + math.exp(dur_median + sigma * gauss(0.0, 1.0))
            ev = per_evse[k]
            ev.append((start, CHARGING))
            if charge_end >= next_down:
                release = next_down  # the fault ends the session; OUTOFORDER follows at that instant
            elif rnd() < a.overstay_share:
                release = min(charge_end + uniform(over_lo, over_hi), next_down)
                ev.append((charge_end, BLOCKED))
            else:
                release = charge_end
            ev.append((release, AVAILABLE))
            free_at[k] = release
            arrival_s.append(t)
            start_s.append(start)
            release_s.append(release)
            used.append(k)
    changes = _changes(per_evse, downs, dropouts, window)
    return StationHistory(info, window, ch, changes, arrival_s, start_s, release_s, bytes(used), balked, downs)


def _changes(
    per_evse: list[list[tuple[float, int]]],
    downs: tuple[tuple[Interval, ...], ...],
    dropouts: tuple[tuple[Interval, ...], ...],
    window: Window,
) -> array:
    """The partner's status changes: each EVSE's true timeline with outages laid over it, then the
    reporting dropouts, whole seconds, each change once."""
    out = array("q")
    end = window.seconds
    for k, sessions in enumerate(per_evse):
        timeline = [(t, 0, code) for t, code in sessions]
        for s, e in downs[k]:
            timeline.append((s, 1, OUTOFORDER))  # after a session's AVAILABLE at the same instant
            timeline.append((e, 0, AVAILABLE))
        timeline.sort()
        truth: list[tuple[int, int]] = [(0, AVAILABLE)]
        for t, _, code in timeline:
            sec = int(t)
            if sec >= end:
                break
            if truth[-1][0] == sec:
                truth[-1] = (sec, code)
            else:
                truth.append((sec, code))
        reported = _with_dropouts(truth, dropouts[k], end)
        last = -1
        for sec, code in reported:
            if code != last:
                out.append(pack(sec, k, code))
                last = code
    return array("q", sorted(out))


def _with_dropouts(truth: list[tuple[int, int]], dropouts: tuple[Interval, ...], end: int) -> list[tuple[int, int]]:
    if not dropouts:
        return truth
    out: list[tuple[int, int]] = []
    i, current = 0, AVAILABLE
    for s, e in dropouts:
        s_i, e_i = int(s), min(int(e), end)
        while i < len(truth) and truth[i][0] < s_i:
            current = truth[i][1]
            out.append(truth[i])
            i += 1
        if s_i >= end:
            break
        out.append((s_i, UNKNOWN))
        while i < len(truth) and truth[i][0] <= e_i:
            current = truth[i][1]
            i += 1
        if e_i < end:
            out.append((e_i, current))
    out.extend(truth[i:])
    return out


def simulate(
    stations: Iterable[StationInfo], window: Window, assumptions: Assumptions = DEFAULT_ASSUMPTIONS, seed: int = 7
) -> Iterator[StationHistory]:
    """Histories station by station (each independent of the others), lazily."""
    for info in stations:
        yield simulate_station(info, window, assumptions, seed)


@dataclass(frozen=True)
class WaitOutcome:
    wait_s: float  # until the car could plug in (0: a free EVSE at arrival)
    station_down: bool  # every EVSE was out of order at arrival


def realised_wait(history: StationHistory, t_rel: float, plug_delay_s: float = 120.0) -> WaitOutcome:
    """What a car arriving at ``t_rel`` (seconds since the window start) would really have waited,
    queueing first come, first served behind every car that arrived before it.

    Under FIFO a car's start depends only on the cars that came earlier, so this is exact for the
    simulated history: the car takes the EVSE that frees first after everything promised to those
    earlier cars, skipping outages. Used to score predictions of the wait, and by the planner's
    trip benchmark (phase 2) to replay a plan against the held-out weeks."""
    n = history.info.evse_count
    free_at = [0.0] * n
    seen = 0
    i = bisect_left(history.arrival_s, t_rel) - 1
    horizon = t_rel - 36 * 3600.0  # no session or queue lasts this long
    while i >= 0 and seen < n and history.arrival_s[i] >= horizon:
        k = history.evse[i]
        if free_at[k] == 0.0:
            free_at[k] = history.release_s[i]
            seen += 1
        i -= 1
    best, down_now = math.inf, True
    for k in range(n):
        tk = max(free_at[k], t_rel)
        for s, e in history.outages[k]:
            if s <= t_rel < e:
                break
        else:
            down_now = False
        for s, e in history.outages[k]:
            if s <= tk < e:
                tk = e
            elif s > tk:
                break
        best = min(best, tk)
    if best <= t_rel:
        return WaitOutcome(0.0, False)
    return WaitOutcome(best - t_rel + plug_delay_s, down_now)
