"""The occupancy model's binary form, as the car receives it in signed ``occupancy`` parts (``decode_model``).

An input is the model's bytes without the trailing CRC-32: the harness appends the right one (as the operator's
signature makes the parts authentic), so mutations reach the decoder's fields rather than its checksum.

Contract: ``decode_model`` returns a model or raises ``OccupancyModelError`` with a reason; a model it returns
predicts, for every station, probabilities within 0..1 and finite, non-negative waits (or raises the package's
``OccupancyError``); never another exception.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

from chargers.errors import OccupancyError, OccupancyModelError
from chargers.occupancy import (
    EvseReliability,
    GroupModel,
    OccupancyModel,
    Place,
    StationFlags,
    StationModel,
    decode_model,
    encode_model,
    predict,
)
from chargers.occupancy.calendar import REGULAR_BINS
from fuzz.harness import Harness, expect_finite, expect_in_range

__all__ = ["HARNESS", "seed_model"]

ARRIVALS = (datetime(2026, 11, 6, 10, 20, tzinfo=UTC), datetime(2026, 10, 1, 2, 0, tzinfo=UTC))


def check(data: bytes) -> None:
    try:
        model = decode_model(data + struct.pack("<I", zlib.crc32(data)))
    except OccupancyModelError:
        return
    for sid in list(model.stations)[:8]:
        for arrival in ARRIVALS:
            try:
                p = predict(model, sid, arrival)
            except OccupancyError:
                continue
            expect_in_range(p.p_full, 0, 1, "p_full")
            expect_in_range(p.p_fail, 0, 1, "p_fail")
            expect_finite(p.expected_wait_min, "expected wait")
            expect_in_range(p.expected_wait_min, 0, 1e6, "expected wait")
            expect_in_range(p.wait_if_full_min, 0, 1e6, "wait if full")


def seed_model(zone: str, n: int) -> OccupancyModel:
    """A small valid model (one group, ``n`` stations in ``zone``)."""
    profile = tuple([0.02] * REGULAR_BINS)
    group = GroupModel(
        "NIO", Place.HIGHWAY, 1, profile, tuple([0.5] * 96), (3.0, 5, 8, 12, 15, 20, 30, 40), 0.001, True, 10
    )
    ok = EvseReliability(0.01, 1.0, 8.0)
    stations = {
        f"S{i}": StationModel(f"S{i}", 0, zone, profile, 0.0, 0.0, 1.0, 0.0, 2000, StationFlags.NONE, (ok,) * (i + 1))
        for i in range(n)
    }
    return OccupancyModel(0, 0, 0, (20.0, 10.0, 30.0), (group,), stations)


def seeds() -> Iterator[bytes]:
    for zone, n in (("Asia/Shanghai", 1), ("Asia/Urumqi", 3)):
        yield encode_model(seed_model(zone, n))[:-4]


HARNESS = Harness(
    name="occupancy_model",
    check=check,
    seeds=seeds,
    byte_level=True,
    doc="decode_model on the occupancy model's bytes (checksum made right): a model whose predictions are "
    "probabilities in 0..1 and finite waits, or OccupancyModelError / OccupancyError with a reason; never another "
    "exception.",
)
