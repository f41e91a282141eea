"""``ivi-sync publish``: validate the partner feeds and publish what changed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from sync.cli.options import _broker, _connection_options, _logging


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
    help="--watch: seconds between looks at the feeds (also the manifest heartbeat).",
)
@_connection_options
@click.option("--json", "as_json", is_flag=True)
@click.option("-v", "--verbose", is_flag=True)
def publish(
    broker,
    feeds_dir,
    key_path,
    once,
    interval_s,
    state_dir,
    dataset,
    cafile,
    username,
    password,
    mqtt_version,
    as_json,
    verbose,
) -> None:
    """Validate the partners' OCPI feeds and publish what changed: snapshot, deltas, manifest."""
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
        password=password,
    ).start()
    try:
        while True:
            r = pub.publish_feeds([feeds_dir])
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "version": r.version,
                            "messages": r.messages,
                            "bytes": r.bytes,
                            "locations": r.locations,
                            "rejected": len(r.rejections),
                        }
                    )
                )
            else:
                click.echo(f"version {r.version}: {r.messages} messages, {r.bytes} bytes, {r.locations} locations")
                for rej in r.rejections[:20]:
                    click.echo(
                        f"  rejected {rej.record_id}: {rej.reason}{' (' + rej.detail + ')' if rej.detail else ''}",
                        err=True,
                    )
                if len(r.rejections) > 20:
                    click.echo(f"  … and {len(r.rejections) - 20} more rejected records", err=True)
            if once:
                return
            time.sleep(interval_s)
            pub.heartbeat()
    except KeyboardInterrupt:
        pass
    finally:
        pub.close()
