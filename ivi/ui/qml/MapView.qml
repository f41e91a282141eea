// Offline map: the route, the car and the stops drawn from the cache's own coordinates (no tiles),
// and a route strip (trip overview) along the bottom.
import QtQuick

Rectangle {
    id: mv
    objectName: "mapView"
    required property var theme
    required property var mapStore
    readonly property real u: theme.unit
    color: theme.colors.surface
    radius: 20 * u
    clip: true

    Item {
        id: area
        anchors { fill: parent; margins: 24 * mv.u; bottomMargin: 110 * mv.u }
        // Fit the projected box (aspect = width/height) into the area.
        readonly property real boxW: Math.min(width, height * mv.mapStore.aspect)
        readonly property real boxH: boxW / mv.mapStore.aspect
        readonly property real ox: (width - boxW) / 2
        readonly property real oy: (height - boxH) / 2
        function px(x) { return ox + x * boxW }
        function py(y) { return oy + y * boxH }

        Canvas {
            id: routeCanvas
            anchors.fill: parent
            property var path: mv.mapStore.path
            property real done: mv.mapStore.carFraction
            property color line: mv.theme.colors.mapRoute
            onPathChanged: requestPaint()
            onLineChanged: requestPaint()
            onWidthChanged: requestPaint()
            onHeightChanged: requestPaint()
            onPaint: {
                var ctx = getContext("2d");
                ctx.reset();
                if (path.length < 4) return;
                ctx.lineJoin = "round"; ctx.lineCap = "round";
                ctx.strokeStyle = line; ctx.lineWidth = 10 * mv.u;
                ctx.beginPath();
                ctx.moveTo(area.px(path[0]), area.py(path[1]));
                for (var i = 2; i < path.length; i += 2) ctx.lineTo(area.px(path[i]), area.py(path[i + 1]));
                ctx.stroke();
            }
        }
        Repeater {
            model: mv.mapStore.cities
            delegate: Item {
                required property var model
                x: area.px(model.x); y: area.py(model.y)
                Rectangle { width: 10 * mv.u; height: width; radius: width / 2; color: mv.theme.colors.textDim; anchors.centerIn: parent }
                Text {
                    x: 10 * mv.u; y: -10 * mv.u
                    text: model.label
                    color: mv.theme.colors.textDim; font.family: mv.theme.fontFamily; font.pixelSize: 17 * mv.u
                }
            }
        }
        Repeater {
            model: mv.mapStore.markers
            delegate: Rectangle {
                required property var model
                width: (model.kind === "plan" ? 30 : 24) * mv.u; height: width; radius: width / 2
                x: area.px(model.x) - width / 2; y: area.py(model.y) - height / 2
                color: model.kind === "plan" ? mv.theme.colors.surface : mv.theme.networkColor(model.network)
                border.color: mv.theme.networkColor(model.network); border.width: 4 * mv.u
                Text {
                    anchors.centerIn: parent
                    visible: model.kind === "stop"
                    text: model.rank
                    color: mv.theme.colors.background; font.pixelSize: 14 * mv.u; font.weight: Font.Bold
                }
            }
        }
        Rectangle {
            id: car
            objectName: "mapCar"
            width: 30 * mv.u; height: width; radius: width / 2
            x: area.px(mv.mapStore.carX) - width / 2; y: area.py(mv.mapStore.carY) - height / 2
            color: mv.theme.colors.accent
            border.color: mv.theme.colors.text; border.width: 4 * mv.u
        }
    }

    // Route strip: start → destination, the car, suggested stops (filled) and planned stops (rings).
    Item {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: 28 * mv.u; bottomMargin: 26 * mv.u }
        height: 70 * mv.u
        Rectangle { id: strip; anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
            height: 8 * mv.u; radius: 4 * mv.u; color: mv.theme.colors.line }
        Rectangle { anchors { left: strip.left; verticalCenter: strip.verticalCenter }
            height: strip.height; radius: 4 * mv.u; width: strip.width * mv.mapStore.carFraction; color: mv.theme.colors.mapDone }
        Repeater {
            model: mv.mapStore.markers
            delegate: Rectangle {
                required property var model
                width: 18 * mv.u; height: width; radius: width / 2
                x: strip.width * model.fraction - width / 2; anchors.verticalCenter: strip.verticalCenter
                color: model.kind === "plan" ? mv.theme.colors.surface : mv.theme.networkColor(model.network)
                border.color: mv.theme.networkColor(model.network); border.width: 3 * mv.u
            }
        }
        Rectangle {
            width: 24 * mv.u; height: width; radius: width / 2
            x: strip.width * mv.mapStore.carFraction - width / 2; anchors.verticalCenter: strip.verticalCenter
            color: mv.theme.colors.accent; border.color: mv.theme.colors.text; border.width: 3 * mv.u
        }
        Text { anchors { left: strip.left; top: strip.bottom; topMargin: 10 * mv.u }
            text: mv.mapStore.originLabel; color: mv.theme.colors.textDim; font.family: mv.theme.fontFamily; font.pixelSize: 18 * mv.u }
        Text { anchors { right: strip.right; top: strip.bottom; topMargin: 10 * mv.u }
            text: mv.mapStore.destinationLabel + " · " + Math.round(mv.mapStore.routeKm) + " km"; color: mv.theme.colors.textDim; font.family: mv.theme.fontFamily; font.pixelSize: 18 * mv.u }
    }
}
