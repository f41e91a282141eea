"""The CAN database: a DBC file loaded with cantools (the only module that imports it).

``CanDatabase`` exposes plain frozen descriptions of messages and signals (ID, length, cycle
time, senders, scaling, range, value names, end-to-end protection) plus bytes ↔ values
encoding. Decoding is pure: bytes in, a dict of physical values out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import cantools
import cantools.database

from ivi.can.e2e import SUPPORTED_ALGORITHMS, E2EProfile
from ivi.can.errors import DatabaseError

#: The reference car's database shipped with the module.
DEFAULT_DBC = "su7.dbc"


@dataclass(frozen=True)
class SignalSpec:
    name: str
    unit: str
    minimum: float | None
    maximum: float | None
    scale: float
    offset: float
    choices: Mapping[int, str] | None = None
    comment: str = ""
    layout: BitLayout | None = None


@dataclass(frozen=True)
class BitLayout:
    """Where a signal sits in the payload and how raw bits become a number, exactly as cantools does it
    (``raw * scale + offset`` with cantools' own int/float scale and offset), so a precompiled decoder
    can skip cantools on the hot path and still produce identical values."""

    start_bit: int
    length_bits: int
    little_endian: bool
    signed: bool
    is_float: bool
    multiplexed: bool
    scale: int | float
    offset: int | float


@dataclass(frozen=True)
class MessageSpec:
    frame_id: int
    name: str
    length: int
    is_extended: bool
    cycle_time_ms: int | None
    senders: tuple[str, ...]
    signals: tuple[SignalSpec, ...]
    e2e: E2EProfile = E2EProfile()
    comment: str = ""

    def signal(self, name: str) -> SignalSpec:
        return next(s for s in self.signals if s.name == name)


@dataclass(frozen=True)
class CanDatabase:
    """A loaded DBC. ``messages`` is keyed by frame ID."""

    source: str
    messages: Mapping[int, MessageSpec]
    _decoders: Mapping[int, Callable[[bytes], dict[str, Any]]] = field(repr=False, compare=False)
    _encoders: Mapping[int, Callable[[Mapping[str, Any]], bytes]] = field(repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> CanDatabase:
        """Load a DBC file (default: the bundled reference car). Raises ``DatabaseError``."""
        if path is None:
            ref = resources.files("ivi.can") / "data" / DEFAULT_DBC
            with resources.as_file(ref) as p:
                return cls.load(p)
        path = Path(path)
        try:
            db = cantools.database.load_file(str(path), database_format="dbc", strict=True)
        except FileNotFoundError as exc:
            raise DatabaseError(f"CAN database {path} does not exist") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise DatabaseError(f"CAN database {path} cannot be read: {exc}") from exc
        except Exception as exc:  # cantools raises ParseError, its Error and assorted ValueErrors
            raise DatabaseError(f"CAN database {path} is not a valid DBC file: {exc}") from exc
        if not isinstance(db, cantools.database.can.Database) or not db.messages:
            raise DatabaseError(f"CAN database {path} defines no messages")
        messages, decoders, encoders = {}, {}, {}
        for m in db.messages:
            messages[m.frame_id] = _message_spec(m, path)
            decoders[m.frame_id] = _decoder(m)
            encoders[m.frame_id] = _encoder(m)
        return cls(str(path), messages, decoders, encoders)

    def message_by_name(self, name: str) -> MessageSpec:
        for m in self.messages.values():
            if m.name == name:
                return m
        raise DatabaseError(f"no message {name!r} in {self.source}")

    def find_signal(self, name: str) -> tuple[MessageSpec, SignalSpec] | None:
        """The message carrying signal ``name`` (signal names are unique in a well-formed DBC)."""
        for m in self.messages.values():
            for s in m.signals:
                if s.name == name:
                    return m, s
        return None

    def signal_names(self) -> list[str]:
        return [s.name for m in self.messages.values() for s in m.signals]

    def decode(self, frame_id: int, data: bytes) -> dict[str, Any]:
        """Physical values (numbers; value-table signals stay raw integers). Raises on short data."""
        return self._decoders[frame_id](data)

    def encode(self, frame_id: int, values: Mapping[str, Any]) -> bytes:
        """Raw payload of ``length`` bytes; values are clipped to the signal ranges by the caller."""
        return self._encoders[frame_id](values)


def _decoder(m: Any) -> Callable[[bytes], dict[str, Any]]:
    decode = m.decode

    def run(data: bytes) -> dict[str, Any]:
        try:
            return decode(data, decode_choices=False, scaling=True)
        except Exception as exc:  # cantools DecodeError / struct errors on short frames
            raise ValueError(str(exc)) from exc

    return run


def _encoder(m: Any) -> Callable[[Mapping[str, Any]], bytes]:
    encode = m.encode

    def run(values: Mapping[str, Any]) -> bytes:
        return bytes(encode(dict(values), scaling=True, strict=False))

    return run


def _message_spec(m: Any, path: Path) -> MessageSpec:
    signals = tuple(
        SignalSpec(
            s.name,
            s.unit or "",
            s.minimum,
            s.maximum,
            float(s.scale),
            float(s.offset),
            {int(k): str(v) for k, v in s.choices.items()} if s.choices else None,
            _comment(s.comment),
            _layout(m, s),
        )
        for s in m.signals
    )
    return MessageSpec(
        m.frame_id,
        m.name,
        m.length,
        bool(m.is_extended_frame),
        m.cycle_time or None,
        tuple(m.senders or ()),
        signals,
        _e2e(m, path),
        _comment(m.comment),
    )


def _layout(m: Any, s: Any) -> BitLayout:
    conv = s.conversion
    scale, offset = getattr(conv, "scale", 1), getattr(conv, "offset", 0)
    multiplexed = bool(m.is_multiplexed() or s.multiplexer_ids or s.is_multiplexer)
    return BitLayout(
        s.start,
        s.length,
        s.byte_order == "little_endian",
        bool(s.is_signed),
        bool(s.is_float),
        multiplexed,
        scale,
        offset,
    )


def _comment(c: Any) -> str:
    if isinstance(c, dict):
        return str(next(iter(c.values()), ""))
    return str(c or "")


def _attr(m: Any, name: str) -> str:
    attrs = m.dbc.attributes if m.dbc is not None else {}
    return str(attrs[name].value) if name in attrs and attrs[name].value else ""


def _e2e(m: Any, path: Path) -> E2EProfile:
    counter, checksum, algo = (
        _attr(m, "E2E_CounterSignal"),
        _attr(m, "E2E_ChecksumSignal"),
        _attr(m, "E2E_ChecksumAlgorithm"),
    )
    names = {s.name: s for s in m.signals}
    for role, sig in (("counter", counter), ("checksum", checksum)):
        if sig and sig not in names:
            raise DatabaseError(f"{path}: message {m.name} names {role} signal {sig!r} it does not have")
    modulo, byte = 16, None
    if counter:
        modulo = 1 << names[counter].length
    if checksum:
        s = names[checksum]
        if algo not in SUPPORTED_ALGORITHMS:
            raise DatabaseError(
                f"{path}: message {m.name}: checksum algorithm {algo!r} is not supported "
                f"(supported: {', '.join(SUPPORTED_ALGORITHMS)})"
            )
        aligned = s.start % 8 == (0 if s.byte_order == "little_endian" else 7)
        if s.length != 8 or not aligned:
            raise DatabaseError(f"{path}: message {m.name}: checksum {s.name} must be one whole byte")
        byte = s.start // 8
    return E2EProfile(counter or None, modulo, checksum or None, byte)
