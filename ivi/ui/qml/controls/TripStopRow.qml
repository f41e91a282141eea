// One planned stop: its number, where it is (km from the car), when the car gets there, and the
// charge there; with an occupancy model, how busy it usually is then (elided first). A tap is `tapped`.
import QtQuick
import style

Rectangle {
    id: row
    required property Theme theme
    required property int index
    required property string stationId
    required property string network
    required property string shortName
    required property int aheadKm
    required property string arriveAt
    required property int arrivalSoc
    required property int departureSoc
    required property int chargeMin
    required property int powerKw
    required property int evses
    required property string usually
    required property int waitMin
    required property int oftenDown
    required property bool noHistory
    signal tapped(string stationId)
    readonly property real u: theme.unit
    height: Math.max(theme.touchMin, col.implicitHeight + 14 * u); radius: 14 * u; color: theme.colors.surface
    Rectangle { id: badge; width: 40 * row.u; height: width; radius: width / 2; color: Labels.networkColor(row.theme, row.network); anchors { left: parent.left; leftMargin: 14 * row.u; verticalCenter: parent.verticalCenter }
                Text { anchors.centerIn: parent; text: row.index + 1; color: row.theme.colors.background; font.pixelSize: row.theme.smallPx; font.weight: Font.Bold } }
    Column {
        id: col
        anchors { left: badge.right; leftMargin: 14 * row.u; right: parent.right; rightMargin: 16 * row.u; verticalCenter: parent.verticalCenter }
        Text {
            width: parent.width; elide: Text.ElideRight
            text: qsTr("in %1 km · %2").arg(row.aheadKm).arg(row.arriveAt) + " · " + row.shortName
            color: row.theme.colors.text; font.family: row.theme.fontFamily; font.pixelSize: row.theme.bodyPx; font.weight: Font.DemiBold
        }
        Text {
            width: parent.width; elide: Text.ElideRight
            objectName: "tripStopFacts"
            text: qsTr("%1% → %2% · %3 · %4 kW").arg(row.arrivalSoc).arg(row.departureSoc).arg(Labels.duration(row.chargeMin)).arg(row.powerKw)
                  + (row.usually !== "" ? " · " + Labels.occupancy(row.usually, row.waitMin, row.oftenDown, row.evses, row.noHistory) : "")
            color: row.usually === "busy" || row.usually === "full" || row.oftenDown > 0 ? row.theme.colors.warning : row.theme.colors.textDim; font.family: row.theme.fontFamily; font.pixelSize: row.theme.smallPx
        }
    }
    MouseArea { anchors.fill: parent; onClicked: row.tapped(row.stationId) }
}
