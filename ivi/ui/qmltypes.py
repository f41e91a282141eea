"""The Python types QML knows by name, so views and panels declare ``required property
VehicleStore vehicle`` rather than ``var``: the engine then checks what Python hands in, and a
misspelt property is an error at load time, not an ``undefined`` on screen.

Three QML modules are provided from Python (the QML folders ``views``, ``panels`` and
``controls`` are modules of their own, see ``ivi/ui/qml``):

* ``stores`` — the view-model stores. Uncreatable: the controller makes them and the runtime
  hands them to ``Main.qml`` with ``setInitialProperties``; QML never constructs one.
* ``style`` — :class:`~ivi.ui.theme.Theme` and its typed palette :class:`~ivi.ui.theme.ThemeColors`.
* ``models`` — :class:`~ivi.ui.listmodel.DictListModel`, the one list model every store's rows
  come in, so a control that shows rows takes a typed model rather than a ``var``; and
  :class:`~ivi.ui.stores.map.MapShapes`, the map's geometry for Qt Quick Shapes.

Controls import ``style`` and ``models`` only: they take values, rows and the theme, never a store.

Registration is explicit (:func:`register_types`, called by the runtime before it loads QML)
rather than ``@QmlElement`` decorators, so importing a store module changes nothing in the process.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtQml import qmlRegisterUncreatableType

from ivi.ui.listmodel import DictListModel
from ivi.ui.stores.filters import FiltersStore
from ivi.ui.stores.map import MapShapes, MapStore
from ivi.ui.stores.station import StationStore
from ivi.ui.stores.suggestions import SuggestionsStore
from ivi.ui.stores.sync import SyncStore
from ivi.ui.stores.system import SystemStore
from ivi.ui.stores.trip import TripStore
from ivi.ui.stores.vehicle import VehicleStore
from ivi.ui.theme import Theme, ThemeColors

__all__ = ["MODELS_URI", "MODEL_TYPES", "STORES_URI", "STORE_TYPES", "STYLE_TYPES", "STYLE_URI", "register_types"]

STORES_URI = "stores"
STYLE_URI = "style"
MODELS_URI = "models"
VERSION = (1, 0)
STORE_TYPES: tuple[type[QObject], ...] = (
    VehicleStore,
    SuggestionsStore,
    FiltersStore,
    SyncStore,
    TripStore,
    StationStore,
    MapStore,
    SystemStore,
)
STYLE_TYPES: tuple[type[QObject], ...] = (Theme, ThemeColors)
MODEL_TYPES: tuple[type[QObject], ...] = (DictListModel, MapShapes)
_registered: list[bool] = []


def register_types() -> None:
    """Register the stores, the theme and the list model with Qt's QML type registry (once per process)."""
    if _registered:
        return
    for uri, types, reason in (
        (STORES_URI, STORE_TYPES, "stores are made by the controller and handed in by the runtime"),
        (STYLE_URI, STYLE_TYPES, "the theme is made by the runtime and handed in"),
        (MODELS_URI, MODEL_TYPES, "list models belong to the stores"),
    ):
        for cls in types:
            # PySide6 6.12's stub types the name and reason as bytes (C++ const char*), but the
            # binding refuses bytes at run time ("wrong argument values") and takes str.
            major, minor = VERSION
            if qmlRegisterUncreatableType(cls, uri, major, minor, cls.__name__, reason) < 0:  # type: ignore[arg-type]
                raise RuntimeError(f"QML type registration failed for {uri}.{cls.__name__}")
    _registered.append(True)
