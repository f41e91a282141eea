// The green-energy leaf, drawn (no emoji font needed on the head unit).
import QtQuick

Rectangle {
    property real size: 20
    width: size; height: size
    topLeftRadius: size; bottomRightRadius: size; topRightRadius: 0; bottomLeftRadius: 0
    color: "#38D39F"
    Rectangle { width: parent.size * 1.1; height: Math.max(1, parent.size / 10); color: Qt.darker(parent.color, 1.6); rotation: 45; anchors.centerIn: parent }
}
