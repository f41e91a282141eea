// What is fresh: the charger data (its version, synced when) and the live availability statuses
// (how old the freshest one on screen is) — "Up to date" alone said nothing about the latter.
import QtQuick
import style

Row {
    id: ind
    objectName: "syncIndicator"
    required property Theme theme
    required property string syncState  // offline | syncing | up_to_date | error
    required property real progress     // 0..1 while syncing
    required property string version    // data version, "" unknown
    required property string lastUpdate // local "HH:MM", "" when never
    required property string detail
    required property int statusAgeMin  // the freshest availability shown, -1 none
    property real maxWidth: 320
    readonly property real u: theme.unit
    readonly property bool liveFresh: statusAgeMin >= 0 && statusAgeMin <= 15
    spacing: 10 * u
    readonly property color dot: syncState === "up_to_date" ? theme.colors.good
                               : syncState === "syncing" ? theme.colors.accent
                               : syncState === "error" ? theme.colors.danger : theme.colors.textDim
    Rectangle { width: 14 * ind.u; height: width; radius: width / 2; color: ind.dot; anchors.verticalCenter: parent.verticalCenter }
    Column {
        anchors.verticalCenter: parent.verticalCenter
        spacing: 2 * ind.u
        Text {
            objectName: "syncText"
            width: Math.min(implicitWidth, ind.maxWidth); elide: Text.ElideRight
            text: ind.syncState === "up_to_date" ? (ind.version !== "" ? qsTr("Stations up to date (%1)").arg(ind.version) : qsTr("Stations up to date"))
                : ind.syncState === "syncing" ? qsTr("Syncing %1%").arg(Math.round(ind.progress * 100))
                : ind.syncState === "error" ? qsTr("Sync error")
                : qsTr("Offline")
            color: ind.theme.colors.text; font.family: ind.theme.fontFamily; font.pixelSize: ind.theme.smallPx
        }
        Rectangle {
            visible: ind.syncState === "syncing"
            width: 140 * ind.u; height: 5 * ind.u; radius: height / 2; color: ind.theme.colors.line
            Rectangle { width: parent.width * ind.progress; height: parent.height; radius: parent.radius; color: ind.theme.colors.accent }
        }
        Text {
            objectName: "liveStatusText"
            visible: ind.syncState !== "syncing"
            width: Math.min(implicitWidth, ind.maxWidth); elide: Text.ElideRight
            text: ind.statusAgeMin < 0 ? (ind.lastUpdate !== "" ? qsTr("updated %1").arg(ind.lastUpdate) : (ind.detail !== "" ? ind.detail : qsTr("cached data")))
                : qsTr("Status %1 old").arg(Labels.ageShort(ind.statusAgeMin))
            color: ind.liveFresh || ind.statusAgeMin < 0 ? ind.theme.colors.textDim : ind.theme.colors.warning
            font.family: ind.theme.fontFamily; font.pixelSize: ind.theme.smallPx
        }
    }
}
