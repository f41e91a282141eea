"""The vehicle side of the protocol, pure: ``receive(topic, payload, now) -> [Action]``.

:class:`VehicleSync` knows which dataset version and status sequence the cache holds and turns
each incoming message into actions for the client to carry out (write the cache, ask the
publisher for what is missing, subscribe the snapshot chunks, log a rejection, show a new state).
Time is passed in; ``tick(now)`` drives the timeouts. Rules, after Sparkplug B and TUF:

* every message must carry the operator's signature and our dataset id; ``receive`` never
  raises: whatever the bytes, the message is judged, refused with a reason, and acknowledged;
* a manifest older than one already seen is a rollback; one past its ``expires_at`` is refused
  (a frozen feed shows as ``error``); a car with no data yet refuses a manifest published before
  the floor it ships with (a replayed, still unexpired manifest cannot hold it back);
* "up to date" needs the broker's current (retained) manifest, delivered since the last connect,
  and everything it announces applied, statuses included;
* deltas apply strictly in version order, each exactly once; a delta from the future is held and
  the missing versions are requested (after a short grace); a car too far behind, told the
  deltas are gone, or holding a delta that does not fit its cache, takes the snapshot;
* snapshot chunks that do not come are asked for again, only those, with growing waits;
* status batches are numbered; each change applies only if newer than the cache's row, so
  duplicates and reordering change nothing; a gap asks the publisher for a catch-up;
* every retry waits longer after each failure, with jitter, and starts short again after a success.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

from sync.protocol.actions import (
    SYNC_STATES,
    Action,
    ApplyDelta,
    ApplyStatuses,
    BeginSnapshot,
    CommitSnapshot,
    Reject,
    SendRequest,
    StageChunk,
    StateChanged,
    StoreOccupancy,
    Subscribe,
    SyncStatus,
    Unsubscribe,
)
from sync.protocol.asking import Asking
from sync.protocol.bodies import (
    DEFAULT_DATASET,
    Delta,
    Head,
    Manifest,
    Nack,
    StatusChange,
    Topics,
    VehicleRequest,
    parse_changes,
)
from sync.protocol.decoding import Decoding
from sync.protocol.messages import Envelope, Rejected, VerifierLike, peek_header
from sync.protocol.occupancy import OccupancyFollower
from sync.protocol.pacing import GAP_GRACE_S, REQUEST_TIMEOUT_S, Backoff, Timing
from sync.protocol.snapshot_fetch import SnapshotFetch
from sync.protocol.status_stream import StatusStream

__all__ = [
    "GAP_GRACE_S",
    "REQUEST_TIMEOUT_S",
    "SYNC_STATES",
    "Action",
    "ApplyDelta",
    "ApplyStatuses",
    "BeginSnapshot",
    "CommitSnapshot",
    "Reject",
    "SendRequest",
    "StageChunk",
    "StateChanged",
    "StoreOccupancy",
    "Subscribe",
    "SyncStatus",
    "Timing",
    "Unsubscribe",
    "VehicleSync",
]

MAX_HELD_DELTAS = 1000


def _when(epoch_s: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_s))


class VehicleSync:
    """One car's view of one dataset. Construct with what the cache says (version, status
    sequence, staged chunks), then feed it messages and ticks."""

    def __init__(
        self,
        verifier: VerifierLike,
        client_id: str,
        *,
        dataset: str = DEFAULT_DATASET,
        version: int | None = None,
        status_seq: int = 0,
        staged: tuple[int, frozenset[int]] | None = None,
        floor_s: float = 0.0,
        timing: Timing = Timing(),
        rng: random.Random | None = None,
        occupancy: tuple[int, str] | None = None,
        decoding: Decoding | None = None,
        one_filter: bool = False,
    ) -> None:
        self.verifier = verifier
        self.decoding = decoding or Decoding()
        self.client_id = client_id
        self.topics = Topics(dataset)
        self.version = version
        self.statuses = StatusStream(status_seq)
        self.floor_s = floor_s
        self.timing = timing
        self.rng = rng or random.Random()
        self.manifest: Manifest | None = None
        self.online = False
        self.last_contact: float | None = None
        self.rejected: Counter[str] = Counter()
        # One subscription for the four streams (:meth:`Topics.car_subscriptions`): the retained
        # manifest and heartbeat then come in the broker's order, not the manifest last.
        self.one_filter = one_filter
        self._ask_topic = self.topics.streams if one_filter else self.topics.manifest
        self._current = False  # the broker's retained manifest arrived since the last connect
        self._current_at = 0.0
        self._retained_head = False  # … and its retained heartbeat
        self._asked_current = False
        self._refused_manifest = ""  # why the last manifest was refused, while none is accepted
        # A heartbeat announced a newer version than the manifest held (since when, and the
        # waits between asking the broker for its retained manifest again).
        self._head_ahead_since: float | None = None
        self._head_version = 0
        self._manifest_retry = Backoff(timing.gap_grace_s, timing.request_retry_cap_s, rng=self.rng)
        self._manifest_ask_at = 0.0
        self._restored_stage = staged
        self._snap: SnapshotFetch | None = None
        self._held: dict[int, Delta] = {}
        self._behind_since: float | None = None
        self._asking = Asking(client_id, timing, self.rng)
        self._apply_retry = Backoff(timing.apply_retry_base_s, timing.apply_retry_cap_s, rng=self.rng)
        self._replan_at: float | None = None
        self._delta_failed = False  # a delta did not fit the cache: take the snapshot instead
        self._bad_snapshot: tuple[int, str] | None = None  # (version, why) a snapshot that did not fit
        self._last_status: SyncStatus | None = None
        self._now = 0.0
        # The occupancy model: (version, sha256) the cache holds, and the fetch of a newer one.
        self.occupancy = OccupancyFollower(
            self.topics, occupancy, stall_s=timing.snapshot_stall_s, cap_s=timing.snapshot_retry_cap_s, rng=self.rng
        )

    # ------------------------------------------------------------ the UI's view

    @property
    def status_seq(self) -> int:
        """The status sequence the cache holds (nothing below it is missing)."""
        return self.statuses.seq

    @property
    def status_target(self) -> int:
        """The status sequence the car must reach: the newest it has heard of."""
        return self.statuses.target

    def _expired(self) -> bool:
        return self.manifest is not None and self._now > self.manifest.expires_at

    @property
    def synced(self) -> bool:
        m = self.manifest
        return (
            m is not None
            and self._has_current()
            and not self._expired()
            and self._snap is None
            and self.version is not None
            and self.version >= m.version
            and self.statuses.caught_up
            and not self._held
            and not self.occupancy.busy
        )

    def status(self) -> SyncStatus:
        version, contact = self.version, self.last_contact
        if not self.online:
            return SyncStatus("offline", self._progress(), version, contact, "no broker connection")
        if self._expired() and self.manifest is not None:
            expired = f"manifest expired at {_when(self.manifest.expires_at)}: the operator has not confirmed the data"
            return SyncStatus("error", self._progress(), version, contact, expired + " lately")
        if self.manifest is None and self._refused_manifest:
            return SyncStatus("error", 0.0, version, contact, self._refused_manifest)
        if self._bad_snapshot is not None and self.manifest and self.manifest.version <= self._bad_snapshot[0]:
            v, why = self._bad_snapshot
            return SyncStatus("error", self._progress(), version, contact, f"version {v} does not fit the cache: {why}")
        if self.synced:
            return SyncStatus("up_to_date", 1.0, version, contact, f"version {version}")
        return SyncStatus("syncing", self._progress(), version, contact, self._doing())

    def _doing(self) -> str:
        m = self.manifest
        if m is None and self.rejected["bad signature"]:
            n = self.rejected["bad signature"]
            return f"waiting for a manifest signed by a key this car trusts ({n} messages signed otherwise)"
        if m is None:
            return "waiting for the manifest (is the publisher running?)"
        if self._snap is not None:
            return self._snap.describe(self._now)
        if not self._current:
            return f"waiting for the broker's current manifest (version {m.version} seen)"
        if not self._has_current():
            return "waiting for the broker's current heartbeat"
        if self.occupancy.fetch is not None and self.version is not None and self.version >= m.version:
            return self.occupancy.fetch.describe()
        held = f", {len(self._held)} deltas held" if self._held else ""
        return f"catching up: version {self.version}/{m.version}, statuses {self.status_seq}/{self.status_target}{held}"

    def _progress(self) -> float:
        if self._snap:
            return len(self._snap.staged) / len(self._snap.sha)
        if self.synced:
            return 1.0
        if self.manifest and self.version:
            return min(0.99, self.version / self.manifest.version)
        return 0.0

    def report(self) -> dict[str, Any]:
        """The numbers behind :meth:`status` (what ``ivi-sync follow`` prints as progress)."""
        m, snap = self.manifest, self._snap
        return {
            "version": self.version,
            "manifest_version": m.version if m else None,
            "status_seq": self.status_seq,
            "status_target": self.status_target,
            "chunks": [len(snap.staged), len(snap.sha)] if snap else None,
            "missing_chunks": snap.missing()[:20] if snap else [],
            "held_deltas": len(self._held),
            "current_manifest": self._current,
            "rejected": dict(self.rejected),
            "occupancy": {
                "version": self.occupancy.held[0] if self.occupancy.held else None,
                "fetching": self.occupancy.fetch.describe() if self.occupancy.fetch else None,
                "refused": self.occupancy.refused[1] if self.occupancy.refused else None,
            },
        }

    def _changed(self) -> list[Action]:
        s = self.status()
        if s == self._last_status:
            return []
        self._last_status = s
        return [StateChanged(s)]

    # ------------------------------------------------------------ connection

    def connected(self, now: float) -> list[Action]:
        """The transport is (re)connected and subscribed to the manifest, head, delta, status and
        response topics (the subscriptions deliver the retained manifest again)."""
        self.online = True
        self._now = now
        self.last_contact = now
        self._current = self._asked_current = self._retained_head = False
        self._asking.forget()  # replies to requests from before the drop may never come
        # The subscriptions bring the retained manifest within moments; ask again only if not.
        self._manifest_ask_at = max(self._manifest_ask_at, now + self.timing.snapshot_stall_s)
        out: list[Action] = self._snap.resume(now) if self._snap else []
        out += self.occupancy.resume(now)
        return out + self._changed()

    def disconnected(self, now: float) -> list[Action]:
        self.online = False
        self._now = now
        return self._changed()

    # ------------------------------------------------------------ messages

    def receive(self, topic: str, payload: bytes, now: float, retained: bool = False) -> list[Action]:
        """Judge one message. Never raises: a message that cannot be used becomes a
        :class:`Reject` with its reason (and is acknowledged by the client all the same)."""
        self._now = now
        self.last_contact = now
        if not payload and topic.startswith((self.topics.base + "/snapshot/", self.topics.base + "/occupancy/")):
            return self._changed()  # a cleared retained chunk or model part
        try:
            env = self.decoding.decode(payload, self.verifier, self.topics.dataset)
            out = self._dispatch(topic, env, payload, now, retained)
        except Rejected as exc:
            h = peek_header(payload) if exc.reason not in ("bad signature", "truncated", "oversized") else None
            where = f" ({h.kind} v{h.version} seq {h.seq})" if h else ""
            out = [Reject(topic, exc.reason, exc.detail + where)]
        except Exception as exc:  # a bug of ours must not become a message delivered forever
            out = [Reject(topic, "internal error", f"{type(exc).__name__}: {exc}"[:120])]
        for a in out:
            if isinstance(a, Reject):
                self.rejected[a.reason] += 1
        return out + self._changed()

    def _dispatch(self, topic: str, env: Envelope, payload: bytes, now: float, retained: bool) -> list[Action]:
        kind = env.header.kind
        expected = {
            "manifest": (self.topics.manifest,),
            "head": (self.topics.head,),
            "chunk": (),
            "delta": (self.topics.delta, self._response),
            "status": (self.topics.status,),
            "catchup": (self._response,),
            "nack": (self._response,),
            "occupancy": (),
        }[kind]
        if kind in ("chunk", "occupancy"):
            if not topic.startswith(self.topics.base + ("/snapshot/" if kind == "chunk" else "/occupancy/")):
                raise Rejected("wrong topic", f"{kind} on {topic}")
        elif topic not in expected:
            raise Rejected("wrong topic", f"{kind} on {topic}")
        if kind == "manifest":
            return self._on_manifest(Manifest.from_body(env.body), now, retained)
        if kind == "head":
            self._retained_head = self._retained_head or retained
            return self._on_head(Head.from_body(env.body), now)
        if kind == "chunk":
            return self._on_chunk(env, payload, now)
        if kind == "occupancy":
            return self.occupancy.receive(env, payload, now)
        if kind == "delta":
            return self._on_delta(self.decoding.delta(env), now)
        if kind == "status":
            changes = parse_changes(env.body.get("changes") if isinstance(env.body, dict) else None)
            return self._on_status(env.header.seq, changes, now)
        if kind == "catchup":
            return self._on_catchup(env, now)
        return self._on_nack(Nack.from_body(env.body), now)

    @property
    def _response(self) -> str:
        return Topics.response(self.client_id)

    def _on_manifest(self, m: Manifest, now: float, retained: bool) -> list[Action]:
        if now > m.expires_at:
            self._refused_manifest = (
                f"manifest version {m.version} expired at {_when(m.expires_at)}: the operator has not confirmed"
                " the data lately"
            )
            raise Rejected("expired", f"manifest version {m.version} expired at {_when(m.expires_at)}")
        cur = self.manifest
        if cur and (m.version, m.status_seq, m.published_at) < (cur.version, cur.status_seq, cur.published_at):
            raise Rejected("rollback", f"manifest version {m.version} after {cur.version}")
        if self.version is not None and m.version < self.version:
            raise Rejected("rollback", f"manifest version {m.version} but the cache holds {self.version}")
        if self.version is None and m.published_at < self.floor_s:
            self._refused_manifest = (
                f"manifest version {m.version} was published at {_when(m.published_at)}, before this car's"
                f" floor {_when(self.floor_s)}: a replay, or the publisher has not published since"
            )
            raise Rejected("older than the floor", f"published {_when(m.published_at)} < {_when(self.floor_s)}")
        self.manifest = m
        self._refused_manifest = ""
        if m.version >= self._head_version:
            self._head_ahead_since = None
            self._manifest_retry.reset()
        out: list[Action] = []
        if retained:
            if not self._current:
                self._current, self._current_at = True, now
        elif not self._current and not self._asked_current:
            # A live or queued copy: ask for the retained one, which the broker sends after
            # everything already queued for us (once per connection).
            self._asked_current = True
            out.append(Subscribe(self._ask_topic))
        return out + self._plan(now)

    def _on_head(self, h: Head, now: float) -> list[Action]:
        if self.manifest is not None and h.version < self.manifest.version:
            return []  # a heartbeat from before the manifest we hold: nothing new in it
        self.statuses.hear(h.status_seq, now)
        if (self.manifest is None or h.version > self.manifest.version) and h.version > self._head_version:
            self._head_version = h.version
            if self._head_ahead_since is None:
                self._head_ahead_since = now
                self._manifest_ask_at = now + self.timing.gap_grace_s
        return []

    def _has_current(self) -> bool:
        """The broker's current manifest arrived since the connection, and so did everything it
        names as current: per topic the manifest is subscribed last and comes after the retained
        heartbeat; under one filter the car waits for the retained heartbeat too, or a moment
        (the gap grace) if the broker holds none (expired while the publisher is down)."""
        if not self._current:
            return False
        return not self.one_filter or self._retained_head or self._now - self._current_at >= self.timing.gap_grace_s

    def _tick_manifest(self, now: float) -> list[Action]:
        """No current (retained) manifest since the connection, or a heartbeat announced a version
        whose manifest has not come: the broker lost it on the way (a node died as it was published) or this node's
        retained copy lags. After a grace (it may be on its way) ask for the retained manifest
        again, with growing waits (bounded: a publisher that never published costs a SUBSCRIBE
        every few minutes)."""
        if (self._current and self._head_ahead_since is None) or now < self._manifest_ask_at:
            return []
        self._manifest_ask_at = now + self._manifest_retry.next_delay()
        return [Subscribe(self._ask_topic)]

    def _plan(self, now: float) -> list[Action]:
        """Decide, from the manifest and the cache, whether to take the snapshot or deltas."""
        m = self.manifest
        out: list[Action] = []
        if m is None:
            return out
        if self._snap and not self._snap.matches(m.version, m.chunk_sha256):
            out += self._drop_snapshot()
        if self._bad_snapshot is not None and m.version > self._bad_snapshot[0]:
            self._bad_snapshot = None  # a newer version may fit
        v = self.version
        if v is not None and m.version <= v:
            self._delta_failed = False  # nothing to apply: a delta that did not fit no longer matters
        behind = v is not None and m.version > v
        need_snapshot = v is None or (m.version > v and (v + 1 < m.oldest_delta or self._delta_failed))
        blocked = self._bad_snapshot is not None and self._bad_snapshot[0] >= m.version
        if need_snapshot and self._snap is None and not blocked:
            out += self._start_snapshot(m, now)
        elif behind and self._behind_since is None:
            self._behind_since = now
        self.statuses.hear(m.status_seq, now)
        return out + self.occupancy.plan(m.occupancy, now)

    # ------------------------------------------------------------ snapshot

    def _start_snapshot(self, m: Manifest, now: float) -> list[Action]:
        t = self.timing
        snap = self._snap = SnapshotFetch.start(
            self.topics,
            m.version,
            m.chunk_sha256,
            stall_s=t.snapshot_stall_s,
            cap_s=t.snapshot_retry_cap_s,
            rng=self.rng,
            now=now,
        )
        restored, self._restored_stage = self._restored_stage, None
        out: list[Action] = []
        if restored and restored[0] == m.version:
            snap.staged = {i for i in restored[1] if i < len(m.chunk_sha256)}
        else:
            out.append(BeginSnapshot(m.version, len(m.chunk_sha256)))
        snap.subscribed.add(self.topics.snapshot_filter)
        out.append(Subscribe(self.topics.snapshot_filter))
        return out + self._maybe_commit()

    def _drop_snapshot(self) -> list[Action]:
        snap, self._snap = self._snap, None
        return snap.close() if snap else []

    def _on_chunk(self, env: Envelope, payload: bytes, now: float) -> list[Action]:
        snap = self._snap
        if snap is None or env.header.version != snap.version:
            return []  # a retained chunk of a version we do not need
        staged = snap.take(env, payload, now, self.decoding.check_chunk)
        return [staged, *self._maybe_commit()] if staged else []

    def _maybe_commit(self) -> list[Action]:
        snap, m = self._snap, self.manifest
        if snap is None or m is None or not snap.complete:
            return []
        out = self._drop_snapshot()
        self.version = snap.version
        self._delta_failed = False
        self.statuses.at_least(m.snapshot_status_seq, self._now)
        self._held = {v: d for v, d in self._held.items() if v > self.version}
        self._behind_since = None if self.version >= m.version else self._now
        return [CommitSnapshot(snap.version, len(snap.sha), self.status_seq), *out, *self._drain()]

    # ------------------------------------------------------------ deltas

    def _on_delta(self, d: Delta, now: float) -> list[Action]:
        if self.version is not None and d.version <= self.version:
            raise Rejected("stale version", f"delta {d.version}, the cache holds {self.version}")
        if d.version in self._held:
            return []
        if len(self._held) >= MAX_HELD_DELTAS:
            raise Rejected("too far ahead", f"delta {d.version} while {len(self._held)} are held")
        self._held[d.version] = d
        if (
            self._snap is None
            and self.version is not None
            and d.version > self.version + 1
            and self._behind_since is None
        ):
            self._behind_since = now
        return self._drain()

    def _drain(self) -> list[Action]:
        out: list[Action] = []
        if self._snap is not None or self.version is None or self._delta_failed:
            return out
        while self.version + 1 in self._held:
            d = self._held.pop(self.version + 1)
            self.version = d.version
            out.append(ApplyDelta(d, self.status_seq))
        self._held = {v: d for v, d in self._held.items() if v > self.version}
        if (self.manifest is None or self.version >= self.manifest.version) and not self._held:
            self._behind_since = None
            self._asking.answered("deltas")
        return out

    # ------------------------------------------------------------ statuses

    def _on_status(self, seq: int, changes: tuple[StatusChange, ...], now: float) -> list[Action]:
        recorded = self.statuses.batch(seq, now)
        if self.statuses.caught_up:
            self._asking.answered("statuses")
        return [ApplyStatuses(changes, recorded)]

    def _on_catchup(self, env: Envelope, now: float) -> list[Action]:
        body = env.body if isinstance(env.body, dict) else {}
        upto = body.get("upto")
        if not isinstance(upto, int) or isinstance(upto, bool) or upto != env.header.seq:
            raise Rejected("malformed body", "catch-up without its sequence")
        changes = parse_changes(body.get("changes"))
        recorded, complete = self.statuses.catchup(upto, env.header.part, env.header.parts, now)
        if complete:
            self._asking.answered("statuses")
        return [ApplyStatuses(changes, recorded)]

    def _on_nack(self, nack: Nack, now: float) -> list[Action]:
        if nack.retry_after_s is not None:  # asked too often: wait, then ask again (never the snapshot)
            self._asking.told_to_wait(nack.want, nack.retry_after_s, now)
            return []
        self._asking.pending.pop(nack.want, None)
        m = self.manifest
        if nack.want != "deltas" or m is None or self._snap is not None:
            return []
        if self.version is not None and self.version >= m.version:
            return []
        self._behind_since = None
        return self._start_snapshot(m, now)

    # ------------------------------------------------------------ failed cache writes

    def apply_failed(
        self,
        action: Action,
        detail: str,
        *,
        permanent: bool,
        position: tuple[int | None, int, tuple[int, frozenset[int]] | None],
        now: float,
    ) -> list[Action]:
        """A cache write of ``action`` failed (and changed nothing): start again from what the
        cache records (``position``), keeping the manifest. ``permanent`` (the rows do not fit the
        cache) means the same write would fail again: a delta that does not fit sends the car to
        the snapshot; a snapshot that does not fit waits for a newer version. Either way the
        car plans again only after a wait that grows with each failure in a row."""
        self._now = now
        version, status_seq, staged = position
        self.version = version
        self.statuses.reset(status_seq)
        self._held.clear()
        self._asking.forget()
        self._behind_since = None
        out = self._drop_snapshot()
        self._restored_stage = staged
        if permanent and isinstance(action, ApplyDelta):
            self._delta_failed = True
        elif permanent and isinstance(action, (StageChunk, CommitSnapshot)):
            self._bad_snapshot = (action.version, detail)  # its chunks do not fit together
        elif isinstance(action, StoreOccupancy):
            self.occupancy.write_failed(None)  # fetched again when the car plans again
        reason = "does not fit the cache" if permanent else "cache write failed"
        self.rejected[reason] += 1
        self._replan_at = now + self._apply_retry.next_delay()
        return [Reject(self.topics.base, reason, f"{type(action).__name__}: {detail}"[:200]), *out, *self._changed()]

    def applied(self) -> None:
        """A cache write succeeded: failures are no longer in a row."""
        self._apply_retry.reset()

    # ------------------------------------------------------------ time

    def tick(self, now: float) -> list[Action]:
        """Timeouts: ask for missing deltas or statuses after a grace period; fall back to the
        retained snapshot when a request goes unanswered; ask again for snapshot chunks that do
        not come; plan again after a failed cache write."""
        self._now = now
        out: list[Action] = []
        if not self.online:
            return out
        if self._replan_at is not None:
            if now < self._replan_at:
                return self._changed()
            self._replan_at = None
            out += self._plan(now)
        out += self._tick_manifest(now)
        out += self._tick_deltas(now)
        out += self._tick_statuses(now)
        out += self.occupancy.tick(now)
        if self._snap:
            out += self._snap.tick(now)
        return out + self._changed()

    def _tick_deltas(self, now: float) -> list[Action]:
        m, asking = self.manifest, self._asking
        if asking.timed_out("deltas", now) and self._snap is None and m is not None:
            asking.pending.pop("deltas")
            self._behind_since = None
            return self._start_snapshot(m, now)  # the publisher is silent: the retained snapshot
        if (
            self._behind_since is not None
            and self._snap is None
            and self.version is not None
            and not self._delta_failed
            and now - self._behind_since > self.timing.gap_grace_s
            and asking.may_ask("deltas", now)
        ):
            target = max([m.version if m else 0, *self._held])
            return [asking.ask(VehicleRequest("deltas", self.version + 1, target), now)]
        return []

    def _tick_statuses(self, now: float) -> list[Action]:
        asking, since = self._asking, self.statuses.behind_since
        if asking.timed_out("statuses", now):
            asking.unanswered("statuses", now)
        if since is not None and now - since > self.timing.gap_grace_s and asking.may_ask("statuses", now):
            return [asking.ask(VehicleRequest("statuses", since_status_seq=self.status_seq), now)]
        return []
