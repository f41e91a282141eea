// The plan to the destination (TripStore): alternatives, why the plan changed, each stop with its
// distance from the car and arrival time, the state of charge over the distance with the reserve,
// and the totals (wrapped to fit). A stop opens its station (StationStore). Before departure, with
// an occupancy model, when to leave ("leave at 08:40: stop 2 is usually free then").
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
    required property SystemStore system
    readonly property real u: theme.unit
    readonly property real gap: 12 * u

    Row {
        id: alts
        anchors { left: parent.left; right: parent.right; top: parent.top }
        spacing: tv.gap
        Repeater {
            model: tv.trip.alternatives
            delegate: PlanOption {  // its required properties are filled from the row's roles
                id: option
                width: (alts.width - 2 * alts.spacing) / 3
                theme: tv.theme
                onChosen: tv.trip.select(option.kind)
            }
        }
    }

    Rectangle {
        id: advice
        objectName: "departureAdvice"
        anchors { left: parent.left; right: parent.right; top: alts.bottom; topMargin: visible ? tv.gap : 0 }
        visible: tv.trip.departureAdvice !== ""
        height: visible ? adviceText.implicitHeight + 16 * tv.u : 0
        radius: 14 * tv.u; color: tv.theme.colors.surfaceHigh
        Text {
            id: adviceText
            objectName: "departureAdviceText"
            anchors { left: parent.left; right: parent.right; margins: 18 * tv.u; verticalCenter: parent.verticalCenter }
            wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
            text: tv.trip.departureAdvice
            color: tv.theme.colors.text; font.family: tv.theme.fontFamily; font.pixelSize: tv.theme.smallPx; font.weight: Font.DemiBold
        }
    }

    ReplanBanner {
        id: reason
        anchors { left: parent.left; right: parent.right; top: advice.bottom; topMargin: tv.gap }
        theme: tv.theme
        reason: tv.trip.reason
        stationName: tv.trip.reasonStation
        notes: tv.trip.notes
        maxHeight: tv.height - alts.height - advice.height - totals.height - tv.rowH - 5 * tv.gap
        onDismissed: tv.trip.clearReason()
    }

    Rectangle {
        id: totals
        objectName: "tripTotals"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: totalsText.implicitHeight + 20 * tv.u; radius: 14 * tv.u; color: tv.theme.colors.surfaceHigh
        Text {
            id: totalsText
            objectName: "tripTotalsText"
            anchors { left: parent.left; right: parent.right; margins: 18 * tv.u; verticalCenter: parent.verticalCenter }
            wrapMode: Text.WordWrap
            text: tv.trip.state === "error" ? qsTr("Trip plan unavailable: %1").arg(tv.trip.notes)
                : tv.trip.state !== "ready" ? qsTr("Planning…")
                : !tv.trip.feasible ? qsTr("No plan reaches %1 with the chargers on the route: charge at the nearest and plan again").arg(tv.trip.destination)
                : qsTr("To %1: %2 km · arrive %3 · %4 on the way, %5 charging · ¥%6 · %7% on arrival")
                  .arg(tv.trip.destination).arg(tv.trip.remainingKm).arg(tv.trip.arriveAt).arg(Labels.duration(tv.trip.totalMin))
                  .arg(Labels.duration(tv.trip.chargeMin)).arg(tv.trip.costCny).arg(tv.trip.arrivalSoc)
            color: tv.trip.state === "error" || (tv.trip.state === "ready" && !tv.trip.feasible) ? tv.theme.colors.warning : tv.theme.colors.text
            font.family: tv.theme.fontFamily; font.pixelSize: tv.theme.bodyPx; font.weight: Font.DemiBold
        }
    }

    SocChart {
        id: chart
        anchors { left: parent.left; right: parent.right; bottom: totals.top; bottomMargin: tv.gap }
        // What is left after one stop row: the chart gives way on a small panel, never the list.
        readonly property real avail: parent.height - alts.height - advice.height - reason.height - totals.height - 4 * tv.gap
        height: Math.max(0, Math.min(avail * 0.45, avail - tv.rowH - tv.gap))
        visible: height >= 90 * tv.u
        theme: tv.theme
        points: tv.trip.chart
        stops: tv.trip.chartStops
        reservePercent: tv.trip.reservePercent
        totalKm: tv.trip.chartKm
    }

    // Rows of one height, and a list that shows whole rows only (no sliver of a touch target).
    readonly property real rowH: Math.max(theme.touchMin, Math.ceil(theme.bodyPx * 1.4) + Math.ceil(theme.smallPx * 1.4) + 14 * u)
    ListView {
        id: stops
        objectName: "tripStops"
        anchors { left: parent.left; right: parent.right; top: reason.bottom; topMargin: tv.gap }
        readonly property real room: chart.y - tv.gap - y
        height: Math.max(0, Math.floor((room + spacing) / (tv.rowH + spacing)) * (tv.rowH + spacing) - spacing)
        clip: true; spacing: 8 * tv.u
        boundsBehavior: Flickable.StopAtBounds
        model: tv.trip.stops
        delegate: TripStopRow {  // its required properties are filled from the row's roles
            width: stops.width
            height: tv.rowH
            theme: tv.theme
            onTapped: (stationId) => tv.station.show(stationId)
        }
        Text {
            anchors.centerIn: parent
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            visible: stops.count === 0 && tv.trip.state === "ready" && tv.trip.feasible
            text: qsTr("No charging needed to reach %1").arg(tv.trip.destination)
            color: tv.theme.colors.textDim; font.family: tv.theme.fontFamily; font.pixelSize: tv.theme.bodyPx
        }
    }
}
