"""The OCPI 2.2.1 field rules and the dataset rules, from the specification's tables (module
Locations §8.3, Tariffs §11.3, types §16): each rule has a record that breaks it and must be
refused with its reason while the good records around it go through. The records are our own,
shaped as the spec's examples are (a location with the fields we ignore too, a time-of-use tariff).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from chargers.models import CONNECTOR_STANDARDS, MAX_RECORD_BYTES, rejections_by_partner
from chargers.ocpi import parse_location, parse_tariff, read_feed_file, read_feeds
from chargers.store import ChargerStore


def location(loc_id: str = "SH-HQ-01", party: str = "NIO", uid_prefix: str = "") -> dict[str, Any]:
    """A location as a partner sends it, with OCPI fields the car does not keep (parking_type,
    operator, images, directions, related_locations, capabilities) left in."""
    p = uid_prefix or loc_id
    return {
        "country_code": "CN",
        "party_id": party,
        "id": loc_id,
        "publish": True,
        "name": "蔚来换电站（虹桥枢纽）",
        "address": "申长路688号",
        "city": "上海",
        "postal_code": "201107",
        "country": "CHN",
        "coordinates": {"latitude": "31.194250", "longitude": "121.320940"},
        "related_locations": [{"latitude": "31.194300", "longitude": "121.321000", "name": {"language": "zh"}}],
        "parking_type": "PARKING_GARAGE",
        "operator": {"name": "NIO Power"},
        "images": [{"url": "https://example.invalid/a.png", "category": "CHARGER", "type": "png"}],
        "evses": [
            {
                "uid": f"{p}-1",
                "evse_id": "CN*NIO*E0001*1",
                "status": "AVAILABLE",
                "capabilities": ["REMOTE_START_STOP_CAPABLE"],
                "floor_level": "-2",
                "connectors": [
                    {
                        "id": "1",
                        "standard": "GBT_DC",
                        "format": "CABLE",
                        "power_type": "DC",
                        "max_voltage": 1000,
                        "max_amperage": 250,
                        "max_electric_power": 250000,
                        "tariff_ids": ["NIO-T1"],
                        "last_updated": "2026-11-01T08:00:00Z",
                    }
                ],
                "last_updated": "2026-11-01T08:00:00Z",
            },
            {
                "uid": f"{p}-2",
                "status": "CHARGING",
                "connectors": [
                    {
                        "id": "1",
                        "standard": "GBT_AC",
                        "format": "SOCKET",
                        "power_type": "AC_1_PHASE",
                        "max_voltage": 220,
                        "max_amperage": 32,
                        "last_updated": "2026-11-01T08:00:00Z",
                    }
                ],
                "last_updated": "2026-11-01T08:05:00Z",
            },
        ],
        "opening_times": {
            "twentyfourseven": False,
            "regular_hours": [{"weekday": d, "period_begin": "06:00", "period_end": "24:00"} for d in range(1, 8)],
        },
        "energy_mix": {
            "is_green_energy": False,
            "energy_sources": [{"source": "COAL", "percentage": 60.5}, {"source": "SOLAR", "percentage": 39.5}],
        },
        "facilities": ["PARKING_LOT", "CAFE"],
        "time_zone": "Asia/Shanghai",
        "last_updated": "2026-11-01T08:05:00Z",
    }


def tariff(tid: str = "NIO-T1") -> dict[str, Any]:
    """A time-of-use tariff: energy price per window (service fee in ``x_service_fee``), a
    parking-time component that the car does not keep."""
    return {
        "country_code": "CN",
        "party_id": "NIO",
        "id": tid,
        "currency": "CNY",
        "type": "REGULAR",
        "elements": [
            {
                "price_components": [
                    {"type": "ENERGY", "price": 1.55, "vat": 6.0, "step_size": 1},
                    {"type": "PARKING_TIME", "price": 5.0, "step_size": 900},
                ],
                "restrictions": {"start_time": "08:00", "end_time": "22:00"},
                "x_service_fee": 0.8,
            },
            {
                "price_components": [{"type": "ENERGY", "price": 0.95, "step_size": 1}],
                "restrictions": {"start_time": "22:00", "end_time": "08:00"},
                "x_service_fee": 0.4,
            },
        ],
        "last_updated": "2026-10-01T00:00:00Z",
    }


def test_the_spec_shaped_records_parse() -> None:
    loc = parse_location(location())
    assert (loc.lat, loc.lon) == (31.19425, 121.32094)
    assert [e.uid for e in loc.evses] == ["SH-HQ-01-1", "SH-HQ-01-2"]
    assert loc.evses[1].connectors[0].max_electric_power_w == 220 * 32  # OCPI: volts × amps when absent
    assert loc.regular_hours[0].period_end == "24:00" and not loc.twentyfourseven
    assert loc.facilities == ("PARKING_LOT", "CAFE")
    t = parse_tariff(tariff())
    assert [(w.start, w.end, w.total_cny_per_kwh) for w in t.windows] == [
        ("08:00", "22:00", 1.55),
        ("22:00", "08:00", 0.95),
    ]


def _set(path: tuple, value: Any):
    def mutate(d: dict) -> None:
        target = d
        for k in path[:-1]:
            target = target[k]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


E0, C0 = ("evses", 0), ("evses", 0, "connectors", 0)
LOCATION_RULES = [
    # CiString(36) ids: printable ASCII, at most 36 characters
    (("id",), "X" * 37, "bad id"),
    (("id",), "站1", "bad id"),
    (("id",), "A\x00B", "bad id"),
    (("id",), 17, "bad id"),
    (("party_id",), 5, "unknown network"),
    # string(n): printable UTF-8 within its length
    (("name",), "蔚" * 256, "bad name"),
    (("name",), "NIO\x00", "bad name"),
    (("name",), "two\nlines", "bad name"),
    (("name",), 5, "bad name"),
    (("address",), "路" * 46, "bad address"),
    (("city",), "市" * 46, "bad city"),
    (("postal_code",), "12345678901", "bad postal_code"),
    (("time_zone",), ["Asia/Shanghai"], "bad time_zone"),
    # GeoLocation: strings (latitude string(10), longitude string(11)), decimal degrees
    (("coordinates", "latitude"), 31.19425, "bad coordinates"),
    (("coordinates", "latitude"), "31.1942501234", "bad coordinates"),
    (("coordinates", "longitude"), "NaN", "bad coordinates"),
    (("coordinates", "longitude"), "1e2", "bad coordinates"),
    # Hours and RegularHours
    (("opening_times", "regular_hours"), 5, "bad regular_hours"),
    (("opening_times", "regular_hours", 0, "weekday"), 8, "bad weekday"),
    (("opening_times", "regular_hours", 0, "period_begin"), "6:00", "bad period_begin"),
    (("opening_times", "regular_hours", 0, "period_begin"), "24:00", "bad period_begin"),
    (("opening_times", "twentyfourseven"), "yes", "bad twentyfourseven"),
    (("opening_times",), [], "bad opening_times"),
    # EnergyMix
    (("energy_mix", "energy_sources", 0, "percentage"), 120, "bad percentage"),
    (("energy_mix", "energy_sources", 0, "source"), "PEAT", "unknown source"),
    (("energy_mix", "is_green_energy"), "true", "bad is_green_energy"),
    # EVSE
    (("evses",), {}, "bad evses"),
    ((*E0, "uid"), "U" * 37, "bad uid"),
    ((*E0, "uid"), KeyError, "missing evse uid"),
    ((*E0, "evse_id"), "E" * 49, "bad evse_id"),
    ((*E0, "status"), "available", "unknown status"),
    ((*E0, "connectors"), [], "evse without connectors"),
    ((*E0, "last_updated"), "2026-11-01 08:00", "bad last_updated"),
    # Connector
    ((*C0, "power_type"), KeyError, "missing power_type"),
    ((*C0, "power_type"), "DC_9000", "unknown power_type"),
    ((*C0, "format"), "PLUG", "unknown format"),
    ((*C0, "max_voltage"), 400.5, "bad max_voltage"),
    ((*C0, "max_voltage"), "400", "bad max_voltage"),
    ((*C0, "max_amperage"), 10**9, "bad max_amperage"),
    ((*C0, "max_electric_power"), -1, "bad max_electric_power"),
    ((*C0, "tariff_ids"), "NIO-T1", "bad tariff_ids"),
    ((*C0, "tariff_ids"), ["T" * 37], "bad tariff_ids"),
    ((*C0, "last_updated"), "2026-11-01T08:00:00.000000000000Z", "bad last_updated"),
    ((*C0, "id"), KeyError, "missing connector id"),
    # DateTime: RFC 3339, UTC
    (("last_updated",), "yesterday", "bad last_updated"),
    (("last_updated",), "2026-13-01T00:00:00Z", "bad last_updated"),
    (("last_updated",), "2026-11-01T08:00:00+08:00", "bad last_updated"),
]


@pytest.mark.parametrize(
    "path,value,reason", LOCATION_RULES, ids=[f"{'.'.join(map(str, p))}={v!r:.20}" for p, v, _ in LOCATION_RULES]
)
def test_each_location_rule_refuses_its_record_and_keeps_the_others(tmp_path: Path, path, value, reason) -> None:
    bad = location("BAD")
    _set(path, value)(bad)
    feed_file = tmp_path / "nio.json"
    feed_file.write_text(json.dumps({"data": [location("GOOD-1"), bad, location("GOOD-2")], "tariffs": [tariff()]}))
    feed = read_feed_file(feed_file)
    (r,) = feed.rejections
    assert r.reason == reason
    # the rejection names the record and its partner, as far as the record itself says them
    assert r.record_id == (
        {"X" * 37: "X" * 37, "站1": "站1", "A\x00B": "A?B", 17: "?"}[value] if path == ("id",) else "BAD"
    )
    assert r.partner == ("nio.json" if path == ("party_id",) else "NIO")
    assert [loc.id for loc in feed.locations] == ["GOOD-1", "GOOD-2"]


TARIFF_RULES = [
    (("elements", 0, "price_components", 0, "price"), "NaN", "bad price"),
    (("elements", 0, "price_components", 0, "price"), float("nan"), "bad price"),  # a NaN literal in the file
    (("elements", 0, "price_components", 0, "price"), float("inf"), "bad price"),
    (("elements", 0, "price_components", 0, "price"), "abc", "bad price"),
    (("elements", 0, "price_components", 0, "price"), -0.5, "bad price"),
    (("elements", 0, "price_components", 0, "price"), 1e6, "bad price"),
    (("elements", 0, "price_components", 0, "vat"), float("-inf"), "bad vat"),
    (("elements", 0, "price_components", 0, "type"), "KWH", "unknown type"),
    (("elements", 0, "price_components", 0, "step_size"), 1.5, "bad step_size"),
    (("elements", 0, "x_service_fee"), 2.0, "bad x_service_fee"),  # a fee above the price
    (("elements", 0, "restrictions", "start_time"), "25:00", "bad start_time"),
    (("elements", 0, "restrictions"), "always", "bad restrictions"),
    (("elements",), 5, "bad elements"),
    (("elements",), KeyError, "missing elements"),
    (("currency",), "cny", "bad currency"),
    (("id",), "T" * 37, "bad id"),
    (("last_updated",), KeyError, "missing last_updated"),
]


@pytest.mark.parametrize(
    "path,value,reason", TARIFF_RULES, ids=[f"{'.'.join(map(str, p))}={v!r:.20}" for p, v, _ in TARIFF_RULES]
)
def test_each_tariff_rule_refuses_its_tariff_and_keeps_the_others(tmp_path: Path, path, value, reason) -> None:
    bad = tariff("NIO-BAD")
    _set(path, value)(bad)
    feed_file = tmp_path / "nio.json"
    feed_file.write_text(json.dumps({"data": [location()], "tariffs": [tariff("NIO-T0"), bad, tariff("NIO-T1")]}))
    feed = read_feed_file(feed_file)
    assert [(r.reason, r.record_id) for r in feed.rejections] == [(reason, "T" * 37 if path == ("id",) else "NIO-BAD")]
    assert [t.id for t in feed.tariffs] == ["NIO-T0", "NIO-T1"] and len(feed.locations) == 1


def test_every_ocpi_connector_standard_is_accepted() -> None:
    assert len(CONNECTOR_STANDARDS) == 37  # OCPI 2.2.1 ConnectorType
    d = location()
    d["evses"] = []
    for i, standard in enumerate(sorted(CONNECTOR_STANDARDS)):
        e = copy.deepcopy(location()["evses"][0])
        e["uid"] = f"E{i}"
        e["connectors"][0]["standard"] = standard
        d["evses"].append(e)
    loc = parse_location(d)
    assert sorted(e.connectors[0].standard for e in loc.evses) == sorted(CONNECTOR_STANDARDS)


def test_an_unknown_connector_costs_the_connector_not_the_location(tmp_path: Path) -> None:
    d = location()
    first = d["evses"][0]
    extra = dict(first["connectors"][0], id="2", standard="MAGIC_PLUG")
    first["connectors"].append(extra)
    d["evses"][1]["connectors"][0]["standard"] = "IEC_62196_T4"  # this EVSE's only connector
    d["facilities"].append("SPACEPORT")
    (tmp_path / "f.json").write_text(json.dumps([d]))
    feed = read_feeds([tmp_path / "f.json"])
    (loc,) = feed.locations
    assert [e.uid for e in loc.evses] == ["SH-HQ-01-1"] and len(loc.evses[0].connectors) == 1
    assert loc.facilities == ("PARKING_LOT", "CAFE")
    assert [r.reason for r in feed.rejections] == [
        "unknown connector",
        "unknown connector",
        "no known connector",
        "unknown facility",
    ]


def test_publish_false_is_honoured(tmp_path: Path) -> None:
    hidden = location("HIDDEN")
    hidden["publish"] = False
    (tmp_path / "f.json").write_text(json.dumps([location("SHOWN"), hidden]))
    feed = read_feeds([tmp_path / "f.json"])
    assert [loc.id for loc in feed.locations] == ["SHOWN"]
    assert [(r.reason, r.record_id) for r in feed.rejections] == [("not published", "HIDDEN")]


def test_duplicate_evse_uids_across_and_within_partners(tmp_path: Path) -> None:
    nio = location("NIO-1", "NIO", uid_prefix="SHARED")
    twice = location("NIO-2", "NIO", uid_prefix="N2")
    twice["evses"].append(copy.deepcopy(twice["evses"][0]))  # the same uid twice in one location
    xpeng = location("XPG-1", "XPG", uid_prefix="SHARED")  # Xpeng's feed names NIO's uids
    xpeng["evses"].append(dict(copy.deepcopy(xpeng["evses"][0]), uid="XPG-OWN"))
    (tmp_path / "nio.json").write_text(json.dumps([nio, twice]))
    (tmp_path / "xpeng.json").write_text(json.dumps([xpeng]))
    feed = read_feeds([tmp_path])
    by_id = {loc.id: loc for loc in feed.locations}
    assert [e.uid for e in by_id["NIO-1"].evses] == ["SHARED-1", "SHARED-2"]
    assert [e.uid for e in by_id["NIO-2"].evses] == ["N2-1", "N2-2"]
    assert [e.uid for e in by_id["XPG-1"].evses] == ["XPG-OWN"]
    uids = [e.uid for loc in feed.locations for e in loc.evses]
    assert len(uids) == len(set(uids))
    assert rejections_by_partner(feed.rejections) == {
        "NIO": {"duplicate evse uid": 1},
        "XPG": {"duplicate evse uid": 2},
    }


def test_a_location_id_taken_by_another_partner_is_refused_and_a_repeat_within_one_updates(tmp_path: Path) -> None:
    first, update = location("SAME", "NIO"), location("SAME", "NIO")
    update["name"] = "蔚来换电站（改）"
    other = location("SAME", "LIA", uid_prefix="L")
    (tmp_path / "a.json").write_text(json.dumps([first, update]))
    (tmp_path / "b.json").write_text(json.dumps([other]))
    feed = read_feeds([tmp_path])
    assert [(loc.id, loc.party_id, loc.name) for loc in feed.locations] == [("SAME", "NIO", "蔚来换电站（改）")]
    assert [(r.reason, r.partner) for r in feed.rejections] == [("duplicate id", "NIO"), ("duplicate id", "LIA")]


def test_a_record_too_large_for_a_car_is_refused(tmp_path: Path) -> None:
    huge = location("HUGE")
    e = huge["evses"][0]
    huge["evses"] = [dict(copy.deepcopy(e), uid=f"HUGE-{i:05d}", evse_id=f"CN*NIO*E{i:010d}*1") for i in range(4000)]
    for ev in huge["evses"]:
        ev["connectors"][0]["tariff_ids"] = [f"NIO-T{j}" for j in range(8)]
    (tmp_path / "f.json").write_text(json.dumps([location("OK"), huge]))
    feed = read_feeds([tmp_path / "f.json"])
    assert [loc.id for loc in feed.locations] == ["OK"]
    (r,) = feed.rejections
    assert r.reason == "record too large" and r.record_id == "HUGE" and f"at most {MAX_RECORD_BYTES}" in r.detail


def test_a_nan_literal_costs_one_record_not_the_file(tmp_path: Path) -> None:
    bad = tariff("NIO-NAN")
    bad["elements"][0]["price_components"][0]["price"] = float("nan")
    p = tmp_path / "nio.json"
    p.write_text(json.dumps({"data": [location()], "tariffs": [tariff(), bad]}))  # writes a bare NaN
    assert "NaN" in p.read_text()
    feed = read_feeds([p])
    assert [t.id for t in feed.tariffs] == ["NIO-T1"] and len(feed.locations) == 1
    assert [(r.reason, r.record_id) for r in feed.rejections] == [("bad price", "NIO-NAN")]


def test_cache_import_leaves_out_an_evse_another_location_holds(tmp_path: Path) -> None:
    with ChargerStore.open(tmp_path / "c.db", seed=False) as store:
        (tmp_path / "a.json").write_text(json.dumps([location("A", uid_prefix="U")]))
        store.import_feeds([tmp_path / "a.json"])
        b = location("B", uid_prefix="U")  # later, another location claims A's EVSE uids
        b["evses"].append(dict(copy.deepcopy(b["evses"][0]), uid="B-OWN"))
        (tmp_path / "b.json").write_text(json.dumps([b, location("C")]))
        report = store.import_feeds([tmp_path / "b.json"])
        assert report.locations == 2 and report.rejected_by_reason() == {"duplicate evse uid": 2}
        assert [e.uid for e in store.location("B").evses] == ["B-OWN"]
        assert [e.uid for e in store.location("A").evses] == ["U-1", "U-2"]
        assert store.stats()["locations"] == 3
