"""OCPI 2.2.1 JSON ⇄ ``chargers.models``, with validation that rejects a record and says why.

Reads what partners send: a Locations response envelope (``{"data": [...]}``), a bare list of
Locations, or JSON Lines (one Location per line, so one broken line costs one record); Tariffs ride
along under ``"tariffs"``. Files may be gzip-compressed; a directory means every feed in it.
Extension fields that OCPI lacks are prefixed ``x_`` (English names, the tariff's service fee),
which OCPI parties ignore.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chargers.errors import FeedError
from chargers.models import (
    CONNECTOR_FORMATS,
    CONNECTOR_STANDARDS,
    PARTY_TO_NETWORK,
    POWER_TYPES,
    STATUSES,
    Connector,
    Evse,
    Location,
    RegularHours,
    Rejection,
    Tariff,
    TariffWindow,
)
from geo.geometry import CHINA_BBOX

FEED_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


class Invalid(Exception):
    """Internal: a record is rejected; ``reason`` is the short kind, ``detail`` the specifics."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# ---------------------------------------------------------------- parsing


def _str(d: dict[str, Any], key: str, *, required: bool = True, reason: str | None = None) -> str:
    v = d.get(key)
    if v is None or v == "":
        if required:
            raise Invalid(reason or f"missing {key}")
        return ""
    if not isinstance(v, str):
        raise Invalid(reason or f"bad {key}", repr(v)[:60])
    return v


def _int(d: dict[str, Any], key: str, default: int | None = None) -> int:
    v = d.get(key, default)
    if type(v) is int and v >= 0:
        return v
    if type(v) is not float or not math.isfinite(v) or v < 0:
        raise Invalid(f"bad {key}", repr(v)[:60])
    return int(v)


def parse_connector(d: Any) -> Connector:
    # The hot path of an import (one call per charger): checks are inlined, messages as in _str.
    if type(d) is not dict:
        raise Invalid("bad connector", repr(d)[:60])
    get = d.get
    standard = get("standard")
    if standard not in CONNECTOR_STANDARDS:
        raise Invalid("unknown connector" if standard else "missing standard", str(standard))
    power_type = get("power_type")
    if power_type not in POWER_TYPES:
        raise Invalid("unknown power type" if power_type else "missing power_type", str(power_type))
    fmt = get("format") or "CABLE"
    if fmt not in CONNECTOR_FORMATS:
        raise Invalid("unknown connector format", str(fmt))
    volts, amps = _int(d, "max_voltage"), _int(d, "max_amperage")
    power_w = _int(d, "max_electric_power", volts * amps)
    tariff_ids = get("tariff_ids") or []
    if type(tariff_ids) is not list or not all(type(t) is str for t in tariff_ids):
        raise Invalid("bad tariff_ids")
    cid = get("id")
    if not cid or type(cid) is not str:
        raise Invalid("missing connector id")
    updated = get("last_updated") or ""
    if type(updated) is not str:
        raise Invalid("bad last_updated", repr(updated)[:60])
    return Connector(cid, standard, fmt, power_type, volts, amps, power_w, tuple(tariff_ids), updated)


def parse_evse(d: Any) -> Evse:
    if type(d) is not dict:
        raise Invalid("bad evse", repr(d)[:60])
    get = d.get
    status = get("status")
    if status not in STATUSES:
        raise Invalid("unknown status", str(status))
    connectors = get("connectors")
    if type(connectors) is not list or not connectors:
        raise Invalid("evse without connectors", str(get("uid")))
    uid = get("uid")
    if not uid or type(uid) is not str:
        raise Invalid("missing evse uid")
    evse_id, updated = get("evse_id") or "", get("last_updated") or ""
    if type(evse_id) is not str or type(updated) is not str:
        raise Invalid("bad evse", uid)
    return Evse(uid, status, tuple(parse_connector(c) for c in connectors), evse_id, updated)


def _coordinate(coords: Any, key: str) -> float:
    v = coords.get(key) if isinstance(coords, dict) else None
    try:
        f = float(v)  # type: ignore[arg-type]  # OCPI writes them as strings; accept numbers too (None: the except)
    except (TypeError, ValueError) as exc:
        raise Invalid("bad coordinates", repr(v)[:60]) from exc
    if not math.isfinite(f):
        raise Invalid("bad coordinates", repr(v)[:60])
    return f


