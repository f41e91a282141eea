"""``ivi plan``: the fastest charging plan to a destination, with the fewest-stops and cheapest
alternatives. The state of charge comes from ``--soc`` (the app wires CAN in later)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from chargers.store import Filters
from geo.routes import route_between
from ivi.cli.common import (
    db_option,
    emit_json,
    load_vehicle,
    networks_arg,
    open_store,
    reserve,
    reserve_option,
    vehicle_option,
)
from ivi.planner import PlannerError, TripRequest, plan_trip
from ivi.planner.sources import route_candidates
from ivi.planner.trip import describe

STALE_SOC_AFTER_S = 300.0


def clock_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """``HH:MM`` → minutes after midnight."""
    if value is None:
        return None
    try:
        h, m = value.split(":")
        hours, minutes = int(h), int(m)
    except ValueError as exc:
        raise click.BadParameter(f"expected HH:MM, got {value!r}") from exc
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise click.BadParameter(f"expected HH:MM, got {value!r}")
    return hours * 60.0 + minutes


def now_min_of_day() -> float:
    now = datetime.now().astimezone()
    return now.hour * 60.0 + now.minute


@click.command("plan")
@click.option("--from", "origin", required=True, help="City name or LAT,LON.")
@click.option("--to", "destination", required=True, help="City name or LAT,LON.")
@click.option("--soc", "soc_percent", type=click.FloatRange(0, 100), required=True, help="State of charge now, %.")
@click.option(
    "--soc-age",
    "soc_age_s",
    type=click.FloatRange(0),
    default=0.0,
    help=f"Seconds since the state of charge was read; over {STALE_SOC_AFTER_S:.0f} s it is flagged stale.",
)
@vehicle_option
@reserve_option
@click.option(
    "--arrive-soc",
    "arrive_soc",
    type=click.FloatRange(0, 100),
    default=None,
    help="State of charge wanted at the destination, % (default: the reserve).",
)
@click.option(
    "--via-station",
    "via",
    multiple=True,
    help="Charge at this station id: at least 10 points more, or to full (repeatable).",
)
@click.option("--avoid-station", "avoid", multiple=True, help="Never stop at this station id (repeatable).")
@click.option("--networks", callback=networks_arg, help="Comma-separated: NIO,XPENG,LI_AUTO.")
@click.option(
    "--temp", "temp_c", type=click.FloatRange(-40, 50), default=20.0, show_default=True, help="Outside temperature, °C."
)
@click.option("--depart", "depart_min", callback=clock_arg, default=None, help="Departure time HH:MM (default: now).")
@db_option
@click.option("--json", "as_json", is_flag=True)
def plan(
    origin,
    destination,
    soc_percent,
    soc_age_s,
    vehicle,
    reserve_percent,
    arrive_soc,
    via,
    avoid,
    networks,
    temp_c,
    depart_min,
    db_path: Path | None,
    as_json: bool,
) -> None:
    """Charging stops that minimise total trip time from --from to --to."""
    try:
        profile = load_vehicle(vehicle)
        route = route_between(origin, destination)
        with open_store(db_path) as store:
            cands = route_candidates(
                store, route.points, datetime.now(UTC), filters=Filters(networks=networks), include_ids=via
            )
        req = TripRequest(
            route_km=route.distance_km,
            vehicle=profile,
            soc_percent=soc_percent,
            candidates=cands,
            reserve_percent=reserve(reserve_percent),
            arrive_soc_percent=arrive_soc,
            depart_min_of_day=now_min_of_day() if depart_min is None else depart_min,
            outside_temp_c=temp_c,
            soc_stale=soc_age_s > STALE_SOC_AFTER_S,
            pinned_ids=tuple(via),
            avoided_ids=frozenset(avoid),
            origin=origin,
            destination=destination,
        )
        result = plan_trip(req)
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json({"from": origin, "to": destination, "vehicle": profile.id, **result.to_json()})
        return
    click.echo(f"{origin} → {destination}: {route.distance_km:.0f} km, {profile.name}, start {soc_percent:g} %")
    for w in result.warnings:
        click.echo(f"warning: {w}")
    for line in describe(result):
        click.echo(line)
    status = "" if result.feasible else "NOT FEASIBLE: " + result.message
    click.echo(
        f"total {result.total_min / 60:.1f} h (drive {result.drive_min / 60:.1f} h, charge "
        f"{result.charge_min:.0f} min), "
        f"arrive with {result.arrival_soc:.0f} %, ¥{result.cost_cny:.0f}  {status}"
    )
    for name, alt in result.alternatives.items():
        click.echo(f"  {name:13} {len(alt.stops)} stops, {alt.total_min / 60:.1f} h, ¥{alt.cost_cny:.0f}")
