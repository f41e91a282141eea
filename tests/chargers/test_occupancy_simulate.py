"""The status simulator on real stations of the bundled scale-1 feeds: deterministic, physically
consistent (no EVSE charges two cars or charges while broken), shaped by place and holiday, and
its ground truth gives the exact first-come first-served wait."""

import itertools
from array import array
from collections import Counter
from datetime import date
from functools import cache

import pytest

from chargers.feeds import bundled_feed_paths
from chargers.occupancy import (
    Place,
    StationInfo,
    Window,
    catalog,
    ocpi_changes,
    place_of,
    realised_wait,
    simulate_station,
)
from chargers.occupancy.demand import StationCharacter
from chargers.occupancy.events import STATUS_OF_CODE, parse_instant, unpack
from chargers.occupancy.simulate import StationHistory
from chargers.occupancy.window import hour_table
from chargers.ocpi import read_feeds

WINDOW = Window.local_days(date(2026, 9, 21), 21)  # three weeks around National Day


@cache
def stations() -> dict[str, StationInfo]:
    return catalog(read_feeds(bundled_feed_paths()).locations)


def first(place: Place, min_evses: int = 4) -> StationInfo:
    return next(
        s for s in sorted(stations().values(), key=lambda s: s.id) if s.place is place and s.evse_count >= min_evses
    )


def test_place_is_read_from_the_feeds() -> None:
    counts = Counter(s.place for s in stations().values())
    locations = read_feeds(bundled_feed_paths()).locations
    assert sum(counts.values()) == len(locations) and min(counts.values()) > 100  # every kind is well represented
    assert sum(s.evse_count for s in stations().values()) == 29_000
    assert all(("服务区" in loc.name) == (place_of(loc) is Place.HIGHWAY) for loc in locations)
    assert all(loc.facilities == ("MALL",) for loc in locations if place_of(loc) is Place.DESTINATION)
    assert {s.time_zone for s in stations().values()} == {"Asia/Shanghai"}


def test_same_seed_same_history_other_seed_other_history() -> None:
    info = first(Place.CITY)
    a, b, c = (simulate_station(info, WINDOW, seed=s) for s in (3, 3, 4))
    assert a.changes == b.changes and a.arrival_s == b.arrival_s
    assert a.changes != c.changes


@pytest.mark.parametrize("place", list(Place))
def test_every_evse_tells_a_consistent_story(place: Place) -> None:
    h = simulate_station(first(place), WINDOW, seed=11)
    per_evse: dict[int, list[tuple[int, int]]] = {}
    for v in h.changes:
        t, k, code = unpack(v)
        per_evse.setdefault(k, []).append((t, code))
    assert sorted(per_evse) == list(range(h.info.evse_count))
    for k, seq in per_evse.items():
        assert seq[0] == (0, 0), "a snapshot of every EVSE opens the stream"
        assert all(t1 < t2 for (t1, _), (t2, _) in itertools.pairwise(seq)), "strictly later, once each"
        assert all(c1 != c2 for (_, c1), (_, c2) in itertools.pairwise(seq)), "only changes"
        sessions = sorted((s, r) for s, r, e in zip(h.start_s, h.release_s, h.evse, strict=True) if e == k)
        assert all(r1 <= s2 for (_, r1), (s2, _) in itertools.pairwise(sessions)), "one car at a time"
        for s, r in sessions:
            assert not any(a < r and s < b for a, b in h.outages[k] if b - a > 1), "no charging while broken"
    assert all(s >= a for a, s in zip(h.arrival_s, h.start_s, strict=True))
    assert all(r > s for s, r in zip(h.start_s, h.release_s, strict=True))


def test_the_ocpi_stream_reads_back() -> None:
    h = simulate_station(first(Place.HIGHWAY), WINDOW, seed=1)
    rows = list(ocpi_changes(h))
    assert len(rows) == len(h.changes)
    uid, status, when = rows[-1]
    t, k, code = unpack(h.changes[-1])
    assert uid == h.info.evse_uids[k] and status == STATUS_OF_CODE[code]
    assert parse_instant(when) == WINDOW.start_s + t and when.endswith("Z")
    assert {s for _, s, _ in rows} <= {"AVAILABLE", "CHARGING", "BLOCKED", "OUTOFORDER", "UNKNOWN"}
    middle = WINDOW.seconds // 2
    assert len(list(ocpi_changes(h, middle))) + len(list(ocpi_changes(h, 0, middle))) == len(rows)


