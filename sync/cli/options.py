"""Options and helpers shared by the ``ivi-sync`` subcommands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import platformdirs

from sync.protocol.bodies import DEFAULT_DATASET

_broker = click.option("--broker", required=True, help="mqtt://host:port, or mqtts://host:port for TLS.")
_dataset = click.option("--dataset", default=DEFAULT_DATASET, show_default=True)
_cafile = click.option("--cafile", type=click.Path(exists=True, dir_okay=False), help="CA bundle for mqtts://.")
_user = click.option("--username", default=None)
_password = click.option("--password", default=None, envvar="IVI_SYNC_MQTT_PASSWORD")
_mqtt = click.option(
    "--mqtt",
    "mqtt_version",
    type=click.Choice(["5", "3.1.1"]),
    default="5",
    show_default=True,
    help="Protocol version; 3.1.1 for brokers without MQTT 5.",
)


def _state_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--state",
        "state_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: Path(platformdirs.user_state_dir("ivi-charging")) / "publisher",
        show_default="user state dir",
        help="Where the publisher remembers what it published.",
    )(f)


def _connection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What every publisher-side command needs to reach the broker and its state."""
    for opt in (_mqtt, _password, _user, _cafile, _dataset, _state_option):
        f = opt(f)
    return f


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
