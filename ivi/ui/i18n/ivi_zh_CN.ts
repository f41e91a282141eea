<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="27" />
        <source>Battery low</source>
        <translation>电量低</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="28" />
        <source>%1 is no longer reachable without charging</source>
        <translation>不充电已无法到达%1</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="29" />
        <source>No charger in range</source>
        <translation>续航范围内没有充电站</translation>
    </message>
    <message>
        <location filename="../qml/controls/AlertBanner.qml" line="35" />
        <source>Best stop: %1 · %2 km · %3 kW</source>
        <translation>推荐充电站：%1 · %2 公里 · %3 千瓦</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="18" />
        <source>≥ %1 kW</source>
        <translation>≥ %1 千瓦</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="18" />
        <source>Any power</source>
        <translation>不限功率</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="21" />
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../qml/panels/FilterPanel.qml" line="22" />
        <source>Green</source>
        <translation>绿电</translation>
    </message>
</context>
<context>
    <name>HomeView</name>
    <message>
        <location filename="../qml/views/HomeView.qml" line="31" />
        <source>Charger list unavailable</source>
        <translation>充电站列表不可用</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="32" />
        <source>Looking for chargers…</source>
        <translation>正在查找充电站…</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="33" />
        <source>No charger ahead matches the filters</source>
        <translation>前方没有符合筛选条件的充电站</translation>
    </message>
    <message>
        <location filename="../qml/views/HomeView.qml" line="34" />
        <source>Next chargers on your route</source>
        <translation>沿途下一个充电站</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/controls/Labels.qml" line="7" />
        <source>NIO</source>
        <translation>蔚来</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="7" />
        <source>Xpeng</source>
        <translation>小鹏</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="7" />
        <source>Li Auto</source>
        <translation>理想</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="10" />
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="10" />
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="11" />
        <source>Out of order</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="11" />
        <source>Inoperative</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="12" />
        <source>Reserved</source>
        <translation>已预约</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="12" />
        <source>Blocked</source>
        <translation>被占用</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="13" />
        <source>Removed</source>
        <translation>已拆除</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="13" />
        <source>Planned</source>
        <translation>规划中</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="13" />
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="16" />
        <source>status unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="16" />
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="17" />
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="18" />
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="18" />
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="21" />
        <source>Fastest</source>
        <translation>最快</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="21" />
        <source>Fewest stops</source>
        <translation>最少停站</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="21" />
        <source>Cheapest</source>
        <translation>最省钱</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="25" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../qml/controls/Labels.qml" line="25" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="24" />
        <source>Charging</source>
        <translation>充电中</translation>
    </message>
</context>
<context>
    <name>PlanOption</name>
    <message numerus="yes">
        <location filename="../qml/controls/PlanOption.qml" line="25" />
        <source>%n stop(s)</source>
        <translation><numerusform>%n 站</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/controls/PlanOption.qml" line="25" />
        <source>does not reach</source>
        <translation>无法到达</translation>
    </message>
</context>
<context>
    <name>ReplanBanner</name>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="24" />
        <source>Plan changed: %1 has no free charger any more</source>
        <translation>方案已更新：%1 已无空闲充电桩</translation>
    </message>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="25" />
        <source>Plan changed: the destination can no longer be reached with these chargers</source>
        <translation>方案已更新：这些充电站已无法到达目的地</translation>
    </message>
    <message>
        <location filename="../qml/controls/ReplanBanner.qml" line="26" />
        <source>Plan changed: a better stop replaces %1</source>
        <translation>方案已更新：更优的充电站替换了 %1</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../qml/controls/SearchBox.qml" line="41" />
        <source>Search is available when parked</source>
        <translation>停车后可搜索</translation>
    </message>
    <message>
        <location filename="../qml/controls/SearchBox.qml" line="41" />
        <source>Search stations (name, 拼音, English)</source>
        <translation>搜索充电站（名称、拼音、英文）</translation>
    </message>
</context>
<context>
    <name>SocGauge</name>
    <message>
        <location filename="../qml/controls/SocGauge.qml" line="62" />
        <source>Charging</source>
        <translation>充电中</translation>
    </message>
    <message>
        <location filename="../qml/controls/SocGauge.qml" line="62" />
        <source>Battery</source>
        <translation>电量</translation>
    </message>
