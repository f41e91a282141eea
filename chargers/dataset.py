"""Checks across a whole dataset, after each record passed its own (``chargers.ocpi``): the rules
that no single record can break alone, but two can.

* **Location ids are unique.** Within one partner a later record is an update (the later wins, as
  in a JSON Lines feed that appends); a second partner using an id already taken is refused.
* **EVSE uids are unique across the whole dataset** (OCPI asks it of a CPO's platform; the car's
  cache enforces it across partners). The first location to name a uid keeps it; an EVSE that
  repeats a uid, in another location or in the same one, is left out of its location.
* **Tariff ids are unique**, as location ids are.
* **No record is larger than** :data:`~chargers.models.MAX_RECORD_BYTES` as JSON, so every record
  fits a car's message.

Each refusal is a :class:`~chargers.models.Rejection` naming the partner and the reason; the rest
of the dataset stands. Pure: lists in, lists out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

import orjson

from chargers.models import MAX_RECORD_BYTES, Location, Rejection, Tariff

__all__ = ["check_dataset", "record_bytes"]

R = TypeVar("R", Location, Tariff)


def record_bytes(record: Location | Tariff) -> int:
    """The size of a record as compact JSON (orjson serialises the frozen dataclasses directly)."""
    return len(orjson.dumps(record))


def _unique_ids(records: Sequence[R], rejections: list[Rejection]) -> list[R]:
    kept: dict[str, int] = {}
    out: list[R] = []
    for r in records:
        at = kept.get(r.id)
        if at is None:
            kept[r.id] = len(out)
            out.append(r)
        elif out[at].party_id == r.party_id:
            out[at] = r
            rejections.append(Rejection("duplicate id", r.id, "the later record was kept", r.party_id))
        else:
            rejections.append(
                Rejection("duplicate id", r.id, f"already used by partner {out[at].party_id}", r.party_id)
            )
    return out


def _unique_uids(locations: list[Location], rejections: list[Rejection]) -> list[Location]:
    owner: dict[str, str] = {}
    out = []
    for loc in locations:
        evses = []
        for e in loc.evses:
            first = owner.get(e.uid)
            if first is None:
                owner[e.uid] = loc.id
                evses.append(e)
            else:
                where = "earlier in the same location" if first == loc.id else f"already in location {first}"
                rejections.append(Rejection("duplicate evse uid", loc.id, f"{e.uid}: {where}", loc.party_id))
        out.append(loc if len(evses) == len(loc.evses) else replace(loc, evses=tuple(evses)))
    return out


def _size_bound(r: Location | Tariff) -> int:
    """A cheap upper bound of :func:`record_bytes` (every string is bounded by its OCPI limit,
    at most 4 bytes a character), so that only a record that might be too large is serialised."""
    if isinstance(r, Tariff):
        return 2048 + 256 * len(r.windows)
    return (
        8192
        + 64 * (len(r.facilities) + len(r.regular_hours) + len(r.energy_sources))
        + sum(512 + sum(512 + 160 * len(c.tariff_ids) for c in e.connectors) for e in r.evses)
    )


def _small(records: list[R], rejections: list[Rejection]) -> list[R]:
    out: list[R] = []
    for r in records:
        size = record_bytes(r) if _size_bound(r) > MAX_RECORD_BYTES else 0
        if size > MAX_RECORD_BYTES:
            rejections.append(
                Rejection("record too large", r.id, f"{size} bytes of JSON, at most {MAX_RECORD_BYTES}", r.party_id)
            )
        else:
            out.append(r)
    return out


def check_dataset(
    locations: Sequence[Location], tariffs: Sequence[Tariff]
) -> tuple[list[Location], list[Tariff], list[Rejection]]:
    """The dataset with what breaks the rules above left out, and why each record went."""
    rejections: list[Rejection] = []
    locs = _unique_uids(_small(_unique_ids(locations, rejections), rejections), rejections)
    tars = _small(_unique_ids(tariffs, rejections), rejections)
    return locs, tars, rejections
