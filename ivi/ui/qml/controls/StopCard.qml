// One alternative stop. Two lines read at a glance — which station (the part of its name that
// tells it apart from its network's others, after its speed class) and how far / the arrival
// charge — and a third with the availability, power and, when parked, price and detour.
// Arrival below the reserve is warned, not hidden; with an unknown SoC it reads "≈", uncertain.
// An availability older than 15 min is "last known", never "free". With an occupancy model the
// third line says how busy the station usually is at the car's arrival, the predicted wait and
// how many chargers are often out of order (before price and detour, which give way first).
import QtQuick
import style

Rectangle {
    id: card
    required property Theme theme
    required property string stationId
    required property string network
    required property string shortName
    required property real aheadKm
    required property real detourKm
    required property int arrivalSoc
    required property bool reachable
    required property bool belowReserve
    required property bool uncertain
    required property int powerKw
    required property string speedClass
    required property int available
    required property int total
    required property bool fresh
    required property int statusAgeMin
    required property real price  // ¥/kWh; < 0 when the station has no tariff
    required property bool green
    required property string usually  // "free" | "busy" | "full" at the arrival; "" without an occupancy model
    required property int waitMin
    required property int oftenDown
    required property bool noHistory
    property bool details: true  // the third line (parked)
    signal tapped(string stationId)
    readonly property real u: theme.unit
    readonly property color net: Labels.networkColor(theme, network)
    property real pad: 14 * u
    height: Math.max(theme.touchMin, col.implicitHeight + 2 * pad)
    radius: 16 * u
    color: theme.colors.surface

    Rectangle { width: 8 * card.u; radius: 4 * card.u; color: card.net; anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: card.pad } }

    Column {
        id: col
        anchors { left: parent.left; leftMargin: 34 * card.u; right: parent.right; rightMargin: 20 * card.u; verticalCenter: parent.verticalCenter }
        spacing: 0
        Row {
            width: parent.width
            spacing: 10 * card.u
            SpeedClassIcon { id: bolts; theme: card.theme; speedClass: card.speedClass; size: card.theme.glancePx * 0.8; color: card.net; anchors.verticalCenter: parent.verticalCenter }
            Text {
                objectName: "cardName"
                width: parent.width - bolts.width - parent.spacing
                elide: Text.ElideRight
                text: card.shortName
                color: card.theme.colors.text; font.family: card.theme.fontFamily; font.pixelSize: card.theme.glancePx; font.weight: Font.DemiBold
            }
        }
        Text {
            objectName: "cardFacts"
            width: parent.width; elide: Text.ElideRight
            text: qsTr("%1 km").arg(Math.round(card.aheadKm)) + " · "
                  + (!card.reachable ? qsTr("out of range")
                     : qsTr("%1% on arrival").arg((card.uncertain ? "≈" : "") + card.arrivalSoc)
                       + (card.uncertain ? " " + qsTr("(uncertain)") : card.belowReserve ? " " + qsTr("(below reserve)") : ""))
            color: !card.reachable ? card.theme.colors.danger : card.belowReserve || card.uncertain ? card.theme.colors.warning : card.theme.colors.text
            font.family: card.theme.fontFamily; font.pixelSize: card.theme.glancePx
        }
        Text {
            objectName: "cardDetails"
            width: parent.width; elide: Text.ElideRight
            text: (card.fresh ? qsTr("%1/%2 free").arg(card.available).arg(card.total) + " · " + qsTr("checked %1").arg(Labels.age(card.statusAgeMin))
                              : qsTr("last known %1/%2").arg(card.available).arg(card.total) + " · " + qsTr("status %1").arg(Labels.age(card.statusAgeMin)))
                  + (card.usually !== "" ? " · " + Labels.occupancy(card.usually, card.waitMin, card.oftenDown, card.total, card.noHistory) : "")
                  + " · " + Labels.speedClass(card.speedClass) + " " + qsTr("%1 kW").arg(card.powerKw)
                  + (card.details && card.price >= 0 ? " · " + qsTr("¥%1/kWh").arg(card.price.toFixed(2)) : "")
                  + (card.details && card.detourKm >= 1 ? " · " + qsTr("+%1 km detour").arg(Math.round(card.detourKm)) : "")
            color: card.fresh && card.available === 0 ? card.theme.colors.danger : card.theme.colors.textDim
            font.family: card.theme.fontFamily; font.pixelSize: card.theme.smallPx
        }
    }
    MouseArea { anchors.fill: parent; onClicked: card.tapped(card.stationId) }
}
