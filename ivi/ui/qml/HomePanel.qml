// Home: filters, the top suggested stops (capped while moving), the search (parked only), the map.
import QtQuick

Item {
    id: home
    required property var theme
    required property var vehicle
    required property var suggestions
    required property var filters
    required property var mapStore
    required property var station
    required property var system
    readonly property real u: theme.unit

    Item {
        id: listSide
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
        width: parent.width * 0.56

        FilterBar { id: filterBar; anchors { left: parent.left; right: parent.right; top: parent.top }
            theme: home.theme; filters: home.filters }

        Text {
            id: header
            anchors { left: parent.left; top: filterBar.bottom; topMargin: 14 * home.u }
            text: home.suggestions.state === "error" ? qsTr("Charger list unavailable")
                : home.suggestions.state === "loading" ? qsTr("Looking for chargers…")
                : home.suggestions.state === "empty" ? qsTr("No charger ahead matches the filters")
                : qsTr("Next chargers on your route")
            color: home.theme.colors.textDim; font.family: home.theme.fontFamily; font.pixelSize: 22 * home.u
        }

        ListView {
            id: stopList
            objectName: "stopList"
            anchors { left: parent.left; right: parent.right; top: header.bottom; topMargin: 10 * home.u; bottom: searchBox.top; bottomMargin: 10 * home.u }
            clip: true
            spacing: 10 * home.u
            interactive: !home.vehicle.moving
            model: home.suggestions.stops
            delegate: StopCard {
                required property var model
                width: stopList.width
                theme: home.theme
                row: model
                english: home.system.language !== "zh_CN"
                onTapped: (id) => home.station.show(id)
            }
        }

        SearchBox {
            id: searchBox
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            theme: home.theme; station: home.station; system: home.system
        }
    }

    MapView {
        anchors { left: listSide.right; leftMargin: 16 * home.u; right: parent.right; top: parent.top; bottom: parent.bottom }
        theme: home.theme; mapStore: home.mapStore
    }
}
