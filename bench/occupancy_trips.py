"""Benchmark: what predicted occupancy does to real trips — plans that use the prediction against
plans that do not, both replayed against held-out weeks of history (issue 17, the plan-effect
half of the evaluation).

Ten real city pairs (geo's road graph, the scale-1 cache's stations along each route). Every
station on those corridors gets 12 weeks of realistic statuses (the simulator of
``python -m bench.occupancy``, same window and seed: 2026-09-07 → 11-29); the learner learns from
the first 8 weeks, as the operator would, and the car gets the encoded-and-decoded model. On each
day of the 4 held-out weeks the trips depart every two hours from 06:00 to 20:00, and two plans
are made at the departure, both with the live status of every station at that instant:

* **without the prediction** — the planner as it was: 15 min of wait where a fresh status says
  every EVSE is taken, nothing otherwise;
* **with the prediction** — the expected wait at each stop's predicted arrival (live status
  blended while fresh) and P(fail) × the fallback.

Each plan is then driven against the held-out history: at each stop the car arrives when the
plan says plus the waiting it really did before (``realised_wait``: first come, first served
behind every car that arrived before it, exact for the simulated history); a station that is
entirely out of order sends it on to the next station on the route (that detour and wait count).
Realised total = driving + charging + stop overheads + actual waiting.

"Through busy hours": departures on Friday 14:00-18:00 and Saturday/Sunday 08:00-16:00 (service
areas' weekend and Friday-evening peaks; fixed before looking at outcomes).

    python -m bench.occupancy_trips            # ~2 minutes
    python -m bench.occupancy_trips --quick    # one departure day a week
"""

from __future__ import annotations

import argparse
import statistics
import time
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench._table import machine_line, print_table
from chargers.occupancy import (
    LiveStatus,
    OccupancyLearner,
    StationHistory,
    catalog,
    decode_model,
    encode_model,
    ocpi_changes,
    realised_wait,
    simulate_station,
)
from chargers.occupancy.events import BUSY, CLASS_OF_CODE, DOWN, FREE
from chargers.occupancy.window import Window
from chargers.store import ChargerStore
from geo.routes import route_between
from ivi.planner import Candidate, PlannerSettings, Road, TripPlan, TripRequest, plan_trip
from ivi.planner.occupancy import Occupancy
from ivi.planner.problem import detour_leg
from ivi.planner.sources import route_candidates
from ivi.profiles import load_profile

OUT = Path(__file__).resolve().parent / "out"
FIRST_DAY = datetime(2026, 9, 7).date()
WEEKS, TRAIN_WEEKS = 12, 8
SEED = 7
TRIPS = (
    ("Shanghai", "Nanjing"),
    ("Chengdu", "Chongqing"),
    ("Beijing", "Jinan"),
    ("Wuhan", "Changsha"),
    ("Xi'an", "Zhengzhou"),
    ("Guangzhou", "Changsha"),
    ("Shenzhen", "Xiamen"),
    ("Shanghai", "Hangzhou"),
    ("Hangzhou", "Hefei"),
    ("Beijing", "Shijiazhuang"),
)
VEHICLE, START_SOC = "su7-standard", 45.0
HOURS = (6, 8, 10, 12, 14, 16, 18, 20)
SETTINGS = PlannerSettings()


def busy_departure(when: datetime) -> bool:
    wd, h = when.weekday(), when.hour
    return (wd == 4 and 14 <= h <= 18) or (wd >= 5 and 8 <= h <= 16)


def state_at(h: StationHistory, t_rel: float) -> tuple[int, int, int, float] | None:
    """(free, taken, down, seconds since the newest change) of the station at ``t_rel``, as the
    cache would hold it from the status stream."""
    changes = h.changes
    i = bisect_right(changes, (int(t_rel) << 12) | 0xFFF) - 1
    seen: dict[int, int] = {}
    newest = None
    n = h.info.evse_count
    while i >= 0 and len(seen) < n:
        v = changes[i]
        if newest is None:
            newest = v >> 12
        k = (v >> 4) & 0xFF
        if k not in seen:
            seen[k] = CLASS_OF_CODE[v & 0xF]
        i -= 1
    if newest is None:
        return None
    classes = list(seen.values())
    return classes.count(FREE), classes.count(BUSY), classes.count(DOWN), t_rel - newest


