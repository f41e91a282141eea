"""OCPI 2.2.1 JSON ⇄ ``chargers.models``, with validation that rejects a record and says why.

Reads what partners send: a Locations response envelope (``{"data": [...]}``), a bare list of
Locations, or JSON Lines (one Location per line, so one broken line costs one record); Tariffs ride
along under ``"tariffs"``. Files may be gzip-compressed; a directory means every feed in it.
Extension fields that OCPI lacks are prefixed ``x_`` (English names, the tariff's service fee),
which OCPI parties ignore.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chargers import ocpi_fields as f
from chargers.dataset import check_dataset
from chargers.errors import FeedError
from chargers.models import (
    CONNECTOR_FORMATS,
    CONNECTOR_STANDARDS,
    ENERGY_SOURCES,
    FACILITIES,
    PARTY_TO_NETWORK,
    POWER_TYPES,
    STATUSES,
    TARIFF_DIMENSIONS,
    Connector,
    Evse,
    Location,
    RegularHours,
    Rejection,
    Tariff,
    TariffWindow,
)
from chargers.ocpi_fields import Invalid
from geo.geometry import CHINA_BBOX

FEED_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


# ---------------------------------------------------------------- parsing

Notes = list[Invalid] | None  # parts of a record left out (an unknown connector, facility), if wanted


def parse_connector(d: Any) -> Connector:
    if type(d) is not dict:
        raise Invalid("bad connector", f.shown(d))
    cid = f.ci_string(d, "id", 36, missing="missing connector id")
    standard = d.get("standard")
    if not f.is_one_of(standard, CONNECTOR_STANDARDS):
        raise Invalid("unknown connector" if standard else "missing standard", f.shown(standard))
    power_type = f.enum(d, "power_type", POWER_TYPES)
    fmt = f.enum(d, "format", CONNECTOR_FORMATS, default="CABLE")
    volts = f.integer(d, "max_voltage", 0, f.MAX_VOLTAGE_V)
    amps = f.integer(d, "max_amperage", 0, f.MAX_AMPERAGE_A)
    power_w = f.integer(d, "max_electric_power", 0, f.MAX_POWER_W, default=min(volts * amps, f.MAX_POWER_W))
    tariff_ids = tuple(f.ci_value(t, "tariff_ids", 36) for t in f.items(d, "tariff_ids"))
    updated = f.date_time(d, "last_updated")
    return Connector(cid, standard, fmt, power_type, volts, amps, power_w, tariff_ids, updated)


def parse_evse(d: Any, notes: Notes = None) -> Evse:
    """One OCPI EVSE. A connector of a standard we do not know is left out (noted), not the EVSE;
    an EVSE with no connector at all is refused, one with none of a known standard is
    :class:`Invalid` ``"no known connector"`` (its location leaves it out)."""
    if type(d) is not dict:
        raise Invalid("bad evse", f.shown(d))
    uid = f.ci_string(d, "uid", 36, missing="missing evse uid")
    status = d.get("status")
    if not f.is_one_of(status, STATUSES):
        raise Invalid("unknown status", f.shown(status))
    connectors: list[Connector] = []
    for c in f.items(d, "connectors"):
        try:
            connector = parse_connector(c)
            if any(other.id == connector.id for other in connectors):
                raise Invalid("duplicate connector id", f"{uid}: connector {connector.id} twice")
            connectors.append(connector)
        except Invalid as exc:
            if exc.reason != "unknown connector":
                raise
            if notes is not None:
                notes.append(Invalid("unknown connector", f"{uid}: {exc.detail}"))
    if not connectors:
        raise Invalid("no known connector" if d.get("connectors") else "evse without connectors", uid)
    evse_id = f.ci_string(d, "evse_id", 48, required=False)
    return Evse(uid, status, tuple(connectors), evse_id, f.date_time(d, "last_updated"))


def _coordinate(coords: Any, key: str, max_len: int) -> float:
    v = coords.get(key) if isinstance(coords, dict) else None
    if type(v) is not str or len(v) > max_len or not _COORDINATE.fullmatch(v):
        raise Invalid("bad coordinates", f"{key} {f.shown(v)}"[:60])
    return float(v)


_COORDINATE = re.compile(r"-?\d{1,3}\.\d{1,7}|-?\d{1,3}")


def _hours(opening: dict[str, Any] | None) -> tuple[bool, tuple[RegularHours, ...]]:
    if opening is None:
        return True, ()
    hours = []
    for h in f.items(opening, "regular_hours"):
        if type(h) is not dict:
            raise Invalid("bad opening_times", f.shown(h))
        wd = f.integer(h, "weekday", 1, 7)
        hours.append(RegularHours(wd, f.hhmm(h, "period_begin"), f.hhmm(h, "period_end", end=True)))
    return f.boolean(opening, "twentyfourseven", not hours), tuple(hours)


def _energy_mix(mix: dict[str, Any] | None) -> tuple[bool, tuple[tuple[str, float], ...]]:
    if mix is None:
        return False, ()
    sources = []
    for s in f.items(mix, "energy_sources"):
        if type(s) is not dict:
            raise Invalid("bad energy_mix", f.shown(s))
        sources.append((f.enum(s, "source", ENERGY_SOURCES), f.number(s, "percentage", 0.0, 100.0)))
    return f.boolean(mix, "is_green_energy", False), tuple(sources)


def _facilities(values: list[Any], loc_id: str, notes: Notes) -> tuple[str, ...]:
    kept = []
    for v in values:
        if f.is_one_of(v, FACILITIES):
            kept.append(str(v))
        elif notes is not None:
            notes.append(Invalid("unknown facility", f"{loc_id}: {f.shown(v)[:40]}"))
    return tuple(kept)


def parse_location(d: Any, notes: Notes = None) -> Location:
    """One OCPI Location, or :class:`Invalid` saying why not (rules: ``chargers.ocpi_fields``).
    Parts we cannot use (a connector of an unknown standard, an unknown facility) are left out
    and, when ``notes`` is a list, noted there."""
    if not isinstance(d, dict):
        raise Invalid("not an object", f.shown(d))
    loc_id = f.ci_string(d, "id", 36, missing="missing id")
    party = d.get("party_id")
    if not f.is_one_of(party, PARTY_TO_NETWORK):
        raise Invalid("unknown network", f.shown(party))
    coords = d.get("coordinates")
    lat, lon = _coordinate(coords, "latitude", 10), _coordinate(coords, "longitude", 11)
    if not CHINA_BBOX.contains(lat, lon):
        raise Invalid("outside China", f"{lat},{lon}")
    twentyfourseven, hours = _hours(f.obj(d, "opening_times"))
    green, sources = _energy_mix(f.obj(d, "energy_mix"))
    evses = []
    for e in f.items(d, "evses"):
        try:
            evses.append(parse_evse(e, notes))
        except Invalid as exc:
            if exc.reason != "no known connector":
                raise
            if notes is not None:
                notes.append(exc)
    return Location(
        id=loc_id,
        party_id=str(party),
        name=f.string(d, "name", 255, required=True),
        address=f.string(d, "address", 45),
        city=f.string(d, "city", 45),
        lat=lat,
        lon=lon,
        evses=tuple(evses),
        last_updated=f.date_time(d, "last_updated"),
        name_en=f.string(d, "x_name_en", 255),
        city_en=f.string(d, "x_city_en", 45),
        postal_code=f.string(d, "postal_code", 10),
        country_code=f.ci_string(d, "country_code", 2, required=False) or "CN",
        twentyfourseven=twentyfourseven,
        regular_hours=hours,
        is_green_energy=green,
        energy_sources=sources,
        time_zone=f.string(d, "time_zone", 255) or "Asia/Shanghai",
        facilities=_facilities(f.items(d, "facilities"), loc_id, notes),
        carriageway_bearing_deg=_carriageway(d),
    )


def _carriageway(d: dict[str, Any]) -> float | None:
    """Which carriageway a motorway service area serves: our extension ``x_carriageway_bearing_deg``
    (OCPI 2.2.1 has ``parking_type: ALONG_MOTORWAY`` but no side of the road; docs/data.md)."""
    v = d.get("x_carriageway_bearing_deg")
    if v is None:
        return None
    if not f.is_finite_number(v) or not 0 <= v < 360:
        raise Invalid("bad carriageway", f.shown(v))
    return float(v)


def published(d: Any) -> bool:
    """OCPI's ``publish`` flag: a Location marked ``false`` may not be shown in an app."""
    return not (isinstance(d, dict) and d.get("publish") is False)


