"""``make fuzz``: run each harness for a while under atheris, confirm and minimize what it finds, print the table.

Per harness, a worker process (``fuzz.worker``) fuzzes with libFuzzer's limits (``-timeout``, ``-rss_limit_mb``) under
``RLIMIT_AS``; when a hang or a blow-up kills it, the runner keeps the artifact and starts it again on the grown
corpus until the time is up. Every saved input is then replayed in a forked worker (``fuzz.isolate``): a finding that
replays is minimized, deduplicated by kind (exception type + innermost frame of ours, or ``Timeout@frame``) and kept as
``fuzz-out/<harness>/findings/<kind>.bin`` with a ``.txt`` beside it (kind, traceback) — ready to be copied into
``tests/fuzz_corpus/<harness>/`` once fixed.

    python -m fuzz.runner --seconds 300                  # every harness, 5 minutes each
    python -m fuzz.runner --seconds 60 sync_signed       # one harness
    python -m fuzz.runner --replay FILE [--harness NAME] # one input, isolated; the harness is read from the path
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from fuzz import harnesses
from fuzz.isolate import ROOT, Outcome, kind_from_dump, minimize, run_isolated

__all__ = ["Result", "fuzz_one", "main", "replay", "table"]

OUT = ROOT / "fuzz-out"
_STAT_RUNS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_STATUS = re.compile(r"^#(\d+)\s.*?cov: (\d+)", re.MULTILINE)


@dataclass
class Result:
    """One harness's run: inputs tried, seconds, edges covered (``None`` without atheris), kinds found."""

    name: str
    inputs: int = 0
    seconds: float = 0.0
    coverage: int | None = None
    findings: dict[str, Path] = field(default_factory=dict)
    restarts: int = 0

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0


def _slug(kind: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", kind)[:120]


def _confirm(name: str, data: bytes, hint: str, result: Result, findings: Path, timeout_s: int) -> None:
    """Replay an input in a fork; keep it (minimized, one per kind) if it fails there too."""
    check = harnesses.load(name).check
    outcome = run_isolated(check, data, timeout_s)
    if not outcome.failed:
        outcome = Outcome("flaky", hint or "flaky", "did not replay in a fresh process")
    if outcome.kind in result.findings:
        return
    small = (
        minimize(check, data, outcome.kind, budget_s=10.0 if outcome.status == "timeout" else 8.0)
        if (outcome.status != "flaky")
        else data
    )
    if small != data and run_isolated(check, small, timeout_s).kind != outcome.kind:
        small = data  # shrunk where the stack was deeper (a RecursionError's depth): keep what replays fresh
    path = findings / f"{_slug(outcome.kind)}.bin"
    path.write_bytes(small)
    path.with_suffix(".txt").write_text(f"{outcome.kind}\n{len(data)} → {len(small)} bytes\n\n{outcome.detail}\n")
    result.findings[outcome.kind] = path


def _run_worker(cmd: list[str], limit_s: float, log_path: Path) -> tuple[int | None, str]:
    """Run one worker to its end (exit status, its stderr); past ``limit_s`` ask it for its stack (SIGUSR1:
    ``faulthandler``), kill it and return ``None``."""
    with tempfile.TemporaryFile("w+", errors="replace") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        try:
            returncode: int | None = proc.wait(limit_s)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGUSR1)
            time.sleep(2)
            proc.kill()
            proc.wait()
            returncode = None
        err.seek(0)
        log = err.read()
    with log_path.open("a") as keep:
        keep.write(f"--- worker exit {returncode}\n{log[-100_000:]}\n")
    return returncode, log


