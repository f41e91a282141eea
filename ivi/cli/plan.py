"""``ivi plan``: the fastest charging plan to a destination (``--alternatives``: also the
fewest-stops and cheapest ones). The state of charge comes from ``--soc`` (the app wires CAN in).
With an occupancy model in the cache, each stop's expected wait is the one predicted at the car's
arrival. ``--depart-window 07:00-10:00`` plans every ``--depart-step`` minutes of the window and
advises the departure with the least time and cost ("leave at 08:40: stop 2 is usually free then
and off-peak prices apply").

Exit status: 0 with a plan that reaches the destination; 3 when none does (the best partial
plan is still printed, with where the car runs out and the nearest charger there); 1 for an
error (one ``Error:`` line); 2 for a usage error."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
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
from ivi.planner.depart import DepartureAdvice, best_departure, china_clock, departures
from ivi.planner.model import clock
from ivi.planner.sources import occupancy_for, route_candidates, unknown_ids
from ivi.planner.trip import describe

STALE_SOC_AFTER_S = 300.0
#: ``ivi plan`` exits with this when no plan reaches the destination.
EXIT_INFEASIBLE = 3


def window_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, str] | None:
    """``HH:MM-HH:MM``, checked here (the day is known only with ``--depart``)."""
    if value is None:
        return None
    parts = value.replace(" ", "").split("-")
    ok = len(parts) == 2 and all(len(p) == 5 and p[2] == ":" and p[:2].isdigit() and p[3:].isdigit() for p in parts)
    if not ok or not all(int(p[:2]) < 24 and int(p[3:]) < 60 for p in parts):
        raise click.BadParameter(f"expected HH:MM-HH:MM (e.g. 07:00-10:00), got {value!r}")
    if parts[1] <= parts[0]:
        raise click.BadParameter(f"the window must end after it starts, got {value!r}")
    return parts[0], parts[1]


def window_on(day: datetime, window: tuple[str, str]) -> tuple[datetime, datetime]:
    """The window's two ends on ``day``'s date, in ``day``'s time zone."""
    midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    a, b = ((int(t[:2]) * 60 + int(t[3:])) for t in window)
    return midnight + timedelta(minutes=a), midnight + timedelta(minutes=b)


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
@click.option(
    "--depart-window",
    "depart_window",
    callback=window_arg,
    default=None,
    help="Advise when to leave: HH:MM-HH:MM on the day of --depart (default today); each departure in it "
    "is planned and the one with the least time and cost (predicted waits, tariffs) is advised.",
)
@click.option(
    "--depart-step",
    "depart_step",
    type=click.IntRange(5, 120),
    default=15,
    show_default=True,
    help="Minutes between the departures --depart-window tries.",
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
    depart_window: tuple[str, str] | None,
    depart_step: int,
    alternatives: bool,
    db_path: Path | None,
    as_json: bool,
) -> None:
    """Charging stops that minimise total trip time from --from to --to. Exits 3 when no plan
    reaches the destination (the best partial plan is printed)."""
    window = None
    if depart_window is not None:
        window = window_on(depart_at or datetime.now().astimezone(), depart_window)
        try:
            departures(*window, depart_step)
        except PlannerError as exc:
            raise click.BadParameter(str(exc), param_hint="'--depart-window'") from exc
    try:
        profile = load_vehicle(vehicle)
        route = route_between(origin, destination)
        now = datetime.now(UTC)
        with open_store(db_path) as store:
            unknown = unknown_ids(store, avoid)
            if unknown:
                raise click.ClickException(f"unknown station id(s) to avoid: {', '.join(unknown)}")
            cands = route_candidates(store, route.points, now, filters=Filters(networks=networks), include_ids=via)
            occupancy = occupancy_for(store, cands, now)
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
            occupancy=occupancy,
        )
        advice = None
        if window is not None:
            advice = best_departure(req, *window, depart_step)
            result = advice.best.plan
            req = replace(req, depart_at=advice.best.depart_at)
            if alternatives:
                result = plan_trip(req, alternatives=True)
        else:
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
                "occupancy_model": occupancy is not None,
                **({} if advice is None else {"departure": _advice_json(advice)}),
                **result.to_json(),
            }
        )
    else:
        if advice is not None:
            _print_advice(advice)
        elif occupancy is None:
            click.echo("no occupancy model synced yet: a wait is counted only where a fresh status says full")
        click.echo(f"{origin} → {destination}: ", nl=False)
        _print(route.distance_km, route.road_km, profile.name, soc_percent, req.reserve_percent, result)
    if not result.feasible:
        ctx.exit(EXIT_INFEASIBLE)


def _advice_json(advice: DepartureAdvice) -> dict:
    out = advice.to_json()
    out.pop("plan")  # the advised plan is the output's own
    return out


def _print_advice(advice: DepartureAdvice) -> None:
    click.echo(advice.text("en"))
    click.echo(advice.text("zh"))
    for o in advice.options:
        mark = "*" if o is advice.best else " "
        total = f"{o.plan.total_min / 60:4.1f} h" if o.plan.feasible else "  --  "
        click.echo(
            f" {mark} {china_clock(o.depart_at)}  {total}  wait {o.wait_min:4.0f} min  ¥{o.plan.cost_cny:6.1f}"
            f"  {len(o.plan.stops)} stop{'s' if len(o.plan.stops) != 1 else ''}"
        )


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
