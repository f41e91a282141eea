"""``ivi-sync feeds``: realistic partner OCPI feeds (the charger data the publisher signs)."""

from __future__ import annotations

from pathlib import Path

import click

from chargers.feeds.generator import GeneratorConfig, write_feeds


@click.command("feeds")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scale",
    type=click.FloatRange(0.001, 100),
    default=1.0,
    show_default=True,
    help="1 = the partnership's 29,000 chargers; 35 ≈ a million.",
)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--no-gzip", is_flag=True, help="Write plain .json instead of .json.gz.")
def feeds(out_dir: Path, scale: float, seed: int, no_gzip: bool) -> None:
    """Write one realistic OCPI Locations feed per partner network (deterministic)."""
    for p in write_feeds(out_dir, GeneratorConfig(scale=scale, seed=seed), compress=not no_gzip):
        click.echo(str(p))
