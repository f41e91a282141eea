"""``ivi-sync publish``: validate the partner feeds and publish what changed."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sync.cli.options import _broker, _connection_options, _json, _logging, password_of

if TYPE_CHECKING:
    from sync.publisher import Publisher, PublishReport, Repair


@click.command("publish")
@_broker
@click.option("--feeds", "feeds_dir", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--once/--watch", default=True, help="Publish once and exit, or keep watching the feeds.")
@click.option(
    "--interval",
    "interval_s",
    type=click.FloatRange(0.5, 86400),
    default=10.0,
    show_default=True,
    help="--watch: seconds between looks at the feeds (also the heartbeat's period).",
)
@click.option(
    "--occupancy-history",
    "history_weeks",
    type=click.FloatRange(0, 26),
    default=0.0,
    show_default=True,
    help="Learn the occupancy model from this many weeks of simulated partner history and publish it (0: no).",
)
@click.option("--occupancy-seed", type=int, default=1, show_default=True, help="The simulated history's seed.")
@_connection_options
@_json
@click.option("-v", "--verbose", is_flag=True)
def publish(
    broker,
    feeds_dir,
    key_path,
    once,
    interval_s,
    history_weeks,
    occupancy_seed,
    state_dir,
    dataset,
    cafile,
    username,
    password,
    password_file,
    mqtt_version,
    as_json,
    verbose,
) -> None:
    """Validate the partners' OCPI feeds and publish what changed: snapshot, deltas, manifest.

    On start (and with --watch on every heartbeat) the broker's retained manifest and chunks are
    read back and whatever it lacks is published again (a new or emptied broker converges).
    Records that break the OCPI rules are left out and reported per partner and reason."""
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
        head_interval_s=interval_s,
    )
    try:
        pub.start(reconcile=False)
        first = True
        while True:
            r = pub.publish_feeds([feeds_dir])
            if first:  # what this run did not publish must still be on the broker: read it back
                r.repair, first = pub.reconcile(full=True), False
                _report(r, as_json)
                if history_weeks:
                    _learn_and_publish(pub, history_weeks, occupancy_seed, as_json)
            else:
                _report(r, as_json)
            if once:
                return
            time.sleep(interval_s)
            _report_repair(pub.heartbeat(), as_json)
    except KeyboardInterrupt:
        pass
    finally:
        pub.close()


def _learn_and_publish(pub: Publisher, weeks: float, seed: int, as_json: bool) -> None:
    """The occupancy model from ``weeks`` of simulated history up to now, published (signed, versioned)."""
    from sync.occupancy import OccupancyService, history_window, simulated_history

    now = datetime.now(UTC)
    service = OccupancyService(
        pub.operator.effective_locations().values(), history_window(now, weeks), train_weeks=weeks
    )
    service.add_history(simulated_history(service.catalog.values(), service.window, seed), until_s=now.timestamp())
    r = service.learn(now)
    sent = pub.publish_occupancy(r.data, r.model.created_s)
    st = pub.state.occupancy
    doc = {
        "occupancy_version": st.version if st else None,
        "bytes": len(r.data),
        "stations": r.stations,
        "bytes_per_station": round(r.bytes_per_station, 1),
        "sent_bytes": sent,
        "learn_s": round(r.learn_s, 1),
    }
    if as_json:
        click.echo(json.dumps({"occupancy": doc}))
    else:
        click.echo(
            f"occupancy model {doc['occupancy_version']}: {doc['bytes']} bytes for {r.stations} stations"
            f" ({doc['bytes_per_station']} each), {sent} bytes sent signed and compressed"
        )


def _report(r: PublishReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(r.to_json(), ensure_ascii=False))
        return
    click.echo(f"version {r.version}: {r.messages} messages, {r.bytes} bytes, {r.locations} locations")
    _report_repair(r.repair, False)
    doc = r.to_json()
    for partner, reasons in doc["rejected_by_partner"].items():
        click.echo(f"  {partner}: left out " + ", ".join(f"{n} × {reason}" for reason, n in reasons.items()), err=True)
    for rej in r.rejections[:20]:
        click.echo(
            f"  rejected {rej.partner} {rej.record_id}: {rej.reason}{' (' + rej.detail + ')' if rej.detail else ''}",
            err=True,
        )
    if len(r.rejections) > 20:
        click.echo(f"  … and {len(r.rejections) - 20} more rejected records", err=True)
    if r.kept_partners:
        click.echo(f"  feeds unreadable: kept the last published records of {', '.join(r.kept_partners)}", err=True)


def _report_repair(repair: Repair | None, as_json: bool) -> None:
    if not repair:
        return
    if as_json:
        click.echo(json.dumps({"repaired": repair.to_json()}))
        return
    found = "; ".join(repair.problems) or "an outdated manifest"
    click.echo(
        f"  broker lacked what was published ({found}): republished {len(repair.chunks)} chunks and the manifest"
    )
