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
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from chargers import ocpi_fields as f
from chargers.models import (
    CONNECTOR_FORMATS,
    CONNECTOR_STANDARDS,
    ENERGY_SOURCES,
    FACILITIES,
    PARTY_TO_NETWORK,
    POWER_TYPES,
    STATUSES,
    Location,
    Tariff,
)
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

#: The longest text of each string field of a location row (OCPI's limits; ``chargers.ocpi_fields``).
_LOCATION_TEXT_LIMITS = (36, 3, 255, 255, 45, 45, 45, 10)
_CI = re.compile(r"[\x20-\x7e]{1,36}")  # a CiString(36) id: printable ASCII, not empty
_CI_LINES = re.compile(r"(?:[\x20-\x7e]{1,36}\n)*")  # many of them, one a line: one pass in C
_TIME_LINES = re.compile(f"(?:(?:{f.DATETIME_PATTERN})?\\n)*")  # OCPI DateTimes or "", one a line
_EVSE_ID_LINES = re.compile(r"(?:[\x20-\x7e]{0,48}\n)*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _bad(what: str) -> Rejected:
    return Rejected("malformed body", f"chunk: {what}"[:100])


def _number(v: Any) -> bool:
    return f.is_finite_number(v)


def _when(v: str) -> bool:
    return v == "" or f.is_date_time(v)


@dataclass
class _Later:
    """The checks of a chunk's many EVSE and connector strings, gathered and made at the end in bulk: a regex
    over all ids joined (one pass in C), each distinct timestamp and tariff id list once. Made one by one they
    more than doubled the cost of checking a chunk."""

    ids: list[str] = field(default_factory=list)
    evse_ids: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    tariff_lists: set[str] = field(default_factory=set)

    def check(self) -> None:
        if not _CI_LINES.fullmatch("\n".join(self.ids) + "\n" if self.ids else ""):
            raise _bad(f"an EVSE uid or connector id is not an OCPI id: {next(_bad_ones(self.ids, _CI))}")
        if not _EVSE_ID_LINES.fullmatch("\n".join(self.evse_ids) + "\n" if self.evse_ids else ""):
            bad = next(i for i in self.evse_ids if not re.fullmatch(r"[\x20-\x7e]{0,48}", i))
            raise _bad(f"evse_id {f.shown(bad)[:40]} not printable ASCII of at most 48 characters")
        if not _TIME_LINES.fullmatch("\n".join(self.times) + "\n" if self.times else ""):
            bad = next(t for t in self.times if not _when(t))
            raise _bad(f"last_updated {f.shown(bad)[:40]} is not an OCPI DateTime")
        for ids in self.tariff_lists:
            if not all(_CI.fullmatch(t) for t in ids.split(",")):
                raise _bad(f"tariff ids {f.shown(ids)[:40]} are not OCPI ids")


def _bad_ones(values: list[str], pattern: re.Pattern[str]) -> Iterator[str]:
    return (f.shown(v)[:40] for v in values if not pattern.fullmatch(v))


def check_chunk(body: Any) -> ChunkRows:
    """The check of a decoded chunk body; :class:`Rejected` names the first fault.

    Beyond arity and JSON types, every value must be one the cache can hold and read back as a valid record: ids
    and enums as OCPI has them, texts without control characters and within OCPI's lengths, numbers within
    physics (a connector of 2**63 V would not even fit SQLite's integer), and the JSON texts the cache stores
    (opening hours, energy mix, facilities) of the shape its reader expects — ``"[1]"`` is a JSON list, but not
    a list of opening periods."""
    fmt = body.get("format") if isinstance(body, dict) else None
    if type(fmt) is not str or fmt not in FORMATS:
        raise _bad(f"not a chunk of {' or '.join(FORMATS)}")
    location_fields, window_fields = FORMATS[fmt]
    locations, tariffs = body.get("locations"), body.get("tariffs")
    if type(locations) is not list or type(tariffs) is not list:
        raise _bad("locations and tariffs must be lists")
    json_texts: dict[str, bool] = {}  # the few distinct JSON texts, each parsed and judged once
    ids: set[str] = set()
    uids: set[str] = set()
    later = _Later()
    for row in locations:
        _check_location(row, location_fields, json_texts, ids, uids, later)
    later.check()
    tids: set[str] = set()
    for t in tariffs:
        if (
            type(t) is not list
            or len(t) != TARIFF_FIELDS
            or tuple(map(type, t[:4])) != _TARIFF_TYPES
            or not _CI.fullmatch(t[0])
            or t[0] in tids
            or len(t[1]) > 3
            or _CONTROL.search(t[1])
            or not (len(t[2]) == 3 and t[2].isascii() and t[2].isalpha() and t[2].isupper())
            or not _when(t[3])
            or type(t[4]) is not list
            or not t[4]
        ):
            raise _bad(f"bad tariff {f.shown(t)[:50]}")
        tids.add(t[0])
        for w in t[4]:
            if (
                type(w) is not list
                or len(w) != window_fields
                or not f.is_hhmm(w[0])
                or not f.is_hhmm(w[1], end=True)
                or not _number(w[2])
                or not _number(w[3])
                or not (w[2] >= 0 and w[3] >= 0 and w[2] + w[3] <= f.MAX_PRICE_PER_KWH)
                or (window_fields > 4 and not _weekdays(w[4]))
            ):
                raise _bad(f"bad tariff window in {t[0][:40]}")
    return ChunkRows(locations, tariffs)


def _weekdays(days: Any) -> bool:
    return type(days) is list and all(type(d) is int and 1 <= d <= 7 for d in days)


def _json_text_ok(i: int, value: Any) -> bool:
    """Is this decoded JSON text of the shape the cache's reader expects for field ``i``?"""
    if type(value) is not list:
        return False
    if i == 11:  # regular_hours: [[weekday, "HH:MM", "HH:MM"], ...]
        return all(
            type(h) is list
            and len(h) == 3
            and type(h[0]) is int
            and 1 <= h[0] <= 7
            and f.is_hhmm(h[1])
            and f.is_hhmm(h[2], end=True)
            for h in value
        )
    if i == 13:  # energy_sources: [[source, percentage], ...]
        return all(
            type(e) is list and len(e) == 2 and f.is_one_of(e[0], ENERGY_SOURCES) and _number(e[1]) and 0 <= e[1] <= 100
            for e in value
        )
    return all(f.is_one_of(v, FACILITIES) for v in value)  # facilities


def _check_json_texts(row: list[Any], lid: str, json_texts: dict[str, bool]) -> None:
    for i in (11, 13, 15):
        text = row[i]
        ok = json_texts.get(text)
        if ok is None:
            try:
                ok = json_texts[text] = _json_text_ok(i, json.loads(text))
            except (ValueError, RecursionError) as exc:
                raise _bad(f"location {lid[:40]}: field {i} is not JSON") from exc
        if not ok:
            raise _bad(f"location {lid[:40]}: field {i} is not a list of what it holds")


def _check_location(
    row: Any, fields: int, json_texts: dict[str, bool], ids: set[str], uids: set[str], later: _Later
) -> None:
    if type(row) is not list or len(row) != fields:
        raise _bad(f"location row of {len(row) if type(row) is list else type(row).__name__}")
    if fields > 18 and not (row[18] is None or (_number(row[18]) and 0 <= row[18] < 360)):
        raise _bad(f"location {f.shown(row[0])[:40]}: bad carriageway bearing")
    lid = row[0]
    if tuple(map(type, row[:8])) != _LOCATION_TYPES or tuple(map(type, row[10:17])) != _LOCATION_TAIL_TYPES:
        raise _bad(f"location {f.shown(lid)[:40]}: a field has the wrong type")
    if not _CI.fullmatch(lid) or lid in ids:
        raise _bad(f"location id {f.shown(lid)[:40]} not an OCPI id, or repeated")
    ids.add(lid)
    if (
        row[1] not in PARTY_TO_NETWORK
        or len(row[2]) > 255
        or len(row[3]) > 255
        or len(row[4]) > 45
        or len(row[5]) > 45
        or len(row[6]) > 45
        or len(row[7]) > 10
    ):
        raise _bad(f"location {lid}: unknown party or a text too long")
    if row[10] not in (0, 1) or row[12] not in (0, 1) or len(row[14]) > 255 or not _when(row[16]):
        raise _bad(f"location {lid}: bad flag, time zone or last_updated")
    if _CONTROL.search("".join(row[1:8]) + row[14]):
        raise _bad(f"location {lid}: control character in a text")
    lat, lon = row[8], row[9]
    if not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise _bad(f"location {lid}: coordinates out of range")
    _check_json_texts(row, lid, json_texts)
    evses = row[17]
    if type(evses) is not list:
        raise _bad(f"location {lid}: evses must be a list")
    for e in evses:
        if (
            type(e) is not list
            or len(e) != EVSE_FIELDS
            or tuple(map(type, e[:4])) != _EVSE_TYPES
            or type(e[4]) is not list
        ):
            raise _bad(f"location {lid}: bad EVSE row")
        if not e[0] or e[0] in uids:
            raise _bad(f"EVSE uid {f.shown(e[0])[:40]} empty or repeated")
        uids.add(e[0])
        later.ids.append(e[0])
        if e[2] not in STATUSES:
            raise _bad(f"EVSE {e[0]}: unknown status {f.shown(e[2])[:20]}")
        later.evse_ids.append(e[1])
        later.times.append(e[3])
        connectors = e[4]
        for c in connectors:
            if type(c) is not list or len(c) != CONNECTOR_FIELDS or tuple(map(type, c)) != _CONNECTOR_TYPES:
                raise _bad(f"EVSE {e[0]}: bad connector row")
            if c[1] not in CONNECTOR_STANDARDS or c[2] not in CONNECTOR_FORMATS or c[3] not in POWER_TYPES:
                raise _bad(f"EVSE {e[0]}: unknown connector standard, format or power type")
            if not (0 <= c[4] <= f.MAX_VOLTAGE_V and 0 <= c[5] <= f.MAX_AMPERAGE_A and 0 <= c[6] <= f.MAX_POWER_W):
                raise _bad(f"EVSE {e[0]}: connector rating outside 0..{f.MAX_VOLTAGE_V} V, A or W limits")
            later.ids.append(c[0])
            later.times.append(c[8])
            if c[7]:
                later.tariff_lists.add(c[7])
        if len(connectors) > 1 and len({c[0] for c in connectors}) != len(connectors):
            raise _bad(f"EVSE {f.shown(e[0])[:40]}: a connector id repeated")
