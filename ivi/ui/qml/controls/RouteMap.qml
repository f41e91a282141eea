// The route drawn from projected coordinates (0..1, fitted keeping `aspect` = width / height),
// the cities along it, the stop markers and the car. No tiles: everything comes from the cache.
import QtQuick
import models
import style

Item {
    id: area
    required property Theme theme
    required property list<real> path  // x0, y0, x1, y1, … in 0..1
    required property real aspect
    required property real carX
    required property real carY
    required property DictListModel cities   // roles x, y, label
    required property DictListModel markers  // roles x, y, network, rank, kind ("plan" | "stop")
    readonly property real u: theme.unit
    // Fit the projected box into the area.
    readonly property real boxW: Math.min(width, height * aspect)
    readonly property real boxH: boxW / aspect
    readonly property real ox: (width - boxW) / 2
    readonly property real oy: (height - boxH) / 2
    function px(x: real): real { return ox + x * boxW }
    function py(y: real): real { return oy + y * boxH }

    Canvas {
        id: routeCanvas
        anchors.fill: parent
        property list<real> path: area.path
        property color line: area.theme.colors.mapRoute
        onPathChanged: requestPaint()
        onLineChanged: requestPaint()
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d");
            ctx.reset();
            if (path.length < 4) return;
            ctx.lineJoin = "round"; ctx.lineCap = "round";
            ctx.strokeStyle = line; ctx.lineWidth = 10 * area.u;
            ctx.beginPath();
            ctx.moveTo(area.px(path[0]), area.py(path[1]));
            for (var i = 2; i < path.length; i += 2) ctx.lineTo(area.px(path[i]), area.py(path[i + 1]));
            ctx.stroke();
        }
    }
    Repeater {
        model: area.cities
        delegate: Item {
            required property var model  // roles x, y clash with Item's own x, y: read through `model`
            x: area.px(model.x); y: area.py(model.y)
            Rectangle { width: 10 * area.u; height: width; radius: width / 2; color: area.theme.colors.textDim; anchors.centerIn: parent }
            Text {
                x: 10 * area.u; y: -10 * area.u
                text: model.label
                color: area.theme.colors.textDim; font.family: area.theme.fontFamily; font.pixelSize: 17 * area.u
            }
        }
    }
    Repeater {
        model: area.markers
        delegate: Rectangle {
            required property var model  // roles x, y clash with Item's own x, y: read through `model`
            width: (model.kind === "plan" ? 30 : 24) * area.u; height: width; radius: width / 2
            x: area.px(model.x) - width / 2; y: area.py(model.y) - height / 2
            color: model.kind === "plan" ? area.theme.colors.surface : area.theme.networkColor(model.network)
            border.color: area.theme.networkColor(model.network); border.width: 4 * area.u
            Text {
                anchors.centerIn: parent
                visible: model.kind === "stop"
                text: model.rank
                color: area.theme.colors.background; font.pixelSize: 14 * area.u; font.weight: Font.Bold
            }
        }
    }
    Rectangle {
        id: car
        objectName: "mapCar"
        width: 30 * area.u; height: width; radius: width / 2
        x: area.px(area.carX) - width / 2; y: area.py(area.carY) - height / 2
        color: area.theme.colors.accent
        border.color: area.theme.colors.text; border.width: 4 * area.u
    }
}
