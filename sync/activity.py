"""Random EVSE status changes, as many as asked for at once, for the sync tests and the OTA
benchmark (which need volume, not realism). Deterministic for a seed. Every change really changes
the status and carries a ``last_updated`` strictly later than the EVSE's previous one (the rule
both sides use to order statuses).

The realistic partner stream (daily and weekly patterns, holidays, faults and repairs) is
``sync.replay.StatusReplay``, which ``ivi-sync status-feed`` publishes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sync.protocol.bodies import StatusChange

__all__ = ["StatusSimulator"]

_NEXT = {
    "AVAILABLE": (("CHARGING", 0.9), ("RESERVED", 0.04), ("OUTOFORDER", 0.03), ("BLOCKED", 0.03)),
    "CHARGING": (("AVAILABLE", 0.97), ("OUTOFORDER", 0.03)),
}
_ISO = "%Y-%m-%dT%H:%M:%SZ"


def _parse(ts: str) -> datetime:
    try:
        return datetime.strptime(ts, _ISO).replace(tzinfo=UTC)
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)


class StatusSimulator:
    def __init__(self, evses: Iterable[tuple[str, str, str]], seed: int = 1) -> None:
        self._rng = random.Random(seed)
        self._state = {uid: (status, _parse(ts)) for uid, status, ts in evses if status != "REMOVED"}
        self._uids = sorted(self._state)

    def __len__(self) -> int:
        return len(self._uids)

    def changes(self, n: int, now_s: float) -> list[StatusChange]:
        """``n`` status changes happening at wall-clock time ``now_s``."""
        now = datetime.fromtimestamp(int(now_s), tz=UTC)
        out = []
        for _ in range(n if self._uids else 0):
            uid = self._rng.choice(self._uids)
            status, last = self._state[uid]
            options = _NEXT.get(status, (("AVAILABLE", 1.0),))
            new = self._rng.choices([s for s, _ in options], [w for _, w in options])[0]
            ts = max(now, last + timedelta(seconds=1))
            self._state[uid] = (new, ts)
            out.append((uid, new, ts.strftime(_ISO)))
        return out
