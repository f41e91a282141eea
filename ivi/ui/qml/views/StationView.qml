// One station: EVSEs with status and power, connectors, tariff with time-of-use prices, opening
// times, green energy (StationStore), and Navigate (hands the stop to the navigation app).
import QtQuick
import controls
import stores
import style

Rectangle {
    id: sd
    objectName: "stationDetail"
    required property Theme theme
    required property StationStore station
    required property SystemStore system
    readonly property real u: theme.unit
    readonly property color net: theme.networkColor(station.network)
    color: theme.colors.surface
    radius: 20 * u

    Column {
        id: head
        anchors { left: parent.left; right: actions.left; top: parent.top; margins: 28 * sd.u }
        spacing: 8 * sd.u
        Row {
            spacing: 14 * sd.u
            Text { text: Labels.network(sd.station.network); color: sd.net; font.family: sd.theme.fontFamily; font.pixelSize: 24 * sd.u; font.weight: Font.Bold }
            Leaf { visible: sd.station.green; size: 22 * sd.u; color: sd.theme.colors.good; anchors.verticalCenter: parent.verticalCenter }
            Text { visible: sd.station.green; text: qsTr("Green energy") + (sd.station.energyMix !== "" ? " (" + sd.station.energyMix + ")" : ""); color: sd.theme.colors.good; font.family: sd.theme.fontFamily; font.pixelSize: 22 * sd.u }
        }
        Text { width: parent.width; elide: Text.ElideRight; text: sd.station.name; color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: 38 * sd.u; font.weight: Font.DemiBold }
        Text { width: parent.width; elide: Text.ElideRight; text: (sd.station.nameEn !== "" ? sd.station.nameEn + " · " : "") + sd.station.address; color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: 21 * sd.u }
        Text {
            text: qsTr("%1/%2 free · up to %3 kW · open %4").arg(sd.station.available).arg(sd.station.total).arg(sd.station.maxPowerKw).arg(sd.station.hours)
            color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: 23 * sd.u
        }
    }
    Column {
        id: actions
        anchors { right: parent.right; top: parent.top; margins: 28 * sd.u }
        spacing: 14 * sd.u
        TouchButton { objectName: "navigateButton"; theme: sd.theme; text: qsTr("Navigate"); selected: true; width: 220 * sd.u; height: sd.theme.touchMin; onClicked: sd.station.navigate() }
        TouchButton { objectName: "closeDetail"; theme: sd.theme; text: qsTr("Back"); width: 220 * sd.u; height: sd.theme.touchMin * 0.8; onClicked: sd.station.close() }
        Text { visible: sd.system.navSent !== ""; width: 220 * sd.u; wrapMode: Text.WordWrap; text: qsTr("Sent to navigation"); color: sd.theme.colors.good; font.family: sd.theme.fontFamily; font.pixelSize: 18 * sd.u }
    }

    Row {
        anchors { left: parent.left; right: parent.right; top: head.bottom; bottom: parent.bottom; margins: 28 * sd.u }
        spacing: 28 * sd.u
        ListView {
            id: evses
            objectName: "evseList"
            width: parent.width * 0.55; height: parent.height
            clip: true; spacing: 6 * sd.u
            model: sd.station.evses
            delegate: EvseRow {  // its required properties are filled from the row's roles
                width: evses.width
                theme: sd.theme
            }
        }
        Column {
            width: parent.width * 0.45 - 28 * sd.u
            spacing: 8 * sd.u
            Text { text: qsTr("Price per kWh (energy + service)"); color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: 20 * sd.u }
            Repeater {
                model: sd.station.tariff
                delegate: TariffRow {  // its required properties are filled from the row's roles
                    width: parent.width
                    theme: sd.theme
                    tint: sd.net
                }
            }
        }
    }
}
