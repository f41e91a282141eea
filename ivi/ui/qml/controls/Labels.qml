// Translated names for codes the stores deliver (the stores stay language-free).
pragma Singleton
import QtQuick

QtObject {
    function network(code) {
        return code === "NIO" ? qsTr("NIO") : code === "XPENG" ? qsTr("Xpeng") : code === "LI_AUTO" ? qsTr("Li Auto") : code
    }
    function status(code) {
        return code === "AVAILABLE" ? qsTr("Available") : code === "CHARGING" ? qsTr("In use")
             : code === "OUTOFORDER" ? qsTr("Out of order") : code === "INOPERATIVE" ? qsTr("Inoperative")
             : code === "RESERVED" ? qsTr("Reserved") : code === "BLOCKED" ? qsTr("Blocked")
             : code === "REMOVED" ? qsTr("Removed") : code === "PLANNED" ? qsTr("Planned") : qsTr("Unknown")
    }
    function age(minutes) {
        return minutes < 0 ? qsTr("status unknown") : minutes < 1 ? qsTr("just now")
             : minutes < 60 ? qsTr("%1 min ago").arg(minutes)
             : minutes < 2880 ? qsTr("%1 h ago").arg(Math.round(minutes / 60)) : qsTr("%1 d ago").arg(Math.round(minutes / 1440))
    }
    function plan(kind) {
        return kind === "fastest" ? qsTr("Fastest") : kind === "fewest_stops" ? qsTr("Fewest stops") : kind === "cheapest" ? qsTr("Cheapest") : kind
    }
    function duration(minutes) {
        var h = Math.floor(minutes / 60), m = minutes % 60
        return h > 0 ? qsTr("%1 h %2 min").arg(h).arg(m) : qsTr("%1 min").arg(m)
    }
}
