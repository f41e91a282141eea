// Layout only: receives the stores from Python (setInitialProperties) and hands them to panels.
import QtQuick

Window {
    id: win
    required property var theme
    required property var vehicle
    required property var suggestions
    required property var syncStatus
    required property var filters
    required property var trip
    required property var station
    required property var mapStore
    required property var system

    width: 1920; height: 720
    visible: true
    color: theme.colors.background
    title: qsTr("Charging")
    onHeightChanged: theme.windowHeight = height
    Component.onCompleted: theme.windowHeight = height

    readonly property real u: theme.unit

    TopBar {
        id: top
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 72 * win.u
        theme: win.theme; syncStatus: win.syncStatus; system: win.system; trip: win.trip; vehicle: win.vehicle
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
        HomePanel {
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
                TripView { theme: win.theme; trip: win.trip; mapStore: win.mapStore; vehicle: win.vehicle; station: win.station }
            }
        }
        Loader {
            property bool used: false
            visible: win.station.isOpen
            onVisibleChanged: if (visible) used = true
            active: used || visible
            anchors.fill: home
            sourceComponent: Component {
                StationDetail { theme: win.theme; station: win.station; system: win.system }
            }
        }
    }

    AlertBanner {
        anchors { horizontalCenter: parent.horizontalCenter; top: top.bottom; topMargin: 8 * win.u }
        width: parent.width * 0.5
        theme: win.theme; suggestions: win.suggestions; station: win.station; system: win.system; trip: win.trip
    }
}