@dataclass
class Replay:
    total_min: float
    wait_min: float
    failures: int


def replay(plan: TripPlan, depart_rel: float, histories: dict[str, StationHistory], cands: dict[str, Candidate],
           route_order: list[Candidate], vehicle) -> Replay:  # type: ignore[no-untyped-def]  # fmt: skip
    """Drive ``plan`` against the held-out history: the realised total time and waiting."""
    planned_extra = 0.0  # expected waits (and reliability minutes) the plan put before this stop
    real_extra = 0.0  # what the car really lost before it
    waited, failures = 0.0, 0
    for s in plan.stops:
        arrive_rel = depart_rel + (s.arrive_min_of_day - plan.depart_min_of_day - planned_extra + real_extra) * 60
        at = s.location_id
        outcome = realised_wait(histories[at], arrive_rel)
        lost = outcome.wait_s / 60.0
        if outcome.station_down:  # on to the next station along the route
            failures += 1
            nxt = next((c for c in route_order if c.along_km > s.along_km and c.location_id in histories), None)
            if nxt is None:
                lost = SETTINGS.stranded_min
            else:
                _, one_way = detour_leg(nxt, SETTINGS, vehicle, 20.0, None)
                drive = (nxt.along_km - s.along_km) / SETTINGS.expressway_average_kmh * 60.0
                then = realised_wait(histories[nxt.location_id], arrive_rel + (2 * one_way + drive) * 60)
                # Extra: its detour and overhead; the road between is driven anyway.
                lost = 2 * one_way + SETTINGS.stop_overhead_min + then.wait_s / 60.0
        waited += lost
        real_extra += lost
        stop_fixed = s.charged_min_of_day - s.arrive_min_of_day - s.charge_min  # overhead + expected wait
        planned_extra += stop_fixed - SETTINGS.stop_overhead_min
    base = plan.total_min - planned_extra  # driving + charging + overheads
    return Replay(base + real_extra, waited, failures)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one departure day a week (Saturday)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "chargers-scale1.db"
    ChargerStore.open(db).close()  # built on first use, migrated to the current schema
    vehicle = load_profile(VEHICLE)
    window = Window.local_days(FIRST_DAY, WEEKS * 7)
    test_from = datetime.combine(FIRST_DAY + timedelta(weeks=TRAIN_WEEKS), datetime.min.time())
    t0 = time.perf_counter()
    routes = []
    with ChargerStore.open(db, readonly=True) as store:
        for a, b in TRIPS:
            route = route_between(a, b)
            cands = route_candidates(store, route.points, window.instant(0))
            routes.append((f"{a}–{b}", route, cands))
        ids = sorted({c.location_id for _, _, cs in routes for c in cs})
        stations = catalog(loc for loc in (store.location(i) for i in ids) if loc is not None)
    t_sim = time.perf_counter()
    learner = OccupancyLearner(stations.values(), window)
    histories: dict[str, StationHistory] = {}
    for info in stations.values():
        h = simulate_station(info, window, seed=SEED)
        histories[info.id] = h
        learner.add_all(ocpi_changes(h))
    t_learn = time.perf_counter()
    train_end = datetime.combine(test_from.date(), datetime.min.time(), ZoneInfo("Asia/Shanghai"))
    model = decode_model(encode_model(learner.learn(train=(window.instant(0), train_end))))
    t_plan = time.perf_counter()
    days = [train_end + timedelta(days=d) for d in range((WEEKS - TRAIN_WEEKS) * 7)]
    if args.quick:
        days = [d for d in days if d.weekday() == 5]
    rows: dict[str, list[tuple[str, bool, Replay, Replay, float, float]]] = {"all": []}
    plan_ms: tuple[list[float], list[float]] = ([], [])
    for name, route, cands0 in routes:
        order = sorted(cands0, key=lambda c: c.along_km)
        by_id = {c.location_id: c for c in cands0}
        road = Road.from_route(route)
        for day in days:
            for hour in HOURS:
                depart = day + timedelta(hours=hour)
                t_rel = window.rel(depart)
                live, cands = {}, []
                for c in cands0:
                    h = histories.get(c.location_id)
                    st = None if h is None else state_at(h, t_rel)
                    if st is None:
                        cands.append(c._replace(status_age_min=None))
                        continue
                    free, taken, down, age_s = st
                    live[c.location_id] = LiveStatus(free, taken, down, depart - timedelta(seconds=age_s))
                    cands.append(c._replace(available_count=free, status_age_min=age_s / 60.0))
                req = TripRequest(route.distance_km, vehicle, START_SOC, tuple(cands), depart_at=depart, road=road)
                t_a = time.perf_counter()
                without = plan_trip(req)
                t_b = time.perf_counter()
                with_ = plan_trip(replace(req, occupancy=Occupancy(model, depart, live)))
                plan_ms[0].append((t_b - t_a) * 1000)
                plan_ms[1].append((time.perf_counter() - t_b) * 1000)
                if not (without.feasible and with_.feasible) or not without.stops:
                    continue
                r0 = replay(without, t_rel, histories, by_id, order, vehicle)
                r1 = replay(with_, t_rel, histories, by_id, order, vehicle)
                rows["all"].append((name, busy_departure(depart), r0, r1, without.total_min, with_.total_min))
    t_end = time.perf_counter()
    report(rows["all"], len(stations), sum(i.evse_count for i in stations.values()))
    print(
        f"\ntimes: corridors {t_sim - t0:.1f} s, simulating + streaming {t_learn - t_sim:.1f} s, learning "
        f"{t_plan - t_learn:.1f} s, {2 * len(rows['all'])} plans + replays {t_end - t_plan:.1f} s"
    )
    print(
        f"one plan, median: {statistics.median(plan_ms[0]):.1f} ms without the prediction, "
        f"{statistics.median(plan_ms[1]):.1f} ms with it (predicting every candidate at its arrival)"
    )
    print(machine_line())


