"""The CAN database: a DBC file loaded with cantools (the only module that imports it).

``CanDatabase`` exposes plain frozen descriptions of messages and signals (ID, frame format, length,
cycle time, scaling, range, value table, multiplexing, bit layout, end-to-end protection) plus
bytes ↔ values encoding with cantools itself (the reference every fast path is tested against).

Messages are keyed by :func:`message_key`: the frame ID, with bit 31 set for extended (29-bit)
frames — the DBC file's own convention — so a standard and an extended frame with the same numeric
ID are two messages, never one silently replacing the other. Two messages with the same key are a
``DatabaseError``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import cantools
import cantools.database
from cantools.database.can.formats.dbc.dbc_loader import DbcParser
from cantools.database.conversion import BaseConversion, IdentityConversion

from ivi.can.e2e import SUPPORTED_ALGORITHMS, CounterWindow, E2EProfile
from ivi.can.errors import DatabaseError

#: The reference car's database shipped with the module.
DEFAULT_DBC = "su7.dbc"
#: Bit 31 marks an extended frame in a message key (as in DBC files: ``BO_ 2566857216`` = 0x18FEF200 extended).
EXTENDED_FLAG = 0x8000_0000
#: The part of a 29-bit J1939 frame ID that names the parameter group: priority (bits 26–28) and source
#: address (bits 0–7) are ignored, as the KUKSA CAN provider does for J1939.
J1939_PGN_MASK = 0x03FF_FF00

# cantools reports overwritten IDs through logging; we raise instead, so its warnings need not reach stderr.
logging.getLogger("cantools").addHandler(logging.NullHandler())


def message_key(frame_id: int, is_extended: bool) -> int:
    """The key of a frame in :attr:`CanDatabase.messages`."""
    return frame_id | EXTENDED_FLAG if is_extended else frame_id


@dataclass(frozen=True)
class BitLayout:
    """Where a signal sits in the payload and how its raw bits become a number, exactly as cantools does
    it: ``identity`` returns the raw value, otherwise ``raw * scale + offset`` with the scale and offset
    objects of cantools' own conversion (int or float), so a precompiled extractor can skip cantools on
    the hot path and still produce bit-identical values."""

    start_bit: int
    length_bits: int
    little_endian: bool
    signed: bool
    is_float: bool
    identity: bool
    scale: int | float
    offset: int | float


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
    #: The multiplexer signal this signal hangs under (``None``: present in every frame of the message)
    multiplexer: str | None = None
    #: The multiplexer values (pages) on which the signal is present (extended multiplexing: several)
    multiplexer_ids: frozenset[int] | None = None
    is_multiplexer: bool = False


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
    #: A J1939 parameter group: frames match it whatever their priority and source address.
    is_j1939: bool = False

    @property
    def key(self) -> int:
        return message_key(self.frame_id, self.is_extended)

    @property
    def is_multiplexed(self) -> bool:
        return any(s.is_multiplexer for s in self.signals)

    def signal(self, name: str) -> SignalSpec:
        for s in self.signals:
            if s.name == name:
                return s
        raise KeyError(f"message {self.name} has no signal {name!r}")

    def page_ids(self, multiplexer: str) -> frozenset[int]:
        """Every multiplexer value the DBC describes for ``multiplexer`` (as cantools builds its pages:
        the values its signals name plus the multiplexer's own value table)."""
        ids: set[int] = set()
        for s in self.signals:
            if s.multiplexer == multiplexer and s.multiplexer_ids:
                ids |= s.multiplexer_ids
        ids |= set(self.signal(multiplexer).choices or ())
        return frozenset(ids)


@dataclass(frozen=True)
class CanDatabase:
    """A loaded DBC. ``messages`` is keyed by :func:`message_key`."""

    source: str
    messages: Mapping[int, MessageSpec]
    _cantools: Mapping[int, Any] = field(repr=False, compare=False)  # key → cantools Message
    #: What lax loading had to leave out (value tables of signals that do not exist), for the user
    warnings: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None, *, lax: bool = False) -> CanDatabase:
        """Load a DBC file (default: the bundled reference car). ``lax`` accepts what cantools accepts only
        non-strictly (overlapping signals, signals past the message end), like KUKSA's
        ``--lax-dbc-parsing``. Raises ``DatabaseError``."""
        if path is None:
            ref = resources.files("ivi.can") / "data" / DEFAULT_DBC
            with resources.as_file(ref) as p:
                return cls.load(p, lax=lax)
        path = Path(path)
        db, warnings = _parse(path, lax)
        if not db.messages:
            raise DatabaseError(f"CAN database {path} defines no messages")
        messages: dict[int, MessageSpec] = {}
        originals: dict[int, Any] = {}
        for m in db.messages:
            spec = _message_spec(m, path)
            other = messages.get(spec.key)
            if other is not None:
                kind = "extended" if spec.is_extended else "standard"
                raise DatabaseError(
                    f"CAN database {path}: messages {other.name} and {spec.name} both use {kind} frame ID "
                    f"0x{spec.frame_id:X}; a receiver could not tell them apart"
                )
            messages[spec.key] = spec
            originals[spec.key] = m
        return cls(str(path), messages, originals, warnings)

    def message_by_name(self, name: str) -> MessageSpec:
        for m in self.messages.values():
            if m.name == name:
                return m
        raise DatabaseError(f"no message {name!r} in {self.source}")

    def find_signals(self, name: str) -> list[tuple[MessageSpec, SignalSpec]]:
        """Every message carrying a signal called ``name`` (real DBCs reuse names across messages)."""
        return [(m, s) for m in self.messages.values() for s in m.signals if s.name == name]

    def find_signal(self, name: str) -> tuple[MessageSpec, SignalSpec] | None:
        """The first message carrying signal ``name`` (see :meth:`find_signals` for all of them)."""
        found = self.find_signals(name)
        return found[0] if found else None

    def signal_names(self) -> list[str]:
        return sorted({s.name for m in self.messages.values() for s in m.signals})

    def decode(self, key: int, data: bytes) -> dict[str, Any]:
        """cantools' physical values (value-table signals stay numbers; multiplexed messages give the signals
        of the frame's page only). Raises ``ValueError`` on short data or an undescribed page."""
        return _decode(self._cantools[key], data, scaling=True)

    def decode_raw(self, key: int, data: bytes) -> dict[str, Any]:
        """:meth:`decode` without scaling: the raw integers (or IEEE floats) of each signal."""
        return _decode(self._cantools[key], data, scaling=False)

    def encode(self, key: int, values: Mapping[str, Any]) -> bytes:
        """Raw payload of ``length`` bytes; values are clipped to the signal ranges by the caller."""
        return bytes(self._cantools[key].encode(dict(values), scaling=True, strict=False))


