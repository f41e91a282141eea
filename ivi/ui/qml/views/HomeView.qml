// Home: the plan's next stop first, then the alternatives (capped while moving), the filter and
// search row (parked only), and — on a wide panel — the map beside them. Filters that hide every
// charger say how many they hide and offer "Clear filters".
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
    required property TripStore trip
    property bool showMap: true
    property bool filtersOpen: false
    readonly property real u: theme.unit
    readonly property real gap: 12 * u
    readonly property bool moving: vehicle.moving
    onMovingChanged: if (moving) filtersOpen = false
    // Cards of one height, and a list that shows whole cards only: no sliver of a card is left
    // as a touch target too small to hit.
    readonly property real cardPad: 12 * u
    readonly property real cardH: Math.max(theme.touchMin, 2 * Math.ceil(theme.glancePx * 1.36)
                                   + Math.ceil(theme.smallPx * 1.4) + 2 * cardPad)
    readonly property real cardGap: 10 * u

    Item {
        id: listSide
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
        width: home.showMap ? parent.width * 0.56 : parent.width

        NextStopCard {
            id: next
            anchors { left: parent.left; right: parent.right; top: parent.top }
            theme: home.theme
            kind: home.suggestions.nextKind
            stationId: home.suggestions.nextId
            name: home.suggestions.nextName
            network: home.suggestions.nextNetwork
            aheadKm: home.suggestions.nextAheadKm
            arrivalSoc: home.suggestions.nextArrivalSoc
            departureSoc: home.suggestions.nextDepartureSoc
            chargeMin: home.suggestions.nextChargeMin
            powerKw: home.suggestions.nextPowerKw
            speedClass: home.suggestions.nextSpeedClass
            arriveAt: home.suggestions.nextArriveAt
            noStopKm: home.suggestions.noStopKm
            destination: home.trip.destination
            uncertain: home.suggestions.uncertain
            onTapped: (stationId) => home.station.show(stationId)
        }

        Text {
            id: header
            objectName: "listHeader"
            anchors { left: parent.left; right: parent.right; top: next.bottom; topMargin: home.gap / 2 }
            wrapMode: Text.WordWrap
            text: home.suggestions.state === "error" ? qsTr("Charger list unavailable: %1").arg(home.suggestions.detail)
                : home.suggestions.state === "loading" ? qsTr("Looking for chargers…")
                : home.suggestions.state === "filtered" ? qsTr("The filters hide %n charger(s) ahead", "", home.suggestions.hiddenByFilters)
                : home.suggestions.state === "empty" ? qsTr("No charger on the route ahead")
                : home.suggestions.lowBattery ? qsTr("Nearest chargers you can reach")
                : qsTr("Alternatives")
            color: home.suggestions.state === "ready" ? home.theme.colors.textDim : home.theme.colors.warning
            font.family: home.theme.fontFamily; font.pixelSize: home.theme.smallPx; font.weight: Font.DemiBold
        }
        TouchButton {
            id: clearFilters
            objectName: "clearFilters"
            visible: home.suggestions.state === "filtered"
            anchors { left: parent.left; top: header.bottom; topMargin: home.gap }
            theme: home.theme; text: qsTr("Clear filters"); selected: true
            onClicked: home.suggestions.clearFilters()
        }

        ListView {
            id: stopList
            objectName: "stopList"
            anchors {
                left: parent.left; right: parent.right
                top: clearFilters.visible ? clearFilters.bottom : header.bottom; topMargin: home.gap / 2
            }
            readonly property real room: (tools.visible ? tools.y - home.gap : listSide.height) - y
            height: Math.max(0, Math.floor((room + home.cardGap) / (home.cardH + home.cardGap)) * (home.cardH + home.cardGap) - home.cardGap)
            clip: true
            visible: height > 0 && !home.filtersOpen && !searchBox.showingResults  // nothing under a sheet stays tappable
            spacing: home.cardGap
            interactive: !home.vehicle.moving
            boundsBehavior: Flickable.StopAtBounds
            model: home.suggestions.stops
            delegate: StopCard {  // its required properties are filled from the row's roles
                width: stopList.width
                height: home.cardH
                pad: home.cardPad
                theme: home.theme
                details: !home.vehicle.moving
                onTapped: (stationId) => home.station.show(stationId)
            }
        }

        Row {
            id: tools
            visible: !home.moving  // filters and search are for when parked: while moving the list gets the room
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            spacing: home.gap
            height: home.theme.touchMin
            TouchButton {
                id: filterButton
                objectName: "filtersButton"
                theme: home.theme
                enabledLook: !home.vehicle.moving
                text: home.filters.activeCount > 0 ? qsTr("Filters (%1)").arg(home.filters.activeCount) : qsTr("Filters")
                selected: home.filtersOpen || home.filters.activeCount > 0
                onClicked: home.filtersOpen = !home.filtersOpen
            }
            SearchBox {
                id: searchBox
                width: parent.width - filterButton.width - parent.spacing
                theme: home.theme
                locked: home.station.searchLocked
                results: home.station.results
                english: home.system.language !== "zh_CN"
                onSearched: (text) => home.station.search(text)
                onResultTapped: (stationId) => home.station.show(stationId)
            }
        }

        FilterPanel {
            objectName: "filterSheet"
            visible: home.filtersOpen && !home.vehicle.moving
            anchors { left: parent.left; right: parent.right; bottom: tools.top; bottomMargin: home.gap }
            theme: home.theme; filters: home.filters
            onDone: home.filtersOpen = false
        }
    }

    MapPanel {
        visible: home.showMap
        anchors { left: listSide.right; leftMargin: home.gap; right: parent.right; top: parent.top; bottom: parent.bottom }
        theme: home.theme; mapStore: home.mapStore; vehicle: home.vehicle
    }
}
