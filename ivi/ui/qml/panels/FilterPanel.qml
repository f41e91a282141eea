// The filter chips: networks, minimum power, available only, green only (FiltersStore).
import QtQuick
import controls
import stores
import style

Flow {
    id: fb
    required property Theme theme
    required property FiltersStore filters
    readonly property real u: theme.unit
    spacing: 12 * u
    TouchButton { objectName: "filter_NIO"; theme: fb.theme; text: Labels.network("NIO"); selected: fb.filters.nio; tint: fb.theme.networkColor("NIO"); onClicked: fb.filters.toggleNetwork("NIO") }
    TouchButton { objectName: "filter_XPENG"; theme: fb.theme; text: Labels.network("XPENG"); selected: fb.filters.xpeng; tint: fb.theme.networkColor("XPENG"); onClicked: fb.filters.toggleNetwork("XPENG") }
    TouchButton { objectName: "filter_LI_AUTO"; theme: fb.theme; text: Labels.network("LI_AUTO"); selected: fb.filters.liAuto; tint: fb.theme.networkColor("LI_AUTO"); onClicked: fb.filters.toggleNetwork("LI_AUTO") }
    TouchButton {
        objectName: "filter_power"; theme: fb.theme
        text: fb.filters.minPowerKw > 0 ? qsTr("≥ %1 kW").arg(fb.filters.minPowerKw) : qsTr("Any power")
        selected: fb.filters.minPowerKw > 0; onClicked: fb.filters.cycleMinPower()
    }
    TouchButton { objectName: "filter_available"; theme: fb.theme; text: qsTr("Available"); selected: fb.filters.availableOnly; onClicked: fb.filters.toggleAvailable() }
    TouchButton { objectName: "filter_green"; theme: fb.theme; text: qsTr("Green"); selected: fb.filters.greenOnly; tint: fb.theme.colors.good; onClicked: fb.filters.toggleGreen() }
}
