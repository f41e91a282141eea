// The map region of the home screen (MapStore): the route map above, the route strip along the bottom.
import QtQuick
import controls
import stores
import style

Rectangle {
    id: mp
    objectName: "mapView"
    required property Theme theme
    required property MapStore mapStore
    readonly property real u: theme.unit
    color: theme.colors.surface
    radius: 20 * u
    clip: true

    RouteMap {
        anchors { fill: parent; margins: 24 * mp.u; bottomMargin: 110 * mp.u }
        theme: mp.theme
        path: mp.mapStore.path
        aspect: mp.mapStore.aspect
        carX: mp.mapStore.carX
        carY: mp.mapStore.carY
        cities: mp.mapStore.cities
        markers: mp.mapStore.markers
    }
    RouteStrip {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: 28 * mp.u; bottomMargin: 26 * mp.u }
        theme: mp.theme
        carFraction: mp.mapStore.carFraction
        markers: mp.mapStore.markers
        originLabel: mp.mapStore.originLabel
        destinationLabel: mp.mapStore.destinationLabel
        routeKm: mp.mapStore.routeKm
    }
}
