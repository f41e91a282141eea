"""The model in bytes: exact sizes, idempotent quantising, and a corrupt model refused whole."""

import contextlib
import struct
import zlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargers.errors import OccupancyModelError
from chargers.occupancy import OccupancyLearner, Place, StationFlags, Window, decode_model, encode_model, station_bytes
from chargers.occupancy.encoding import d_mttr, d_prob, q_mttr, q_prob
from tests.chargers.test_occupancy_learn import evening_rush, station

WINDOW = Window.local_days(date(2026, 11, 2), 21)


def small_model():  # type: ignore[no-untyped-def]
    infos = [
        station("A", 4, Place.HIGHWAY),
        station("B", 2),
        station("中文站", 2, network="LI_AUTO"),
        station("NEW", 6),
    ]
    learner = OccupancyLearner(infos, WINDOW)
    for info in infos[:3]:
        learner.add_all(evening_rush(info))
    return learner.learn()


def test_round_trip_is_exact_after_one_quantising() -> None:
    model = small_model()
    blob = encode_model(model)
    back = decode_model(blob)
    assert encode_model(back) == blob
    assert set(back.stations) == set(model.stations)
    a, b = model.stations["A"], back.stations["A"]
    assert max(abs(x - y) for x, y in zip(a.profile, b.profile, strict=True)) < 0.004
    assert (
        back.stations["NEW"].flags & StationFlags.NO_HISTORY
        and back.stations["NEW"].profile == back.groups[back.stations["NEW"].group].profile
    )
    assert back.half_life_min == pytest.approx(model.half_life_min, abs=0.05)
    assert back.stations["中文站"].time_zone == "Asia/Shanghai"


def test_sizes_add_up() -> None:
    model = small_model()
    blob = encode_model(model)
    groups = len(model.groups) * (9 + 16 + 168 + 96)
    header = (
        4
        + 13
        + 1
        + 2 * len(model.half_life_min)
        + (1 + sum(1 + len(g.network) for g in {g.network: g for g in model.groups}.values()))
    )
    header += 1 + 1 + len("Asia/Shanghai") + 2 + 4 + 4  # zones, group count, station count, CRC
    assert len(blob) == header + groups + sum(station_bytes(m) for m in model.stations.values())
    assert station_bytes(model.stations["NEW"]) == 1 + 3 + 11 + 6 * 3  # no profile of its own


@given(st.floats(0, 1))
def test_probability_quantising_is_fine_near_zero_and_idempotent(p: float) -> None:
    back = d_prob(q_prob(p))
    assert abs(back - p) <= (0.004 if p > 0.01 else 0.0004)
    assert q_prob(back) == q_prob(p)


@given(st.one_of(st.none(), st.floats(0, 1000)))
def test_repair_times_survive(h: float | None) -> None:
    back = d_mttr(q_mttr(h))
    assert (back is None) == (h is None)
    if h is not None and back is not None:
        assert abs(back - h) <= 0.03 * (1 + h)


def test_corrupt_models_are_refused_with_a_reason() -> None:
    blob = encode_model(small_model())
    with pytest.raises(OccupancyModelError, match="magic"):
        decode_model(b"NOPE" + blob[4:])
    with pytest.raises(OccupancyModelError, match="checksum"):
        decode_model(blob[:100] + bytes([blob[100] ^ 0x40]) + blob[101:])
    with pytest.raises(OccupancyModelError):
        decode_model(blob[:-10])
    with pytest.raises(OccupancyModelError):
        decode_model(b"")
    newer = bytearray(blob[:-4])
    newer[4] = 2
    with pytest.raises(OccupancyModelError, match="version 2"):
        decode_model(bytes(newer) + struct.pack("<I", zlib.crc32(newer)))
    longer = blob[:-4] + b"\0"
    with pytest.raises(OccupancyModelError, match="unexpected bytes"):
        decode_model(longer + struct.pack("<I", zlib.crc32(longer)))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_damaged_model_never_raises_anything_else(data: st.DataObject) -> None:
    """Damage the body and fix the checksum (a forger's move): still refused, or read as a model."""
    blob = bytearray(encode_model(small_model())[:-4])
    for _ in range(data.draw(st.integers(1, 8))):
        blob[data.draw(st.integers(4, len(blob) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(blob) - 50, len(blob)))
    body = bytes(blob[:cut])
    with contextlib.suppress(OccupancyModelError):
        decode_model(body + struct.pack("<I", zlib.crc32(body)))
