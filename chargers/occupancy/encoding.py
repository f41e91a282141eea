"""The occupancy model in bytes: compact enough to ride the OTA sync, checked when read.

Layout (little-endian)::

    b"OCCM" | u8 version | u32 created | u32 history start | u32 history end
    u8 places  | u16 half-life per place (tenths of a minute)
    u8 networks | (u8 length + UTF-8 name) each
    u8 zones    | (u8 length + UTF-8 name) each
    u16 groups  | per group:   u8 network, u8 place, u8 size, u8 holiday learned, u32 stations,
                               u8 down share, 2 × 8 × u8 wait curves (ordinary days, holidays),
                               168 B profile, 96 B holiday profile
    u32 stations | per station: u8 length + UTF-8 id, u16 group, u8 zone, u8 flags, u16 hours seen,
                               i8 offset, i8 holiday offset, u8 wait factor, u8 down share,
                               u8 EVSEs, 168 B profile (absent when it has no history: its group's),
                               3 B per EVSE (down share, faults per 1,000 h, time to repair)
    u32 CRC-32 of everything before it

Probabilities are stored as ``round(255·√p)`` (fine steps near 0, where most hours are), times
and rates on log scales. Quantising is idempotent: ``encode(decode(b)) == b``. The CRC catches
a corrupt file; whether it is *ours* is the sync's signature's business (phase 2 publishes these
bytes as a signed part of the dataset). Anything wrong raises :class:`OccupancyModelError`, and
nothing of a refused model is used.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable

from chargers.errors import OccupancyModelError
from chargers.occupancy.calendar import HOLIDAY_BINS, REGULAR_BINS
from chargers.occupancy.model import (
    WAIT_CLASS_EDGES,
    EvseReliability,
    GroupModel,
    OccupancyModel,
    StationFlags,
    StationModel,
)
from chargers.occupancy.places import Place

__all__ = ["FORMAT_VERSION", "MAGIC", "decode_model", "encode_model", "station_bytes"]

MAGIC = b"OCCM"
FORMAT_VERSION = 1
WAIT_CLASSES = len(WAIT_CLASS_EDGES) + 1
_STATION_FIXED = 2 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1  # after the id


def _clamp(v: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, round(v)))


def q_prob(p: float) -> int:
    return _clamp(math.sqrt(max(0.0, p)) * 255, 0, 255)


def d_prob(q: int) -> float:
    return (q / 255) ** 2


def q_minutes(m: float) -> int:
    return _clamp(math.log2(1 + max(0.0, m)) * 28, 0, 255)


def d_minutes(q: int) -> float:
    return 2 ** (q / 28) - 1


def q_factor(f: float) -> int:
    return _clamp(math.log2(max(f, 1e-3)) * 32 + 128, 0, 255)


def d_factor(q: int) -> float:
    return 2 ** ((q - 128) / 32)


def q_rate(f: float) -> int:
    return _clamp(math.log2(1 + max(0.0, f)) * 32, 0, 255)


def d_rate(q: int) -> float:
    return 2 ** (q / 32) - 1


def q_mttr(h: float | None) -> int:
    return 0 if h is None else _clamp(1 + math.log2(1 + max(0.0, h)) * 24, 1, 255)


def d_mttr(q: int) -> float | None:
    return None if q == 0 else 2 ** ((q - 1) / 24) - 1


def q_offset(x: float) -> int:
    return _clamp(x * 16, -127, 127)


def _name(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > 255:
        raise OccupancyModelError(f"name too long to encode: {text[:40]!r}…")
    return bytes([len(raw)]) + raw


def station_bytes(m: StationModel) -> int:
    """What one station costs in the encoding."""
    profile = 0 if m.flags & StationFlags.NO_HISTORY else REGULAR_BINS
    return 1 + len(m.id.encode("utf-8")) + _STATION_FIXED + profile + 3 * len(m.evses)


def encode_model(model: OccupancyModel) -> bytes:
    networks = sorted({g.network for g in model.groups})
    zones = sorted({s.time_zone for s in model.stations.values()})
    net_index, zone_index = {n: i for i, n in enumerate(networks)}, {z: i for i, z in enumerate(zones)}
    out = bytearray(MAGIC)
    out += struct.pack("<BIII", FORMAT_VERSION, model.created_s, model.history_start_s, model.history_end_s)
    out += struct.pack("<B", len(model.half_life_min))
    out += b"".join(struct.pack("<H", _clamp(h * 10, 0, 65535)) for h in model.half_life_min)
    for table in (networks, zones):
        out += bytes([len(table)]) + b"".join(_name(n) for n in table)
    out += struct.pack("<H", len(model.groups))
    for g in model.groups:
        out += struct.pack(
            "<BBBBIB",
            net_index[g.network],
            int(g.place),
            g.size,
            int(g.holiday_learned),
            g.stations,
            q_prob(g.down_share),
        )
        out += bytes(q_minutes(w) for w in g.wait_min) + bytes(q_minutes(w) for w in g.holiday_wait_min or g.wait_min)
        out += bytes(q_prob(p) for p in g.profile) + bytes(q_prob(p) for p in g.holiday)
    out += struct.pack("<I", len(model.stations))
    for sid in sorted(model.stations):
        m = model.stations[sid]
        out += _name(sid)
        out += struct.pack(
            "<HBBHbbBBB",
            m.group,
            zone_index[m.time_zone],
            int(m.flags),
            min(m.observed_h, 65535),
            q_offset(m.offset),
            q_offset(m.holiday_offset),
            q_factor(m.wait_factor),
            q_prob(m.down_share),
            len(m.evses),
        )
        if not m.flags & StationFlags.NO_HISTORY:
            out += bytes(q_prob(p) for p in m.profile)
        for e in m.evses:
            out += bytes((q_prob(e.down_share), q_rate(e.faults_per_1000h), q_mttr(e.mttr_h)))
    out += struct.pack("<I", zlib.crc32(out))
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise OccupancyModelError(f"truncated at byte {self.at} (wanted {n} more)")
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))

    def name(self) -> str:
        raw = self.take(self.take(1)[0])
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise OccupancyModelError(f"a name is not UTF-8 at byte {self.at}") from exc

    def many(self, n: int, decode: Callable[[int], float]) -> tuple[float, ...]:
        return tuple(decode(b) for b in self.take(n))


def decode_model(data: bytes) -> OccupancyModel:
    """The model in ``data``, or :class:`OccupancyModelError` saying why not."""
    if len(data) < len(MAGIC) + 4 or data[:4] != MAGIC:
        raise OccupancyModelError("not an occupancy model (bad magic)")
    (crc,) = struct.unpack("<I", data[-4:])
    if zlib.crc32(data[:-4]) != crc:
        raise OccupancyModelError("checksum mismatch: the model is corrupt")
    r = _Reader(data[:-4])
    r.take(4)
    version, created, start, end = r.unpack("<BIII")
    if version != FORMAT_VERSION:
        raise OccupancyModelError(f"format version {version}; this reader knows {FORMAT_VERSION}")
    (n_places,) = r.unpack("<B")
    half_lives = tuple(r.unpack("<H")[0] / 10 for _ in range(n_places))
    networks = [r.name() for _ in range(r.take(1)[0])]
    zones = [r.name() for _ in range(r.take(1)[0])]
    groups = []
    for _ in range(r.unpack("<H")[0]):
        net, place, size, learned, count, down = r.unpack("<BBBBIB")
        if net >= len(networks) or place >= len(Place):
            raise OccupancyModelError(f"group refers to network {net} / place {place} that do not exist")
        wait, holiday_wait = r.many(WAIT_CLASSES, d_minutes), r.many(WAIT_CLASSES, d_minutes)
        profile, holiday = r.many(REGULAR_BINS, d_prob), r.many(HOLIDAY_BINS, d_prob)
        groups.append(
            GroupModel(
                networks[net],
                Place(place),
                size,
                profile,
                holiday,
                wait,
                d_prob(down),
                bool(learned),
                count,
                holiday_wait,
            )
        )
    stations = {}
    for _ in range(r.unpack("<I")[0]):
        sid = r.name()
        group, zone, flags, hours, offset, hol, factor, down, n_evses = r.unpack("<HBBHbbBBB")
        if group >= len(groups) or zone >= len(zones):
            raise OccupancyModelError(f"station {sid} refers to group {group} / zone {zone} that do not exist")
        try:
            station_flags = StationFlags(flags)
        except ValueError as exc:
            raise OccupancyModelError(f"station {sid} has unknown flags {flags:#x}") from exc
        no_history = bool(station_flags & StationFlags.NO_HISTORY)
        profile = groups[group].profile if no_history else r.many(REGULAR_BINS, d_prob)
        evses = tuple(
            EvseReliability(d_prob(a), d_rate(b), d_mttr(c)) for a, b, c in (r.take(3) for _ in range(n_evses))
        )
        stations[sid] = StationModel(
            sid,
            group,
            zones[zone],
            profile,
            offset / 16,
            hol / 16,
            d_factor(factor),
            d_prob(down),
            hours,
            station_flags,
            evses,
        )
    if r.at != len(r.data):
        raise OccupancyModelError(f"{len(r.data) - r.at} unexpected bytes after the last station")
    return OccupancyModel(created, start, end, half_lives, tuple(groups), stations)
