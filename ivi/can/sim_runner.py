"""The imperative shell of the simulator: pace simulated frames onto a bus and/or into a log.

Frames are sent when the wall clock reaches ``simulated time / speedup``; control frames
(ID 0x7F0, see :mod:`ivi.can.simulator`) are read from the same bus between ticks. Without a
bus there is nothing to pace, so a log-only run goes as fast as the CPU allows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivi.can.bus import LogWriter, receive, send
from ivi.can.simulator import SimStats, Simulator

_CONTROL_POLL_S = 0.05


@dataclass(frozen=True)
class RunResult:
    frames: int
    distance_km: float
    sim_time_s: float
    displayed_soc_percent: float
    true_consumption_kwh_per_km: float | None
    arrived: bool
    battery_empty: bool
    stopped: bool
    stats: SimStats


def run_simulator(
    sim: Simulator,
    bus: Any = None,
    *,
    log: str | Path | None = None,
    stop_event: threading.Event | None = None,
    paced: bool | None = None,
    on_progress: Callable[[Simulator], None] | None = None,
    progress_every_s: float = 60.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    """Drive to the end of the route (or until ``stop_event``); returns what happened."""
    paced = bus is not None if paced is None else paced
    writer = LogWriter(log) if log is not None else None
    stop_event = stop_event or threading.Event()
    wall0 = clock()
    sim_t0 = None
    next_poll = next_progress = 0.0
    stopped = False
    try:
        for frame in sim.frames():
            if stop_event.is_set():
                stopped = True
                break
            t = frame.timestamp_s - sim.start_time_s
            if sim_t0 is None:
                sim_t0 = t
            if paced:
                ahead = (t - sim_t0) / sim.speedup - (clock() - wall0)
                if ahead > 0.001:
                    sleep(ahead)
            if bus is not None:
                send(bus, frame)
                if t >= next_poll:
                    next_poll = t + _CONTROL_POLL_S * sim.speedup
                    _drain_control(sim, bus)
            if writer is not None:
                writer.write(frame)
            if on_progress is not None and t >= next_progress:
                next_progress = t + progress_every_s
                on_progress(sim)
    finally:
        if writer is not None:
            writer.close()
    c = sim.car
    return RunResult(
        sim.stats.frames,
        c.km,
        c.t_s,
        sim.displayed_soc_percent,
        sim.true_consumption_kwh_per_km,
        c.arrived,
        c.empty,
        stopped,
        sim.stats,
    )


def _drain_control(sim: Simulator, bus: Any) -> None:
    for _ in range(16):
        frame = receive(bus, 0.0)
        if frame is None:
            return
        sim.handle_control(frame)