def parse_tariff(d: Any) -> Tariff:
    """One OCPI Tariff; its ENERGY price components become time-of-use windows (the service fee
    travels in the extension field ``x_service_fee``)."""
    if not isinstance(d, dict):
        raise Invalid("bad tariff", f.shown(d))
    tid = f.ci_string(d, "id", 36, missing="missing tariff id")
    currency = f.string(d, "currency", 3) or "CNY"
    if not currency.isascii() or not currency.isalpha() or not currency.isupper() or len(currency) != 3:
        raise Invalid("bad currency", currency)
    windows = []
    for el in f.items(d, "elements", required=True):
        if type(el) is not dict:
            raise Invalid("bad tariff element", f.shown(el))
        energy = None
        for p in f.items(el, "price_components", required=True):
            if type(p) is not dict:
                raise Invalid("bad price component", f.shown(p))
            kind = f.enum(p, "type", TARIFF_DIMENSIONS)
            price = f.number(p, "price", 0.0, f.MAX_PRICE_PER_KWH)
            f.number(p, "vat", 0.0, 100.0, default=0.0)
            f.integer(p, "step_size", 0, 2**31 - 1, default=1)
            if kind == "ENERGY" and energy is None:
                energy = price
        if energy is None:
            continue
        service = f.number(el, "x_service_fee", 0.0, energy, default=0.0)
        r = f.obj(el, "restrictions") or {}
        windows.append(
            TariffWindow(
                start=f.hhmm(r, "start_time", default="00:00"),
                end=f.hhmm(r, "end_time", default="00:00", end=True),
                energy_cny_per_kwh=round(energy - service, 4),
                service_cny_per_kwh=service,
                days=_days(r, tid),
            )
        )
    if not windows:
        raise Invalid("tariff without energy price", tid)
    return Tariff(
        id=tid,
        party_id=f.ci_string(d, "party_id", 3, required=False),
        currency=currency,
        windows=tuple(windows),
        last_updated=f.date_time(d, "last_updated"),
    )


