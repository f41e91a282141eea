"""What every ``ivi`` subcommand shares: the ``--db`` option, opening the cache, output helpers,
and turning library errors into one-line messages (the only place they become text)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from chargers.errors import ChargerDataError
from chargers.store import ChargerStore, Filters
from geo.errors import GeoError
from geo.geometry import parse_latlon
from ivi.planner.vehicle import VehicleProfile
from ivi.profiles import load_profile
from ivi.settings import DEFAULT_RESERVE_PERCENT, DEFAULT_VEHICLE, Settings, SettingsError
from sync.errors import SyncError

NETWORK_CHOICES = ("NIO", "XPENG", "LI_AUTO")


class FriendlyGroup(click.Group):
    """A click group that shows library errors as ``Error: …`` and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SyncError, ChargerDataError, GeoError, ValueError, OSError) as exc:
            if isinstance(exc, click.ClickException):
                raise
            raise click.ClickException(str(exc)) from exc


def settings() -> Settings:
    """The defaults, read from the environment once per command line (by the ``ivi`` group, which
    keeps them on its context; a subcommand invoked on its own reads them itself)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is not None and isinstance(root.obj, Settings):
        return root.obj
    try:
        found = Settings.from_environment()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    if root is not None:
        root.obj = found
    return found


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Cache file (default: $IVI_DB, else the user data dir). Created and seeded from the bundled feeds "
        "if missing.",
    )(f)


def vehicle_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--vehicle",
        default=None,
        help=f"Profile id (su7-standard, su7-pro, su7-max, or one in the user profiles dir) or a .toml path "
        f"[default: $IVI_VEHICLE, else {DEFAULT_VEHICLE}].",
    )(f)


def reserve_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--reserve",
        "reserve_percent",
        type=click.FloatRange(0, 80),
        default=None,
        help=f"Never arrive anywhere below this state of charge, % [default: $IVI_RESERVE_PERCENT, else "
        f"{DEFAULT_RESERVE_PERCENT:g}].",
    )(f)


def open_store(db_path: Path | None, *, seed: bool = True) -> ChargerStore:
    """The cache at ``db_path``, or at the default path when None."""
    return ChargerStore.open(db_path or settings().db_path, seed=seed)


def load_vehicle(vehicle: str | None) -> VehicleProfile:
    """The profile ``--vehicle`` names (or the default), looking in the user profiles dir first."""
    s = settings()
    return load_profile(vehicle or s.vehicle, s.profiles_dir)


def reserve(reserve_percent: float | None) -> float:
    return settings().reserve_percent if reserve_percent is None else reserve_percent


def latlon_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        return parse_latlon(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def when_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """``HH:MM`` (today, on the head unit's clock) or ISO 8601 with an offset
    (``2026-12-01T07:30+08:00``) → an aware datetime; None: now. The planner reads tariffs on each
    station's own clock, so an instant given with its offset plans the same under any ``TZ``."""
    if value is None:
        return None
    text = value.strip()
    if len(text) <= 5 and ":" in text:
        try:
            h, m = (int(x) for x in text.split(":"))
        except ValueError as exc:
            raise click.BadParameter(f"expected HH:MM or an ISO 8601 time with offset, got {value!r}") from exc
        if not (0 <= h < 24 and 0 <= m < 60):
            raise click.BadParameter(f"expected HH:MM or an ISO 8601 time with offset, got {value!r}")
        return datetime.now().astimezone().replace(hour=h, minute=m, second=0, microsecond=0)
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"expected HH:MM or an ISO 8601 time with offset, got {value!r}") from exc
    if when.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no UTC offset: write it as e.g. {text}+08:00, or give HH:MM")
    return when


def networks_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    nets = frozenset(v.strip().upper().replace("-", "_") for v in value.split(",") if v.strip())
    unknown = nets - set(NETWORK_CHOICES)
    if unknown:
        raise click.BadParameter(
            f"unknown network(s) {', '.join(sorted(unknown))}; choose from {', '.join(NETWORK_CHOICES)}"
        )
    return nets


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The driver's filters as options; the command receives one ``filters: Filters`` argument."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        networks: frozenset[str] | None,
        min_power_kw: float,
        standard: str | None,
        available_only: bool,
        green_only: bool,
        **kwargs: Any,
    ) -> Any:
        filters = Filters(networks, min_power_kw, standard.upper() if standard else None, available_only, green_only)
        return f(*args, filters=filters, **kwargs)

    w: Callable[..., Any] = wrapper
    w = click.option("--networks", callback=networks_arg, help="Comma-separated: NIO,XPENG,LI_AUTO.")(w)
    w = click.option(
        "--min-power", "min_power_kw", type=click.FloatRange(0, 2000), default=0.0, help="Minimum charger power, kW."
    )(w)
    w = click.option("--connector", "standard", default=None, help="Connector standard, e.g. GBT_DC.")(w)
    w = click.option("--available", "available_only", is_flag=True, help="Only stations with an available EVSE.")(w)
    w = click.option("--green", "green_only", is_flag=True, help="Only green-energy stations.")(w)
    return w


def to_jsonable(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if hasattr(obj, "_asdict"):  # NamedTuple rows such as chargers.store.Station
        return {k: to_jsonable(v) for k, v in obj._asdict().items()}
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    return obj


def emit_json(obj: Any) -> None:
    json.dump(to_jsonable(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
