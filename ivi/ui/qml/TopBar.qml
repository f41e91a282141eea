import QtQuick

Rectangle {
    id: bar
    required property var theme
    required property var syncStatus
    required property var system
    required property var trip
    required property var vehicle
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
        Repeater {
            model: [{ key: "home", label: qsTr("Chargers") }, { key: "trip", label: qsTr("Trip plan") }]
            delegate: TouchButton {
                required property var modelData
                theme: bar.theme
                text: modelData.label
                objectName: "tab_" + modelData.key
                selected: bar.system.page === modelData.key
                onClicked: bar.system.showPage(modelData.key)
            }
        }
    }

    Row {
        anchors { right: parent.right; rightMargin: 24 * bar.u; verticalCenter: parent.verticalCenter }
        spacing: 20 * bar.u
        SyncIndicator { theme: bar.theme; syncStatus: bar.syncStatus; anchors.verticalCenter: parent.verticalCenter }
        TouchButton {
            theme: bar.theme
            objectName: "themeToggle"
            text: bar.theme.night ? qsTr("Day") : qsTr("Night")
            onClicked: bar.theme.toggle()
        }
    }
}
