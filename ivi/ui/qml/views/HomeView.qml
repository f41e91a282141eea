// Home: filters, the top suggested stops (capped while moving), the search (parked only), the map.
import QtQuick
import controls
import panels
import stores
import style

Item {
    id: home
    required property Theme theme
    required property VehicleStore vehicle
    required property SuggestionsStore suggestions
    required property FiltersStore filters
    required property MapStore mapStore
    required property StationStore station
    required property SystemStore system
    readonly property real u: theme.unit
    readonly property bool english: system.language !== "zh_CN"

    Item {
        id: listSide
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
        width: parent.width * 0.56

        FilterPanel { id: filterBar; anchors { left: parent.left; right: parent.right; top: parent.top }
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
            delegate: StopCard {  // its required properties are filled from the row's roles
                width: stopList.width
                theme: home.theme
                english: home.english
                onTapped: (stationId) => home.station.show(stationId)
            }
        }

        SearchBox {
            id: searchBox
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            theme: home.theme
            locked: home.station.searchLocked
            results: home.station.results
            english: home.english
            onSearched: (text) => home.station.search(text)
            onResultTapped: (stationId) => home.station.show(stationId)
        }
    }

    MapPanel {
        anchors { left: listSide.right; leftMargin: 16 * home.u; right: parent.right; top: parent.top; bottom: parent.bottom }
        theme: home.theme; mapStore: home.mapStore
    }
}
