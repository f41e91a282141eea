"""Benchmark of the head-unit screen (offscreen): start-up, memory, SoC latency, GUI stalls.

    python bench/ui.py            # prints a table; each measurement runs in a fresh process

* cold start → first frame with the scale-1 cache, against a bare QML window in the same run;
* RSS after 10 minutes of simulated driving (30× time compression, samples at 10 Hz);
* latency from a SoC sample delivered on a background thread (as the CAN reader does) to the
  new text on screen (the next swapped frame);
* the longest GUI-thread stall while a full snapshot (5,279 locations, 29,000 EVSEs) is written
  to the cache on a background thread, against the naive baseline of writing it on the GUI thread.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _child(kind: str, db: str) -> dict:
    from ivi.ui.runtime import app_instance

    app = app_instance()
    if kind == "bare":
        from PySide6 import QtQuick  # noqa: F401
        from PySide6.QtQml import QQmlApplicationEngine
        from PySide6.QtCore import QByteArray, QUrl

        eng = QQmlApplicationEngine()
        eng.loadData(QByteArray(b'import QtQuick\nWindow { width: 1920; height: 720; visible: true; Text { text: "80 %"; font.pixelSize: 100 } }'), QUrl())
        win = eng.rootObjects()[0]
        out: dict = {}
        win.frameSwapped.connect(lambda: (out.setdefault("first_frame_s", time.perf_counter() - T0), app.quit()))
        app.exec()
        return out

    from sync.store import ChargerStore
    from ivi.app import AppConfig, build_services, make_trip
    from ivi.ui.controller import Controller
    from ivi.ui.runtime import Screen, ScreenOptions
    from ivi.services.profiles import PROFILES
    from PySide6.QtCore import QObject, QTimer

    cfg = AppConfig(db_path=Path(db), sim_speedup=30.0 if kind == "drive" else 1.0, config_dir=Path(tempfile.mkdtemp()))
    trip = make_trip(cfg)
    services = build_services(cfg, trip, PROFILES["su7-pro"])
    if kind in ("latency", "stall"):
        services.vehicle = None
    c = Controller(services, trip, PROFILES["su7-pro"], str(cfg.config_dir))
    screen = Screen(c, ScreenOptions())
    c.start()
    out = {}

    def wait(pred, timeout_s=30.0):  # type: ignore[no-untyped-def]
        # An event loop polled by a timer: calling app.processEvents() in a Python loop crashes
        # PySide6 6.12 after ~10^5 calls ("none_dealloc"), so never spin on it.
        from PySide6.QtCore import QEventLoop

        end = time.perf_counter() + timeout_s
        if pred():
            return
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: loop.quit() if pred() or time.perf_counter() > end else None)
        poll.start(1)
        loop.exec()
        poll.stop()

    wait(lambda: screen.first_frame_s is not None)
    out["first_frame_s"] = time.perf_counter() - T0
    wait(lambda: c.system.value("cacheState") != "loading")
    if kind == "start":
        return out
    if kind == "drive":
        end = time.perf_counter() + 20.0  # 20 s × 30 = 10 simulated minutes
        wait(lambda: time.perf_counter() > end, 25.0)
        out["km"] = c.position_km()
        out["rss_mb"] = int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
        return out
    from ivi.services.ports import VehicleSample
    import threading

    soc_item = screen.window.findChild(QObject, "socText")
    if kind == "latency":
        lat = []
        for i in range(60):
            soc = 50.0 + (i % 2) * 10 + i * 0.01
            want = f"{soc:.0f}"
            t = time.perf_counter()
            threading.Thread(target=lambda s=soc: c.vehicle.deliver(VehicleSample(time.monotonic(), s, 0.0, None, None, 10.0))).start()
            wait(lambda: soc_item.property("text") == want, 2.0)
            swapped = []
            screen.after_next_frame(lambda: swapped.append(time.perf_counter()))
            wait(lambda: bool(swapped), 2.0)
            lat.append((swapped[0] - t) * 1000)
        return {"latency_ms_median": statistics.median(lat), "latency_ms_max": max(lat)}
    # stall: a full snapshot written by a background thread (the sync client's job), then a refresh
    from sync.feeds.bundled import bundled_feed_paths

    c.vehicle.deliver(VehicleSample(time.monotonic(), 70.0, 100.0, None, None, 50.0))
    gaps, last = [0.0], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    writer = ChargerStore.open(db, seed=False)
    done = threading.Event()

    def sync_job() -> None:
        writer.import_feeds(bundled_feed_paths(), source="bench-snapshot")
        c.cache_changed(None)
        done.set()

    t = time.perf_counter()
    threading.Thread(target=sync_job).start()
    wait(done.is_set, 120)
    end = time.perf_counter() + 1.0
    wait(lambda: time.perf_counter() > end)
    out["snapshot_s"] = time.perf_counter() - t - 1.0
    out["max_stall_ms"] = (max(gaps) - 0.005) * 1000
    last[0] = time.perf_counter()
    gaps[:] = [0.0]
    t = time.perf_counter()
    writer.import_feeds(bundled_feed_paths(), source="bench-naive")  # naive: on the GUI thread
    app.processEvents()
    out["naive_stall_ms"] = (time.perf_counter() - t) * 1000
    return out


def run_child(kind: str, db: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, __file__, "--child", kind, db], capture_output=True, text=True, env=env, timeout=300)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode or not lines:
        raise SystemExit(f"child {kind} failed:\n{p.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    from sync.store import ChargerStore

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "chargers.db"
    ChargerStore.open(db).close()
    bare = [run_child("bare", str(db))["first_frame_s"] for _ in range(3)]
    app = [run_child("start", str(db))["first_frame_s"] for _ in range(3)]
    drive = run_child("drive", str(db))
    lat = run_child("latency", str(db))
    stall = run_child("stall", str(db))
    b, a = statistics.median(bare), statistics.median(app)
    rows = [
        ("cold start → first frame (scale-1 cache)", f"{a:.2f} s", "< 1.5 s", f"bare QML window {b:.2f} s ({a / b:.1f}×)"),
        ("RSS after 10 min simulated driving", f"{drive['rss_mb']:.0f} MB", "< 300 MB", f"{drive['km']:.1f} km driven"),
        ("SoC sample → new value on screen", f"{lat['latency_ms_median']:.1f} ms", "< 100 ms", f"max {lat['latency_ms_max']:.1f} ms over 60"),
        ("longest GUI stall, full snapshot sync", f"{stall['max_stall_ms']:.0f} ms", "< 50 ms",
         f"naive (on GUI thread) {stall['naive_stall_ms']:.0f} ms ({stall['naive_stall_ms'] / max(stall['max_stall_ms'], 1):.0f}×); snapshot {stall['snapshot_s']:.1f} s"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':{w}}  {'value':>9}  {'target':>9}  baseline / notes")
    for r in rows:
        print(f"{r[0]:{w}}  {r[1]:>9}  {r[2]:>9}  {r[3]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
        os._exit(0)
    main()
