// The banner when the destination goes out of range or the battery runs low, with the best stop
// in it: one tap opens that stop.
import QtQuick

Rectangle {
    id: ab
    objectName: "alertBanner"
    required property var theme
    required property var suggestions
    required property var station
    required property var system
    required property var trip
    readonly property real u: theme.unit
    readonly property string kind: suggestions.alert
    visible: kind !== ""
    height: theme.touchMin * 1.05
    radius: 18 * u
    color: kind === "low_soc" ? theme.colors.warning : theme.colors.danger

    Column {
        anchors { left: parent.left; leftMargin: 26 * ab.u; right: dismiss.left; verticalCenter: parent.verticalCenter }
        spacing: 2 * ab.u
        Text {
            objectName: "alertTitle"
            text: ab.kind === "low_soc" ? qsTr("Battery low")
                : ab.kind === "unreachable" ? qsTr("%1 is no longer reachable without charging").arg(ab.trip.destination)
                : qsTr("No charger in range")
            color: "#101010"; font.family: ab.theme.fontFamily; font.pixelSize: 26 * ab.u; font.weight: Font.Bold
        }
        Text {
            width: parent.width; elide: Text.ElideRight
            visible: ab.suggestions.bestName !== ""
            text: qsTr("Best stop: %1 · %2 km · %3 kW").arg(ab.suggestions.bestName).arg(Math.round(ab.suggestions.bestAheadKm)).arg(ab.suggestions.bestPowerKw)
            color: "#101010"; font.family: ab.theme.fontFamily; font.pixelSize: 21 * ab.u
        }
    }
    MouseArea { anchors.fill: parent; onClicked: if (ab.suggestions.bestId !== "") ab.station.show(ab.suggestions.bestId) }
    TouchButton {
        id: dismiss
        anchors { right: parent.right; rightMargin: 14 * ab.u; verticalCenter: parent.verticalCenter }
        theme: ab.theme; text: "✕"
        onClicked: ab.suggestions.dismissAlert()
    }
}
