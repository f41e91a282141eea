// Station search by name (Chinese, pinyin or English). Locked while the car moves: the field is
// disabled, no keyboard input is taken and a message says why.
import QtQuick

Rectangle {
    id: sb
    required property var theme
    required property var station
    required property var system
    readonly property real u: theme.unit
    readonly property bool locked: station.searchLocked
    height: theme.touchMin * 0.8 + (results.visible ? results.height + 10 * u : 0)
    radius: 16 * u
    color: theme.colors.surface

    Rectangle {
        id: field
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: sb.theme.touchMin * 0.8
        radius: 16 * sb.u
        color: sb.theme.colors.surfaceHigh
        TextInput {
            id: input
            objectName: "searchInput"
            anchors { fill: parent; leftMargin: 24 * sb.u; rightMargin: 24 * sb.u }
            verticalAlignment: TextInput.AlignVCenter
            enabled: !sb.locked
            readOnly: sb.locked
            color: sb.theme.colors.text; font.family: sb.theme.fontFamily; font.pixelSize: 24 * sb.u
            onAccepted: sb.station.search(text)
            onTextEdited: sb.station.search(text)
            onEnabledChanged: if (!enabled) { text = ""; focus = false }
        }
        Text {
            anchors { left: parent.left; leftMargin: 24 * sb.u; verticalCenter: parent.verticalCenter }
            visible: input.text === ""
            text: sb.locked ? qsTr("Search is available when parked") : qsTr("Search stations (name, 拼音, English)")
            color: sb.theme.colors.textDim; font.family: sb.theme.fontFamily; font.pixelSize: 22 * sb.u
        }
    }
    ListView {
        id: results
        objectName: "searchResults"
        visible: !sb.locked && count > 0 && input.text !== ""
        anchors { left: parent.left; right: parent.right; bottom: field.top; bottomMargin: 6 * sb.u }
        height: Math.min(count, 3) * 64 * sb.u
        clip: true
        model: sb.station.results
        delegate: Rectangle {
            required property var model
            width: results.width; height: 64 * sb.u; color: "transparent"
            Text {
                anchors { left: parent.left; leftMargin: 24 * sb.u; verticalCenter: parent.verticalCenter }
                text: Labels.network(model.network) + "  " + (sb.system.language === "zh_CN" || model.nameEn === "" ? model.name : model.nameEn)
                      + "  · " + model.powerKw + " kW · " + model.available + "/" + model.total
                color: sb.theme.colors.text; font.family: sb.theme.fontFamily; font.pixelSize: 22 * sb.u
            }
            MouseArea { anchors.fill: parent; onClicked: sb.station.show(model.stationId) }
        }
    }
}
