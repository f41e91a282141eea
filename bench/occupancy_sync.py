"""The occupancy model's data path at scale 1, through a real Mosquitto on loopback: learned by the
operator, published in signed parts, fetched and kept by a car, read by the planner's side.

    python -m bench.occupancy_sync              # 8 weeks of simulated history (~4 minutes)
    python -m bench.occupancy_sync --weeks 2    # quicker

Baselines measured in the same run: the dataset itself (the car's first sync of the retained
snapshot: its bytes on the wire and its time), and a ``near()`` query on the same cache for the
cost of asking the store for the model once it is decoded.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import zstandard

from bench._table import print_table, timings
from chargers.feeds.bundled import bundled_feed_paths
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.occupancy import OccupancyService, history_window, simulated_history
from sync.publisher import Publisher
from sync.signing import generate_signer
from tests.sync.brokers import Mosquitto


def _wait(cond, timeout_s: float = 600.0) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > timeout_s:
            raise TimeoutError("the car did not get there in time")
        time.sleep(0.01)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weeks", type=float, default=8.0, help="weeks of simulated history to learn from")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    feed = read_feeds(bundled_feed_paths())
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    t0 = time.perf_counter()
    service = OccupancyService(feed.locations, history_window(now, args.weeks), train_weeks=args.weeks)
    service.add_history(simulated_history(service.catalog.values(), service.window, args.seed), now.timestamp())
    simulate_s = time.perf_counter() - t0
    report = service.learn(now)
    data, stations = report.data, report.stations
    gz, zs = len(gzip.compress(data, 9)), len(zstandard.ZstdCompressor(level=10).compress(data))

    with tempfile.TemporaryDirectory() as tmp:
        broker = Mosquitto(Path(tmp) / "broker").start()
        signer = generate_signer()
        pub = Publisher(broker.url, signer).start()
        try:
            snapshot = pub.publish_dataset(feed.locations, feed.tariffs)
            store = ChargerStore.open(Path(tmp) / "car.db", seed=False)
            car = VehicleClient(store, signer.verifier, broker.url, "bench-car")
            t = time.perf_counter()
            car.start()
            assert car.wait_synced(600)
            dataset_s = time.perf_counter() - t
            t = time.perf_counter()
            sent = pub.publish_occupancy(data, report.model.created_s)

            def stored() -> bool:
                blob = store.occupancy_model_blob()
                return blob is not None and blob.version == 1

            _wait(stored)
            model_s = time.perf_counter() - t  # from the start of the publish
            car.stop()
            store.close()
            reader = ChargerStore.open(Path(tmp) / "car.db", readonly=True)
            t = time.perf_counter()
            model = reader.occupancy_model()
            decode_s = time.perf_counter() - t
            assert model is not None and len(model.stations) == stations
            again_ms, again_best, _ = timings(reader.occupancy_model, repeat=2000)
            near_ms, near_best, _ = timings(lambda: reader.near((31.23, 121.47), 10), repeat=200)
            reader.close()
        finally:
            pub.close()
            broker.stop()

    print_table(
        f"Occupancy model at scale 1 ({stations:,} stations, {args.weeks:g} weeks of simulated history,"
        f" {report.changes:,} status changes)",
        ["what", "value", "per station", "baseline (the dataset)", "ratio"],
        [
            ["model, raw (encode_model)", f"{len(data):,} B", f"{len(data) / stations:.0f} B", "", ""],
            ["model, gzip -9", f"{gz:,} B", f"{gz / stations:.0f} B", "", ""],
            ["model, zstd 10 (the sync's)", f"{zs:,} B", f"{zs / stations:.0f} B", "", ""],
            [
                "on the wire: signed parts + manifest + heartbeat",
                f"{sent:,} B",
                f"{sent / stations:.0f} B",
                f"{snapshot.bytes:,} B (snapshot)",
                f"{sent / snapshot.bytes:.2f}",
            ],
            [
                "published → in the car's cache",
                f"{model_s:.2f} s",
                "",
                f"{dataset_s:.2f} s (first sync)",
                f"{model_s / dataset_s:.2f}",
            ],
            ["simulating + feeding the learner", f"{simulate_s:.0f} s", "", "", ""],
            ["learning + encoding", f"{report.learn_s:.0f} s", "", "", ""],
            ["first occupancy_model() in the car (decode)", f"{decode_s * 1000:.0f} ms", "", "", ""],
            [
                "occupancy_model() once decoded, median (best)",
                f"{again_ms * 1000:.0f} ({again_best * 1000:.0f}) µs",
                "",
                f"{near_ms * 1000:.0f} ({near_best * 1000:.0f}) µs (near 10)",
                f"{again_ms / near_ms:.3f}",
            ],
        ],
    )


if __name__ == "__main__":
    main()
