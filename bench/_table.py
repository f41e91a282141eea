"""Shared by the benchmark scripts: timing and a plain-text table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def timings(fn: Callable[[], object], repeat: int = 20, warm_up: bool = True) -> tuple[float, float, object]:
    """(median, best) wall time of ``fn`` in milliseconds, and its last result.

    Both, because the shared machines these run on change speed by up to 2× from one minute to
    the next: the median is the typical run, the best is what the code costs when nothing
    interferes (as ``timeit`` recommends: noise only ever adds time)."""
    result = fn() if warm_up else None
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), min(samples), result


def timed_ms(fn: Callable[[], object], repeat: int = 20) -> float:
    """Median wall time of ``fn`` in milliseconds (after one warm-up call)."""
    return timings(fn, repeat)[0]


def median_best(median: float, best: float) -> str:
    return f"{median:,.1f} ({best:,.1f})" if median < 100 else f"{median:,.0f} ({best:,.0f})"


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
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + " |")


def _fmt(c: object) -> str:
    if isinstance(c, float):
        return f"{c:,.2f}" if c < 100 else f"{c:,.0f}"
    return str(c)
