"""The realistic partner status stream (``ivi-sync status-feed``) and the occupancy model learned
from it, as separate processes through a real Mosquitto into a car's real SQLite cache."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chargers.errors import OccupancyError
from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore
from sync.client import VehicleClient
from sync.occupancy import OccupancyService, history_window
from sync.replay import StatusReplay
from sync.signing import load_verifier
from tests.sync.helpers import ivi_sync, wait_for

START = datetime(2026, 11, 6, 4, 0, tzinfo=UTC)  # a Friday, noon in China


def test_the_replay_is_deterministic_ordered_and_realistic(small_feeds: Path) -> None:
    locations = read_feeds([small_feeds]).locations
    a = StatusReplay(locations, START, days=1, seed=4)
    b = StatusReplay(locations, START, days=1, seed=4)
    other = StatusReplay(locations, START, days=1, seed=5)
    end = START.timestamp() + 86400
    day_a, day_b, day_other = a.until(end), b.until(end), other.until(end)
    assert day_a == day_b and day_a != day_other and not a.done
    assert a.initial() == b.initial() and {u for u, _, _ in a.initial()} == {
        e.uid for loc in locations for e in loc.evses if e.status != "REMOVED"
    }
    stamps = [c[2] for c in day_a]
    assert stamps == sorted(stamps) and stamps[0] >= "2026-11-06T04:00:00Z" and stamps[-1] <= "2026-11-07T04:00:00Z"
    last: dict[str, str] = {}
    for uid, _, ts in day_a:  # per EVSE strictly later, as the car's "newer wins" rule needs
        assert ts > last.get(uid, "")
        last[uid] = ts
    per_evse_hour = len(day_a) / a.evses / 24
    assert 0.1 < per_evse_hour < 2.0  # ~0.4: a session every couple of hours, plus faults
    hours: dict[int, int] = defaultdict(int)
    for _, _, ts in day_a:
        hours[(int(ts[11:13]) + 8) % 24] += 1  # China time
    assert sum(hours[h] for h in range(17, 20)) > 3 * sum(hours[h] for h in range(2, 5))  # evening ≫ night


def test_status_feed_streams_and_publishes_a_learned_model(broker, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.03, seed=2))
    assert ivi_sync("keygen", "--out", str(tmp_path / "op")).returncode == 0
    common = ["--broker", broker.url, "--key", str(tmp_path / "op.key"), "--state", str(tmp_path / "state")]
    out = ivi_sync("publish", *common, "--feeds", str(feeds), "--once", "--occupancy-history", "1", "--json")
    assert out.returncode == 0, out.stderr
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    occupancy = next(d["occupancy"] for d in docs if "occupancy" in d)
    assert occupancy["occupancy_version"] == 1 and occupancy["bytes"] > 100 * occupancy["stations"]

    car = VehicleClient(
        ChargerStore.open(tmp_path / "car.db", seed=False), load_verifier(tmp_path / "op.pub"), broker.url, "car-f"
    ).start()
    try:
        assert car.wait_synced(60)
        store = car.applier.store
        assert store.occupancy_model_blob().version == 1  # type: ignore[union-attr]
        before = dict(store.sync_ledger().dump_rows())["evses"]
        start = "2026-11-06T10:00:00Z"  # 18:00 on a Friday in China
        out = ivi_sync(
            "status-feed", *common, "--speed", "7200", "--start", start, "--days", "0.25", "--seed", "3",
            "--count", "400", "--occupancy-history", "1", "--learn-every", "0.5",
            timeout=180,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert "400 status changes" in out.stdout and "occupancy model" in out.stdout
        assert wait_for(lambda: store.occupancy_model_blob().version >= 2, 60)  # type: ignore[union-attr]
        assert car.wait_synced(60)
        after = store.sync_ledger().dump_rows()["evses"]
        changed = [b for a, b in zip(before, after, strict=True) if a != b]
        assert len(changed) > 100 and all(row[5] <= "2026-11-06T16:00:00Z" for row in changed)  # start + 0.25 d
        assert sum(row[5] > start for row in changed) >= 200  # the replayed part (400 changes, some per EVSE)
        model = store.occupancy_model()
        assert model is not None and len(model.stations) == len(store.all_locations())
    finally:
        car.stop()
        car.applier.store.close()


def test_the_operator_learns_again_from_the_live_stream(small_feeds: Path) -> None:
    """The model learned at the start comes from the simulated weeks before it; six hours of the
    live stream later the next one holds them too (and is a different model)."""
    locations = read_feeds([small_feeds]).locations
    service = OccupancyService(locations, history_window(START, 1, 1), train_weeks=1)
    replay = StatusReplay(locations, START, days=1, seed=3, learner=service)
    first = service.learn(START)
    assert first.changes > 10_000 and first.model.created_s == int(START.timestamp())
    later = START.timestamp() + 6 * 3600
    initial = replay.initial()  # copies of what the learner holds: de-duplicated when it learns
    service.offer(initial)
    service.offer(replay.until(later))
    second = service.learn(datetime.fromtimestamp(later, UTC))
    assert second.changes - first.changes == len(initial) + replay.sent and replay.sent > 500
    assert second.model.created_s == int(later) and second.data != first.data


def test_a_gap_that_is_not_an_interval_is_refused_when_declared(small_feeds: Path) -> None:
    service = OccupancyService(read_feeds([small_feeds]).locations[:5], history_window(START, 0, 1))
    with pytest.raises(OccupancyError, match="ends after it starts"):
        service.gap(START, START)
    with pytest.raises(OccupancyError, match="aware"):
        service.gap(START.replace(tzinfo=None), START.replace(tzinfo=None, hour=5))
    service.gap(START, START.replace(hour=5))
    assert service.learn(START.replace(hour=6)).stations == len(service.catalog)
