// One plan alternative (fastest / fewest stops / cheapest): its duration, stops and cost; the
// selected one is drawn in the accent colour. A tap is `chosen`.
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
    height: Math.max(theme.touchMin, col.implicitHeight + 16 * u); radius: 16 * u
    color: selected ? theme.colors.surface : theme.colors.surfaceHigh
    readonly property color edgeColor: selected ? theme.colors.accent : theme.colors.line
    border.color: edgeColor; border.width: (selected ? 4 : 2) * u
    Column {
        id: col
        anchors { left: parent.left; right: parent.right; leftMargin: 16 * opt.u; rightMargin: 12 * opt.u; verticalCenter: parent.verticalCenter }
        spacing: 2 * opt.u
        Text { width: parent.width; wrapMode: Text.WordWrap; text: Labels.plan(opt.kind); color: opt.selected ? opt.theme.colors.accent : opt.theme.colors.text; font.family: opt.theme.fontFamily; font.pixelSize: opt.theme.bodyPx; font.weight: Font.Bold }
        Text { width: parent.width; wrapMode: Text.WordWrap
               text: opt.feasible ? Labels.duration(opt.totalMin) + " · " + Labels.stops(opt.stops) + " · ¥" + opt.costCny : qsTr("does not reach")
               color: opt.theme.colors.textDim; font.family: opt.theme.fontFamily; font.pixelSize: opt.theme.smallPx }
    }
    MouseArea { anchors.fill: parent; onClicked: opt.chosen() }
}
