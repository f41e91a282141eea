"""A fleet on the three-node cluster: 50 cars (real MQTT sessions in two worker processes, two of
them with SQLite caches) through the scripted day with a node SIGKILLed mid-snapshot and as a
version goes out; and reconnects after a node dies, spread by the jitter rather than in step."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from chargers.ocpi import read_feeds
from sync.fleet.day import Day, DayOptions
from sync.fleet.fleet import Fleet
from sync.publisher import Publisher
from tests.sync.helpers import wait_for

CARS = 50


@pytest.fixture(autouse=True)
def _workers_log_every_reconnect(monkeypatch) -> None:
    """The workers' logs say when each car connected, where, and what was refused (for a failure)."""
    monkeypatch.setenv("IVI_FLEET_LOG", "INFO")


def _log_of(db_dir: Path, cars: list[str], lines: int = 12) -> str:
    """The last log lines the workers wrote about these cars."""
    text = "".join(p.read_text(errors="replace") for p in sorted(db_dir.glob("worker*.log")))
    out = []
    for car in cars:
        mine = [ln for ln in text.splitlines() if car in ln]
        out.append(f"--- {car}:\n" + "\n".join(mine[-lines:]))
    return "\n".join(out)


def _pubkey(signer, tmp_path: Path) -> Path:
    p = tmp_path / "operator.pub"
    p.write_bytes(signer.verifier.public_pem())
    return p


def test_fifty_cars_converge_through_the_day_with_a_node_killed(
    nats_cluster, signer, small_feeds, tmp_path: Path
) -> None:
    feed = read_feeds([small_feeds])
    # One filter for the four streams, as bench.fleet runs the cars and the head unit subscribes
    # (the head unit itself is checked on the cluster in test_sync_cluster).
    fleet = Fleet(
        nats_cluster.urls, [_pubkey(signer, tmp_path)], CARS, db_dir=tmp_path / "cars", sqlite_cars=2, wildcard=True
    )
    fleet.start()
    try:
        day = Day(
            fleet,
            lambda: Publisher(nats_cluster.urls, signer, state_dir=tmp_path / "publisher", mqtt5=False),
            feed.locations,
            feed.tariffs,
            faults=nats_cluster,
            options=DayOptions(kill_node=1, phase_timeout_s=90),
        )
        phases = day.run()
        final = fleet.report()
    finally:
        fleet.stop()
    if day.failures():
        late = sorted({c["car"] for p in phases for c in p.laggards})[:5]
        pytest.fail(
            f"{day.failures()}\n{[(p.name, p.note, p.laggards) for p in phases if p.laggards]}\n"
            + _log_of(tmp_path / "cars", late)
        )
    assert [p.converged for p in phases] == [True] * 5
    assert "SIGKILLed" in phases[0].note and "SIGKILLed" in phases[1].note
    checked = [p.digests_ok for p in phases if p.digests_ok is not None]
    assert checked == [CARS] * 3  # every car's rows equal the publisher's, SQLite ones included
    assert final.states() == {"up_to_date": CARS}  # each car says where it stands
    assert final.count(lambda c: c["kind"] == "sqlite") == 2
    # Bounded retries: a handful of connections per car over the day, not a loop.
    assert max(c["connects"] for c in final.cars) <= 8
    assert final.loop_errors == 0
    assert final.reused > final.decoded  # the cars of a process shared the decoding


def _reconnect_spread(nats_cluster, signer, tmp_path: Path, jitter: str) -> list[float]:
    """Seconds after a node's SIGKILL at which its cars were connected again (on another node)."""
    fleet = Fleet(nats_cluster.urls, [_pubkey(signer, tmp_path)], 30, db_dir=tmp_path / f"cars-{jitter}", jitter=jitter)
    fleet.start()
    victim = 0
    try:
        fleet.connect()
        assert fleet.wait(lambda r: r.count(lambda c: c["connected"]) == 30, 120)[0]
        time.sleep(1.0)
        # Not the JetStream leader: its loss stalls every node 5-8 s, which would hide the jitter.
        leader = nats_cluster.leader()
        victim = next(i for i in range(3) if i != leader)
        # The cars on the victim: about a third, fewer if a car found its first node not ready.
        at = f"127.0.0.1:{nats_cluster.nodes[victim].mqtt_port}"
        on_victim = {c["car"] for c in fleet.report().cars if c["node"] == at}
        assert len(on_victim) >= 5
        killed_at = time.time()
        nats_cluster.kill(victim)

        def back_on_others(r) -> bool:
            moved = {c["car"] for c in r.cars if c["connect_times"] and c["node"] != at}
            return on_victim <= moved and r.count(lambda c: c["connected"]) == 30

        back = fleet.wait(back_on_others, 120, connects_since=killed_at)
        rep = back[2]
        assert back[0], (
            f"{rep.count(lambda c: c['connected'])}/30 connected, {rep.count(lambda c: c['connect_times'])} "
            f"reconnected since node {victim} was killed, {len(on_victim)} were on it; not connected: "
            f"{[(c['car'], c['node'], c['last_error']) for c in rep.cars if not c['connected']][:10]}\n"
            + _log_of(
                tmp_path / f"cars-{jitter}", sorted(on_victim - {c["car"] for c in rep.cars if c["connect_times"]})[:5]
            )
        )
    finally:
        fleet.stop()
        nats_cluster.restart(victim)
    return sorted(t - killed_at for c in rep.cars for t in c["connect_times"])


def test_the_jitter_spreads_reconnects_after_a_node_dies(nats_cluster, signer, tmp_path: Path) -> None:
    storm = _reconnect_spread(nats_cluster, signer, tmp_path, "none")
    assert wait_for(lambda: nats_cluster.leader() is not None, 30)
    cure = _reconnect_spread(nats_cluster, signer, tmp_path, "full")
    assert len(storm) >= 5 and len(cure) >= 5  # the cars that were on the killed node
    # Without jitter every car waits exactly the first backoff step (1 s) and they come back in
    # step; with full jitter the waits are spread over [0, 1 s].
    assert storm[0] >= 0.9 and cure[0] < 0.9
    assert _peak(cure) < _peak(storm)


def _peak(times: list[float]) -> int:
    """The most reconnects in one 100 ms bucket."""
    return max(Counter(int(t * 10) for t in times).values())


def test_ivi_sync_fleet_as_a_process(nats_cluster, small_feeds, tmp_path: Path) -> None:
    """``ivi-sync fleet``: a few cars through the day (no node faults: it does not own the nodes)."""
    import json

    from tests.sync.helpers import ivi_sync

    assert ivi_sync("keygen", "--out", str(tmp_path / "op")).returncode == 0
    out = ivi_sync(
        "fleet", "--brokers", ",".join(nats_cluster.urls), "--cars", "6", "--processes", "1", "--sqlite-cars", "1",
        "--db-dir", str(tmp_path / "fleet"), "--key", str(tmp_path / "op.key"), "--feeds", str(small_feeds),
        "--timeout", "60", "--json",
        timeout=400,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    doc = json.loads(out.stdout)
    assert doc["failures"] == [] and len(doc["phases"]) == 5
    assert all(p["in_step"] == 6 for p in doc["phases"])
    assert [p["digests_ok"] for p in doc["phases"] if p["digests_ok"] is not None] == [6, 6, 6]
