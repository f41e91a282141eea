"""Hosting the screen: the Qt application, fonts, translations, the QML engine, the first frame,
screenshots, and a text description of what the screen shows (for headless runs and logs).

Offscreen when there is no display (``QT_QPA_PLATFORM=offscreen``, chosen by the entry point):
then, unless told to keep running, the run saves a screenshot after a few seconds, prints what
the screen shows and exits.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6 import QtQuick
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTimer, QTranslator, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine, QQmlError

from ivi.ui.controller import Controller, TripSpec
from ivi.ui.qmltypes import register_types
from ivi.ui.theme import Panel, Theme

log = logging.getLogger(__name__)
#: ``Main.qml`` and the QML modules ``views``, ``panels`` and ``controls`` (each a folder with its
#: ``qmldir``); this directory is the engine's import path for them.
QML_DIR = Path(__file__).parent / "qml"
I18N_DIR = Path(__file__).parent / "i18n"
LANGUAGES = ("en", "zh_CN")


def app_instance() -> QGuiApplication:
    """The Qt application (created on first use). The platform (offscreen or not) is the entry
    point's choice (``ivi.process.prefer_offscreen``), made before this."""
    app = QGuiApplication.instance()
    return cast(QGuiApplication, app) if app is not None else QGuiApplication(sys.argv[:1])


def load_translator(app: QGuiApplication, language: str) -> tuple[QTranslator | None, str]:
    """Install the translator for ``language``; (None, problem) when it cannot be loaded.
    English is the source language: its file holds only the plural forms of the ``%n`` strings."""
    tr = QTranslator(app)
    if not tr.load(str(I18N_DIR / f"ivi_{language}.qm")):
        return None, f"ivi_{language}.qm"
    app.installTranslator(tr)
    return tr, ""


@dataclass
class ScreenOptions:
    """How the screen is shown. ``panel_inches`` is the display's diagonal (``None``: as dense as
    the 12.3-inch 1920×720 reference panel) and ``view_distance_mm`` the driver's eyes from it:
    together they turn the theme's millimetres and visual angles into pixels. ``theme_mode``
    ``auto`` follows the car's light signal, starting from ``night``."""

    language: str = "en"
    night: bool = True
    fullscreen: bool = False
    size: tuple[int, int] = (1920, 720)
    page: str = "home"
    panel_inches: float | None = None
    view_distance_mm: float = 750.0
    theme_mode: str = "auto"

    @property
    def panel(self) -> Panel:
        return Panel(self.size[0], self.size[1], self.panel_inches, self.view_distance_mm)


