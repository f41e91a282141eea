"""The vehicle side of the protocol, pure: ``receive(topic, payload, now) -> [Action]``.

:class:`VehicleSync` knows which dataset version and status sequence the cache holds and turns
each incoming message into actions for the client to carry out (write the cache, ask the
publisher for what is missing, (re)subscribe the snapshot, log a rejection, show a new state).
Time is passed in; ``tick(now)`` drives the timeouts. Rules, after Sparkplug B and TUF:

* every message must carry the operator's signature and our dataset id;
* a manifest older than one already seen is a rollback and is refused; one past its
  ``expires_at`` is accepted but puts the state into ``error`` (a frozen feed);
* deltas apply strictly in version order, each exactly once; a delta from the future is held
  and the missing versions are requested (after a short grace, since the broker may still be
  delivering them); a car too far behind, or told the deltas are gone, takes the snapshot;
* status batches are numbered; each change applies only if newer than the cache's row, so
  duplicates and reordering change nothing; a gap asks the publisher for a catch-up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sync.protocol.bodies import DEFAULT_DATASET, Delta, Manifest, StatusChange, Topics, VehicleRequest, parse_changes
from sync.protocol.messages import Envelope, Rejected, VerifierLike, decode, peek_header
from sync.protocol.rows import ChunkRows, check_chunk

GAP_GRACE_S = 1.0
REQUEST_TIMEOUT_S = 5.0
SNAPSHOT_STALL_S = 5.0
MAX_HELD_DELTAS = 1000


#: The states a :class:`SyncStatus` can be in.
SYNC_STATES = ("offline", "syncing", "up_to_date", "error")


@dataclass(frozen=True)
class SyncStatus:
    """Where the car's sync stands (what a screen shows): ``state`` is one of :data:`SYNC_STATES`,
    ``progress`` 0..1 while syncing, ``version`` the dataset version the cache holds (None before
    the first), ``last_contact`` the epoch seconds of the last message from the publisher."""

    state: str
    progress: float = 0.0
    version: int | None = None
    last_contact: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Subscribe:
    topic: str
    resubscribe: bool = False  # unsubscribe first so the broker sends the retained messages again


@dataclass(frozen=True)
class Unsubscribe:
    topic: str


@dataclass(frozen=True)
class SendRequest:
    topic: str
    request: VehicleRequest


@dataclass(frozen=True)
class StageChunk:
    """Keep this verified snapshot chunk in the shadow table (``BeginSnapshot`` cleared it).
    ``rows`` are its checked contents, decoded on arrival so that the commit need not."""

    version: int
    index: int
    payload: bytes
    rows: ChunkRows | None = None


@dataclass(frozen=True)
class BeginSnapshot:
    version: int
    chunks: int


@dataclass(frozen=True)
class CommitSnapshot:
    """Swap the staged snapshot in, in one transaction, keeping EVSE statuses that are newer."""

    version: int
    chunks: int
    status_seq: int


@dataclass(frozen=True)
class ApplyDelta:
    delta: Delta
    status_seq: int


@dataclass(frozen=True)
class ApplyStatuses:
    changes: tuple[StatusChange, ...]
    status_seq: int


@dataclass(frozen=True)
class Reject:
    topic: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class StateChanged:
    status: SyncStatus


Action = (
    Subscribe
    | Unsubscribe
    | SendRequest
    | StageChunk
    | BeginSnapshot
    | CommitSnapshot
    | ApplyDelta
    | ApplyStatuses
    | Reject
    | StateChanged
)


@dataclass
class _Snapshot:
    version: int
    sha: tuple[str, ...]
    staged: set[int] = field(default_factory=set)
    last_progress: float = 0.0


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
    ) -> None:
        self.verifier = verifier
        self.client_id = client_id
        self.topics = Topics(dataset)
        self.version = version
        self.status_seq = status_seq
        self.manifest: Manifest | None = None
        self.online = False
        self.last_contact: float | None = None
        self._restored_stage = staged
        self._snap: _Snapshot | None = None
        self._held: dict[int, Delta] = {}
        self._status_above: set[int] = set()
        self._catchup_parts: dict[int, set[int]] = {}
        self._behind_since: float | None = None
        self._status_behind_since: float | None = None
        self._pending: dict[str, float] = {}  # "deltas" / "statuses" → when asked
        self._request_id = 0
        self._last_status: SyncStatus | None = None
        self._expired = False
        self._now = 0.0

    # ------------------------------------------------------------ the UI's view

    @property
    def synced(self) -> bool:
        m = self.manifest
        return (
            m is not None
            and self._snap is None
            and self.version is not None
            and self.version >= m.version
            and self.status_seq >= m.status_seq
            and not self._status_above
            and not self._held
        )

    def status(self) -> SyncStatus:
        if not self.online:
            return SyncStatus("offline", self._progress(), self.version, self.last_contact, "no broker connection")
        if self._expired:
            return SyncStatus(
                "error",
                self._progress(),
                self.version,
                self.last_contact,
                "manifest expired: the operator has not confirmed the data lately",
            )
        if self.synced:
            return SyncStatus("up_to_date", 1.0, self.version, self.last_contact, f"version {self.version}")
        if self.manifest is None:
            return SyncStatus("syncing", 0.0, self.version, self.last_contact, "waiting for the manifest")
        if self._snap:
            return SyncStatus(
                "syncing",
                self._progress(),
                self.version,
                self.last_contact,
                f"snapshot {len(self._snap.staged)}/{len(self._snap.sha)} chunks of version {self._snap.version}",
            )
        return SyncStatus(
            "syncing",
            self._progress(),
            self.version,
            self.last_contact,
            f"catching up to version {self.manifest.version}, status {self.manifest.status_seq}",
        )

    def _progress(self) -> float:
        if self._snap:
            return len(self._snap.staged) / len(self._snap.sha)
        if self.synced:
            return 1.0
        if self.manifest and self.version:
            return min(0.99, self.version / self.manifest.version)
        return 0.0

    def _changed(self) -> list[Action]:
        s = self.status()
        if s == self._last_status:
            return []
        self._last_status = s
        return [StateChanged(s)]

    # ------------------------------------------------------------ connection

    def connected(self, now: float) -> list[Action]:
        """The transport is (re)connected and subscribed to the manifest, delta, status and
        response topics."""
        self.online = True
        self._now = now
        self.last_contact = now
        self._pending.clear()  # replies to requests from before the drop may never come
        out: list[Action] = []
        if self._snap:  # resume: the retained chunks come again on a fresh subscription
            out.append(Subscribe(self.topics.snapshot_filter, resubscribe=True))
            self._snap.last_progress = now
        return out + self._changed()

    def disconnected(self, now: float) -> list[Action]:
        self.online = False
        return self._changed()

    # ------------------------------------------------------------ messages

    def receive(self, topic: str, payload: bytes, now: float) -> list[Action]:
        self._now = now
        self.last_contact = now
        if topic.startswith(self.topics.base + "/snapshot/") and not payload:
            return []  # a cleared retained chunk
        try:
            env = decode(payload, self.verifier, self.topics.dataset)
            out = self._dispatch(topic, env, payload, now)
        except Rejected as exc:
            h = peek_header(payload) if exc.reason != "bad signature" else None
            where = f" ({h.kind} v{h.version} seq {h.seq})" if h else ""
            out = [Reject(topic, exc.reason, exc.detail + where)]
        return out + self._changed()

    def _dispatch(self, topic: str, env: Envelope, payload: bytes, now: float) -> list[Action]:
        kind = env.header.kind
        expected = {
            "manifest": (self.topics.manifest,),
            "chunk": (),
            "delta": (self.topics.delta, self._response),
            "status": (self.topics.status,),
            "catchup": (self._response,),
            "nack": (self._response,),
        }[kind]
        if kind == "chunk":
            if not topic.startswith(self.topics.base + "/snapshot/"):
                raise Rejected("wrong topic", f"{kind} on {topic}")
        elif topic not in expected:
            raise Rejected("wrong topic", f"{kind} on {topic}")
        if kind == "manifest":
            return self._on_manifest(Manifest.from_body(env.body), now)
        if kind == "chunk":
            return self._on_chunk(env, payload, now)
        if kind == "delta":
            return self._on_delta(Delta.from_body(env.header.version, env.body), now)
        if kind == "status":
            return self._on_status(
                env.header.seq,
                parse_changes((env.body or {}).get("changes") if isinstance(env.body, dict) else None),
                now,
            )
        if kind == "catchup":
            return self._on_catchup(env, now)
        return self._on_nack(now)

    @property
    def _response(self) -> str:
        return Topics.response(self.client_id)

    def _on_manifest(self, m: Manifest, now: float) -> list[Action]:
        cur = self.manifest
        if cur and (m.version, m.status_seq) < (cur.version, cur.status_seq):
            raise Rejected("rollback", f"manifest version {m.version} after {cur.version}")
        if self.version is not None and m.version < self.version:
            raise Rejected("rollback", f"manifest version {m.version} but the cache holds {self.version}")
        self.manifest = m
        self._expired = now > m.expires_at
        return self._plan(now)

    def _plan(self, now: float) -> list[Action]:
        """Decide, from the manifest and the cache, whether to take the snapshot or deltas."""
        m = self.manifest
        out: list[Action] = []
        if m is None:
            return out
        need_snapshot = self.version is None or (m.version > self.version and self.version + 1 < m.oldest_delta)
        if self._snap and self._snap.version != m.version:
            out.append(Unsubscribe(self.topics.snapshot_filter))
            self._snap = None
        if need_snapshot and self._snap is None:
            out += self._start_snapshot(m, now)
        elif self.version is not None and m.version > self.version and self._behind_since is None:
            self._behind_since = now
        if m.status_seq > self.status_seq and self._status_behind_since is None:
            self._status_behind_since = now
        return out

    def _start_snapshot(self, m: Manifest, now: float) -> list[Action]:
        self._snap = _Snapshot(m.version, m.chunk_sha256, last_progress=now)
        restored = self._restored_stage
        self._restored_stage = None
        out: list[Action] = []
        if restored and restored[0] == m.version:
            self._snap.staged = {i for i in restored[1] if i < len(m.chunk_sha256)}
        else:
            out.append(BeginSnapshot(m.version, len(m.chunk_sha256)))
        out.append(Subscribe(self.topics.snapshot_filter, resubscribe=True))
        return out + self._maybe_commit()

    def _on_chunk(self, env: Envelope, payload: bytes, now: float) -> list[Action]:
        snap, h = self._snap, env.header
        if snap is None or h.version != snap.version:
            return []  # a retained chunk of a version we do not need
        if h.parts != len(snap.sha) or h.seq >= len(snap.sha) or h.seq != h.part:
            raise Rejected("malformed header", f"chunk {h.seq} of {h.parts}, manifest lists {len(snap.sha)}")
        if hashlib.sha256(payload).hexdigest() != snap.sha[h.seq]:
            raise Rejected("not in manifest", f"chunk {h.seq} of version {h.version} has another hash")
        if h.seq in snap.staged:
            return []
        rows = check_chunk(env.body)  # signed and named by the manifest: a structural check suffices
        snap.staged.add(h.seq)
        snap.last_progress = now
        return [StageChunk(h.version, h.seq, payload, rows), *self._maybe_commit()]

    def _maybe_commit(self) -> list[Action]:
        snap, m = self._snap, self.manifest
        if snap is None or m is None or len(snap.staged) < len(snap.sha):
            return []
        self._snap = None
        self.version = snap.version
        self.status_seq = max(self.status_seq, m.snapshot_status_seq)
        self._advance_status()
        self._held = {v: d for v, d in self._held.items() if v > self.version}
        self._behind_since = None if self.version >= m.version else self._now
        out: list[Action] = [
            CommitSnapshot(snap.version, len(snap.sha), self.status_seq),
            Unsubscribe(self.topics.snapshot_filter),
        ]
        return out + self._drain()

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
        if self._snap is not None or self.version is None:
            return out
        while self.version + 1 in self._held:
            d = self._held.pop(self.version + 1)
            self.version = d.version
            out.append(ApplyDelta(d, self.status_seq))
        self._held = {v: d for v, d in self._held.items() if v > self.version}
        if (self.manifest is None or self.version >= self.manifest.version) and not self._held:
            self._behind_since = None
            self._pending.pop("deltas", None)
        return out

    def _on_status(self, seq: int, changes: tuple[StatusChange, ...], now: float) -> list[Action]:
        if seq <= self.status_seq or seq in self._status_above:
            raise Rejected("duplicate", f"status batch {seq}, the cache holds {self.status_seq}")
        if seq == self.status_seq + 1:
            self.status_seq = seq
            self._advance_status()
        else:
            self._status_above.add(seq)
            if self._status_behind_since is None:
                self._status_behind_since = now
        return [ApplyStatuses(changes, self.status_seq)]

    def _advance_status(self) -> None:
        while self.status_seq + 1 in self._status_above:
            self.status_seq += 1
            self._status_above.discard(self.status_seq)
        self._status_above = {s for s in self._status_above if s > self.status_seq}
        caught_up = not self._status_above and (self.manifest is None or self.status_seq >= self.manifest.status_seq)
        if caught_up:
            self._status_behind_since = None
            self._pending.pop("statuses", None)

    def _on_catchup(self, env: Envelope, now: float) -> list[Action]:
        body = env.body if isinstance(env.body, dict) else {}
        upto = body.get("upto")
        if not isinstance(upto, int) or upto != env.header.seq:
            raise Rejected("malformed body", "catch-up without its sequence")
        changes = parse_changes(body.get("changes"))
        parts = self._catchup_parts.setdefault(upto, set())
        parts.add(env.header.part)
        if len(parts) == env.header.parts:
            del self._catchup_parts[upto]
            self.status_seq = max(self.status_seq, upto)
            self._advance_status()
        return [ApplyStatuses(changes, self.status_seq)]

    def _on_nack(self, now: float) -> list[Action]:
        self._pending.pop("deltas", None)
        m = self.manifest
        if m is None or self._snap is not None or (self.version is not None and self.version >= m.version):
            return []
        self._behind_since = None
        return self._start_snapshot(m, now)

    # ------------------------------------------------------------ time

    def tick(self, now: float) -> list[Action]:
        """Timeouts: ask for missing deltas or statuses after a grace period; fall back to the
        retained snapshot when a request goes unanswered; resubscribe a stalled snapshot."""
        self._now = now
        out: list[Action] = []
        if not self.online:
            return out
        m = self.manifest
        asked = self._pending.get("deltas")
        if asked is not None and now - asked > REQUEST_TIMEOUT_S and self._snap is None and m is not None:
            self._pending.pop("deltas")
            self._behind_since = None
            out += self._start_snapshot(m, now)  # the publisher is silent: the retained snapshot
        elif (
            self._behind_since is not None
            and asked is None
            and self._snap is None
            and self.version is not None
            and now - self._behind_since > GAP_GRACE_S
        ):
            target = max([m.version if m else 0, *self._held])
            out.append(self._request(VehicleRequest("deltas", self.version + 1, target), now, "deltas"))
        s_asked = self._pending.get("statuses")
        if s_asked is not None and now - s_asked > REQUEST_TIMEOUT_S:
            self._pending.pop("statuses")  # ask again below
        if (
            self._status_behind_since is not None
            and "statuses" not in self._pending
            and now - self._status_behind_since > GAP_GRACE_S
        ):
            out.append(self._request(VehicleRequest("statuses", since_status_seq=self.status_seq), now, "statuses"))
        if self._snap and now - self._snap.last_progress > SNAPSHOT_STALL_S:
            self._snap.last_progress = now
            out.append(Subscribe(self.topics.snapshot_filter, resubscribe=True))
        return out + self._changed()

    def _request(self, req: VehicleRequest, now: float, kind: str) -> SendRequest:
        self._request_id += 1
        self._pending[kind] = now
        full = VehicleRequest(
            req.want, req.from_version, req.to_version, req.since_status_seq, self._response, self._request_id
        )
        return SendRequest(Topics.request(self.client_id), full)
