"""What changed between two published datasets, and how to cut it into deltas, pure.

A change is cut into consecutive versions (one delta each) so that every delta fits a car's
message and every intermediate version is a dataset the car can store: tariffs come before the
locations that use them, and locations that hand EVSEs to each other travel together (an EVSE's
uid is unique in the cache, so it must leave one location in the transaction that gives it to
the other).
"""

from __future__ import annotations

from dataclasses import replace

from chargers.dataset import record_bytes
from chargers.models import Location, Tariff
from sync.protocol.bodies import Delta

__all__ = ["DELTA_MAX_RAW_BYTES", "DELTA_MAX_RECORDS", "diff", "newer", "overlay_statuses", "split_delta"]

DELTA_MAX_RECORDS = 2000  # a bigger change is split across consecutive versions
DELTA_MAX_RAW_BYTES = 2 * 1024 * 1024  # and so is one whose JSON would be larger (cars take ≤ 4 MiB messages)


def newer(a_ts: str, b_ts: str) -> bool:
    """Whether timestamp ``a_ts`` is strictly later than ``b_ts`` (ISO-8601 UTC, same format)."""
    return (a_ts or "") > (b_ts or "")


def overlay_statuses(loc: Location, live: dict[str, tuple[str, str]]) -> Location:
    """``loc`` with each EVSE's status replaced by a live one that is newer."""
    evses = list(loc.evses)
    changed = False
    for i, e in enumerate(evses):
        got = live.get(e.uid)
        if got and newer(got[1], e.last_updated):
            evses[i] = replace(e, status=got[0], last_updated=got[1])
            changed = True
    return replace(loc, evses=tuple(evses)) if changed else loc


def diff(
    old: dict[str, Location], new: dict[str, Location], old_t: dict[str, Tariff], new_t: dict[str, Tariff]
) -> tuple[list[Location], list[str], list[Tariff], list[str]]:
    """What changed between two datasets: upserted and removed locations and tariffs."""
    up = [loc for i, loc in sorted(new.items()) if old.get(i) != loc]
    gone = sorted(set(old) - set(new))
    up_t = [t for i, t in sorted(new_t.items()) if old_t.get(i) != t]
    gone_t = sorted(set(old_t) - set(new_t))
    return up, gone, up_t, gone_t


def _move_groups(old: dict[str, Location], up: list[Location], gone: list[str]) -> list[list[str]]:
    """The changed location ids, grouped so that an EVSE moving from one location to another has
    both in one group (its uid must leave the old one in the same transaction that gives it to
    the new one): union-find over the moves, groups in the order of their first id."""
    parent = {loc.id: loc.id for loc in up} | {i: i for i in gone}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner = {e.uid: loc.id for loc in old.values() for e in loc.evses}
    for loc in up:
        for e in loc.evses:
            was = owner.get(e.uid)
            if was is not None and was != loc.id and was in parent:
                parent[root(was)] = root(loc.id)
    groups: dict[str, list[str]] = {}
    for i in [*(loc.id for loc in up), *gone]:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def split_delta(
    first_version: int,
    up: list[Location],
    gone: list[str],
    up_t: list[Tariff],
    gone_t: list[str],
    max_records: int = DELTA_MAX_RECORDS,
    *,
    old: dict[str, Location] | None = None,
    max_bytes: int = DELTA_MAX_RAW_BYTES,
) -> list[Delta]:
    """One delta per version, none bigger than ``max_records`` records or ``max_bytes`` of JSON
    (a group of locations that exchange EVSEs stays whole, see :func:`_move_groups`). Tariffs go
    first so that every intermediate version references tariffs it has; tariff removals last."""
    ups: dict[str, Location | tuple[str, str]] = {loc.id: loc for loc in up}
    units: list[list[Tariff | Location | tuple[str, str]]] = [[t] for t in up_t]
    for group in _move_groups(old or {}, up, gone):
        units.append([ups.get(i, ("rl", i)) for i in group])
    units += [[("rt", i)] for i in gone_t]
    parts: list[list[Tariff | Location | tuple[str, str]]] = [[]]
    size = 0
    for unit in units:
        unit_bytes = sum(record_bytes(r) if not isinstance(r, tuple) else 64 for r in unit)
        if parts[-1] and (len(parts[-1]) + len(unit) > max_records or size + unit_bytes > max_bytes):
            parts.append([])
            size = 0
        parts[-1].extend(unit)
        size += unit_bytes
    return [
        Delta(
            first_version + n,
            tuple(r for r in part if isinstance(r, Location)),
            tuple(r[1] for r in part if isinstance(r, tuple) and r[0] == "rl"),
            tuple(r for r in part if isinstance(r, Tariff)),
            tuple(r[1] for r in part if isinstance(r, tuple) and r[0] == "rt"),
        )
        for n, part in enumerate(p for p in parts if p)
    ]