def _arrivals_by_hour(h: StationHistory) -> list[int]:
    counts = [0] * WINDOW.hours
    for a in h.arrival_s:
        counts[int(a // 3600)] += 1
    for b in h.balked_s:
        counts[int(b // 3600)] += 1
    return counts


def test_service_areas_surge_on_national_day_and_cities_peak_in_the_evening() -> None:
    table = hour_table("Asia/Shanghai", WINDOW)
    busiest = sorted((s for s in stations().values() if s.place is Place.HIGHWAY), key=lambda s: s.id)[:40]
    holiday, ordinary = 0, 0
    for info in busiest:
        counts = _arrivals_by_hour(simulate_station(info, WINDOW, seed=5))
        for h, n in enumerate(counts):
            day = table.days[h]
            if day.holiday is not None and day.golden_week and 8 <= table.local_hours[h] <= 20:
                holiday += n
            elif day.holiday is None and day.working and 8 <= table.local_hours[h] <= 20:
                ordinary += n
    holiday_days = sum(1 for d in table.days[::24] if d.holiday is not None and d.golden_week)
    working_days = sum(1 for d in table.days[::24] if d.holiday is None and d.working)
    assert holiday / holiday_days > 1.5 * ordinary / working_days
    city = [s for s in sorted(stations().values(), key=lambda s: s.id) if s.place is Place.CITY][:40]
    evening, night = 0, 0
    for info in city:
        counts = _arrivals_by_hour(simulate_station(info, WINDOW, seed=5))
        evening += sum(n for h, n in enumerate(counts) if table.local_hours[h] in (18, 19))
        night += sum(n for h, n in enumerate(counts) if table.local_hours[h] in (4, 5))
    assert evening > 3 * night


def test_closed_stations_get_no_cars() -> None:
    info = next(s for s in stations().values() if s.opening)
    h = simulate_station(info, WINDOW, seed=2)
    table = hour_table(info.time_zone, WINDOW)
    assert h.sessions > 0
    assert all(info.open_at(table.weekdays[int(a // 3600)], table.local_hours[int(a // 3600)]) for a in h.arrival_s)


def _history(n: int, sessions: list[tuple[float, float, float, int]], outages=None) -> StationHistory:  # type: ignore[no-untyped-def]
    info = StationInfo("T", "NIO", Place.CITY, tuple(f"T-{k}" for k in range(n)), max_power_kw=250.0)
    return StationHistory(
        info,
        WINDOW,
        StationCharacter(1.0, (1, 0, 0), 0.5, False),
        array("q"),
        array("d", [s[0] for s in sessions]),
        array("d", [s[1] for s in sessions]),
        array("d", [s[2] for s in sessions]),
        bytes(s[3] for s in sessions),
        array("d"),
        outages or tuple(() for _ in range(n)),
    )


def test_realised_wait_is_first_come_first_served() -> None:
    # One EVSE: car A charges 1000–2000 s, car B arrived at 1100 and waits for it (2000–3000 s).
    h = _history(1, [(1000, 1000, 2000, 0), (1100, 2000, 3000, 0)])
    assert realised_wait(h, 500).wait_s == 0
    assert realised_wait(h, 1050, plug_delay_s=0).wait_s == 950  # only A ahead
    assert realised_wait(h, 1500, plug_delay_s=0).wait_s == 1500  # behind B too
    assert realised_wait(h, 1500).wait_s == 1620  # plus pulling in
    assert realised_wait(h, 3500).wait_s == 0
    # Two EVSEs, the second broken until 2500: the first to free up wins.
    h2 = _history(2, [(1000, 1000, 4000, 0)], ((), ((0.0, 2500.0),)))
    assert realised_wait(h2, 1200, plug_delay_s=0).wait_s == 1300
    down = _history(1, [], (((1000.0, 5000.0),),))
    outcome = realised_wait(down, 2000, plug_delay_s=0)
    assert outcome.station_down and outcome.wait_s == 3000


def test_realised_wait_matches_the_simulated_queue() -> None:
    """A car that really queued in the simulation waited what the hook says (FIFO, same EVSEs)."""
    busy = sorted((s for s in stations().values() if s.place is Place.HIGHWAY), key=lambda s: s.id)[:60]
    checked = 0
    for info in busy:
        h = simulate_station(info, WINDOW, seed=5)
        for i, (a, s) in enumerate(zip(h.arrival_s, h.start_s, strict=True)):
            # Asked just before a car that queued arrived (nobody else in between): the same answer.
            if s - a > 300 and checked < 50 and (i == 0 or h.arrival_s[i - 1] < a - 1e-6):
                got = realised_wait(h, a - 1e-6, plug_delay_s=0).wait_s
                assert abs((a + got) - s) <= 180.0 + 1e-3  # the simulated car also pulled in (1–3 min)
                checked += 1
    assert checked >= 10
