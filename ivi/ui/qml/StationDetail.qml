// One station: EVSEs with status and power, connectors, tariff with time-of-use prices, opening
// times, green energy, and Navigate (hands the stop to the navigation app).
import QtQuick

Rectangle {
    id: sd
    objectName: "stationDetail"
    required property var theme
    required property var station
    required property var system
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
            delegate: Rectangle {
                required property var model
                width: evses.width; height: 58 * sd.u; radius: 12 * sd.u; color: sd.theme.colors.surfaceHigh
                Rectangle { width: 14 * sd.u; height: width; radius: width / 2; anchors { left: parent.left; leftMargin: 18 * sd.u; verticalCenter: parent.verticalCenter }
                            color: model.status === "AVAILABLE" ? sd.theme.colors.good : model.status === "CHARGING" ? sd.theme.colors.warning : sd.theme.colors.danger }
                Text { anchors { left: parent.left; leftMargin: 46 * sd.u; verticalCenter: parent.verticalCenter }
                       text: Labels.status(model.status) + " · " + model.powerKw + " kW"; color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: 21 * sd.u }
                Text { anchors { right: parent.right; rightMargin: 18 * sd.u; verticalCenter: parent.verticalCenter }
                       text: model.connectors; color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: 17 * sd.u }
            }
        }
        Column {
            width: parent.width * 0.45 - 28 * sd.u
            spacing: 8 * sd.u
            Text { text: qsTr("Price per kWh (energy + service)"); color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: 20 * sd.u }
            Repeater {
                model: sd.station.tariff
                delegate: Rectangle {
                    required property var model
                    width: parent.width; height: 50 * sd.u; radius: 10 * sd.u
                    color: model.now ? Qt.rgba(sd.net.r, sd.net.g, sd.net.b, 0.18) : sd.theme.colors.surfaceHigh
                    Text { anchors { left: parent.left; leftMargin: 18 * sd.u; verticalCenter: parent.verticalCenter }
                           text: model.start + "–" + model.end + (model.now ? "  " + qsTr("now") : ""); color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: 20 * sd.u }
                    Text { anchors { right: parent.right; rightMargin: 18 * sd.u; verticalCenter: parent.verticalCenter }
                           text: "¥" + model.total.toFixed(2) + "  (" + model.energy.toFixed(2) + " + " + model.service.toFixed(2) + ")"; color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: 20 * sd.u }
                }
            }
        }
    }
}
