// One plan alternative (fastest / fewest stops / cheapest): its duration, stops and cost; the
// selected one is tinted with the accent. A tap is `chosen`.
import QtQuick
import style

Rectangle {
    id: opt
    required property Theme theme
    required property string kind
    required property int stops
    required property int totalMin
    required property int costCny
    required property bool feasible
    required property bool selected
    signal chosen()
    readonly property real u: theme.unit
    objectName: "alt_" + kind
    width: 300 * u; height: 104 * u; radius: 16 * u
    color: selected ? Qt.rgba(theme.colors.accent.r, theme.colors.accent.g, theme.colors.accent.b, 0.18) : theme.colors.surface
    border.color: selected ? theme.colors.accent : "transparent"; border.width: 2 * u
    Column {
        anchors { left: parent.left; leftMargin: 20 * opt.u; verticalCenter: parent.verticalCenter }
        spacing: 4 * opt.u
        Text { text: Labels.plan(opt.kind); color: opt.theme.colors.text; font.family: opt.theme.fontFamily; font.pixelSize: 24 * opt.u; font.weight: Font.DemiBold }
        Text { text: opt.feasible ? Labels.duration(opt.totalMin) + " · " + qsTr("%n stop(s)", "", opt.stops) + " · ¥" + opt.costCny : qsTr("does not reach")
               color: opt.theme.colors.textDim; font.family: opt.theme.fontFamily; font.pixelSize: 19 * opt.u }
    }
    MouseArea { anchors.fill: parent; onClicked: opt.chosen() }
}
