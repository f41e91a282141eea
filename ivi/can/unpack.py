"""Precompiled per-message signal extraction: the decoder's fast path. Pure, no I/O.

cantools decodes a whole message through bitstruct and builds a dict of every signal; the head unit
needs only the few mapped signals of each frame, thousands of times a second. Here each message gets,
once, a plan for exactly the wanted signals: an Intel (little-endian) signal is
``(int.from_bytes(data, "little") >> start) & mask``, a Motorola (big-endian) one the same on the
big-endian integer, an IEEE float the bits of either read with ``struct``; signed values are
sign-extended. Multiplexed messages (also extended multiplexing: several pages per signal, nested
multiplexers) are walked as cantools builds its pages: a signal is present when its multiplexer is
present and the multiplexer's value is one of the signal's pages.

The extractor returns *raw* values (the decoder scales them with :func:`to_physical`, cantools'
own arithmetic): a list in the requested order for a plain message; for a multiplexed one a dict
``{position: raw}`` of the signals on the frame's page only, with :data:`UNKNOWN_PAGE` standing for
what hangs under a multiplexer whose value the DBC does not describe (cantools raises for the whole frame).
``tests/can/test_can_unpack.py`` checks all of it against cantools over every real DBC of the corpus.
A mapped signal that does not fit in its message (a lax DBC can have one) is a ``DatabaseError`` when the
decoder is built: it could never be decoded.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

from ivi.can.dbc import BitLayout, CanDatabase, MessageSpec
from ivi.can.errors import DatabaseError


class _UnknownPage:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN_PAGE"


#: The value of a signal whose multiplexer selects a page the DBC does not describe.
UNKNOWN_PAGE: Any = _UnknownPage()

#: data → raw values of the requested signals: a list in the requested order, or for multiplexed messages
#: a dict {position in the requested order: raw} of those on the frame's page.
Extractor = Callable[[bytes], Any]

_FLOAT_FORMATS = {32: struct.Struct(">f").unpack, 64: struct.Struct(">d").unpack}


def to_physical(layout: BitLayout, raw: Any) -> Any:
    """cantools' conversion of a raw number (not a named value) into the physical value."""
    return raw if layout.identity else raw * layout.scale + layout.offset


def compile_extractor(database: CanDatabase, message: MessageSpec, names: Sequence[str]) -> Extractor:
    """The fastest exact extractor of ``names`` from ``message`` payloads (at least ``length`` bytes)."""
    needed = _with_multiplexers(message, names)
    try:
        steps = [_step(message, name) for name in needed]
    except DatabaseError as exc:
        raise DatabaseError(f"CAN database {database.source}: {exc}") from exc
    if not message.is_multiplexed:
        return _flat(message.length, steps)
    return _multiplexed(message, needed, names, steps)


# A step: (little_endian, shift, mask, sign_bit, float_unpack or None)
_Step = tuple[bool, int, int, int, Callable[[bytes], tuple[float]] | None]


