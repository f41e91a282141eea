"""Colours, sizes and the font for day and night, as one QObject the QML reads.

Sizes come from the panel, not from pixels: a :class:`Panel` declares the display's pixels, its
diagonal and how far the driver's eyes are from it, and the theme turns millimetres and visual
angles into pixels. ``unit`` is one "design pixel" (1/6.56 mm, a pixel of the 12.3-inch
1920×720 reference panel), so a layout written in ``unit`` s is the same physical size on every
panel and shows more of itself on a bigger one. Three sizes are derived from the human, not the
layout:

* ``touchMin`` — a touch target of at least 15 mm (the theme's promise; ISO 15005 and the NHTSA
  visual-manual guidelines cite 9.6 mm as the floor);
* ``glancePx`` — a font whose capital letters subtend at least ``GLANCE_ARCMIN`` (ISO 15008 asks
  16–20 arcmin for what a driver reads while driving) at the declared viewing distance;
* ``bodyPx`` — text read when parked (``BODY_ARCMIN``), and ``smallPx`` the floor for any text.

Day/night: ``mode`` is ``auto`` (follow the car's light signal, :meth:`follow_darkness`),
``day`` or ``night`` (the driver's override from the button). Every text colour keeps 4.5:1
contrast against the surfaces it is drawn on, in both palettes (checked by ``tests/ui``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF

from ivi.ui.signals import emit

NIGHT = {
    "background": "#0B0F14",
    "surface": "#151B23",
    "surfaceHigh": "#1E2630",
    "line": "#2A3441",
    "text": "#F2F5F8",
    "textDim": "#8C99A8",
    "accent": "#FF6900",
    "good": "#38D39F",
    "warning": "#FFB020",
    "danger": "#FF4D4F",
    "warningFill": "#FFB020",
    "dangerFill": "#FF4D4F",
    "onFill": "#101010",
    "onDangerFill": "#101010",
    "mapRoute": "#4C5A6B",
    "mapDone": "#FF6900",
    "mapWater": "#0E1620",
    "mapLand": "#1A222C",
    "mapNeighbour": "#131A22",
    "mapProvince": "#324050",
    "mapBorder": "#8C99A8",
    "mapCoast": "#2F4A66",
    "mapRoad": "#5F6F82",
    "mapLabel": "#C3CCD6",
}
DAY = {
    "background": "#EEF1F5",
    "surface": "#FFFFFF",
    "surfaceHigh": "#E3E8EE",
    "line": "#CBD3DC",
    "text": "#10161D",
    "textDim": "#55616E",
    "accent": "#A84300",
    "good": "#096B46",
    "warning": "#8A5300",
    "danger": "#B42328",
    "warningFill": "#FFB020",
    "dangerFill": "#B42328",
    "onFill": "#101010",
    "onDangerFill": "#FFFFFF",
    "mapRoute": "#9AA8B8",
    "mapDone": "#E65C00",
    "mapWater": "#CFE0EE",
    "mapLand": "#F6F4EE",
    "mapNeighbour": "#E6E4DE",
    "mapProvince": "#B9B4A8",
    "mapBorder": "#6E6A60",
    "mapCoast": "#7FA6C6",
    "mapRoad": "#D08A2E",
    "mapLabel": "#3A4350",
}
#: Network colours, distinct from each other and from the warning colours, by day and night; each
#: reads at 4.5:1 on the surfaces of its palette (they colour text too).
NETWORK_COLOURS = {
    "night": {"NIO": "#2EC5D3", "XPENG": "#C6E04B", "LI_AUTO": "#6E9BFF"},
    "day": {"NIO": "#00717F", "XPENG": "#4F6600", "LI_AUTO": "#2450C8"},
}
#: The palette entries that colour text, and the entries they are drawn on (tests check 4.5:1).
TEXT_COLOURS = ("text", "textDim", "accent", "good", "warning", "danger")
TEXT_SURFACES = ("background", "surface", "surfaceHigh")
FILLED_TEXT = (("onFill", "warningFill"), ("onDangerFill", "dangerFill"))
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")

REFERENCE_PX_PER_MM = math.hypot(1920, 720) / (12.3 * 25.4)  # 6.56: the 12.3-inch 1920×720 panel
TOUCH_MIN_MM = 15.0
GLANCE_ARCMIN = 17.0  # a little above ISO 15008's 16 arcmin floor, so rounding never drops below it
BODY_ARCMIN = 12.0
SMALL_ARCMIN = 10.5  # the floor for any text on screen (labels, captions)
DEFAULT_DISTANCE_MM = 750.0
LATIN_CAP_HEIGHT = 0.72  # cap height / em of Noto Sans, for when no font is measured


@dataclass(frozen=True)
class Panel:
    """The display the screen is shown on: its pixels, its diagonal and the driver's eye distance.
    ``diagonal_in`` ``None`` means "as dense as the reference panel" (6.56 px/mm)."""

    width_px: int = 1920
    height_px: int = 720
    diagonal_in: float | None = None
    distance_mm: float = DEFAULT_DISTANCE_MM

    @property
    def px_per_mm(self) -> float:
        if self.diagonal_in is None or self.diagonal_in <= 0:
            return REFERENCE_PX_PER_MM
        return math.hypot(self.width_px, self.height_px) / (self.diagonal_in * 25.4)

    @property
    def diagonal(self) -> float:
        """The diagonal in inches, declared or implied by the reference density."""
        return math.hypot(self.width_px, self.height_px) / self.px_per_mm / 25.4

    def mm(self, px: float) -> float:
        return px / self.px_per_mm

    def arcmin(self, px: float) -> float:
        """The visual angle a length of ``px`` pixels subtends at the viewing distance."""
        return math.degrees(2 * math.atan(self.mm(px) / 2 / self.distance_mm)) * 60.0

    def px_for_arcmin(self, arcmin: float) -> float:
        return 2 * self.distance_mm * math.tan(math.radians(arcmin / 60.0) / 2) * self.px_per_mm

    def resized(self, width_px: int, height_px: int) -> Panel:
        """The same physical density with other pixel dimensions (a window resized on one panel)."""
        if self.diagonal_in is None:
            return replace(self, width_px=width_px, height_px=height_px)
        diagonal = math.hypot(width_px, height_px) / self.px_per_mm / 25.4
        return replace(self, width_px=width_px, height_px=height_px, diagonal_in=diagonal)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 … 21)."""

    def luminance(c: QColor) -> float:
        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pick_cjk_family(families: list[str]) -> str | None:
    """The first installed font that has Chinese glyphs, by preference."""
    have = set(families)
    return next((f for f in CJK_FAMILIES if f in have), None)


