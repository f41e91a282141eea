"""The compact row form of snapshot chunks, pure: what the publisher writes, what the car checks.

A snapshot replaces the whole cache, so its chunks carry the chargers as nested JSON arrays in
the order the cache stores them, not as OCPI objects: a third of the bytes to decompress and
parse, and no OCPI re-validation on the car. The signature and the manifest already say the
operator sent these rows (and the operator validated the partner feeds), so the car only makes
the structural check that keeps a malformed row out of the database: arity, JSON types, enum
values, coordinate ranges and ids unique within the chunk. What the cache derives from the
rows (aggregates, search words, the EVSE's power) the car derives itself, as it does for
deltas, so both paths store the same rows. Layout (``docs/sync-protocol.md``)::

    {"format": "rows/2",
     "locations": [[id, party_id, name, name_en, address, city, city_en, postal_code, lat, lon,
                    twentyfourseven, regular_hours, is_green, energy_sources, time_zone,
                    facilities, last_updated,
                    [[uid, evse_id, status, last_updated,
                      [[id, standard, format, power_type, max_voltage, max_amperage,
                        max_electric_power_w, tariff_ids, last_updated], ...]], ...],
                    carriageway_bearing_deg], ...],
     "tariffs": [[id, party_id, currency, last_updated, [[start, end, energy, service, days], ...]], ...]}

``regular_hours``, ``energy_sources`` and ``facilities`` are the JSON texts the cache stores;
``tariff_ids`` is comma-joined; ``twentyfourseven`` and ``is_green`` are 0/1;
``carriageway_bearing_deg`` is the bearing of the traffic a motorway service area serves, or null
(reachable from both directions); ``days`` the ISO weekdays a tariff window applies on ([] =
every day). ``rows/1`` (before both fields existed) is still read: its rows lack the two trailing
fields, which the cache then holds as "both directions" and "every day".
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chargers.models import CONNECTOR_FORMATS, CONNECTOR_STANDARDS, POWER_TYPES, STATUSES, Location, Tariff
from sync.protocol.messages import Rejected, json_bytes

FORMAT = "rows/2"
#: Every format a car reads → (fields of a location row, fields of a tariff window).
FORMATS = {"rows/1": (18, 4), "rows/2": (19, 5)}
LOCATION_FIELDS = 19
EVSE_FIELDS = 5
CONNECTOR_FIELDS = 9
TARIFF_FIELDS = 5
WINDOW_FIELDS = 5

# The JSON type of each field but the last (the children), checked with one tuple comparison.
_S, _I = str, int
_LOCATION_TYPES = (_S, _S, _S, _S, _S, _S, _S, _S)  # id … postal_code; lat, lon checked apart
_LOCATION_TAIL_TYPES = (_I, _S, _I, _S, _S, _S, _S)  # twentyfourseven … last_updated
_EVSE_TYPES = (_S, _S, _S, _S)
_CONNECTOR_TYPES = (_S, _S, _S, _S, _I, _I, _I, _S, _S)
_TARIFF_TYPES = (_S, _S, _S, _S)


@dataclass(frozen=True)
class ChunkRows:
    """A checked chunk: location rows (layout above) and tariff rows, as decoded."""

    locations: list[list[Any]]
    tariffs: list[list[Any]]


# ------------------------------------------------------------------ the publisher's side


def location_row(loc: Location) -> list[Any]:
    return [
        loc.id,
        loc.party_id,
        loc.name,
        loc.name_en,
        loc.address,
        loc.city,
        loc.city_en,
        loc.postal_code,
        loc.lat,
        loc.lon,
        int(loc.twentyfourseven),
        json.dumps([[h.weekday, h.period_begin, h.period_end] for h in loc.regular_hours]),
        int(loc.is_green_energy),
        json.dumps([list(s) for s in loc.energy_sources]),
        loc.time_zone,
        json.dumps(list(loc.facilities)),
        loc.last_updated,
        [
            [
                e.uid,
                e.evse_id,
                e.status,
                e.last_updated,
                [
                    [
                        c.id,
                        c.standard,
                        c.format,
                        c.power_type,
                        c.max_voltage,
                        c.max_amperage,
                        c.max_electric_power_w,
                        ",".join(c.tariff_ids),
                        c.last_updated,
                    ]
                    for c in e.connectors
                ],
            ]
            for e in loc.evses
        ],
        loc.carriageway_bearing_deg,
    ]


def tariff_row(t: Tariff) -> list[Any]:
    return [
        t.id,
        t.party_id,
        t.currency,
        t.last_updated,
        [[w.start, w.end, w.energy_cny_per_kwh, w.service_cny_per_kwh, list(w.days)] for w in t.windows],
    ]


def location_json(loc: Location) -> bytes:
    """One location's row as JSON (the chunker sizes chunks with it)."""
    return json_bytes(location_row(loc))


