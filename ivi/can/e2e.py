"""End-to-end protection of CAN frames: alive counters and CRC8 checksums.

Cars protect safety-relevant frames (speed, state of charge) so that a receiver can tell a
frozen sender or a corrupted frame from a real value. Which frames carry which counter and
checksum is read from DBC message attributes (``E2E_CounterSignal``, ``E2E_ChecksumSignal``,
``E2E_ChecksumAlgorithm``), so another car's DBC can describe its own protection without code.

The checksum is CRC-8 SAE J1850 (poly 0x1D, init 0xFF, xor-out 0xFF, the AUTOSAR ``Crc_CalculateCRC8``)
over the two bytes of the frame ID (little-endian, the "data ID") followed by every payload byte
except the checksum byte itself. Pure code, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
class E2EProfile:
    """Where a message keeps its counter and checksum (either may be absent)."""

    counter_signal: str | None = None
    counter_modulo: int = 16
    checksum_signal: str | None = None
    checksum_byte: int | None = None

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