class Screen(QObject):
    """The loaded screen: engine, window and the controller whose stores it shows."""

    def __init__(self, controller: Controller, options: ScreenOptions) -> None:
        super().__init__()
        self.t0 = time.perf_counter()
        self.app = app_instance()
        self.controller = controller
        self.options = options
        self.first_frame_s: float | None = None
        self._frame_waiters: list[Callable[[], None]] = []
        self.translator, missing = load_translator(self.app, options.language)
        self.theme = Theme(night=options.night, parent=self, panel=options.panel)
        self.theme.set_mode(options.theme_mode)
        c = controller
        c.set_language(options.language if not missing else "en")
        c.vehicle.sampleApplied.connect(self._follow_light)
        c.system.update(
            language=options.language if not missing else "en",
            translationMissing=missing,
            fontMissing=bool(self.theme.cjkFontMissing),
            page=options.page,
        )
        register_types()  # typed QML types: the stores, the theme, the list model (``stores``, ``style``, ``models``)
        self.engine = QQmlApplicationEngine()
        self.qml_warnings: list[str] = []  # what the engine warned about (Qt prints them on stderr too)
        self.engine.warnings.connect(self._on_warnings)
        self.engine.addImportPath(str(QML_DIR))
        self.engine.setInitialProperties(
            {
                "theme": self.theme,
                "vehicle": c.vehicle,
                "suggestions": c.suggestions,
                "syncStatus": c.sync,
                "filters": c.filters,
                "trip": c.trip_store,
                "station": c.station,
                "mapStore": c.map,
                "system": c.system,
            }
        )
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("the QML screen failed to load (see the messages above)")
        self.window = cast(QtQuick.QQuickWindow, roots[0])  # Main.qml's root is a Window
        self.window.resize(*options.size)
        self.window.frameSwapped.connect(self._on_frame)
        if options.fullscreen:
            self.window.showFullScreen()

    def _follow_light(self) -> None:
        """Day or night from the car's light signal (headlamps, ambient light, or the sun)."""
        s = self.controller.vehicle.last_sample
        if s is not None:
            self.theme.follow_darkness(s.dark_outside, s.light_source)

    def _on_warnings(self, warnings: list[QQmlError]) -> None:
        self.qml_warnings.extend(w.toString() for w in warnings)

    def _on_frame(self) -> None:
        if self.first_frame_s is None:
            self.first_frame_s = time.perf_counter() - self.t0
        waiters, self._frame_waiters = self._frame_waiters, []
        for fn in waiters:
            try:
                fn()
            except Exception:  # one failing waiter must not stop the others (nor the next frames)
                log.exception("after-frame callback failed")

    def after_next_frame(self, fn: Callable[[], None]) -> None:
        self._frame_waiters.append(fn)
        self.window.update()

    def grab(self, path: Path | str) -> bool:
        image = self.window.grabWindow()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return bool(image.save(str(path)))

    def close(self) -> None:
        """Tear the QML down before the stores it binds to, then stop the services."""
        self.window.close()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.controller.stop()


def describe(c: Controller) -> str:
    """What the screen shows, as text (printed by headless runs)."""
    v, s, sy, t = c.vehicle, c.suggestions, c.sync, c.trip_store
    rng = "--" if v.value("toEmptyKm") < 0 else f"{v.value('toEmptyKm')} km to empty"
    lines = [
        f"SoC {v.value('socText')} %   range {rng} (reserve {v.value('reserveKm')} km)   "
        f"{'{:.0f} km/h'.format(v.value('speedKmh')) if v.value('moving') else 'parked'}   CAN {v.value('canState')}",
        f"route {c.trip.origin} → {c.trip.destination}: {c.position_km():.1f} km driven of {c.trip.distance_km:.0f} km",
        f"sync {sy.value('state')}{' ' + sy.value('detail') if sy.value('detail') else ''}   "
        f"cache {c.system.value('cacheState')} ({c.system.value('stationCount')} stations)",
    ]
    if s.value("alert"):
        lines.append(f"ALERT {s.value('alert')}: best stop {s.value('bestName')} in {s.value('bestAheadKm'):.0f} km")
    if s.value("nextKind") == "stop":
        lines.append(
            f"next stop: {s.value('nextName')} in {s.value('nextAheadKm')} km at {s.value('nextArriveAt')}, "
            f"arrive {s.value('nextArrivalSoc')}%, charge to {s.value('nextDepartureSoc')}%"
        )
    elif s.value("nextKind") == "none_needed":
        lines.append(f"next stop: none needed for {s.value('noStopKm')} km")
    lines.append(f"next chargers ({s.value('state')}):")
    for r in s.model.rows():
        price = f"¥{r['price']:.2f}/kWh" if r["price"] >= 0 else "no tariff"
        free = f"{r['available']}/{r['total']} free" if r["fresh"] else f"last known {r['available']}/{r['total']}"
        lines.append(
            f"  {r['aheadKm']:6.1f} km  {r['network']:8} {r['powerKw']:>4} kW  {free}  "
            f"arrive {r['arrivalSoc']:>3}%  {price}  {'green ' if r['green'] else ''}{r['name']}"
        )
    m = c.map
    lines.append(
        f"map: {m.value('baseState')} ({m.value('source')}), {m.pins_model.count} pins, {m.labels_model.count} labels"
    )
    plan = t.current()
    if plan is not None:
        lines.append(
            f"trip plan ({plan.objective}): {len(plan.stops)} stops, {plan.total_min:.0f} min, "
            f"¥{plan.cost_cny:.0f}, {plan.arrival_soc:.0f}% on arrival"
        )
    return "\n".join(lines)


