// Left column: the gauge, the range with the reserve, speed (VehicleStore) and what the screen
// must say plainly about its data: CAN, the cache, a missing font or translation (SystemStore).
import QtQuick
import controls
import stores
import style

Rectangle {
    id: p
    required property Theme theme
    required property VehicleStore vehicle
    required property SystemStore system
    readonly property real u: theme.unit
    color: theme.colors.surface
    radius: 20 * u

    Column {
        anchors { fill: parent; margins: 20 * p.u }
        spacing: 14 * p.u
        SocGauge {
            theme: p.theme
            socPercent: p.vehicle.socPercent; socText: p.vehicle.socText
            stale: p.vehicle.socStale; charging: p.vehicle.charging
            width: Math.min(parent.width, 300 * p.u); height: width
            anchors.horizontalCenter: parent.horizontalCenter
        }
        Column {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: 2 * p.u
            Text {
                objectName: "rangeText"
                anchors.horizontalCenter: parent.horizontalCenter
                text: p.vehicle.rangeKm < 0 ? qsTr("-- km") : qsTr("%1 km").arg(p.vehicle.rangeKm)
                color: p.theme.colors.text; font.family: p.theme.fontFamily; font.pixelSize: 54 * p.u; font.weight: Font.DemiBold
            }
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("range, keeping %1 km reserve").arg(p.vehicle.reserveKm)
                color: p.theme.colors.textDim; font.family: p.theme.fontFamily; font.pixelSize: 19 * p.u
            }
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: p.vehicle.moving ? qsTr("%1 km/h").arg(Math.round(p.vehicle.speedKmh)) : qsTr("Parked")
            color: p.theme.colors.textDim; font.family: p.theme.fontFamily; font.pixelSize: 26 * p.u
        }
    }
    Column {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: 18 * p.u }
        spacing: 6 * p.u
        Text {
            objectName: "canStatus"
            visible: p.vehicle.canState !== "live"
            width: parent.width; wrapMode: Text.WordWrap
            text: p.vehicle.canState === "none" ? qsTr("No vehicle data source")
                : p.vehicle.canState === "stale" ? qsTr("No CAN data: battery level unknown")
                : qsTr("Waiting for CAN data…")
            color: p.theme.colors.warning; font.family: p.theme.fontFamily; font.pixelSize: 18 * p.u
        }
        Text {
            visible: p.system.cacheState !== "ready"
            width: parent.width; wrapMode: Text.WordWrap
            text: p.system.cacheState === "loading" ? qsTr("Preparing charger data…")
                : p.system.cacheState === "empty" ? qsTr("Charger data is empty")
                : qsTr("Charger data unreadable: %1").arg(p.system.cacheDetail)
            color: p.system.cacheState === "loading" ? p.theme.colors.textDim : p.theme.colors.danger
            font.family: p.theme.fontFamily; font.pixelSize: 18 * p.u
        }
        Text {
            visible: p.system.fontMissing || p.system.translationMissing !== ""
            width: parent.width; wrapMode: Text.WordWrap
            text: p.system.fontMissing ? "Chinese font missing (install fonts-noto-cjk)" : "Translation missing: " + p.system.translationMissing
            color: p.theme.colors.warning; font.family: p.theme.fontFamily; font.pixelSize: 16 * p.u
        }
    }
}
