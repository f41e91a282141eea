"""``ivi run``: the main job on the embedded defaults.

Until the head-unit screen lands this is headless: a simulated drive along the route that prints,
every 100 km, the state of charge and the next partner stations ahead.
"""
from __future__ import annotations

from pathlib import Path

import click

from ivi.cli.common import db_option, open_store
from sync.geo.routes import route_between

KWH_PER_KM = 0.16
BATTERY_KWH = 94.3


@click.command("run")
@click.option("--from", "origin", default="Beijing", show_default=True)
@click.option("--to", "destination", default="Shanghai", show_default=True)
@click.option("--soc", "soc_percent", type=click.FloatRange(0, 100), default=80.0, show_default=True)
@db_option
def run(origin: str, destination: str, soc_percent: float, db_path: Path | None) -> None:
    """Run the module (headless: a simulated drive printing the stations ahead)."""
    route = route_between(origin, destination)
    with open_store(db_path) as store:
        stations = store.along_route(route.points, 5.0)
        click.echo(f"{origin} → {destination}: {route.distance_km:.0f} km, {len(stations)} partner stations on the way")
        km = 0.0
        while km <= route.distance_km:
            soc = soc_percent - km * KWH_PER_KM / BATTERY_KWH * 100
            ahead = [s for s in stations if km <= s.along_km <= km + 100][:3]
            click.echo(f"km {km:6.0f}  SoC {max(soc, 0):5.1f} %")
            for s in ahead:
                st = s.station
                click.echo(f"    +{s.along_km - km:5.1f} km  {st.network:8} {st.max_power_kw:4.0f} kW  "
                           f"{st.available_count}/{st.evse_count}  {st.name}")
            km += 100
