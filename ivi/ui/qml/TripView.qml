// The plan to the destination: alternatives, each stop's arrival/departure SoC and charge minutes,
// totals, and why the plan changed.
import QtQuick

Item {
    id: tv
    objectName: "tripView"
    required property var theme
    required property var trip
    required property var mapStore
    required property var vehicle
    required property var station
    readonly property real u: theme.unit

    Row {
        id: alts
        anchors { left: parent.left; top: parent.top }
        spacing: 14 * tv.u
        Repeater {
            model: tv.trip.alternatives
            delegate: Rectangle {
                required property var model
                objectName: "alt_" + model.kind
                width: 300 * tv.u; height: 104 * tv.u; radius: 16 * tv.u
                color: model.selected ? Qt.rgba(tv.theme.colors.accent.r, tv.theme.colors.accent.g, tv.theme.colors.accent.b, 0.18) : tv.theme.colors.surface
                border.color: model.selected ? tv.theme.colors.accent : "transparent"; border.width: 2 * tv.u
                Column {
                    anchors { left: parent.left; leftMargin: 20 * tv.u; verticalCenter: parent.verticalCenter }
                    spacing: 4 * tv.u
                    Text { text: Labels.plan(model.kind); color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: 24 * tv.u; font.weight: Font.DemiBold }
                    Text { text: model.feasible ? Labels.duration(model.totalMin) + " · " + qsTr("%n stop(s)", "", model.stops) + " · ¥" + model.costCny : qsTr("does not reach")
                           color: tv.theme.colors.textDim; font.family: tv.theme.fontFamily; font.pixelSize: 19 * tv.u }
                }
                MouseArea { anchors.fill: parent; onClicked: tv.trip.select(model.kind) }
            }
        }
    }

    Rectangle {
        id: reason
        objectName: "replanReason"
        visible: tv.trip.reason !== ""
        anchors { left: parent.left; right: parent.right; top: alts.bottom; topMargin: 12 * tv.u }
        height: visible ? (tv.trip.notes !== "" ? 88 : 56) * tv.u : 0
        radius: 12 * tv.u
        color: Qt.rgba(tv.theme.colors.warning.r, tv.theme.colors.warning.g, tv.theme.colors.warning.b, 0.16)
        Column {
          anchors { left: parent.left; leftMargin: 20 * tv.u; right: parent.right; rightMargin: 20 * tv.u; verticalCenter: parent.verticalCenter }
          spacing: 4 * tv.u
          Text {
            width: parent.width; elide: Text.ElideRight
            text: tv.trip.reason === "station_unavailable" ? qsTr("Plan changed: %1 has no free charger any more").arg(tv.trip.reasonStation)
                : tv.trip.reason === "unreachable" ? qsTr("Plan changed: the destination can no longer be reached with these chargers")
                : qsTr("Plan changed: a better stop replaces %1").arg(tv.trip.reasonStation)
            color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: 21 * tv.u
          }
          Text {
            objectName: "replanNotes"
            visible: tv.trip.notes !== ""
            width: parent.width; elide: Text.ElideRight
            text: tv.trip.notes
            color: tv.theme.colors.textDim; font.family: tv.theme.fontFamily; font.pixelSize: 18 * tv.u
          }
        }
        MouseArea { anchors.fill: parent; onClicked: tv.trip.clearReason() }
    }

    ListView {
        id: stops
        objectName: "tripStops"
        anchors { left: parent.left; right: parent.right; top: reason.bottom; topMargin: 12 * tv.u; bottom: totals.top; bottomMargin: 12 * tv.u }
        clip: true; spacing: 8 * tv.u
        model: tv.trip.stops
        delegate: Rectangle {
            required property var model
            required property int index
            width: stops.width; height: 72 * tv.u; radius: 14 * tv.u; color: tv.theme.colors.surface
            Rectangle { width: 40 * tv.u; height: width; radius: width / 2; color: tv.theme.networkColor(model.network); anchors { left: parent.left; leftMargin: 18 * tv.u; verticalCenter: parent.verticalCenter }
                        Text { anchors.centerIn: parent; text: index + 1; color: tv.theme.colors.background; font.pixelSize: 20 * tv.u; font.weight: Font.Bold } }
            Text { anchors { left: parent.left; leftMargin: 76 * tv.u; verticalCenter: parent.verticalCenter }
                width: parent.width * 0.45; elide: Text.ElideRight
                   text: qsTr("km %1").arg(model.alongKm) + "  " + model.name; color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: 24 * tv.u }
            Text { anchors { right: parent.right; rightMargin: 22 * tv.u; verticalCenter: parent.verticalCenter }
                   text: qsTr("%1% → %2% · %3 min · %4 kW").arg(model.arrivalSoc).arg(model.departureSoc).arg(model.chargeMin).arg(model.powerKw)
                   color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: 24 * tv.u; font.weight: Font.DemiBold }
            MouseArea { anchors.fill: parent; onClicked: tv.station.show(model.stationId) }
        }
        Text {
            anchors.centerIn: parent
            visible: stops.count === 0
            text: tv.trip.state !== "ready" ? qsTr("Planning…") : tv.trip.feasible ? qsTr("No charging needed to reach %1").arg(tv.trip.destination) : qsTr("No plan reaches %1").arg(tv.trip.destination)
            color: tv.theme.colors.textDim; font.family: tv.theme.fontFamily; font.pixelSize: 26 * tv.u
        }
    }

    Rectangle {
        id: totals
        objectName: "tripTotals"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: 84 * tv.u; radius: 16 * tv.u; color: tv.theme.colors.surfaceHigh
        Text {
            anchors { left: parent.left; leftMargin: 24 * tv.u; verticalCenter: parent.verticalCenter }
            text: qsTr("To %1: %2 km · %3 total · %4 charging · ¥%5 · %6% on arrival")
                  .arg(tv.trip.destination).arg(tv.trip.remainingKm).arg(Labels.duration(tv.trip.totalMin))
                  .arg(Labels.duration(tv.trip.chargeMin)).arg(tv.trip.costCny).arg(tv.trip.arrivalSoc)
            color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: 25 * tv.u; font.weight: Font.DemiBold
        }
    }
}
