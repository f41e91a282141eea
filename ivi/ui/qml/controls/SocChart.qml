// The state of charge over the distance still to drive: down on the road, up at each planned stop
// (marked), the reserve as a dashed line; km from the car along the bottom.
import QtQuick
import style

Item {
    id: chart
    objectName: "socChart"
    required property Theme theme
    required property list<real> points  // km, soc, km, soc, … from the car (km 0)
    required property list<real> stops   // km of each stop from the car
    required property real reservePercent
    required property real totalKm
    readonly property real u: theme.unit
    readonly property real plotLeft: axisLabel.implicitWidth + 10 * u
    readonly property real plotBottom: kmLabel.implicitHeight + 6 * u
    readonly property real plotW: Math.max(1, width - plotLeft - 10 * u)
    readonly property real plotH: Math.max(1, height - plotBottom - 8 * u)
    function px(km: real): real { return plotLeft + plotW * (totalKm > 0 ? km / totalKm : 0) }
    function py(soc: real): real { return 8 * u + plotH * (1 - Math.max(0, Math.min(100, soc)) / 100) }

    Canvas {
        id: canvas
        anchors.fill: parent
        property list<real> points: chart.points
        property color line: chart.theme.colors.accent
        property color grid: chart.theme.colors.line
        property color reserve: chart.theme.colors.warning
        onPointsChanged: requestPaint()
        onLineChanged: requestPaint()
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d");
            ctx.reset();
            ctx.lineWidth = 2 * chart.u; ctx.strokeStyle = grid;
            for (var s = 0; s <= 100; s += 50) {
                ctx.beginPath(); ctx.moveTo(chart.plotLeft, chart.py(s)); ctx.lineTo(chart.plotLeft + chart.plotW, chart.py(s)); ctx.stroke();
            }
            ctx.strokeStyle = reserve; ctx.setLineDash([6, 6]);
            ctx.beginPath(); ctx.moveTo(chart.plotLeft, chart.py(chart.reservePercent)); ctx.lineTo(chart.plotLeft + chart.plotW, chart.py(chart.reservePercent)); ctx.stroke();
            ctx.setLineDash([]);
            if (points.length < 4) return;
            ctx.strokeStyle = line; ctx.lineWidth = 5 * chart.u; ctx.lineJoin = "round";
            ctx.beginPath(); ctx.moveTo(chart.px(points[0]), chart.py(points[1]));
            for (var i = 2; i < points.length; i += 2) ctx.lineTo(chart.px(points[i]), chart.py(points[i + 1]));
            ctx.stroke();
        }
    }
    Repeater {
        model: chart.stops
        delegate: Rectangle {
            required property real modelData
            width: 14 * chart.u; height: width; radius: width / 2
            x: chart.px(modelData) - width / 2; y: chart.height - chart.plotBottom - height / 2
            color: chart.theme.colors.accent
        }
    }
    Text { id: axisLabel; x: 0; y: chart.py(100) - height / 2; text: "100%"; color: chart.theme.colors.textDim; font.family: chart.theme.fontFamily; font.pixelSize: chart.theme.smallPx }
    Text {  // only where it clears the 100% label (a short chart on a small panel has room for one)
        x: 0; y: chart.py(50) - height / 2; text: "50%"
        visible: y >= axisLabel.y + axisLabel.height + 2 * chart.u
        color: chart.theme.colors.textDim; font.family: chart.theme.fontFamily; font.pixelSize: chart.theme.smallPx
    }
    Text { x: chart.plotLeft; y: chart.py(chart.reservePercent) - height - 2 * chart.u; text: qsTr("reserve"); color: chart.theme.colors.warning; font.family: chart.theme.fontFamily; font.pixelSize: chart.theme.smallPx }
    Text { id: kmLabel; x: chart.plotLeft; anchors.bottom: parent.bottom; text: qsTr("now"); color: chart.theme.colors.textDim; font.family: chart.theme.fontFamily; font.pixelSize: chart.theme.smallPx }
    Text { anchors { right: parent.right; bottom: parent.bottom } text: qsTr("%1 km").arg(Math.round(chart.totalKm)); color: chart.theme.colors.textDim; font.family: chart.theme.fontFamily; font.pixelSize: chart.theme.smallPx }
}
