"""A fleet on a three-node NATS cluster (JetStream + MQTT 3.1.1), measured: ``python -m bench.fleet``.

For 100, 500 and 1,000 cars (``--cars``), each on a fresh cluster (store dirs wiped between runs):

* time until every car is in step after a cold start (empty caches, the scale-1 snapshot) and
  after a new version (deltas), undisturbed and with a node SIGKILLed mid-snapshot (30 % of the
  cars in step) and as the version goes out, restarted 3 s later — the ratio is the cost of the
  failure (target: 1,000 cars < 60 s, a kill < 2×);
* bytes per car: the snapshot, a version's deltas, a status change, the heartbeat;
* the broker nodes' RSS and CPU per 1,000 sessions (``/proc``), idle cluster as the baseline;
* reconnects after a node dies, without jitter (every car waits exactly 1 s) and with full
  jitter: the peak per 100 ms bucket (the storm and its cure).

Cars connect at 100 new sessions a second (NATS 2.9 loses subscriptions faster than that, see
docs/sync.md); two worker processes drive them, each on one selector loop; two cars write real
SQLite caches, the others keep a digest (sync.fleet.digest), all checked against the publisher.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench._table import print_table
from chargers.feeds.generator import GeneratorConfig, generate
from sync.fleet.day import Day, DayOptions, Phase
from sync.fleet.fleet import Fleet
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from tests.sync.brokers import NatsCluster

TICK = os.sysconf("SC_CLK_TCK")


def _proc(pid: int | None) -> tuple[float, float]:
    """(RSS MiB, CPU seconds) of a process."""
    if pid is None:
        return 0.0, 0.0
    try:
        rss = next(
            int(x.split()[1]) for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS")
        )
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return rss / 1024, (int(f[11]) + int(f[12])) / TICK
    except (OSError, StopIteration):
        return 0.0, 0.0


def _nodes(cluster: NatsCluster) -> tuple[float, float]:
    """Summed RSS (MiB) and CPU seconds of the cluster's live nodes."""
    vals = [_proc(pid) for pid in cluster.pids()]
    return sum(v[0] for v in vals), sum(v[1] for v in vals)


def run(n: int, kill: bool, scale: float, work: Path, data, rate: float, wildcard: bool, full_day: bool = True) -> dict:
    cluster = NatsCluster(work / "cluster").start()
    try:
        write_keypair(work / "op")
        signer = load_signer(work / "op.key")
        locations, tariffs = data
        rss0, cpu0 = _nodes(cluster)
        fleet = Fleet(
            cluster.urls, [work / "op.pub"], n, db_dir=work / "cars", processes=2, sqlite_cars=2, rate=rate,
            wildcard=wildcard,
        ).start()  # fmt: skip
        try:
            victim = next(i for i in range(3) if i != 0)  # the publisher's first node stays up
            day = Day(
                fleet,
                lambda: Publisher(cluster.urls, signer, state_dir=work / "publisher", mqtt5=False),
                locations,
                tariffs,
                faults=cluster,
                options=DayOptions(kill_node=victim if kill else None, phase_timeout_s=120, status_batches=10),
            )
            cold = day.cold_start()
            rss1, cpu1 = _nodes(cluster)
            version = day.new_version() if full_day else cold
            status = day.status_stream() if full_day else cold
            head = len(day._publisher().operator.head(time.time()).payload)
        finally:
            fleet.stop()
            if day.pub is not None:
                day.pub.close()
        return {
            "cold": cold,
            "version": version,
            "status": status,
            "changes": day.opt.status_batches * day.opt.changes_per_batch,
            "head_bytes": head,
            "rss_per_1000": (rss1 - rss0) / n * 1000,
            "cpu_per_1000": (cpu1 - cpu0) / n * 1000,
            "rss_total": rss1,
        }
    finally:
        cluster.stop()


def storm(n: int, jitter: str, work: Path, rate: float) -> dict:
    """Reconnects after a (non-leader) node dies: CONNACKs per 100 ms bucket."""
    cluster = NatsCluster(work / "cluster").start()
    try:
        write_keypair(work / "op")
        fleet = Fleet(
            cluster.urls,
            [work / "op.pub"],
            n,
            db_dir=work / "cars",
            processes=2,
            jitter=jitter,
            rate=rate,
            wildcard=True,
        ).start()
        try:
            fleet.connect()
            fleet.wait(lambda r: r.count(lambda c: c["connected"]) == n, 120)
            time.sleep(2.0)
            leader = cluster.leader()
            victim = next(i for i in range(3) if i != leader)
            # The cars on the victim: a third, fewer if a car found its first node not ready.
            at = f"127.0.0.1:{cluster.nodes[victim].mqtt_port}"
            on_victim = {c["car"] for c in fleet.report().cars if c["node"] == at}
            t0 = time.time()
            cluster.kill(victim)

            def back(r) -> bool:
                moved = {c["car"] for c in r.cars if c["connect_times"] and c["node"] != at}
                return on_victim <= moved and r.count(lambda c: c["connected"]) == n

            ok, _, rep = fleet.wait(back, 120, connects_since=t0)
            times = sorted(t - t0 for c in rep.cars for t in c["connect_times"])
        finally:
            fleet.stop()
        buckets = Counter(int(t * 10) for t in times)
        return {
            "on_victim": len(on_victim),
            "cars": len(times),
            "peak": max(buckets.values()) if buckets else 0,
            "first": times[0] if times else 0.0,
            "last": times[-1] if times else 0.0,
            "refusals": sum(c["subscribe_refusals"] for c in rep.cars),
            "ok": ok,
        }
    finally:
        cluster.stop()


