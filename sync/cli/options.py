"""Options and helpers shared by the ``ivi-sync`` subcommands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import platformdirs

from sync.addresses import broker_urls
from sync.protocol.bodies import DEFAULT_DATASET

_broker = click.option(
    "--broker",
    required=True,
    multiple=True,
    envvar="IVI_SYNC_BROKER",
    callback=lambda ctx, param, value: broker_urls(value),
    help="mqtt://host:port, or mqtts://host:port for TLS; a cluster's nodes repeated or comma-separated "
    "(the client fails over to the next one). Env: IVI_SYNC_BROKER.",
)
_dataset = click.option("--dataset", default=DEFAULT_DATASET, show_default=True)
_cafile = click.option("--cafile", type=click.Path(exists=True, dir_okay=False), help="CA bundle for mqtts://.")
_user = click.option("--username", default=None, envvar="IVI_SYNC_MQTT_USERNAME", help="Broker user.")
_password = click.option(
    "--password", default=None, envvar="IVI_SYNC_MQTT_PASSWORD", help="Broker password (prefer --password-file)."
)
_password_file = click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="IVI_SYNC_MQTT_PASSWORD_FILE",
    help="File holding the broker password (its first line); keeps it off the command line.",
)
_mqtt = click.option(
    "--mqtt",
    "mqtt_version",
    type=click.Choice(["5", "3.1.1"]),
    default="5",
    show_default=True,
    help="Protocol version; 3.1.1 for brokers without MQTT 5.",
)
_json = click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")


def _pubkeys(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--pubkey",
        "pubkey_paths",
        required=True,
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="The operator's Ed25519 public key; repeat to trust two keys while the key is rotated.",
    )(f)


def _state_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--state",
        "state_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: Path(platformdirs.user_state_dir("ivi-charging")) / "publisher",
        show_default="user state dir",
        help="Where the publisher remembers what it published.",
    )(f)


def _credentials(f: Callable[..., Any]) -> Callable[..., Any]:
    """What every command needs to log in to the broker."""
    for opt in (_mqtt, _password_file, _password, _user, _cafile):
        f = opt(f)
    return f


def _connection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What every publisher-side command needs to reach the broker and its state."""
    for opt in (_credentials, _dataset, _state_option):
        f = opt(f)
    return f


def password_of(password: str | None, password_file: Path | None) -> str | None:
    """``--password``, or the first line of ``--password-file`` (which wins)."""
    if password_file is not None:
        try:
            return password_file.read_text(encoding="utf-8").splitlines()[0] if password_file.stat().st_size else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"{password_file}: {exc}", param_hint="--password-file") from exc
    return password


def parse_time(text: str) -> float:
    """Epoch seconds, or an ISO-8601 date or time (UTC unless it says otherwise)."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        t = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is neither epoch seconds nor an ISO-8601 time") from exc
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).timestamp()


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
