// The trip as a line: start → destination, the part driven, the car, suggested stops (filled)
// and planned stops (rings), at their fraction of the route length.
import QtQuick
import models
import style

Item {
    id: rs
    required property Theme theme
    required property real carFraction  // 0..1
    required property DictListModel markers  // roles fraction, network, kind ("plan" | "stop")
    required property string originLabel
    required property string destinationLabel
    required property real routeKm
    readonly property real u: theme.unit
    height: 70 * u
    Rectangle { id: strip; anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
        height: 8 * rs.u; radius: 4 * rs.u; color: rs.theme.colors.line }
    Rectangle { anchors { left: strip.left; verticalCenter: strip.verticalCenter }
        height: strip.height; radius: 4 * rs.u; width: strip.width * rs.carFraction; color: rs.theme.colors.mapDone }
    Repeater {
        model: rs.markers
        delegate: Rectangle {
            required property real fraction
            required property string network
            required property string kind
            width: 18 * rs.u; height: width; radius: width / 2
            x: strip.width * fraction - width / 2; anchors.verticalCenter: strip.verticalCenter
            color: kind === "plan" ? rs.theme.colors.surface : rs.theme.networkColor(network)
            border.color: rs.theme.networkColor(network); border.width: 3 * rs.u
        }
    }
    Rectangle {
        width: 24 * rs.u; height: width; radius: width / 2
        x: strip.width * rs.carFraction - width / 2; anchors.verticalCenter: strip.verticalCenter
        color: rs.theme.colors.accent; border.color: rs.theme.colors.text; border.width: 3 * rs.u
    }
    Text { anchors { left: strip.left; top: strip.bottom; topMargin: 10 * rs.u }
        text: rs.originLabel; color: rs.theme.colors.textDim; font.family: rs.theme.fontFamily; font.pixelSize: 18 * rs.u }
    Text { anchors { right: strip.right; top: strip.bottom; topMargin: 10 * rs.u }
        text: rs.destinationLabel + " · " + Math.round(rs.routeKm) + " km"; color: rs.theme.colors.textDim; font.family: rs.theme.fontFamily; font.pixelSize: 18 * rs.u }
}
