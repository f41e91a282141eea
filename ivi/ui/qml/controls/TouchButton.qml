// A large touch target (never below theme.touchMin high).
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
    height: theme.touchMin * 0.72
    width: Math.max(height * 1.6, label.implicitWidth + 40 * u)
    radius: height / 2
    color: selected ? Qt.rgba(tint.r, tint.g, tint.b, 0.22) : theme.colors.surfaceHigh
    border.color: selected ? tint : "transparent"
    border.width: 2 * u
    opacity: enabledLook ? 1 : 0.45
    Text {
        id: label
        anchors.centerIn: parent
        text: btn.text
        color: btn.selected ? btn.theme.colors.text : btn.theme.colors.textDim
        font.family: btn.theme.fontFamily; font.pixelSize: 22 * btn.u; font.weight: Font.DemiBold
    }
    MouseArea {
        anchors.fill: parent
        anchors.margins: -Math.max(0, (btn.theme.touchMin - btn.height) / 2)
        onClicked: btn.clicked()
    }
}
