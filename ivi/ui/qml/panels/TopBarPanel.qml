// The bar along the top: clock, destination and distance, the page tabs (SystemStore), the sync
// state (SyncStore) and the day/night switch.
import QtQuick
import controls
import stores
import style

Rectangle {
    id: bar
    required property Theme theme
    required property SyncStore syncStatus
    required property SystemStore system
    required property TripStore trip
    readonly property real u: theme.unit
    color: theme.colors.surface

    Row {
        anchors { left: parent.left; leftMargin: 24 * bar.u; verticalCenter: parent.verticalCenter }
        spacing: 28 * bar.u
        Text {
            text: bar.system.clock
            color: bar.theme.colors.text; font.family: bar.theme.fontFamily; font.pixelSize: 30 * bar.u; font.weight: Font.DemiBold
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            text: qsTr("To %1 · %2 km").arg(bar.trip.destination).arg(bar.trip.remainingKm)
            color: bar.theme.colors.textDim; font.family: bar.theme.fontFamily; font.pixelSize: 24 * bar.u
            anchors.verticalCenter: parent.verticalCenter
        }
        TouchButton {
            objectName: "tab_home"; theme: bar.theme; text: qsTr("Chargers")
            selected: bar.system.page === "home"; onClicked: bar.system.showPage("home")
        }
        TouchButton {
            objectName: "tab_trip"; theme: bar.theme; text: qsTr("Trip plan")
            selected: bar.system.page === "trip"; onClicked: bar.system.showPage("trip")
        }
    }

    Row {
        anchors { right: parent.right; rightMargin: 24 * bar.u; verticalCenter: parent.verticalCenter }
        spacing: 20 * bar.u
        SyncIndicator {
            theme: bar.theme
            syncState: bar.syncStatus.state
            progress: bar.syncStatus.progress
            lastUpdate: bar.syncStatus.lastUpdate
            detail: bar.syncStatus.detail
            anchors.verticalCenter: parent.verticalCenter
        }
        TouchButton {
            theme: bar.theme
            objectName: "themeToggle"
            text: bar.theme.night ? qsTr("Day") : qsTr("Night")
            onClicked: bar.theme.toggle()
        }
    }
}
