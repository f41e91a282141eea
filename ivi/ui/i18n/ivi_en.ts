<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>HomeView</name>
    <message numerus="yes">
        <location filename="../qml/views/HomeView.qml" line="66" />
        <source>The filters hide %n charger(s) ahead</source>
        <translation><numerusform>The filters hide %n charger ahead</numerusform><numerusform>The filters hide %n chargers ahead</numerusform></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="27" />
        <source>%n min ago</source>
        <translation><numerusform>%n min ago</numerusform><numerusform>%n min ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="28" />
        <source>%n h ago</source>
        <translation><numerusform>%n h ago</numerusform><numerusform>%n h ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="28" />
        <source>%n d ago</source>
        <translation><numerusform>%n day ago</numerusform><numerusform>%n days ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="31" />
        <source>%n s ago</source>
        <translation><numerusform>%n s ago</numerusform><numerusform>%n s ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controls/Labels.qml" line="41" />
        <source>%n stop(s)</source>
        <translation><numerusform>%n stop</numerusform><numerusform>%n stops</numerusform></translation>
    </message>
</context>
</TS>