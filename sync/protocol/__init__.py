"""The OTA sync protocol, sans-I/O: messages in, cache operations and replies out, time passed in.

* ``messages``  the signed, compressed envelope and its limits
* ``bodies``    topics and what each message kind carries
* ``operator``  the publisher's side: datasets → manifest, snapshot chunks, deltas, status batches
* ``vehicle``   the car's side: :class:`VehicleSync` state machine

The written specification is ``docs/sync-protocol.md``.
"""

from sync.protocol.bodies import DEFAULT_DATASET, Delta, Manifest, Topics, VehicleRequest
from sync.protocol.messages import Envelope, Header, Rejected, decode, encode
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.protocol.vehicle import SyncStatus, VehicleSync

__all__ = [
    "DEFAULT_DATASET",
    "Delta",
    "Envelope",
    "Header",
    "Manifest",
    "Operator",
    "OperatorState",
    "Outgoing",
    "Rejected",
    "SyncStatus",
    "Topics",
    "VehicleRequest",
    "VehicleSync",
    "decode",
    "encode",
]
