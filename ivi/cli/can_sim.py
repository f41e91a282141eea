"""``ivi can-sim``: the reference car driving a route, as CAN traffic on a bus and/or in a log.

The route comes from the foundation's route graph (``--from/--to``) or a file (``--route``);
the simulator itself only ever sees the polyline.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from geo.errors import GeoError
from geo.geometry import read_polyline
from geo.routes import route_between
from ivi.can import CanError, FaultConfig, Simulator
from ivi.can.bus import open_bus, shutdown
from ivi.can.sim_runner import run_simulator
from ivi.can.simulator import parse_charge_at, parse_silence


@click.command("can-sim")
@click.option("--from", "origin", help="Start city or LAT,LON (with --to).")
@click.option("--to", "destination", help="Destination city or LAT,LON.")
@click.option(
    "--route",
    "route_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Route polyline file: GeoJSON LineString, [[lat,lon],...] or an encoded polyline.",
)
@click.option("--interface", default="virtual", show_default=True, help="python-can interface, or 'none' for log only.")
@click.option("--channel", default="ivi", show_default=True, help="python-can channel (remote: ws://127.0.0.1:PORT/).")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the traffic to a log (.asc, .blf, .log, .trc, .csv).",
)
@click.option(
    "--speedup",
    type=click.FloatRange(0.01, 100000),
    default=1.0,
    show_default=True,
    help="Fast-forward factor for the bus (a log-only run is never paced).",
)
@click.option(
    "--start-soc",
    "start_soc",
    type=click.FloatRange(1, 100),
    default=80.0,
    show_default=True,
    help="Displayed state of charge at the start, %.",
)
@click.option(
    "--temp",
    "outside_c",
    type=click.FloatRange(-40, 50),
    default=20.0,
    show_default=True,
    help="Outside temperature, °C.",
)
@click.option("--no-hvac", is_flag=True, help="Climate control off.")
@click.option(
    "--charge-at", "charge_at", multiple=True, metavar="KM:SOC", help="Stop at KM and charge to SOC %% (repeatable)."
)
@click.option("--drop-rate", type=click.FloatRange(0, 1), default=0.0, help="Fraction of frames dropped.")
@click.option(
    "--corrupt-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of frames corrupted (bit flip or short frame).",
)
@click.option(
    "--silence",
    "silences",
    multiple=True,
    metavar="NODE:DUR[@START]",
    help="Silence one ECU, e.g. BMS:30s or BMS:30s@2min (repeatable).",
)
@click.option("--max-seconds", type=click.FloatRange(0), default=None, help="Stop after this much simulated time.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines.")
def can_sim(
    origin: str | None,
    destination: str | None,
    route_file: Path | None,
    interface: str,
    channel: str,
    log_path: Path | None,
    speedup: float,
    start_soc: float,
    outside_c: float,
    no_hvac: bool,
    charge_at: tuple[str, ...],
    drop_rate: float,
    corrupt_rate: float,
    silences: tuple[str, ...],
    max_seconds: float | None,
    seed: int,
    quiet: bool,
) -> None:
    """Simulate the car's CAN bus along a route.

    Control: frame 0x7F0 [1, SOC] = charge to SOC %, [2] = stop charging."""
    points, label = _route(origin, destination, route_file)
    use_bus = interface.lower() != "none"
    if not use_bus and log_path is None:
        raise click.UsageError("with --interface none, give --log FILE")
    try:
        sim = Simulator(
            points,
            start_soc_percent=start_soc,
            speedup=speedup,
            outside_temp_c=outside_c,
            hvac_on=not no_hvac,
            charge_at=[parse_charge_at(c) for c in charge_at],
            faults=FaultConfig(drop_rate, corrupt_rate, tuple(parse_silence(s) for s in silences)),
            seed=seed,
        )
        bus = open_bus(interface, channel) if use_bus else None
    except CanError as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if max_seconds is not None:
        limit = max_seconds

        def progress(s: Simulator) -> None:
            if s.car.t_s >= limit:
                stop.set()
    else:
        progress = None  # type: ignore[assignment]
    if not quiet:
        where = f"{interface}:{channel}" if use_bus else ""
        click.echo(
            f"driving {label}: {sim.route_km:.1f} km, start SoC {start_soc:.0f} %, "
            f"{'→ ' + where if where else ''}{' → ' + str(log_path) if log_path else ''}",
            err=True,
        )
    try:
        result = run_simulator(
            sim,
            bus,
            stop_event=stop,
            log=str(log_path) if log_path else None,
            on_progress=_progress(quiet, progress),
            progress_every_s=1.0 if max_seconds else 60.0,
        )
    except KeyboardInterrupt as exc:
        stop.set()
        raise click.Abort() from exc
    except CanError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bus is not None:
            shutdown(bus)
    outcome = "arrived" if result.arrived else "battery empty" if result.battery_empty else "stopped"
    consumption = (
        f"{result.true_consumption_kwh_per_km * 100:.1f} kWh/100 km" if result.true_consumption_kwh_per_km else "n/a"
    )
    click.echo(
        f"{outcome}: {result.distance_km:.1f} km in {result.sim_time_s / 60:.1f} min, SoC "
        f"{result.displayed_soc_percent:.1f} %, "
        f"{consumption}, {result.frames} frames sent ({result.stats.dropped} dropped, "
        f"{result.stats.corrupted} corrupted, {result.stats.silenced} silenced)",
        err=quiet,
    )
    for km, soc_from, soc_to in result.stats.charge_stops:
        click.echo(f"  charged at km {km:.1f}: {soc_from:.0f} % → {soc_to:.0f} %", err=quiet)


def _progress(quiet: bool, extra):
    def show(s: Simulator) -> None:
        if extra is not None:
            extra(s)
        if not quiet and s.car.t_s > 0 and int(s.car.t_s) % 60 == 0:
            c = s.car
            click.echo(
                f"t {c.t_s / 60:6.1f} min  km {c.km:7.1f}  {c.speed_mps * 3.6:5.1f} km/h  "
                f"SoC {s.displayed_soc_percent:5.1f} %  {c.charging}",
                err=True,
            )

    return show


def _route(
    origin: str | None, destination: str | None, route_file: Path | None
) -> tuple[list[tuple[float, float]], str]:
    if route_file is not None:
        if origin or destination:
            raise click.UsageError("give either --route or --from/--to, not both")
        try:
            return read_polyline(route_file), route_file.name
        except GeoError as exc:
            raise click.ClickException(str(exc)) from exc
    if not origin or not destination:
        raise click.UsageError("give --from and --to (e.g. --from Beijing --to Shanghai), or --route FILE")
    try:
        route = route_between(origin, destination)
    except GeoError as exc:
        raise click.ClickException(str(exc)) from exc
    return list(route.points), f"{origin} → {destination}"
