"""``ivi-sync inspect``: what the broker holds of a dataset, verified and decoded."""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING

import click

from sync.cli.options import _broker, _credentials, _dataset, _json, _logging, _pubkeys, password_of

if TYPE_CHECKING:
    from sync.inspection import Verdict


@click.command("inspect")
@_broker
@_pubkeys
@_dataset
@_credentials
@click.option("--rows", "check_rows", is_flag=True, help="Also run the car's row check on every chunk (slower).")
@_json
@click.option("-v", "--verbose", is_flag=True)
def inspect(
    broker,
    pubkey_paths,
    dataset,
    cafile,
    username,
    password,
    password_file,
    mqtt_version,
    check_rows,
    as_json,
    verbose,
) -> None:
    """Read back the retained manifest, heartbeat, snapshot chunks and occupancy model parts of DATASET from the broker,
    verify each with the operator's key and say what a new car would find: exit 0 when a car
    could sync from it, 1 with the problems (no manifest, expired, chunks missing or wrong)."""
    from sync.inspection import RetainedProbe, judge
    from sync.protocol.bodies import Topics
    from sync.signing import load_verifier
    from sync.transport import Incoming, MqttTransport

    _logging(verbose)
    verifier = load_verifier(*pubkey_paths)
    topics = Topics(dataset)
    probe: RetainedProbe | None = None

    def on_message(msg: Incoming) -> None:
        if probe is not None:
            probe.offer(msg)

    transport = MqttTransport(
        broker,
        username or f"ivi-sync-inspect-{os.getpid()}",
        on_message=on_message,
        mqtt5=mqtt_version == "5",
        persistent=False,
        ca_file=cafile,
        username=username,
        password=password_of(password, password_file),
    )
    transport.connect()
    try:
        probe = RetainedProbe(transport, topics)
        view = probe.run()
    finally:
        transport.close()
    verdict = judge(view, verifier, dataset, time.time(), rows=check_rows)
    if not view.complete:
        verdict.manifest_problem = verdict.manifest_problem or "the broker did not answer in time (is it up?)"
    if as_json:
        click.echo(json.dumps({"broker": broker, "dataset": dataset, "bytes": view.bytes, **verdict.to_json()}))
    else:
        _print(verdict, view.bytes)
    if not verdict.healthy:
        raise click.ClickException("; ".join(verdict.problems()))


def _print(verdict: Verdict, total_bytes: int) -> None:
    m = verdict.manifest
    if m is not None:
        left_h = (m.expires_at - time.time()) / 3600
        published = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(m.published_at))
        click.echo(
            f"manifest: version {m.version}, {m.locations} locations, {m.evses} EVSEs, {m.tariffs} tariffs, "
            f"{len(m.chunk_sha256)} chunks; statuses {m.status_seq} (snapshot at {m.snapshot_status_seq}); "
            f"deltas from version {m.oldest_delta}; published {published} UTC, "
            f"expires in {left_h:.1f} h"
        )
    if verdict.head is not None:
        h = verdict.head
        age = time.time() - h.published_at
        click.echo(f"heartbeat: version {h.version}, statuses {h.status_seq}, {age:.0f} s ago")
    else:
        click.echo("heartbeat: none retained (no publisher running?)")
    ok = [c for c in verdict.chunks if c.verdict == "ok"]
    rows = sum(c.locations for c in ok)
    click.echo(
        f"chunks: {len(ok)} verified, {sum(c.bytes for c in verdict.chunks)} bytes"
        + (f", {rows} locations" if rows else "")
        + f" ({total_bytes} bytes read)"
    )
    for c in verdict.chunks:
        if c.verdict != "ok":
            click.echo(f"  chunk {c.index}: {c.verdict} ({c.bytes} bytes)")
    occ = m.occupancy if m is not None else None
    if occ is not None:
        learned = time.strftime("%Y-%m-%d %H:%M", time.gmtime(occ.created_s))
        held = len(occ.part_sha256) - len(verdict.occupancy_missing)
        click.echo(
            f"occupancy model: version {occ.version}, {occ.bytes} bytes, learned up to {learned} UTC;"
            f" {held}/{len(occ.part_sha256)} parts as the manifest names them"
        )
    for p in verdict.problems():
        click.echo(f"problem: {p}", err=True)