#: The longest message a DBC may describe (bytes): a J1939 transport-protocol message is at most 1,785 bytes.
MAX_MESSAGE_BYTES = 2048
#: The longest signal (bits): the decoder, like cantools' fast path, reads at most 64 bits.
MAX_SIGNAL_BITS = 64
#: The most multiplexer values all ``SG_MUL_VAL_`` ranges of a file may name together.
MAX_MUX_VALUES = 65_536
#: The most digits (or the largest exponent) of a number in a DBC: far beyond any real file, far below the
#: numbers that make cantools build huge integers (``int(Decimal("1e999999999"))``).
MAX_NUMBER_DIGITS = 100


def _precheck(text: str, path: Path) -> None:
    """Refuse, before cantools builds anything, what would cost it unbounded time or memory: a message or a
    signal millions of bits long (cantools builds a format string bit by bit), an ``SG_MUL_VAL_`` range of
    billions of values (it lists them all), a number with a huge exponent (it converts it to an exact integer).
    Uses cantools' own tokenizer, so comments and strings are read as cantools reads them."""
    try:
        tokens = DbcParser().tokenize(text)
    except Exception:  # cantools will say what is wrong with the text
        return
    mux_values = 0

    def number(i: int) -> int | None:
        if i >= len(tokens) or tokens[i].kind != "NUMBER":
            return None
        try:
            return int(str(tokens[i].value))
        except ValueError:
            return None

    for i, tok in enumerate(tokens):
        if tok.kind == "NUMBER":
            text = str(tok.value)
            digits, _, exponent = text.lower().partition("e")
            if len(digits) > MAX_NUMBER_DIGITS or len(exponent.lstrip("+-")) > 3:
                raise DatabaseError(f"CAN database {path}: the number {text[:40]} is beyond any range a DBC uses")
        elif tok.kind == "BO_" and i + 4 < len(tokens) and tokens[i + 3].kind == ":":
            length = number(i + 4)
            if length is not None and not 0 <= length <= MAX_MESSAGE_BYTES:
                name = tokens[i + 2].value
                raise DatabaseError(
                    f"CAN database {path}: message {name} is {length} bytes long (at most {MAX_MESSAGE_BYTES})"
                )
        elif tok.kind == "SG_":
            colon = next((j for j in (i + 2, i + 3) if j < len(tokens) and tokens[j].kind == ":"), None)
            if colon is None:
                continue
            start, length = number(colon + 1), number(colon + 3)
            if start is None or length is None:
                continue
            if not 0 < length <= MAX_SIGNAL_BITS or not 0 <= start < 8 * MAX_MESSAGE_BYTES:
                raise DatabaseError(
                    f"CAN database {path}: signal {tokens[i + 1].value} starts at bit {start} and is {length} bits "
                    f"long (a signal has 1 to {MAX_SIGNAL_BITS} bits within {MAX_MESSAGE_BYTES} bytes)"
                )
        elif tok.kind == "SG_MUL_VAL_":
            j = i + 4
            while j + 1 < len(tokens) and tokens[j].kind == "NUMBER":
                low, high = number(j), number(j + 1)
                if low is not None and high is not None:
                    mux_values += max(0, abs(high) - low + 1)
                j += 3 if j + 2 < len(tokens) and tokens[j + 2].kind == "," else 2
            if mux_values > MAX_MUX_VALUES:
                raise DatabaseError(
                    f"CAN database {path}: SG_MUL_VAL_ ranges name more than {MAX_MUX_VALUES:,} multiplexer values"
                )


