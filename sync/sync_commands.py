"""``ivi-sync keygen | publish | status-feed | follow``: the OTA sync from the command line.
Thin: each command builds the library objects and prints what they report."""
from __future__ import annotations

import dataclasses
import json
import logging
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import click
import platformdirs

from sync.activity import REALISTIC_RATE_PER_EVSE_S, StatusSimulator
from sync.protocol.bodies import DEFAULT_DATASET

_broker = click.option("--broker", required=True, help="mqtt://host:port, or mqtts://host:port for TLS.")
_dataset = click.option("--dataset", default=DEFAULT_DATASET, show_default=True)
_cafile = click.option("--cafile", type=click.Path(exists=True, dir_okay=False), help="CA bundle for mqtts://.")
_user = click.option("--username", default=None)
_password = click.option("--password", default=None, envvar="IVI_SYNC_MQTT_PASSWORD")
_mqtt = click.option("--mqtt", "mqtt_version", type=click.Choice(["5", "3.1.1"]), default="5", show_default=True,
                     help="Protocol version; 3.1.1 for brokers without MQTT 5.")


def _state_option(f):  # type: ignore[no-untyped-def]
    return click.option("--state", "state_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=lambda: Path(platformdirs.user_state_dir("ivi-charging")) / "publisher",
                        show_default="user state dir", help="Where the publisher remembers what it published.")(f)


def _connection_options(f):  # type: ignore[no-untyped-def]
    """What every publisher-side command needs to reach the broker and its state."""
    for opt in (_mqtt, _password, _user, _cafile, _dataset, _state_option):
        f = opt(f)
    return f


def _logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@click.command("keygen")
@click.option("--out", "prefix", required=True, type=click.Path(path_type=Path), help="Writes PREFIX.key and PREFIX.pub.")
@click.option("--force", is_flag=True, help="Overwrite an existing key pair.")
def keygen(prefix: Path, force: bool) -> None:
    """Write an Ed25519 operator key pair (the car gets only PREFIX.pub)."""
    from sync.signing import write_keypair

    for p in write_keypair(prefix, overwrite=force):
        click.echo(str(p))


@click.command("publish")
@_broker
@click.option("--feeds", "feeds_dir", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--once/--watch", default=True, help="Publish once and exit, or keep watching the feeds.")
@click.option("--interval", "interval_s", type=click.FloatRange(0.5, 86400), default=10.0, show_default=True,
              help="--watch: seconds between looks at the feeds (also the manifest heartbeat).")
@_connection_options
@click.option("--json", "as_json", is_flag=True)
@click.option("-v", "--verbose", is_flag=True)
def publish(broker, feeds_dir, key_path, once, interval_s, state_dir, dataset, cafile, username, password,  # type: ignore[no-untyped-def]
            mqtt_version, as_json, verbose) -> None:
    """Validate the partners' OCPI feeds and publish what changed: snapshot, deltas, manifest."""
    from sync.publisher import Publisher
    from sync.signing import load_signer

    _logging(verbose)
    pub = Publisher(broker, load_signer(key_path), state_dir=state_dir, dataset=dataset, mqtt5=mqtt_version == "5",
                    ca_file=cafile, username=username, password=password).start()
    try:
        while True:
            r = pub.publish_feeds([feeds_dir])
            if as_json:
                click.echo(json.dumps({"version": r.version, "messages": r.messages, "bytes": r.bytes,
                                       "locations": r.locations, "rejected": len(r.rejections)}))
            else:
                click.echo(f"version {r.version}: {r.messages} messages, {r.bytes} bytes, {r.locations} locations")
                for rej in r.rejections[:20]:
                    click.echo(f"  rejected {rej.record_id}: {rej.reason}{' (' + rej.detail + ')' if rej.detail else ''}", err=True)
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


@click.command("status-feed")
@_broker
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--rate", "rate_per_s", type=click.FloatRange(0.1, 1e6), default=None,
              help="Status changes per second (default: realistic, one per EVSE every 20 minutes).")
@click.option("--count", type=click.IntRange(1), default=None, help="Stop after this many changes.")
@click.option("--seed", type=int, default=1, show_default=True)
@_connection_options
@click.option("-v", "--verbose", is_flag=True)
def status_feed(broker, key_path, rate_per_s, count, seed, state_dir, dataset, cafile, username, password,  # type: ignore[no-untyped-def]
                mqtt_version, verbose) -> None:
    """Replay simulated partner EVSE status changes through the publisher (needs a prior publish)."""
    from sync.publisher import Publisher
    from sync.signing import load_signer

    _logging(verbose)
    pub = Publisher(broker, load_signer(key_path), state_dir=state_dir, dataset=dataset, mqtt5=mqtt_version == "5",
                    ca_file=cafile, username=username, password=password)
    if not pub.state.version:
        pub.close()
        raise click.ClickException("nothing published yet: run `ivi-sync publish` with the same --state first")
    sim = StatusSimulator(((e.uid, e.status, e.last_updated) for l in pub.operator.effective_locations().values()
                           for e in l.evses), seed)
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
            if time.monotonic() - last_beat > 5:
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


@click.command("follow")
@_broker
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pubkey", "pubkey_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--until-synced", is_flag=True, help="Exit 0 once up to date (1 on --timeout).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1), default=120.0, show_default=True)
@click.option("--client-id", default=lambda: f"car-{socket.gethostname()}", show_default="car-HOSTNAME",
              help="Fixed per car: the broker keeps the session under it.")
@_dataset
@_cafile
@_user
@_password
@_mqtt
@click.option("-v", "--verbose", is_flag=True)
@click.option("--events", is_flag=True,
              help="Print JSON lines on stdout for a supervising app: {\"status\": {...}} on every state change, "
                   "{\"changed\": [location ids] | null} after every committed cache write.")
def follow(broker, db_path, pubkey_path, until_synced, timeout_s, client_id, dataset, cafile, username,  # type: ignore[no-untyped-def]
           password, mqtt_version, verbose, events) -> None:
    """Keep a charger cache in step with the publisher (headless vehicle client).

    With ``--events`` this is how the head-unit app runs its sync: in its own process, so that
    applying a snapshot never competes with the screen for Python's interpreter lock."""
    from sync.client import VehicleClient
    from sync.signing import load_verifier
    from sync.store import ChargerStore

    _logging(verbose)
    store = ChargerStore.open(db_path, seed=False)
    client = VehicleClient(store, load_verifier(pubkey_path), broker, client_id, dataset=dataset,
                           mqtt5=mqtt_version == "5", ca_file=cafile, username=username, password=password)
    client.add_observer(lambda s: click.echo(
        f"{s.state} {s.progress:.0%} version={s.version} {s.detail}", err=True) if verbose else None)
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
            click.echo(f"{'up to date' if ok else 'NOT synced'}: version {s.version}, {len(client.rejections)} rejected")
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
