"""``ivi``: the head-unit side from the command line. Each subcommand lives in its own module,
imported only when it runs (or when ``ivi --help`` lists it): ``ivi plan`` does not pay for
cantools, python-can or Qt."""

from __future__ import annotations

import importlib

import click

from ivi.cli.common import FriendlyGroup, settings

__all__ = ["main"]

#: Subcommand → ``module:attribute``, in the order ``ivi --help`` lists them.
COMMANDS = {
    "run": "ivi.cli.run:run",
    "plan": "ivi.cli.plan:plan",
    "suggest": "ivi.cli.suggest:suggest",
    "cache": "ivi.cli.cache:cache",
    "can-sim": "ivi.cli.can_sim:can_sim",
    "can-dump": "ivi.cli.can_dump:can_dump",
}


class AppGroup(FriendlyGroup):
    """Lazily imported subcommands; and ``ivi`` alone is the app: ``ivi --screenshot F`` means
    ``ivi run --screenshot F``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # ``ivi`` alone is ``ivi run``, parsed as such: its options' callbacks (``--size``) must run too.
        if not args or (args[0].startswith("-") and args[0] not in ("--help", "-h", "--version")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=AppGroup, invoke_without_command=True)
@click.version_option(package_name="ivi-charging")
@click.pass_context
def main(ctx: click.Context) -> None:
    """In-vehicle charging module: partner chargers offline, CAN signals, charging stops.

    With no command, or with only ``ivi run``'s options, runs the head-unit app."""
    settings()  # the environment, read once for every subcommand (a bad IVI_* value stops here)