</context>
<context>
    <name>SocPanel</name>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="33" />
        <source>-- km</source>
        <translation>-- 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="33" />
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="38" />
        <source>range, keeping %1 km reserve</source>
        <translation>续航（保留 %1 公里余量）</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="44" />
        <source>%1 km/h</source>
        <translation>%1 公里/时</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="44" />
        <source>Parked</source>
        <translation>已停车</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="55" />
        <source>No vehicle data source</source>
        <translation>没有车辆数据源</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="56" />
        <source>No CAN data: battery level unknown</source>
        <translation>无 CAN 数据：电量未知</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="57" />
        <source>Waiting for CAN data…</source>
        <translation>等待 CAN 数据…</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="63" />
        <source>Preparing charger data…</source>
        <translation>正在准备充电站数据…</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="64" />
        <source>Charger data is empty</source>
        <translation>充电站数据为空</translation>
    </message>
    <message>
        <location filename="../qml/panels/SocPanel.qml" line="65" />
        <source>Charger data unreadable: %1</source>
        <translation>充电站数据无法读取：%1</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <location filename="../qml/views/StationView.qml" line="27" />
        <source>Green energy</source>
        <translation>绿色能源</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="32" />
        <source>%1/%2 free · up to %3 kW · open %4</source>
        <translation>空闲 %1/%2 · 最高 %3 千瓦 · 营业 %4</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="40" />
        <source>Navigate</source>
        <translation>导航</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="41" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="42" />
        <source>Sent to navigation</source>
        <translation>已发送到导航</translation>
    </message>
    <message>
        <location filename="../qml/views/StationView.qml" line="62" />
        <source>Price per kWh (energy + service)</source>
        <translation>每千瓦时价格（电费 + 服务费）</translation>
    </message>
</context>
<context>
    <name>StopCard</name>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="43" />
        <source>%1 km ahead</source>
        <translation>前方 %1 公里</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="43" />
        <source> · +%1 km detour</source>
        <translation> · 绕行 %1 公里</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="53" />
        <source>%1/%2 free</source>
        <translation>空闲 %1/%2</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="54" />
        <source>¥%1/kWh</source>
        <translation>¥%1/千瓦时</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="65" />
        <source>%1% on arrival</source>
        <translation>到达时 %1%</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="65" />
        <source>out of range</source>
        <translation>超出续航</translation>
    </message>
    <message>
        <location filename="../qml/controls/StopCard.qml" line="71" />
        <source>%1 kW</source>
        <translation>%1 千瓦</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="24" />
        <source>Up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="25" />
        <source>Syncing %1%</source>
        <translation>正在同步 %1%</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="26" />
        <source>Sync error</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="27" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="37" />
        <source>updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../qml/controls/SyncIndicator.qml" line="38" />
        <source>cached data</source>
        <translation>缓存数据</translation>
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
        <location filename="../qml/panels/TopBarPanel.qml" line="26" />
        <source>To %1 · %2 km</source>
        <translation>前往%1 · %2 公里</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="31" />
        <source>Chargers</source>
        <translation>充电站</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="35" />
        <source>Trip plan</source>
        <translation>行程规划</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="54" />
        <source>Day</source>
        <translation>日间</translation>
    </message>
    <message>
        <location filename="../qml/panels/TopBarPanel.qml" line="54" />
        <source>Night</source>
        <translation>夜间</translation>
    </message>
</context>
<context>
    <name>TripStopRow</name>
    <message>
        <location filename="../qml/controls/TripStopRow.qml" line="24" />
        <source>km %1</source>
        <translation>%1 公里处</translation>
    </message>
    <message>
        <location filename="../qml/controls/TripStopRow.qml" line="26" />
        <source>%1% → %2% · %3 min · %4 kW</source>
        <translation>%1% → %2% · %3 分钟 · %4 千瓦</translation>
    </message>
</context>
<context>
    <name>TripView</name>
    <message>
        <location filename="../qml/views/TripView.qml" line="54" />
        <source>Planning…</source>
        <translation>正在规划…</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="54" />
        <source>No charging needed to reach %1</source>
        <translation>无需充电即可到达%1</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="54" />
        <source>No plan reaches %1</source>
        <translation>没有方案能到达%1</translation>
    </message>
    <message>
        <location filename="../qml/views/TripView.qml" line="66" />
        <source>To %1: %2 km · %3 total · %4 charging · ¥%5 · %6% on arrival</source>
        <translation>前往%1：%2 公里 · 共 %3 · 充电 %4 · ¥%5 · 到达时 %6%</translation>
    </message>
</context>
</TS>