"""``ivi-sync fleet``: a simulated fleet's scripted day against a broker cluster."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sync.cli.options import _logging
from sync.protocol.pacing import JITTERS

__all__ = ["fleet"]


@click.command("fleet")
@click.option(
    "--brokers",
    required=True,
    help="The cluster's MQTT 3.1.1 nodes, comma-separated (mqtt://host:port,...); cars spread over them.",
)
@click.option("--cars", "n_cars", type=click.IntRange(1), default=100, show_default=True)
@click.option("--db-dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Caches, logs, state.")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False), help="Operator key.")
@click.option("--feeds", "feeds_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--processes", type=click.IntRange(1), default=2, show_default=True, help="Worker processes.")
@click.option("--sqlite-cars", type=click.IntRange(0), default=2, show_default=True, help="Cars with real caches.")
@click.option("--jitter", type=click.Choice(JITTERS), default="full", show_default=True, help="Reconnect jitter.")
@click.option("--rate", type=click.FloatRange(1), default=100.0, show_default=True, help="New sessions a second.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(1), default=120.0, show_default=True, help="Per phase.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("-v", "--verbose", is_flag=True)
def fleet(
    brokers, n_cars, db_dir, key_path, feeds_dir, processes, sqlite_cars, jitter, rate, timeout_s, as_json, verbose
) -> None:
    """Run N simulated cars (each its own MQTT session and client id, in a few processes) through a
    scripted day: cold start, a new version with deltas, a status stream, a fifth of the cars away
    (half of them losing their session) and back, the publisher restarted. Each phase ends when
    every car is in step with the publisher; at the checkpoints every car's rows are compared with
    the publisher's. Exit 1 if a phase did not converge within --timeout. (Node faults need the
    nodes: ``python -m bench.fleet`` and tests/sync run the day with a node SIGKILLed.)"""
    from chargers.ocpi import read_feeds
    from sync.addresses import broker_urls
    from sync.fleet.day import Day, DayOptions
    from sync.fleet.fleet import Fleet
    from sync.publisher import Publisher
    from sync.signing import load_signer

    _logging(verbose)
    urls = broker_urls(brokers)
    signer = load_signer(key_path)
    db_dir.mkdir(parents=True, exist_ok=True)
    pub_path = db_dir / "operator.pub"
    pub_path.write_bytes(signer.verifier.public_pem())
    feed = read_feeds([feeds_dir])
    cars = Fleet(urls, [pub_path], n_cars, db_dir=db_dir / "cars", processes=processes, sqlite_cars=sqlite_cars,
                 jitter=jitter, rate=rate)  # fmt: skip
    cars.start()
    try:
        day = Day(
            cars,
            lambda: Publisher(urls, signer, state_dir=db_dir / "publisher", mqtt5=False),
            feed.locations,
            feed.tariffs,
            options=DayOptions(phase_timeout_s=timeout_s),
            say=(lambda s: None) if as_json else (lambda s: click.echo(s, err=True)),
        )
        phases = day.run()
    finally:
        cars.stop()
    if as_json:
        click.echo(json.dumps({"cars": n_cars, "phases": [p.to_json() for p in phases], "failures": day.failures()}))
    else:
        for p in phases:
            ok = "ok" if p.converged else "NOT CONVERGED"
            rows = f", rows equal: {p.digests_ok}/{p.cars}" if p.digests_ok is not None else ""
            click.echo(f"{p.name}: {ok} in {p.seconds:.1f} s, {p.bytes_per_car / 1024:.1f} KiB per car{rows}")
    if day.failures():
        raise click.ClickException("; ".join(day.failures()))
