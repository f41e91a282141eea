"""SystemStore: what the screen must say plainly about itself — the cache (loading, ready,
empty, unreadable), the CAN source, missing fonts or translations, and the last navigation."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from ivi.ui.stores.base import Store, prop


class SystemStore(Store):
    changed = Signal()
    toggleTheme = Signal()
    _defaults = {
        "cacheState": "loading",
        "cacheDetail": "",
        "stationCount": 0,
        "vehicleSource": "",
        "fontMissing": False,
        "translationMissing": "",
        "language": "en",
        "page": "home",
        "navSent": "",
        "clock": "",
    }
    cacheState = prop(str, "cacheState", changed)  # loading | ready | empty | error
    cacheDetail = prop(str, "cacheDetail", changed)
    stationCount = prop(int, "stationCount", changed)
    vehicleSource = prop(str, "vehicleSource", changed)
    fontMissing = prop(bool, "fontMissing", changed)
    translationMissing = prop(str, "translationMissing", changed)
    language = prop(str, "language", changed)
    page = prop(str, "page", changed)  # home | trip | map
    navSent = prop(str, "navSent", changed)
    clock = prop(str, "clock", changed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    @Slot(str)
    def showPage(self, page: str) -> None:
        self.update(page=page)
