"""Benchmark: predicted occupancy on the scale-1 partner network (5,279 stations, 29,000 EVSEs).

12 weeks of realistic partner statuses are simulated (2026-09-07 → 2026-11-29, with Mid-Autumn
and the National Day golden week), streamed as OCPI ``(uid, status, last_updated)`` into the
learner, which learns on the first 8 weeks; the model is encoded, decoded, and scored on the last
4 weeks per station-hour (Brier score and log loss of P(full), see chargers/occupancy/scoring.py)
against three baselines measured in the same run: always free, the last known status persists,
and the station's average. Forecasts are made 30 minutes, 2 hours and 6 hours before each hour
(a car 200 km away is 2 hours out). A second run leaves the National Day week out of training and
scores it, with and without the holiday calendar. Also: expected waits against the waits cars
would really have had (``realised_wait``), the simulation against published figures, the times
and the model's size.

    python -m bench.occupancy            # everything (~8 minutes on one core)
    python -m bench.occupancy --every 10 # one station in ten (quick look)
"""

from __future__ import annotations

import argparse
import gzip
import lzma
import math
import random
import statistics
import time
from array import array
from collections import defaultdict
from datetime import date, datetime, timedelta

from bench._table import machine_line, print_table
from chargers.feeds import bundled_feed_paths
from chargers.occupancy import (
    OccupancyLearner,
    OccupancyModel,
    Place,
    StationInfo,
    catalog,
    decode_model,
    encode_model,
    ocpi_changes,
    realised_wait,
    simulate_station,
)
from chargers.occupancy.calendar import REGULAR_BINS, HolidayKind
from chargers.occupancy.encoding import station_bytes
from chargers.occupancy.halflife import hour_weight, weight
from chargers.occupancy.observe import Observation
from chargers.occupancy.scoring import Score, last_known_full
from chargers.occupancy.window import Window, hour_table, zone
from chargers.ocpi import read_feeds

FIRST_DAY = date(2026, 9, 7)
WEEKS, TRAIN_WEEKS = 12, 8
LEADS_MIN = (15, 60, 120, 360)
MAIN_LEAD = 120
HOLIDAY_TEST = (date(2026, 9, 30), date(2026, 10, 8))  # the eve and the seven days of National Day
QUERIES_PER_WEEK = 8


def local_instant(d: date, tz: str = "Asia/Shanghai") -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=zone(tz))