def fuzz_one(name: str, seconds: float, timeout_s: int = 2, memory_mb: int = 2048, plain: bool = False) -> Result:
    """Fuzz harness ``name`` for ``seconds`` and return its result (findings confirmed and minimized)."""
    harness = harnesses.load(name)
    base = OUT / name
    corpus, artifacts, raw, findings = (base / d for d in ("corpus", "artifacts", "raw", "findings"))
    for d in (artifacts, raw, findings):  # this run's findings only; the grown corpus is kept
        shutil.rmtree(d, ignore_errors=True)
    (base / "worker.log").unlink(missing_ok=True)
    for d in (corpus, artifacts, raw, findings):
        d.mkdir(parents=True, exist_ok=True)
    for seed in harness.seeds():
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)
    result = Result(name)
    started = time.monotonic()
    plain = plain or importlib.util.find_spec("atheris") is None
    while (left := seconds - (time.monotonic() - started)) >= 1:
        cmd = [sys.executable, "-m", "fuzz.worker", name, "--corpus", str(corpus), "--artifacts", str(artifacts)]
        cmd += ["--findings", str(raw), "--seconds", str(int(left)), "--timeout", str(timeout_s)]
        cmd += ["--rss-mb", str(memory_mb)] + (["--plain"] if plain else [])
        returncode, log = _run_worker(cmd, left + 60, base / "worker.log")
        if returncode is None:  # stuck where libFuzzer's alarm does not reach (between inputs): its stack is the kind
            result.restarts += 1
            result.findings.setdefault(f"Hang@{kind_from_dump(log[-20_000:])}", base / "worker.log")
            continue
        if "RESTART rss" in log:  # memory that grew from input to input: a finding, though the run goes on
            result.findings.setdefault("MemoryGrowth", base / "worker.log")
        runs = _STAT_RUNS.findall(log) or [m[0] for m in _STATUS.findall(log)][-1:]
        result.inputs += int(runs[-1]) if runs else 0
        covs = [int(c) for _, c in _STATUS.findall(log)]
        if covs:
            result.coverage = max(result.coverage or 0, *covs)
        if returncode != 0:
            result.restarts += 1
            if not any(artifacts.iterdir()) and "FINDING" not in log:
                print(f"{name}: worker exited {returncode} without an artifact:\n{log[-3000:]}", file=sys.stderr)
                break
    result.seconds = time.monotonic() - started
    for path in sorted(artifacts.iterdir()):  # hangs, blow-ups and hard crashes that stopped the worker
        _confirm(name, path.read_bytes(), path.name.split("-", 1)[0].capitalize(), result, findings, timeout_s)
        path.unlink()
    for path in sorted(raw.glob("*.bin")):  # exceptions the worker recorded and went past
        _confirm(name, path.read_bytes(), path.with_suffix(".kind").read_text().strip(), result, findings, timeout_s)
    return result


def table(results: list[Result]) -> str:
    """The Markdown table ``make fuzz`` prints (and the README keeps)."""
    lines = ["| parser | inputs | inputs/s | coverage (edges) | findings |", "|---|---:|---:|---:|---:|"]
    for r in results:
        cov = "-" if r.coverage is None else f"{r.coverage:,}"
        lines.append(f"| {r.name} | {r.inputs:,} | {r.rate:,.0f} | {cov} | {len(r.findings)} |")
    return "\n".join(lines)


def replay(path: Path, name: str | None, timeout_s: int = 2) -> Outcome:
    """Run one saved input through its harness in a forked worker with the usual limits."""
    if name is None:
        parts = path.resolve().parts
        name = next((p for p in reversed(parts[:-1]) if p in harnesses.names()), None)
        if name is None:
            raise SystemExit(f"cannot tell the harness from {path}: pass --harness")
    return run_isolated(harnesses.load(name).check, path.read_bytes(), timeout_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="harnesses to run (default: all)")
    parser.add_argument("--seconds", type=float, default=180.0, help="per harness")
    parser.add_argument("--timeout", type=int, default=2, help="seconds per input before it counts as a hang")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address space of a worker")
    parser.add_argument("--plain", action="store_true", help="mutation without atheris (no coverage figure)")
    parser.add_argument("--replay", type=Path, help="run one input file and say what it does")
    parser.add_argument("--harness", help="the harness of --replay (default: from the file's folder)")
    args = parser.parse_args(argv)
    if args.replay:
        outcome = replay(args.replay, args.harness, args.timeout)
        print(f"{outcome.status} {outcome.kind}\n{outcome.detail}".rstrip())
        return 1 if outcome.failed else 0
    names = args.names or harnesses.names()
    missing = sorted(set(harnesses.EXPECTED) - set(harnesses.names()))
    if missing and not args.names:
        print(f"warning: no harness yet for {', '.join(missing)}", file=sys.stderr)
    unknown = sorted(set(names) - set(harnesses.names()))
    if unknown:
        parser.error(f"unknown harness(es): {', '.join(unknown)}; have {', '.join(harnesses.names())}")
    results = []
    for name in names:
        print(f"fuzzing {name} for {args.seconds:.0f} s …", file=sys.stderr, flush=True)
        result = fuzz_one(name, args.seconds, args.timeout, args.memory_mb, args.plain)
        for kind, path in result.findings.items():
            print(f"  {kind}: {path.relative_to(ROOT)}", file=sys.stderr)
        results.append(result)
    text = table(results)
    OUT.mkdir(exist_ok=True)
    (OUT / "table.md").write_text(text + "\n")
    print(text)
    return 1 if any(r.findings for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
