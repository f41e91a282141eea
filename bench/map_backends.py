"""The two ways to draw the base map offline, measured the same way (offscreen, software rendering):

* Qt Quick Shapes (PySide6-Essentials): the whole base map as one Shape, redrawn each frame, and
  the same Shape in a cached layer that a pan or zoom only moves and scales (what the app does);
* QtLocation's tile-less ``itemsoverlay`` plugin (PySide6-Addons, +160 MB): MapPolygon /
  MapPolyline items on a Map — measured when ``PySide6.QtLocation`` is importable (run with
  ``pip install PySide6-Addons==<the Essentials version>``), otherwise listed as not installed.

    python -m bench.map_backends [BASEMAP.json]   # each backend in a fresh process; China in a 1200×700 window

Frame time = from the property change to the next swapped frame, 30 zoom steps and 30 pan steps.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("neighbour", "land", "province", "coast", "border")

SHAPES_QML = b"""import QtQuick
import QtQuick.Shapes
Window {
    id: win
    width: 1200; height: 700; visible: true; color: "#0E1620"
    property var neighbour: []; property var land: []; property var province: []; property var coast: []
    property var border: []
    property real zoom: 0.05; property real cx: 12900; property real cy: -4200; property bool cached: false
    Item {
        width: 1; height: 1
        visible: !win.cached
        transform: [ Translate { x: -win.cx; y: -win.cy }, Scale { xScale: win.zoom; yScale: win.zoom },
                     Translate { x: win.width / 2; y: win.height / 2 } ]
        Item {
            width: 1; height: 1
            Shape {
                preferredRendererType: Shape.GeometryRenderer
                ShapePath { fillColor: "#131A22"; strokeColor: "transparent"; PathMultiline { paths: win.neighbour } }
                ShapePath { fillColor: "#1A222C"; strokeColor: "transparent"; PathMultiline { paths: win.land } }
                ShapePath { fillColor: "transparent"; strokeColor: "#324050"; strokeWidth: 1.5; cosmeticStroke: true
                            PathMultiline { paths: win.province } }
                ShapePath { fillColor: "transparent"; strokeColor: "#2F4A66"; strokeWidth: 2; cosmeticStroke: true
                            PathMultiline { paths: win.coast } }
                ShapePath { fillColor: "transparent"; strokeColor: "#8C99A8"; strokeWidth: 2.5; cosmeticStroke: true
                            PathMultiline { paths: win.border } }
            }
        }
    }
    // The cached variant: the same Shape rendered once into a window-sized layer, which frames move and scale.
    Item {
        id: cache
        visible: win.cached
        width: win.width; height: win.height
        layer.enabled: win.cached; layer.smooth: true
        property real z0: 0.05; property real x0: 12900; property real y0: -4200
        transform: [
            Translate { x: -win.width / 2; y: -win.height / 2 },
            Scale { xScale: win.zoom / cache.z0; yScale: win.zoom / cache.z0 },
            Translate {
                x: (cache.x0 - win.cx) * win.zoom + win.width / 2
                y: (cache.y0 - win.cy) * win.zoom + win.height / 2
            }
        ]
        Shape {
            preferredRendererType: Shape.GeometryRenderer
            transform: [ Translate { x: -cache.x0; y: -cache.y0 }, Scale { xScale: cache.z0; yScale: cache.z0 },
                         Translate { x: win.width / 2; y: win.height / 2 } ]
            ShapePath { fillColor: "#131A22"; strokeColor: "transparent"; PathMultiline { paths: win.neighbour } }
            ShapePath { fillColor: "#1A222C"; strokeColor: "transparent"; PathMultiline { paths: win.land } }
            ShapePath { fillColor: "transparent"; strokeColor: "#324050"; strokeWidth: 1.5; cosmeticStroke: true
                        PathMultiline { paths: win.province } }
            ShapePath { fillColor: "transparent"; strokeColor: "#2F4A66"; strokeWidth: 2; cosmeticStroke: true
                        PathMultiline { paths: win.coast } }
            ShapePath { fillColor: "transparent"; strokeColor: "#8C99A8"; strokeWidth: 2.5; cosmeticStroke: true
                        PathMultiline { paths: win.border } }
        }
    }
}
"""

LOCATION_QML = b"""import QtQuick
import QtLocation
import QtPositioning
Window {
    id: win
    width: 1200; height: 700; visible: true; color: "#0E1620"
    property var neighbour: []; property var land: []; property var province: []; property var coast: []
    property var border: []
    property real zoom: 0.05; property real cx: 12900; property real cy: -4200
    Plugin { id: overlay; name: "itemsoverlay" }
    Map {
        anchors.fill: parent; plugin: overlay; color: "#0E1620"
        zoomLevel: Math.log2(win.zoom * 40075 / 256)
        center: QtPositioning.coordinate(
            (2 * Math.atan(Math.exp(-win.cy / 6371)) - Math.PI / 2) * 180 / Math.PI, win.cx / 6371 * 180 / Math.PI)
        MapItemView { model: win.neighbour; delegate: MapPolygon {
            required property var modelData; path: modelData; color: "#131A22"; border.width: 0 } }
        MapItemView { model: win.land; delegate: MapPolygon {
            required property var modelData; path: modelData; color: "#1A222C"; border.width: 0 } }
        MapItemView { model: win.province; delegate: MapPolyline {
            required property var modelData; path: modelData; line.color: "#324050"; line.width: 1.5 } }
        MapItemView { model: win.coast; delegate: MapPolyline {
            required property var modelData; path: modelData; line.color: "#2F4A66"; line.width: 2 } }
        MapItemView { model: win.border; delegate: MapPolyline {
            required property var modelData; path: modelData; line.color: "#8C99A8"; line.width: 2.5 } }
    }
}
"""


def _child(kind: str, path: str) -> dict:
    from PySide6 import QtQuick  # noqa: F401  (the root object is a QQuickWindow)
    from PySide6.QtCore import QByteArray, QEventLoop, QPointF, QTimer, QUrl
    from PySide6.QtGui import QGuiApplication, QPolygonF
    from PySide6.QtQml import QQmlApplicationEngine

    from geo.basemap import read_base_map, unproject

    base = read_base_map(Path(path))
    _app = QGuiApplication([])
    if kind == "qtlocation":
        try:
            from PySide6 import QtLocation  # noqa: F401
            from PySide6.QtPositioning import QGeoCoordinate
        except ImportError:
            return {"missing": True}

        def value(kind_: str) -> list:
            return [
                [QGeoCoordinate(*unproject(line[i], line[i + 1])) for i in range(0, len(line), 2)]
                for line in base.layer(kind_).lines
            ]

        qml = LOCATION_QML
    else:

        def value(kind_: str) -> list:
            return [
                QPolygonF([QPointF(line[i], line[i + 1]) for i in range(0, len(line), 2)])
                for line in base.layer(kind_).lines
            ]

        qml = SHAPES_QML
    eng = QQmlApplicationEngine()
    eng.loadData(QByteArray(qml), QUrl())
    win = eng.rootObjects()[0]
    frames: list[float] = []
    win.frameSwapped.connect(lambda: frames.append(time.perf_counter()))
    for k in LAYERS:
        win.setProperty(k, value(k))
    if kind == "shapes-cached":
        win.setProperty("cached", True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def frame(change) -> float:  # type: ignore[no-untyped-def]
        n, t = len(frames), time.perf_counter()
        change()
        win.update()
        while len(frames) == n:
            wait(1)
        return (frames[-1] - t) * 1000

    first = frame(lambda: None)
    frame(lambda: None)
    zooms = [frame(lambda i=i: win.setProperty("zoom", 0.05 * 1.03**i)) for i in range(1, 31)]
    pans = [frame(lambda i=i: win.setProperty("cx", 12900 + i * 10)) for i in range(1, 31)]
    return {
        "first_ms": first,
        "zoom_median": statistics.median(zooms),
        "zoom_max": max(zooms),
        "pan_median": statistics.median(pans),
        "pan_max": max(pans),
    }


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "basemap.json"
    if not path.exists():  # build it (the map extra); a file given is read as it is
        from ivi.services.basemap import CnBaseMap

        if CnBaseMap(path).load() is None:
            raise SystemExit("no base map: install the map extra (pip install 'ivi-charging[map]')")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    rows = []
    for kind, label in (
        ("shapes", "Qt Quick Shapes, redrawn each frame"),
        ("shapes-cached", "Qt Quick Shapes in a cached layer (the app)"),
        ("qtlocation", "QtLocation itemsoverlay (PySide6-Addons)"),
    ):
        p = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
        if p.returncode or not lines:
            raise SystemExit(f"{kind} failed:\n{p.stderr[-2000:]}")
        r = json.loads(lines[-1])
        if r.get("missing"):
            rows.append((label, "not installed", "", ""))
            continue
        rows.append(
            (
                label,
                f"{r['zoom_median']:.1f} ms",
                f"{r['pan_median']:.1f} ms",
                f"max {r['zoom_max']:.1f} / {r['pan_max']:.1f} ms; first frame {r['first_ms']:.0f} ms",
            )
        )
    w = max(len(r[0]) for r in rows)
    print(f"{'backend (China, 1200x700, software rendering)':{w}}  {'zoom frame':>13}  {'pan frame':>9}  notes")
    for r in rows:
        print(f"{r[0]:{w}}  {r[1]:>13}  {r[2]:>9}  {r[3]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
        os._exit(0)
    main()
