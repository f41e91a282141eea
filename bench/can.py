"""Benchmark of the CAN reader: decoded frames/s (pure, from a log, over a virtual bus), CPU at a
realistic bus load, and frame-to-state latency — each against a naive baseline in the same run
(no hardware filters, every frame decoded with the whole DBC).

Run: ``PYTHONPATH=. python bench/can.py``. Prints a table.
"""
from __future__ import annotations

import sys
from pathlib import Path

# This file is named can.py: keep its folder off the path so ``import can`` finds python-can.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import statistics
import tempfile
import threading
import time

from ivi.can import BusSource, CanDatabase, CanReader, Decoder, Frame, LogSource, Simulator, load_mapping
from ivi.can.bus import FrameNotifier, LogWriter, open_bus, read_log, send, shutdown

FULL_BUS_FPS = 4000
ROUTE = [(39.90, 116.40), (39.93, 116.43)]


def sim_frames() -> list[Frame]:
    return list(Simulator(ROUTE, start_soc_percent=70).frames())


def naive_decode(db: CanDatabase):  # type: ignore[no-untyped-def]
    def decode(frame: Frame) -> None:
        try:
            db.decode(frame.arbitration_id, frame.data)
        except (KeyError, ValueError):
            pass
    return decode


def pure_rate(frames: list[Frame], db: CanDatabase) -> tuple[float, float]:
    decoder = Decoder(db, load_mapping(db))
    t = time.perf_counter()
    for f in frames:
        decoder.decode(f)
    ours = len(frames) / (time.perf_counter() - t)
    naive = naive_decode(db)
    t = time.perf_counter()
    for f in frames:
        naive(f)
    return ours, len(frames) / (time.perf_counter() - t)


def log_rate(path: Path) -> float:
    t = time.perf_counter()
    reader = CanReader(LogSource(path)).start()
    reader.join()
    return reader.status.frames_in / (time.perf_counter() - t)


def virtual_rate(frames: list[Frame]) -> float:
    channel = f"bench-{time.monotonic_ns()}"
    reader = CanReader(BusSource("virtual", channel)).start()
    bus = open_bus("virtual", channel)
    t = time.perf_counter()
    for f in frames:
        send(bus, f)
    while reader.status.frames_in < len(frames) and time.perf_counter() - t < 60:
        time.sleep(0.001)
    dt = time.perf_counter() - t
    reader.stop()
    shutdown(bus)
    return reader.status.frames_in / dt


def realistic_load(ours: list[Frame], naive: bool, seconds: float = 4.0, our_fps: int = 300,
                   other_fps: int = 3000) -> tuple[float, list[float]]:
    """CPU share of the receiving thread and latencies, ours vs a naive unfiltered listener."""
    channel = f"load-{time.monotonic_ns()}"
    ident: list[int] = []
    latencies: list[float] = []
    db = CanDatabase.load()
    if naive:
        bus_rx = open_bus("virtual", channel)
        decode = naive_decode(db)

        def on_frame(frame: Frame) -> None:
            if not ident:
                ident.append(threading.get_ident())
            decode(frame)
            latencies.append(time.time() - frame.timestamp_s)
        notifier = FrameNotifier(bus_rx, on_frame, lambda e: None)
    else:
        def on_update(updates) -> None:  # type: ignore[no-untyped-def]
            if not ident:
                ident.append(threading.get_ident())
            latencies.append(time.time() - updates[0].timestamp_s)
        reader = CanReader(BusSource("virtual", channel), on_update=on_update).start()
    tx = open_bus("virtual", channel)
    others = [Frame(0x600 + (i % 200), bytes(8), 0.0) for i in range(other_fps)]
    per_tick = max(1, (our_fps + other_fps) // 100)  # 10 ms ticks
    mixed = []
    oi = 0
    for i in range(our_fps):
        mixed.append(ours[i % len(ours)])
        for _ in range(other_fps // our_fps):
            mixed.append(others[oi % len(others)])
            oi += 1
    start = time.perf_counter()
    cpu0 = None
    sent = 0
    while time.perf_counter() - start < seconds:
        for f in mixed[(sent % len(mixed)):(sent % len(mixed)) + per_tick]:
            send(tx, f)
            sent += 1
        if cpu0 is None and ident:
            cpu0 = (time.clock_gettime(time.pthread_getcpuclockid(ident[0])), time.perf_counter())
        time.sleep(max(0.0, start + sent / (our_fps + other_fps) - time.perf_counter()))
    cpu1 = (time.clock_gettime(time.pthread_getcpuclockid(ident[0])), time.perf_counter())
    if naive:
        notifier.stop()
        shutdown(bus_rx)
    else:
        reader.stop()
    shutdown(tx)
    assert cpu0 is not None
    return (cpu1[0] - cpu0[0]) / (cpu1[1] - cpu0[1]) * 100.0, latencies


def main() -> None:
    db = CanDatabase.load()
    frames = sim_frames()
    with tempfile.TemporaryDirectory() as d:
        asc = Path(d) / "drive.asc"
        with LogWriter(asc) as w:
            for f in frames:
                w.write(f)
        ours_pure, naive_pure = pure_rate(frames, db)
        log_fps = log_rate(asc)
        parse_only = len(list(read_log(asc)))
    bus_fps = virtual_rate(frames[:40000])
    cpu_ours, lat_ours = realistic_load(frames, naive=False)
    cpu_naive, lat_naive = realistic_load(frames, naive=True)
    p50 = statistics.median(lat_ours) * 1000
    p99 = sorted(lat_ours)[int(len(lat_ours) * 0.99)] * 1000
    n50 = statistics.median(lat_naive) * 1000
    rows = [
        ("decode only (pure Decoder), frames/s", f"{ours_pure:,.0f}", f"{naive_pure:,.0f}", f"{ours_pure / FULL_BUS_FPS:.0f}× full bus"),
        ("reader from .asc log, frames/s", f"{log_fps:,.0f}", "", f"{log_fps / FULL_BUS_FPS:.1f}× full bus"),
        ("reader on virtual bus, frames/s", f"{bus_fps:,.0f}", "", f"{bus_fps / FULL_BUS_FPS:.1f}× full bus"),
        ("CPU at 300 ours + 3,000 other fps, % core", f"{cpu_ours:.1f}", f"{cpu_naive:.1f}", f"{cpu_naive / max(cpu_ours, 0.01):.1f}× less"),
        ("frame→state latency p50 / p99, ms", f"{p50:.2f} / {p99:.2f}", f"{n50:.2f}", "target < 5 ms"),
    ]
    print(f"{len(frames):,} simulated frames ({parse_only:,} via .asc)")
    print(f"{'measure':44} {'ours':>16} {'naive':>10}  note")
    for name, a, b, note in rows:
        print(f"{name:44} {a:>16} {b:>10}  {note}")


if __name__ == "__main__":
    main()
