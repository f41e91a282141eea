"""Colours, sizes and the font for day and night, as one QObject the QML reads.

Sizes are in units of ``unit`` = window height / 720, so 1920×720 and 1920×1080 head units get
the same layout at a larger scale. Touch targets never go below ``touchMin`` (about 15 mm on a
typical 12-inch head unit, above the 9.6 mm the NHTSA visual-manual guidelines cite from ISO 15005).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QColor, QFontDatabase

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
    "mapRoute": "#4C5A6B",
    "mapDone": "#FF6900",
}
DAY = {
    "background": "#EEF1F5",
    "surface": "#FFFFFF",
    "surfaceHigh": "#E3E8EE",
    "line": "#CBD3DC",
    "text": "#10161D",
    "textDim": "#5B6876",
    "accent": "#E65C00",
    "good": "#13A26B",
    "warning": "#C77800",
    "danger": "#D9363E",
    "mapRoute": "#9AA8B8",
    "mapDone": "#E65C00",
}
#: Network colours, distinct from each other and from the warning colours, by day and night.
NETWORK_COLOURS = {
    "night": {"NIO": "#2EC5D3", "XPENG": "#C6E04B", "LI_AUTO": "#5B8CFF"},
    "day": {"NIO": "#00879A", "XPENG": "#6E8C00", "LI_AUTO": "#2F5FE0"},
}
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")
BASE_HEIGHT_PX = 720.0


def pick_cjk_family(families: list[str]) -> str | None:
    """The first installed font that has Chinese glyphs, by preference."""
    have = set(families)
    return next((f for f in CJK_FAMILIES if f in have), None)


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
        self.changed.emit()

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
    mapRoute = _colour("mapRoute", changed)
    mapDone = _colour("mapDone", changed)


class Theme(QObject):
    changed = Signal()

    def __init__(self, night: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._night = night
        self._height = BASE_HEIGHT_PX
        cjk = pick_cjk_family(QFontDatabase.families())
        self._font = cjk or "sans-serif"
        self._cjk_missing = cjk is None
        self._colors = ThemeColors(self._palette(), self)

    # -- state
    def _get_night(self) -> bool:
        return self._night

    def _set_night(self, value: bool) -> None:
        if value != self._night:
            self._night = value
            self._colors.set_palette(self._palette())
            self.changed.emit()

    night = Property(bool, _get_night, _set_night, notify=changed)

    def _get_height(self) -> float:
        return self._height

    def _set_height(self, px: float) -> None:
        px = max(240.0, float(px))
        if abs(px - self._height) > 0.5:
            self._height = px
            self.changed.emit()

    windowHeight = Property(float, _get_height, _set_height, notify=changed)

    @Slot()
    def toggle(self) -> None:
        self._set_night(not self._night)

    # -- derived
    def _palette(self) -> dict[str, str]:
        return NIGHT if self._night else DAY

    unit = Property(float, lambda self: self._height / BASE_HEIGHT_PX, notify=changed)
    touchMin = Property(float, lambda self: 88.0 * self._height / BASE_HEIGHT_PX, notify=changed)
    fontFamily = Property(str, lambda self: self._font, notify=changed)
    cjkFontMissing = Property(bool, lambda self: self._cjk_missing, notify=changed)
    colors = Property(ThemeColors, lambda self: self._colors, constant=True)

    @Slot(str, result=QColor)
    def networkColor(self, network: str) -> QColor:
        return QColor(NETWORK_COLOURS["night" if self._night else "day"].get(network, self._palette()["textDim"]))