def cap_height_ratio(family: str) -> float:
    """Cap height / pixel size of ``family``, measured (the glyph height that ISO 15008 counts)."""
    font = QFont(family)
    font.setPixelSize(100)
    cap = QFontMetricsF(font).capHeight()
    return cap / 100.0 if cap > 0 else LATIN_CAP_HEIGHT


def _colour(key: str, notify: Signal) -> Property:
    """A read-only ``color`` property over one palette entry."""
    return Property(QColor, lambda self: self._colors[key], notify=notify)


class ThemeColors(QObject):
    """The current palette as typed ``color`` properties: QML reads channels
    (``theme.colors.warning.r``) and mixes colours (``Qt.rgba``, ``Qt.darker``), which it cannot
    do with the strings of a map."""

    changed = Signal()

    def __init__(self, palette: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._colors = {k: QColor(v) for k, v in palette.items()}

    def set_palette(self, palette: dict[str, str]) -> None:
        self._colors = {k: QColor(v) for k, v in palette.items()}
        emit(self.changed)

    def get(self, key: str) -> QColor:
        return QColor(self._colors[key])

    background = _colour("background", changed)
    surface = _colour("surface", changed)
    surfaceHigh = _colour("surfaceHigh", changed)
    line = _colour("line", changed)
    text = _colour("text", changed)
    textDim = _colour("textDim", changed)
    accent = _colour("accent", changed)
    good = _colour("good", changed)
    warning = _colour("warning", changed)
    danger = _colour("danger", changed)
    warningFill = _colour("warningFill", changed)
    dangerFill = _colour("dangerFill", changed)
    onFill = _colour("onFill", changed)
    onDangerFill = _colour("onDangerFill", changed)
    mapRoute = _colour("mapRoute", changed)
    mapDone = _colour("mapDone", changed)
    mapWater = _colour("mapWater", changed)
    mapLand = _colour("mapLand", changed)
    mapNeighbour = _colour("mapNeighbour", changed)
    mapProvince = _colour("mapProvince", changed)
    mapBorder = _colour("mapBorder", changed)
    mapCoast = _colour("mapCoast", changed)
    mapRoad = _colour("mapRoad", changed)
    mapLabel = _colour("mapLabel", changed)
    nio = _colour("nio", changed)
    xpeng = _colour("xpeng", changed)
    liAuto = _colour("liAuto", changed)


MODES = ("auto", "day", "night")


class Theme(QObject):
    changed = Signal()

    def __init__(self, night: bool = True, parent: QObject | None = None, panel: Panel | None = None) -> None:
        super().__init__(parent)
        self._night = night
        self._mode = "auto"
        self._light_source = ""
        self._panel = panel or Panel()
        cjk = pick_cjk_family(QFontDatabase.families())
        self._font = cjk or "sans-serif"
        self._cjk_missing = cjk is None
        self._cap_ratio = cap_height_ratio(self._font)
        self._colors = ThemeColors(self._palette(), self)

    # -- state
    def _get_night(self) -> bool:
        return self._night

    def _set_night(self, value: bool) -> None:
        if value != self._night:
            self._night = value
            self._colors.set_palette(self._palette())
            emit(self.changed)

    night = Property(bool, _get_night, _set_night, notify=changed)

    def _get_mode(self) -> str:
        return self._mode

    mode = Property(str, _get_mode, notify=changed)  # auto | day | night
    lightSource = Property(str, lambda self: self._light_source, notify=changed)  # what "auto" follows

    @property
    def panel(self) -> Panel:
        return self._panel

    def set_panel(self, panel: Panel) -> None:
        if panel != self._panel:
            self._panel = panel
            emit(self.changed)

    @Slot(float, float)
    def setWindowSize(self, width_px: float, height_px: float) -> None:
        """The window's size (QML calls this as it changes): same panel density, new pixels."""
        w, h = max(1, round(width_px)), max(1, round(height_px))
        if (w, h) != (self._panel.width_px, self._panel.height_px):
            self.set_panel(self._panel.resized(w, h))

    @Slot()
    def toggle(self) -> None:
        """The day/night button: an override to the other palette (auto → override → auto)."""
        if self._mode == "auto":
            self._mode = "day" if self._night else "night"
        else:
            self._mode = "auto"
            emit(self.changed)
            return
        self._set_night(self._mode == "night")
        emit(self.changed)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"theme mode must be one of {MODES}, got {mode!r}")
        if mode != self._mode:
            self._mode = mode
            emit(self.changed)
        if mode != "auto":
            self._set_night(mode == "night")

    def follow_darkness(self, dark: bool | None, source: str = "") -> None:
        """The car's light signal: applied while the mode is ``auto``; ``None`` (unknown) keeps the palette."""
        if source != self._light_source:
            self._light_source = source
            emit(self.changed)
        if dark is not None and self._mode == "auto":
            self._set_night(dark)

    # -- derived
    def _palette(self) -> dict[str, str]:
        nets = NETWORK_COLOURS["night" if self._night else "day"]
        return {
            **(NIGHT if self._night else DAY),
            "nio": nets["NIO"],
            "xpeng": nets["XPENG"],
            "liAuto": nets["LI_AUTO"],
        }

    def _px_per_mm(self) -> float:
        return self._panel.px_per_mm

    def font_px_for_arcmin(self, arcmin: float) -> float:
        """The smallest font pixel size whose capitals subtend ``arcmin`` on this panel."""
        return math.ceil(self._panel.px_for_arcmin(arcmin) / self._cap_ratio)

    unit = Property(float, lambda self: self._px_per_mm() / REFERENCE_PX_PER_MM, notify=changed)
    mm = Property(float, _px_per_mm, notify=changed)
    touchMin = Property(float, lambda self: math.ceil(TOUCH_MIN_MM * self._px_per_mm()), notify=changed)
    glancePx = Property(float, lambda self: self.font_px_for_arcmin(GLANCE_ARCMIN), notify=changed)
    bodyPx = Property(float, lambda self: self.font_px_for_arcmin(BODY_ARCMIN), notify=changed)
    smallPx = Property(float, lambda self: self.font_px_for_arcmin(SMALL_ARCMIN), notify=changed)
    fontFamily = Property(str, lambda self: self._font, notify=changed)
    cjkFontMissing = Property(bool, lambda self: self._cjk_missing, notify=changed)
    colors = Property(ThemeColors, lambda self: self._colors, constant=True)

    @Slot(str, result=QColor)
    def networkColor(self, network: str) -> QColor:
        return QColor(NETWORK_COLOURS["night" if self._night else "day"].get(network, self._palette()["textDim"]))
