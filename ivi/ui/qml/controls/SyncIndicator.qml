// The sync state at a glance: a dot, a line of text and, while syncing, a progress bar.
import QtQuick
import style

Row {
    id: ind
    objectName: "syncIndicator"
    required property Theme theme
    required property string syncState  // offline | syncing | up_to_date | error
    required property real progress     // 0..1 while syncing
    required property string lastUpdate // local "HH:MM", "" when never
    required property string detail
    readonly property real u: theme.unit
    spacing: 12 * u
    readonly property color dot: syncState === "up_to_date" ? theme.colors.good
                               : syncState === "syncing" ? theme.colors.accent
                               : syncState === "error" ? theme.colors.danger : theme.colors.textDim
    Rectangle { width: 14 * ind.u; height: width; radius: width / 2; color: ind.dot; anchors.verticalCenter: parent.verticalCenter }
    Column {
        anchors.verticalCenter: parent.verticalCenter
        spacing: 4 * ind.u
        Text {
            objectName: "syncText"
            text: ind.syncState === "up_to_date" ? qsTr("Up to date")
                : ind.syncState === "syncing" ? qsTr("Syncing %1%").arg(Math.round(ind.progress * 100))
                : ind.syncState === "error" ? qsTr("Sync error")
                : qsTr("Offline")
            color: ind.theme.colors.text; font.family: ind.theme.fontFamily; font.pixelSize: 20 * ind.u
        }
        Rectangle {
            visible: ind.syncState === "syncing"
            width: 140 * ind.u; height: 5 * ind.u; radius: height / 2; color: ind.theme.colors.line
            Rectangle { width: parent.width * ind.progress; height: parent.height; radius: parent.radius; color: ind.theme.colors.accent }
        }
        Text {
            visible: ind.syncState !== "syncing"
            text: ind.lastUpdate !== "" ? qsTr("updated %1").arg(ind.lastUpdate)
                : (ind.detail !== "" ? ind.detail : qsTr("cached data"))
            color: ind.theme.colors.textDim; font.family: ind.theme.fontFamily; font.pixelSize: 15 * ind.u
            width: Math.min(implicitWidth, 320 * ind.u); elide: Text.ElideRight
        }
    }
}
