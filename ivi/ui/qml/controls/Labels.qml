// Translated names for codes the stores deliver (the stores stay language-free), and counts with
// Qt's plural forms (%n): "1 stop" / "3 stops" in English, "3 站" in Chinese.
pragma Singleton
import QtQuick

QtObject {
    function network(code) {
        return code === "NIO" ? qsTr("NIO") : code === "XPENG" ? qsTr("Xpeng") : code === "LI_AUTO" ? qsTr("Li Auto") : code
    }
    // A network's colour, read through the palette's properties so a binding follows day/night.
    function networkColor(theme, code) {
        return code === "NIO" ? theme.colors.nio : code === "XPENG" ? theme.colors.xpeng
             : code === "LI_AUTO" ? theme.colors.liAuto : theme.colors.textDim
    }
    function ageShort(minutes) {
        return minutes < 60 ? qsTr("%1 min").arg(Math.max(0, Math.round(minutes)))
             : minutes < 2880 ? qsTr("%1 h").arg(Math.round(minutes / 60)) : qsTr("%1 d").arg(Math.round(minutes / 1440))
    }
    function status(code) {
        return code === "AVAILABLE" ? qsTr("Available") : code === "CHARGING" ? qsTr("In use")
             : code === "OUTOFORDER" ? qsTr("Out of order") : code === "INOPERATIVE" ? qsTr("Inoperative")
             : code === "RESERVED" ? qsTr("Reserved") : code === "BLOCKED" ? qsTr("Blocked")
             : code === "REMOVED" ? qsTr("Removed") : code === "PLANNED" ? qsTr("Planned") : qsTr("Unknown")
    }
    function age(minutes) {
        return minutes < 0 ? qsTr("status unknown") : minutes < 1 ? qsTr("just now")
             : minutes < 60 ? qsTr("%n min ago", "", minutes)
             : minutes < 2880 ? qsTr("%n h ago", "", Math.round(minutes / 60)) : qsTr("%n d ago", "", Math.round(minutes / 1440))
    }
    function seconds(s) {
        return s < 60 ? qsTr("%n s ago", "", s) : age(Math.floor(s / 60))
    }
    function plan(kind) {
        return kind === "fastest" ? qsTr("Fastest") : kind === "fewest_stops" ? qsTr("Fewest stops") : kind === "cheapest" ? qsTr("Cheapest") : kind
    }
    function duration(minutes) {
        var h = Math.floor(minutes / 60), m = minutes % 60
        return h > 0 ? qsTr("%1 h %2 min").arg(h).arg(m) : qsTr("%1 min").arg(m)
    }
    function stops(n) {
        return n === 0 ? qsTr("no stop") : qsTr("%n stop(s)", "", n)
    }
    function speedClass(code) {
        return code === "ultra" ? qsTr("Ultra-fast") : code === "fast" ? qsTr("Fast")
             : code === "dc" ? qsTr("DC") : code === "ac" ? qsTr("AC, slow") : ""
    }
    // A station's predicted occupancy at the car's arrival (empty without an occupancy model):
    // "usually busy at your arrival · wait ~20 min · 2 of 6 chargers often out of order".
    function occupancy(usually, waitMin, oftenDown, total, noHistory) {
        if (usually === "")
            return ""
        var parts = [usually === "full" ? qsTr("usually full at your arrival")
                     : usually === "busy" ? qsTr("usually busy at your arrival") : qsTr("usually free at your arrival")]
        if (waitMin >= 5)
            parts.push(qsTr("wait ~%1 min").arg(waitMin))
        if (oftenDown > 0)
            parts.push(qsTr("%1 of %2 chargers often out of order").arg(oftenDown).arg(total))
        if (noHistory)
            parts.push(qsTr("no history yet"))
        return parts.join(" · ")
    }
    function bolts(code) {
        return code === "ultra" ? 3 : code === "fast" ? 2 : code === "dc" ? 1 : 0
    }
}
