// Station search by name (Chinese, pinyin or English). Locked while the car moves: the field is
// disabled, no keyboard input is taken and a message says why. Emits `searched` as the driver
// types and `resultTapped` for a result; `results` is the model of matching stations.
import QtQuick
import models
import style

Rectangle {
    id: sb
    required property Theme theme
    required property bool locked
    required property DictListModel results  // roles stationId, network, name, nameEn, powerKw, available, total
    property bool english: true
    signal searched(string text)
    signal resultTapped(string stationId)
    readonly property real u: theme.unit
    height: theme.touchMin * 0.8 + (resultList.visible ? resultList.height + 10 * u : 0)
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
            onAccepted: sb.searched(text)
            onTextEdited: sb.searched(text)
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
        id: resultList
        objectName: "searchResults"
        visible: !sb.locked && count > 0 && input.text !== ""
        anchors { left: parent.left; right: parent.right; bottom: field.top; bottomMargin: 6 * sb.u }
        height: Math.min(count, 3) * 64 * sb.u
        clip: true
        model: sb.results
        delegate: Rectangle {
            id: result
            required property string stationId
            required property string network
            required property string name
            required property string nameEn
            required property int powerKw
            required property int available
            required property int total
            width: resultList.width; height: 64 * sb.u; color: "transparent"
            Text {
                anchors { left: parent.left; leftMargin: 24 * sb.u; verticalCenter: parent.verticalCenter }
                text: Labels.network(result.network) + "  " + (!sb.english || result.nameEn === "" ? result.name : result.nameEn)
                      + "  · " + result.powerKw + " kW · " + result.available + "/" + result.total
                color: sb.theme.colors.text; font.family: sb.theme.fontFamily; font.pixelSize: 22 * sb.u
            }
            MouseArea { anchors.fill: parent; onClicked: sb.resultTapped(result.stationId) }
        }
    }
}
