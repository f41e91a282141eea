"""The QML itself: every file loads offscreen without a warning, the stores are typed, and the
layers keep to the Neptune 3 shape — views and panels know stores, controls take values only.

Two checks load QML: each file alone with values made from its declared property types (the
stores for views and panels, plain values for controls — which is how a control is reusable),
and the whole screen with real data walked through every page. Static checks read the files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QMessageLogContext, QObject, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QColor
from PySide6.QtQml import QQmlComponent, QQmlEngine

from ivi.ui.listmodel import DictListModel
from ivi.ui.qmltypes import STORE_TYPES, register_types
from ivi.ui.runtime import QML_DIR, app_instance
from ivi.ui.stores.filters import FiltersStore
from ivi.ui.stores.map import LABEL_KEYS, PIN_KEYS, MapShapes, MapStore
from ivi.ui.stores.station import RESULT_KEYS, StationStore
from ivi.ui.stores.suggestions import SuggestionsStore
from ivi.ui.stores.sync import SyncStore
from ivi.ui.stores.system import SystemStore
from ivi.ui.stores.trip import TripStore
from ivi.ui.stores.vehicle import VehicleStore
from ivi.ui.theme import Theme
from ivi.ui.worker import Mailbox
from tests.ui.conftest import RANGE, build_screen, item, tap

MODULES = ("views", "panels", "controls")
QML_FILES = sorted(QML_DIR.rglob("*.qml"))
CONTROL_FILES = sorted((QML_DIR / "controls").glob("*.qml"))
STORE_NAMES = {cls.__name__ for cls in STORE_TYPES}
#: Qt messages that mean a binding or a type is wrong, whichever way Qt reports them.
BAD_MESSAGE = re.compile(
    r"Unable to assign|ReferenceError|TypeError|is not a type|is not installed|not found|"
    r"Could not set initial property|Required property .* was not initialized|Cannot assign|"
    r"Unable to determine callable overload|Invalid property assignment"
)
#: The properties typed ``DictListModel`` (rows for a control), with the rows a standalone load
#: feeds each (their keys are checked against the store's roles).
MODEL_PROPERTIES: dict[tuple[str, str], tuple[tuple[str, ...], list[dict[str, Any]]]] = {
    ("SearchBox", "results"): (
        RESULT_KEYS,
        [
            {
                "stationId": "CN-NIO-1",
                "network": "NIO",
                "name": "蔚来超充站（济南服务区）",
                "nameEn": "NIO Power Charger · Jinan Service Area",
                "shortName": "Jinan Service Area",
                "city": "Jinan",
                "powerKw": 250,
                "available": 3,
                "total": 6,
                "green": True,
                "distanceKm": 42,
            }
        ],
    ),
    ("MapCanvas", "pins"): (
        PIN_KEYS,
        [
            {"px": 120.0, "py": 80.0, "kind": "stop", "network": "XPENG", "count": 1, "stationId": "CN-X-1", "rank": 0},
            {
                "px": 320.0,
                "py": 80.0,
                "kind": "cluster",
                "network": "NIO",
                "count": 3,
                "stationId": "CN-N-1",
                "rank": 1,
            },
        ],
    ),
    ("MapCanvas", "labels"): (
        LABEL_KEYS,
        [{"px": 10.0, "py": 10.0, "text": "济南", "kind": "city", "w": 40.0, "h": 20.0, "ax": 5.0, "ay": 20.0}],
    ),
}


def strip_comments_and_strings(qml: str) -> str:
    """The QML code without comments and string literals (so words in texts are not code)."""
    qml = re.sub(r"/\*.*?\*/", " ", qml, flags=re.S)
    qml = re.sub(r"//[^\n]*", " ", qml)
    return re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', qml)


def root_properties(path: Path) -> list[tuple[str, str]]:
    """``(type, name)`` of the required properties of a file's root object (4-space indent),
    with those it inherits when the root is one of our own types (AlertPanel is an AlertBanner)."""
    text = path.read_text(encoding="utf-8")
    own = re.findall(r"^    required property (\S+) (\w+)", text, flags=re.M)
    root = re.search(r"^(\w+) \{", text, flags=re.M)
    base = next(QML_DIR.glob(f"*/{root.group(1)}.qml"), None) if root else None
    return (root_properties(base) if base else []) + own


@contextmanager
def qt_messages() -> Iterator[list[str]]:
    """Every Qt warning or error printed while the block runs (QML reports some only this way)."""
    seen: list[str] = []

    def handler(kind: QtMsgType, _ctx: QMessageLogContext, text: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            seen.append(text)

    previous = qInstallMessageHandler(handler)
    try:
        yield seen
    finally:
        qInstallMessageHandler(previous)


@pytest.fixture
def engine(qtbot) -> Iterator[tuple[QQmlEngine, list[str]]]:  # type: ignore[no-untyped-def]
    app_instance()
    register_types()
    eng = QQmlEngine()
    eng.addImportPath(str(QML_DIR))
    warnings: list[str] = []
    eng.warnings.connect(lambda ws: warnings.extend(w.toString() for w in ws))
    yield eng, warnings
    eng.deleteLater()


@pytest.fixture
def stores(tmp_path: Path) -> dict[str, QObject]:
    """One of each store, made standalone (no controller, no services), by QML type name."""
    mailbox = Mailbox()
    made: dict[str, QObject] = {
        "Theme": Theme(night=True),
        "VehicleStore": VehicleStore(RANGE, mailbox),
        "SuggestionsStore": SuggestionsStore(),
        "FiltersStore": FiltersStore(tmp_path / "config" / "filters.json"),
        "SyncStore": SyncStore(mailbox),
        "TripStore": TripStore("Shanghai"),
        "StationStore": StationStore(lambda _target: None),
        "MapStore": MapStore(),
        "SystemStore": SystemStore(),
    }
    made["_mailbox"] = mailbox
    return made


def sample_values(path: Path, stores: dict[str, QObject], keep: list[QObject]) -> dict[str, Any]:
    """Initial properties for a file's root, made from the declared types alone."""
    plain: dict[str, Callable[[], Any]] = {
        "real": lambda: 42.5,
        "int": lambda: 3,
        "string": lambda: "NIO",
        "bool": lambda: True,
        "color": lambda: QColor("#336699"),
        "list<real>": lambda: [0.1, 0.2, 0.5, 0.6, 0.9, 0.8],
    }
    values: dict[str, Any] = {}
    for type_, name in root_properties(path):
        if type_ in stores:
            values[name] = stores[type_]
        elif type_ in plain:
            values[name] = plain[type_]()
        elif type_ == "MapShapes":
            shapes = MapShapes()
            shapes.set_layer("land", [[0.0, 0.0, 100.0, 0.0, 100.0, 100.0, 0.0, 0.0]])
            shapes.set_layer("route", [[10.0, 10.0, 90.0, 90.0]])
            keep.append(shapes)
            values[name] = shapes
        elif type_ == "DictListModel":
            roles, rows = MODEL_PROPERTIES[(path.stem, name)]
            model = DictListModel(roles)
            model.replace(rows)
            keep.append(model)
            values[name] = model
        else:
            raise AssertionError(f"{path.name}: no sample for required property {type_} {name}")
    return values


