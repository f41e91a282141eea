"""The fuzzing worker: one harness under atheris (libFuzzer) in its own process, started by ``fuzz.runner``.

The parser's modules are imported inside atheris' instrumentation, so libFuzzer sees their branches (the ``cov``
figure is edges covered). An exception does not stop the run: its kind is computed, the first input of each new kind
is saved to the findings folder (``<sha1>.bin`` + ``.kind``) and fuzzing goes on — a known bug does not hide the
next one. A hang or memory blow-up stops the process (libFuzzer's ``-timeout``, ``-rss_limit_mb`` and the runner's
``RLIMIT_AS``); libFuzzer then writes the input as a ``timeout-``/``oom-``/``crash-`` artifact and the runner restarts
the worker. Without atheris, a plain loop of structure-aware mutations stands in (no coverage figure).
"""

from __future__ import annotations

import argparse
import faulthandler
import hashlib
import os
import random
import resource
import signal
import sys
import time
from pathlib import Path

from fuzz.harness import Harness
from fuzz.isolate import kind_of
from fuzz.mutators import mutate_bytes

__all__ = ["main"]

INSTRUMENTED = ["sync", "chargers", "ivi", "geo"]


class _Recorder:
    """Saves the first input of each new finding kind; counts every input by kind."""

    def __init__(self, findings: Path) -> None:
        self.findings = findings
        findings.mkdir(parents=True, exist_ok=True)
        self.known = {p.read_text().strip() for p in findings.glob("*.kind")}

    def record(self, data: bytes, exc: BaseException) -> None:
        kind = kind_of(exc)
        if kind in self.known:
            return
        self.known.add(kind)
        name = hashlib.sha1(data).hexdigest()
        (self.findings / f"{name}.bin").write_bytes(data)
        (self.findings / f"{name}.kind").write_text(kind + "\n")
        print(f"FINDING {kind} ({len(data)} bytes)", file=sys.stderr, flush=True)


def _rss_mb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def _target(harness: Harness, recorder: _Recorder, restart_above_mb: int):
    runs = 0

    def test_one_input(data: bytes) -> None:
        nonlocal runs
        try:
            harness.check(data)
        except Exception as exc:  # every escape is a finding; the worker goes on
            recorder.record(data, exc)
        runs += 1
        if runs % 2000 == 0 and _rss_mb() > restart_above_mb:
            # A safety net: memory that grows from input to input (once the mutator's own, fixed) restarts the
            # worker before libFuzzer's RSS limit reports it as an out-of-memory input. A single input that blows
            # up is still caught (RLIMIT_AS, -rss_limit_mb).
            print(f"RESTART rss {_rss_mb()} MB\nstat::number_of_executed_units: {runs}", file=sys.stderr, flush=True)
            os._exit(0)

    return test_one_input


def _mutator(harness: Harness):
    import atheris

    structured = harness.mutate

    def custom(data: bytes, max_size: int, seed: int) -> bytes:
        if structured is None or (harness.byte_level and seed % 2 == 0) or seed % 5 == 0:
            return atheris.Mutate(data, max_size)
        return structured(data, max_size, seed)

    return custom


def _fuzz_atheris(args: argparse.Namespace) -> None:
    import atheris

    from fuzz import harnesses

    with atheris.instrument_imports(include=INSTRUMENTED):
        harness = harnesses.load(args.harness)
    recorder = _Recorder(Path(args.findings))
    argv = [
        sys.argv[0],
        str(args.corpus),
        f"-max_total_time={max(1, int(args.seconds))}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_mb}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={args.artifacts}/",
        "-print_final_stats=1",
        "-close_fd_mask=1",  # the parsers' own stdout (click's echo) would flood the log
    ]
    kwargs = {"custom_mutator": _mutator(harness)} if harness.mutate is not None or not harness.byte_level else {}
    atheris.Setup(argv, _target(harness, recorder, args.rss_mb // 2), **kwargs)
    atheris.Fuzz()


def _fuzz_plain(args: argparse.Namespace) -> None:
    """The stand-in without atheris: mutate seeds and saved inputs, no coverage guidance."""
    from fuzz import harnesses

    harness = harnesses.load(args.harness)
    recorder = _Recorder(Path(args.findings))
    corpus_dir = Path(args.corpus)
    pool = [p.read_bytes() for p in sorted(corpus_dir.iterdir()) if p.is_file()] or [b""]
    current = Path(args.artifacts) / "current-input"
    mutate = harness.mutate or mutate_bytes
    rng = random.Random(args.seed)
    runs = 0
    started = time.monotonic()
    with current.open("wb") as hold:
        faulthandler.enable()
        while time.monotonic() - started < args.seconds:
            data = mutate(rng.choice(pool), args.max_len, rng.getrandbits(32))
            hold.seek(0)
            hold.truncate()
            hold.write(data)
            hold.flush()
            try:
                harness.check(data)
            except Exception as exc:
                recorder.record(data, exc)
            runs += 1
            if rng.random() < 0.01:
                pool.append(data)
    current.unlink()
    print(f"stat::number_of_executed_units: {runs}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fuzz.worker")
    parser.add_argument("harness")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--findings", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--timeout", type=int, default=2)
    parser.add_argument("--rss-mb", type=int, default=2048, help="address space and libFuzzer's RSS limit")
    parser.add_argument("--max-len", type=int, default=65536)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "1")))
    parser.add_argument("--plain", action="store_true", help="the mutation loop without atheris")
    args = parser.parse_args()
    limit = args.rss_mb * 1024 * 1024  # the address space: a blow-up raises MemoryError where it happens
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.setrecursionlimit(1000)  # the default: a parser must not rely on more
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # the runner asks where a stuck worker is
    if args.plain:
        _fuzz_plain(args)
    else:
        _fuzz_atheris(args)


if __name__ == "__main__":
    main()
