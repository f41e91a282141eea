// One planned stop: its number in the plan, where it is and the charge there. A tap is `tapped`.
import QtQuick
import style

Rectangle {
    id: row
    required property Theme theme
    required property int index
    required property string stationId
    required property string network
    required property string name
    required property int alongKm
    required property int arrivalSoc
    required property int departureSoc
    required property int chargeMin
    required property int powerKw
    signal tapped(string stationId)
    readonly property real u: theme.unit
    height: 72 * u; radius: 14 * u; color: theme.colors.surface
    Rectangle { width: 40 * row.u; height: width; radius: width / 2; color: row.theme.networkColor(row.network); anchors { left: parent.left; leftMargin: 18 * row.u; verticalCenter: parent.verticalCenter }
                Text { anchors.centerIn: parent; text: row.index + 1; color: row.theme.colors.background; font.pixelSize: 20 * row.u; font.weight: Font.Bold } }
    Text { anchors { left: parent.left; leftMargin: 76 * row.u; verticalCenter: parent.verticalCenter }
        width: parent.width * 0.45; elide: Text.ElideRight
           text: qsTr("km %1").arg(row.alongKm) + "  " + row.name; color: row.theme.colors.text; font.family: row.theme.fontFamily; font.pixelSize: 24 * row.u }
    Text { anchors { right: parent.right; rightMargin: 22 * row.u; verticalCenter: parent.verticalCenter }
           text: qsTr("%1% → %2% · %3 min · %4 kW").arg(row.arrivalSoc).arg(row.departureSoc).arg(row.chargeMin).arg(row.powerKw)
           color: row.theme.colors.text; font.family: row.theme.fontFamily; font.pixelSize: 24 * row.u; font.weight: Font.DemiBold }
    MouseArea { anchors.fill: parent; onClicked: row.tapped(row.stationId) }
}
