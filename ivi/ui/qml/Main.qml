// Layout only: receives the stores and the theme from Python (setInitialProperties), creates
// nothing, and hands them down to the views (pages) and panels (regions).
// Wide panels (≥ 1500 design px across) show the map beside the chargers; narrower ones give the
// map its own page. Sizes come from the theme (millimetres and visual angles of the declared panel).
import QtQuick
import panels
import stores
import style
import views

Window {
    id: win
    required property Theme theme
    required property VehicleStore vehicle
    required property SuggestionsStore suggestions
    required property SyncStore syncStatus
    required property FiltersStore filters
    required property TripStore trip
    required property StationStore station
    required property MapStore mapStore
    required property SystemStore system

    width: 1920; height: 720
    visible: true
    color: theme.colors.background
    title: qsTr("Charging")
    onWidthChanged: theme.setWindowSize(width, height)
    onHeightChanged: theme.setWindowSize(width, height)
    Component.onCompleted: theme.setWindowSize(width, height)

    readonly property real u: theme.unit
    readonly property bool wide: width / u >= 1500
    readonly property real gap: 14 * u

    TopBarPanel {
        id: top
        objectName: "topBar"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: win.theme.touchMin + 12 * win.u
        theme: win.theme; syncStatus: win.syncStatus; system: win.system; trip: win.trip
        mapTab: !win.wide
    }

    AlertPanel {
        id: alert
        anchors { left: parent.left; right: parent.right; top: top.bottom; margins: win.gap; bottomMargin: 0 }
        theme: win.theme; suggestions: win.suggestions; station: win.station; trip: win.trip; vehicle: win.vehicle
    }

    Item {
        id: body
        anchors {
            left: parent.left; right: parent.right; bottom: parent.bottom; margins: win.gap
            top: alert.visible ? alert.bottom : top.bottom
        }

        SocPanel {
            id: socPanel
            objectName: "socPanel"
            anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
            width: Math.max(300 * win.u, Math.min(400 * win.u, parent.width * 0.24))
            theme: win.theme; vehicle: win.vehicle; system: win.system; trip: win.trip
        }
        Item {
            id: pages
            anchors { left: socPanel.right; leftMargin: win.gap; right: parent.right; top: parent.top; bottom: parent.bottom }

            HomeView {
                id: home
                visible: (win.system.page === "home" || (win.system.page === "map" && win.wide)) && !win.station.isOpen
                anchors.fill: parent
                theme: win.theme; vehicle: win.vehicle; suggestions: win.suggestions; filters: win.filters
                mapStore: win.mapStore; station: win.station; system: win.system; trip: win.trip
                showMap: win.wide
            }
            MapPanel {
                objectName: "mapPage"
                visible: win.system.page === "map" && !win.wide && !win.station.isOpen
                anchors.fill: parent
                theme: win.theme; mapStore: win.mapStore; vehicle: win.vehicle
            }
            // Secondary views are created the first time they are shown (a faster first frame).
            Loader {
                property bool used: false
                visible: win.system.page === "trip" && !win.station.isOpen
                onVisibleChanged: if (visible) used = true
                active: used || visible
                anchors.fill: parent
                sourceComponent: Component {
                    TripView { theme: win.theme; trip: win.trip; station: win.station; system: win.system }
                }
            }
            Loader {
                property bool used: false
                visible: win.station.isOpen
                onVisibleChanged: if (visible) used = true
                active: used || visible
                anchors.fill: parent
                sourceComponent: Component {
                    StationView { theme: win.theme; station: win.station; system: win.system }
                }
            }
        }
    }
}
