import QtQuick

Row {
    id: ind
    objectName: "syncIndicator"
    required property var theme
    required property var syncStatus
    readonly property real u: theme.unit
    spacing: 12 * u
    readonly property color dot: syncStatus.state === "up_to_date" ? theme.colors.good
                               : syncStatus.state === "syncing" ? theme.colors.accent
                               : syncStatus.state === "error" ? theme.colors.danger : theme.colors.textDim
    Rectangle { width: 14 * ind.u; height: width; radius: width / 2; color: ind.dot; anchors.verticalCenter: parent.verticalCenter }
    Column {
        anchors.verticalCenter: parent.verticalCenter
        spacing: 4 * ind.u
        Text {
            objectName: "syncText"
            text: ind.syncStatus.state === "up_to_date" ? qsTr("Up to date")
                : ind.syncStatus.state === "syncing" ? qsTr("Syncing %1%").arg(Math.round(ind.syncStatus.progress * 100))
                : ind.syncStatus.state === "error" ? qsTr("Sync error")
                : qsTr("Offline")
            color: ind.theme.colors.text; font.family: ind.theme.fontFamily; font.pixelSize: 20 * ind.u
        }
        Rectangle {
            visible: ind.syncStatus.state === "syncing"
            width: 140 * ind.u; height: 5 * ind.u; radius: height / 2; color: ind.theme.colors.line
            Rectangle { width: parent.width * ind.syncStatus.progress; height: parent.height; radius: parent.radius; color: ind.theme.colors.accent }
        }
        Text {
            visible: ind.syncStatus.state !== "syncing"
            text: ind.syncStatus.lastUpdate !== "" ? qsTr("updated %1").arg(ind.syncStatus.lastUpdate)
                : (ind.syncStatus.detail !== "" ? ind.syncStatus.detail : qsTr("cached data"))
            color: ind.theme.colors.textDim; font.family: ind.theme.fontFamily; font.pixelSize: 15 * ind.u
            width: Math.min(implicitWidth, 320 * ind.u); elide: Text.ElideRight
        }
    }
}
