// The bar along the top: clock, destination and distance, the page tabs (SystemStore), what is
// fresh in the charger data (SyncStore) and the day/night switch (auto by the car's light signal,
// a tap overrides, a second tap returns to auto).
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
    property bool mapTab: false
    readonly property real u: theme.unit
    color: theme.colors.surface

    Row {
        id: left
        anchors { left: parent.left; leftMargin: 16 * bar.u; verticalCenter: parent.verticalCenter }
        spacing: 12 * bar.u
        Text {
            objectName: "clock"
            text: bar.system.clock
            color: bar.theme.colors.text; font.family: bar.theme.fontFamily; font.pixelSize: bar.theme.glancePx; font.weight: Font.DemiBold
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
        TouchButton {
            objectName: "tab_map"; theme: bar.theme; text: qsTr("Map"); visible: bar.mapTab
            selected: bar.system.page === "map"; onClicked: bar.system.showPage("map")
        }
    }
    Text {
        objectName: "destinationText"
        anchors { left: left.right; leftMargin: 18 * bar.u; right: right.left; rightMargin: 18 * bar.u; verticalCenter: parent.verticalCenter }
        elide: Text.ElideRight
        text: qsTr("To %1 · %2 km").arg(bar.trip.destination).arg(bar.trip.remainingKm)
        color: bar.theme.colors.textDim; font.family: bar.theme.fontFamily; font.pixelSize: bar.theme.bodyPx
    }
    Row {
        id: right
        anchors { right: parent.right; rightMargin: 16 * bar.u; verticalCenter: parent.verticalCenter }
        spacing: 14 * bar.u
        SyncIndicator {
            theme: bar.theme
            syncState: bar.syncStatus.state
            progress: bar.syncStatus.progress
            version: bar.syncStatus.version
            lastUpdate: bar.syncStatus.lastUpdate
            detail: bar.syncStatus.detail
            statusAgeMin: bar.syncStatus.statusAgeMin
            maxWidth: Math.max(160 * bar.u, bar.width * 0.26)
            anchors.verticalCenter: parent.verticalCenter
        }
        TouchButton {
            theme: bar.theme
            objectName: "themeToggle"
            text: bar.theme.mode === "auto" ? (bar.theme.night ? qsTr("Night (auto)") : qsTr("Day (auto)"))
                : bar.theme.mode === "night" ? qsTr("Night") : qsTr("Day")
            selected: bar.theme.mode !== "auto"
            onClicked: bar.theme.toggle()
        }
    }
}
