"""``ivi suggest``: the partner stations worth stopping at, ahead on a route or around the car."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from geo.geometry import cumulative_km, locate_on_route, parse_polyline
from geo.routes import route_between
from ivi.cli.common import (
    db_option,
    emit_json,
    filter_options,
    latlon_arg,
    load_vehicle,
    open_store,
    reserve,
    reserve_option,
    vehicle_option,
)
from ivi.cli.plan import STALE_SOC_AFTER_S, clock_arg, now_min_of_day
from ivi.planner import PlannerError, SuggestRequest, reach_km
from ivi.planner import suggest as suggest_stations
from ivi.planner.sources import nearby_candidates, route_candidates


@click.command("suggest")
@click.option("--at", "at", required=True, callback=latlon_arg, help="Where the car is: LAT,LON.")
@click.option("--soc", "soc_percent", type=click.FloatRange(0, 100), required=True, help="State of charge now, %.")
@click.option(
    "--soc-age", "soc_age_s", type=click.FloatRange(0), default=0.0, help="Seconds since the state of charge was read."
)
@click.option(
    "--route",
    "route_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The route ahead: GeoJSON LineString, [[lat,lon],…] or an encoded polyline.",
)
@click.option("--to", "destination", default=None, help="Or a destination (city or LAT,LON) to route to.")
@vehicle_option
@reserve_option
@click.option(
    "--target", "target_soc", type=click.FloatRange(0, 100), default=80.0, show_default=True, help="Charge to, %."
)
@click.option("--temp", "temp_c", type=click.FloatRange(-40, 50), default=20.0, show_default=True)
@click.option("--time", "time_min", callback=clock_arg, default=None, help="Local time HH:MM (default: now).")
@click.option("-n", "--limit", type=click.IntRange(1, 200), default=10)
@filter_options
@db_option
@click.option("--json", "as_json", is_flag=True)
def suggest(
    at,
    soc_percent,
    soc_age_s,
    route_file,
    destination,
    vehicle,
    reserve_percent,
    target_soc,
    temp_c,
    time_min,
    limit,
    filters,
    db_path,
    as_json,
) -> None:
    """Reachable partner chargers ranked by the time a stop costs."""
    now = datetime.now(UTC)
    try:
        profile = load_vehicle(vehicle)
        reserve_percent = reserve(reserve_percent)
        points = None
        if route_file:
            points = parse_polyline(route_file.read_text())
        elif destination:
            points = list(route_between(f"{at[0]},{at[1]}", destination).points)
        with open_store(db_path) as store:
            if points:
                cum = cumulative_km(points)
                position = locate_on_route(points, cum, at).km
                route_km = cum[-1]
                reach = reach_km(profile, soc_percent, reserve_percent, outside_temp_c=temp_c)
                cands = route_candidates(store, points, now, filters=filters, from_km=position, to_km=position + reach)
            else:
                cands = nearby_candidates(store, at, now, n=max(50, limit * 3), filters=filters)
                position, route_km = 0.0, None
        req = SuggestRequest(
            vehicle=profile,
            soc_percent=soc_percent,
            candidates=cands,
            route_km=route_km,
            position_km=position,
            reserve_percent=reserve_percent,
            target_soc_percent=target_soc,
            now_min_of_day=now_min_of_day() if time_min is None else time_min,
            outside_temp_c=temp_c,
            soc_stale=soc_age_s > STALE_SOC_AFTER_S,
            networks=filters.networks,
            min_power_kw=filters.min_power_kw,
            available_only=filters.available_only,
            green_only=filters.green_only,
            limit=limit,
        )
        hits = suggest_stations(req)
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    warnings = [f"state of charge {soc_percent:g} % is stale ({soc_age_s:.0f} s old)"] if req.soc_stale else []
    if as_json:
        emit_json(
            {
                "vehicle": profile.id,
                "soc_stale": req.soc_stale,
                "warnings": warnings,
                "suggestions": [h.to_json() for h in hits],
            }
        )
        return
    for w in warnings:
        click.echo(f"warning: {w}")
    for h in hits:
        avail = f"{h.available_count}/{h.evse_count}{'' if h.status_fresh else '?'}"
        click.echo(
            f"{h.time_cost_min:5.0f} min  km {h.along_km:6.1f} +{h.detour_km:4.1f}  {h.network:8} {h.power_kw:4.0f} kW "
            f"{avail:6} {h.arrival_soc:3.0f}→{h.target_soc:3.0f} %  ¥{h.cost_cny:5.0f} "
            f"{'🌿' if h.is_green else '  '} {h.name}"
        )
    if not hits:
        click.echo("no reachable partner charger matches", err=True)
