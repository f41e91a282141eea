<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="36" />
        <source>Battery low</source>
        <translation>电量低</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="37" />
        <source>Battery level unknown — last %1% %2</source>
        <translation>电量未知——最近一次 %1%（%2）</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="38" />
        <source>%1 is no longer reachable without charging</source>
        <translation>不充电已无法到达%1</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="39" />
        <source>%1 is out of order</source>
        <translation>%1 已故障</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="40" />
        <source>No charger in range</source>
        <translation>续航范围内没有充电站</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="47" />
        <source>New stop: %1 · %2 km · %3 kW</source>
        <translation>新的充电站：%1 · %2 公里 · %3 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="47" />
        <source>Nearest: %1 · %2 km · %3 kW</source>
        <translation>最近：%1 · %2 公里 · %3 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="49" />
        <source>%1% on arrival</source>
        <translation>到达时 %1%</translation>
    </message>
</context>
<context>
    <name>EvseRow</name>
    <message>
        <location filename="../qml/controls/EvseRow.qml" line="26" />
        <source>Last known: %1</source>
        <translation>最近已知：%1</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="29" />
        <source>≥ %1 kW</source>
        <translation>≥ %1 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="29" />
        <source>Any power</source>
        <translation>不限功率</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="32" />
        <source>Available now</source>
        <translation>当前空闲</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="34" />
        <source>AC chargers</source>
        <translation>交流慢充</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="35" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="36" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="33" />
        <source>Green</source>
        <translation>绿电</translation>
    </message>
</context>
<context>
    <name>HomeView</name>
    <message>
        <location filename="../qml/views/HomeView.qml" line="64" />
        <source>Charger list unavailable: %1</source>
        <translation>充电站列表不可用：%1</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="65" />
        <source>Looking for chargers…</source>
        <translation>正在查找充电站…</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/views/HomeView.qml" line="66" />
        <source>The filters hide %n charger(s) ahead</source>
        <translation><numerusform>筛选条件隐藏了前方 %n 个充电站</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="67" />
        <source>No charger on the route ahead</source>
        <translation>前方路线上没有充电站</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="68" />
        <source>Nearest chargers you can reach</source>
        <translation>可到达的最近充电站</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="69" />
        <source>Alternatives</source>
        <translation>备选充电站</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="78" />
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="118" />
        <source>Filters (%1)</source>
        <translation>筛选（%1）</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="118" />
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/controls/Labels.qml" line="8" />
        <source>NIO</source>
        <translation>蔚来</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="8" />
        <source>Xpeng</source>
        <translation>小鹏</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="8" />
        <source>Li Auto</source>
        <translation>理想</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="17" />
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="17" />
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="20" />
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="20" />
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="21" />
        <source>Out of order</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="21" />
        <source>Inoperative</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="22" />
        <source>Reserved</source>
        <translation>已预约</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="22" />
        <source>Blocked</source>
        <translation>被占用</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="23" />
        <source>Removed</source>
        <translation>已拆除</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="23" />
        <source>Planned</source>
        <translation>规划中</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="23" />
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="26" />
        <source>status unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="26" />
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="27" />
        <source>%n min ago</source>
        <translation><numerusform>%n 分钟前</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="28" />
        <source>%n h ago</source>
        <translation><numerusform>%n 小时前</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="28" />
        <source>%n d ago</source>
        <translation><numerusform>%n 天前</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="31" />
        <source>%n s ago</source>
        <translation><numerusform>%n 秒前</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="41" />
        <source>no stop</source>
        <translation>无需停站</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="41" />
        <source>%n stop(s)</source>
        <translation><numerusform>%n 站</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="44" />
        <source>Ultra-fast</source>
        <translation>超快充</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="44" />
        <source>Fast</source>
        <translation>快充</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="45" />
        <source>DC</source>
        <translation>直流</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="45" />
        <source>AC, slow</source>
        <translation>交流慢充</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="52" />
        <source>usually full at your arrival</source>
        <translation>到达时通常已满</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="53" />
        <source>usually busy at your arrival</source>
        <translation>到达时通常繁忙</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="53" />
        <source>usually free at your arrival</source>
        <translation>到达时通常有空位</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="55" />
        <source>wait ~%1 min</source>
        <translation>约等 %1 分钟</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="57" />
        <source>%1 of %2 chargers often out of order</source>
        <translation>%2 个充电桩中 %1 个常故障</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="59" />
        <source>no history yet</source>
        <translation>暂无历史数据</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="34" />
        <source>Fastest</source>
        <translation>最快</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="34" />
        <source>Fewest stops</source>
        <translation>最少停站</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="34" />
        <source>Cheapest</source>
        <translation>最省钱</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="38" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="16" />
        <location filename="../qml/controls/Labels.qml" line="38" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="26" />
        <source>Charging</source>
        <translation>充电中</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../qml/panels/MapPanel.qml" line="61" />
        <source>Route</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../qml/panels/MapPanel.qml" line="71" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/MapPanel.qml" line="80" />
        <source>Placeholder map (%1), no 审图号</source>
        <translation>示意底图（%1），无审图号</translation>
    </message>
    <message>
        <location filename="../qml/panels/MapPanel.qml" line="81" />
        <source>Preparing the map…</source>
        <translation>正在准备地图…</translation>
    </message>
    <message>
        <location filename="../qml/panels/MapPanel.qml" line="82" />
        <source>No base map: %1</source>
        <translation>没有底图：%1</translation>
    </message>
