"""Topics and the bodies carried inside envelopes: manifest, snapshot chunk, delta, status batch,
status catch-up, nack and the vehicle's request. Each body is plain JSON so that any MQTT tool
can inspect a decoded message; in deltas locations and tariffs are OCPI 2.2.1 objects (snapshot
chunks carry compact rows: ``sync.protocol.rows``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from chargers import ocpi_fields
from chargers.models import STATUSES, Location, Tariff
from chargers.ocpi import Invalid, location_to_ocpi, parse_location, parse_tariff, tariff_to_ocpi
from sync.protocol.messages import Rejected

DEFAULT_DATASET = "cn-partners"
STATUS_CHANGE_FIELDS = 3  # [uid, status, last_updated]

StatusChange = tuple[str, str, str]


@dataclass(frozen=True)
class Topics:
    """Where each stream lives. Cars read ``chargers/<dataset>/#`` and write only their own
    request topic; only the publisher writes ``chargers/#`` and the response topics."""

    dataset: str = DEFAULT_DATASET
    root: str = "chargers"

    @property
    def base(self) -> str:
        return f"{self.root}/{self.dataset}"

    @property
    def manifest(self) -> str:
        return f"{self.base}/manifest"

    def chunk(self, index: int) -> str:
        return f"{self.base}/snapshot/{index}"

    @property
    def snapshot_filter(self) -> str:
        return f"{self.base}/snapshot/+"

    def occupancy_part(self, index: int) -> str:
        return f"{self.base}/occupancy/{index}"

    @property
    def occupancy_filter(self) -> str:
        return f"{self.base}/occupancy/+"

    @property
    def head(self) -> str:
        return f"{self.base}/head"

    @property
    def delta(self) -> str:
        return f"{self.base}/delta"

    @property
    def status(self) -> str:
        return f"{self.base}/status"

    @staticmethod
    def request(client_id: str) -> str:
        return f"vehicles/{client_id}/request"

    @property
    def streams(self) -> str:
        """One filter for manifest, head, delta and status (one level: not the snapshot chunks
        nor the probes). A broker that makes each QoS 1 subscription a replicated consumer (NATS
        JetStream) creates one instead of four per car (``bench.fleet``)."""
        return f"{self.base}/+"

    def car_subscriptions(self, client_id: str, *, one_filter: bool = False) -> tuple[str, ...]:
        """What a car subscribes to on every connection. Per topic, the manifest comes last: the
        broker sends a subscription's retained copy after every message already queued for the
        session and after the retained heartbeat, so when the current manifest arrives the car has
        heard of everything published before it. ``one_filter`` takes the four streams with
        :attr:`streams` (one JetStream consumer instead of four on NATS); the retained copies then
        come in the broker's order, and the car (``VehicleSync(one_filter=True)``) waits for the
        retained heartbeat as well before it calls itself up to date."""
        if one_filter:
            return (self.response(client_id), self.streams)
        return (self.head, self.delta, self.status, self.response(client_id), self.manifest)

    @staticmethod
    def response(client_id: str) -> str:
        return f"vehicles/{client_id}/response"

    REQUEST_FILTER = "vehicles/+/request"


@dataclass(frozen=True)
class OccupancyRef:
    """What the manifest says of the current occupancy model."""

    version: int
    created_s: int  # the end of the history it was learned from (UTC epoch seconds)
    bytes: int
    sha256: str  # of the whole model
    part_sha256: tuple[str, ...]  # of each signed part payload

    def to_body(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created_s,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "parts": list(self.part_sha256),
        }

    @classmethod
    def from_body(cls, b: Any) -> OccupancyRef:
        try:
            parts = b["parts"]
            if not isinstance(parts, list) or not parts or not all(_is_sha(s) for s in parts):
                raise ValueError("parts must be a non-empty list of SHA-256 hex digests")
            ref = cls(_whole(b["version"]), _whole(b["created"]), _whole(b["bytes"]), str(b["sha256"]), tuple(parts))
        except (KeyError, TypeError, ValueError) as exc:
            raise Rejected("malformed body", f"manifest occupancy: {exc}"[:100]) from exc
        if ref.version < 1 or not _is_sha(ref.sha256):
            raise Rejected("malformed body", "manifest occupancy without version or hash")
        return ref


def _is_sha(s: Any) -> bool:
    return isinstance(s, str) and len(s) == 64 and all(c in "0123456789abcdef" for c in s)


