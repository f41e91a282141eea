"""What a broker actually holds of a dataset, read back and judged: the publisher's reconciliation
and ``ivi-sync inspect`` both start here.

:class:`RetainedProbe` collects the retained manifest, heartbeat and snapshot chunks a fresh
subscription receives. It knows it has them all when its own marker message comes back: the
broker sends the retained messages of a SUBSCRIBE before it forwards a PUBLISH that the same
client sent after it (one client's messages keep their order). :func:`judge` then verifies and
decodes them (pure): which chunks are there, which are missing, different from what the
manifest names, or left over from an older snapshot.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sync.errors import TransportError
from sync.protocol.bodies import Head, Manifest, Topics
from sync.protocol.messages import Rejected, VerifierLike, decode
from sync.protocol.rows import check_chunk
from sync.transport import Incoming, MqttTransport

__all__ = ["BrokerView", "ChunkView", "RetainedProbe", "Verdict", "judge"]

PROBE_TIMEOUT_S = 30.0


@dataclass
class BrokerView:
    """The retained payloads of one dataset as the broker sent them (``complete``: all arrived)."""

    manifest: bytes | None = None
    head: bytes | None = None
    chunks: dict[int, bytes] = field(default_factory=dict)
    complete: bool = False
    occupancy: dict[int, bytes] = field(default_factory=dict)  # the occupancy model's retained parts

    @property
    def bytes(self) -> int:
        parts = sum(map(len, self.occupancy.values()))
        return len(self.manifest or b"") + len(self.head or b"") + sum(map(len, self.chunks.values())) + parts


class RetainedProbe:
    """Subscribe, send a marker, collect until the marker is back (or ``timeout_s``)."""

    def __init__(self, transport: MqttTransport, topics: Topics, *, chunks: bool = True) -> None:
        self.transport = transport
        self.topics = topics
        self.marker = f"{topics.base}/probe/{os.getpid()}-{time.monotonic_ns()}"
        parts = [topics.snapshot_filter, topics.occupancy_filter] if chunks else []
        self.filters = [topics.manifest, topics.head, *parts, self.marker]
        self.view = BrokerView()
        self._parts = (topics.base + "/snapshot/", topics.base + "/occupancy/")
        self._done = threading.Event()
        self._lock = threading.Lock()

    def offer(self, msg: Incoming) -> bool:
        """Take ``msg`` if it is one of ours (call from the transport's message handler)."""
        t = self.topics
        with self._lock:
            if msg.topic == self.marker:
                self._done.set()
            elif msg.topic == t.manifest:
                self.view.manifest = msg.payload or None
            elif msg.topic == t.head:
                self.view.head = msg.payload or None
            elif msg.topic.startswith(self._parts) and t.snapshot_filter in self.filters:
                held = self.view.chunks if msg.topic.startswith(t.base + "/snapshot/") else self.view.occupancy
                index = msg.topic.rsplit("/", 1)[1]
                if index.isdigit():
                    if msg.payload:
                        held[int(index)] = msg.payload
                    else:
                        held.pop(int(index), None)
            else:
                return False
        return True

    def run(self, timeout_s: float = PROBE_TIMEOUT_S) -> BrokerView:
        """Probe once; the subscriptions are dropped again afterwards."""
        for f in self.filters:
            self.transport.subscribe(f)
        try:
            self.transport.publish(self.marker, b"probe", wait_s=timeout_s)
            self.view.complete = self._done.wait(timeout_s)
        except TransportError:
            self.view.complete = False
        finally:
            for f in self.filters:
                self.transport.unsubscribe(f)
        with self._lock:
            v = self.view
            return BrokerView(v.manifest, v.head, dict(v.chunks), v.complete, dict(v.occupancy))


@dataclass(frozen=True)
class ChunkView:
    index: int
    bytes: int
    verdict: str  # "ok" | a rejection reason | "not in manifest"
    locations: int = 0
    tariffs: int = 0


@dataclass
class Verdict:
    """What the broker holds, verified: the manifest (or why not), the chunks, what is missing."""

    manifest: Manifest | None = None
    manifest_problem: str = ""
    head: Head | None = None
    chunks: list[ChunkView] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)  # retained chunks past the manifest's count
    wrong: list[int] = field(default_factory=list)  # present but not what the manifest names
    bad: list[int] = field(default_factory=list)  # named by the manifest, refused by the car's row check
    # The occupancy model's parts: named by the manifest but missing or different; surplus ones.
    occupancy_missing: list[int] = field(default_factory=list)
    occupancy_extra: list[int] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.manifest is not None and not (
            self.manifest_problem or self.missing or self.wrong or self.bad or self.occupancy_missing
        )

    def problems(self) -> list[str]:
        out = [self.manifest_problem] if self.manifest_problem else []
        if self.missing:
            out.append(f"chunks missing: {_ranges(self.missing)}")
        if self.wrong:
            out.append(f"chunks not as the manifest names them: {_ranges(self.wrong)}")
        if self.bad:
            out.append(f"chunks a car would refuse: {_ranges(self.bad)}")
        if self.extra:
            out.append(f"stale chunks past the snapshot: {_ranges(self.extra)}")
        if self.occupancy_missing:
            missing = _ranges(self.occupancy_missing)
            out.append(f"occupancy model parts missing or not as the manifest names them: {missing}")
        return out

    def to_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "healthy": self.healthy,
            "problems": self.problems(),
            "manifest": m.to_body() if m else None,
            "head": self.head.to_body() if self.head else None,
            "chunks": [c.__dict__ for c in self.chunks],
            "missing": self.missing,
            "wrong": self.wrong,
            "bad": self.bad,
            "extra": self.extra,
            "occupancy_missing": self.occupancy_missing,
            "occupancy_extra": self.occupancy_extra,
        }