def parse_location(d: Any) -> Location:
    """One OCPI Location, or :class:`Invalid` saying why not."""
    if not isinstance(d, dict):
        raise Invalid("not an object", repr(d)[:60])
    loc_id = _str(d, "id", reason="missing id")
    party = _str(d, "party_id", reason="unknown network")
    if party not in PARTY_TO_NETWORK:
        raise Invalid("unknown network", party)
    lat = _coordinate(d.get("coordinates"), "latitude")
    lon = _coordinate(d.get("coordinates"), "longitude")
    if not CHINA_BBOX.contains(lat, lon):
        raise Invalid("outside China", f"{lat},{lon}")
    evses = d.get("evses") or []
    if not isinstance(evses, list):
        raise Invalid("bad evses")
    opening = d.get("opening_times") or {"twentyfourseven": True}
    if not isinstance(opening, dict):
        raise Invalid("bad opening_times")
    hours = []
    for h in opening.get("regular_hours") or []:
        if not isinstance(h, dict):
            raise Invalid("bad opening_times")
        wd = _int(h, "weekday")
        if not 1 <= wd <= 7:
            raise Invalid("bad opening_times", f"weekday {wd}")
        hours.append(RegularHours(wd, _str(h, "period_begin"), _str(h, "period_end")))
    mix = d.get("energy_mix") or {}
    if not isinstance(mix, dict):
        raise Invalid("bad energy_mix")
    sources = tuple(
        (str(s.get("source")), float(s.get("percentage", 0)))
        for s in mix.get("energy_sources") or []
        if isinstance(s, dict)
    )
    facilities = d.get("facilities") or []
    return Location(
        id=loc_id,
        party_id=party,
        name=_str(d, "name", reason="missing name"),
        address=_str(d, "address", required=False),
        city=_str(d, "city", required=False),
        lat=lat,
        lon=lon,
        evses=tuple(parse_evse(e) for e in evses),
        last_updated=_str(d, "last_updated"),
        name_en=_str(d, "x_name_en", required=False),
        city_en=_str(d, "x_city_en", required=False),
        postal_code=_str(d, "postal_code", required=False),
        country_code=_str(d, "country_code", required=False) or "CN",
        twentyfourseven=bool(opening.get("twentyfourseven", not hours)),
        regular_hours=tuple(hours),
        is_green_energy=bool(mix.get("is_green_energy", False)),
        energy_sources=sources,
        time_zone=_str(d, "time_zone", required=False) or "Asia/Shanghai",
        facilities=tuple(str(f) for f in facilities) if isinstance(facilities, list) else (),
        carriageway_bearing_deg=_carriageway(d),
    )


def _carriageway(d: dict[str, Any]) -> float | None:
    """Which carriageway a motorway service area serves: our extension ``x_carriageway_bearing_deg``
    (OCPI 2.2.1 has ``parking_type: ALONG_MOTORWAY`` but no side of the road; docs/data.md)."""
    v = d.get("x_carriageway_bearing_deg")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (math.isfinite(v) and 0 <= v < 360):
        raise Invalid("bad carriageway", repr(v)[:60])
    return float(v)


def parse_tariff(d: Any) -> Tariff:
    if not isinstance(d, dict):
        raise Invalid("bad tariff", repr(d)[:60])
    tid = _str(d, "id", reason="missing tariff id")
    windows = []
    for el in d.get("elements") or []:
        if not isinstance(el, dict):
            raise Invalid("bad tariff element")
        energy = [p for p in el.get("price_components") or [] if isinstance(p, dict) and p.get("type") == "ENERGY"]
        if not energy:
            continue
        total = float(energy[0].get("price", 0))
        service = float(el.get("x_service_fee", 0.0))
        r = el.get("restrictions") or {}
        windows.append(
            TariffWindow(
                start=str(r.get("start_time", "00:00")),
                end=str(r.get("end_time", "00:00")),
                energy_cny_per_kwh=round(total - service, 4),
                service_cny_per_kwh=service,
                days=_days(r, tid),
            )
        )
    if not windows:
        raise Invalid("tariff without energy price", tid)
    return Tariff(
        id=tid,
        party_id=_str(d, "party_id", required=False),
        currency=_str(d, "currency", required=False) or "CNY",
        windows=tuple(windows),
        last_updated=_str(d, "last_updated", required=False),
    )


