"""The fleet's scripted day: cold start, a new version with deltas, a stream of status changes,
a share of cars away (some long enough for their sessions to expire) and back, a node killed
mid-sync and restarted, the publisher restarted. After each phase every car must be in step
with the publisher (version, status sequence) and, at the checkpoints, hold the publisher's rows
(digest); a phase that does not converge in its time says which cars are not there and why.

Node faults come from whoever owns the nodes (:class:`Faults`: the tests' and the benchmark's
cluster); without it the day runs every other fault.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from chargers.models import Location, Tariff
from sync.activity import StatusSimulator
from sync.errors import TransportError
from sync.fleet.digest import publisher_digest, reference_cache_digest
from sync.fleet.fleet import Fleet, FleetReport
from sync.publisher import Publisher

__all__ = ["Day", "DayOptions", "Faults", "Phase", "in_step"]

log = logging.getLogger(__name__)

RESTART_WAIT_S = 180.0  # at a phase's end, for a node being restarted


class Faults(Protocol):
    """Node faults: SIGKILL node ``i``, start it again."""

    def kill(self, i: int) -> None: ...

    def restart(self, i: int) -> None:
        """Start node ``i`` again and return once it is back; raise ``RuntimeError`` if it is not
        back in time."""


@dataclass
class Phase:
    """One phase of the day: how long until every car was in step, and what it cost."""

    name: str
    seconds: float
    converged: bool
    cars: int
    in_step: int
    bytes_per_car: float
    digests_ok: int | None = None  # cars whose rows equal the publisher's (checkpoints only)
    note: str = ""
    laggards: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DayOptions:
    phase_timeout_s: float = 120.0
    kill_node: int | None = None  # which node to SIGKILL mid-snapshot and mid-version (None: none)
    kill_at_share: float = 0.3  # … once this share of the cars holds the new version
    restart_after_s: float = 3.0
    status_batches: int = 10
    changes_per_batch: int = 50
    away_share: float = 0.2  # cars switched off for the "hours"
    expired_share: float = 0.5  # … of which this share lose their session meanwhile
    changed_share: float = 0.02  # locations a new version changes
    seed: int = 7


def in_step(rep: FleetReport, version: int, status_seq: int) -> int:
    return rep.count(lambda c: c["synced"] and c["version"] == version and c["status_seq"] == status_seq)


class Day:
    """Runs the day on ``fleet`` against the publisher that ``make_publisher`` builds (called
    again for the restart: give it a state dir)."""

    def __init__(
        self,
        fleet: Fleet,
        make_publisher: Callable[[], Publisher],
        locations: Sequence[Location],
        tariffs: Sequence[Tariff],
        *,
        faults: Faults | None = None,
        options: DayOptions = DayOptions(),
        say: Callable[[str], None] = lambda s: None,
    ) -> None:
        self.fleet = fleet
        self.make_publisher = make_publisher
        self.locations = list(locations)
        self.tariffs = list(tariffs)
        self.faults = faults
        self.opt = options
        self.say = say
        self.rng = random.Random(options.seed)
        self.pub: Publisher | None = None
        self._restart_at = 0.0
        self._restarting: threading.Thread | None = None
        self._restart_problem = ""
        self.sim = StatusSimulator((e.uid, e.status, e.last_updated) for loc in self.locations for e in loc.evses)
        self.phases: list[Phase] = []
        self._clock = time.time()  # the simulated statuses' time: it runs ahead of the wall clock

    # ------------------------------------------------------------ the publisher, retried

    def _publisher(self) -> Publisher:
        assert self.pub is not None
        return self.pub

    def _retry(self, what: str, fn: Callable[[], Any]) -> Any:
        """A publisher call during a node failure may time out: at most 4 tries, jittered waits."""
        for attempt in range(4):
            try:
                return fn()
            except TransportError as exc:
                wait = min(8.0, 1.0 * 2**attempt) * self.rng.random()
                log.warning("%s failed (%s); again in %.1f s", what, exc, wait)
                time.sleep(wait)
        return fn()

    def _statuses(self, batches: int, per_batch: int) -> None:
        for _ in range(batches):
            self._clock += 60
            changes = self.sim.changes(per_batch, self._clock)

            def send(c: list = changes) -> int:
                return self._publisher().publish_statuses(c, wait=True)

            self._retry("status batch", send)
        self._retry("heartbeat", lambda: self._publisher().heartbeat())

    # ------------------------------------------------------------ phases

    def _converge(
        self,
        name: str,
        t0: float,
        bytes0: dict[str, int],
        *,
        kill_at: float | None = None,
        killed: int | None = None,
        digests: bool = False,
    ) -> Phase:
        """Wait until every car is in step; with ``kill_at`` SIGKILL the node once that share of
        the cars is (``killed``: it was killed already), and restart it after the set time."""
        pub = self._publisher()
        version, seq = pub.state.version, pub.state.status_seq
        n = len(self.fleet.names)
        note = f"node {killed} SIGKILLed as the version went out" if killed is not None else ""

        def done(rep: FleetReport) -> bool:
            nonlocal killed, note
            k = in_step(rep, version, seq)
            if kill_at is not None and killed is None and self.faults and kill_at * n <= k < n:
                killed = self.opt.kill_node
                assert killed is not None
                self.faults.kill(killed)
                note = (
                    f"node {killed} SIGKILLed with {k}/{n} cars in step, restarted after {self.opt.restart_after_s:g} s"
                )
                self.say(f"  {note}")
                self._restart_at = time.monotonic() + self.opt.restart_after_s
            if killed is not None and self._restart_at and time.monotonic() >= self._restart_at:
                self._restart_at = 0.0
                self._restart(killed)
            return k == n

        if killed is None:
            self._restart_at = 0.0
        ok, _, rep = self.fleet.wait(done, self.opt.phase_timeout_s)
        seconds = time.monotonic() - t0
        if killed is not None and self._restart_at:
            self._restart(killed)
        if self._restarting is not None:  # the next phase starts with every node back
            self._restarting.join(RESTART_WAIT_S)
            self._restarting = None
        if self._restart_problem:
            note += f"; {self._restart_problem}"
            self._restart_problem = ""
        spent = sum(c["bytes"] - bytes0.get(c["car"], 0) for c in rep.cars)
        phase = Phase(name, seconds, ok, n, in_step(rep, version, seq), spent / max(1, n), note=note)
        if not ok:
            phase.laggards = [
                {k: c[k] for k in ("car", "state", "detail", "version", "status_seq", "node", "last_error")}
                for c in rep.cars
                if not (c["synced"] and c["version"] == version and c["status_seq"] == seq)
            ][:10]
        if digests:
            phase.digests_ok = self.check_digests()
        self.phases.append(phase)
        self.say(
            f"{name}: {phase.in_step}/{n} cars in step (version {version}, statuses {seq}) after {seconds:.1f} s"
            + (f", rows equal the publisher's: {phase.digests_ok}/{n}" if digests else "")
        )
        return phase

    def _restart(self, i: int) -> None:
        """Restart node ``i`` on a thread of its own: the cars are watched meanwhile (a node that
        recovers a thousand sessions' consumers can take a minute to be back), and a node that
        does not come back is said in the phase's note, not a crash of the day."""

        def run() -> None:
            try:
                self.faults.restart(i)  # type: ignore[union-attr]
            except RuntimeError as exc:
                self._restart_problem = f"node {i} not back: {exc}"
                log.warning("%s", self._restart_problem)

        self._restarting = threading.Thread(target=run, name=f"restart-node-{i}", daemon=True)
        self._restarting.start()

    def check_digests(self) -> int:
        """Cars whose cache digest equals the publisher's."""
        rep = self.fleet.report(digest=True)
        op = self._publisher().operator
        light, heavy = publisher_digest(op), reference_cache_digest(op)
        return rep.count(lambda c: c["digest"] == (heavy if c["kind"] == "sqlite" else light))

    def _bytes(self) -> dict[str, int]:
        return {c["car"]: c["bytes"] for c in self.fleet.report().cars}

    def cold_start(self) -> Phase:
        self.pub = self._retry("publisher start", lambda: self.make_publisher().start())
        self._retry("publish", lambda: self._publisher().publish_dataset(self.locations, self.tariffs))
        t0 = time.monotonic()
        self.fleet.connect()
        kill = self.opt.kill_at_share if self.opt.kill_node is not None else None
        return self._converge("cold start", t0, {}, kill_at=kill, digests=True)

    def new_version(self) -> Phase:
        k = max(1, int(len(self.locations) * self.opt.changed_share))
        picked = self.rng.sample(range(len(self.locations)), 2 * k)
        changed, removed = set(picked[:k]), set(picked[k:])
        self.locations = [
            dataclasses.replace(loc, name=loc.name + " ·") if i in changed else loc
            for i, loc in enumerate(self.locations)
            if i not in removed
        ]
        b0 = self._bytes()
        t0 = time.monotonic()
        kill = self.opt.kill_at_share if self.opt.kill_node is not None else None
        if kill is not None and self.faults is not None:  # deltas are small: kill as they go out
            self.faults.kill(self.opt.kill_node)  # type: ignore[arg-type]
            self._restart_at = time.monotonic() + self.opt.restart_after_s
        # publish_dataset ends with a heartbeat of its own; the full heartbeat (which reads the
        # broker back) would count the publisher's probe timeouts during the failure as the cars'.
        self._retry("publish", lambda: self._publisher().publish_dataset(self.locations, self.tariffs))
        return self._converge(
            "new version", t0, b0, killed=self.opt.kill_node if kill is not None else None, digests=True
        )

    def status_stream(self) -> Phase:
        b0 = self._bytes()
        t0 = time.monotonic()
        self._statuses(self.opt.status_batches, self.opt.changes_per_batch)
        return self._converge("status stream", t0, b0)

    def away_and_back(self) -> Phase:
        names = self.fleet.names
        step = max(1, round(1 / self.opt.away_share)) if self.opt.away_share else 0
        away = names[::step] if step else []
        expired = away[:: max(1, round(1 / self.opt.expired_share))] if self.opt.expired_share else []
        self.fleet.offline(away)
        time.sleep(1.0)
        self._statuses(self.opt.status_batches * 3, self.opt.changes_per_batch)  # the "hours" away
        self.locations = [
            dataclasses.replace(loc, name=loc.name + "!") if i % 97 == 0 else loc
            for i, loc in enumerate(self.locations)
        ]
        self._retry("publish", lambda: self._publisher().publish_dataset(self.locations, self.tariffs))
        self._retry("heartbeat", lambda: self._publisher().heartbeat())
        if expired:
            self.fleet.wipe_sessions(expired)
            time.sleep(2.0)
        b0 = self._bytes()
        t0 = time.monotonic()
        self.fleet.online(away)
        phase = self._converge(f"{len(away)} cars back ({len(expired)} sessions expired)", t0, b0)
        return phase

    def publisher_restart(self) -> Phase:
        self._publisher().close()
        self.pub = self._retry("publisher start", lambda: self.make_publisher().start())
        b0 = self._bytes()
        t0 = time.monotonic()
        self._statuses(self.opt.status_batches, self.opt.changes_per_batch)
        return self._converge("publisher restarted", t0, b0, digests=True)

    def run(self) -> list[Phase]:
        try:
            for step in (
                self.cold_start,
                self.new_version,
                self.status_stream,
                self.away_and_back,
                self.publisher_restart,
            ):
                step()
        finally:
            if self.pub is not None:
                self.pub.close()
        return self.phases

    def failures(self) -> list[str]:
        """What did not converge, for an exit code and an error line."""
        out = [f"{p.name}: {p.in_step}/{p.cars} in step" for p in self.phases if not p.converged]
        out += [
            f"{p.name}: rows of {p.cars - p.digests_ok} cars differ"
            for p in self.phases
            if p.digests_ok is not None and p.digests_ok != p.cars
        ]
        return out
