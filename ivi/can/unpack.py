"""Precompiled per-message signal extraction: the decoder's fast path. Pure, no I/O.

cantools decodes a whole message through bitstruct and builds a dict of every signal; the head
unit needs only the few mapped signals of each frame, thousands of times a second. For the usual
case — Intel (little-endian) integer signals, no multiplexing — a signal is just
``(int.from_bytes(data, "little") >> start) & mask`` (sign-extended), scaled with cantools' own
scale and offset objects, which gives bit-identical values (``tests/can/test_can_unpack.py``
compares against cantools with hypothesis). Anything else (Motorola byte order, IEEE floats,
multiplexed messages) falls back to cantools through :meth:`CanDatabase.decode`, so the fast
path never changes a result, it only skips work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ivi.can.dbc import CanDatabase, MessageSpec

#: data → values of the requested signals, in the requested order.
Unpacker = Callable[[bytes], list[Any]]


def compile_unpacker(database: CanDatabase, message: MessageSpec, names: Sequence[str]) -> Unpacker:
    """The fastest exact extractor of ``names`` from ``message`` payloads (``len(data)`` already checked)."""
    fast = _fast_unpacker(message, names)
    if fast is not None:
        return fast
    frame_id, decode, wanted = message.frame_id, database.decode, tuple(names)

    def via_cantools(data: bytes) -> list[Any]:
        values = decode(frame_id, data)
        return [values[n] for n in wanted]

    return via_cantools


def _fast_unpacker(message: MessageSpec, names: Sequence[str]) -> Unpacker | None:
    steps = []
    for name in names:
        lay = message.signal(name).layout
        if lay is None or not lay.little_endian or lay.is_float or lay.multiplexed:
            return None
        mask = (1 << lay.length_bits) - 1
        sign = (1 << (lay.length_bits - 1)) if lay.signed else 0
        identity = lay.scale == 1 and lay.offset == 0 and type(lay.scale) is int and type(lay.offset) is int
        steps.append((lay.start_bit, mask, sign, identity, lay.scale, lay.offset))
    plan = tuple(steps)
    from_bytes = int.from_bytes

    def unpack(data: bytes) -> list[Any]:
        n = from_bytes(data, "little")
        out = []
        for start, mask, sign, identity, scale, offset in plan:
            raw = (n >> start) & mask
            if sign and raw & sign:
                raw -= sign << 1
            out.append(raw if identity else raw * scale + offset)
        return out

    return unpack
