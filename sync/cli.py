"""``ivi-sync``: charger data and the cloud side from the command line."""
from __future__ import annotations

from pathlib import Path

import click

from sync.errors import SyncError
from sync.feeds.generator import GeneratorConfig, write_feeds


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (SyncError, OSError) as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.version_option(package_name="ivi-charging")
def main() -> None:
    """Partner charger data: feeds, publishing and following the OTA sync."""


@main.command("feeds")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--scale", type=click.FloatRange(0.001, 100), default=1.0, show_default=True,
              help="1 = the partnership's 29,000 chargers; 35 ≈ a million.")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--no-gzip", is_flag=True, help="Write plain .json instead of .json.gz.")
def feeds(out_dir: Path, scale: float, seed: int, no_gzip: bool) -> None:
    """Write one realistic OCPI Locations feed per partner network (deterministic)."""
    for p in write_feeds(out_dir, GeneratorConfig(scale=scale, seed=seed), compress=not no_gzip):
        click.echo(str(p))


from sync.sync_commands import follow, keygen, publish, status_feed  # noqa: E402  (registration)

for _cmd in (keygen, publish, status_feed, follow):
    main.add_command(_cmd)
