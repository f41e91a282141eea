"""``ivi-sync keygen``: the operator's Ed25519 key pair."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("keygen")
@click.option(
    "--out", "prefix", required=True, type=click.Path(path_type=Path), help="Writes PREFIX.key and PREFIX.pub."
)
@click.option("--force", is_flag=True, help="Overwrite an existing key pair.")
def keygen(prefix: Path, force: bool) -> None:
    """Write an Ed25519 operator key pair (the car gets only PREFIX.pub)."""
    from sync.signing import write_keypair

    for p in write_keypair(prefix, overwrite=force):
        click.echo(str(p))
