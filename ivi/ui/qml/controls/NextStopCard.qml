// What leads the home screen: the plan's next stop (where, how far, arrival time and charge, what
// to charge to and for how long) — or that none is needed for the rest of the trip, or that no
// plan reaches the destination. A tap on a stop is `tapped`.
import QtQuick
import style

Rectangle {
    id: nx
    objectName: "nextStop"
    required property Theme theme
    required property string kind  // stop | none_needed | no_plan | planning | error
    required property string stationId
    required property string name
    required property string network
    required property int aheadKm
    required property int arrivalSoc
    required property int departureSoc
    required property int chargeMin
    required property int powerKw
    required property string speedClass
    required property string arriveAt
    required property int noStopKm
    required property string destination
    required property bool uncertain
    signal tapped(string stationId)
    readonly property real u: theme.unit
    readonly property bool isStop: kind === "stop"
    readonly property color net: Labels.networkColor(theme, network)
    height: Math.max(theme.touchMin, col.implicitHeight + 20 * u)
    radius: 18 * u
    color: theme.colors.surfaceHigh
    border.color: isStop ? net : "transparent"; border.width: 3 * u

    Column {
        id: col
        anchors { left: parent.left; right: parent.right; leftMargin: 22 * nx.u; rightMargin: 22 * nx.u; verticalCenter: parent.verticalCenter }
        spacing: 0
        Row {
            width: parent.width
            spacing: 10 * nx.u
            SpeedClassIcon { id: bolt; visible: nx.isStop; theme: nx.theme; speedClass: nx.speedClass; size: nx.theme.glancePx * 0.8; color: nx.net; anchors.verticalCenter: parent.verticalCenter }
            Text {
                objectName: "nextName"
                width: parent.width - (bolt.visible ? bolt.width + parent.spacing : 0)
                wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
                text: nx.isStop ? nx.name
                    : nx.kind === "none_needed" ? qsTr("No stop needed for %1 km").arg(nx.noStopKm)
                    : nx.kind === "no_plan" ? qsTr("No plan reaches %1").arg(nx.destination)
                    : nx.kind === "error" ? qsTr("Trip plan unavailable")
                    : qsTr("Planning…")
                color: nx.kind === "no_plan" || nx.kind === "error" ? nx.theme.colors.warning : nx.theme.colors.text
                font.family: nx.theme.fontFamily; font.pixelSize: nx.theme.glancePx; font.weight: Font.DemiBold
            }
        }
        Text {
            objectName: "nextFacts"
            visible: nx.isStop
            width: parent.width; wrapMode: Text.WordWrap
            text: qsTr("in %1 km · at %2 · %3% on arrival").arg(nx.aheadKm).arg(nx.arriveAt).arg((nx.uncertain ? "≈" : "") + nx.arrivalSoc)
            color: nx.uncertain ? nx.theme.colors.warning : nx.theme.colors.text
            font.family: nx.theme.fontFamily; font.pixelSize: nx.theme.glancePx
        }
        Text {
            objectName: "nextCharge"
            width: parent.width; wrapMode: Text.WordWrap
            text: nx.isStop ? qsTr("Next stop · %1 · charge to %2% · %3 · %4 kW").arg(Labels.network(nx.network)).arg(nx.departureSoc).arg(Labels.duration(nx.chargeMin)).arg(nx.powerKw)
                : nx.kind === "no_plan" || nx.kind === "error" ? qsTr("Charge at the nearest charger below")
                : qsTr("Charging plan")
            color: nx.isStop ? nx.net : nx.theme.colors.textDim
            font.family: nx.theme.fontFamily; font.pixelSize: nx.theme.smallPx; font.weight: Font.DemiBold
        }
    }
    MouseArea { anchors.fill: parent; enabled: nx.isStop; onClicked: nx.tapped(nx.stationId) }
}