#: OCPI 2.2.1 DayOfWeek values, in ISO order (Monday = 1).
DAYS_OF_WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _days(restrictions: Any, tariff_id: str) -> tuple[int, ...]:
    """A tariff element's ``day_of_week`` restriction as ISO weekdays (empty: every day)."""
    days = restrictions.get("day_of_week") if isinstance(restrictions, dict) else None
    if not days:
        return ()
    if not isinstance(days, list) or any(d not in DAYS_OF_WEEK for d in days):
        raise Invalid("bad tariff restriction", f"{tariff_id}: day_of_week {f.shown(days)}")
    return tuple(sorted({DAYS_OF_WEEK.index(d) + 1 for d in days}))


# ---------------------------------------------------------------- serialising


def location_to_ocpi(loc: Location) -> dict[str, Any]:
    opening: dict[str, Any] = {"twentyfourseven": loc.twentyfourseven}
    if loc.regular_hours:
        opening["regular_hours"] = [
            {"weekday": h.weekday, "period_begin": h.period_begin, "period_end": h.period_end}
            for h in loc.regular_hours
        ]
    out: dict[str, Any] = {
        "country_code": loc.country_code,
        "party_id": loc.party_id,
        "id": loc.id,
        "publish": True,
        "name": loc.name,
        "address": loc.address,
        "city": loc.city,
        "postal_code": loc.postal_code,
        "country": "CHN",
        "coordinates": {"latitude": f"{loc.lat:.6f}", "longitude": f"{loc.lon:.6f}"},
        "operator": {"name": loc.network},
        "evses": [evse_to_ocpi(e) for e in loc.evses],
        "opening_times": opening,
        "energy_mix": {
            "is_green_energy": loc.is_green_energy,
            "energy_sources": [{"source": s, "percentage": p} for s, p in loc.energy_sources],
        },
        "time_zone": loc.time_zone,
        "facilities": list(loc.facilities),
        "last_updated": loc.last_updated,
        "x_name_en": loc.name_en,
        "x_city_en": loc.city_en,
    }
    if loc.carriageway_bearing_deg is not None:
        out["parking_type"] = "ALONG_MOTORWAY"
        out["x_carriageway_bearing_deg"] = loc.carriageway_bearing_deg
    return out


