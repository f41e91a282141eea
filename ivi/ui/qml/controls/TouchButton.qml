// A touch target of at least 15 mm (theme.touchMin) each way: what is drawn is what is hit, so
// neighbouring buttons never share a touch area. Dimmed and inert while `enabledLook` is false.
import QtQuick
import style

Rectangle {
    id: btn
    required property Theme theme
    property string text: ""
    property bool selected: false
    property bool enabledLook: true
    property color tint: theme.colors.accent
    signal clicked()
    readonly property real u: theme.unit
    height: theme.touchMin
    width: Math.max(theme.touchMin, label.implicitWidth + 36 * u)
    radius: 16 * u
    color: selected ? Qt.rgba(tint.r, tint.g, tint.b, 0.22) : theme.colors.surfaceHigh
    border.color: selected ? tint : "transparent"
    border.width: 3 * u
    Text {
        id: label
        anchors.centerIn: parent
        text: btn.text
        color: btn.enabledLook ? btn.theme.colors.text : btn.theme.colors.textDim
        font.family: btn.theme.fontFamily; font.pixelSize: btn.theme.bodyPx; font.weight: Font.DemiBold
    }
    MouseArea {
        anchors.fill: parent
        enabled: btn.enabledLook
        onClicked: btn.clicked()
    }
}
