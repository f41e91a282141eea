"""End-to-end protection of CAN frames: alive counters and CRC8 checksums.

Cars protect safety-relevant frames (speed, state of charge) so that a receiver can tell a
frozen sender or a corrupted frame from a real value. Which frames carry which counter and
checksum is read from DBC message attributes (``E2E_CounterSignal``, ``E2E_ChecksumSignal``,
``E2E_ChecksumAlgorithm``), so another car's DBC can describe its own protection without code.

The alive counter is checked as AUTOSAR E2E profiles 1/2 do (:class:`CounterWindow`): a counter step
of 1 to ``max_delta`` is accepted (up to ``max_delta - 1`` frames lost), a repeat means a frozen sender, a
backward step or a bigger jump means a replay, a reset or a second sender — rejected, and the data is used
again only after ``sync_frames`` further frames arrived in sequence.

The checksum is CRC-8 SAE J1850 (poly 0x1D, init 0xFF, xor-out 0xFF, the AUTOSAR ``Crc_CalculateCRC8``)
over the two bytes of the frame ID (little-endian, the "data ID") followed by every payload byte
except the checksum byte itself. Pure code, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

SUPPORTED_ALGORITHMS = ("CRC8_SAE_J1850",)


def _table() -> tuple[int, ...]:
    out = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1D) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
        out.append(crc)
    return tuple(out)


_CRC8_TABLE = _table()


def crc8_sae_j1850(data: bytes) -> int:
    """CRC-8 SAE J1850; ``crc8_sae_j1850(b"123456789") == 0x4B`` (the standard check value)."""
    crc = 0xFF
    table = _CRC8_TABLE
    for b in data:
        crc = table[crc ^ b]
    return crc ^ 0xFF


@dataclass(frozen=True)
class CounterWindow:
    """Alive-counter rules of one message (AUTOSAR ``MaxDeltaCounter`` and ``SyncCounter``); a DBC may set
    them per message with the attributes ``E2E_MaxDeltaCounter`` and ``E2E_SyncCounter``."""

    max_delta: int = 3
    sync_frames: int = 2

    def __post_init__(self) -> None:
        if self.max_delta < 1:
            raise ValueError("the largest accepted counter step must be at least 1")
        if self.sync_frames < 0:
            raise ValueError("the number of frames to resynchronise cannot be negative")

    def with_(self, **changes: Any) -> CounterWindow:
        return replace(self, **changes)


class CounterCheck:
    """The alive-counter state machine of one message (pure; one instance per frame ID and receiver).

    :meth:`step` returns ``(steps, problem)``: the counter steps since the last accepted frame (1 = none
    lost) and ``None`` when the frame may be used, or ``0`` and a reason when it must not.
    """

    __slots__ = ("_last", "_modulo", "_sync_left", "_window")

    def __init__(self, modulo: int, window: CounterWindow) -> None:
        self._modulo, self._window = modulo, window
        self._last: int | None = None
        self._sync_left = 0

    def step(self, counter: int) -> tuple[int, str | None]:
        last = self._last
        if last is None:  # the first frame: nothing to compare with
            self._last = counter
            return 0, None
        delta = (counter - last) % self._modulo
        if delta == 0:
            return 0, f"counter repeated at {counter}: the sender is frozen or the frame was replayed"
        self._last = counter
        if delta > self._window.max_delta:
            self._sync_left = self._window.sync_frames
            back = self._modulo - delta
            what = f"went back by {back}" if back <= self._modulo // 2 else f"jumped by {delta}"
            return 0, f"counter {what} ({last} → {counter}): replayed, reset or foreign frames"
        if self._sync_left:
            self._sync_left -= 1
            return 0, f"counter resynchronising after a wrong sequence ({self._sync_left} to go)"
        return delta, None


@dataclass(frozen=True)
class E2EProfile:
    """Where a message keeps its counter and checksum (either may be absent), and its counter rules."""

    counter_signal: str | None = None
    counter_modulo: int = 16
    checksum_signal: str | None = None
    checksum_byte: int | None = None
    window: CounterWindow = CounterWindow()

    def counter_check(self) -> CounterCheck:
        return CounterCheck(self.counter_modulo, self.window)

    @property
    def protected(self) -> bool:
        return self.counter_signal is not None or self.checksum_signal is not None

    def checksum(self, frame_id: int, data: bytes) -> int:
        assert self.checksum_byte is not None
        i = self.checksum_byte
        return crc8_sae_j1850(bytes((frame_id & 0xFF, (frame_id >> 8) & 0xFF)) + data[:i] + data[i + 1 :])

    def checksum_ok(self, frame_id: int, data: bytes) -> bool:
        if self.checksum_byte is None:
            return True
        return data[self.checksum_byte] == self.checksum(frame_id, data)

    def checker(self, frame_id: int) -> Callable[[bytes], bool] | None:
        """A precompiled ``checksum_ok`` for one frame ID (``None`` when unprotected): the CRC state after
        the constant data ID is computed once, and nothing is concatenated per frame."""
        if self.checksum_byte is None:
            return None
        table, i = _CRC8_TABLE, self.checksum_byte
        start = table[table[0xFF ^ (frame_id & 0xFF)] ^ ((frame_id >> 8) & 0xFF)]

        def ok(data: bytes) -> bool:
            crc = start
            for b in data[:i]:
                crc = table[crc ^ b]
            for b in data[i + 1 :]:
                crc = table[crc ^ b]
            return data[i] == crc ^ 0xFF

        return ok

    def seal(self, frame_id: int, data: bytes) -> bytes:
        """The payload with its checksum byte filled in (what a sender does last)."""
        if self.checksum_byte is None:
            return data
        buf = bytearray(data)
        buf[self.checksum_byte] = self.checksum(frame_id, data)
        return bytes(buf)