def chunk_body(location_json_rows: Sequence[bytes], tariffs: Sequence[Tariff]) -> bytes:
    return (
        b'{"format":"'
        + FORMAT.encode()
        + b'","locations":['
        + b",".join(location_json_rows)
        + b'],"tariffs":'
        + json_bytes([tariff_row(t) for t in tariffs])
        + b"}"
    )


# ------------------------------------------------------------------ the car's check


def _bad(what: str) -> Rejected:
    return Rejected("malformed body", f"chunk: {what}"[:100])


def _number(v: Any) -> bool:
    return type(v) in (int, float) and math.isfinite(v)


def check_chunk(body: Any) -> ChunkRows:
    """The structural check of a decoded chunk body; :class:`Rejected` names the first fault."""
    fmt = body.get("format") if isinstance(body, dict) else None
    if fmt not in FORMATS:
        raise _bad(f"not a chunk of {' or '.join(FORMATS)}")
    location_fields, window_fields = FORMATS[fmt]
    locations, tariffs = body.get("locations"), body.get("tariffs")
    if type(locations) is not list or type(tariffs) is not list:
        raise _bad("locations and tariffs must be lists")
    json_texts: dict[str, type] = {}  # the few distinct JSON texts, each parsed once
    ids: set[str] = set()
    uids: set[str] = set()
    for row in locations:
        _check_location(row, location_fields, json_texts, ids, uids)
    tids: set[str] = set()
    for t in tariffs:
        if (
            type(t) is not list
            or len(t) != TARIFF_FIELDS
            or tuple(map(type, t[:4])) != _TARIFF_TYPES
            or not t[0]
            or t[0] in tids
            or type(t[4]) is not list
        ):
            raise _bad(f"bad tariff {str(t)[:50]}")
        tids.add(t[0])
        for w in t[4]:
            if (
                type(w) is not list
                or len(w) != window_fields
                or type(w[0]) is not str
                or type(w[1]) is not str
                or not _number(w[2])
                or not _number(w[3])
                or (window_fields > 4 and not _weekdays(w[4]))
            ):
                raise _bad(f"bad tariff window in {t[0][:40]}")
    return ChunkRows(locations, tariffs)


def _weekdays(days: Any) -> bool:
    return type(days) is list and all(type(d) is int and 1 <= d <= 7 for d in days)


def _check_location(row: Any, fields: int, json_texts: dict[str, type], ids: set[str], uids: set[str]) -> None:
    if type(row) is not list or len(row) != fields:
        raise _bad(f"location row of {len(row) if type(row) is list else type(row).__name__}")
    if fields > 18 and not (row[18] is None or (_number(row[18]) and 0 <= row[18] < 360)):
        raise _bad(f"location {str(row[0])[:40]}: bad carriageway bearing")
    lid = row[0]
    if tuple(map(type, row[:8])) != _LOCATION_TYPES or tuple(map(type, row[10:17])) != _LOCATION_TAIL_TYPES:
        raise _bad(f"location {str(lid)[:40]}: a field has the wrong type")
    if not lid or lid in ids:
        raise _bad(f"location id {lid[:40]!r} empty or repeated")
    ids.add(lid)
    lat, lon = row[8], row[9]
    if not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise _bad(f"location {lid[:40]}: coordinates out of range")
    for i, want in ((11, list), (13, list), (15, list)):
        text = row[i]
        if text not in json_texts:
            try:
                json_texts[text] = type(json.loads(text))
            except ValueError as exc:
                raise _bad(f"location {lid[:40]}: field {i} is not JSON") from exc
        if json_texts[text] is not want:
            raise _bad(f"location {lid[:40]}: field {i} is not a JSON list")
    evses = row[17]
    if type(evses) is not list:
        raise _bad(f"location {lid[:40]}: evses must be a list")
    for e in evses:
        if (
            type(e) is not list
            or len(e) != EVSE_FIELDS
            or tuple(map(type, e[:4])) != _EVSE_TYPES
            or type(e[4]) is not list
        ):
            raise _bad(f"location {lid[:40]}: bad EVSE row")
        if not e[0] or e[0] in uids:
            raise _bad(f"EVSE uid {e[0][:40]!r} empty or repeated")
        uids.add(e[0])
        if e[2] not in STATUSES:
            raise _bad(f"EVSE {e[0][:40]}: unknown status {e[2][:20]!r}")
        for c in e[4]:
            if type(c) is not list or len(c) != CONNECTOR_FIELDS or tuple(map(type, c)) != _CONNECTOR_TYPES:
                raise _bad(f"EVSE {e[0][:40]}: bad connector row")
            if c[1] not in CONNECTOR_STANDARDS or c[2] not in CONNECTOR_FORMATS or c[3] not in POWER_TYPES:
                raise _bad(f"EVSE {e[0][:40]}: unknown connector standard, format or power type")
            if c[4] < 0 or c[5] < 0 or c[6] < 0:
                raise _bad(f"EVSE {e[0][:40]}: negative connector rating")
