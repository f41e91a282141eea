"""``ivi cache …``: the charger cache from the command line, mirroring ``chargers.store.ChargerStore``."""

from __future__ import annotations

from pathlib import Path

import click

from geo.geometry import read_polyline
from geo.routes import route_between
from ivi.cli.common import db_option, emit_json, filter_options, latlon_arg, open_store


@click.group("cache")
def cache() -> None:
    """The offline partner charger cache."""


@cache.command("import")
@click.argument("feeds", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--json", "as_json", is_flag=True)
def import_(feeds: tuple[Path, ...], db_path: Path | None, as_json: bool) -> None:
    """Import OCPI Locations feeds (files, .gz files or directories). Bad records are skipped and reported."""
    with open_store(db_path) as store:
        report = store.import_feeds(feeds)
    if as_json:
        emit_json(
            {
                "locations": report.locations,
                "evses": report.evses,
                "tariffs": report.tariffs,
                "per_network": report.per_network,
                "rejected": report.rejected_by_reason(),
            }
        )
        return
    click.echo(f"imported {report.locations} locations, {report.evses} EVSEs, {report.tariffs} tariffs")
    for net, n in sorted(report.per_network.items()):
        click.echo(f"  {net:8} {n:>7} EVSEs")
    if report.rejections:
        click.echo(f"rejected {len(report.rejections)} records:")
        for reason, n in report.rejected_by_reason().items():
            example = next(r for r in report.rejections if r.reason == reason)
            click.echo(
                f"  {n:>6}  {reason}  (e.g. {example.record_id}{': ' + example.detail if example.detail else ''})"
            )


@cache.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db_path: Path | None, as_json: bool) -> None:
    """Counts of locations and EVSEs per network."""
    with open_store(db_path) as store:
        st = store.stats()
    if as_json:
        emit_json(st)
        return
    click.echo(f"{'network':10} {'locations':>10} {'EVSEs':>8} {'available':>10}")
    for net, v in st["networks"].items():
        click.echo(f"{net:10} {v['locations']:>10} {v['evses']:>8} {v['available']:>10}")
    click.echo(f"{'total':10} {st['locations']:>10} {st['evses']:>8}")


def _station_line(s, extra: str) -> str:
    return (
        f"{extra} {s.network:8} {s.max_power_kw:>5.0f} kW {s.available_count:>2}/{s.evse_count:<2} "
        f"{'🌿' if s.is_green else '  '} {s.name}  [{s.id}]"
    )


@cache.command("near")
@click.argument("latlon", callback=latlon_arg)
@click.option("-n", "--limit", type=click.IntRange(1, 500), default=10)
@filter_options
@db_option
@click.option("--json", "as_json", is_flag=True)
def near(latlon, limit, filters, db_path, as_json) -> None:
    """The nearest stations to LAT,LON."""
    with open_store(db_path) as store:
        hits = store.near(latlon, limit, filters)
    if as_json:
        emit_json([{"distance_km": round(h.distance_km, 3), **_station_dict(h.station)} for h in hits])
        return
    for h in hits:
        click.echo(_station_line(h.station, f"{h.distance_km:7.2f} km"))


@cache.command("route")
@click.option("--from", "origin", help="City name or LAT,LON.")
@click.option("--to", "destination", help="City name or LAT,LON.")
@click.option(
    "--route",
    "route_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A route polyline: GeoJSON LineString, [[lat,lon],…] or an encoded polyline.",
)
@click.option("--corridor", "corridor_km", type=click.FloatRange(0.1, 100), default=5.0, help="Half-width, km.")
@filter_options
@db_option
@click.option("--json", "as_json", is_flag=True)
def route(origin, destination, route_file, corridor_km, filters, db_path, as_json) -> None:
    """Every station within a corridor of a route, by distance along it."""
    if route_file:
        points = read_polyline(route_file)
    elif origin and destination:
        points = list(route_between(origin, destination).points)
    else:
        raise click.UsageError("give --from and --to, or --route FILE")
    with open_store(db_path) as store:
        hits = store.along_route(points, corridor_km, filters)
    if as_json:
        emit_json(
            [
                {"along_km": round(h.along_km, 2), "off_route_km": round(h.off_route_km, 3), **_station_dict(h.station)}
                for h in hits
            ]
        )
        return
    for h in hits:
        click.echo(_station_line(h.station, f"{h.along_km:7.1f} km +{h.off_route_km:4.1f}"))


@cache.command("search")
@click.argument("text")
@click.option("-n", "--limit", type=click.IntRange(1, 500), default=20)
@filter_options
@db_option
@click.option("--json", "as_json", is_flag=True)
def search(text, limit, filters, db_path, as_json) -> None:
    """Stations whose name, address or city contain TEXT (Chinese, pinyin or English)."""
    with open_store(db_path) as store:
        hits = store.search(text, limit, filters)
    if as_json:
        emit_json([_station_dict(s) for s in hits])
        return
    for s in hits:
        click.echo(_station_line(s, ""))
    if not hits:
        click.echo("no station matches", err=True)


def _station_dict(s) -> dict:
    return {
        "id": s.id,
        "network": s.network,
        "name": s.name,
        "name_en": s.name_en,
        "city": s.city,
        "lat": s.lat,
        "lon": s.lon,
        "max_power_kw": s.max_power_kw,
        "evses": s.evse_count,
        "available": s.available_count,
        "green": s.is_green,
    }
