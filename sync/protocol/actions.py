"""What the car's state machine (``sync.protocol.vehicle``) asks its client to do, as plain data:
write the cache, (un)subscribe, ask the publisher, log a rejection, show a new state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sync.protocol.bodies import Delta, StatusChange, VehicleRequest
from sync.protocol.rows import ChunkRows

if TYPE_CHECKING:
    from chargers.occupancy.model import OccupancyModel

#: The states a :class:`SyncStatus` can be in.
SYNC_STATES = ("offline", "syncing", "up_to_date", "error")


@dataclass(frozen=True)
class SyncStatus:
    """Where the car's sync stands (what a screen shows): ``state`` is one of :data:`SYNC_STATES`,
    ``progress`` 0..1 while syncing, ``version`` the dataset version the cache holds (None before
    the first), ``last_contact`` the epoch seconds of the last message from the publisher,
    ``detail`` what the car is doing or waiting for, in words."""

    state: str
    progress: float = 0.0
    version: int | None = None
    last_contact: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Subscribe:
    """Subscribe to ``topic`` at QoS 1. Every SUBSCRIBE, a repeated one too, makes the broker send
    the topic's retained messages (MQTT 3.1.1 §3.8.4, MQTT 5 retain handling 0; checked on
    Mosquitto and NATS in tests/sync/test_sync_mqtt311.py): asking again is subscribing again."""

    topic: str


@dataclass(frozen=True)
class Unsubscribe:
    topic: str


@dataclass(frozen=True)
class SendRequest:
    topic: str
    request: VehicleRequest


@dataclass(frozen=True)
class StageChunk:
    """Stage this verified snapshot chunk's checked ``rows`` beside the live tables
    (``BeginSnapshot`` emptied the stage)."""

    version: int
    index: int
    rows: ChunkRows


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
class StoreOccupancy:
    """Keep this verified, decoded occupancy model (version ``version`` of the model) in the cache,
    in one transaction; ``model`` is ``data`` decoded, so the cache need not decode it again."""

    version: int
    created_s: int
    data: bytes = field(repr=False)
    sha256: str
    model: OccupancyModel = field(repr=False, compare=False)


@dataclass(frozen=True)
class Reject:
    """A message refused (and acknowledged: it is never delivered again), or a cache write that
    failed; ``reason`` is short and stable (the client counts by it), ``detail`` says more."""

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
    | StoreOccupancy
    | Reject
    | StateChanged
)
#: The actions that write the cache (the client runs each in one transaction).
CACHE_WRITES = (ApplyDelta, ApplyStatuses, BeginSnapshot, StageChunk, CommitSnapshot, StoreOccupancy)
