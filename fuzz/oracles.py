"""What a valid charger record is, checked on the way out of a parser (the OCPI rules of ``chargers.ocpi_fields``).

Shared by the OCPI and sync harnesses: a ``Location`` or ``Tariff`` that a parser accepted, or that the store gives
back, must hold only values of its type and range — the schema the car's screen and planner rely on.
"""

from __future__ import annotations

import re

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
from fuzz.harness import expect, expect_finite, expect_in_range

__all__ = ["check_location", "check_tariff"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")


def _text(value: object, what: str, max_len: int, *, empty: bool = True) -> None:
    expect(type(value) is str, f"{what} not a str", type(value).__name__)
    assert isinstance(value, str)
    expect(empty or bool(value), f"{what} empty")
    expect(len(value) <= max_len, f"{what} too long", str(len(value)))
    expect(not _CONTROL.search(value), f"{what} holds a control character")


def check_location(loc: object) -> None:
    """Raise ``Finding`` unless ``loc`` is a Location whose every field is of its type and range."""
    expect(isinstance(loc, Location), "not a Location", type(loc).__name__)
    assert isinstance(loc, Location)
    _text(loc.id, "location id", 36, empty=False)
    expect(loc.party_id in PARTY_TO_NETWORK, "unknown party", repr(loc.party_id)[:40])
    _text(loc.name, "name", 255)
    for what in ("address", "city", "city_en", "postal_code", "last_updated", "time_zone", "name_en"):
        _text(getattr(loc, what), what, 255)
    expect_in_range(loc.lat, -90, 90, "latitude")
    expect_in_range(loc.lon, -180, 180, "longitude")
    expect(type(loc.twentyfourseven) is bool and type(loc.is_green_energy) is bool, "flag not a bool")
    for h in loc.regular_hours:
        expect(type(h.weekday) is int and 1 <= h.weekday <= 7, "weekday", repr(h.weekday)[:20])
        expect(type(h.period_begin) is str and bool(_HHMM.fullmatch(h.period_begin)), "period_begin")
        expect(type(h.period_end) is str and bool(_HHMM.fullmatch(h.period_end)), "period_end")
    for source, share in loc.energy_sources:
        expect(source in ENERGY_SOURCES, "energy source", repr(source)[:30])
        expect_in_range(share, 0, 100, "energy share")
    for facility in loc.facilities:
        expect(type(facility) is str and facility in FACILITIES, "facility", repr(facility)[:30])
    if loc.carriageway_bearing_deg is not None:
        expect_in_range(loc.carriageway_bearing_deg, 0, 359.999999, "carriageway bearing")
    uids = set()
    for e in loc.evses:
        _text(e.uid, "evse uid", 36, empty=False)
        expect(e.uid not in uids, "evse uid repeated in a location")
        uids.add(e.uid)
        expect(e.status in STATUSES, "evse status", repr(e.status)[:30])
        _text(e.evse_id, "evse_id", 48)
        _text(e.last_updated, "evse last_updated", 25)
        ids = set()
        for c in e.connectors:
            _text(c.id, "connector id", 36, empty=False)
            expect(c.id not in ids, "connector id repeated in an EVSE")
            ids.add(c.id)
            expect(c.standard in CONNECTOR_STANDARDS, "connector standard", repr(c.standard)[:30])
            expect(c.format in CONNECTOR_FORMATS, "connector format", repr(c.format)[:30])
            expect(c.power_type in POWER_TYPES, "power type", repr(c.power_type)[:30])
            expect(type(c.max_voltage) is int, "max_voltage not an int")
            expect_in_range(c.max_voltage, 0, f.MAX_VOLTAGE_V, "max_voltage")
            expect(type(c.max_amperage) is int, "max_amperage not an int")
            expect_in_range(c.max_amperage, 0, f.MAX_AMPERAGE_A, "max_amperage")
            expect(type(c.max_electric_power_w) is int, "max_electric_power not an int")
            expect_in_range(c.max_electric_power_w, 0, f.MAX_POWER_W, "max_electric_power")
            for tid in c.tariff_ids:
                _text(tid, "tariff id", 36, empty=False)
    expect_finite(loc.max_power_kw, "max_power_kw")


def check_tariff(t: object) -> None:
    """Raise ``Finding`` unless ``t`` is a Tariff with finite, non-negative, bounded prices and valid windows."""
    expect(isinstance(t, Tariff), "not a Tariff", type(t).__name__)
    assert isinstance(t, Tariff)
    _text(t.id, "tariff id", 36, empty=False)
    _text(t.party_id, "tariff party", 3)
    expect(type(t.currency) is str and len(t.currency) == 3 and t.currency.isascii(), "currency")
    expect(bool(t.windows), "tariff without windows")
    for w in t.windows:
        expect(type(w.start) is str and bool(_HHMM.fullmatch(w.start)), "window start", repr(w.start)[:20])
        expect(type(w.end) is str and bool(_HHMM.fullmatch(w.end)), "window end", repr(w.end)[:20])
        expect_in_range(w.energy_cny_per_kwh, 0, f.MAX_PRICE_PER_KWH, "energy price")
        expect_in_range(w.service_cny_per_kwh, 0, f.MAX_PRICE_PER_KWH, "service fee")
        expect_in_range(w.total_cny_per_kwh, 0, f.MAX_PRICE_PER_KWH, "total price")
        expect(all(type(d) is int and 1 <= d <= 7 for d in w.days), "window days", repr(w.days)[:30])
