// State-of-charge ring: 270° arc, colour by level; the text (e.g. "--") and a dimmed ring when
// the value is stale. Takes values: the percentage, its text as the store rounds it, stale, charging.
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
        property color bg: g.theme.colors.line
        onValueChanged: requestPaint()
        onFgChanged: requestPaint()
        onBgChanged: requestPaint()
        onWidthChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d");
            ctx.reset();
            var r = Math.min(width, height) / 2 - 18 * g.u;
            var start = Math.PI * 0.75, span = Math.PI * 1.5;
            ctx.lineCap = "round";
            ctx.lineWidth = 22 * g.u;
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
        anchors.verticalCenterOffset: -10 * g.u
        Text {
            id: socLabel
            objectName: "socText"
            text: g.socText
            color: g.stale ? g.theme.colors.textDim : g.theme.colors.text
            font.family: g.theme.fontFamily; font.pixelSize: 104 * g.u; font.weight: Font.Bold
        }
        Text {
            text: "%"
            anchors.baseline: socLabel.baseline
            color: g.theme.colors.textDim; font.family: g.theme.fontFamily; font.pixelSize: 40 * g.u
        }
    }
    Text {
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: 34 * g.u }
        text: g.charging ? qsTr("Charging") : qsTr("Battery")
        color: g.charging ? g.theme.colors.good : g.theme.colors.textDim
        font.family: g.theme.fontFamily; font.pixelSize: 22 * g.u
    }
}
