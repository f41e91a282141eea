// The plan to the destination (TripStore): alternatives, each stop's arrival/departure SoC and
// charge minutes, totals, and why the plan changed. A stop opens its station (StationStore).
import QtQuick
import controls
import stores
import style

Item {
    id: tv
    objectName: "tripView"
    required property Theme theme
    required property TripStore trip
    required property StationStore station
    readonly property real u: theme.unit

    Row {
        id: alts
        anchors { left: parent.left; top: parent.top }
        spacing: 14 * tv.u
        Repeater {
            model: tv.trip.alternatives
            delegate: PlanOption {  // its required properties are filled from the row's roles
                id: option
                theme: tv.theme
                onChosen: tv.trip.select(option.kind)
            }
        }
    }

    ReplanBanner {
        id: reason
        anchors { left: parent.left; right: parent.right; top: alts.bottom; topMargin: 12 * tv.u }
        theme: tv.theme
        reason: tv.trip.reason
        stationName: tv.trip.reasonStation
        notes: tv.trip.notes
        onDismissed: tv.trip.clearReason()
    }

    ListView {
        id: stops
        objectName: "tripStops"
        anchors { left: parent.left; right: parent.right; top: reason.bottom; topMargin: 12 * tv.u; bottom: totals.top; bottomMargin: 12 * tv.u }
        clip: true; spacing: 8 * tv.u
        model: tv.trip.stops
        delegate: TripStopRow {  // its required properties are filled from the row's roles
            width: stops.width
            theme: tv.theme
            onTapped: (stationId) => tv.station.show(stationId)
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
