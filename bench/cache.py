"""Benchmark of the charger cache (issue: foundation).

Import time and file size, nearest-10, a 1,200 km corridor (Beijing–Shanghai, 5 km) and text
search, at scale 1 (29,000 chargers) and at about a million (scale 35), each against a naive
baseline measured in the same run: a Python scan over every row held in memory.

    python -m bench.cache [--scales 1,35] [--out bench/out]

The million-charger feeds and cache are generated once and kept under ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

from bench._table import median_best, print_table, timed_ms, timings
from chargers.feeds import bundled_feed_paths
from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.store import ChargerStore
from geo import haversine_km, route_between
from geo.geometry import densify, project_on_segment
from ivi.planner.sources import CANDIDATE_COLUMNS


def feeds_for(scale: float, out: Path) -> list[Path]:
    if scale == 1:
        return bundled_feed_paths()
    d = out / f"feeds-scale{scale:g}"
    if not (d / "li_auto.json.gz").exists():
        t = time.perf_counter()
        write_feeds(d, GeneratorConfig(scale=scale, seed=7))
        print(f"generated scale {scale:g} feeds in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return sorted(d.glob("*.json.gz"))


def bench_scale(scale: float, out: Path, reuse: bool = False) -> list[list[object]]:
    db = out / f"cache-scale{scale:g}.db"
    import_s = import_cpu_s = float("nan")
    if reuse and db.exists():  # queries only, on the cache a previous run built
        store = ChargerStore.open(db, seed=False)
    else:
        feeds = feeds_for(scale, out)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        t, cpu = time.perf_counter(), time.process_time()
        store = ChargerStore.open(db, seed=False)
        store.import_feeds(feeds)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        import_s, import_cpu_s = time.perf_counter() - t, time.process_time() - cpu
    size_mb = db.stat().st_size / 1e6
    evses = store.stats()["evses"]

    rng = random.Random(1)
    points = [(rng.uniform(22, 40), rng.uniform(104, 121)) for _ in range(20)]
    route = route_between("Beijing", "Shanghai")
    queries = ["服务区", "蔚来 上海", "万达广场", "wanda", "德州"]

    # Ours first, before the baselines hold every row in memory.
    it2 = iter(points * 1000)
    near_ms = timed_ms(lambda: store.near(next(it2), 10), repeat=40)
    corridor_ms, corridor_best, hits = timings(lambda: store.along_route(route.points, 5.0), repeat=15)
    n_corridor = len(hits)
    # The same corridor as plain rows: ids with their distances (what "everything within the
    # corridor" is), and what the planner reads: the columns a candidate needs.
    ids_ms, ids_best, _ = timings(lambda: store.along_route_rows(route.points, 5.0), repeat=15)
    rows_ms, rows_best, _ = timings(
        lambda: store.along_route_rows(route.points, 5.0, columns=CANDIDATE_COLUMNS), repeat=15
    )
    qi = iter(queries * 1000)
    search_ms = timed_ms(lambda: store.search(next(qi)), repeat=25)

    rows = store.conn.execute("SELECT id, lat, lon, name, name_en, address, city FROM locations").fetchall()
    it = iter(points * 1000)

    def naive_near():
        p = next(it)
        return sorted(rows, key=lambda r: haversine_km(p, (r[1], r[2])))[:10]

    naive_near_ms = timed_ms(naive_near, repeat=3)
    dense = densify(route.points, 10)

    def naive_corridor():
        return [
            r for r in rows if min(project_on_segment((r[1], r[2]), a, b)[0] for a, b in itertools.pairwise(dense)) <= 5
        ]

    naive_corridor_ms = timed_ms(naive_corridor, repeat=1)
    qj = iter(queries * 1000)

    def naive_search():
        q = next(qj).split()
        return [r for r in rows if all(w.lower() in (r[3] + r[4] + r[5] + r[6]).lower() for w in q)][:20]

    naive_search_ms = timed_ms(naive_search, repeat=5)
    store.close()
    label = f"{evses:,} EVSEs"
    return [
        [label, "import, wall (s)", round(import_s, 2), "", ""],
        [label, "import, CPU (s)", round(import_cpu_s, 2), "", ""],
        [label, "file size (MB)", round(size_mb, 1), "", ""],
        [label, "nearest-10 (ms)", near_ms, naive_near_ms, f"{naive_near_ms / near_ms:,.0f}×"],
        [
            label,
            f"corridor 1,205 km × 5 km → {n_corridor:,} stations: ids + distances (along_route_rows) (ms)",
            median_best(ids_ms, ids_best),
            naive_corridor_ms,
            f"{naive_corridor_ms / ids_ms:,.0f}×",
        ],
        [
            label,
            f"corridor, the planner's {len(CANDIDATE_COLUMNS)} columns (along_route_rows) (ms)",
            median_best(rows_ms, rows_best),
            naive_corridor_ms,
            f"{naive_corridor_ms / rows_ms:,.0f}×",
        ],
        [
            label,
            "corridor, full Station objects, 18 columns (along_route) (ms)",
            median_best(corridor_ms, corridor_best),
            naive_corridor_ms,
            f"{naive_corridor_ms / corridor_ms:,.0f}×",
        ],
        [label, "text search (ms)", search_ms, naive_search_ms, f"{naive_search_ms / search_ms:,.0f}×"],
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,35")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--reuse", action="store_true", help="Query the caches a previous run built (no import rows).")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[list[object]] = []
    for s in args.scales.split(","):
        rows += bench_scale(float(s), args.out, args.reuse)
    print_table(
        "Charger cache (median, and best in brackets; baseline = Python scan over all rows in memory)",
        ["cache", "measure", "ours", "naive", "ratio"],
        rows,
    )


if __name__ == "__main__":
    main()
