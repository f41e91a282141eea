"""The partners' stream and the receiver's view of it: merged in time order; after an outage only
each EVSE's latest change comes back (the OCPI re-pull); declared outages bias no estimate."""

import random
from datetime import date

from chargers.occupancy import (
    OccupancyLearner,
    Place,
    Window,
    after_outages,
    live_stream,
    ocpi_changes,
    receiver_outages,
    simulate_station,
)
from chargers.occupancy.events import unpack
from tests.chargers.test_occupancy_simulate import first, stations

WINDOW = Window.local_days(date(2026, 10, 12), 28)


def test_the_live_stream_is_in_time_order_across_stations() -> None:
    histories = [simulate_station(first(p), WINDOW, seed=2) for p in Place]
    day = 86400
    merged = list(live_stream(histories, 3 * day, 4 * day))
    assert [c[2] for c in merged] == sorted(c[2] for c in merged)
    assert len(merged) == sum(len(list(ocpi_changes(h, 3 * day, 4 * day))) for h in histories)


def test_after_an_outage_only_the_latest_change_per_evse_comes_back() -> None:
    h = simulate_station(first(Place.HIGHWAY), WINDOW, seed=2)
    outage = (5 * 86400.0 + 10 * 3600, 5 * 86400.0 + 16 * 3600)  # a Saturday, 10:00–16:00
    held = after_outages(h, [outage])
    inside = [unpack(v) for v in h.changes if outage[0] <= v >> 12 < outage[1]]
    back = [unpack(v) for v in held if outage[0] <= v >> 12 < outage[1]]
    last = {k: (t, k, c) for t, k, c in inside}
    assert sorted(back) == sorted(last.values()) and len(inside) > len(back)
    assert [v for v in held if not outage[0] <= v >> 12 < outage[1]] == [
        v for v in h.changes if not outage[0] <= v >> 12 < outage[1]
    ]


def test_declared_outages_bias_no_estimate() -> None:
    """Busy service areas, the receiver away 10 % of the time in outages of 1–6 hours: declared,
    the mean P(full) learned stays within a few percent of the one learned from everything."""
    infos = sorted((s for s in stations().values() if s.place is Place.HIGHWAY), key=lambda s: s.id)[:30]
    outages = receiver_outages(WINDOW.seconds, random.Random(4))
    full, gapped, naive = (OccupancyLearner(infos, WINDOW) for _ in range(3))
    for info in infos:
        h = simulate_station(info, WINDOW, seed=8)
        full.add_all(ocpi_changes(h))
        held = after_outages(h, outages)
        gapped.add_all(ocpi_changes(h, changes=held))
        naive.add_all(ocpi_changes(h, changes=held))
    for a, b in outages:
        gapped.add_gap(WINDOW.instant(a), WINDOW.instant(b))
    away = sum(b - a for a, b in outages) / WINDOW.seconds
    assert 0.05 < away < 0.2

    def mean_full(learner: OccupancyLearner) -> float:
        total_full = total_seen = 0.0
        for info in infos:
            obs = learner.observe(info.id)
            total_full += sum(obs.full_s)
            total_seen += sum(obs.seen_s)
        return total_full / total_seen

    truth, declared = mean_full(full), mean_full(gapped)
    assert abs(declared - truth) / truth < 0.05
    # Undeclared, the state before each outage is carried through it: further off than declared.
    assert abs(mean_full(naive) - truth) > abs(declared - truth)
