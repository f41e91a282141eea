// The offline map, drawn with Qt Quick Shapes from projected km (MapShapes): neighbours, land,
// province borders, coast, national land border, maritime boundary, expressway corridors and the
// route, in a cached layer rendered for the reference view (refX/refY/refZoom). A pan or zoom only
// moves and scales that image; the store re-renders it (a new reference) once the view has come
// to rest far from it. Labels, pins and the car are laid out by the store in screen px for the
// current view. Gestures when `interactive` (parked): drag → `panned`, wheel/pinch → `zoomed`;
// a pin tap → `pinTapped`.
import QtQuick
import QtQuick.Shapes
import models
import style

Item {
    id: map
    objectName: "mapCanvas"
    required property Theme theme
    required property MapShapes shapes
    required property real centerX
    required property real centerY
    required property real zoom
    required property real refX
    required property real refY
    required property real refZoom
    required property bool interactive
    required property DictListModel pins    // roles px, py, kind (plan | stop | cluster), network, count, stationId, rank
    required property DictListModel labels  // roles px, py, text, kind, w, h, ax, ay
    required property real carX
    required property real carY
    required property real carHeading
    required property bool carVisible
    signal panned(real dx, real dy)
    signal zoomed(real factor, real px, real py)
    signal pinTapped(string stationId, real px, real py)
    readonly property real u: theme.unit
    readonly property real touch: theme.touchMin
    readonly property real labelPx: theme.smallPx
    // The transient gesture, applied to everything until it ends and is handed to the store.
    property real gdx: 0
    property real gdy: 0
    property real gs: 1
    property point gOrigin: Qt.point(width / 2, height / 2)
    clip: true

    Rectangle { anchors.fill: parent; color: map.theme.colors.mapWater }

    Item {
        id: gesture
        width: map.width; height: map.height
        transform: [
            Scale { origin.x: map.gOrigin.x; origin.y: map.gOrigin.y; xScale: map.gs; yScale: map.gs },
            Translate { x: map.gdx; y: map.gdy }
        ]

        Item {
            id: cached
            objectName: "mapLayer"
            readonly property real lw: map.width * 1.6
            readonly property real lh: map.height * 1.6
            width: lw; height: lh
            layer.enabled: true
            layer.smooth: true
            transform: [
                Translate { x: -cached.lw / 2; y: -cached.lh / 2 },
                Scale { xScale: map.zoom / map.refZoom; yScale: map.zoom / map.refZoom },
                Translate { x: (map.refX - map.centerX) * map.zoom + map.width / 2; y: (map.refY - map.centerY) * map.zoom + map.height / 2 }
            ]
            Shape {
                id: base
                preferredRendererType: Shape.GeometryRenderer
                transform: [
                    Translate { x: -map.refX; y: -map.refY },
                    Scale { xScale: map.refZoom; yScale: map.refZoom },
                    Translate { x: cached.lw / 2; y: cached.lh / 2 }
                ]
                ShapePath { fillColor: map.theme.colors.mapNeighbour; strokeColor: "transparent"; PathMultiline { paths: map.shapes.neighbour } }
                ShapePath { fillColor: map.theme.colors.mapLand; strokeColor: "transparent"; fillRule: ShapePath.OddEvenFill; PathMultiline { paths: map.shapes.land } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.mapProvince; strokeWidth: 1.5 * map.u; cosmeticStroke: true; PathMultiline { paths: map.shapes.province } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.mapCoast; strokeWidth: 2 * map.u; cosmeticStroke: true; PathMultiline { paths: map.shapes.coast } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.mapBorder; strokeWidth: 2.5 * map.u; cosmeticStroke: true; PathMultiline { paths: map.shapes.border } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.mapCoast; strokeWidth: 2 * map.u; cosmeticStroke: true; strokeStyle: ShapePath.DashLine; dashPattern: [4, 3]; PathMultiline { paths: map.shapes.maritime } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.mapRoad; strokeWidth: 2.5 * map.u; cosmeticStroke: true; joinStyle: ShapePath.RoundJoin; PathMultiline { paths: map.shapes.corridor } }
                ShapePath { fillColor: "transparent"; strokeColor: map.theme.colors.accent; strokeWidth: 7 * map.u; cosmeticStroke: true; joinStyle: ShapePath.RoundJoin; capStyle: ShapePath.RoundCap; PathMultiline { paths: map.shapes.route } }
            }
        }

        Repeater {
            model: map.labels
            delegate: Item {
                id: lbl
                required property real px
                required property real py
                required property real ax
                required property real ay
                required property string text
                required property string kind
                Rectangle {
                    visible: lbl.kind === "city" || lbl.kind === "end"
                    width: (lbl.kind === "end" ? 16 : 10) * map.u; height: width; radius: width / 2
                    x: lbl.ax - width / 2; y: lbl.ay - height / 2
                    color: lbl.kind === "end" ? map.theme.colors.accent : map.theme.colors.mapLabel
                    border.color: map.theme.colors.mapWater; border.width: 2 * map.u
                }
                Text {
                    objectName: "mapLabel"
                    x: lbl.px; y: lbl.py
                    text: lbl.text
                    color: lbl.kind === "end" ? map.theme.colors.text : map.theme.colors.mapLabel
                    style: Text.Outline; styleColor: map.theme.colors.mapWater
                    font.family: map.theme.fontFamily; font.pixelSize: map.labelPx
                    font.weight: lbl.kind === "end" || lbl.kind === "corridor" ? Font.Bold : lbl.kind === "province" ? Font.Normal : Font.DemiBold
                    font.letterSpacing: lbl.kind === "province" ? 1.5 * map.u : 0
                }
            }
        }

        Repeater {
            model: map.pins
            delegate: MapPin {
                theme: map.theme
                touch: map.touch
                onTapped: (stationId, px, py) => map.pinTapped(stationId, px, py)
            }
        }

        CarMarker {
            objectName: "mapCar"
            visible: map.carVisible
            theme: map.theme
            size: map.touch * 0.42
            x: map.carX - width / 2; y: map.carY - height / 2
            heading: map.carHeading
        }
    }

    DragHandler {
        id: drag
        enabled: map.interactive
        target: null
        onTranslationChanged: if (active) { map.gdx = translation.x; map.gdy = translation.y }
        onActiveChanged: if (!active) { var dx = map.gdx, dy = map.gdy; map.gdx = 0; map.gdy = 0; map.panned(dx, dy) }
    }
    PinchHandler {
        enabled: map.interactive
        target: null
        onActiveChanged: {
            if (active) { map.gOrigin = centroid.position; return }
            var f = map.gs, o = map.gOrigin; map.gs = 1; map.zoomed(f, o.x, o.y)
        }
        onActiveScaleChanged: if (active) map.gs = activeScale
    }
    WheelHandler {
        enabled: map.interactive
        target: null
        onWheel: (event) => map.zoomed(event.angleDelta.y > 0 ? 1.25 : 0.8, point.position.x, point.position.y)
    }
}
