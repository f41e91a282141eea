"""The publisher's side of the sync protocol on what any car may send: ``vehicles/<id>/request`` payloads.

A car holds no key, so its requests are plain JSON that the broker's ACL lets it write on its own topic only.

Contract: ``VehicleRequest.from_json`` returns a request or raises ``Rejected`` with a reason; ``Operator.answer``
never raises and answers with a bounded number of messages (the deltas it holds, or one catch-up per batch of
statuses), all on the asking car's reply topic.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

from chargers.ocpi import parse_location, parse_tariff
from fuzz.harness import Harness, expect
from fuzz.mutators import mutate_json
from fuzz.seeds import feed_records, feed_tariffs
from sync.protocol.bodies import Topics, VehicleRequest
from sync.protocol.messages import Rejected
from sync.protocol.operator import Operator, OperatorState
from sync.signing import generate_signer

__all__ = ["HARNESS"]

REPLY_TO = Topics.response("car")
NOW = 1_800_000_000.0


@functools.cache
def _operator() -> Operator:
    """A publisher at version 3 with two deltas and a status log (answer() only reads it)."""
    op = Operator(OperatorState("cn-partners"), generate_signer(), chunk_raw_bytes=16 * 1024)
    records = feed_records()
    tariffs = [parse_tariff(t) for t in feed_tariffs()]
    op.publish_dataset([parse_location(r) for r in records], tariffs, NOW)
    for version in (2, 3):
        records[0]["name"] = f"{records[0]['name']} v{version}"
        op.publish_dataset([parse_location(r) for r in records], tariffs, NOW + version)
    uid = records[0]["evses"][0]["uid"]
    op.publish_statuses([(uid, "CHARGING", "2026-12-01T00:00:00Z"), (uid, "AVAILABLE", "2026-12-01T01:00:00Z")])
    return op


def check(data: bytes) -> None:
    try:
        req = VehicleRequest.from_json(data)
    except Rejected as exc:
        expect(bool(exc.reason), "rejection without a reason")
        return
    op = _operator()
    out = op.answer(req, REPLY_TO)
    bound = len(op.state.deltas) + 1 + len(op.state.live) // 500 + 1
    expect(len(out) <= bound, "unbounded answer", f"{len(out)} messages for {req}")
    expect(all(o.topic == REPLY_TO for o in out), "an answer off the car's reply topic")


def seeds() -> Iterator[bytes]:
    for req in (
        VehicleRequest("deltas", 2, 3, reply_to=REPLY_TO, request_id=1),
        VehicleRequest("deltas", 1, 0, reply_to=REPLY_TO, request_id=2),
        VehicleRequest("statuses", since_status_seq=0, reply_to=REPLY_TO, request_id=3),
        VehicleRequest("statuses", since_status_seq=1, reply_to=REPLY_TO, request_id=4),
    ):
        yield req.to_json()
    yield json.dumps({"want": "deltas", "from": 1e300, "to": -1}).encode()


HARNESS = Harness(
    name="sync_requests",
    check=check,
    seeds=seeds,
    byte_level=True,
    mutate=mutate_json,
    doc="VehicleRequest.from_json + Operator.answer on any request a car may publish: Rejected with a reason, or a "
    "bounded answer on the car's own reply topic; never an exception.",
)
