// State-of-charge ring: 270° arc, colour by level. Stale, the ring goes grey and empty and the
// number is "--": an unknown level is a state of its own, not the last number dressed as current.
// Takes values: the percentage, its text as the store rounds it, stale, charging.
import QtQuick
import style

Item {
    id: g
    required property Theme theme
    required property real socPercent
    required property string socText
    required property bool stale
    required property bool charging
    readonly property real u: theme.unit
    readonly property real soc: stale ? 0 : Math.max(0, Math.min(100, socPercent))
    readonly property color level: stale ? theme.colors.textDim
                                 : soc < 15 ? theme.colors.danger : soc < 30 ? theme.colors.warning : theme.colors.good
    implicitWidth: 300 * u; implicitHeight: implicitWidth

    Canvas {
        id: ring
        anchors.fill: parent
        property real value: g.soc
        property color fg: g.level
        property color bg: g.stale ? Qt.rgba(g.theme.colors.line.r, g.theme.colors.line.g, g.theme.colors.line.b, 0.5) : g.theme.colors.line
        onValueChanged: requestPaint()
        onFgChanged: requestPaint()
        onBgChanged: requestPaint()
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d");
            ctx.reset();
            var r = Math.min(width, height) / 2 - 14 * g.u;
            var start = Math.PI * 0.75, span = Math.PI * 1.5;
            ctx.lineCap = "round";
            ctx.lineWidth = 18 * g.u;
            ctx.strokeStyle = bg;
            ctx.beginPath(); ctx.arc(width / 2, height / 2, r, start, start + span); ctx.stroke();
            if (value > 0) {
                ctx.strokeStyle = fg;
                ctx.beginPath(); ctx.arc(width / 2, height / 2, r, start, start + span * value / 100); ctx.stroke();
            }
        }
    }
    Row {
        anchors.centerIn: parent
        anchors.verticalCenterOffset: -6 * g.u
        Text {
            id: socLabel
            objectName: "socText"
            text: g.socText
            color: g.stale ? g.theme.colors.textDim : g.theme.colors.text
            font.family: g.theme.fontFamily; font.pixelSize: Math.min(g.width * 0.3, 96 * g.u); font.weight: Font.Bold
        }
        Text {
            text: "%"
            anchors.baseline: socLabel.baseline
            color: g.theme.colors.textDim; font.family: g.theme.fontFamily; font.pixelSize: g.theme.bodyPx
        }
    }
    Text {
        objectName: "gaugeCaption"
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: g.height * 0.06 }
        text: g.stale ? qsTr("Unknown") : g.charging ? qsTr("Charging") : qsTr("Battery")
        color: g.stale ? g.theme.colors.warning : g.charging ? g.theme.colors.good : g.theme.colors.textDim
        font.family: g.theme.fontFamily; font.pixelSize: g.theme.smallPx; font.weight: Font.DemiBold
    }
}