</context>
<context>
    <name>NextStopCard</name>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="47" />
        <source>No stop needed for %1 km</source>
        <translation>%1 公里内无需充电</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="48" />
        <source>No plan reaches %1</source>
        <translation>没有方案能到达%1</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="49" />
        <source>Trip plan unavailable</source>
        <translation>行程规划不可用</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="50" />
        <source>Planning…</source>
        <translation>正在规划…</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="59" />
        <source>in %1 km · at %2 · %3% on arrival</source>
        <translation>%1 公里后 · %2 到达 · 到达时 %3%</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="66" />
        <source>Next stop · %1 · charge to %2% · %3 · %4 kW</source>
        <translation>下一站 · %1 · 充至 %2% · %3 · %4 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="67" />
        <source>Charge at the nearest charger below</source>
        <translation>请在下方最近的充电站充电</translation>
    </message>
    <message>
        <location filename="../qml/controls/NextStopCard.qml" line="68" />
        <source>Charging plan</source>
        <translation>充电规划</translation>
    </message>
</context>
<context>
    <name>PlanOption</name>
    <message>
        <location filename="../qml/controls/PlanOption.qml" line="28" />
        <source>does not reach</source>
        <translation>无法到达</translation>
    </message>
</context>
<context>
    <name>ReplanBanner</name>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="32" />
        <source>Plan changed: %1 has no working charger any more</source>
        <translation>方案已更新：%1 已无可用充电桩</translation>
    </message>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="33" />
        <source>Plan changed: the destination can no longer be reached with these chargers</source>
        <translation>方案已更新：这些充电站已无法到达目的地</translation>
    </message>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="34" />
        <source>Plan changed: a better stop replaces %1</source>
        <translation>方案已更新：更优的充电站替换了 %1</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../qml/controls/SearchBox.qml" line="40" />
        <source>Search stations (name, 拼音, English)</source>
        <translation>搜索充电站（名称、拼音、英文）</translation>
    </message>
    <message>
        <location filename="../qml/controls/SearchBox.qml" line="40" />
        <source>Search when parked</source>
        <translation>停车后可搜索</translation>
    </message>
    <message>
        <location filename="../qml/controls/SearchBox.qml" line="78" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
</context>
<context>
    <name>SocChart</name>
    <message>
        <location filename="../qml/controls/SocChart.qml" line="65" />
        <source>reserve</source>
        <translation>余量</translation>
    </message>
    <message>
        <location filename="../qml/controls/SocChart.qml" line="66" />
        <source>now</source>
        <translation>当前</translation>
    </message>
    <message>
        <location filename="../qml/controls/SocChart.qml" line="67" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
</context>
<context>
    <name>SocGauge</name>
    <message>
        <location filename="../qml/controls/SocGauge.qml" line="65" />
        <source>Charging</source>
        <translation>充电中</translation>
    </message>
    <message>
        <location filename="../qml/controls/SocGauge.qml" line="65" />
        <source>Battery</source>
        <translation>电量</translation>
    </message>
    <message>
        <location filename="../qml/controls/SocGauge.qml" line="65" />
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>SocPanel</name>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="43" />
        <source>-- km</source>
        <translation>-- 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="43" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="87" />
        <source>%1 km/h</source>
        <translation>%1 公里/时</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="87" />
        <source>Parked</source>
        <translation>已停车</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="95" />
        <source>No vehicle data source</source>
        <translation>没有车辆数据源</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="37" />
        <source>Battery level unknown — last %1% %2</source>
        <translation>电量未知——最近一次 %1%（%2）</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="50" />
        <source>to empty · reserve %1 km</source>
        <translation>可行驶 · 余量 %1 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="51" />
        <source>to empty · in the reserve</source>
        <translation>可行驶 · 已进入余量</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="52" />
        <source>to empty · %1 km before the %2 km reserve</source>
        <translation>可行驶 · 距 %2 公里余量还有 %1 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="64" />
        <source>%1 kW</source>
        <translation>%1 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="64" />
        <source>Charging</source>
        <translation>充电中</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="70" />
        <source>Charge to %1% for %2 (%3 km)</source>
        <translation>充至 %1% 以前往%2（%3 公里）</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="71" />
        <source>%1 to the charge limit</source>
        <translation>距充电上限 %1</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="79" />
        <source>%1 more · leave at %2</source>
        <translation>还需 %1 · %2 出发</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="96" />
        <source>No battery data from the car</source>
        <translation>车辆没有电池数据</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="97" />
        <source>Waiting for CAN data…</source>
        <translation>等待 CAN 数据…</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="104" />
        <source>Preparing charger data…</source>
        <translation>正在准备充电站数据…</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="105" />
        <source>Charger data is empty</source>
        <translation>充电站数据为空</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="106" />
        <source>Charger data unreadable: %1</source>
        <translation>充电站数据无法读取：%1</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <location filename="../qml/views/StationView.qml" line="71" />
        <source>Green energy</source>
        <translation>绿色能源</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="27" />
        <source>Navigate</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="28" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="29" />
        <source>Sent to navigation</source>
        <translation>已发送到导航</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="51" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="52" />
        <source>up to %1 kW</source>
        <translation>最高 %1 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="53" />
        <source>%1/%2 free</source>
        <translation>空闲 %1/%2</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="54" />
        <source>last known %1/%2</source>
        <translation>最近已知 %1/%2 空闲</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="60" />
        <source>Availability checked %1</source>
        <translation>空闲状态更新于 %1</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="61" />
        <source>No live status: last reported %1</source>
        <translation>无实时状态：最近一次上报于 %1</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="69" />
        <source>open %1</source>
        <translation>营业 %1</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="78" />
        <source>Prices and charge points when parked</source>
        <translation>停车后显示价格和充电桩</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="109" />
        <source>Price per kWh (energy + service)</source>
        <translation>每千瓦时价格（电费 + 服务费）</translation>
    </message>