class Calibration:
    """The simulation against published figures (docs/data.md has the sources)."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.busy = {p: [0.0] * window.hours for p in Place}
        self.evses = dict.fromkeys(Place, 0)
        self.sessions = defaultdict(int)
        self.network_evses = defaultdict(int)
        self.durations = defaultdict(list)
        self.holiday_waits: list[float] = []
        self.station_hours: list[list[float]] = []  # service areas: per station, EVSE time in use per hour

    def add(self, h) -> None:  # type: ignore[no-untyped-def]
        info, busy = h.info, self.busy[h.info.place]
        self.evses[info.place] += info.evse_count
        self.sessions[info.network] += h.sessions
        self.network_evses[info.network] += info.evse_count
        rng = random.Random(info.id)
        holiday = hour_table(info.time_zone, self.window).days
        own = [0.0] * self.window.hours
        for i, (a, s, r) in enumerate(zip(h.arrival_s, h.start_s, h.release_s, strict=True)):
            h0 = int(s // 3600)
            while s < r and h0 < len(busy):
                e = min(r, h0 * 3600 + 3600)
                busy[h0] += e - s
                own[h0] += e - s
                s, h0 = e, h0 + 1
            if i % 10 == 0:
                self.durations[info.place].append((h.release_s[i] - h.start_s[i]) / 60)
            if info.place is Place.HIGHWAY and holiday[int(a // 3600)].holiday is not None and rng.random() < 0.2:
                self.holiday_waits.append((h.start_s[i] - a) / 60)
        if info.place is Place.HIGHWAY:
            self.station_hours.append([v / (3600 * info.evse_count) for v in own])

    def utilisation(self, place: Place, hours: list[int]) -> float:
        return sum(self.busy[place][h] for h in hours) / (3600 * len(hours) * max(1, self.evses[place]))


def simulate_and_stream(stations: list[StationInfo], window: Window, seed: int, test_from_s: int):  # type: ignore[no-untyped-def]
    learner = OccupancyLearner(stations, window)
    calib = Calibration(window)
    queries: list[tuple[str, float, float, bool]] = []
    t_sim = t_stream = 0.0
    changes = 0
    for info in stations:
        t = time.perf_counter()
        h = simulate_station(info, window, seed=seed)
        t_sim += time.perf_counter() - t
        t = time.perf_counter()
        learner.add_all(ocpi_changes(h))
        t_stream += time.perf_counter() - t
        changes += len(h.changes)
        calib.add(h)
        rng = random.Random(f"queries:{info.id}")
        for _ in range(QUERIES_PER_WEEK * (WEEKS - TRAIN_WEEKS)):
            at = rng.uniform(test_from_s, window.seconds - 3600)
            outcome = realised_wait(h, at)
            queries.append((info.id, at, outcome.wait_s / 60, outcome.station_down))
    return learner, calib, queries, t_sim, t_stream, changes


def regular_bin(hours_table, h: int) -> int:  # type: ignore[no-untyped-def]
    """The bin hour ``h`` would have if the calendar knew no holidays."""
    return hours_table.weekdays[h] * 24 + hours_table.local_hours[h]


def evaluate(
    model: OccupancyModel,
    learner: OccupancyLearner,
    observed: dict[str, Observation],
    averages: dict[str, float],
    first_hour: int,
    last_hour: int,
    *,
    ignore_holidays: bool = False,
) -> tuple[dict[str, Score], dict[Place, dict[str, Score]]]:
    """Scores per predictor over station-hours [first_hour, last_hour) of the window."""
    scores: dict[str, Score] = defaultdict(Score)
    by_place: dict[Place, dict[str, Score]] = {p: defaultdict(Score) for p in Place}
    for info in learner.stations:
        obs = observed[info.id]
        table = hour_table(info.time_zone, learner.window)
        m = model.stations[info.id]
        g = model.group_of(m)
        half_life = model.half_life_min[g.place]
        avg = averages[info.id]
        peer = model.groups[m.group]
        place_scores = by_place[info.place]
        weights = {lead: hour_weight(lead * 60, half_life) for lead in LEADS_MIN}
        for hour in range(first_hour, last_hour):
            seen = obs.seen_s[hour]
            if seen < 1800:
                continue
            y = obs.full_s[hour] / seen
            b = regular_bin(table, hour) if ignore_holidays else table.bins[hour]
            p = model.p_full(m, b)
            p_peer = peer.profile[b] if b < REGULAR_BINS else peer.holiday[b - REGULAR_BINS]
            rows = [
                ("always free", 0.0),
                ("station average", avg),
                ("peers' profile", p_peer),
                ("model, history only", p),
            ]
            for lead in LEADS_MIN:
                x = last_known_full(obs.quarters, hour * 3600 - lead * 60)
                w = weights[lead]
                rows.append((f"last known persists @{lead}", x))
                rows.append((f"model + live @{lead}", w * x + (1 - w) * p))
            for name, prob in rows:
                scores[name].add(prob, y)
                place_scores[name].add(prob, y)
    return scores, by_place


def observe_all(learner: OccupancyLearner) -> dict[str, Observation]:
    """Every station's whole window as observed (the test weeks' ground truth), kept light."""
    out = {}
    for info in learner.stations:
        obs = learner.observe(info.id)
        obs.spells, obs.evses, obs.down_s = [], [], array("f")
        out[info.id] = obs
    return out


def training_averages(observed: dict[str, Observation], train_hours: int) -> dict[str, float]:
    out = {}
    for sid, obs in observed.items():
        seen = sum(obs.seen_s[:train_hours])
        out[sid] = sum(obs.full_s[:train_hours]) / seen if seen else 0.0
    return out


def brier_table(title: str, scores: dict[str, Score]) -> None:
    names = ["always free", "station average", "peers' profile", "model, history only"]
    rows = [[n, f"{scores[n].brier:.5f}", f"{scores[n].log_loss:.4f}", scores[n].n] for n in names]
    for lead in LEADS_MIN:
        for n in (f"last known persists @{lead}", f"model + live @{lead}"):
            rows.append(
                [n.replace("@", "at ") + " min", f"{scores[n].brier:.5f}", f"{scores[n].log_loss:.4f}", scores[n].n]
            )
    print_table(title, ["predictor", "Brier", "log loss", "station-hours"], rows)


def verdict(scores: dict[str, Score]) -> list[list[object]]:
    rows = []
    for lead in LEADS_MIN:
        ours = scores[f"model + live @{lead}"]
        baselines = {
            "always free": scores["always free"],
            "last known persists": scores[f"last known persists @{lead}"],
            "station average": scores["station average"],
        }
        best_name, best = min(baselines.items(), key=lambda kv: kv[1].brier)
        rows.append(
            [
                f"{lead} min",
                f"{ours.brier:.5f}",
                f"{best_name} {best.brier:.5f}",
                f"{(1 - ours.brier / best.brier) * 100:.1f} %",
                "yes" if all(ours.brier < s.brier and ours.log_loss < s.log_loss for s in baselines.values()) else "NO",
            ]
        )
    return rows


def wait_table(
    model: OccupancyModel, learner: OccupancyLearner, observed: dict[str, Observation], queries
) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """Expected waits against realised ones, 2 hours ahead."""
    errors: dict[str, list[float]] = defaultdict(list)
    busy_errors: dict[str, list[float]] = defaultdict(list)
    realised_all = []
    for sid, at, realised, down in queries:
        if down:
            continue
        m = model.stations[sid]
        info = learner.station(sid)
        obs = observed[sid]
        table = hour_table(info.time_zone, learner.window)
        b = table.bins[int(at // 3600)]
        p = model.p_full(m, b)
        wait_full = model.wait_if_full_min(m, b)
        x = last_known_full(obs.quarters, at - MAIN_LEAD * 60)
        w = weight(MAIN_LEAD * 60, model.half_life_min[info.place])
        guesses = {
            "0 (the planner today: a 2-hour-old status is stale)": 0.0,
            "model, history only": p * wait_full,
            "model + live": (w * x + (1 - w) * p) * wait_full,
        }
        realised_all.append(realised)
        for name, guess in guesses.items():
            errors[name].append(guess - realised)
            if realised > 0 or p >= 0.2:
                busy_errors[name].append(guess - realised)
    rows = []
    for name, errs in errors.items():
        rmse = math.sqrt(sum(e * e for e in errs) / len(errs))
        busy = busy_errors[name]
        busy_rmse = math.sqrt(sum(e * e for e in busy) / len(busy)) if busy else math.nan
        rows.append([name, f"{rmse:.2f}", f"{statistics.fmean(errs):+.2f}", f"{busy_rmse:.2f}", len(busy)])
    rows.append(["(realised: mean wait, min)", f"{statistics.fmean(realised_all):.2f}", "", "", len(realised_all)])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", type=int, default=1, help="use one station in N (default: all)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-holiday-run", action="store_true", help="skip the National Day experiment")
    args = ap.parse_args()
    print(machine_line())
    stations = sorted(catalog(read_feeds(bundled_feed_paths()).locations).values(), key=lambda s: s.id)[:: args.every]
    window = Window.local_days(FIRST_DAY, WEEKS * 7)
    train_hours = TRAIN_WEEKS * 7 * 24
    learner, calib, queries, t_sim, t_stream, changes = simulate_and_stream(
        stations, window, args.seed, train_hours * 3600
    )
    evse_count = sum(s.evse_count for s in stations)
    train = (window.instant(0), window.instant(train_hours * 3600))
    t = time.perf_counter()
    model = learner.learn(train)
    t_learn = time.perf_counter() - t
    t = time.perf_counter()
    blob = encode_model(model)
    t_encode = time.perf_counter() - t
    t = time.perf_counter()
    car_model = decode_model(blob)
    t_decode = time.perf_counter() - t
    t = time.perf_counter()
    observed = observe_all(learner)
    averages = training_averages(observed, train_hours)
    scores, by_place = evaluate(car_model, learner, observed, averages, train_hours, window.hours)
    t_eval = time.perf_counter() - t
    print_table(
        f"Generation and learning: {len(stations):,} stations, {evse_count:,} EVSEs, {WEEKS} weeks",
        ["step", "seconds", "per status change (µs)", "what"],
        [
            [
                "simulate",
                f"{t_sim:.1f}",
                f"{t_sim / changes * 1e6:.2f}",
                f"{changes:,} status changes, {sum(calib.sessions.values()):,} sessions",
            ],
            [
                "stream as OCPI + ingest",
                f"{t_stream:.1f}",
                f"{t_stream / changes * 1e6:.2f}",
                f"{learner.accepted:,} kept, {sum(learner.rejected.values())} rejected",
            ],
            [
                "learn (8 weeks)",
                f"{t_learn:.1f}",
                f"{t_learn / changes * 1e6 * WEEKS / TRAIN_WEEKS:.2f}",
                f"{len(model.groups)} peer groups; half-lives (min) "
                + ", ".join(f"{p.label} {model.half_life_min[p]:.0f}" for p in Place),
            ],
            ["encode / decode", f"{t_encode:.2f} / {t_decode:.2f}", "", ""],
            ["ground truth + scoring (4 weeks)", f"{t_eval:.1f}", "", f"{scores['always free'].n:,} station-hours"],
        ],
    )
    per_station = [station_bytes(m) for m in model.stations.values()]
    print_table(
        "Model size (what the OTA sync would carry)",
        ["encoding", "bytes", "per station"],
        [
            ["raw (binary, CRC-32)", f"{len(blob):,}", f"{len(blob) / len(stations):.0f}"],
            ["gzip -9", f"{len(gzip.compress(blob, 9)):,}", f"{len(gzip.compress(blob, 9)) / len(stations):.0f}"],
            ["xz", f"{len(lzma.compress(blob)):,}", f"{len(lzma.compress(blob)) / len(stations):.0f}"],
            ["one station (median, raw)", f"{statistics.median(per_station):.0f}", ""],
        ],
    )
    brier_table(f"P(full) on the {WEEKS - TRAIN_WEEKS} held-out weeks, per station-hour (lower is better)", scores)
    print_table(
        "Better than every baseline (Brier and log loss)?",
        ["lead", "model + live", "best baseline", "Brier gain", "beats all"],
        verdict(scores),
    )
    place_rows = []
    for place in Place:
        s = by_place[place]
        place_rows.append(
            [place.label, s["model + live @120"].n]
            + [
                f"{s[n].brier:.5f}"
                for n in ("always free", "last known persists @120", "station average", "model + live @120")
            ]
        )
    print_table(
        "By kind of place, 2 hours ahead (Brier)",
        ["place", "station-hours", "always free", "last known", "station average", "model + live"],
        place_rows,
    )
    print_table(
        "Expected wait 2 hours ahead vs the wait a car really had (minutes; RMSE, lower is better)",
        ["guess", "RMSE", "bias", "RMSE at busy arrivals", "busy arrivals"],
        wait_table(car_model, learner, observed, queries),
    )
    if not args.no_holiday_run:
        lo, hi = local_instant(HOLIDAY_TEST[0]), local_instant(HOLIDAY_TEST[1])
        held = car_model_without(learner, train, lo, hi)
        first, last = int(window.rel(lo) // 3600), int(window.rel(hi) // 3600)
        with_cal, _ = evaluate(held, learner, observed, averages, first, last)
        without, _ = evaluate(held, learner, observed, averages, first, last, ignore_holidays=True)
        rows = [["always free", f"{with_cal['always free'].brier:.5f}", f"{with_cal['always free'].log_loss:.4f}"]]
        rows.append(
            [
                "station average",
                f"{with_cal['station average'].brier:.5f}",
                f"{with_cal['station average'].log_loss:.4f}",
            ]
        )
        rows.append(
            [
                f"last known persists at {MAIN_LEAD} min",
                f"{with_cal[f'last known persists @{MAIN_LEAD}'].brier:.5f}",
                f"{with_cal[f'last known persists @{MAIN_LEAD}'].log_loss:.4f}",
            ]
        )
        for name, s in (("model, holidays as ordinary days", without), ("model with the holiday calendar", with_cal)):
            rows.append(
                [
                    f"{name}, history only",
                    f"{s['model, history only'].brier:.5f}",
                    f"{s['model, history only'].log_loss:.4f}",
                ]
            )
            rows.append(
                [
                    f"{name}, + live at {MAIN_LEAD} min",
                    f"{s[f'model + live @{MAIN_LEAD}'].brier:.5f}",
                    f"{s[f'model + live @{MAIN_LEAD}'].log_loss:.4f}",
                ]
            )
        print_table(
            "National Day week held out (trained without 2026-09-29 … 10-08; Mid-Autumn stays in training)",
            ["predictor", "Brier", "log loss"],
            rows,
        )
    print_calibration(calib, window)


def car_model_without(learner: OccupancyLearner, train, lo: datetime, hi: datetime) -> OccupancyModel:  # type: ignore[no-untyped-def]
    exclude = (lo - timedelta(days=1), hi + timedelta(days=1))  # the eve's eve and the make-up day after, too
    return decode_model(encode_model(learner.learn(train, exclude=[exclude])))


def print_calibration(calib: Calibration, window: Window) -> None:
    table = hour_table("Asia/Shanghai", window)
    regular = [h for h, d in enumerate(table.days) if d.holiday is None]
    first_day = [h for h, d in enumerate(table.days) if d.holiday is HolidayKind.FIRST and d.golden_week]
    golden = [h for h, d in enumerate(table.days) if d.holiday is not None and d.golden_week] or [0]
    n_highway = max(1, len(calib.station_hours))
    peak = max(first_day, key=lambda h: calib.utilisation(Place.HIGHWAY, [h])) if first_day else None
    nio_days = window.hours / 24
    rows = [
        [
            "service areas: EVSE time in use, ordinary days",
            f"{calib.utilisation(Place.HIGHWAY, regular) * 100:.1f} %",
            "~13 % (State Grid busy index, 2024)",
        ],
        [
            "service areas: peak hour of National Day's first day",
            f"{calib.utilisation(Place.HIGHWAY, [peak]) * 100:.1f} %" if peak is not None else "-",
            "30–35 % (State Grid forecast, 2024)",
        ],
        [
            "service areas at full load (≥ 90 % in use for an hour) during National Day",
            f"{sum(max(st[h] for h in golden) >= 0.9 for st in calib.station_hours) / n_highway * 100:.0f} %",
            "over a third (State Grid forecast, National Day 2024)",
        ],
        [
            "city DC: EVSE time in use, ordinary days",
            f"{calib.utilisation(Place.CITY, regular) * 100:.1f} %",
            "<10 % citywide, far more in urban cores (ICCT 2024; 2019 figures)",
        ],
        [
            "NIO: sessions per EVSE per day",
            f"{calib.sessions['NIO'] / max(1, calib.network_evses['NIO']) / nio_days:.1f}",
            "~2.8 over all piles, ~5 on superchargers (NIO, June 2024)",
        ],
        [
            "city: median plugged-in time",
            f"{statistics.median(calib.durations[Place.CITY]):.0f} min",
            "about half of sessions under 30 min",
        ],
        [
            "service areas: median plugged-in time",
            f"{statistics.median(calib.durations[Place.HIGHWAY]):.0f} min",
            "about 40 min; 30 min / 80 % caps when queues form",
        ],
        [
            "service areas on holidays: waits (95th pct / max)",
            f"{statistics.quantiles(calib.holiday_waits, n=20)[-1]:.0f} / {max(calib.holiday_waits):.0f} min"
            if len(calib.holiday_waits) > 20
            else "-",
            "queues of 1–4 h at busy service areas (National Day 2025)",
        ],
    ]
    print_table("The simulation against published figures", ["figure", "simulated", "published"], rows)


if __name__ == "__main__":
    main()
