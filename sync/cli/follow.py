"""``ivi-sync follow``: the vehicle client, headless (and the app's sync process with ``--events``)."""

from __future__ import annotations

import dataclasses
import json
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sync.cli.options import (
    _broker,
    _credentials,
    _dataset,
    _logging,
    _pubkeys,
    parse_time,
    password_of,
)

if TYPE_CHECKING:
    from sync.client import VehicleClient

PROGRESS_EVERY_S = 5.0


@click.command("follow")
@_broker
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_pubkeys
@click.option(
    "--until-synced",
    is_flag=True,
    help="Exit 0 once up to date; exit 1 with the reason if that has not happened within --timeout.",
)
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1), default=120.0, show_default=True)
@click.option(
    "--client-id",
    default=None,
    show_default="the --username, else car-HOSTNAME",
    help="Fixed per car: the broker keeps the session under it (and binds it to the user).",
)
@click.option(
    "--not-before",
    "floor",
    default=None,
    envvar="IVI_SYNC_NOT_BEFORE",
    help="A cache with no data yet accepts only a manifest published after this time (epoch seconds or "
    "ISO-8601): the floor the car ships with, so that a replayed old manifest cannot hold it back.",
)
@_dataset
@_credentials
@click.option("-v", "--verbose", is_flag=True)
@click.option(
    "--events",
    is_flag=True,
    help='Print JSON lines on stdout for a supervising app: {"status": {...}} on every state change, '
    '{"changed": [location ids] | null} after every committed cache write.',
)
def follow(
    broker,
    db_path,
    pubkey_paths,
    until_synced,
    timeout_s,
    client_id,
    floor,
    dataset,
    cafile,
    username,
    password,
    password_file,
    mqtt_version,
    verbose,
    events,
) -> None:
    """Keep a charger cache in step with the publisher (headless vehicle client).

    With ``--until-synced`` progress (chunks, versions, statuses) goes to stderr every few seconds
    and the command ends with "up to date" (exit 0) or with the reason it could not finish (exit 1).
    With ``--events`` this is how the head-unit app runs its sync: in its own process, so that
    applying a snapshot never competes with the screen for Python's interpreter lock."""
    from chargers.store import ChargerStore
    from sync.client import VehicleClient
    from sync.signing import load_verifier

    if client_id and username and client_id != username:
        raise click.UsageError("--client-id must equal --username: the broker binds the client id to the user")
    client_id = client_id or username or f"car-{socket.gethostname()}"
    _logging(verbose)
    verifier = load_verifier(*pubkey_paths)
    store = ChargerStore.open(db_path, seed=False)
    client = VehicleClient(
        store,
        verifier,
        broker,
        client_id,
        dataset=dataset,
        mqtt5=mqtt_version == "5",
        ca_file=cafile,
        username=username,
        password=password_of(password, password_file),
        floor_s=parse_time(floor) if floor else 0.0,
    )
    client.add_observer(
        lambda s: (
            click.echo(f"{s.state} {s.progress:.0%} version={s.version} {s.detail}", err=True) if verbose else None
        )
    )
    if events:
        out_lock = threading.Lock()

        def emit(obj: object) -> None:
            with out_lock:
                sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
                sys.stdout.flush()

        client.add_observer(lambda s: emit({"status": dataclasses.asdict(s)}))
        client.add_change_listener(lambda ids: emit({"changed": ids}))
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        # A cluster that just lost a node may take seconds to accept a session (JetStream elects
        # a new leader): --until-synced gives the connection its whole budget.
        client.start(max(10.0, timeout_s) if until_synced else 10.0)
        if until_synced:
            _until_synced(client, timeout_s)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        client.stop()
        store.close()


def _until_synced(client: VehicleClient, timeout_s: float) -> None:
    """Wait for "up to date", saying how it goes; raise with the reason when time is up."""
    deadline = time.monotonic() + timeout_s
    while not client.wait_synced(min(PROGRESS_EVERY_S, max(0.0, deadline - time.monotonic()))):
        if time.monotonic() >= deadline:
            raise click.ClickException(f"not synced after {timeout_s:g} s: {_why(client)}")
        click.echo(f"{client.status.state}: {client.status.detail} [{_numbers(client)}]", err=True)
    r = client.settled(lambda s: s.report())
    rejected = sum(r["rejected"].values())
    click.echo(f"up to date: version {r['version']}, statuses {r['status_seq']}, {rejected} rejected")


def _numbers(client: VehicleClient) -> str:
    r = client.settled(lambda s: s.report())
    parts = [f"version {r['version']}/{r['manifest_version']}", f"statuses {r['status_seq']}/{r['status_target']}"]
    if r["chunks"]:
        parts.append(f"chunks {r['chunks'][0]}/{r['chunks'][1]}")
    if r["rejected"]:
        parts.append("rejected " + ", ".join(f"{n} {reason}" for reason, n in sorted(r["rejected"].items())))
    return "; ".join(parts)


def _why(client: VehicleClient) -> str:
    s = client.status
    why = s.detail
    if s.state == "offline" and client.transport.last_error:
        why += f" ({client.transport.last_error})"
    return f"{s.state}: {why} [{_numbers(client)}]"
