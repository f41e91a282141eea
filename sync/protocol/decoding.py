"""How a car turns a payload into what its state machine judges: :class:`Decoding`.

The default is the protocol's own :func:`~sync.protocol.messages.decode`,
:func:`~sync.protocol.rows.check_chunk` and :meth:`~sync.protocol.bodies.Delta.from_body`, run
for every message. A process that simulates many cars (``sync.fleet``) hands each car a
:class:`SharedDecoding` instead: every car still checks every signature over the exact bytes it
received, but the decompression, JSON parsing, row check and OCPI parsing of a message that
another car of the process already decoded are reused (a 50 KB snapshot chunk costs ~15 ms to
inflate and check, a signature ~0.3 ms: 1,000 cars taking a 12-chunk snapshot would otherwise
spend three minutes of CPU decoding the same twelve messages). A cached result is used only when
the payload is byte-identical to the one decoded, so no car accepts anything it would not have
accepted alone.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sync.protocol.bodies import Delta
from sync.protocol.messages import SIGNATURE_BYTES, Envelope, Rejected, VerifierLike, decode
from sync.protocol.rows import ChunkRows, check_chunk

__all__ = ["Decoding", "SharedDecoding"]


class Decoding:
    """Decode a payload, check a snapshot chunk's rows, parse a delta: the protocol's functions."""

    def decode(self, payload: bytes, verifier: VerifierLike, dataset: str) -> Envelope:
        return decode(payload, verifier, dataset)

    def check_chunk(self, body: Any) -> ChunkRows:
        return check_chunk(body)

    def delta(self, env: Envelope) -> Delta:
        return Delta.from_body(env.header.version, env.body)


class SharedDecoding(Decoding):
    """:class:`Decoding` with the results shared by the cars of one process (at most ``size``
    messages remembered, least recently used forgotten first). Each car verifies the signature
    itself; bodies are shared read-only (the state machine never changes one)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._envelopes: OrderedDict[bytes, tuple[bytes, str, Envelope]] = OrderedDict()
        self._derived: OrderedDict[tuple[str, int], tuple[Any, Any]] = OrderedDict()
        self.decoded = 0  # full decodes
        self.reused = 0  # decodes saved

    def decode(self, payload: bytes, verifier: VerifierLike, dataset: str) -> Envelope:
        signature = payload[-SIGNATURE_BYTES:]
        hit = self._envelopes.get(signature)
        if hit is not None and hit[1] == dataset and hit[0] == payload:
            if not verifier.verify(signature, payload[:-SIGNATURE_BYTES]):  # this car's own check
                raise Rejected("bad signature", "not signed by the operator key, or altered")
            self._envelopes.move_to_end(signature)
            self.reused += 1
            return hit[2]
        env = decode(payload, verifier, dataset)
        self.decoded += 1
        self._envelopes[signature] = (payload, dataset, env)
        while len(self._envelopes) > self.size:
            self._envelopes.popitem(last=False)
        return env

    def _derive(self, what: str, body: Any, make: Any) -> Any:
        key = (what, id(body))
        hit = self._derived.get(key)
        if hit is not None and hit[0] is body:  # the same object, still alive (held in the entry)
            self._derived.move_to_end(key)
            return hit[1]
        value = make()
        self._derived[key] = (body, value)
        while len(self._derived) > self.size:
            self._derived.popitem(last=False)
        return value

    def check_chunk(self, body: Any) -> ChunkRows:
        return self._derive("chunk", body, lambda: check_chunk(body))

    def delta(self, env: Envelope) -> Delta:
        return self._derive(
            f"delta {env.header.version}", env.body, lambda: Delta.from_body(env.header.version, env.body)
        )
