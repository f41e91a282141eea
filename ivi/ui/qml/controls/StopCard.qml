// One suggested stop: network and name, distance/detour, arrival SoC, power, availability with
// the age of that status, price, green leaf. The whole card is one large touch target.
// Takes its row's fields (as a list delegate they are filled from the model roles of the same name).
import QtQuick
import style

Rectangle {
    id: card
    required property Theme theme
    required property string stationId
    required property string network
    required property string name
    required property string nameEn
    required property real aheadKm
    required property real detourKm
    required property int arrivalSoc
    required property bool reachable
    required property int powerKw
    required property int available
    required property int total
    required property int statusAgeMin
    required property real price  // ¥/kWh; < 0 when the station has no tariff
    required property bool green
    property bool english: false
    signal tapped(string stationId)
    readonly property real u: theme.unit
    readonly property color net: theme.networkColor(network)
    height: 112 * u
    radius: 16 * u
    color: theme.colors.surface
    opacity: reachable ? 1 : 0.55

    Rectangle { width: 8 * card.u; radius: 4 * card.u; color: card.net; anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: 14 * card.u } }

    Column {
        anchors { left: parent.left; leftMargin: 36 * card.u; right: right.left; rightMargin: 12 * card.u; verticalCenter: parent.verticalCenter }
        spacing: 6 * card.u
        Row {
            spacing: 12 * card.u
            Text { text: Labels.network(card.network); color: card.net; font.family: card.theme.fontFamily; font.pixelSize: 22 * card.u; font.weight: Font.Bold }
            Leaf { visible: card.green; size: 20 * card.u; color: card.theme.colors.good; anchors.verticalCenter: parent.verticalCenter }
            Text {
                text: qsTr("%1 km ahead").arg(Math.round(card.aheadKm)) + (card.detourKm >= 1 ? qsTr(" · +%1 km detour").arg(Math.round(card.detourKm)) : "")
                color: card.theme.colors.textDim; font.family: card.theme.fontFamily; font.pixelSize: 21 * card.u
            }
        }
        Text {
            width: parent.width; elide: Text.ElideRight
            text: card.english && card.nameEn !== "" ? card.nameEn : card.name
            color: card.theme.colors.text; font.family: card.theme.fontFamily; font.pixelSize: 28 * card.u; font.weight: Font.DemiBold
        }
        Text {
            text: qsTr("%1/%2 free").arg(card.available).arg(card.total) + " · " + Labels.age(card.statusAgeMin)
                  + (card.price >= 0 ? " · " + qsTr("¥%1/kWh").arg(card.price.toFixed(2)) : "")
            color: card.available > 0 ? card.theme.colors.textDim : card.theme.colors.danger
            font.family: card.theme.fontFamily; font.pixelSize: 20 * card.u
        }
    }
    Column {
        id: right
        anchors { right: parent.right; rightMargin: 24 * card.u; verticalCenter: parent.verticalCenter }
        spacing: 2 * card.u
        Text {
            anchors.right: parent.right
            text: card.reachable ? qsTr("%1% on arrival").arg(card.arrivalSoc) : qsTr("out of range")
            color: !card.reachable || card.arrivalSoc < 10 ? card.theme.colors.warning : card.theme.colors.text
            font.family: card.theme.fontFamily; font.pixelSize: 26 * card.u; font.weight: Font.DemiBold
        }
        Text {
            anchors.right: parent.right
            text: qsTr("%1 kW").arg(card.powerKw)
            color: card.theme.colors.textDim; font.family: card.theme.fontFamily; font.pixelSize: 22 * card.u
        }
    }
    MouseArea { anchors.fill: parent; onClicked: card.tapped(card.stationId) }
}