def start_after_first_frame(
    screen: Screen,
    prepare: Callable[[], TripSpec] | None,
    on_error: Callable[[BaseException], None],
    on_started: Callable[[], None] = lambda: None,
) -> None:
    """The window first; then, on the I/O worker, ``prepare`` (computing the route), and then the
    controller (CAN, cache, planning). Keeps slow start-up work out of the first frame."""
    c = screen.controller

    def begin() -> None:
        if prepare is None:
            c.start()
            on_started()
            return

        def ready(trip: TripSpec) -> None:
            c.set_trip(trip)
            c.start()
            on_started()

        c.worker.submit(prepare, ready, on_error)

    screen.after_next_frame(begin)


#: How long a screenshot run waits for the screen to settle — the cache loaded (seeding it takes
#: seconds) and CAN values arriving — before it takes the shot anyway.
SETTLE_WAIT_S = 60.0


class StartError(RuntimeError):
    """Start-up work after the first frame failed (e.g. the route could not be found)."""


def run_screen(
    controller: Controller,
    options: ScreenOptions,
    *,
    screenshot: Path | None,
    after_s: float,
    echo: Callable[[str], None] = print,
    prepare: Callable[[], TripSpec] | None = None,
) -> int:
    """Show the screen until the window closes — or, with ``screenshot``, until ``after_s`` seconds
    after the screen has settled (cache loaded, CAN values arriving; at most ``SETTLE_WAIT_S``):
    then save it, print what the screen shows and exit. ``prepare`` computes the trip after the
    first frame; its failure closes the screen and raises :class:`StartError`."""
    app = app_instance()
    screen = Screen(controller, options)
    failed: list[BaseException] = []

    def fail(exc: BaseException) -> None:
        failed.append(exc)
        app.exit(2)

    waited = [0.0]

    def settled() -> bool:
        """The cache has loaded (on a first run it is seeded first), the base map too (on a first
        run it is built), and the CAN source, if there is one, is delivering fresh values; or
        ``SETTLE_WAIT_S`` has passed, and the shot shows why not."""
        return waited[0] >= SETTLE_WAIT_S or (
            controller.system.value("cacheState") != "loading"
            and controller.vehicle.value("canState") in ("live", "none")
            and controller.map.value("baseState") != "loading"
        )

    def when_settled(then: Callable[[], None]) -> None:
        if settled():
            then()
            return
        waited[0] += 0.1
        QTimer.singleShot(100, lambda: when_settled(then))

    def save() -> None:
        if not settled():  # a stall after the wait (a loaded machine) let the SoC go stale: wait again
            when_settled(lambda: screen.after_next_frame(save))
            return
        try:
            ok = screen.grab(screenshot) if screenshot else False
            echo(describe(controller))
        except Exception as exc:  # never leave a headless run waiting forever
            fail(exc)
            return
        if screenshot:
            echo(
                f"screenshot {'saved to ' + str(screenshot) if ok else 'FAILED for ' + str(screenshot)}"
                f" (first frame after {screen.first_frame_s or 0:.2f} s)"
            )
        app.exit(0 if ok or not screenshot else 1)

    def arm() -> None:
        """``after_s`` counts from when the screen is live (route known, CAN started) and settled."""
        if screenshot is not None:
            when_settled(lambda: QTimer.singleShot(int(after_s * 1000), lambda: screen.after_next_frame(save)))

    start_after_first_frame(screen, prepare, fail, arm)
    code = app.exec()
    screen.close()
    if failed:
        raise StartError(str(failed[0]))
    return code


def system_language() -> str:
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"
