// Station search by name (Chinese, pinyin or English). Locked while the car moves: the field is
// disabled, no keyboard input is taken and it says why. Emits `searched` as the driver types and
// `resultTapped` for a result; `results` is the model of matching stations, nearest first, each
// with its distance from the car.
import QtQuick
import models
import style

Rectangle {
    id: sb
    required property Theme theme
    required property bool locked
    required property DictListModel results  // roles stationId, network, shortName, powerKw, available, total, distanceKm
    property bool english: true
    signal searched(string text)
    signal resultTapped(string stationId)
    readonly property real u: theme.unit
    readonly property bool showingResults: popup.visible
    height: theme.touchMin
    radius: 16 * u
    color: theme.colors.surfaceHigh

    TextInput {
        id: input
        objectName: "searchInput"
        anchors { fill: parent; leftMargin: 20 * sb.u; rightMargin: 20 * sb.u }
        verticalAlignment: TextInput.AlignVCenter
        enabled: !sb.locked
        readOnly: sb.locked
        clip: true
        color: sb.theme.colors.text; font.family: sb.theme.fontFamily; font.pixelSize: sb.theme.bodyPx
        onAccepted: sb.searched(text)
        onTextEdited: sb.searched(text)
        onEnabledChanged: if (!enabled) { text = ""; focus = false }
    }
    Text {
        anchors { left: parent.left; leftMargin: 20 * sb.u; right: parent.right; rightMargin: 12 * sb.u; verticalCenter: parent.verticalCenter }
        visible: input.text === ""
        elide: Text.ElideRight
        text: sb.locked ? qsTr("Search when parked") : qsTr("Search stations (name, 拼音, English)")
        color: sb.theme.colors.textDim; font.family: sb.theme.fontFamily; font.pixelSize: sb.theme.smallPx
    }
    Rectangle {
        id: popup
        visible: !sb.locked && resultList.count > 0 && input.text !== ""
        anchors { left: parent.left; right: parent.right; bottom: parent.top; bottomMargin: 8 * sb.u }
        height: resultList.height + 12 * sb.u
        radius: 16 * sb.u
        color: sb.theme.colors.surfaceHigh
        border.color: sb.theme.colors.line; border.width: 2 * sb.u
        ListView {
            id: resultList
            objectName: "searchResults"
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 6 * sb.u }
            height: Math.min(count, 3) * sb.theme.touchMin
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            model: sb.results
            delegate: Item {
                id: result
                required property string stationId
                required property string network
                required property string shortName
                required property int powerKw
                required property int available
                required property int total
                required property int distanceKm
                width: resultList.width; height: sb.theme.touchMin
                Text {
                    anchors { left: parent.left; leftMargin: 16 * sb.u; right: dist.left; rightMargin: 12 * sb.u; verticalCenter: parent.verticalCenter }
                    elide: Text.ElideRight
                    text: Labels.network(result.network) + " · " + result.shortName + " · " + result.powerKw + " kW"
                    color: sb.theme.colors.text; font.family: sb.theme.fontFamily; font.pixelSize: sb.theme.bodyPx
                }
                Text {
                    id: dist
                    anchors { right: parent.right; rightMargin: 16 * sb.u; verticalCenter: parent.verticalCenter }
                    text: result.distanceKm >= 0 ? qsTr("%1 km").arg(result.distanceKm) : ""
                    color: sb.theme.colors.textDim; font.family: sb.theme.fontFamily; font.pixelSize: sb.theme.bodyPx
                }
                MouseArea { anchors.fill: parent; onClicked: sb.resultTapped(result.stationId) }
            }
        }
    }
}
