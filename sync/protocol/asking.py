"""The car's requests to the publisher, pure: what is pending since when, when it may ask again.

A request goes unanswered when the publisher is down, busy or the reply was lost; the car then
asks again after a wait that grows with each unanswered request (jittered, reset by an answer).
A publisher that says "not now, retry after N s" (it rate-limits each car) is obeyed, a little
later than asked, so that many cars do not come back in the same second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sync.protocol.actions import SendRequest
from sync.protocol.bodies import Topics, VehicleRequest
from sync.protocol.pacing import Backoff, Timing

__all__ = ["Asking"]


@dataclass
class Asking:
    client_id: str
    timing: Timing
    rng: random.Random
    pending: dict[str, float] = field(default_factory=dict)  # "deltas" / "statuses" → when asked
    not_before: dict[str, float] = field(default_factory=dict)  # → do not ask before
    retry: Backoff | None = None
    last_id: int = 0

    def __post_init__(self) -> None:
        if self.retry is None:
            self.retry = Backoff(self.timing.request_retry_base_s, self.timing.request_retry_cap_s, rng=self.rng)

    def may_ask(self, kind: str, now: float) -> bool:
        return kind not in self.pending and now >= self.not_before.get(kind, 0.0)

    def timed_out(self, kind: str, now: float) -> bool:
        asked = self.pending.get(kind)
        return asked is not None and now - asked > self.timing.request_timeout_s

    def ask(self, req: VehicleRequest, now: float) -> SendRequest:
        self.last_id += 1
        self.pending[req.want] = now
        reply_to = Topics.response(self.client_id)
        full = VehicleRequest(req.want, req.from_version, req.to_version, req.since_status_seq, reply_to, self.last_id)
        return SendRequest(Topics.request(self.client_id), full)

    def answered(self, kind: str) -> None:
        if self.pending.pop(kind, None) is not None and self.retry is not None:
            self.retry.reset()

    def unanswered(self, kind: str, now: float) -> None:
        """Give up waiting for ``kind``; ask again after a growing wait."""
        self.pending.pop(kind, None)
        if self.retry is not None:
            self.not_before[kind] = now + self.retry.next_delay()

    def told_to_wait(self, kind: str, seconds: float, now: float) -> None:
        self.pending.pop(kind, None)
        self.not_before[kind] = now + seconds * self.rng.uniform(1.0, 1.5)

    def forget(self) -> None:
        """Replies to what was asked may never come (a reconnect, a restart from the cache)."""
        self.pending.clear()
