// The filter sheet (parked only): networks, minimum power, available only (a fresh status showing
// a free charger), green only, AC destination chargers, "Clear" and "Done" (FiltersStore).
import QtQuick
import controls
import stores
import style

Rectangle {
    id: fb
    required property Theme theme
    required property FiltersStore filters
    signal done()
    readonly property real u: theme.unit
    height: flow.implicitHeight + 32 * u
    radius: 18 * u
    color: theme.colors.surfaceHigh
    border.color: theme.colors.line; border.width: 2 * u
    MouseArea { anchors.fill: parent }  // the sheet swallows taps between its buttons

    Flow {
        id: flow
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 * fb.u }
        spacing: 12 * fb.u
        TouchButton { objectName: "filter_NIO"; theme: fb.theme; text: Labels.network("NIO"); selected: fb.filters.nio; tint: Labels.networkColor(fb.theme, "NIO"); onClicked: fb.filters.toggleNetwork("NIO") }
        TouchButton { objectName: "filter_XPENG"; theme: fb.theme; text: Labels.network("XPENG"); selected: fb.filters.xpeng; tint: Labels.networkColor(fb.theme, "XPENG"); onClicked: fb.filters.toggleNetwork("XPENG") }
        TouchButton { objectName: "filter_LI_AUTO"; theme: fb.theme; text: Labels.network("LI_AUTO"); selected: fb.filters.liAuto; tint: Labels.networkColor(fb.theme, "LI_AUTO"); onClicked: fb.filters.toggleNetwork("LI_AUTO") }
        TouchButton {
            objectName: "filter_power"; theme: fb.theme
            text: fb.filters.minPowerKw > 0 ? qsTr("≥ %1 kW").arg(fb.filters.minPowerKw) : qsTr("Any power")
            selected: fb.filters.minPowerKw > 0; onClicked: fb.filters.cycleMinPower()
        }
        TouchButton { objectName: "filter_available"; theme: fb.theme; text: qsTr("Available now"); selected: fb.filters.availableOnly; onClicked: fb.filters.toggleAvailable() }
        TouchButton { objectName: "filter_green"; theme: fb.theme; text: qsTr("Green"); selected: fb.filters.greenOnly; tint: fb.theme.colors.good; onClicked: fb.filters.toggleGreen() }
        TouchButton { objectName: "filter_ac"; theme: fb.theme; text: qsTr("AC chargers"); selected: fb.filters.includeAc; onClicked: fb.filters.toggleAc() }
        TouchButton { objectName: "filter_clear"; theme: fb.theme; text: qsTr("Clear"); onClicked: fb.filters.clear() }
        TouchButton { objectName: "filter_done"; theme: fb.theme; text: qsTr("Done"); selected: true; onClicked: fb.done() }
    }
}
