// The alert banner wired to its stores: the kind, best or replacement stop from SuggestionsStore,
// the destination from TripStore, the last known SoC from VehicleStore; a tap opens that stop
// (StationStore), ✕ dismisses the alert.
import QtQuick
import controls
import stores

AlertBanner {
    id: alert
    objectName: "alertBanner"
    required property SuggestionsStore suggestions
    required property StationStore station
    required property TripStore trip
    required property VehicleStore vehicle
    kind: suggestions.alert
    destination: trip.destination
    bestName: suggestions.bestName
    bestAheadKm: suggestions.bestAheadKm
    bestPowerKw: suggestions.bestPowerKw
    bestArrivalSoc: suggestions.bestArrivalSoc
    offlineName: suggestions.offlineName
    lastSocText: vehicle.lastSocText
    socAgeS: vehicle.socAgeS
    onTapped: if (alert.suggestions.bestId !== "") alert.station.show(alert.suggestions.bestId)
    onDismissed: alert.suggestions.dismissAlert()
}