def evse_to_ocpi(e: Evse) -> dict[str, Any]:
    return {
        "uid": e.uid,
        "evse_id": e.evse_id,
        "status": e.status,
        "last_updated": e.last_updated,
        "connectors": [
            {
                "id": c.id,
                "standard": c.standard,
                "format": c.format,
                "power_type": c.power_type,
                "max_voltage": c.max_voltage,
                "max_amperage": c.max_amperage,
                "max_electric_power": c.max_electric_power_w,
                "tariff_ids": list(c.tariff_ids),
                "last_updated": c.last_updated,
            }
            for c in e.connectors
        ],
    }


def tariff_to_ocpi(t: Tariff) -> dict[str, Any]:
    return {
        "country_code": "CN",
        "party_id": t.party_id,
        "id": t.id,
        "currency": t.currency,
        "type": "REGULAR",
        "elements": [
            {
                "price_components": [{"type": "ENERGY", "price": w.total_cny_per_kwh, "vat": 0.0, "step_size": 1}],
                "restrictions": {
                    "start_time": w.start,
                    "end_time": w.end,
                    **({"day_of_week": [DAYS_OF_WEEK[d - 1] for d in w.days]} if w.days else {}),
                },
                "x_service_fee": w.service_cny_per_kwh,
            }
            for w in t.windows
        ],
        "last_updated": t.last_updated,
    }


# ---------------------------------------------------------------- reading feeds


@dataclass
class Feed:
    """What one or more feed files hold, after validation. ``unreadable`` names the files that
    could not be read at all (their partner's records are all missing, not just some)."""

    locations: list[Location] = field(default_factory=list)
    tariffs: list[Tariff] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def extend(self, other: Feed) -> None:
        self.locations.extend(other.locations)
        self.tariffs.extend(other.tariffs)
        self.rejections.extend(other.rejections)
        self.unreadable.extend(other.unreadable)

    def checked(self) -> Feed:
        """This feed with the dataset-wide rules applied (``chargers.dataset``)."""
        locations, tariffs, rejections = check_dataset(self.locations, self.tariffs)
        return Feed(locations, tariffs, [*self.rejections, *rejections], list(self.unreadable))


def feed_files(path: Path) -> list[Path]:
    """A feed file, or every feed file in a directory (sorted, so imports are deterministic)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(FEED_SUFFIXES))
    if not path.exists():
        raise FeedError(f"no such feed: {path}")
    return [path]


def _open_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise FeedError(f"{path}: broken gzip: {exc}") from exc
    return raw


def _party(rec: Any, source: str) -> str:
    party = rec.get("party_id") if isinstance(rec, dict) else None
    return f.printable(party[:3]) if isinstance(party, str) and party else source


def _record_id(rec: Any) -> str:
    """The record's id as far as it has one, fit for a log line (control characters become ``?``)."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    return f.printable(rid[:60]) if isinstance(rid, str) and rid else "?"


def validate(records: Iterable[Any], tariffs: Iterable[Any] = (), source: str = "") -> Feed:
    """Parse raw OCPI dicts; bad ones become rejections (each naming its partner, or ``source``
    when it names none), the dataset-wide rules are applied (``chargers.dataset``), and locations
    marked ``publish: false`` are left out as OCPI asks."""
    return _validate(records, tariffs, source).checked()


