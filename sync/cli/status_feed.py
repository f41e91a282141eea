"""``ivi-sync status-feed``: the realistic partner status stream through the publisher, and the
occupancy model learned from it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from sync.cli.options import _broker, _connection_options, _logging, parse_time, password_of

if TYPE_CHECKING:
    from sync.occupancy import LearnReport
    from sync.publisher import Publisher

HEARTBEAT_S = 5.0
OCCUPANCY_OPTIONS = (
    click.option(
        "--occupancy-history",
        "history_weeks",
        type=click.FloatRange(0, 26),
        default=0.0,
        show_default=True,
        help="Weeks of simulated history before the start to learn the occupancy model from (0: none).",
    ),
    click.option(
        "--learn-every",
        "learn_every_h",
        type=click.FloatRange(0.01, 24 * 28),
        default=24.0,
        show_default=True,
        help="With --occupancy-history: learn and publish a new model every this many simulated hours.",
    ),
)


def _occupancy_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(OCCUPANCY_OPTIONS):
        f = opt(f)
    return f


@click.command("status-feed")
@_broker
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--speed",
    type=click.FloatRange(0.01, 1e6),
    default=1.0,
    show_default=True,
    help="Simulated seconds per wall-clock second (1: real time, ~3.3 changes/s at scale 1).",
)
@click.option("--start", "start", default=None, help="Simulated instant to start at (ISO-8601; default: now).")
@click.option("--days", type=click.FloatRange(0.01, 366), default=1.0, show_default=True, help="Simulated days.")
@click.option("--count", type=click.IntRange(1), default=None, help="Stop after this many changes.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, dataset and start: same stream.")
@_occupancy_options
@_connection_options
@click.option("-v", "--verbose", is_flag=True)
def status_feed(
    broker,
    key_path,
    speed,
    start,
    days,
    count,
    seed,
    history_weeks,
    learn_every_h,
    state_dir,
    dataset,
    cafile,
    username,
    password,
    password_file,
    mqtt_version,
    verbose,
) -> None:
    """Replay realistic partner EVSE status changes through the publisher (needs a prior publish).

    The statuses come from the occupancy simulator (daily and weekly patterns by kind of place,
    holidays, faults and repairs; docs/data.md), at real time or --speed times faster. With
    --occupancy-history the publisher learns the occupancy model from the simulated weeks before
    the start and the live stream after it, and publishes it (signed, versioned) every --learn-every
    simulated hours."""
    from sync.occupancy import OccupancyService, history_window
    from sync.publisher import Publisher
    from sync.replay import StatusReplay
    from sync.signing import load_signer

    _logging(verbose)
    pub = Publisher(
        broker,
        load_signer(key_path),
        state_dir=state_dir,
        dataset=dataset,
        mqtt5=mqtt_version == "5",
        ca_file=cafile,
        username=username,
        password=password_of(password, password_file),
        head_interval_s=HEARTBEAT_S,
    )
    learner: OccupancyService | None = None
    try:
        if not pub.state.version:
            raise click.ClickException("nothing published yet: run `ivi-sync publish` with the same --state first")
        start_at = datetime.fromtimestamp(parse_time(start) if start else time.time(), UTC)
        locations = list(pub.operator.effective_locations().values())
        if history_weeks:
            window = history_window(start_at, history_weeks, days)
            learner = OccupancyService(locations, window, train_weeks=history_weeks)
        replay = StatusReplay(locations, start_at, days=days, seed=seed, history_weeks=history_weeks, learner=learner)
        pub.start()
        wall0, sim0 = time.monotonic(), start_at.timestamp()

        def sim_now() -> float:
            return sim0 + (time.monotonic() - wall0) * speed

        if learner is not None:
            pub.add_status_listener(learner.offer)
            learner.start_thread(learn_every_h * 3600, sim_now, lambda r: _publish_model(pub, r))
        pub.publish_statuses(replay.initial())
        sent, last_beat = 0, 0.0
        while (count is None or sent < count) and not replay.done:
            batch = replay.until(sim_now(), None if count is None else count - sent)
            if batch:
                pub.publish_statuses(batch)
                sent += len(batch)
            if time.monotonic() - last_beat > HEARTBEAT_S:
                pub.heartbeat()
                last_beat = time.monotonic()
            time.sleep(0.1)
        pub.publish_statuses([], wait=True)
        pub.heartbeat()
        click.echo(f"{sent} status changes, status sequence {pub.state.status_seq}")
        if learner is not None:
            learner.stop()  # lets a model being learned finish and be published
            if learner.last is None:  # the stream ended before the first model: learn it now
                _publish_model(pub, learner.learn(datetime.fromtimestamp(min(sim_now(), replay.end_s), UTC)))
        if learner is not None and learner.last is not None and pub.state.occupancy is not None:
            r = learner.last
            click.echo(
                f"occupancy model {pub.state.occupancy.version}: {len(r.data)} bytes,"
                f" {r.stations} stations ({r.bytes_per_station:.0f} bytes each), learned in {r.learn_s:.1f} s"
            )
    except KeyboardInterrupt:
        pass
    finally:
        if learner is not None:
            learner.stop()
        pub.close()


def _publish_model(pub: Publisher, report: LearnReport) -> None:
    pub.publish_occupancy(report.data, report.model.created_s)
