// The car: an arrow in the accent colour pointing along its heading (0° = north), outlined so it
// reads on land and water, by day and night.
import QtQuick
import QtQuick.Shapes
import style

Item {
    id: car
    required property Theme theme
    property real size: 40
    property real heading: 0
    width: size; height: size
    Shape {
        anchors.fill: parent
        rotation: car.heading
        preferredRendererType: Shape.CurveRenderer
        ShapePath {
            fillColor: car.theme.colors.accent
            strokeColor: car.theme.colors.text; strokeWidth: Math.max(2, car.size / 14)
            joinStyle: ShapePath.RoundJoin
            startX: car.size / 2; startY: car.size * 0.06
            PathLine { x: car.size * 0.88; y: car.size * 0.92 }
            PathLine { x: car.size / 2; y: car.size * 0.72 }
            PathLine { x: car.size * 0.12; y: car.size * 0.92 }
            PathLine { x: car.size / 2; y: car.size * 0.06 }
        }
    }
}
