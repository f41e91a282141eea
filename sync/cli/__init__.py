"""``ivi-sync``: the cloud side from the command line, one module per subcommand (as cantools does).

The library comes first; each command builds its objects and prints what they report. Library
errors become one ``Error: …`` line here and nowhere else."""

from __future__ import annotations

import click

from chargers.errors import ChargerDataError
from geo.errors import GeoError
from sync.errors import SyncError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (SyncError, ChargerDataError, GeoError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
@click.version_option(package_name="ivi-charging")
def main() -> None:
    """Partner charger data: feeds, publishing and following the OTA sync."""


from sync.cli.feeds import feeds  # noqa: E402 — the subcommands register on ``main``
from sync.cli.fleet import fleet  # noqa: E402
from sync.cli.follow import follow  # noqa: E402
from sync.cli.inspect import inspect  # noqa: E402
from sync.cli.keygen import keygen  # noqa: E402
from sync.cli.publish import publish  # noqa: E402
from sync.cli.status_feed import status_feed  # noqa: E402
from sync.cli.verify import verify  # noqa: E402

for _cmd in (feeds, keygen, verify, publish, status_feed, follow, fleet, inspect):
    main.add_command(_cmd)

__all__ = ["main"]
