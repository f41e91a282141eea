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

import click

from sync.cli.options import _broker, _cafile, _dataset, _logging, _mqtt, _password, _user


@click.command("follow")
@_broker
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pubkey", "pubkey_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--until-synced", is_flag=True, help="Exit 0 once up to date (1 on --timeout).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1), default=120.0, show_default=True)
@click.option(
    "--client-id",
    default=lambda: f"car-{socket.gethostname()}",
    show_default="car-HOSTNAME",
    help="Fixed per car: the broker keeps the session under it.",
)
@_dataset
@_cafile
@_user
@_password
@_mqtt
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
    pubkey_path,
    until_synced,
    timeout_s,
    client_id,
    dataset,
    cafile,
    username,
    password,
    mqtt_version,
    verbose,
    events,
) -> None:
    """Keep a charger cache in step with the publisher (headless vehicle client).

    With ``--events`` this is how the head-unit app runs its sync: in its own process, so that
    applying a snapshot never competes with the screen for Python's interpreter lock."""
    from chargers.store import ChargerStore
    from sync.client import VehicleClient
    from sync.signing import load_verifier

    _logging(verbose)
    store = ChargerStore.open(db_path, seed=False)
    client = VehicleClient(
        store,
        load_verifier(pubkey_path),
        broker,
        client_id,
        dataset=dataset,
        mqtt5=mqtt_version == "5",
        ca_file=cafile,
        username=username,
        password=password,
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
    client.start()
    try:
        if until_synced:
            ok = client.wait_synced(timeout_s)
            s = client.status
            click.echo(
                f"{'up to date' if ok else 'NOT synced'}: version {s.version}, {len(client.rejections)} rejected"
            )
            if not ok:
                raise SystemExit(1)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        client.stop()
        store.close()
