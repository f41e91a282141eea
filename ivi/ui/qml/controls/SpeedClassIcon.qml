// The charger's speed class as lightning bolts (three: ultra-fast ≥ 250 kW, two: fast ≥ 100 kW,
// one: DC, a plug outline: AC), drawn so no emoji font is needed.
import QtQuick
import QtQuick.Shapes
import style

Row {
    id: icon
    required property Theme theme
    required property string speedClass  // ultra | fast | dc | ac
    property real size: 28
    property color color: theme.colors.text
    spacing: -size * 0.18
    Repeater {
        model: Labels.bolts(icon.speedClass)
        delegate: Shape {
            width: icon.size * 0.6; height: icon.size
            preferredRendererType: Shape.CurveRenderer
            ShapePath {
                fillColor: icon.color; strokeColor: "transparent"
                startX: icon.size * 0.38; startY: 0
                PathLine { x: icon.size * 0.04; y: icon.size * 0.58 }
                PathLine { x: icon.size * 0.3; y: icon.size * 0.58 }
                PathLine { x: icon.size * 0.18; y: icon.size }
                PathLine { x: icon.size * 0.56; y: icon.size * 0.4 }
                PathLine { x: icon.size * 0.3; y: icon.size * 0.4 }
                PathLine { x: icon.size * 0.38; y: 0 }
            }
        }
    }
    Rectangle {
        visible: icon.speedClass === "ac"
        width: icon.size * 0.6; height: icon.size * 0.7; radius: width / 4
        color: "transparent"; border.color: icon.color; border.width: Math.max(2, icon.size / 12)
        anchors.verticalCenter: parent.verticalCenter
    }
}
