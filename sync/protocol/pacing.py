"""How often to try again, pure: exponential backoff with jitter, and per-car token buckets.

A fleet shares one broker and one publisher. When either comes back after an outage every car
notices at once, so any loop that retries must (a) wait longer after each failure, up to a cap,
(b) spread the waits randomly so that cars do not retry in step, and (c) start from the short
wait again once something succeeded. :class:`Backoff` is that policy, with the two jitters of
the AWS architecture note ("Exponential Backoff And Jitter"): "equal" (half the wait fixed, half
random, so a retry is never immediate; the protocol's own retries) and "full" (anywhere between
0 and the ceiling: the widest spread, for reconnects, where a fleet comes back all at once after
a broker node dies); "none" exists only to show the storm it causes (``bench.fleet``). The
publisher's side of the same bargain is :class:`RateLimiter`: each car may ask for catch-ups at a
bounded rate, however many requests it sends.

Time and randomness are passed in, as everywhere in ``sync.protocol``.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field

__all__ = ["GAP_GRACE_S", "JITTERS", "REQUEST_TIMEOUT_S", "Backoff", "RateLimiter", "Timing", "TokenBucket"]

GAP_GRACE_S = 1.0
REQUEST_TIMEOUT_S = 5.0
JITTERS = ("equal", "full", "none")


@dataclass(frozen=True)
class Timing:
    """How long the car waits before it asks again (the defaults are the product's)."""

    gap_grace_s: float = GAP_GRACE_S  # a gap may still be filling: wait this long before asking
    request_timeout_s: float = REQUEST_TIMEOUT_S  # no answer by then: the deltas from the snapshot
    request_retry_base_s: float = 5.0  # status catch-ups asked again after …
    request_retry_cap_s: float = 300.0
    snapshot_stall_s: float = 5.0  # no chunk for this long: ask for the missing ones again …
    snapshot_retry_cap_s: float = 900.0  # … waiting up to this long between tries
    apply_retry_base_s: float = 2.0  # a cache write failed: plan again after …
    apply_retry_cap_s: float = 120.0


@dataclass
class Backoff:
    """Waits of ``base_s × factor**n`` (capped at ``cap_s``) for the n-th retry in a row, each
    drawn from the upper half of that (``[w/2, w]``, ``jitter="equal"``), from all of it
    (``[0, w]``, ``"full"``) or exactly ``w`` (``"none"``); :meth:`reset` after a success."""

    base_s: float = 1.0
    cap_s: float = 60.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0
    jitter: str = "equal"

    def __post_init__(self) -> None:
        if self.jitter not in JITTERS:
            raise ValueError(f"jitter must be one of {JITTERS}, not {self.jitter!r}")

    def ceiling_s(self) -> float:
        """The longest the next wait can be."""
        return min(self.cap_s, self.base_s * self.factor ** min(self.failures, 64))

    def next_delay(self) -> float:
        """The wait before the next try; counts one more failure."""
        ceiling = self.ceiling_s()
        self.failures += 1
        if self.jitter == "full":
            return ceiling * self.rng.random()
        if self.jitter == "none":
            return ceiling
        return ceiling * self.rng.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.failures = 0


@dataclass
class TokenBucket:
    """``capacity`` tokens, refilled at ``per_s`` a second; one request takes one."""

    capacity: float
    per_s: float
    tokens: float = -1.0
    at: float = 0.0

    def _refill(self, now: float) -> None:
        if self.tokens < 0:
            self.tokens, self.at = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.at) * self.per_s)
        self.at = now

    def take(self, now: float) -> bool:
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def retry_after_s(self, now: float) -> float:
        """Seconds until the next token."""
        self._refill(now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.per_s

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity


class RateLimiter:
    """A token bucket per key (a car's client id), at most ``max_keys`` of them: the least
    recently used is forgotten first, which costs that car nothing it had not already refilled
    unless ``max_keys`` cars are asking at the same moment."""

    def __init__(self, capacity: float, per_s: float, max_keys: int = 100_000) -> None:
        self.capacity, self.per_s, self.max_keys = capacity, per_s, max_keys
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self.refused = 0

    def _bucket(self, key: str) -> TokenBucket:
        b = self._buckets.pop(key, None) or TokenBucket(self.capacity, self.per_s)
        self._buckets[key] = b
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return b

    def allow(self, key: str, now: float) -> float:
        """0 if ``key`` may go ahead now (a token is taken), else the seconds it must wait."""
        b = self._bucket(key)
        if b.take(now):
            return 0.0
        self.refused += 1
        return b.retry_after_s(now)
