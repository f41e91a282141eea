// A charger on the map: a dot in its network's colour with its place in the list, a planned stop
// as an accent ring, several close together as one dot with their count. Its touch target is a
// full `touch` square centred on the point (the store keeps those squares apart). Taps → `tapped`.
import QtQuick
import style

Item {
    id: pin
    objectName: "mapPin_" + stationId
    required property Theme theme
    required property real touch
    required property real px
    required property real py
    required property string kind  // plan | stop | cluster
    required property string network
    required property int count
    required property string stationId
    required property int rank
    signal tapped(string stationId, real px, real py)
    readonly property real u: theme.unit
    x: px - touch / 2; y: py - touch / 2
    width: touch; height: touch
    Rectangle {
        anchors.centerIn: parent
        width: pin.touch * 0.46; height: width; radius: width / 2
        color: pin.kind === "plan" ? pin.theme.colors.surface : pin.kind === "cluster" ? pin.theme.colors.surfaceHigh : Labels.networkColor(pin.theme, pin.network)
        border.color: pin.kind === "plan" ? pin.theme.colors.accent : pin.kind === "cluster" ? pin.theme.colors.text : pin.theme.colors.background
        border.width: (pin.kind === "plan" ? 6 : 3) * pin.u
        Text {
            anchors.centerIn: parent
            text: pin.kind === "cluster" ? pin.count : pin.kind === "plan" ? "P" + (pin.rank + 1) : pin.rank + 1
            color: pin.kind === "stop" ? pin.theme.colors.background : pin.theme.colors.text
            font.family: pin.theme.fontFamily; font.pixelSize: pin.theme.smallPx; font.weight: Font.Bold
        }
    }
    MouseArea { anchors.fill: parent; onClicked: pin.tapped(pin.stationId, pin.px, pin.py) }
}
