"""Shared by the benchmark scripts: timing and a plain-text table."""
from __future__ import annotations

import statistics
import time
from typing import Callable, Sequence


def timed_ms(fn: Callable[[], object], repeat: int = 20) -> float:
    """Median wall time of ``fn`` in milliseconds (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def loop_ms() -> float:
    """How fast this machine runs Python right now: the best of five 1,000,000-step loops.

    Benchmarks from different machines (or one machine under different load) are comparable only
    through a yardstick like this; an unloaded 2.6 GHz x86-64 core takes about 40 ms."""
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        s = 0
        for i in range(1_000_000):
            s += i
        best = min(best, (time.perf_counter() - t) * 1000)
    return best


def machine_line() -> str:
    return f"machine yardstick: a 1,000,000-step Python loop took {loop_ms():.0f} ms (unloaded 2.6 GHz core: ~40 ms)"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    print(machine_line())
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}\n")
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


def _fmt(c: object) -> str:
    if isinstance(c, float):
        return f"{c:,.2f}" if c < 100 else f"{c:,.0f}"
    return str(c)
