"""``ivi plan``: the fastest charging plan to a destination (``--alternatives``: also the
fewest-stops and cheapest ones). The state of charge comes from ``--soc`` (the app wires CAN in).

Exit status: 0 with a plan that reaches the destination; 3 when none does (the best partial
plan is still printed, with where the car runs out and the nearest charger there); 1 for an
error (one ``Error:`` line); 2 for a usage error."""

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
    when_arg,
)
from ivi.planner import PlannerError, Road, TripPlan, TripRequest, plan_trip
from ivi.planner.model import clock
from ivi.planner.sources import route_candidates, unknown_ids
from ivi.planner.trip import describe

STALE_SOC_AFTER_S = 300.0
#: ``ivi plan`` exits with this when no plan reaches the destination.
EXIT_INFEASIBLE = 3


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
@click.option(
    "--margin",
    "margin_percent",
    type=click.FloatRange(0, 100),
    default=None,
    help="Keep the reserve with this much more consumption than expected, % [default: 15].",
)
@click.option(
    "--depart",
    "depart_at",
    callback=when_arg,
    default=None,
    help="Departure: HH:MM (today, head unit's clock) or ISO 8601 with offset, e.g. 2026-12-01T07:30+08:00 "
    "[default: now].",
)
@click.option("--alternatives", is_flag=True, help="Also the fewest-stops and the cheapest plan (slower).")
@db_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def plan(
    ctx: click.Context,
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
    margin_percent,
    depart_at,
    alternatives: bool,
    db_path: Path | None,
    as_json: bool,
) -> None:
    """Charging stops that minimise total trip time from --from to --to. Exits 3 when no plan
    reaches the destination (the best partial plan is printed)."""
    try:
        profile = load_vehicle(vehicle)
        route = route_between(origin, destination)
        now = datetime.now(UTC)
        with open_store(db_path) as store:
            unknown = unknown_ids(store, avoid)
            if unknown:
                raise click.ClickException(f"unknown station id(s) to avoid: {', '.join(unknown)}")
            cands = route_candidates(store, route.points, now, filters=Filters(networks=networks), include_ids=via)
        req = TripRequest(
            route_km=route.distance_km,
            vehicle=profile,
            soc_percent=soc_percent,
            candidates=cands,
            reserve_percent=reserve(reserve_percent),
            arrive_soc_percent=arrive_soc,
            outside_temp_c=temp_c,
            soc_stale=soc_age_s > STALE_SOC_AFTER_S,
            pinned_ids=tuple(via),
            avoided_ids=frozenset(avoid),
            origin=origin,
            destination=destination,
            depart_at=depart_at or now,
            road=Road.from_route(route),
            consumption_margin_percent=margin_percent,
        )
        result = plan_trip(req, alternatives=alternatives)
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(
            {
                "from": origin,
                "to": destination,
                "vehicle": profile.id,
                "depart_at_iso": req.departure().isoformat(timespec="minutes"),
                **result.to_json(),
            }
        )
    else:
        click.echo(f"{origin} → {destination}: ", nl=False)
        _print(route.distance_km, route.road_km, profile.name, soc_percent, req.reserve_percent, result)
    if not result.feasible:
        ctx.exit(EXIT_INFEASIBLE)


def _print(route_km: float, road_km: float, vehicle: str, soc: float, reserve_percent: float, result: TripPlan) -> None:
    click.echo(
        f"{route_km:.0f} km ({road_km:.0f} km on the road), {vehicle}, start {soc:g} % "
        f"(about {result.to_empty_km:.0f} km to empty, {result.reserve_km:.0f} km of it the {reserve_percent:g} % "
        f"reserve); plans keep the reserve with {result.consumption_margin_percent:.0f} % more consumption"
    )
    for w in result.warnings:
        click.echo(f"warning: {w}")
    for line in describe(result):
        click.echo(line)
    if result.feasible:
        click.echo(
            f"total {result.total_min / 60:.1f} h (drive {result.drive_min / 60:.1f} h, charge "
            f"{result.charge_min:.0f} min), arrive {clock(result.depart_min_of_day + result.total_min)} with "
            f"{result.arrival_soc:.0f} % (expect {result.expected_arrival_soc:.0f} %), ¥{result.cost_cny:.0f}"
        )
    else:
        click.echo(f"NOT FEASIBLE: {result.message}")
    for name, alt in result.alternatives.items():
        click.echo(f"  {name:13} {len(alt.stops)} stops, {alt.total_min / 60:.1f} h, ¥{alt.cost_cny:.0f}")
