"""``ivi run`` (also plain ``ivi``): the head-unit screen wired to CAN, the cache, planning and sync.

With a display it runs until the window is closed. With no display (no ``DISPLAY`` /
``WAYLAND_DISPLAY``) it renders offscreen and — so that ``make run`` on a server terminates —
saves a screenshot after ``--after`` seconds (default ``ivi-screen.png``), prints what the
screen shows and exits. ``--screenshot FILE`` does the same with a display.
"""

from __future__ import annotations

from pathlib import Path

import click

from ivi.cli.common import db_option, settings, vehicle_option

DEFAULT_HEADLESS_SCREENSHOT = Path("ivi-screen.png")


def _size(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
        if w < 320 or h < 240:
            raise ValueError
        return w, h
    except ValueError as exc:
        raise click.BadParameter("expected WIDTHxHEIGHT, e.g. 1920x720") from exc


@click.command("run")
@db_option
@click.option("--from", "origin", default="Beijing", show_default=True, help="City name or LAT,LON.")
@click.option("--to", "destination", default="Shanghai", show_default=True, help="City name or LAT,LON.")
@click.option(
    "--route",
    "route_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Route polyline file (GeoJSON LineString, [[lat,lon],…] or encoded); overrides --from/--to.",
)
@vehicle_option
@click.option("--lang", "language", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True)
@click.option(
    "--theme",
    type=click.Choice(["auto", "night", "day"]),
    default="auto",
    show_default=True,
    help="auto: day/night follow the car's light signal (headlamps, light sensor, or the sun at the GNSS "
    "position); the button on screen overrides it.",
)
@click.option("--fullscreen", is_flag=True)
@click.option("--size", default="1920x720", show_default=True, callback=_size, help="Window size WIDTHxHEIGHT.")
@click.option(
    "--panel-inches",
    type=click.FloatRange(3, 60),
    help="The display's diagonal: sizes are in mm and visual angles on it (default: as dense as a 12.3-inch "
    "1920x720 panel).",
)
@click.option(
    "--view-distance",
    "view_distance_mm",
    type=click.FloatRange(300, 1500),
    default=750.0,
    show_default=True,
    help="The driver's eyes to the display, mm (glance text is sized for it).",
)
@click.option(
    "--page", type=click.Choice(["home", "trip", "map"]), default="home", show_default=True, help="Screen to start on."
)
@click.option(
    "--can-interface", help="Read this python-can interface (e.g. socketcan, remote, virtual) instead of simulating."
)
@click.option("--can-channel", help="python-can channel for --can-interface (e.g. can0, ws://127.0.0.1:54701/).")
@click.option("--can-log", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Replay a CAN log file.")
@click.option("--broker", help="MQTT broker URL for charger sync (default: $IVI_BROKER, else none: offline).")
@click.option(
    "--pubkey",
    multiple=True,
    help="Publisher's Ed25519 public key (with --broker; repeat while the key is rotated; default: $IVI_PUBKEY).",
)
@click.option("--username", help="The car's broker user (with --broker; default: $IVI_MQTT_USERNAME).")
@click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File holding the car's broker password (default: $IVI_MQTT_PASSWORD_FILE).",
)
@click.option(
    "--cafile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CA bundle for an mqtts:// broker (default: $IVI_MQTT_CAFILE, else the system's).",
)
@click.option(
    "--soc",
    "start_soc_percent",
    type=click.FloatRange(0, 100),
    default=80.0,
    show_default=True,
    help="CAN simulator: displayed state of charge at the start.",
)
@click.option(
    "--start-km", type=click.FloatRange(0, None), default=0.0, help="CAN simulator: start this far along the route."
)
@click.option(
    "--speedup",
    type=click.FloatRange(0.1, 1000),
    default=1.0,
    show_default=True,
    help="CAN simulator: time compression.",
)
@click.option(
    "--config-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where filters and user vehicle profiles are kept (default: $IVI_CONFIG_DIR, else the user config dir).",
)
@click.option(
    "--screenshot", type=click.Path(dir_okay=False, path_type=Path), help="Save what the screen shows to FILE and exit."
)
@click.option(
    "--after",
    "after_s",
    type=click.FloatRange(0, 3600),
    default=4.0,
    show_default=True,
    help="Seconds to wait, once the screen has settled (cache loaded, CAN values arriving; at most 60 s), "
    "before the screenshot.",
)
def run(
    db_path,
    origin,
    destination,
    route_file,
    vehicle,
    language,
    theme,
    fullscreen,
    size,
    panel_inches,
    view_distance_mm,
    page,
    can_interface,
    can_channel,
    can_log,
    broker,
    pubkey,
    username,
    password_file,
    cafile,
    start_soc_percent,
    start_km,
    speedup,
    config_dir,
    screenshot,
    after_s,
) -> None:
    """Run the module: the head-unit screen; by default the CAN simulator drives the route on a
    private virtual bus, the cache is seeded from the bundled partner data, and no broker is used."""
    if can_channel and not can_interface:
        raise click.UsageError("--can-channel needs --can-interface")
    if can_log and can_interface:
        raise click.UsageError("give either --can-log or --can-interface, not both")
    found = settings()
    broker = broker or found.broker or None
    pubkeys = tuple(pubkey) or found.pubkeys
    if broker and not pubkeys:
        raise click.UsageError("--broker needs --pubkey (the publisher's key that signs charger updates)")
    from ivi import process
    from ivi.app import AppConfig, BrokerLogin, build_services, make_trip, vehicle_for
    from ivi.ui.controller import Controller, TripSpec
    from ivi.ui.runtime import ScreenOptions, app_instance, run_screen

    config = AppConfig(
        settings=found,
        db_path=db_path,
        origin=origin,
        destination=destination,
        route_file=route_file,
        vehicle=vehicle,
        language=language,
        theme=theme,
        fullscreen=fullscreen,
        can_interface=can_interface,
        can_channel=can_channel,
        can_log=can_log,
        broker=broker,
        pubkey=pubkeys[0] if pubkeys else None,
        login=BrokerLogin(
            pubkeys=pubkeys,
            username=username or found.mqtt_username or None,
            password_file=password_file or found.mqtt_password_file,
            cafile=cafile or found.mqtt_cafile,
            not_before=found.sync_not_before or None,
        ),
        start_soc_percent=start_soc_percent,
        start_km=start_km,
        sim_speedup=speedup,
        config_dir=config_dir,
    )
    try:
        vehicle_profile = vehicle_for(config)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    # The process-wide choices of the app, made here and nowhere else (see ivi.process).
    platform = process.prefer_offscreen()
    process.shorten_gil_turns()
    if screenshot is None and platform == "offscreen":
        screenshot = DEFAULT_HEADLESS_SCREENSHOT
        click.echo(f"no display: rendering offscreen; will save {screenshot} after {after_s:g} s and exit", err=True)
    app_instance()  # the Qt application exists before any store (timers need its event loop)
    pending = TripSpec.pending(
        origin if not route_file else "start", destination if not route_file else route_file.stem
    )
    controller = Controller(build_services(config, lambda: controller.trip, vehicle_profile), pending)
    controller.cacheReady.connect(process.freeze_startup_objects)
    options = ScreenOptions(
        language=language,
        night=theme != "day",
        fullscreen=fullscreen,
        size=size,
        page=page,
        panel_inches=panel_inches,
        view_distance_mm=view_distance_mm,
        theme_mode=theme,
    )
    try:
        code = run_screen(
            controller,
            options,
            screenshot=screenshot,
            after_s=after_s,
            echo=click.echo,
            prepare=lambda: make_trip(config),
        )  # the route is computed after the first frame
    except RuntimeError as exc:
        controller.stop()
        raise click.ClickException(str(exc)) from exc
    if code:
        raise SystemExit(code)
