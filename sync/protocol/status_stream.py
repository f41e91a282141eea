"""The car's position in the numbered EVSE status stream, pure (Sparkplug-style sequence numbers).

Batches carry consecutive numbers; the cache records the highest one below which nothing is
missing (``seq``). A batch past ``seq + 1`` is applied at once (each change only where it is
newer than the cache's row) and remembered as *above*; the gap below it is filled by the
batches still on their way or by a catch-up the car asks for. The target is the newest
number the car has heard of: from the manifest, a heartbeat, or a batch above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.protocol.messages import Rejected

__all__ = ["StatusStream"]


@dataclass
class StatusStream:
    seq: int = 0
    heard: int = 0  # the newest status sequence announced (manifest or heartbeat)
    above: set[int] = field(default_factory=set)
    catchup_parts: dict[int, set[int]] = field(default_factory=dict)
    behind_since: float | None = None

    @property
    def target(self) -> int:
        return max(self.heard, self.seq)

    @property
    def caught_up(self) -> bool:
        return not self.above and self.seq >= self.heard

    def hear(self, seq: int, now: float) -> None:
        """A manifest or heartbeat says the stream stands at ``seq``."""
        self.heard = max(self.heard, seq)
        self._check(now)

    def _check(self, now: float) -> None:
        if self.caught_up:
            self.behind_since = None
        elif self.behind_since is None:
            self.behind_since = now

    def batch(self, seq: int, now: float) -> int:
        """Batch ``seq`` arrived; returns the sequence the cache records once it is applied."""
        if seq <= self.seq or seq in self.above:
            raise Rejected("duplicate", f"status batch {seq}, the cache holds {self.seq}")
        if seq == self.seq + 1:
            self.seq = seq
        else:
            self.above.add(seq)
        self.heard = max(self.heard, seq)
        self._advance(now)
        return self.seq

    def catchup(self, upto: int, part: int, parts: int, now: float) -> tuple[int, bool]:
        """One part of a catch-up up to ``upto``; returns (the sequence to record, complete)."""
        got = self.catchup_parts.setdefault(upto, set())
        got.add(part)
        complete = len(got) == parts
        if complete:
            del self.catchup_parts[upto]
            self.seq = max(self.seq, upto)
            self._advance(now)
        return self.seq, complete

    def at_least(self, seq: int, now: float) -> None:
        """The cache now holds statuses up to ``seq`` (a snapshot was swapped in)."""
        self.seq = max(self.seq, seq)
        self._advance(now)

    def _advance(self, now: float) -> None:
        while self.seq + 1 in self.above:
            self.seq += 1
        self.above = {s for s in self.above if s > self.seq}
        self._check(now)

    def reset(self, seq: int) -> None:
        """Start again from what the cache records (a write failed)."""
        self.seq = seq
        self.above.clear()
        self.catchup_parts.clear()
        self.behind_since = None