def _validate(records: Iterable[Any], tariffs: Iterable[Any], source: str) -> Feed:
    feed = Feed()
    for rec in records:
        partner = _party(rec, source)
        notes: list[Invalid] = []
        try:
            loc = parse_location(rec, notes)
        except Invalid as exc:
            feed.rejections.append(Rejection(exc.reason, _record_id(rec), exc.detail, partner))
            continue
        feed.rejections.extend(Rejection(n.reason, loc.id, n.detail, partner) for n in notes)
        if published(rec):
            feed.locations.append(loc)
        else:
            feed.rejections.append(Rejection("not published", loc.id, "publish: false", partner))
    for rec in tariffs:
        try:
            feed.tariffs.append(parse_tariff(rec))
        except Invalid as exc:
            feed.rejections.append(Rejection(exc.reason, _record_id(rec), exc.detail, _party(rec, source)))
    return feed


def _loads(raw: bytes) -> Any:
    """JSON with orjson; a document it refuses is tried once more with the standard library,
    which also reads the ``NaN`` and ``Infinity`` literals Python's own ``json.dumps`` writes: one
    such number must cost its record (the field rules refuse it), not the partner's whole file."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)  # raises ValueError if it is not JSON after all


def _json_lines(raw: bytes, path: Path) -> Iterator[tuple[Any, Rejection | None]]:
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield _loads(line), None
        except (ValueError, RecursionError) as exc:
            yield None, Rejection("broken JSON", f"{path.name}:{n}", str(exc)[:200], path.name)


def read_feed_file(path: Path) -> Feed:
    """One feed file. A file that cannot be read at all yields one rejection, not an exception,
    so that the other feeds of an import still go in."""
    return _read_file(path).checked()


def _read_file(path: Path) -> Feed:
    """One feed file, each record checked on its own (the dataset-wide rules come after)."""
    try:
        raw = _open_bytes(path)
    except FeedError as exc:
        return Feed(rejections=[Rejection("unreadable file", path.name, str(exc), path.name)], unreadable=[path.name])
    if path.name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        records, tariffs, bad = [], [], []
        for obj, rej in _json_lines(raw, path):
            if rej:
                bad.append(rej)
            elif isinstance(obj, dict) and "elements" in obj and "currency" in obj:
                tariffs.append(obj)
            else:
                records.append(obj)
        feed = _validate(records, tariffs, path.name)
        feed.rejections[:0] = bad
        return feed
    try:
        doc = _loads(raw)  # also rejects invalid UTF-8
    except (ValueError, RecursionError) as exc:
        return Feed(rejections=[Rejection("broken JSON", path.name, str(exc)[:200], path.name)], unreadable=[path.name])
    if isinstance(doc, list):
        return _validate(doc, (), path.name)
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        tariffs = doc.get("tariffs") or []
        return _validate(doc["data"], tariffs if isinstance(tariffs, list) else [], path.name)
    return Feed(
        rejections=[Rejection("not an OCPI feed", path.name, 'expected a list or {"data": [...]}', path.name)],
        unreadable=[path.name],
    )


def read_feeds(paths: Iterable[Path | str]) -> Feed:
    """Every feed under ``paths``, validated record by record and then as one dataset."""
    feed = Feed()
    for p in paths:
        for file in feed_files(Path(p)):
            feed.extend(_read_file(file))
    return feed.checked()


def dump_feed(locations: Iterable[Location], tariffs: Iterable[Tariff], *, timestamp: str) -> dict[str, Any]:
    """An OCPI Locations response envelope carrying the partner's tariffs alongside."""
    return {
        "data": [location_to_ocpi(loc) for loc in locations],
        "tariffs": [tariff_to_ocpi(t) for t in tariffs],
        "status_code": 1000,
        "status_message": "Success",
        "timestamp": timestamp,
    }
