// Layout only: receives the stores and the theme from Python (setInitialProperties), creates
// nothing, and hands them down to the views (pages) and panels (regions).
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
    onHeightChanged: theme.windowHeight = height
    Component.onCompleted: theme.windowHeight = height

    readonly property real u: theme.unit

    TopBarPanel {
        id: top
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 72 * win.u
        theme: win.theme; syncStatus: win.syncStatus; system: win.system; trip: win.trip
    }

    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: top.bottom; bottom: parent.bottom; margins: 16 * win.u; topMargin: 4 * win.u }

        SocPanel {
            id: socPanel
            objectName: "socPanel"
            anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
            width: parent.width * 0.23
            theme: win.theme; vehicle: win.vehicle; system: win.system
        }
        HomeView {
            id: home
            visible: win.system.page === "home"
            anchors { left: socPanel.right; leftMargin: 16 * win.u; right: parent.right; top: parent.top; bottom: parent.bottom }
            theme: win.theme; vehicle: win.vehicle; suggestions: win.suggestions; filters: win.filters
            mapStore: win.mapStore; station: win.station; system: win.system
        }
        // Secondary views are created the first time they are shown (a faster first frame).
        Loader {
            property bool used: false
            visible: win.system.page === "trip"
            onVisibleChanged: if (visible) used = true
            active: used || visible
            anchors.fill: home
            sourceComponent: Component {
                TripView { theme: win.theme; trip: win.trip; station: win.station }
            }
        }
        Loader {
            property bool used: false
            visible: win.station.isOpen
            onVisibleChanged: if (visible) used = true
            active: used || visible
            anchors.fill: home
            sourceComponent: Component {
                StationView { theme: win.theme; station: win.station; system: win.system }
            }
        }
    }

    AlertPanel {
        anchors { horizontalCenter: parent.horizontalCenter; top: top.bottom; topMargin: 8 * win.u }
        width: parent.width * 0.5
        theme: win.theme; suggestions: win.suggestions; station: win.station; trip: win.trip
    }
}