@dataclass(frozen=True)
class Manifest:
    """The retained, signed statement of what the current dataset is (TUF's timestamp+snapshot
    role in one): its version, the hash of every snapshot chunk, the counts, how far back
    deltas are still served, where the status stream stands, and when this statement expires."""

    version: int
    chunk_sha256: tuple[str, ...]
    locations: int
    evses: int
    tariffs: int
    status_seq: int
    snapshot_status_seq: int
    oldest_delta: int  # the smallest version whose delta the publisher still serves
    published_at: float
    expires_at: float
    occupancy: OccupancyRef | None = None  # the current occupancy model, once one is published

    def to_body(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "chunk_sha256": list(self.chunk_sha256),
            "locations": self.locations,
            "evses": self.evses,
            "tariffs": self.tariffs,
            "status_seq": self.status_seq,
            "snapshot_status_seq": self.snapshot_status_seq,
            "oldest_delta": self.oldest_delta,
            "published_at": self.published_at,
            "expires_at": self.expires_at,
        } | ({"occupancy": self.occupancy.to_body()} if self.occupancy else {})

    @classmethod
    def from_body(cls, b: Any) -> Manifest:
        try:
            shas = b["chunk_sha256"]
            if not isinstance(shas, list) or not all(isinstance(s, str) and len(s) == 64 for s in shas):
                raise ValueError("chunk_sha256 must be a list of SHA-256 hex digests")
            m = cls(
                _whole(b["version"]),
                tuple(shas),
                _whole(b["locations"]),
                _whole(b["evses"]),
                _whole(b["tariffs"]),
                _whole(b["status_seq"]),
                _whole(b["snapshot_status_seq"]),
                _whole(b["oldest_delta"]),
                float(b["published_at"]),
                float(b["expires_at"]),
                OccupancyRef.from_body(b["occupancy"]) if b.get("occupancy") is not None else None,
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise Rejected("malformed body", f"manifest: {exc}"[:100]) from exc
        if m.version < 1 or not m.chunk_sha256 or not (math.isfinite(m.published_at) and math.isfinite(m.expires_at)):
            raise Rejected("malformed body", "manifest without version, chunks or times")
        return m


@dataclass(frozen=True)
class Head:
    """The small signed heartbeat (~200 bytes, every few seconds): where the dataset version and
    the status stream stand now. The manifest, which lists every chunk's hash (27 KB at a million
    chargers), is only sent when it changes or is renewed."""

    version: int
    status_seq: int
    published_at: float

    def to_body(self) -> dict[str, Any]:
        return {"version": self.version, "status_seq": self.status_seq, "published_at": self.published_at}

    @classmethod
    def from_body(cls, b: Any) -> Head:
        try:
            h = cls(_whole(b["version"]), _whole(b["status_seq"]), float(b["published_at"]))
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise Rejected("malformed body", f"head: {exc}"[:100]) from exc
        if h.version < 1 or not math.isfinite(h.published_at):
            raise Rejected("malformed body", "head without version or time")
        return h


@dataclass(frozen=True)
class Nack:
    """The publisher will not answer a request: the deltas are gone (take the snapshot), or the car
    asks too often (``retry_after_s``: wait that long, do not fall back to the snapshot)."""

    want: str
    reason: str
    retry_after_s: float | None = None

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"want": self.want, "reason": self.reason}
        if self.retry_after_s is not None:
            body["retry_after_s"] = self.retry_after_s
        return body

    @classmethod
    def from_body(cls, b: Any) -> Nack:
        if not isinstance(b, dict) or b.get("want") not in ("deltas", "statuses"):
            raise Rejected("malformed body", "nack without what it refuses")
        wait = b.get("retry_after_s")
        if wait is not None and (not ocpi_fields.is_finite_number(wait) or not 0 <= wait < 86400):
            raise Rejected("malformed body", f"nack retry_after_s {ocpi_fields.shown(wait)[:20]}")
        reason = b.get("reason", "")
        return cls(
            str(b["want"]), reason[:200] if isinstance(reason, str) else "", None if wait is None else float(wait)
        )


def _whole(v: Any) -> int:
    """A whole JSON number the cache can store (SQLite's integers are 64-bit)."""
    if isinstance(v, bool) or not isinstance(v, int) or not -(2**63) <= v < 2**63:
        raise ValueError(f"not a whole number of 64 bits: {ocpi_fields.shown(v)[:20]}")
    return v