def _summary(label: str, rows: list) -> list[object]:  # type: ignore[type-arg]
    if not rows:
        return [label, 0, "-", "-", "-", "-", "-", "-", "-"]
    w0 = sum(r[2].wait_min for r in rows)
    w1 = sum(r[3].wait_min for r in rows)
    t0 = sum(r[2].total_min for r in rows)
    t1 = sum(r[3].total_min for r in rows)
    diffs = [r[3].total_min - r[2].total_min for r in rows]
    f0 = sum(r[2].failures for r in rows)
    f1 = sum(r[3].failures for r in rows)
    return [
        label,
        len(rows),
        f"{w0 / len(rows):.2f}",
        f"{w1 / len(rows):.2f}",
        f"{(1 - w1 / w0) * 100:.0f} %" if w0 > 0 else "-",
        f"{t1 / t0:.4f}",
        f"{max(diffs):+.1f}",
        f"{sum(d > 3 for d in diffs)}",
        f"{f0} / {f1}",
    ]


def report(rows: list, n_stations: int, n_evses: int) -> None:  # type: ignore[type-arg]
    print(
        f"{len(TRIPS)} trips ({VEHICLE}, {START_SOC:.0f} % at the start), {n_stations} stations ({n_evses} EVSEs) "
        f"on their corridors; model learned on weeks 1-{TRAIN_WEEKS}, trips replayed on weeks "
        f"{TRAIN_WEEKS + 1}-{WEEKS}, departures every 2 h 06:00-20:00"
    )
    head = [
        "departures",
        "n",
        "wait/trip without (min)",
        "wait/trip with (min)",
        "less waiting",
        "realised total, with / without",
        "worst trip (min longer)",
        "trips > 3 min longer",
        "stations found down (without / with)",
    ]
    busy = [r for r in rows if r[1]]
    quiet = [r for r in rows if not r[1]]
    table = [_summary("through busy hours", busy), _summary("other hours", quiet), _summary("all", rows)]
    print_table("Realised trips: plans with the occupancy prediction against plans without", head, table)
    per_trip = []
    for name in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == name]
        per_trip.append(_summary(name, mine))
    print_table("Per trip (all departures)", head, per_trip)
    waits = [r[3].wait_min for r in busy]
    if waits:
        print(f"busy-hour waits with the prediction: median {statistics.median(waits):.1f} min, max {max(waits):.0f}")


if __name__ == "__main__":
    main()
