// The map region (MapStore): the map, its zoom and re-centre buttons (parked: pan and zoom;
// moving: it follows the car and the buttons give way), the scale, and where the base map comes
// from — a placeholder until the carmaker's licensed map is plugged in.
import QtQuick
import controls
import stores
import style

Rectangle {
    id: mp
    objectName: "mapView"
    required property Theme theme
    required property MapStore mapStore
    required property VehicleStore vehicle
    readonly property real u: theme.unit
    readonly property bool parked: !mapStore.following
    readonly property real buttonsWidth: parked ? theme.touchMin + 24 * u : 0
    color: theme.colors.surface
    radius: 18 * u
    clip: true

    function tellViewport() {
        if (canvas.width > 0 && canvas.height > 0 && visible)
            mp.mapStore.setViewport(canvas.width, canvas.height, mp.theme.touchMin, mp.theme.smallPx, mp.buttonsWidth, mp.theme.fontFamily)
    }
    // Called later, not from inside a binding: the store's one `changed` signal would re-enter it.
    onVisibleChanged: Qt.callLater(tellViewport)
    onButtonsWidthChanged: Qt.callLater(tellViewport)
    Connections { target: mp.theme; function onChanged() { Qt.callLater(mp.tellViewport) } }

    MapCanvas {
        id: canvas
        anchors { fill: parent; margins: 6 * mp.u; bottomMargin: footer.height + 6 * mp.u }
        onWidthChanged: Qt.callLater(mp.tellViewport)
        onHeightChanged: Qt.callLater(mp.tellViewport)
        theme: mp.theme
        shapes: mp.mapStore.shapes
        centerX: mp.mapStore.centerX
        centerY: mp.mapStore.centerY
        zoom: mp.mapStore.zoom
        refX: mp.mapStore.refX
        refY: mp.mapStore.refY
        refZoom: mp.mapStore.refZoom
        interactive: mp.parked
        pins: mp.mapStore.pins
        labels: mp.mapStore.labels
        carX: mp.mapStore.carX
        carY: mp.mapStore.carY
        carHeading: mp.mapStore.carHeading
        carVisible: mp.mapStore.carVisible
        onPanned: (dx, dy) => mp.mapStore.pan(dx, dy)
        onZoomed: (factor, px, py) => mp.mapStore.zoomAt(factor, px, py)
        onPinTapped: (stationId, px, py) => mp.mapStore.tapPin(stationId, px, py)
    }
    Column {
        visible: mp.parked
        anchors { right: canvas.right; rightMargin: 12 * mp.u; verticalCenter: canvas.verticalCenter }
        spacing: 12 * mp.u
        TouchButton { objectName: "zoomIn"; theme: mp.theme; text: "+"; onClicked: mp.mapStore.zoomAt(2.0, canvas.width / 2, canvas.height / 2) }
        TouchButton { objectName: "zoomOut"; theme: mp.theme; text: "−"; onClicked: mp.mapStore.zoomAt(0.5, canvas.width / 2, canvas.height / 2) }
        TouchButton { objectName: "recenter"; theme: mp.theme; text: qsTr("Route"); onClicked: mp.mapStore.recenter() }
    }
    Row {
        id: footer
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; leftMargin: 14 * mp.u; rightMargin: 14 * mp.u }
        height: attribution.implicitHeight + 8 * mp.u
        spacing: 14 * mp.u
        Text {
            id: scale
            anchors.verticalCenter: parent.verticalCenter
            text: mp.mapStore.scaleKm > 0 ? "⟷ " + qsTr("%1 km").arg(Math.round(mp.mapStore.scaleKm * mp.theme.unit)) : ""
            color: mp.theme.colors.textDim; font.family: mp.theme.fontFamily; font.pixelSize: mp.theme.smallPx
        }
        Text {
            id: attribution
            objectName: "mapAttribution"
            anchors.verticalCenter: parent.verticalCenter
            width: parent.width - scale.width - parent.spacing
            elide: Text.ElideRight
            text: mp.mapStore.baseState === "ready" ? qsTr("Placeholder map (%1), no 审图号").arg(mp.mapStore.source)
                : mp.mapStore.baseState === "loading" ? qsTr("Preparing the map…")
                : qsTr("No base map: %1").arg(mp.mapStore.source)
            color: mp.theme.colors.textDim; font.family: mp.theme.fontFamily; font.pixelSize: mp.theme.smallPx
        }
    }
}
