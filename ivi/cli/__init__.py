"""``ivi``: the head-unit side from the command line. Each subcommand lives in its own module."""

from __future__ import annotations

import click

from ivi.cli.cache import cache
from ivi.cli.can_dump import can_dump
from ivi.cli.can_sim import can_sim
from ivi.cli.common import FriendlyGroup
from ivi.cli.plan import plan
from ivi.cli.run import run
from ivi.cli.suggest import suggest


@click.group(cls=FriendlyGroup, invoke_without_command=True)
@click.version_option(package_name="ivi-charging")
@click.pass_context
def main(ctx: click.Context) -> None:
    """In-vehicle charging module: partner chargers offline, CAN signals, charging stops."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


main.add_command(cache)
main.add_command(run)
main.add_command(plan)
main.add_command(suggest)
main.add_command(can_sim)
main.add_command(can_dump)