def _step(message: MessageSpec, name: str) -> _Step:
    lay = message.signal(name).layout
    assert lay is not None
    where = f"message {message.name}: signal {name} ({lay.length_bits} bits at bit {lay.start_bit})"
    if lay.length_bits < 1 or (lay.is_float and lay.length_bits not in _FLOAT_FORMATS):
        raise DatabaseError(f"{where} has a length no decoder can read")
    total = 8 * message.length
    if lay.little_endian:
        shift = lay.start_bit
    else:
        msb = 8 * (lay.start_bit // 8) + (7 - lay.start_bit % 8)  # network order: bit 0 = MSB of byte 0
        shift = total - (msb + lay.length_bits)
    if shift < 0 or shift + lay.length_bits > total:
        raise DatabaseError(f"{where} does not fit in the message's {message.length} bytes: it can never be decoded")
    sign = (1 << (lay.length_bits - 1)) if lay.signed and not lay.is_float else 0
    unpack = _FLOAT_FORMATS[lay.length_bits] if lay.is_float else None
    return (lay.little_endian, shift, (1 << lay.length_bits) - 1, sign, unpack)


def _flat(length: int, steps: list[_Step]) -> Extractor:
    from_bytes = int.from_bytes
    if all(little and unpack is None for little, _, _, _, unpack in steps):
        plan = tuple((shift, mask, sign) for _, shift, mask, sign, _ in steps)

        def unpack_intel(data: bytes) -> list[Any]:
            n = from_bytes(data, "little")  # bytes past ``length`` only add high bits no signal reads
            out = []
            for shift, mask, sign in plan:
                raw = (n >> shift) & mask
                if sign and raw & sign:
                    raw -= sign << 1
                out.append(raw)
            return out

        return unpack_intel
    general = tuple(steps)

    def unpack_any(data: bytes) -> list[Any]:
        le = from_bytes(data, "little")
        be = from_bytes(data[:length], "big")
        out = []
        for little, shift, mask, sign, as_float in general:
            raw = ((le if little else be) >> shift) & mask
            if as_float is not None:
                out.append(as_float(raw.to_bytes(mask.bit_length() // 8, "big"))[0])
                continue
            if sign and raw & sign:
                raw -= sign << 1
            out.append(raw)
        return out

    return unpack_any


def _with_multiplexers(message: MessageSpec, names: Sequence[str]) -> list[str]:
    """``names`` plus every multiplexer they hang under, parents before children, each once."""
    order: list[str] = []

    def add(name: str) -> None:
        if name in order:
            return
        parent = message.signal(name).multiplexer
        if parent is not None:
            add(parent)
        order.append(name)

    for name in names:
        add(name)
    return order


def _multiplexed(message: MessageSpec, needed: list[str], names: Sequence[str], steps: list[_Step]) -> Extractor:
    """Pages as a tree compiled per multiplexer value, so a frame costs only the signals on its page (a Tesla
    message has hundreds of signals over its pages, a frame carries a handful). Returns ``{index: raw}``."""
    out_at = {name: i for i, name in enumerate(names)}
    step_of = dict(zip(needed, steps, strict=True))
    children: dict[str | None, list[str]] = {}
    for name in needed:
        children.setdefault(message.signal(name).multiplexer, []).append(name)

    def below(name: str) -> list[int]:
        return [out_at[c] for c in children.get(name, ()) if c in out_at] + [
            i for c in children.get(name, ()) for i in below(c)
        ]

    def build(parent: str | None, page: int | None) -> tuple[Any, ...]:
        node = []
        for name in children.get(parent, ()):
            spec = message.signal(name)
            if parent is not None and page not in (spec.multiplexer_ids or ()):
                continue
            mux = None
            if name in children:  # a multiplexer something wanted hangs under
                lay = spec.layout
                assert lay is not None
                known = message.page_ids(name)
                sub = {p: n for p in known if (n := build(name, p))}
                mux = (lay.identity, lay.scale, lay.offset, sub, known, min(below(name)))
            node.append((out_at.get(name, -1), *step_of[name], mux))
        return tuple(node)

    root = build(None, None)
    length, from_bytes, unknown = message.length, int.from_bytes, UNKNOWN_PAGE

    def unpack_pages(data: bytes) -> dict[int, Any]:
        le = from_bytes(data, "little")
        be = from_bytes(data[:length], "big")
        out: dict[int, Any] = {}
        todo = [root]
        while todo:
            for at, little, shift, mask, sign, as_float, mux in todo.pop():
                raw = ((le if little else be) >> shift) & mask
                if as_float is not None:
                    raw = as_float(raw.to_bytes(mask.bit_length() // 8, "big"))[0]
                elif sign and raw & sign:
                    raw -= sign << 1
                if at >= 0:
                    out[at] = raw
                if mux is not None:  # cantools picks the page with int() of the physical value
                    identity, scale, offset, sub, known, first = mux
                    page = int(raw if identity else raw * scale + offset)
                    node = sub.get(page)
                    if node is not None:
                        todo.append(node)
                    elif page not in known:
                        out[first] = unknown
        return out

    return unpack_pages