def _parse(path: Path, lax: bool) -> tuple[Any, tuple[str, ...]]:
    try:
        text = path.read_bytes().decode("cp1252", "replace")  # cantools reads DBCs as cp1252
        _precheck(text, path)
        return cantools.database.load_string(text, database_format="dbc", strict=not lax), ()
    except DatabaseError:
        raise
    except FileNotFoundError as exc:
        raise DatabaseError(f"CAN database {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatabaseError(f"CAN database {path} cannot be read: {exc}") from exc
    except RecursionError as exc:
        raise DatabaseError(f"CAN database {path} is not a valid DBC file: nested too deeply") from exc
    except Exception as exc:  # cantools raises ParseError, its Error and assorted ValueErrors
        reason = " ".join(str(exc).split())
        if lax:
            repaired = _without_dangling_entries(path, str(exc))
            if repaired is not None:
                return repaired
        elif _loads_lax(path):
            reason += " (it loads with --lax-dbc, which accepts what cantools accepts non-strictly)"
        raise DatabaseError(f"CAN database {path} is not a valid DBC file: {reason}") from exc


def _loads_lax(path: Path) -> bool:
    try:
        _parse(path, lax=True)
    except DatabaseError:
        return False
    return True


_DANGLING = re.compile(r"(VAL_|SIG_VALTYPE_) (\d+) (\w+)")


def _without_dangling_entries(path: Path, error: str) -> tuple[Any, tuple[str, ...]] | None:
    """Lax loading of a DBC that cantools refuses only because value tables (``VAL_``) or value types
    (``SIG_VALTYPE_``) name signals their message does not have — real files do (opendbc's
    ``tesla_can.dbc``). Such an entry cannot change any decoded value, so it is left out and reported."""
    if "unused VAL_ entries" not in error and "unused SIG_VALTYPE_ entries" not in error:
        return None
    dangling = _DANGLING.findall(error)
    try:
        text = path.read_bytes().decode("cp1252", "replace")
    except OSError:
        return None
    for keyword, frame_id, signal in dangling:
        text = re.sub(rf"\b{keyword}\s+{frame_id}\s+{re.escape(signal)}\b[^;]*;", "", text)
    try:
        db = cantools.database.load_string(text, database_format="dbc", strict=False)
    except Exception:  # something else is wrong too: report the original error
        return None
    shown = ", ".join(f"{k} {f} {s}" for k, f, s in dangling[:3]) + (" …" if len(dangling) > 3 else "")
    return db, (f"left out {len(dangling)} entries naming signals their message does not have: {shown}",)


def _decode(m: Any, data: bytes, *, scaling: bool) -> dict[str, Any]:
    try:
        return dict(m.decode(data, decode_choices=False, scaling=scaling))
    except Exception as exc:  # cantools DecodeError / struct errors on short frames, unknown pages
        raise ValueError(str(exc)) from exc


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
            _layout(s),
            s.multiplexer_signal,
            None if s.multiplexer_ids is None else frozenset(int(i) for i in s.multiplexer_ids),
            bool(s.is_multiplexer),
        )
        for s in m.signals
    )
    _check_multiplexing(m.name, signals, path)
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
        m.protocol == "j1939" and bool(m.is_extended_frame),
    )