def _ranges(xs: list[int]) -> str:
    return ", ".join(map(str, xs[:20])) + (f" … ({len(xs)} in all)" if len(xs) > 20 else "")


def judge(view: BrokerView, verifier: VerifierLike, dataset: str, now: float, *, rows: bool = False) -> Verdict:
    """Verify and decode what ``view`` holds. ``rows`` also checks each chunk's rows (slow)."""
    v = Verdict()
    if view.head:
        try:
            v.head = Head.from_body(decode(view.head, verifier, dataset).body)
        except Rejected:
            v.head = None
    if view.manifest is None:
        v.manifest_problem = "no retained manifest"
    else:
        try:
            env = decode(view.manifest, verifier, dataset)
            if env.header.kind != "manifest":
                raise Rejected("wrong topic", f"a {env.header.kind} on the manifest topic")
            v.manifest = Manifest.from_body(env.body)
        except Rejected as exc:
            v.manifest_problem = f"manifest refused: {exc}"
        else:
            if now > v.manifest.expires_at:
                v.manifest_problem = f"manifest expired {now - v.manifest.expires_at:.0f} s ago"
    shas = v.manifest.chunk_sha256 if v.manifest else ()
    for i in sorted(view.chunks):
        payload = view.chunks[i]
        if i >= len(shas):
            v.extra.append(i)
            v.chunks.append(ChunkView(i, len(payload), "past the manifest"))
            continue
        if hashlib.sha256(payload).hexdigest() != shas[i]:
            v.wrong.append(i)
            v.chunks.append(ChunkView(i, len(payload), "not in manifest"))
            continue
        n_loc = n_tar = 0
        if rows:
            try:
                checked = check_chunk(decode(payload, verifier, dataset).body)
                n_loc, n_tar = len(checked.locations), len(checked.tariffs)
            except Rejected as exc:
                v.bad.append(i)
                v.chunks.append(ChunkView(i, len(payload), exc.reason))
                continue
        v.chunks.append(ChunkView(i, len(payload), "ok", n_loc, n_tar))
    v.missing = [i for i in range(len(shas)) if i not in view.chunks]
    occ = v.manifest.occupancy.part_sha256 if v.manifest and v.manifest.occupancy else ()
    held = {i: hashlib.sha256(p).hexdigest() for i, p in view.occupancy.items()}
    v.occupancy_missing = [i for i, sha in enumerate(occ) if held.get(i) != sha]
    v.occupancy_extra = sorted(i for i in held if i >= len(occ))
    return v