def _s(p: Phase) -> str:
    return f"{p.seconds:.1f}" + ("" if p.converged and p.digests_ok in (None, p.cars) else " (NOT CONVERGED)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cars", default="100,500,1000", help="fleet sizes, comma-separated")
    ap.add_argument("--scale", type=float, default=1.0, help="dataset scale (1 = 5,312 locations, 29,000 EVSEs)")
    ap.add_argument("--storm-cars", type=int, default=300, help="fleet size for the reconnect storm")
    ap.add_argument("--rate", type=float, default=20.0, help="new sessions a second, the whole fleet")
    ap.add_argument("--per-topic", action="store_true", help="one subscription per stream (one_filter=False)")
    ap.add_argument("--compare", type=int, default=100, help="cars for the subscriptions comparison (0: skip)")
    args = ap.parse_args()
    wildcard = not args.per_topic
    sizes = [int(x) for x in args.cars.split(",") if x]
    g = generate(GeneratorConfig(scale=args.scale))
    data = ([x for ls, _ in g.values() for x in ls], [t for _, ts in g.values() for t in ts])
    rows, per_car, nodes = [], [], []
    for n in sizes:
        res = {}
        for kill in (False, True):
            with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
                res[kill] = run(n, kill, args.scale, Path(tmp), data, args.rate, wildcard)
            print(
                f"{n} cars, node kill {kill}: cold {res[kill]['cold'].seconds:.1f} s, "
                f"version {res[kill]['version'].seconds:.1f} s",
                flush=True,
            )
        a, b = res[False], res[True]
        rows.append(
            [
                n,
                _s(a["cold"]),
                _s(b["cold"]),
                f"{b['cold'].seconds / a['cold'].seconds:.2f}×",
                _s(a["version"]),
                _s(b["version"]),
                f"{b['version'].seconds / a['version'].seconds:.2f}×",
                f"{a['cold'].digests_ok}/{n}, {b['cold'].digests_ok}/{n}",
            ]
        )
        per_car.append(
            [
                n,
                f"{a['cold'].bytes_per_car / 1024:,.0f}",
                f"{a['version'].bytes_per_car / 1024:,.1f}",
                f"{a['status'].bytes_per_car / a['changes']:,.1f}",
                a["head_bytes"],
            ]
        )
        nodes.append([n, f"{a['rss_total']:,.0f}", f"{a['rss_per_1000']:,.0f}", f"{a['cpu_per_1000']:,.1f}"])
    print_table(
        f"Time until every car is in step (s), scale {args.scale:g}; a node SIGKILLed mid-snapshot and "
        "as the version goes out, restarted after 3 s",
        [
            "cars",
            "cold start",
            "cold, node killed",
            "ratio",
            "new version",
            "version, node killed",
            "ratio",
            "rows equal (no kill, kill)",
        ],
        rows,
    )
    print_table(
        "Bytes per car (payload, measured)",
        ["cars", "snapshot KiB", "a version's deltas KiB", "bytes per status change", "heartbeat bytes"],
        per_car,
    )
    print_table(
        "Broker nodes (three, summed; after the cold start, over the idle cluster)",
        ["cars", "RSS MiB", "RSS MiB per 1,000 sessions", "CPU s per 1,000 cars' cold start"],
        nodes,
    )
    srows = []
    for jitter in ("none", "full"):
        with tempfile.TemporaryDirectory(prefix="bench-storm-") as tmp:
            r = storm(args.storm_cars, jitter, Path(tmp), args.rate)
        spread = f"{r['first']:.2f}–{r['last']:.2f}"
        srows.append([jitter, f"{r['cars']}/{r['on_victim']}", r["peak"], spread, r["refusals"], r["ok"]])
    print_table(
        f"Reconnects after a node dies ({args.storm_cars} cars, a third on it): CONNACKs per 100 ms",
        ["jitter", "cars back / on it", "peak per 100 ms", "back between (s)", "SUBACK refusals", "all back"],
        srows,
    )
    base = srows[0][2] or 1
    print(f"\npeak ratio full/none: {srows[1][2] / base:.2f}")
    if args.compare:
        crows = []
        for wc in (False, True):
            with tempfile.TemporaryDirectory(prefix="bench-subs-") as tmp:
                r = run(args.compare, False, args.scale, Path(tmp), data, args.rate, wc, full_day=False)
            crows.append(["one filter for the four streams" if wc else "one per stream", _s(r["cold"])])
        print_table(
            f"Cold start of {args.compare} cars by subscriptions (each a replicated JetStream consumer on NATS)",
            ["subscriptions", "cold start s"],
            crows,
        )
        print(f"\nratio: {float(crows[1][1].split()[0]) / float(crows[0][1].split()[0]):.2f}")


if __name__ == "__main__":
    main()
