// One charge point: a status dot, the status in words with its age — a status older than 15 min
// is "last known", never a green "Available" — its power and connectors (GB/T DC, not GBT_DC).
import QtQuick
import style

Rectangle {
    id: evse
    required property Theme theme
    required property string status  // OCPI EVSE status code
    required property int powerKw
    required property string connectors  // in words
    required property bool fresh
    required property int ageMin
    readonly property real u: theme.unit
    height: Math.max(56 * u, texts.implicitHeight + 12 * u); radius: 12 * u; color: theme.colors.surfaceHigh
    Rectangle {
        width: 14 * evse.u; height: width; radius: width / 2; anchors { left: parent.left; leftMargin: 16 * evse.u; verticalCenter: parent.verticalCenter }
        color: !evse.fresh ? evse.theme.colors.textDim : evse.status === "AVAILABLE" ? evse.theme.colors.good
             : evse.status === "CHARGING" ? evse.theme.colors.warning : evse.theme.colors.danger
    }
    Column {
        id: texts
        anchors { left: parent.left; leftMargin: 42 * evse.u; right: parent.right; rightMargin: 14 * evse.u; verticalCenter: parent.verticalCenter }
        Text {
            width: parent.width; wrapMode: Text.WordWrap
            text: (evse.fresh ? Labels.status(evse.status) : qsTr("Last known: %1").arg(Labels.status(evse.status))) + " · " + evse.powerKw + " kW"
            color: evse.theme.colors.text; font.family: evse.theme.fontFamily; font.pixelSize: evse.theme.smallPx
        }
        Text {
            width: parent.width; wrapMode: Text.WordWrap
            text: evse.connectors + " · " + Labels.age(evse.ageMin)
            color: evse.theme.colors.textDim; font.family: evse.theme.fontFamily; font.pixelSize: evse.theme.smallPx
        }
    }
}
