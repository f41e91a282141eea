"""``ivi-sync status-feed``: simulated partner EVSE status changes through the publisher."""

from __future__ import annotations

import time

import click

from sync.activity import REALISTIC_RATE_PER_EVSE_S, StatusSimulator
from sync.cli.options import _broker, _connection_options, _logging, password_of

HEARTBEAT_S = 5.0


@click.command("status-feed")
@_broker
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--rate",
    "rate_per_s",
    type=click.FloatRange(0.1, 1e6),
    default=None,
    help="Status changes per second (default: realistic, one per EVSE every 20 minutes).",
)
@click.option("--count", type=click.IntRange(1), default=None, help="Stop after this many changes.")
@click.option("--seed", type=int, default=1, show_default=True)
@_connection_options
@click.option("-v", "--verbose", is_flag=True)
def status_feed(
    broker,
    key_path,
    rate_per_s,
    count,
    seed,
    state_dir,
    dataset,
    cafile,
    username,
    password,
    password_file,
    mqtt_version,
    verbose,
) -> None:
    """Replay simulated partner EVSE status changes through the publisher (needs a prior publish)."""
    from sync.publisher import Publisher
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
    if not pub.state.version:
        pub.close()
        raise click.ClickException("nothing published yet: run `ivi-sync publish` with the same --state first")
    sim = StatusSimulator(
        ((e.uid, e.status, e.last_updated) for loc in pub.operator.effective_locations().values() for e in loc.evses),
        seed,
    )
    rate = rate_per_s or max(1.0, len(sim) * REALISTIC_RATE_PER_EVSE_S)
    pub.start()
    sent, started, last_beat = 0, time.monotonic(), 0.0
    try:
        while count is None or sent < count:
            due = int((time.monotonic() - started) * rate) - sent
            n = max(0, min(due, (count - sent) if count else due))
            if n:
                pub.publish_statuses(sim.changes(n, time.time()))
                sent += n
            if time.monotonic() - last_beat > HEARTBEAT_S:
                pub.heartbeat()
                last_beat = time.monotonic()
            time.sleep(0.1)
        pub.publish_statuses([], wait=True)
        pub.heartbeat()
        click.echo(f"{sent} status changes, status sequence {pub.state.status_seq}")
    except KeyboardInterrupt:
        pass
    finally:
        pub.close()
