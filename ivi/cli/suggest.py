"""``ivi suggest``: the partner stations worth stopping at, ahead on a route or around the car.

First one line on how far the charge goes ("no stop needed before km 312", or at low charge
"about 40 km left; nearest fast charger 4.7 km"), then the stations: with ``--to`` the trip
plan's next stop first, then the others by minutes lost per 100 km of range they add. AC
destination chargers only with ``--ac`` (or when nothing else is reachable)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from geo.geometry import cumulative_km, locate_on_route, read_polyline
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
    when_arg,
)
from ivi.cli.plan import STALE_SOC_AFTER_S
from ivi.planner import PlannerError, Road, SuggestRequest, TripRequest, overview, plan_trip, reach_km
from ivi.planner import suggest as suggest_stations
from ivi.planner.model import min_of_day
from ivi.planner.sources import nearby_candidates, occupancy_for, route_candidates


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
@click.option(
    "--time",
    "when",
    callback=when_arg,
    default=None,
    help="HH:MM (head unit's clock) or ISO 8601 with offset [default: now].",
)
@click.option("--ac", "include_ac", is_flag=True, help="Also AC destination chargers (slow).")
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
    when,
    include_ac,
    limit,
    filters,
    db_path,
    as_json,
) -> None:
    """Reachable partner chargers, the trip plan's next stop first, then by time per range added."""
    now = datetime.now(UTC)
    try:
        profile = load_vehicle(vehicle)
        reserve_percent = reserve(reserve_percent)
        points, road, route = None, Road(), None
        if route_file:
            points = read_polyline(route_file)
        elif destination:
            route = route_between(f"{at[0]},{at[1]}", destination)
            points, road = list(route.points), Road.from_route(route)
        plan_ids: tuple[str, ...] = ()
        with open_store(db_path) as store:
            if points:
                cum = cumulative_km(points)
                position = locate_on_route(points, cum, at).km
                route_km = cum[-1]
                reach = reach_km(profile, soc_percent, reserve_percent, outside_temp_c=temp_c)
                cands = route_candidates(store, points, now, filters=filters, from_km=position, to_km=position + reach)
                if route is not None:  # a trip to plan: its next stop comes first
                    whole = route_candidates(store, points, now, filters=filters)
                    trip = plan_trip(
                        TripRequest(
                            route_km, profile, soc_percent, whole, reserve_percent=reserve_percent,
                            outside_temp_c=temp_c, position_km=position, depart_at=when or now, road=road,
                            occupancy=occupancy_for(store, whole, now),
                        )
                    )  # fmt: skip
                    plan_ids = tuple(s.location_id for s in trip.stops)
            else:
                cands = nearby_candidates(store, at, now, n=max(50, limit * 3), filters=filters)
                position, route_km = 0.0, None
            occupancy = occupancy_for(store, cands, now)
        if occupancy is not None and when is not None:
            occupancy = replace(occupancy, at=when)
        req = SuggestRequest(
            vehicle=profile,
            soc_percent=soc_percent,
            candidates=cands,
            route_km=route_km,
            position_km=position,
            reserve_percent=reserve_percent,
            target_soc_percent=target_soc,
            now_min_of_day=min_of_day(when or now),
            outside_temp_c=temp_c,
            soc_stale=soc_age_s > STALE_SOC_AFTER_S,
            networks=filters.networks,
            min_power_kw=filters.min_power_kw,
            available_only=filters.available_only,
            green_only=filters.green_only,
            limit=limit,
            plan_stop_ids=plan_ids,
            include_ac=include_ac,
            road=road,
            occupancy=occupancy,
        )
        hits = suggest_stations(req)
        view = overview(req, hits)
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    warnings = [f"state of charge {soc_percent:g} % is stale ({soc_age_s:.0f} s old)"] if req.soc_stale else []
    if as_json:
        emit_json(
            {
                "vehicle": profile.id,
                "soc_stale": req.soc_stale,
                "warnings": warnings,
                "overview": view.to_json(),
                "suggestions": [h.to_json() for h in hits],
            }
        )
        return
    for w in warnings:
        click.echo(f"warning: {w}")
    click.echo(view.message)
    for h in hits:
        avail = f"{h.available_count}/{h.evse_count}{'' if h.status_fresh else '?'}"
        mark = "plan " if h.planned else ("low  " if h.low_battery else "     ")
        click.echo(
            f"{mark}{h.time_cost_min:4.0f} min  km {h.along_km:6.1f} +{h.detour_km:4.1f}  {h.network:8} "
            f"{h.power_kw:4.0f} kW {avail:6} {h.arrival_soc:3.0f}→{h.target_soc:3.0f} %  ¥{h.cost_cny:5.0f} "
            f"{'🌿' if h.is_green else '  '} {h.name}"
        )
        if h.outlook is not None:
            click.echo("       " + "; ".join(r.en for r in h.outlook.reasons))
    if not hits:
        click.echo("no reachable partner charger matches", err=True)