def _check_multiplexing(message: str, signals: tuple[SignalSpec, ...], path: Path) -> None:
    """Every multiplexer a signal names exists in its message, and no chain of multiplexers is a loop."""
    by_name = {s.name: s for s in signals}
    for s in signals:
        seen = {s.name}
        parent = s.multiplexer
        while parent is not None:
            up = by_name.get(parent)
            if up is None:
                raise DatabaseError(f"{path}: message {message}: {s.name} is multiplexed by {parent!r}, which it lacks")
            if parent in seen:
                raise DatabaseError(f"{path}: message {message}: the multiplexers of {s.name} form a loop")
            seen.add(parent)
            parent = up.multiplexer


def _layout(s: Any) -> BitLayout:
    # The conversion cantools applies to a number that is not a named value (NamedSignalConversion wraps it).
    conv = BaseConversion.factory(scale=s.scale, offset=s.offset, choices=None, is_float=bool(s.is_float))
    return BitLayout(
        s.start,
        s.length,
        s.byte_order == "little_endian",
        bool(s.is_signed),
        bool(s.is_float),
        isinstance(conv, IdentityConversion),
        conv.scale,
        conv.offset,
    )


def _comment(c: Any) -> str:
    if isinstance(c, dict):
        return str(next(iter(c.values()), ""))
    return str(c or "")


def _attr(m: Any, name: str) -> str:
    attrs = m.dbc.attributes if m.dbc is not None else {}
    return str(attrs[name].value) if name in attrs and attrs[name].value not in (None, "") else ""


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
        if sig and names[sig].multiplexer_signal is not None:
            raise DatabaseError(f"{path}: message {m.name}: {role} signal {sig} must be in every frame, not on a page")
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
    window = CounterWindow()
    for attr, name in (("E2E_MaxDeltaCounter", "max_delta"), ("E2E_SyncCounter", "sync_frames")):
        raw = _attr(m, attr)
        if raw:
            try:
                window = window.with_(**{name: int(raw)})
            except ValueError as exc:
                raise DatabaseError(f"{path}: message {m.name}: {attr} {raw!r}: {exc}") from exc
    if counter and window.max_delta >= modulo:
        raise DatabaseError(f"{path}: message {m.name}: E2E_MaxDeltaCounter must be below the counter's {modulo}")
    return E2EProfile(counter or None, modulo, checksum or None, byte, window)
