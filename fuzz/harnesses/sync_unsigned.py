"""The car's sync protocol on bytes anyone on the broker may publish: no key, any topic.

Contract: ``VehicleSync.receive`` never raises and never acts on an unsigned message — whatever the bytes, it returns
a :class:`Reject` with a reason (counted in ``rejected``), other than ``internal error`` (a bug of ours caught by the
last-resort handler), and no cache write.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from fuzz.harness import Finding, Harness, expect
from sync.protocol.actions import CACHE_WRITES, Reject
from sync.protocol.bodies import Topics
from sync.protocol.vehicle import VehicleSync
from sync.signing import generate_signer

__all__ = ["HARNESS"]

TOPICS = Topics()
_TOPIC_CHOICES = (TOPICS.manifest, TOPICS.delta, TOPICS.head, TOPICS.status, TOPICS.chunk(0), Topics.response("car"))
_VERIFIER = generate_signer().verifier  # a key nobody in the fuzzer has: every payload is unsigned


def check(data: bytes) -> None:
    """First byte picks the topic; the rest is the payload."""
    topic = _TOPIC_CHOICES[data[0] % len(_TOPIC_CHOICES)] if data else TOPICS.delta
    payload = data[1:]
    sync = VehicleSync(_VERIFIER, "car", version=1)
    sync.connected(0.0)
    actions = sync.receive(topic, payload, 1.0)
    rejects = [a for a in actions if isinstance(a, Reject)]
    writes = [a for a in actions if isinstance(a, CACHE_WRITES)]
    expect(not writes, "unsigned message acted upon", type(writes[0]).__name__ if writes else "")
    if not payload and topic == TOPICS.chunk(0):
        return  # a cleared retained chunk: ignored by design
    expect(len(rejects) == 1, "unsigned message not rejected once", repr(actions)[:200])
    reason = rejects[0].reason
    expect(bool(reason), "rejection without a reason")
    if reason == "internal error":
        raise Finding("internal error in receive", rejects[0].detail)
    expect(sum(sync.rejected.values()) == 1, "rejection not counted")


def seeds() -> Iterator[bytes]:
    header = b'{"ds":"cn","kind":"delta","v":2,"seq":2,"comp":"none","raw":2,"part":0,"parts":1}'
    frame = b"IVS1" + struct.pack(">I", len(header)) + header + b"{}" + bytes(64)
    for i in range(len(_TOPIC_CHOICES)):
        yield bytes([i]) + frame
    yield b"\x01IVS1" + struct.pack(">I", 5000) + b"[" * 5000 + bytes(64)  # issue 19: peek_header recursion
    yield b"\x00" + b"IVS1" + bytes(70)


HARNESS = Harness(
    name="sync_unsigned",
    check=check,
    seeds=seeds,
    byte_level=True,
    doc="VehicleSync.receive on any bytes on any topic: a Reject with a reason, counted; never an exception, "
    "never a cache write without the operator's signature.",
)
