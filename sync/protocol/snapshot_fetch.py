"""One snapshot being fetched by the car, pure: which chunks are staged, what is subscribed for the
rest, when to ask again, and what was refused.

The chunks are retained messages: a SUBSCRIBE makes the broker send them again. So the car asks
for what is missing by subscribing again, to the whole snapshot while most of it is missing,
otherwise to the missing chunks' own topics only (a car that lacks one chunk of 402 downloads
that chunk, not 21 MB). A chunk that does not come is asked for after a wait that doubles up to
a cap, jittered (:class:`~sync.protocol.pacing.Backoff`); any chunk that arrives starts the
waits short again.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.protocol.actions import Action, StageChunk, Subscribe, Unsubscribe
from sync.protocol.bodies import Topics
from sync.protocol.messages import Envelope, Rejected
from sync.protocol.pacing import Backoff
from sync.protocol.rows import ChunkRows, check_chunk

__all__ = ["SnapshotFetch"]


@dataclass
class SnapshotFetch:
    topics: Topics
    version: int
    sha: tuple[str, ...]
    retry: Backoff
    stall_s: float
    staged: set[int] = field(default_factory=set)
    next_try: float = 0.0
    subscribed: set[str] = field(default_factory=set)
    refused: dict[int, str] = field(default_factory=dict)  # chunk → why its last copy was refused

    @classmethod
    def start(
        cls,
        topics: Topics,
        version: int,
        sha: tuple[str, ...],
        *,
        stall_s: float,
        cap_s: float,
        rng: random.Random,
        now: float,
    ) -> SnapshotFetch:
        return cls(topics, version, sha, Backoff(stall_s, cap_s, rng=rng), stall_s, next_try=now + stall_s)

    @property
    def complete(self) -> bool:
        return len(self.staged) >= len(self.sha)

    def missing(self) -> list[int]:
        return [i for i in range(len(self.sha)) if i not in self.staged]

    def matches(self, version: int, sha: tuple[str, ...]) -> bool:
        return self.version == version and self.sha == sha

    def ask(self) -> list[Action]:
        """Subscribe (again) to what is missing; the broker answers with the retained copies."""
        missing = self.missing()
        whole = self.topics.snapshot_filter
        out: list[Action] = []
        if len(missing) * 2 > len(self.sha):
            out += [Unsubscribe(t) for t in sorted(self.subscribed - {whole})]
            self.subscribed = {whole}
            return [*out, Subscribe(whole)]
        if whole in self.subscribed:
            self.subscribed.discard(whole)
            out.append(Unsubscribe(whole))
        for i in missing:
            self.subscribed.add(self.topics.chunk(i))
            out.append(Subscribe(self.topics.chunk(i)))
        return out

    def resume(self, now: float) -> list[Action]:
        """After a reconnect: ask for what is missing now, and wait a full stall before the next try."""
        self.next_try = now + self.stall_s
        return self.ask()

    def tick(self, now: float) -> list[Action]:
        """Ask again if nothing came for a while (the waits grow until a chunk arrives)."""
        if now < self.next_try:
            return []
        self.next_try = now + self.retry.next_delay()
        return self.ask()

    def close(self) -> list[Action]:
        """Drop every subscription made for this snapshot."""
        out: list[Action] = [Unsubscribe(t) for t in sorted(self.subscribed)]
        self.subscribed = set()
        return out

    def take(
        self, env: Envelope, payload: bytes, now: float, check: Callable[[Any], ChunkRows] = check_chunk
    ) -> StageChunk | None:
        """A chunk of this snapshot: checked against the manifest's hash and the car's row check;
        ``None`` if it was already staged; :class:`Rejected` if it is not right."""
        h = env.header
        if h.parts != len(self.sha) or h.seq >= len(self.sha) or h.seq != h.part:
            raise Rejected("malformed header", f"chunk {h.seq} of {h.parts}, manifest lists {len(self.sha)}")
        if hashlib.sha256(payload).hexdigest() != self.sha[h.seq]:
            self.refused[h.seq] = "not in manifest"
            raise Rejected("not in manifest", f"chunk {h.seq} of version {h.version} has another hash")
        if h.seq in self.staged:
            return None
        try:
            rows = check(env.body)  # signed and named by the manifest: a structural check suffices
        except Rejected as exc:
            self.refused[h.seq] = f"{exc.reason}: {exc.detail}"[:100]
            raise
        self.staged.add(h.seq)
        self.retry.reset()  # progress: the next stall starts with a short wait again
        self.next_try = now + self.stall_s
        return StageChunk(h.version, h.seq, rows)

    def describe(self, now: float) -> str:
        text = f"snapshot {len(self.staged)}/{len(self.sha)} chunks of version {self.version}"
        if not self.retry.failures:
            return text
        missing = self.missing()
        shown = ", ".join(map(str, missing[:5])) + (" …" if len(missing) > 5 else "")
        refused = [r for i, r in self.refused.items() if i in missing]
        why = f" (last copy refused: {refused[0]})" if refused else ""
        return text + f"; chunk {shown} not received{why}, asking again in {max(0.0, self.next_try - now):.0f} s"
