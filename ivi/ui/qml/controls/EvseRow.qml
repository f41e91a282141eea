// One charge point of a station: a status dot, the status in words, its power and connectors.
import QtQuick
import style

Rectangle {
    id: evse
    required property Theme theme
    required property string status  // OCPI EVSE status code
    required property int powerKw
    required property string connectors
    readonly property real u: theme.unit
    height: 58 * u; radius: 12 * u; color: theme.colors.surfaceHigh
    Rectangle { width: 14 * evse.u; height: width; radius: width / 2; anchors { left: parent.left; leftMargin: 18 * evse.u; verticalCenter: parent.verticalCenter }
                color: evse.status === "AVAILABLE" ? evse.theme.colors.good : evse.status === "CHARGING" ? evse.theme.colors.warning : evse.theme.colors.danger }
    Text { anchors { left: parent.left; leftMargin: 46 * evse.u; verticalCenter: parent.verticalCenter }
           text: Labels.status(evse.status) + " · " + evse.powerKw + " kW"; color: evse.theme.colors.text; font.family: evse.theme.fontFamily; font.pixelSize: 21 * evse.u }
    Text { anchors { right: parent.right; rightMargin: 18 * evse.u; verticalCenter: parent.verticalCenter }
           text: evse.connectors; color: evse.theme.colors.textDim; font.family: evse.theme.fontFamily; font.pixelSize: 17 * evse.u }
}
