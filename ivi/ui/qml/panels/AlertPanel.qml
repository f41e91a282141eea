// The alert banner wired to its stores: the kind and best stop from SuggestionsStore, the
// destination from TripStore; a tap opens the best stop (StationStore), ✕ dismisses the alert.
import QtQuick
import controls
import stores

AlertBanner {
    id: alert
    objectName: "alertBanner"
    required property SuggestionsStore suggestions
    required property StationStore station
    required property TripStore trip
    kind: suggestions.alert
    destination: trip.destination
    bestName: suggestions.bestName
    bestAheadKm: suggestions.bestAheadKm
    bestPowerKw: suggestions.bestPowerKw
    onTapped: if (alert.suggestions.bestId !== "") alert.station.show(alert.suggestions.bestId)
    onDismissed: alert.suggestions.dismissAlert()
}
