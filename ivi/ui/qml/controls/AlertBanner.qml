// The one alert, in the page flow (it pushes the page down rather than covering its controls),
// with its text wrapped inside it at every size: a tap on the banner is `tapped` (opens the best
// or replacement stop), the ✕ — a touch target of its own — is `dismissed`. Hidden while `kind` is "".
import QtQuick
import style

Rectangle {
    id: ab
    required property Theme theme
    required property string kind  // "" | soc_unknown | no_charger | charger_offline | low_soc | unreachable
    required property string destination
    required property string bestName  // "" when there is no best stop
    required property real bestAheadKm
    required property int bestPowerKw
    required property int bestArrivalSoc
    required property string offlineName
    required property string lastSocText
    required property int socAgeS
    signal tapped()
    signal dismissed()
    readonly property real u: theme.unit
    readonly property bool urgent: kind === "no_charger" || kind === "soc_unknown"
    readonly property color ink: urgent ? theme.colors.onDangerFill : theme.colors.onFill
    visible: kind !== ""
    height: visible ? Math.max(theme.touchMin, texts.implicitHeight + 20 * u) : 0
    radius: 16 * u
    color: urgent ? theme.colors.dangerFill : theme.colors.warningFill

    Column {
        id: texts
        anchors { left: parent.left; leftMargin: 22 * ab.u; right: dismiss.left; rightMargin: 16 * ab.u; verticalCenter: parent.verticalCenter }
        spacing: 2 * ab.u
        Text {
            objectName: "alertTitle"
            width: parent.width; wrapMode: Text.WordWrap
            text: ab.kind === "low_soc" ? qsTr("Battery low")
                : ab.kind === "soc_unknown" ? qsTr("Battery level unknown — last %1% %2").arg(ab.lastSocText).arg(Labels.seconds(ab.socAgeS))
                : ab.kind === "unreachable" ? qsTr("%1 is no longer reachable without charging").arg(ab.destination)
                : ab.kind === "charger_offline" ? qsTr("%1 is out of order").arg(ab.offlineName)
                : qsTr("No charger in range")
            color: ab.ink; font.family: ab.theme.fontFamily; font.pixelSize: ab.theme.glancePx; font.weight: Font.Bold
        }
        Text {
            objectName: "alertBest"
            width: parent.width; wrapMode: Text.WordWrap
            visible: ab.bestName !== ""
            text: (ab.kind === "charger_offline" ? qsTr("New stop: %1 · %2 km · %3 kW") : qsTr("Nearest: %1 · %2 km · %3 kW"))
                  .arg(ab.bestName).arg(Math.round(ab.bestAheadKm)).arg(ab.bestPowerKw)
                  + " · " + qsTr("%1% on arrival").arg(ab.bestArrivalSoc)
            color: ab.ink; font.family: ab.theme.fontFamily; font.pixelSize: ab.theme.bodyPx
        }
    }
    MouseArea { anchors { left: parent.left; top: parent.top; bottom: parent.bottom; right: dismiss.left } onClicked: ab.tapped() }
    Rectangle {
        id: dismiss
        objectName: "alertDismiss"
        anchors { right: parent.right; top: parent.top; bottom: parent.bottom }
        width: ab.theme.touchMin; radius: ab.radius
        color: "transparent"
        Text { anchors.centerIn: parent; text: "✕"; color: ab.ink; font.pixelSize: ab.theme.glancePx; font.weight: Font.Bold }
        MouseArea { anchors.fill: parent; onClicked: ab.dismissed() }
    }
}
