// The banner when the destination goes out of range or the battery runs low, with the best stop
// in it: a tap on the banner is `tapped`, the ✕ is `dismissed`. Hidden while `kind` is "".
import QtQuick
import style

Rectangle {
    id: ab
    required property Theme theme
    required property string kind  // "" | low_soc | unreachable | no_charger
    required property string destination
    required property string bestName  // "" when there is no best stop
    required property real bestAheadKm
    required property int bestPowerKw
    signal tapped()
    signal dismissed()
    readonly property real u: theme.unit
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
                : ab.kind === "unreachable" ? qsTr("%1 is no longer reachable without charging").arg(ab.destination)
                : qsTr("No charger in range")
            color: "#101010"; font.family: ab.theme.fontFamily; font.pixelSize: 26 * ab.u; font.weight: Font.Bold
        }
        Text {
            width: parent.width; elide: Text.ElideRight
            visible: ab.bestName !== ""
            text: qsTr("Best stop: %1 · %2 km · %3 kW").arg(ab.bestName).arg(Math.round(ab.bestAheadKm)).arg(ab.bestPowerKw)
            color: "#101010"; font.family: ab.theme.fontFamily; font.pixelSize: 21 * ab.u
        }
    }
    MouseArea { anchors.fill: parent; onClicked: ab.tapped() }
    TouchButton {
        id: dismiss
        anchors { right: parent.right; rightMargin: 14 * ab.u; verticalCenter: parent.verticalCenter }
        theme: ab.theme; text: "✕"
        onClicked: ab.dismissed()
    }
}
