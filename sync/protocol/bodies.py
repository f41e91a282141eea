"""Topics and the bodies carried inside envelopes: manifest, snapshot chunk, delta, status batch,
status catch-up, nack and the vehicle's request. Each body is plain JSON so that any MQTT tool
can inspect a decoded message; in deltas locations and tariffs are OCPI 2.2.1 objects (snapshot
chunks carry compact rows: ``sync.protocol.rows``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chargers.models import Location, Tariff
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

    @property
    def delta(self) -> str:
        return f"{self.base}/delta"

    @property
    def status(self) -> str:
        return f"{self.base}/status"

    @staticmethod
    def request(client_id: str) -> str:
        return f"vehicles/{client_id}/request"

    @staticmethod
    def response(client_id: str) -> str:
        return f"vehicles/{client_id}/response"

    REQUEST_FILTER = "vehicles/+/request"


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
        }

    @classmethod
    def from_body(cls, b: Any) -> Manifest:
        try:
            m = cls(
                int(b["version"]),
                tuple(str(s) for s in b["chunk_sha256"]),
                int(b["locations"]),
                int(b["evses"]),
                int(b["tariffs"]),
                int(b["status_seq"]),
                int(b["snapshot_status_seq"]),
                int(b["oldest_delta"]),
                float(b["published_at"]),
                float(b["expires_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Rejected("malformed body", f"manifest: {exc}"[:100]) from exc
        if m.version < 1 or not m.chunk_sha256:
            raise Rejected("malformed body", "manifest without version or chunks")
        return m


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
    if not isinstance(v, list) or not all(isinstance(i, str) for i in v):
        raise Rejected("malformed body", "ids must be a list of strings")
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
        if not isinstance(c, list) or len(c) != STATUS_CHANGE_FIELDS or not all(isinstance(x, str) and x for x in c):
            raise Rejected("malformed body", f"bad status change {str(c)[:60]}")
        out.append((c[0], c[1], c[2]))
    return tuple(out)


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
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise Rejected("malformed request", str(exc)[:80]) from exc
        if r.want not in ("deltas", "statuses"):
            raise Rejected("malformed request", f"unknown want {r.want[:20]!r}")
        return r
