"""``ivi can-dump``: decoded VSS signals from a bus or a log, as JSON lines or a live table, with
a summary of rejected frames per reason at the end (on stderr).

Exit status 1 with one ``Error:`` line when the DBC, the mapping or the log cannot be used, or when
the log broke off; the frames read before the damage are printed first. Timestamps (``ts``) are the
log's own, or for a bus the wall-clock time of reception (the reader itself ages values on a
monotonic clock)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from ivi.can import BusSource, CanError, CanReader, LogSource, SignalUpdate, VehicleSnapshot


@click.command("can-dump")
@click.option("--interface", default="virtual", show_default=True, help="python-can interface.")
@click.option("--channel", default="ivi", show_default=True, help="python-can channel.")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read a log (.asc, .blf, .log, .trc, .csv, each optionally .gz) instead of a bus.",
)
@click.option(
    "--dbc",
    "dbc_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Another car's DBC (default: the reference car).",
)
@click.option(
    "--mapping", "mapping_path", type=click.Path(dir_okay=False, path_type=Path), help="Its KUKSA dbc2vss mapping file."
)
@click.option(
    "--lax-dbc",
    is_flag=True,
    help="Accept a DBC that cantools loads only non-strictly (overlapping signals), like KUKSA's --lax-dbc-parsing.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option(
    "--duration",
    "duration_s",
    type=click.FloatRange(0),
    default=None,
    help="Stop reading a bus after this many seconds.",
)
@click.option("--no-filter", is_flag=True, help="Receive every ID (no hardware filters).")
def can_dump(
    interface: str,
    channel: str,
    log_path: Path | None,
    dbc_path: Path | None,
    mapping_path: Path | None,
    fmt: str,
    duration_s: float | None,
    no_filter: bool,
    lax_dbc: bool,
) -> None:
    """Print decoded COVESA VSS signals: {"path", "value", "unit", "ts"} per line, or a table."""
    out = sys.stdout
    on_update = None
    # A bus reader stamps frames with the monotonic clock; print wall-clock times for people.
    to_wall = 0.0 if log_path else time.time() - time.monotonic()
    if fmt == "json":

        def on_update(updates: list[SignalUpdate]) -> None:
            for u in updates:
                line = {"path": u.path, "value": u.value, "unit": u.unit, "ts": u.timestamp_s + to_wall}
                out.write(json.dumps(line) + "\n")

    source = LogSource(log_path) if log_path else BusSource(interface, channel, use_filters=not no_filter)
    try:
        reader = CanReader(source, dbc=dbc_path, mapping=mapping_path, lax_dbc=lax_dbc, on_update=on_update)
        reader.start()
    except CanError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # never a traceback: say what failed
        raise click.ClickException(f"cannot start reading: {type(exc).__name__}: {exc}") from exc
    for warning in reader.decoder.database.warnings:
        click.echo(f"Warning: {dbc_path}: {warning}", err=True)
    deadline = None if duration_s is None else time.monotonic() + duration_s
    try:
        while True:
            if log_path is not None:
                if reader.join(0.5):
                    break
            elif deadline is not None and time.monotonic() >= deadline:
                break
            else:
                time.sleep(0.5 if deadline is None else max(0.0, min(0.5, deadline - time.monotonic())))
            if fmt == "table" and log_path is None:
                click.echo("\x1b[2J\x1b[H" + _table(reader.snapshot()))
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    snap = reader.snapshot()
    if fmt == "table":
        click.echo(_table(snap))
    out.flush()
    _summary(reader, snap)
    if reader.status.last_error:
        raise click.ClickException(reader.status.last_error)


def _table(snap: VehicleSnapshot) -> str:
    lines = [f"{'VSS path':64} {'value':>14} {'unit':8} age"]
    for path in sorted(snap.signals):
        s = snap.signals[path]
        age = "never" if s.timestamp_s is None else f"{snap.at_s - s.timestamp_s:.1f}s"
        why = f"  STALE ({s.reason})" if s.stale else ""
        lines.append(f"{path:64} {snap.display(path, '{:.2f}'):>14} {s.unit:8} {age}{why}")
    if snap.consumption_kwh_per_km is not None:
        lines.append(
            f"learned consumption: {snap.consumption_kwh_per_km * 100:.1f} kWh/100 km over "
            f"{snap.distance_learned_km:.1f} km"
        )
    return "\n".join(lines)


def _summary(reader: CanReader, snap: VehicleSnapshot) -> None:
    click.echo(
        f"{reader.status.frames_in} frames read, {snap.frames_accepted} decoded, {snap.rejected_total} rejections",
        err=True,
    )
    for reason, n in sorted(snap.rejections.items(), key=lambda kv: -kv[1]):
        click.echo(f"  {n:>8}  {reason}", err=True)
    for example in reader.status.bad_line_examples:
        click.echo(f"  skipped log line {example}", err=True)
