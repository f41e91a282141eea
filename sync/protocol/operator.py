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
from dataclasses import dataclass, field, replace

from chargers.models import Location, Tariff
from sync.protocol.bodies import Delta, Manifest, StatusChange, Topics, VehicleRequest
from sync.protocol.messages import Header, SignerLike, encode, encode_raw
from sync.protocol.rows import chunk_body, location_json

CHUNK_RAW_BYTES = 512 * 1024  # ~60 KB once zstd-compressed
DELTA_MAX_RECORDS = 2000  # a bigger change is split across consecutive versions
STATUS_BATCH = 2000  # one cache transaction each: per-commit cost (WAL checkpoints) dominates small batches
CATCHUP_BATCH = 5000
DELTA_HISTORY = 200  # versions whose deltas are kept to answer requests
MANIFEST_TTL_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Outgoing:
    topic: str
    payload: bytes
    retain: bool = False


@dataclass
class OperatorState:
    """Everything the publisher must remember between runs (see ``sync.publisher`` for the file)."""

    dataset: str
    version: int = 0
    status_seq: int = 0
    snapshot_status_seq: int = 0
    chunk_sha256: tuple[str, ...] = ()
    locations: dict[str, Location] = field(default_factory=dict)
    tariffs: dict[str, Tariff] = field(default_factory=dict)
    live: dict[str, tuple[str, str]] = field(default_factory=dict)  # uid → (status, last_updated)
    deltas: dict[int, bytes] = field(default_factory=dict)  # version → signed delta payload


def newer(a_ts: str, b_ts: str) -> bool:
    """Whether timestamp ``a_ts`` is strictly later than ``b_ts`` (ISO-8601 UTC, same format)."""
    return (a_ts or "") > (b_ts or "")


def overlay_statuses(loc: Location, live: dict[str, tuple[str, str]]) -> Location:
    """``loc`` with each EVSE's status replaced by a live one that is newer."""
    evses = list(loc.evses)
    changed = False
    for i, e in enumerate(evses):
        got = live.get(e.uid)
        if got and newer(got[1], e.last_updated):
            evses[i] = replace(e, status=got[0], last_updated=got[1])
            changed = True
    return replace(loc, evses=tuple(evses)) if changed else loc


def diff(
    old: dict[str, Location], new: dict[str, Location], old_t: dict[str, Tariff], new_t: dict[str, Tariff]
) -> tuple[list[Location], list[str], list[Tariff], list[str]]:
    """What changed between two datasets: upserted and removed locations and tariffs."""
    up = [loc for i, loc in sorted(new.items()) if old.get(i) != loc]
    gone = sorted(set(old) - set(new))
    up_t = [t for i, t in sorted(new_t.items()) if old_t.get(i) != t]
    gone_t = sorted(set(old_t) - set(new_t))
    return up, gone, up_t, gone_t


def split_delta(
    first_version: int,
    up: list[Location],
    gone: list[str],
    up_t: list[Tariff],
    gone_t: list[str],
    max_records: int = DELTA_MAX_RECORDS,
) -> list[Delta]:
    """One delta per version, none bigger than ``max_records``. Tariffs go first so that every
    intermediate version references tariffs it has; removals go last."""
    records: list[Tariff | Location | tuple[str, str]] = [
        *up_t,
        *up,
        *(("rl", i) for i in gone),
        *(("rt", i) for i in gone_t),
    ]
    out = []
    for n, start in enumerate(range(0, len(records), max_records)):
        part = records[start : start + max_records]
        out.append(
            Delta(
                first_version + n,
                tuple(r for r in part if isinstance(r, Location)),
                tuple(r[1] for r in part if isinstance(r, tuple) and r[0] == "rl"),
                tuple(r for r in part if isinstance(r, Tariff)),
                tuple(r[1] for r in part if isinstance(r, tuple) and r[0] == "rt"),
            )
        )
    return out


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
    ) -> None:
        self.state = state
        self.signer = signer
        self.topics = Topics(state.dataset)
        self.compression = compression
        self.chunk_raw_bytes = chunk_raw_bytes
        self.delta_max_records = delta_max_records
        self.status_batch = status_batch
        self._uid_location: dict[str, str] = {}
        # The compacted status log since this process started: uid → (status, ts, seq).
        self._status_log: dict[str, tuple[str, str, int]] = {}
        self._status_log_base = state.status_seq
        self._reindex()

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
        deltas = split_delta(st.version + 1, up, gone, up_t, gone_t, self.delta_max_records) if st.version else []
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

    def _snapshot(self) -> list[Outgoing]:
        st = self.state
        locs = [st.locations[i] for i in sorted(st.locations)]
        groups: list[list[bytes]] = [[]]
        size = 0
        for loc in locs:
            j = location_json(loc)
            if size + len(j) > self.chunk_raw_bytes and groups[-1]:
                groups.append([])
                size = 0
            groups[-1].append(j)
            size += len(j) + 1
        tariffs = [st.tariffs[i] for i in sorted(st.tariffs)]
        old_count = len(st.chunk_sha256)
        out, shas = [], []
        for i, g in enumerate(groups):
            raw = chunk_body(g, tariffs if i == 0 else [])
            payload = encode_raw(self._header("chunk", st.version, i, i, len(groups)), raw, self.signer)
            shas.append(hashlib.sha256(payload).hexdigest())
            out.append(Outgoing(self.topics.chunk(i), payload, retain=True))
        # Clear retained chunks of an older, longer snapshot (an empty retained payload deletes).
        out.extend(Outgoing(self.topics.chunk(i), b"", retain=True) for i in range(len(groups), old_count))
        st.chunk_sha256 = tuple(shas)
        st.snapshot_status_seq = st.status_seq
        return out

    def manifest(self, now: float, ttl_s: float = MANIFEST_TTL_S) -> Outgoing:
        st = self.state
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
        )
        return Outgoing(
            self.topics.manifest,
            encode(self._header("manifest", st.version, st.version), m.to_body(), self.signer),
            retain=True,
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
                    self.topics.status, encode(self._header("status", st.version, st.status_seq), body, self.signer)
                )
            )
        return out

    # ------------------------------------------------------------ requests

    def answer(self, req: VehicleRequest, reply_to: str) -> list[Outgoing]:
        """Replies to one vehicle request (already authenticated by the broker's ACL)."""
        st = self.state
        if req.want == "deltas":
            lo, hi = max(req.from_version, 1), min(req.to_version or st.version, st.version)
            if hi < lo:
                return []
            if all(v in st.deltas for v in range(lo, hi + 1)):
                return [Outgoing(reply_to, st.deltas[v]) for v in range(lo, hi + 1)]
            body = {
                "want": "deltas",
                "reason": f"deltas before version {min(st.deltas, default=st.version + 1)} are gone; use the snapshot",
            }
            return [Outgoing(reply_to, encode(self._header("nack", st.version, st.version), body, self.signer))]
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
