// Left column: the gauge; distance to empty and the reserve, shown apart (at 10 % the car still
// has tens of km to empty); an unknown SoC said plainly with what was last known; while charging,
// the power, the target for the next leg and when to leave; speed; and what the screen must say
// plainly about its data (CAN, the cache, a missing font or translation).
import QtQuick
import controls
import stores
import style

Rectangle {
    id: p
    required property Theme theme
    required property VehicleStore vehicle
    required property SystemStore system
    required property TripStore trip
    readonly property real u: theme.unit
    readonly property bool charging: vehicle.charging && !vehicle.socStale
    color: theme.colors.surface
    radius: 18 * u
    clip: true

    Column {
        id: top
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 * p.u }
        spacing: 6 * p.u
        SocGauge {
            theme: p.theme
            socPercent: p.vehicle.socPercent; socText: p.vehicle.socText
            stale: p.vehicle.socStale; charging: p.vehicle.charging
            width: Math.min(parent.width, p.height * 0.42, 280 * p.u); height: width
            anchors.horizontalCenter: parent.horizontalCenter
        }
        Text {
            objectName: "socUnknownText"
            visible: p.vehicle.socStale && p.vehicle.lastSocText !== ""
            width: parent.width; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
            text: qsTr("Battery level unknown — last %1% %2").arg(p.vehicle.lastSocText).arg(Labels.seconds(p.vehicle.socAgeS))
            color: p.theme.colors.warning; font.family: p.theme.fontFamily; font.pixelSize: p.theme.bodyPx; font.weight: Font.DemiBold
        }
        Text {
            objectName: "rangeText"
            width: parent.width; horizontalAlignment: Text.AlignHCenter
            text: p.vehicle.toEmptyKm < 0 ? qsTr("-- km") : qsTr("%1 km").arg(p.vehicle.toEmptyKm)
            color: p.vehicle.belowReserve ? p.theme.colors.warning : p.theme.colors.text
            font.family: p.theme.fontFamily; font.pixelSize: p.theme.glancePx * 1.3; font.weight: Font.DemiBold
        }
        Text {
            objectName: "reserveText"
            width: parent.width; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
            text: p.vehicle.toEmptyKm < 0 ? qsTr("to empty · reserve %1 km").arg(p.vehicle.reserveKm)
                : p.vehicle.belowReserve ? qsTr("to empty · in the reserve")
                : qsTr("to empty · %1 km before the %2 km reserve").arg(p.vehicle.rangeKm).arg(p.vehicle.reserveKm)
            color: p.vehicle.belowReserve ? p.theme.colors.warning : p.theme.colors.textDim
            font.family: p.theme.fontFamily; font.pixelSize: p.theme.smallPx
        }
        Column {
            objectName: "chargingPanel"
            visible: p.charging
            width: parent.width
            spacing: 2 * p.u
            Text {
                objectName: "chargePower"
                width: parent.width; horizontalAlignment: Text.AlignHCenter
                text: p.vehicle.chargePowerKw >= 0 ? qsTr("%1 kW").arg(p.vehicle.chargePowerKw) : qsTr("Charging")
                color: p.theme.colors.good; font.family: p.theme.fontFamily; font.pixelSize: p.theme.glancePx; font.weight: Font.Bold
            }
            Text {
                objectName: "chargeTarget"
                width: parent.width; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
                text: p.trip.chargeTarget >= 0 ? qsTr("Charge to %1% for %2 (%3 km)").arg(p.trip.chargeTarget).arg(p.trip.chargeFor).arg(p.trip.chargeForKm)
                    : p.vehicle.chargeMinutesLeft >= 0 ? qsTr("%1 to the charge limit").arg(Labels.duration(p.vehicle.chargeMinutesLeft))
                    : ""
                color: p.theme.colors.text; font.family: p.theme.fontFamily; font.pixelSize: p.theme.bodyPx
            }
            Text {
                objectName: "leaveAt"
                visible: p.trip.leaveAt !== ""
                width: parent.width; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
                text: qsTr("%1 more · leave at %2").arg(Labels.duration(p.trip.chargeMinutesLeft)).arg(p.trip.leaveAt)
                color: p.theme.colors.text; font.family: p.theme.fontFamily; font.pixelSize: p.theme.bodyPx; font.weight: Font.DemiBold
            }
        }
        Text {
            objectName: "speedText"
            visible: !p.charging
            width: parent.width; horizontalAlignment: Text.AlignHCenter
            text: p.vehicle.moving ? qsTr("%1 km/h").arg(Math.round(p.vehicle.speedKmh)) : qsTr("Parked")
            color: p.theme.colors.textDim; font.family: p.theme.fontFamily; font.pixelSize: p.theme.bodyPx
        }
        // What the screen must say plainly about its data, in the same flow (never over the numbers).
        Text {
            objectName: "canStatus"
            visible: p.vehicle.canState !== "live" && !(p.vehicle.canState === "stale" && p.vehicle.lastSocText !== "")
            width: parent.width; wrapMode: Text.WordWrap
            text: p.vehicle.canState === "none" ? qsTr("No vehicle data source")
                : p.vehicle.canState === "stale" ? qsTr("No battery data from the car")
                : qsTr("Waiting for CAN data…")
            color: p.theme.colors.warning; font.family: p.theme.fontFamily; font.pixelSize: p.theme.smallPx
        }
        Text {
            objectName: "cacheStatus"
            visible: p.system.cacheState !== "ready"
            width: parent.width; wrapMode: Text.WordWrap; maximumLineCount: 3; elide: Text.ElideRight
            text: p.system.cacheState === "loading" ? qsTr("Preparing charger data…")
                : p.system.cacheState === "empty" ? qsTr("Charger data is empty")
                : qsTr("Charger data unreadable: %1").arg(p.system.cacheDetail)
            color: p.system.cacheState === "loading" ? p.theme.colors.textDim : p.theme.colors.danger
            font.family: p.theme.fontFamily; font.pixelSize: p.theme.smallPx
        }
        Text {
            visible: p.system.fontMissing || p.system.translationMissing !== ""
            width: parent.width; wrapMode: Text.WordWrap
            text: p.system.fontMissing ? "Chinese font missing (install fonts-noto-cjk)" : "Translation missing: " + p.system.translationMissing
            color: p.theme.colors.warning; font.family: p.theme.fontFamily; font.pixelSize: p.theme.smallPx
        }
    }
}