#: OCPI 2.2.1 DayOfWeek values, in ISO order (Monday = 1).
DAYS_OF_WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _days(restrictions: Any, tariff_id: str) -> tuple[int, ...]:
    """A tariff element's ``day_of_week`` restriction as ISO weekdays (empty: every day)."""
    days = restrictions.get("day_of_week") if isinstance(restrictions, dict) else None
    if not days:
        return ()
    if not isinstance(days, list) or any(d not in DAYS_OF_WEEK for d in days):
        raise Invalid("bad tariff restriction", f"{tariff_id}: day_of_week {days!r}"[:80])
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
    """What one or more feed files hold, after validation."""

    locations: list[Location] = field(default_factory=list)
    tariffs: list[Tariff] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def extend(self, other: Feed) -> None:
        self.locations.extend(other.locations)
        self.tariffs.extend(other.tariffs)
        self.rejections.extend(other.rejections)


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


def validate(records: Iterable[Any], tariffs: Iterable[Any] = ()) -> Feed:
    """Parse raw OCPI dicts; bad ones become rejections. Duplicate ids: the last one wins."""
    feed = Feed()
    seen: dict[str, int] = {}
    for rec in records:
        try:
            loc = parse_location(rec)
        except Invalid as exc:
            rid = rec.get("id") if isinstance(rec, dict) else None
            feed.rejections.append(Rejection(exc.reason, str(rid or "?"), exc.detail))
            continue
        if loc.id in seen:
            feed.locations[seen[loc.id]] = loc
            feed.rejections.append(Rejection("duplicate id", loc.id, "the later record was kept"))
        else:
            seen[loc.id] = len(feed.locations)
            feed.locations.append(loc)
    for rec in tariffs:
        try:
            feed.tariffs.append(parse_tariff(rec))
        except Invalid as exc:
            rid = rec.get("id") if isinstance(rec, dict) else None
            feed.rejections.append(Rejection(exc.reason, str(rid or "?"), exc.detail))
    return feed


def _json_lines(raw: bytes, path: Path) -> Iterator[tuple[Any, Rejection | None]]:
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield orjson.loads(line), None
        except orjson.JSONDecodeError as exc:
            yield None, Rejection("broken JSON", f"{path.name}:{n}", str(exc))


def read_feed_file(path: Path) -> Feed:
    """One feed file. A file that cannot be read at all yields one rejection, not an exception,
    so that the other feeds of an import still go in."""
    try:
        raw = _open_bytes(path)
    except FeedError as exc:
        return Feed(rejections=[Rejection("unreadable file", path.name, str(exc))])
    if path.name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        records, tariffs, bad = [], [], []
        for obj, rej in _json_lines(raw, path):
            if rej:
                bad.append(rej)
            elif isinstance(obj, dict) and "elements" in obj and "currency" in obj:
                tariffs.append(obj)
            else:
                records.append(obj)
        feed = validate(records, tariffs)
        feed.rejections[:0] = bad
        return feed
    try:
        doc = orjson.loads(raw)  # also rejects invalid UTF-8
    except orjson.JSONDecodeError as exc:
        return Feed(rejections=[Rejection("broken JSON", path.name, str(exc))])
    if isinstance(doc, list):
        return validate(doc)
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        tariffs = doc.get("tariffs") or []
        return validate(doc["data"], tariffs if isinstance(tariffs, list) else [])
    return Feed(rejections=[Rejection("not an OCPI feed", path.name, 'expected a list or {"data": [...]}')])


def read_feeds(paths: Iterable[Path | str]) -> Feed:
    feed = Feed()
    for p in paths:
        for f in feed_files(Path(p)):
            feed.extend(read_feed_file(f))
    return feed


def dump_feed(locations: Iterable[Location], tariffs: Iterable[Tariff], *, timestamp: str) -> dict[str, Any]:
    """An OCPI Locations response envelope carrying the partner's tariffs alongside."""
    return {
        "data": [location_to_ocpi(loc) for loc in locations],
        "tariffs": [tariff_to_ocpi(t) for t in tariffs],
        "status_code": 1000,
        "status_message": "Success",
        "timestamp": timestamp,
    }
