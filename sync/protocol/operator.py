"""The operator side of the protocol, pure: published state + new feeds → signed messages.

:class:`Operator` remembers what it last published (locations, tariffs, live EVSE statuses, the
recent deltas) and turns a new dataset into the messages that move every car from the old
version to the new one: retained snapshot chunks, one or more deltas, then the retained
manifest that names them (content first, then the metadata that points to it, as in TUF).
Status changes become numbered batches; vehicle requests become replies. No I/O: the
publisher (``sync.publisher``) moves the resulting :class:`Outgoing` messages.

An EVSE's status is the one with the latest ``last_updated``, whoever reported it (feed or
status stream); the car applies the same rule, so both converge to the same row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from chargers.models import Location, Tariff
from geo.geometry import hilbert_key
from sync.protocol.bodies import Head, Manifest, Nack, OccupancyRef, StatusChange, Topics, VehicleRequest
from sync.protocol.changes import DELTA_MAX_RECORDS, diff, newer, overlay_statuses, split_delta
from sync.protocol.messages import Header, SignerLike, encode, encode_raw
from sync.protocol.occupancy import part_messages
from sync.protocol.rows import chunk_body, location_json

CHUNK_RAW_BYTES = 512 * 1024  # ~60 KB once zstd-compressed
STATUS_BATCH = 2000  # one cache transaction each: per-commit cost (WAL checkpoints) dominates small batches
CATCHUP_BATCH = 5000
DELTA_HISTORY = 200  # versions whose deltas are kept to answer requests
MANIFEST_TTL_S = 7 * 24 * 3600.0
MANIFEST_RENEW_S = 24 * 3600.0  # a manifest is renewed (published again) once a day
#: A status batch older than this is dropped by the broker (from a sleeping car's queue): a car
#: that wakes after it asks for a compacted catch-up instead of replaying every change.
STATUS_EXPIRY_S = 3600
HEAD_INTERVAL_S = 10.0  # the heartbeat's period; it expires after three periods


@dataclass(frozen=True)
class Outgoing:
    topic: str
    payload: bytes
    retain: bool = False
    expiry_s: int | None = None  # MQTT 5 message expiry: the broker drops it (queued or retained) after


@dataclass
class OperatorState:
    """Everything the publisher must remember between runs (see ``sync.publisher`` for the file).
    ``key_id`` names the key that signed ``deltas`` and the chunks; ``manifest_at`` is when the
    current manifest was last published (it is renewed a day later)."""

    dataset: str
    version: int = 0
    status_seq: int = 0
    snapshot_status_seq: int = 0
    chunk_sha256: tuple[str, ...] = ()
    locations: dict[str, Location] = field(default_factory=dict)
    tariffs: dict[str, Tariff] = field(default_factory=dict)
    live: dict[str, tuple[str, str]] = field(default_factory=dict)  # uid → (status, last_updated)
    deltas: dict[int, bytes] = field(default_factory=dict)  # version → signed delta payload
    key_id: str = ""
    manifest_at: float = 0.0
    brokers: dict[str, dict[str, object]] = field(default_factory=dict)  # url → what was last checked there
    occupancy: OccupancyRef | None = None  # the occupancy model published last, and its bytes
    occupancy_data: bytes = b""


class Operator:
    """The publisher's protocol brain. Mutates its :class:`OperatorState`; returns messages."""

    def __init__(
        self,
        state: OperatorState,
        signer: SignerLike,
        *,
        compression: str = "zstd",
        chunk_raw_bytes: int = CHUNK_RAW_BYTES,
        delta_max_records: int = DELTA_MAX_RECORDS,
        status_batch: int = STATUS_BATCH,
        status_expiry_s: int = STATUS_EXPIRY_S,
        head_interval_s: float = HEAD_INTERVAL_S,
        key_id: str = "",
    ) -> None:
        self.state = state
        self.signer = signer
        self.topics = Topics(state.dataset)
        self.compression = compression
        self.chunk_raw_bytes = chunk_raw_bytes
        self.delta_max_records = delta_max_records
        self.status_batch = status_batch
        self.status_expiry_s = status_expiry_s
        self.head_interval_s = head_interval_s
        self._chunks: list[Outgoing] | None = None  # the current snapshot's chunk messages, once made
        self._occupancy_parts: list[Outgoing] | None = None  # the current model's part messages
        self._uid_location: dict[str, str] = {}
        # The compacted status log since this process started: uid → (status, ts, seq).
        self._status_log: dict[str, tuple[str, str, int]] = {}
        self._status_log_base = state.status_seq
        self._reindex()
        if key_id and state.key_id and key_id != state.key_id:
            self._rotate_key()
        state.key_id = key_id or state.key_id

    def _rotate_key(self) -> None:
        """The signing key changed: the stored deltas carry the old key's signatures (a car that
        trusts only the new key could not use them), so they are dropped (cars behind take the
        snapshot), and the snapshot chunks are signed again (the next manifest names them)."""
        st = self.state
        st.deltas.clear()
        if st.version:
            self._chunks = self._chunk_messages()
            st.chunk_sha256 = tuple(hashlib.sha256(m.payload).hexdigest() for m in self._chunks if m.payload)
        if st.occupancy is not None:
            self._occupancy_parts = None
            st.occupancy = self._occupancy_ref(st.occupancy.version, st.occupancy.created_s)

    def _reindex(self) -> None:
        self._uid_location = {e.uid: loc.id for loc in self.state.locations.values() for e in loc.evses}

    def _header(self, kind: str, version: int, seq: int, part: int = 0, parts: int = 1) -> Header:
        return Header(self.state.dataset, kind, version, seq, self.compression, 0, part, parts)

    # ------------------------------------------------------------ datasets

    def effective_locations(self) -> dict[str, Location]:
        """The published locations with the live statuses laid over them (what cars converge to)."""
        live = self.state.live
        if not live:
            return dict(self.state.locations)
        touched = {self._uid_location[u] for u in live if u in self._uid_location}
        out = dict(self.state.locations)
        for lid in touched:
            out[lid] = overlay_statuses(out[lid], live)
        return out

    def publish_dataset(self, locations: Sequence[Location], tariffs: Sequence[Tariff], now: float) -> list[Outgoing]:
        """Messages that move cars to a dataset holding exactly ``locations`` and ``tariffs``;
        nothing if they equal what was last published."""
        st = self.state
        old = self.effective_locations()
        new = {loc.id: overlay_statuses(loc, st.live) for loc in locations}
        new_t = {t.id: t for t in tariffs}
        up, gone, up_t, gone_t = diff(old, new, st.tariffs, new_t)
        if st.version and not (up or gone or up_t or gone_t):
            return []
        deltas = (
            split_delta(st.version + 1, up, gone, up_t, gone_t, self.delta_max_records, old=old) if st.version else []
        )
        out: list[Outgoing] = []
        st.locations, st.tariffs = new, new_t
        self._reindex()
        st.live = {u: s for u, s in st.live.items() if u in self._uid_location}
        st.version = deltas[-1].version if deltas else st.version + 1
        out.extend(self._snapshot())
        for d in deltas:
            payload = encode(self._header("delta", d.version, d.version), d.to_body(), self.signer)
            st.deltas[d.version] = payload
            out.append(Outgoing(self.topics.delta, payload))
        for v in sorted(st.deltas)[:-DELTA_HISTORY]:
            del st.deltas[v]
        out.append(self.manifest(now))
        return out

    def _chunk_messages(self) -> list[Outgoing]:
        """The signed, retained chunks of the current version's snapshot (deterministic: the same
        dataset, version and key give the same bytes, so they can be made again to repair a broker)."""
        st = self.state
        groups: list[list[bytes]] = [[]]
        size = 0
        # Along a Hilbert curve (ids break ties): the car numbers rows in the order they come,
        # so neighbours on the ground are neighbours on its disk, as ``writer.spatial_order`` makes them.
        for loc in sorted(st.locations.values(), key=lambda loc: (hilbert_key(loc.lat, loc.lon), loc.id)):
            j = location_json(loc)
            if size + len(j) > self.chunk_raw_bytes and groups[-1]:
                groups.append([])
                size = 0
            groups[-1].append(j)
            size += len(j) + 1
        tariffs = [st.tariffs[i] for i in sorted(st.tariffs)]
        out = []
        for i, g in enumerate(groups):
            raw = chunk_body(g, tariffs if i == 0 else [])
            payload = encode_raw(self._header("chunk", st.version, i, i, len(groups)), raw, self.signer)
            out.append(Outgoing(self.topics.chunk(i), payload, retain=True))
        return out

    def chunks(self) -> list[Outgoing]:
        """The current snapshot's chunk messages (made once, then kept)."""
        if self._chunks is None:
            self._chunks = self._chunk_messages() if self.state.version else []
        return self._chunks

    def _snapshot(self) -> list[Outgoing]:
        st = self.state
        old_count = len(st.chunk_sha256)
        self._chunks = out = self._chunk_messages()
        # Clear retained chunks of an older, longer snapshot (an empty retained payload deletes).
        cleared = [Outgoing(self.topics.chunk(i), b"", retain=True) for i in range(len(out), old_count)]
        st.chunk_sha256 = tuple(hashlib.sha256(m.payload).hexdigest() for m in out)
        st.snapshot_status_seq = st.status_seq
        return [*out, *cleared]

    # ------------------------------------------------------------ the occupancy model

    def _occupancy_ref(self, version: int, created_s: int) -> OccupancyRef:
        ref, parts = part_messages(
            self.topics, self.state.occupancy_data, version, created_s, self.signer, self.compression
        )
        self._occupancy_parts = [Outgoing(t, p, retain=True) for t, p in parts]
        return ref

    def publish_occupancy(self, data: bytes, created_s: int, now: float) -> list[Outgoing]:
        """A new occupancy model (``encode_model`` bytes): its retained parts, the clearing of an
        older model's surplus parts, then the manifest naming it. Its version is the last one + 1."""
        st = self.state
        old = len(st.occupancy.part_sha256) if st.occupancy else 0
        st.occupancy_data = data
        st.occupancy = self._occupancy_ref((st.occupancy.version if st.occupancy else 0) + 1, created_s)
        parts = self.occupancy_parts()
        cleared = [Outgoing(self.topics.occupancy_part(i), b"", retain=True) for i in range(len(parts), old)]
        return [*parts, *cleared, self.manifest(now)]

    def occupancy_parts(self) -> list[Outgoing]:
        """The current model's part messages (made once, then kept; the same bytes every time)."""
        st = self.state
        if st.occupancy is None:
            return []
        if self._occupancy_parts is None:
            self._occupancy_ref(st.occupancy.version, st.occupancy.created_s)
        return self._occupancy_parts or []

    def manifest(self, now: float, ttl_s: float = MANIFEST_TTL_S) -> Outgoing:
        """The retained manifest, valid for ``ttl_s``; the broker drops it (and every queued copy)
        when it expires, so a car asleep for weeks is not handed a week of old manifests."""
        st = self.state
        st.manifest_at = now
        m = Manifest(
            version=st.version,
            chunk_sha256=st.chunk_sha256,
            locations=len(st.locations),
            evses=len(self._uid_location),
            tariffs=len(st.tariffs),
            status_seq=st.status_seq,
            snapshot_status_seq=st.snapshot_status_seq,
            oldest_delta=min(st.deltas, default=st.version + 1),
            published_at=now,
            expires_at=now + ttl_s,
            occupancy=st.occupancy,
        )
        return Outgoing(
            self.topics.manifest,
            encode(self._header("manifest", st.version, st.version), m.to_body(), self.signer),
            retain=True,
            expiry_s=int(ttl_s),
        )

    def manifest_due(self, now: float) -> bool:
        """Whether the manifest should be published again (renewed) now."""
        return bool(self.state.version) and now - self.state.manifest_at >= MANIFEST_RENEW_S

    def head(self, now: float) -> Outgoing:
        """The heartbeat: version and status sequence, retained, gone after three periods."""
        st = self.state
        body = Head(st.version, st.status_seq, now).to_body()
        return Outgoing(
            self.topics.head,
            encode(self._header("head", st.version, st.status_seq), body, self.signer),
            retain=True,
            expiry_s=max(1, round(3 * self.head_interval_s)),
        )

    # ------------------------------------------------------------ statuses

    def publish_statuses(self, changes: Iterable[StatusChange]) -> list[Outgoing]:
        """Numbered, signed status batches for the changes that are news (known EVSE, newer)."""
        st = self.state
        fresh: list[StatusChange] = []
        for uid, status, ts in changes:
            if uid not in self._uid_location:
                continue
            cur = st.live.get(uid)
            if cur is None:
                loc = st.locations[self._uid_location[uid]]
                e = next(e for e in loc.evses if e.uid == uid)
                cur = (e.status, e.last_updated)
            if newer(ts, cur[1]):
                st.live[uid] = (status, ts)
                fresh.append((uid, status, ts))
        out = []
        for start in range(0, len(fresh), self.status_batch):
            batch = fresh[start : start + self.status_batch]
            st.status_seq += 1
            for uid, status, ts in batch:
                self._status_log[uid] = (status, ts, st.status_seq)
            body = {"changes": [list(c) for c in batch]}
            out.append(
                Outgoing(
                    self.topics.status,
                    encode(self._header("status", st.version, st.status_seq), body, self.signer),
                    expiry_s=self.status_expiry_s,
                )
            )
        return out

    # ------------------------------------------------------------ requests

    def nack(self, nack: Nack, reply_to: str) -> Outgoing:
        st = self.state
        return Outgoing(reply_to, encode(self._header("nack", st.version, st.version), nack.to_body(), self.signer))

    def answer(self, req: VehicleRequest, reply_to: str) -> list[Outgoing]:
        """Replies to one vehicle request (already authenticated by the broker's ACL)."""
        st = self.state
        if req.want == "deltas":
            lo, hi = max(req.from_version, 1), min(req.to_version or st.version, st.version)
            if hi < lo:
                return []
            if all(v in st.deltas for v in range(lo, hi + 1)):
                return [Outgoing(reply_to, st.deltas[v]) for v in range(lo, hi + 1)]
            gone = f"deltas before version {min(st.deltas, default=st.version + 1)} are gone; use the snapshot"
            return [self.nack(Nack("deltas", gone), reply_to)]
        since = req.since_status_seq
        if since >= st.status_seq:
            changes: list[StatusChange] = []
        elif since >= self._status_log_base:
            changes = [(u, s, t) for u, (s, t, q) in self._status_log.items() if q > since]
        else:  # the log does not reach back that far: every EVSE's status (a "rebirth")
            changes = [
                (e.uid, e.status, e.last_updated) for loc in self.effective_locations().values() for e in loc.evses
            ]
        changes.sort()
        parts = max(1, -(-len(changes) // CATCHUP_BATCH))
        return [
            Outgoing(
                reply_to,
                encode(
                    self._header("catchup", st.version, st.status_seq, i, parts),
                    {
                        "upto": st.status_seq,
                        "changes": [list(c) for c in changes[i * CATCHUP_BATCH : (i + 1) * CATCHUP_BATCH]],
                    },
                    self.signer,
                ),
            )
            for i in range(parts)
        ]
