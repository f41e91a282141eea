"""OTA sync through a real Mosquitto on loopback, against a naive scheme in the same run.

    python -m bench.ota_sync            # scale 1 (+ status changes)
    python -m bench.ota_sync --million  # also ~1M chargers (scale 35; minutes)
    python -m bench.ota_sync --million --million-feeds bench/out/feeds-scale35 --skip-scale1
                                    # reuse scale-35 feeds written by `ivi-sync feeds --scale 35`

Naive baseline: one retained message per charger (its OCPI JSON, uncompressed, unsigned) and
one commit per row on the car.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from chargers.feeds.generator import GeneratorConfig, generate
from chargers.ocpi import location_to_ocpi, parse_location, read_feeds
from chargers.store import ChargerStore
from sync.activity import StatusSimulator
from sync.client import VehicleClient
from sync.publisher import Publisher
from sync.signing import generate_signer
from sync.transport import MqttTransport
from tests.sync.brokers import Mosquitto


def dataset(scale: float):
    locs, tariffs = [], []
    for loc, t in generate(GeneratorConfig(scale=scale, seed=7)).values():
        locs += loc
        tariffs += t
    return locs, tariffs


def ours_full_sync(url: str, tmp: Path, scale: float, signer, feeds: Path | None = None) -> dict:
    if feeds is not None:
        feed = read_feeds([feeds])
        locs, tariffs = feed.locations, feed.tariffs
    else:
        locs, tariffs = dataset(scale)
    pub = Publisher(url, signer, client_id=f"pub-{scale}", dataset=f"bench-{scale}").start()
    t0 = time.perf_counter()
    rep = pub.publish_dataset(locs, tariffs)
    t_pub = time.perf_counter() - t0
    store = ChargerStore.open(tmp / f"ours-{scale}.db", seed=False)
    t0 = time.perf_counter()
    car = VehicleClient(store, signer.verifier, url, f"car-{scale}", dataset=f"bench-{scale}").start()
    assert car.wait_synced(3600)
    t_sync = time.perf_counter() - t0
    evses = store.stats()["evses"]
    out = {
        "scale": scale,
        "evses": evses,
        "publish_s": t_pub,
        "sync_s": t_sync,
        "wire_bytes": rep.bytes,
        "swap_s": car.applier.last_swap_s,
        "pub": pub,
        "car": car,
        "store": store,
        "locs": locs,
    }
    return out


def naive_full_sync(url: str, tmp: Path, locs) -> dict:
    """One retained message per charger (EVSE-level would be worse; we use one per location)."""
    pub = MqttTransport(url, "naive-pub", on_message=lambda *a: None, persistent=False)
    pub.connect()
    size = 0
    t0 = time.perf_counter()
    for i, loc in enumerate(locs):
        p = json.dumps(location_to_ocpi(loc), ensure_ascii=False).encode()
        size += len(p)
        pub.publish(f"naive/loc/{loc.id}", p, retain=True, wait_s=30 if i == len(locs) - 1 else None)
    t_pub = time.perf_counter() - t0
    store = ChargerStore.open(tmp / "naive.db", seed=False)
    got = threading.Event()
    count = [0]

    def on_msg(topic: str, payload: bytes, rt) -> None:
        store.upsert([parse_location(json.loads(payload))])  # one commit per row
        count[0] += 1
        if count[0] == len(locs):
            got.set()

    t0 = time.perf_counter()
    car = MqttTransport(url, "naive-car", on_message=on_msg, persistent=False)
    car.connect()
    car.subscribe("naive/loc/+")
    got.wait(3600)
    t_sync = time.perf_counter() - t0
    car.close()
    pub.close()
    store.close()
    return {"publish_s": t_pub, "sync_s": t_sync, "wire_bytes": size}


def status_latency(ours: dict, n: int) -> dict:
    pub, car = ours["pub"], ours["car"]
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in ours["locs"] for e in loc.evses), seed=n)
    changes = sim.changes(n, time.time() + n)
    t0 = time.perf_counter()
    pub.publish_statuses(changes)
    target = pub.state.status_seq
    while car.sync.status_seq < target:
        time.sleep(0.001)
    return {"n": n, "s": time.perf_counter() - t0}


def naive_status(url: str, tmp: Path, ours: dict, n: int, db: str = "naive.db") -> float:
    store = ChargerStore.open(tmp / db, seed=False)
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in ours["locs"] for e in loc.evses), seed=n + 1)
    changes = sim.changes(n, time.time() + 2 * n)
    done = threading.Event()
    count = [0]

    def on_msg(topic, payload, rt) -> None:
        uid, status, ts = json.loads(payload)
        store.set_evse_statuses([(uid, status, ts)])  # one commit per change
        count[0] += 1
        if count[0] == n:
            done.set()

    car = MqttTransport(url, "naive-status-car", on_message=on_msg, persistent=False)
    car.connect()
    car.subscribe("naive/status/+")
    time.sleep(0.2)
    pub = MqttTransport(url, "naive-status-pub", on_message=lambda *a: None, persistent=False)
    pub.connect()
    t0 = time.perf_counter()
    for i, c in enumerate(changes):  # waiting now and then keeps paho's outgoing queue bounded
        pub.publish(f"naive/status/{c[0]}", json.dumps(c).encode(), wait_s=60 if i % 1000 == 999 else None)
    done.wait(600)
    t = time.perf_counter() - t0
    car.close()
    pub.close()
    store.close()
    return t


def day_of_deltas(ours: dict) -> int:
    """A typical day: 2% of stations change (prices, names, EVSEs), 0.3% added, 0.1% removed."""
    from dataclasses import replace

    locs = list(ours["locs"])
    n = len(locs)
    for i in range(0, n, 50):
        locs[i] = replace(locs[i], name=locs[i].name + "·", last_updated="2026-11-05T00:00:00Z")
    gone = set(range(3, n, 1000))
    added = [
        replace(locs[i], id=locs[i].id + "N", evses=tuple(replace(e, uid=e.uid + "N") for e in locs[i].evses))
        for i in range(7, n, 333)
    ]
    locs = [loc for i, loc in enumerate(locs) if i not in gone] + added
    return ours["pub"].publish_dataset(locs, list(ours["pub"].state.tariffs.values())).update_bytes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--million-feeds", type=Path, help="scale-35 OCPI feeds to reuse instead of generating them")
    ap.add_argument("--skip-scale1", action="store_true", help="only the --million part")
    ap.add_argument(
        "--naive-statuses",
        type=int,
        default=100_000,
        help="status changes for the naive scheme at scale 35 (one commit each); 0 to skip",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    broker = Mosquitto(tmp / "broker", extra=("max_queued_messages 0",)).start()
    signer = generate_signer()
    rows = []
    try:
        if not args.skip_scale1:
            ours = ours_full_sync(broker.url, tmp, 1.0, signer)
            naive = naive_full_sync(broker.url, tmp, ours["locs"])
            rows.append(
                (
                    f"full sync, scale 1 ({ours['evses']} EVSEs): time",
                    f"{ours['sync_s']:.2f} s",
                    f"{naive['sync_s']:.2f} s",
                    naive["sync_s"] / ours["sync_s"],
                )
            )
            rows.append(("  of which the swap transaction", f"{ours['swap_s']:.2f} s", "", float("nan")))
            rows.append(
                (
                    "full sync, scale 1: bytes on the wire",
                    f"{ours['wire_bytes'] / 1e6:.2f} MB",
                    f"{naive['wire_bytes'] / 1e6:.2f} MB",
                    naive["wire_bytes"] / ours["wire_bytes"],
                )
            )
            rows.append(
                (
                    "publish, scale 1",
                    f"{ours['publish_s']:.2f} s",
                    f"{naive['publish_s']:.2f} s",
                    naive["publish_s"] / ours["publish_s"],
                )
            )
            for n in (1000, 100_000):
                r = status_latency(ours, n)
                nv = naive_status(broker.url, tmp, ours, n) if n <= 10_000 else None
                rows.append(
                    (
                        f"{n:,} status changes applied",
                        f"{r['s'] * 1000:.0f} ms ({n / r['s']:,.0f}/s)",
                        f"{nv * 1000:.0f} ms" if nv else "n/a",
                        (nv / r["s"]) if nv else float("nan"),
                    )
                )
            day = day_of_deltas(ours)
            rows.append(
                ("a typical day's deltas, scale 1", f"{day / 1e3:.0f} KB", "(republish all)", ours["wire_bytes"] / day)
            )
            ours["car"].stop()
            ours["pub"].close()
        if args.million:
            big = ours_full_sync(broker.url, tmp, 35.0, signer, args.million_feeds)
            rows.append(
                (f"full sync, scale 35 ({big['evses']:,} EVSEs): time", f"{big['sync_s']:.1f} s", "", float("nan"))
            )
            rows.append(("  of which the swap transaction", f"{big['swap_s']:.1f} s", "", float("nan")))
            rows.append(
                ("full sync, scale 35: bytes on the wire", f"{big['wire_bytes'] / 1e6:.1f} MB", "", float("nan"))
            )
            rows.append(("publish, scale 35", f"{big['publish_s']:.1f} s", "", float("nan")))
            print(rows[-4:], flush=True)
            r = status_latency(big, 100_000)
            print(f"100,000 statuses at scale 35: {r['s']:.1f} s", flush=True)
            nv = None
            if args.naive_statuses:
                import sqlite3

                with big["store"]._lock, sqlite3.connect(tmp / "naive-35.db") as dst:
                    big["store"].conn.backup(dst)  # the naive car starts from the same rows
                nv = naive_status(broker.url, tmp, big, args.naive_statuses, db="naive-35.db")
            rows.append(
                (
                    "100,000 status changes applied, scale 35",
                    f"{r['s']:.1f} s ({100_000 / r['s']:,.0f}/s)",
                    f"{nv:.1f} s ({args.naive_statuses:,})" if nv else "n/a",
                    (nv / args.naive_statuses * 100_000 / r["s"]) if nv else float("nan"),
                )
            )
            big["car"].stop()
            big["pub"].close()
    finally:
        broker.stop()
    print(f"{'measure':48} {'ours':>22} {'naive':>14} {'naive/ours':>10}")
    for name, a, b, ratio in rows:
        print(f"{name:48} {a:>22} {b:>14} {ratio:>10.1f}")


if __name__ == "__main__":
    main()