@pytest.mark.parametrize("path", QML_FILES, ids=lambda p: str(p.relative_to(QML_DIR)))
def test_every_qml_file_loads_alone_without_warnings(path: Path, engine, stores, qtbot) -> None:  # type: ignore[no-untyped-def]
    eng, warnings = engine
    keep: list[QObject] = []
    with qt_messages() as messages:
        component = QQmlComponent(eng, QUrl.fromLocalFile(str(path)), QQmlComponent.CompilationMode.PreferSynchronous)
        assert component.isReady(), component.errorString()
        obj = component.createWithInitialProperties(sample_values(path, stores, keep))
        assert obj is not None, component.errorString()
        qtbot.wait(20)  # let queued bindings, canvases and delegates run
        obj.deleteLater()
        qtbot.wait(1)
    assert warnings == []
    assert [m for m in messages if BAD_MESSAGE.search(m)] == []


def test_a_wrong_store_is_refused_by_its_type(engine, stores, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The point of typing: a SyncStore handed in where a VehicleStore belongs is an error at
    load time, not an ``undefined`` drawn on screen."""
    eng, _warnings = engine
    component = QQmlComponent(eng)
    component.setData(
        QByteArray(b"import QtQuick\nimport stores\nItem { required property VehicleStore vehicle }"),
        QUrl("typed.qml"),
    )
    with qt_messages() as messages:
        obj = component.createWithInitialProperties({"vehicle": stores["SyncStore"]})
    assert any("Could not set initial property vehicle" in m for m in messages), messages
    if obj is not None:
        obj.deleteLater()


def test_the_whole_screen_on_every_page_gives_no_qml_warning(qtbot, cache_path, trip, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Real data in every list and banner (stops, search results, map markers, trip plan, station
    detail, alert, sync progress, both themes), and not one QML warning."""
    from ivi.services.ports import SyncStatus
    from tests.ui.conftest import PushSync

    sync = PushSync()
    with qt_messages() as messages:
        screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", sync=sync)
        try:
            c = screen.controller
            screen.car.set(80.0, route_km=20.0)
            qtbot.waitUntil(lambda: c.suggestions.model.count > 0 and c.map.pins_model.count > 0, timeout=20000)
            c.station.search("Jinan")
            qtbot.waitUntil(lambda: c.station.results_model.count > 0, timeout=20000)
            sync.on_status(SyncStatus("syncing", 0.4))
            qtbot.waitUntil(lambda: item(screen, "syncText").property("text") == "Syncing 40%", timeout=20000)
            tap(screen, "tab_trip")
            qtbot.waitUntil(
                lambda: c.trip_store.alts_model.count == 3 and c.trip_store.stops_model.count > 0, timeout=20000
            )
            c.station.show(c.suggestions.model.rows()[0]["stationId"])
            qtbot.waitUntil(lambda: c.station.evses_model.count > 0 and c.station.tariff_model.count > 0, timeout=20000)
            screen.car.set(12.0, speed_kmh=90.0, route_km=20.0)  # low battery: the alert banner
            qtbot.waitUntil(lambda: item(screen, "alertBanner").property("visible"), timeout=20000)
            tap(screen, "themeToggle")
            qtbot.wait(50)
            # the station page covers the trip page, which gives way (nothing stays tappable underneath)
            assert item(screen, "stationDetail").property("visible")
            assert not item(screen, "tripView").property("visible")
            c.station.close()
            qtbot.waitUntil(lambda: item(screen, "tripView").property("visible"))
            c.system.showPage("map")  # the wide panel shows the map beside the chargers
            qtbot.waitUntil(lambda: item(screen, "mapView").property("visible"))
        finally:
            screen.close()
    assert screen.qml_warnings == []
    assert [m for m in messages if BAD_MESSAGE.search(m)] == []


# -- static checks: the layers and the types ------------------------------------------------


def code_of(path: Path) -> str:
    return strip_comments_and_strings(path.read_text(encoding="utf-8"))


def store_handles() -> set[str]:
    """The names under which Main.qml hands the stores down (vehicle, suggestions, …)."""
    return {name for type_, name in root_properties(QML_DIR / "Main.qml") if type_ in STORE_NAMES}


def test_store_handles_are_found() -> None:
    assert store_handles() == {
        "vehicle",
        "suggestions",
        "syncStatus",
        "filters",
        "trip",
        "station",
        "mapStore",
        "system",
    }


def store_references(qml: str) -> set[str]:
    """Store modules, store types and store handles that a piece of QML code names."""
    code = strip_comments_and_strings(qml)
    found = set(re.findall(r"^\s*import\s+(stores|panels|views)\b", code, flags=re.M))
    identifiers = set(re.findall(r"\b[A-Za-z_]\w*\b", code))
    return found | (identifiers & (STORE_NAMES | store_handles()))


@pytest.mark.parametrize("path", CONTROL_FILES, ids=lambda p: p.name)
def test_a_control_knows_no_store(path: Path) -> None:
    """Controls take values: no store module, no store type, no store reached by name."""
    assert store_references(path.read_text(encoding="utf-8")) == set()


def test_the_check_would_catch_a_control_that_takes_a_store() -> None:
    """The static check is not vacuous: the old SocGauge shape fails it; words in texts do not."""
    old_gauge = """import QtQuick
import stores
Item {
    id: g
    required property VehicleStore vehicle
    Text { text: g.vehicle.socText }  // a trip and a station in a comment are fine
}"""
    assert store_references(old_gauge) == {"stores", "VehicleStore", "vehicle"}
    assert store_references('Text { text: qsTr("trip to the station") }') == set()


@pytest.mark.parametrize("module", ("panels", "controls"))
def test_lower_layers_do_not_import_higher_ones(module: str) -> None:
    higher = {"panels": ("views",), "controls": ("views", "panels")}[module]
    for path in sorted((QML_DIR / module).glob("*.qml")):
        imports = re.findall(r"^\s*import\s+(\w+)", code_of(path), flags=re.M)
        assert not set(imports) & set(higher), f"{path.name} imports {imports}"


def test_no_untyped_property_anywhere() -> None:
    """Map delegates read ``px``/``py`` roles (not ``x``/``y``, which clash with Item's), so no
    delegate needs ``var`` any more."""
    untyped = {
        (path.stem, name) for path in QML_FILES for name in re.findall(r"\bproperty\s+var\s+(\w+)", code_of(path))
    }
    assert untyped == set()


def test_model_samples_match_the_stores_roles() -> None:
    declared = {
        (path.stem, name) for path in CONTROL_FILES for type_, name in root_properties(path) if type_ == "DictListModel"
    }
    assert declared == set(MODEL_PROPERTIES)
    for (stem, name), (roles, rows) in MODEL_PROPERTIES.items():
        assert rows and all(set(r) == set(roles) for r in rows), (stem, name)


def test_views_and_panels_declare_stores_by_type() -> None:
    """Every store handed down is declared with its store type (e.g. ``VehicleStore vehicle``)."""
    handles = store_handles()
    for module in ("views", "panels"):
        for path in sorted((QML_DIR / module).glob("*.qml")):
            for type_, name in root_properties(path):
                if name in handles:
                    assert type_ in STORE_NAMES, f"{path.name}: {type_} {name}"


def test_every_module_lists_its_files() -> None:
    """Each folder is a QML module whose qmldir names every file in it (and nothing else)."""
    for module in MODULES:
        folder = QML_DIR / module
        lines = (folder / "qmldir").read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"module {module}"
        listed = {line.split()[-1] for line in lines[1:] if line.strip()}
        assert listed == {p.name for p in folder.glob("*.qml")}
