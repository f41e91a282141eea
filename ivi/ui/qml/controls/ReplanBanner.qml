// Why the plan changed (a planned charger lost its free EVSEs, a better stop, the destination out
// of reach) with the planner's own notes under it, on a tinted background. Hidden while `reason`
// is ""; a tap is `dismissed`.
import QtQuick
import style

Rectangle {
    id: rb
    objectName: "replanReason"
    required property Theme theme
    required property string reason  // "" | station_unavailable | replaced | unreachable
    required property string stationName
    required property string notes
    // The height the page can give the banner; the planner's notes are left out when they do not fit
    // in it with the headline (a 7-inch panel keeps a stop row visible under the banner).
    property real maxHeight: 1e9
    readonly property bool notesFit: title.implicitHeight + notesText.implicitHeight + 18 * u <= maxHeight
    signal dismissed()
    readonly property real u: theme.unit
    visible: reason !== ""
    height: visible ? Math.max(theme.touchMin, col.implicitHeight + 16 * u) : 0
    radius: 12 * u
    color: theme.colors.surfaceHigh
    border.color: theme.colors.warning; border.width: 3 * u
    Column {
        id: col
        anchors { left: parent.left; leftMargin: 18 * rb.u; right: parent.right; rightMargin: 18 * rb.u; verticalCenter: parent.verticalCenter }
        spacing: 2 * rb.u
        Text {
            id: title
            width: parent.width; wrapMode: Text.WordWrap
            text: rb.reason === "station_unavailable" ? qsTr("Plan changed: %1 has no working charger any more").arg(rb.stationName)
                : rb.reason === "unreachable" ? qsTr("Plan changed: the destination can no longer be reached with these chargers")
                : qsTr("Plan changed: a better stop replaces %1").arg(rb.stationName)
            color: rb.theme.colors.text; font.family: rb.theme.fontFamily; font.pixelSize: rb.theme.bodyPx; font.weight: Font.DemiBold
        }
        Text {
            id: notesText
            objectName: "replanNotes"
            visible: rb.notes !== "" && rb.notesFit
            width: parent.width; wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
            text: rb.notes
            color: rb.theme.colors.textDim; font.family: rb.theme.fontFamily; font.pixelSize: rb.theme.smallPx
        }
    }
    MouseArea { anchors.fill: parent; onClicked: rb.dismissed() }
}
