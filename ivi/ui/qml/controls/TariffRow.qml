// One time-of-use window of a tariff: hours, total price per kWh and its energy + service parts;
// the window in force now is tinted with `tint` (the network's colour).
import QtQuick
import style

Rectangle {
    id: tw
    required property Theme theme
    required property string start  // "HH:MM"
    required property string end
    required property real energy   // ¥/kWh
    required property real service  // ¥/kWh
    required property real total    // ¥/kWh
    required property bool now
    property color tint: theme.colors.accent
    readonly property real u: theme.unit
    height: Math.max(48 * u, hours.implicitHeight + 12 * u); radius: 10 * u
    color: now ? Qt.rgba(tint.r, tint.g, tint.b, 0.16) : theme.colors.surfaceHigh
    Text { id: hours; anchors { left: parent.left; leftMargin: 14 * tw.u; verticalCenter: parent.verticalCenter }
           text: tw.start + "–" + tw.end + (tw.now ? "  " + qsTr("now") : ""); color: tw.theme.colors.text; font.family: tw.theme.fontFamily; font.pixelSize: tw.theme.smallPx; font.weight: tw.now ? Font.Bold : Font.Normal }
    // The energy + service breakdown only where it fits beside the hours (a 7-inch panel in Chinese
    // has room for the total alone); the total is always shown.
    readonly property string breakdown: " (" + energy.toFixed(2) + "+" + service.toFixed(2) + ")"
    TextMetrics { id: full; font: price.font; text: "¥" + tw.total.toFixed(2) + tw.breakdown }
    Text { id: price; anchors { right: parent.right; rightMargin: 14 * tw.u; verticalCenter: parent.verticalCenter }
           text: "¥" + tw.total.toFixed(2) + (hours.implicitWidth + full.advanceWidth + 42 * tw.u <= tw.width ? tw.breakdown : "")
           color: tw.theme.colors.text; font.family: tw.theme.fontFamily; font.pixelSize: tw.theme.smallPx }
}