@dataclass(frozen=True)
class Delta:
    """Changes from version ``version - 1`` to ``version``. A location upsert carries the whole
    location with all its EVSEs (added, changed or removed EVSEs travel this way)."""

    version: int
    upsert_locations: tuple[Location, ...] = ()
    remove_locations: tuple[str, ...] = ()
    upsert_tariffs: tuple[Tariff, ...] = ()
    remove_tariffs: tuple[str, ...] = ()

    def __len__(self) -> int:
        return (
            len(self.upsert_locations)
            + len(self.remove_locations)
            + len(self.upsert_tariffs)
            + len(self.remove_tariffs)
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "base": self.version - 1,
            "upsert_locations": [location_to_ocpi(loc) for loc in self.upsert_locations],
            "remove_locations": list(self.remove_locations),
            "upsert_tariffs": [tariff_to_ocpi(t) for t in self.upsert_tariffs],
            "remove_tariffs": list(self.remove_tariffs),
        }

    @classmethod
    def from_body(cls, version: int, b: Any) -> Delta:
        if not isinstance(b, dict) or b.get("base") != version - 1:
            raise Rejected("malformed body", "delta base does not match its version")
        locs, tariffs = parse_records(b.get("upsert_locations"), b.get("upsert_tariffs"))
        return cls(version, locs, _ids(b.get("remove_locations")), tariffs, _ids(b.get("remove_tariffs")))


def _ids(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(i, str) and _EVSE_UID.fullmatch(i) for i in v):
        raise Rejected("malformed body", "ids must be a list of OCPI ids (printable ASCII, 1 to 36 characters)")
    return tuple(v)


def parse_records(locations: Any, tariffs: Any) -> tuple[tuple[Location, ...], tuple[Tariff, ...]]:
    """OCPI objects in a signed body; one invalid record rejects the whole message (the
    publisher validated them, so a bad one means a bug or an attack, not a partner typo)."""
    if not isinstance(locations, list) or not isinstance(tariffs, list):
        raise Rejected("malformed body", "locations and tariffs must be lists")
    try:
        return tuple(parse_location(loc) for loc in locations), tuple(parse_tariff(t) for t in tariffs)
    except Invalid as exc:
        raise Rejected("malformed body", f"invalid record: {exc}"[:100]) from exc


def parse_changes(v: Any) -> tuple[StatusChange, ...]:
    if not isinstance(v, list):
        raise Rejected("malformed body", "changes must be a list")
    out = []
    for c in v:
        if (
            not isinstance(c, list)
            or len(c) != STATUS_CHANGE_FIELDS
            or not all(isinstance(x, str) and x for x in c)
            or not _EVSE_UID.fullmatch(c[0])
            or not ocpi_fields.is_one_of(c[1], STATUSES)
            or not ocpi_fields.is_date_time(c[2])
        ):
            raise Rejected("malformed body", f"bad status change {ocpi_fields.shown(c)}")
        out.append((c[0], c[1], c[2]))
    return tuple(out)


#: An EVSE uid as OCPI has it (``CiString(36)``).
_EVSE_UID = re.compile(r"[\x20-\x7e]{1,36}")


@dataclass(frozen=True)
class VehicleRequest:
    """What a car asks the publisher for, on ``vehicles/<id>/request`` (plain JSON, unsigned:
    the car holds no key; the broker's ACL says who may write the topic)."""

    want: str  # "deltas" | "statuses"
    from_version: int = 0
    to_version: int = 0
    since_status_seq: int = 0
    reply_to: str = ""
    request_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "want": self.want,
                "from": self.from_version,
                "to": self.to_version,
                "since": self.since_status_seq,
                "reply_to": self.reply_to,
                "id": self.request_id,
            }
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> VehicleRequest:
        if len(raw) > 4096:
            raise Rejected("oversized", "request")
        try:
            d = json.loads(raw)
            r = cls(
                str(d["want"]),
                int(d.get("from", 0)),
                int(d.get("to", 0)),
                int(d.get("since", 0)),
                str(d.get("reply_to", "")),
                int(d.get("id", 0)),
            )
        except (ValueError, KeyError, TypeError, OverflowError, RecursionError) as exc:
            raise Rejected("malformed request", str(exc)[:80]) from exc
        if r.want not in ("deltas", "statuses"):
            raise Rejected("malformed request", f"unknown want {r.want[:20]!r}")
        if not all(0 <= n < 2**63 for n in (r.from_version, r.to_version, r.since_status_seq, r.request_id)):
            raise Rejected("malformed request", "a version, sequence or id outside 0..2**63")
        return r
