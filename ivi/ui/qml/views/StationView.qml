// One station (StationStore). While the car moves: only what a glance needs — name, distance,
// power, availability (with its age) and Navigate. Parked: also the address, opening hours,
// green energy, each charge point with its status and connectors, and the time-of-use prices.
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
    readonly property bool glance: station.moving
    readonly property color net: Labels.networkColor(theme, station.network)
    readonly property bool english: system.language !== "zh_CN"
    color: theme.colors.surface
    radius: 18 * u
    MouseArea { anchors.fill: parent }  // the page swallows taps meant for the home view under it

    Column {
        id: actions
        anchors { right: parent.right; top: parent.top; margins: 22 * sd.u }
        spacing: 12 * sd.u
        TouchButton { objectName: "navigateButton"; theme: sd.theme; text: qsTr("Navigate"); selected: true; width: Math.max(implicitWidth, 200 * sd.u); onClicked: sd.station.navigate() }
        TouchButton { objectName: "closeDetail"; theme: sd.theme; text: qsTr("Back"); width: Math.max(implicitWidth, 200 * sd.u); onClicked: sd.station.close() }
        Text { visible: sd.system.navSent !== ""; width: 200 * sd.u; wrapMode: Text.WordWrap; text: qsTr("Sent to navigation"); color: sd.theme.colors.good; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.smallPx }
    }

    Column {
        id: head
        anchors { left: parent.left; right: actions.left; top: parent.top; margins: 22 * sd.u }
        spacing: 4 * sd.u
        Row {
            spacing: 12 * sd.u
            SpeedClassIcon { theme: sd.theme; speedClass: sd.station.speedClass; size: sd.theme.bodyPx; color: sd.net; anchors.verticalCenter: parent.verticalCenter }
            Text { text: Labels.network(sd.station.network) + " · " + Labels.speedClass(sd.station.speedClass); color: sd.net; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.bodyPx; font.weight: Font.Bold }
            Leaf { visible: sd.station.green && !sd.glance; size: sd.theme.smallPx; color: sd.theme.colors.good; anchors.verticalCenter: parent.verticalCenter }
        }
        Text {
            objectName: "detailName"
            width: parent.width; wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
            text: sd.station.shortName
            color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.glancePx; font.weight: Font.DemiBold
        }
        Text {
            objectName: "detailFacts"
            width: parent.width; wrapMode: Text.WordWrap
            text: (sd.station.distanceKm >= 0 ? qsTr("%1 km").arg(sd.station.distanceKm) + " · " : "")
                  + qsTr("up to %1 kW").arg(sd.station.maxPowerKw) + " · "
                  + (sd.station.fresh ? qsTr("%1/%2 free").arg(sd.station.available).arg(sd.station.total)
                                      : qsTr("last known %1/%2").arg(sd.station.available).arg(sd.station.total))
            color: sd.theme.colors.text; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.glancePx
        }
        Text {
            objectName: "detailAge"
            width: parent.width; wrapMode: Text.WordWrap
            text: sd.station.fresh ? qsTr("Availability checked %1").arg(Labels.age(sd.station.statusAgeMin))
                : qsTr("No live status: last reported %1").arg(Labels.age(sd.station.statusAgeMin))
            color: sd.station.fresh ? sd.theme.colors.textDim : sd.theme.colors.warning
            font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.bodyPx
        }
        Text {
            objectName: "detailAddress"
            visible: !sd.glance
            width: parent.width; wrapMode: Text.WordWrap; maximumLineCount: 3; elide: Text.ElideRight
            text: (sd.english && sd.station.nameEn !== "" ? sd.station.nameEn : sd.station.name) + " · " + sd.station.address + (sd.station.hours !== "" ? " · " + qsTr("open %1").arg(sd.station.hours) : "")
                  + (sd.station.connectors !== "" ? " · " + sd.station.connectors : "")
                  + (sd.station.green ? " · " + qsTr("Green energy") + (sd.station.energyMix !== "" ? " (" + sd.station.energyMix + ")" : "") : "")
            color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.smallPx
        }
        Text {
            objectName: "detailLocked"
            visible: sd.glance
            width: parent.width; wrapMode: Text.WordWrap
            text: qsTr("Prices and charge points when parked")
            color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.smallPx
        }
    }

    Row {
        objectName: "detailTables"
        visible: !sd.glance
        x: 22 * sd.u
        width: parent.width - 44 * sd.u
        y: Math.max(head.y + head.height, actions.y + actions.height) + 16 * sd.u
        height: parent.height - y - 22 * sd.u
        spacing: 22 * sd.u
        ListView {
            id: evses
            objectName: "evseList"
            width: parent.width * 0.5; height: parent.height
            clip: true; spacing: 6 * sd.u
            boundsBehavior: Flickable.StopAtBounds
            model: sd.station.evses
            delegate: EvseRow {  // its required properties are filled from the row's roles
                width: evses.width
                theme: sd.theme
            }
        }
        ListView {
            id: prices
            objectName: "tariffList"
            width: parent.width * 0.5 - 22 * sd.u; height: parent.height
            clip: true; spacing: 6 * sd.u
            boundsBehavior: Flickable.StopAtBounds
            header: Text { width: prices.width; bottomPadding: 6 * sd.u; wrapMode: Text.WordWrap; text: qsTr("Price per kWh (energy + service)"); color: sd.theme.colors.textDim; font.family: sd.theme.fontFamily; font.pixelSize: sd.theme.smallPx }
            model: sd.station.tariff
            delegate: TariffRow {  // its required properties are filled from the row's roles
                width: prices.width
                theme: sd.theme
                tint: sd.net
            }
        }
    }
}
