// Why the plan changed (a planned charger lost its free EVSEs, a better stop, the destination out
// of reach) with the planner's own notes under it. Hidden while `reason` is ""; a tap is `dismissed`.
import QtQuick
import style

Rectangle {
    id: rb
    objectName: "replanReason"
    required property Theme theme
    required property string reason  // "" | station_unavailable | replaced | unreachable
    required property string stationName
    required property string notes
    signal dismissed()
    readonly property real u: theme.unit
    visible: reason !== ""
    height: visible ? (notes !== "" ? 88 : 56) * u : 0
    radius: 12 * u
    color: Qt.rgba(theme.colors.warning.r, theme.colors.warning.g, theme.colors.warning.b, 0.16)
    Column {
        anchors { left: parent.left; leftMargin: 20 * rb.u; right: parent.right; rightMargin: 20 * rb.u; verticalCenter: parent.verticalCenter }
        spacing: 4 * rb.u
        Text {
            width: parent.width; elide: Text.ElideRight
            text: rb.reason === "station_unavailable" ? qsTr("Plan changed: %1 has no free charger any more").arg(rb.stationName)
                : rb.reason === "unreachable" ? qsTr("Plan changed: the destination can no longer be reached with these chargers")
                : qsTr("Plan changed: a better stop replaces %1").arg(rb.stationName)
            color: rb.theme.colors.text; font.family: rb.theme.fontFamily; font.pixelSize: 21 * rb.u
        }
        Text {
            objectName: "replanNotes"
            visible: rb.notes !== ""
            width: parent.width; elide: Text.ElideRight
            text: rb.notes
            color: rb.theme.colors.textDim; font.family: rb.theme.fontFamily; font.pixelSize: 18 * rb.u
        }
    }
    MouseArea { anchors.fill: parent; onClicked: rb.dismissed() }
}
