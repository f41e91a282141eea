"""A simulated fleet: N cars spread over a few worker processes (``sync.fleet.worker``), each car
a real MQTT session with its own client id; the cars' first nodes are spread over the cluster.

:class:`Fleet` starts the workers, sends them commands and gathers their reports. A worker that
does not answer within :data:`ANSWER_S` is an error, never a silent wait."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from sync.errors import SyncError
from sync.protocol.bodies import DEFAULT_DATASET

__all__ = ["ANSWER_S", "Fleet", "FleetError", "FleetReport", "car_names"]

ANSWER_S = 120.0


class FleetError(SyncError):
    """A worker died or did not answer."""


def car_names(n: int) -> list[str]:
    return [f"car{i:05d}" for i in range(n)]


@dataclass
class FleetReport:
    """Every car's report (``FleetCar.report``) and the workers' own numbers."""

    cars: list[dict[str, Any]]
    decoded: int = 0
    reused: int = 0
    loop_errors: int = 0
    at: float = field(default_factory=time.time)

    def count(self, pred: Callable[[dict[str, Any]], bool]) -> int:
        return sum(1 for c in self.cars if pred(c))

    def states(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.cars:
            out[c["state"]] = out.get(c["state"], 0) + 1
        return out


class Fleet:
    """``cars`` cars in ``processes`` worker processes; ``sqlite_cars`` of them (spread evenly)
    write real SQLite caches under ``db_dir``, the others keep a digest (``sync.fleet.digest``)."""

    def __init__(
        self,
        brokers: Sequence[str],
        pubkeys: Sequence[str | Path],
        cars: int,
        *,
        db_dir: Path,
        processes: int = 2,
        sqlite_cars: int = 0,
        jitter: str = "full",
        dataset: str = DEFAULT_DATASET,
        rate: float = 100.0,
        wildcard: bool = False,
    ) -> None:
        if not brokers:
            raise FleetError("no broker URL")
        self.brokers = list(brokers)
        self.pubkeys = [str(p) for p in pubkeys]
        self.names = car_names(cars)
        step = max(1, cars // sqlite_cars) if sqlite_cars else 0
        self.sqlite = set(self.names[::step][:sqlite_cars]) if step else set()
        self.db_dir = db_dir
        self.processes = max(1, min(processes, cars or 1))
        self.jitter = jitter
        self.dataset = dataset
        self.rate = rate
        self.wildcard = wildcard
        self._procs: list[subprocess.Popen] = []
        self._ids = 0
        self.started_at: float | None = None

    def _brokers_of(self, i: int) -> list[str]:
        k = i % len(self.brokers)
        return self.brokers[k:] + self.brokers[:k]  # first nodes spread over the cluster

    def start(self) -> Fleet:
        self.db_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        for w in range(self.processes):
            proc = subprocess.Popen(
                [sys.executable, "-m", "sync.fleet.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=open(self.db_dir / f"worker{w}.log", "ab"),  # noqa: SIM115 — the worker holds it
                env=env,
            )
            self._procs.append(proc)
        setups = []
        for w in range(self.processes):
            idx = list(range(w, len(self.names), self.processes))
            setups.append(
                {
                    "op": "setup",
                    "names": [self.names[i] for i in idx],
                    "brokers": [self._brokers_of(i) for i in idx],
                    "sqlite": sorted(self.sqlite),
                    "db_dir": str(self.db_dir),
                    "pubkeys": self.pubkeys,
                    "dataset": self.dataset,
                    "jitter": self.jitter,
                    "wildcard": self.wildcard,
                }
            )
        self._ask(setups)
        return self

    def connect(self) -> None:
        """Every car starts connecting, new sessions paced at ``rate`` a second in all."""
        self.started_at = time.time()
        self._ask([{"op": "start", "rate": self.rate / self.processes}] * self.processes)

    def _by_worker(self, names: Sequence[str]) -> list[list[str]]:
        index = {n: i for i, n in enumerate(self.names)}
        out: list[list[str]] = [[] for _ in self._procs]
        for n in names:
            out[index[n] % self.processes].append(n)
        return out

    def offline(self, names: Sequence[str]) -> None:
        self._ask([{"op": "offline", "cars": part} for part in self._by_worker(names)])

    def online(self, names: Sequence[str]) -> None:
        self._ask([{"op": "online", "cars": part} for part in self._by_worker(names)])

    def wipe_sessions(self, names: Sequence[str]) -> None:
        self._ask([{"op": "wipe", "cars": part} for part in self._by_worker(names)])

    def report(self, *, digest: bool = False, connects_since: float | None = None) -> FleetReport:
        cmd = {"op": "report", "digest": digest, "connects_since": connects_since}
        replies = self._ask([cmd] * len(self._procs))
        rep = FleetReport([c for r in replies for c in r["cars"]])
        for r in replies:
            rep.decoded += r["decoded"]
            rep.reused += r["reused"]
            rep.loop_errors += r["loop_errors"]
        return rep

    def wait(
        self,
        done: Callable[[FleetReport], bool],
        timeout_s: float,
        every_s: float = 0.5,
        connects_since: float | None = None,
    ) -> tuple[bool, float, FleetReport]:
        """Poll reports until ``done(report)``; (done, seconds waited, last report)."""
        t0 = time.monotonic()
        while True:
            rep = self.report(connects_since=connects_since)
            if done(rep):
                return True, time.monotonic() - t0, rep
            if time.monotonic() - t0 >= timeout_s:
                return False, time.monotonic() - t0, rep
            time.sleep(every_s)

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self._procs]

    def _ask(self, cmds: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One command to each worker, one answer from each."""
        ids = []
        for proc, cmd in zip(self._procs, cmds, strict=True):
            self._ids += 1
            ids.append(self._ids)
            assert proc.stdin is not None
            try:
                proc.stdin.write(orjson.dumps({**cmd, "id": self._ids}) + b"\n")
                proc.stdin.flush()
            except BrokenPipeError as exc:
                raise FleetError(f"fleet worker {proc.pid} is gone (see {self.db_dir}/worker*.log)") from exc
        replies = []
        for proc, want in zip(self._procs, ids, strict=True):
            assert proc.stdout is not None
            with selectors.DefaultSelector() as sel:
                sel.register(proc.stdout, selectors.EVENT_READ)
                if not sel.select(ANSWER_S):
                    raise FleetError(f"fleet worker {proc.pid} did not answer in {ANSWER_S:g} s")
            line = proc.stdout.readline()
            if not line:
                raise FleetError(f"fleet worker {proc.pid} exited (see {self.db_dir}/worker*.log)")
            reply = orjson.loads(line)
            if not reply.get("ok") or reply.get("id") != want:
                raise FleetError(f"fleet worker {proc.pid}: {reply.get('error', reply)}")
            replies.append(reply)
        return replies

    def stop(self) -> None:
        for proc in self._procs:
            try:
                if proc.stdin is not None:
                    proc.stdin.write(b'{"op":"stop"}\n')
                    proc.stdin.close()
            except (BrokenPipeError, ValueError):
                pass
        for proc in self._procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self._procs = []