</context>
<context>
    <name>StopCard</name>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="75" />
        <source>%1/%2 free</source>
        <translation>空闲 %1/%2</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="79" />
        <source>¥%1/kWh</source>
        <translation>¥%1/千瓦时</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="67" />
        <source>%1% on arrival</source>
        <translation>到达时 %1%</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="65" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="66" />
        <source>out of range</source>
        <translation>超出续航</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="68" />
        <source>(uncertain)</source>
        <translation>（不确定）</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="68" />
        <source>(below reserve)</source>
        <translation>（低于余量）</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="75" />
        <source>checked %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="76" />
        <source>last known %1/%2</source>
        <translation>最近已知 %1/%2 空闲</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="76" />
        <source>status %1</source>
        <translation>状态 %1</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="78" />
        <source>%1 kW</source>
        <translation>%1 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="80" />
        <source>+%1 km detour</source>
        <translation>绕行 %1 公里</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="30" />
        <source>Stations up to date (%1)</source>
        <translation>充电站数据已是最新（%1）</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="30" />
        <source>Stations up to date</source>
        <translation>充电站数据已是最新</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="31" />
        <source>Syncing %1%</source>
        <translation>正在同步 %1%</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="32" />
        <source>Sync error</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="33" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="45" />
        <source>updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="45" />
        <source>cached data</source>
        <translation>缓存数据</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="46" />
        <source>Status %1 old</source>
        <translation>状态已 %1 未更新</translation>
    </message>
</context>
<context>
    <name>TariffRow</name>
    <message>
        <location filename="../qml/controls/TariffRow.qml" line="20" />
        <source>now</source>
        <translation>当前</translation>
    </message>
</context>
<context>
    <name>TopBarPanel</name>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="46" />
        <source>To %1 · %2 km</source>
        <translation>前往%1 · %2 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="30" />
        <source>Chargers</source>
        <translation>充电站</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="34" />
        <source>Trip plan</source>
        <translation>行程规划</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="38" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="67" />
        <source>Night (auto)</source>
        <translation>夜间（自动）</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="67" />
        <source>Day (auto)</source>
        <translation>日间（自动）</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="68" />
        <source>Day</source>
        <translation>日间</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="68" />
        <source>Night</source>
        <translation>夜间</translation>
    </message>
</context>
<context>
    <name>TripStopRow</name>
    <message>
        <location filename="../qml/controls/TripStopRow.qml" line="34" />
        <source>in %1 km · %2</source>
        <translation>%1 公里后 · %2</translation>
    </message>
    <message>
        <location filename="../qml/controls/TripStopRow.qml" line="40" />
        <source>%1% → %2% · %3 · %4 kW</source>
        <translation>%1% → %2% · %3 · %4 千瓦</translation>
    </message>
</context>
<context>
    <name>TripView</name>
    <message>
        <location filename="../qml/views/TripView.qml" line="73" />
        <source>Trip plan unavailable: %1</source>
        <translation>行程规划不可用：%1</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="74" />
        <source>Planning…</source>
        <translation>正在规划…</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="75" />
        <source>No plan reaches %1 with the chargers on the route: charge at the nearest and plan again</source>
        <translation>沿途充电站无法到达%1：请在最近的充电站充电后重新规划</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="76" />
        <source>To %1: %2 km · arrive %3 · %4 on the way, %5 charging · ¥%6 · %7% on arrival</source>
        <translation>前往%1：%2 公里 · %3 到达 · 全程 %4，充电 %5 · ¥%6 · 到达时 %7%</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="119" />
        <source>No charging needed to reach %1</source>
        <translation>无需充电即可到达%1</translation>
    </message>
</context>
</TS>