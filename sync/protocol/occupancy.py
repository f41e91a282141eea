"""The occupancy model as a signed, versioned part of the dataset, pure: the operator cuts the
model's bytes into retained parts, the manifest names them, the car gathers, checks and decodes.

* The model (``chargers.occupancy.encode_model``, ~1.1 MB at scale 1) is cut into parts of
  :data:`PART_RAW_BYTES` (~60 KB once zstd-compressed, like snapshot chunks), each a signed
  ``occupancy`` message, retained on ``chargers/<ds>/occupancy/<i>``. Its body is the part's bytes
  (compressed as the header says), not JSON.
* The manifest announces it (:class:`OccupancyRef`): its own version (monotonic, independent of the
  dataset's: the model is learned again on a schedule, the feeds change when they change), when it
  was learned, its size and SHA-256, and each part's SHA-256 — content first, then the metadata.
* The car (:class:`OccupancyFetch`, driven by ``VehicleSync``) fetches a model whose version is
  newer than its cache's: subscribes to the parts, checks each against the manifest's hash, joins
  them, checks the whole hash, decodes it (``decode_model``: magic, format version, lengths, CRC)
  and hands the cache a :class:`~sync.protocol.actions.StoreOccupancy`. A model that does not
  decode is refused whole (``corrupt occupancy model``, counted) and not fetched again until a new
  version is announced; an unsigned or altered part is refused like any message (``bad signature``)
  and asked for again with growing waits.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from chargers.errors import OccupancyModelError
from chargers.occupancy.encoding import decode_model
from sync.protocol.actions import Action, Reject, StoreOccupancy, Subscribe, Unsubscribe
from sync.protocol.bodies import OccupancyRef, Topics
from sync.protocol.messages import Envelope, Header, Rejected, SignerLike, _collector_paused, encode_raw
from sync.protocol.pacing import Backoff

__all__ = ["CORRUPT", "PART_RAW_BYTES", "OccupancyFetch", "OccupancyFollower", "part_messages"]

#: Raw bytes per part: ~60 KB once compressed (the model compresses ~2.7× with zstd).
PART_RAW_BYTES = 160 * 1024
CORRUPT = "corrupt occupancy model"


def part_messages(
    topics: Topics,
    data: bytes,
    version: int,
    created_s: int,
    signer: SignerLike,
    compression: str = "zstd",
    part_raw_bytes: int = PART_RAW_BYTES,
) -> tuple[OccupancyRef, list[tuple[str, bytes]]]:
    """The model's retained parts as ``(topic, signed payload)`` and the manifest's reference to
    them. Deterministic (same bytes, version and key → same payloads): a broker that lost them is
    repaired with copies made again."""
    pieces = [data[i : i + part_raw_bytes] for i in range(0, len(data), part_raw_bytes)] or [b""]
    out = []
    for i, piece in enumerate(pieces):
        header = Header(topics.dataset, "occupancy", version, i, compression, 0, i, len(pieces))
        out.append((topics.occupancy_part(i), encode_raw(header, piece, signer)))
    ref = OccupancyRef(
        version,
        created_s,
        len(data),
        hashlib.sha256(data).hexdigest(),
        tuple(hashlib.sha256(p).hexdigest() for _, p in out),
    )
    return ref, out


@dataclass
class OccupancyFetch:
    """One model being gathered by the car: the parts it holds, when to ask again for the rest."""

    topics: Topics
    ref: OccupancyRef
    retry: Backoff
    stall_s: float
    next_try: float = 0.0
    parts: dict[int, bytes] = field(default_factory=dict)

    @classmethod
    def start(
        cls, topics: Topics, ref: OccupancyRef, *, stall_s: float, cap_s: float, rng: random.Random, now: float
    ) -> tuple[OccupancyFetch, list[Action]]:
        f = cls(topics, ref, Backoff(stall_s, cap_s, rng=rng), stall_s, next_try=now + stall_s)
        return f, f.ask()

    def ask(self) -> list[Action]:
        """Subscribe (again): the broker sends the retained parts."""
        return [Subscribe(self.topics.occupancy_filter)]

    def resume(self, now: float) -> list[Action]:
        self.next_try = now + self.stall_s
        return self.ask()

    def tick(self, now: float) -> list[Action]:
        if now < self.next_try:
            return []
        self.next_try = now + self.retry.next_delay()
        return self.ask()

    def close(self) -> list[Action]:
        return [Unsubscribe(self.topics.occupancy_filter)]

    def describe(self) -> str:
        return f"occupancy model {self.ref.version}: {len(self.parts)}/{len(self.ref.part_sha256)} parts"

    def take(self, env: Envelope, payload: bytes, now: float) -> list[Action] | None:
        """One part, checked against the manifest. None while parts are missing; when the last
        arrives, the model checked whole and decoded: :class:`StoreOccupancy`, or a
        :class:`Reject` (``corrupt occupancy model``). Raises :class:`Rejected` for a part that is
        not one the manifest names."""
        h, ref = env.header, self.ref
        n = len(ref.part_sha256)
        if h.parts != n or h.seq >= n or h.seq != h.part:
            raise Rejected("malformed header", f"occupancy part {h.seq} of {h.parts}, manifest lists {n}")
        if hashlib.sha256(payload).hexdigest() != ref.part_sha256[h.seq]:
            raise Rejected("not in manifest", f"occupancy part {h.seq} of model {h.version} has another hash")
        if not isinstance(env.body, bytes):
            raise Rejected("malformed body", "occupancy part is not bytes")
        if h.seq in self.parts:
            return None
        self.parts[h.seq] = env.body
        self.retry.reset()
        self.next_try = now + self.stall_s
        if len(self.parts) < n:
            return None
        data = b"".join(self.parts[i] for i in range(n))
        if len(data) != ref.bytes or hashlib.sha256(data).hexdigest() != ref.sha256:
            return [Reject(self.topics.occupancy_filter, CORRUPT, f"model {ref.version}: parts join to another hash")]
        try:
            with _collector_paused(True):  # ~30,000 tuples and no cycles (see messages.py)
                model = decode_model(data)
        except OccupancyModelError as exc:
            return [Reject(self.topics.occupancy_filter, CORRUPT, f"model {ref.version}: {exc}")]
        except Exception as exc:  # a bug of the decoder: refused all the same, the fetch ends
            return [Reject(self.topics.occupancy_filter, CORRUPT, f"model {ref.version}: {type(exc).__name__}: {exc}")]
        return [StoreOccupancy(ref.version, ref.created_s, data, ref.sha256, model)]


class OccupancyFollower:
    """The car's side of the occupancy model across manifests: which version the cache holds,
    which the manifest announces, the fetch in progress, and the versions refused as corrupt
    (not fetched again until a newer one is announced)."""

    def __init__(
        self, topics: Topics, held: tuple[int, str] | None, *, stall_s: float, cap_s: float, rng: random.Random
    ) -> None:
        self.topics = topics
        self.held = held  # (version, sha256) the cache holds
        self.fetch: OccupancyFetch | None = None
        self.refused: tuple[int, str] | None = None  # (version, why) of the last model refused
        self._stall_s, self._cap_s, self._rng = stall_s, cap_s, rng

    @property
    def busy(self) -> bool:
        return self.fetch is not None

    def plan(self, ref: OccupancyRef | None, now: float) -> list[Action]:
        """The manifest (again): start fetching a model newer than the cache's, once."""
        held = self.held
        wanted = ref is not None and not (held and (held[0] > ref.version or held == (ref.version, ref.sha256)))
        if ref is None or not wanted or (self.refused and self.refused[0] >= ref.version):
            return self._drop() if ref is None or not wanted else []
        if self.fetch is not None and self.fetch.ref == ref:
            return []
        out = self._drop()
        self.fetch, asked = OccupancyFetch.start(
            self.topics, ref, stall_s=self._stall_s, cap_s=self._cap_s, rng=self._rng, now=now
        )
        return out + asked

    def _drop(self) -> list[Action]:
        fetch, self.fetch = self.fetch, None
        return fetch.close() if fetch else []

    def receive(self, env: Envelope, payload: bytes, now: float) -> list[Action]:
        fetch = self.fetch
        if fetch is None or env.header.version != fetch.ref.version:
            return []  # a retained part of a model we hold, or no longer want
        done = fetch.take(env, payload, now)
        if done is None:
            return []
        out = self._drop()
        for a in done:
            if isinstance(a, StoreOccupancy):
                self.held = (a.version, a.sha256)
            elif isinstance(a, Reject):
                self.refused = (fetch.ref.version, a.detail)
        return out + done

    def resume(self, now: float) -> list[Action]:
        return self.fetch.resume(now) if self.fetch else []

    def tick(self, now: float) -> list[Action]:
        return self.fetch.tick(now) if self.fetch else []

    def write_failed(self, held: tuple[int, str] | None) -> None:
        """Storing a model failed: the cache holds ``held``; the next manifest fetches again."""
        self.held = held
