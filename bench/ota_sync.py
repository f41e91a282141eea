"""OTA sync through a real Mosquitto on loopback, against a naive scheme in the same run.

    python -m bench.ota_sync            # scale 1 (+ status changes, a stalled chunk)
    python -m bench.ota_sync --million  # also ~1M chargers (scale 35; minutes)
    python -m bench.ota_sync --million --million-feeds bench/out/feeds-scale35 --skip-scale1
                                    # reuse scale-35 feeds written by `ivi-sync feeds --scale 35`

Naive baselines: one retained message per charger (its OCPI JSON, uncompressed, unsigned) and
one commit per row on the car; for the stalled chunk, the car of the previous round, which
subscribed to the whole snapshot again every 5 s. The car runs in a process of its own, as the
app runs it (``ivi-sync follow``); the longest reader wait is what a third process (the
screen's) waited for a ``near()`` query on its own connection while the car took the snapshot,
against the same query on an idle cache.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench._table import loop_ms
from chargers.feeds.generator import GeneratorConfig, generate
from chargers.ocpi import location_to_ocpi, parse_location, read_feeds
from chargers.store import ChargerStore
from sync.activity import StatusSimulator
from sync.client import VehicleClient
from sync.protocol.bodies import Topics
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from sync.transport import Incoming, MqttTransport
from tests.sync.brokers import Mosquitto

DAY_S = 86400.0


def dataset(scale: float):
    locs, tariffs = [], []
    for loc, t in generate(GeneratorConfig(scale=scale, seed=7)).values():
        locs += loc
        tariffs += t
    return locs, tariffs


def reader_process(db: Path, lat: float, lon: float, until: Path) -> None:
    """``--reader``: what the screen does, in its own process: a ``near()`` query every 5 ms on
    its own connection, until the file ``until`` exists; prints the waits (ms) as JSON."""
    while not db.exists():
        time.sleep(0.01)
    store = ChargerStore.open(db, seed=False)
    waits = []
    while not until.exists():
        t = time.perf_counter()
        store.near((lat, lon), 10)
        waits.append((time.perf_counter() - t) * 1000)
        time.sleep(0.005)
    store.close()
    print(json.dumps(waits))


def car_process(url: str, db: Path, dataset: str, pubkey: Path) -> None:
    """``--car``: the vehicle client in its own process, as the app runs it: prints when it was
    up to date and how long the snapshot's writes held the cache's lock, as JSON."""
    from sync.signing import load_verifier

    store = ChargerStore.open(db, seed=False)
    t0 = time.perf_counter()
    car = VehicleClient(store, load_verifier(pubkey), url, f"car-{dataset}", dataset=dataset).start()
    assert car.wait_synced(3600)
    doc = {
        "sync_s": time.perf_counter() - t0,
        "swap_s": car.applier.last_swap_s,
        "longest_write_s": car.applier.longest_write_s,
        "evses": store.stats()["evses"],
    }
    car.stop()
    store.close()
    print(json.dumps(doc))


ROOT = Path(__file__).resolve().parents[1]


def _script(*args: str) -> list[str]:
    """The car and the reader run this module in processes of their own, as a module: run as a file, the child
    could not import ``bench`` (its path would be ``bench/``, not the checkout)."""
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import runpy; "
        "runpy.run_module('bench.ota_sync', run_name='__main__')",
        *args,
    ]


def ours_full_sync(url: str, tmp: Path, scale: float, keys: Path, feeds: Path | None = None) -> dict:
    if feeds is not None:
        t0 = time.perf_counter()
        feed = read_feeds([feeds])
        print(f"read scale-{scale:g} feeds in {time.perf_counter() - t0:.0f} s", flush=True)
        locs, tariffs = feed.locations, feed.tariffs
    else:
        locs, tariffs = dataset(scale)
    dataset_id = f"bench-{scale:g}"
    pub = Publisher(url, load_signer(keys.with_suffix(".key")), client_id=f"pub-{scale}", dataset=dataset_id).start()
    t0 = time.perf_counter()
    rep = pub.publish_dataset(locs, tariffs)
    t_pub = time.perf_counter() - t0
    db, done = tmp / f"ours-{scale}.db", tmp / f"done-{scale}"
    ChargerStore.open(db, seed=False).close()  # an empty cache, made before two processes open it
    point = (locs[0].lat, locs[0].lon)
    reader = subprocess.Popen(
        _script("--reader", str(db), str(point[0]), str(point[1]), str(done)), stdout=subprocess.PIPE, text=True
    )
    car = subprocess.run(
        _script("--car", url, str(db), dataset_id, str(keys.with_suffix(".pub"))),
        capture_output=True,
        text=True,
        check=True,
    )
    done.touch()
    waits = json.loads(reader.communicate(timeout=60)[0])
    doc = json.loads(car.stdout.splitlines()[-1])
    idle = ChargerStore.open(db, seed=False)
    idle_ms = statistics.median(_timed_ms(lambda: idle.near(point, 10)) for _ in range(30))
    idle.close()
    return {
        "scale": scale,
        "publish_s": t_pub,
        "wire_bytes": rep.bytes,
        "chunks": len(pub.state.chunk_sha256),
        "reader_max_ms": max(waits),
        "reader_median_ms": statistics.median(waits),
        "reader_queries": len(waits),
        "idle_ms": idle_ms,
        "pub": pub,
        "db": db,
        "dataset": dataset_id,
        "locs": locs,
        **doc,
    }


def _timed_ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def naive_full_sync(url: str, tmp: Path, locs) -> dict:
    """One retained message per charger (EVSE-level would be worse; we use one per location)."""
    pub = MqttTransport(url, "naive-pub", on_message=lambda m: None, persistent=False)
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

    def on_msg(msg: Incoming) -> None:
        store.upsert([parse_location(json.loads(msg.payload))])  # one commit per row
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


def attach_car(ours: dict, url: str, keys: Path) -> None:
    """A car in this process on the synced cache (for the status measurements)."""
    from sync.signing import load_verifier

    store = ChargerStore.open(ours["db"], seed=False)
    car = VehicleClient(
        store, load_verifier(keys.with_suffix(".pub")), url, f"car-{ours['dataset']}-2", dataset=ours["dataset"]
    )
    ours["car"], ours["store"] = car.start(), store
    assert car.wait_synced(600)


def status_latency(ours: dict, n: int) -> dict:
    pub, car = ours["pub"], ours["car"]
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in ours["locs"] for e in loc.evses), seed=n)
    changes = sim.changes(n, time.time() + n)
    t0 = time.perf_counter()
    pub.publish_statuses(changes)
    target = pub.state.status_seq
    while car.settled(lambda s: s.status_seq) < target:
        time.sleep(0.001)
    return {"n": n, "s": time.perf_counter() - t0}


def naive_status(url: str, tmp: Path, ours: dict, n: int, db: str = "naive.db") -> float:
    store = ChargerStore.open(tmp / db, seed=False)
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for loc in ours["locs"] for e in loc.evses), seed=n + 1)
    changes = sim.changes(n, time.time() + 2 * n)
    done = threading.Event()
    count = [0]

    def on_msg(msg: Incoming) -> None:
        uid, status, ts = json.loads(msg.payload)
        store.set_evse_statuses([(uid, status, ts)])  # one commit per change
        count[0] += 1
        if count[0] == n:
            done.set()

    car = MqttTransport(url, "naive-status-car", on_message=on_msg, persistent=False)
    car.connect()
    car.subscribe("naive/status/+")
    time.sleep(0.2)
    pub = MqttTransport(url, "naive-status-pub", on_message=lambda m: None, persistent=False)
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


def stalled_chunk(broker: Mosquitto, tmp: Path, keys: Path, speedup: float, real_s: float) -> dict:
    """A fresh car whose snapshot chunk 5 is on the broker but wrong (another dataset's chunk, so
    refused every time) and no publisher to repair it: bytes a car downloads in a day. Ours runs
    with its clock sped up ``speedup`` times (the waits are the product's: 5 s growing to 15 min);
    the baseline is the previous round's car, which subscribed to the whole snapshot every 5 s."""
    from sync.signing import load_verifier

    signer = load_signer(keys.with_suffix(".key"))
    locs, tariffs = dataset(1.0)
    other = Publisher(broker.url, signer, client_id="pub-other", dataset="bench-other").start()
    other.publish_dataset(locs[:300], tariffs)
    wrong = other.operator.chunks()[0].payload
    other.close()
    pub = Publisher(broker.url, signer, client_id="pub-stall", dataset="bench-stall").start()
    pub.publish_dataset(locs, tariffs)
    snapshot_bytes = sum(len(m.payload) for m in pub.operator.chunks())
    pub.close()
    vandal = MqttTransport(broker.url, "vandal", on_message=lambda m: None, persistent=False)
    vandal.connect()
    vandal.publish(Topics("bench-stall").chunk(5), wrong, retain=True, wait_s=10)
    vandal.close()
    # ours
    start = time.time()
    clock = lambda: start + (time.time() - start) * speedup  # noqa: E731
    store = ChargerStore.open(tmp / "stall.db", seed=False)
    verifier = load_verifier(keys.with_suffix(".pub"))
    car = VehicleClient(store, verifier, broker.url, "car-stall", dataset="bench-stall", clock=clock).start()
    while car.settled(lambda s: s.report()["chunks"]) != [len(pub.state.chunk_sha256) - 1, len(pub.state.chunk_sha256)]:
        time.sleep(0.05)
    first = car.transport.bytes_received
    t0 = time.time()
    time.sleep(real_s)
    simulated_s = (time.time() - t0) * speedup
    ours_day = (car.transport.bytes_received - first) / simulated_s * DAY_S
    tries = car.settled(lambda s: s._snap.retry.failures if s._snap else 0)
    car.stop()
    store.close()
    # the previous round's car: the whole snapshot again every 5 s, in real time
    got = [0]
    naive = MqttTransport(
        broker.url,
        "car-stall-naive",
        on_message=lambda m: got.__setitem__(0, got[0] + len(m.payload)),
        persistent=False,
    )
    naive.connect()
    filt = Topics("bench-stall").snapshot_filter
    naive.subscribe(filt)
    time.sleep(1.0)
    base = got[0]
    t0 = time.time()
    for _ in range(6):
        time.sleep(5)
        naive.subscribe(filt)
    time.sleep(1.0)
    naive_day = (got[0] - base) / (time.time() - t0) * DAY_S
    naive.close()
    return {
        "ours_day": ours_day,
        "naive_day": naive_day,
        "tries": tries,
        "simulated_h": simulated_s / 3600,
        "snapshot_bytes": snapshot_bytes,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--million-feeds", type=Path, help="scale-35 OCPI feeds to reuse instead of generating them")
    ap.add_argument("--skip-scale1", action="store_true", help="only the --million part")
    ap.add_argument("--stall-seconds", type=float, default=72.0, help="real seconds of the stalled-chunk run")
    ap.add_argument("--car", nargs=4, metavar=("URL", "DB", "DATASET", "PUBKEY"), help=argparse.SUPPRESS)
    ap.add_argument("--reader", nargs=4, metavar=("DB", "LAT", "LON", "UNTIL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.car:
        return car_process(args.car[0], Path(args.car[1]), args.car[2], Path(args.car[3]))
    if args.reader:
        return reader_process(Path(args.reader[0]), float(args.reader[1]), float(args.reader[2]), Path(args.reader[3]))
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    broker = Mosquitto(tmp / "broker", extra=("max_queued_messages 0",)).start()
    write_keypair(tmp / "operator")
    keys = tmp / "operator"
    rows = []
    print(f"python loop yardstick: {loop_ms():.0f} ms (an unloaded 2.6 GHz core: ~40 ms)", flush=True)
    try:
        if not args.skip_scale1:
            ours = ours_full_sync(broker.url, tmp, 1.0, keys)
            naive = naive_full_sync(broker.url, tmp, ours["locs"])
            rows.append(
                (
                    f"full sync, scale 1 ({ours['evses']} EVSEs): time",
                    f"{ours['sync_s']:.2f} s",
                    f"{naive['sync_s']:.2f} s",
                    naive["sync_s"] / ours["sync_s"],
                )
            )
            rows.append(("  of which the swap (write lock held)", f"{ours['swap_s']:.2f} s", "", float("nan")))
            rows.append(
                (
                    "  longest reader wait (idle: {:.1f} ms)".format(ours["idle_ms"]),
                    f"{ours['reader_max_ms']:.0f} ms",
                    "",
                    float("nan"),
                )
            )
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
            attach_car(ours, broker.url, keys)
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
            ours["store"].close()
            ours["pub"].close()
            st = stalled_chunk(broker, tmp, keys, speedup=1200.0, real_s=args.stall_seconds)
            rows.append(
                (
                    f"a chunk never arrives: bytes per car per day ({st['tries']} tries, {st['simulated_h']:.0f} h)",
                    f"{st['ours_day'] / 1e6:.1f} MB",
                    f"{st['naive_day'] / 1e9:.1f} GB",
                    st["naive_day"] / max(st["ours_day"], 1.0),
                )
            )
            print(rows[-1], flush=True)
        if args.million:
            big = ours_full_sync(broker.url, tmp, 35.0, keys, args.million_feeds)
            rows.append(
                (f"full sync, scale 35 ({big['evses']:,} EVSEs): time", f"{big['sync_s']:.1f} s", "", float("nan"))
            )
            rows.append(("  of which the swap (write lock held)", f"{big['swap_s']:.2f} s", "", float("nan")))
            rows.append(
                ("  longest chunk write (write lock held)", f"{big['longest_write_s']:.2f} s", "", float("nan"))
            )
            rows.append(
                (
                    "  longest reader wait (idle: {:.1f} ms, median {:.1f} ms over {} queries)".format(
                        big["idle_ms"], big["reader_median_ms"], big["reader_queries"]
                    ),
                    f"{big['reader_max_ms']:.0f} ms",
                    "",
                    float("nan"),
                )
            )
            rows.append(
                (
                    f"full sync, scale 35: bytes on the wire ({big['chunks']} chunks)",
                    f"{big['wire_bytes'] / 1e6:.1f} MB",
                    "",
                    float("nan"),
                )
            )
            rows.append(("publish, scale 35", f"{big['publish_s']:.1f} s", "", float("nan")))
            print(rows[-6:], flush=True)
            attach_car(big, broker.url, keys)
            r = status_latency(big, 100_000)
            rows.append(
                (
                    "100,000 status changes applied, scale 35",
                    f"{r['s']:.1f} s ({100_000 / r['s']:,.0f}/s)",
                    "n/a",
                    float("nan"),
                )
            )
            big["car"].stop()
            big["store"].close()
            big["pub"].close()
    finally:
        broker.stop()
    print(f"{'measure':72} {'ours':>22} {'naive':>14} {'naive/ours':>10}")
    for name, a, b, ratio in rows:
        print(f"{name:72} {a:>22} {b:>14} {ratio:>10.1f}")


if __name__ == "__main__":
    main()
