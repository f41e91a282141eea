"""Route files from outside (``--route FILE``): a route, or one GeoError with the reason — never another
exception (issue 19: RecursionError, OverflowError, TypeError, 4,300-digit integers, bytes that are not UTF-8)."""

import json

import pytest

from geo.errors import GeoError
from geo.geometry import MAX_GEOJSON_DEPTH, parse_polyline, read_polyline

LINE = [[116.4074, 39.9042], [117.3616, 39.3434]]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[" * 5000, "nested too deeply"),
        ('{"type": "Feature", "geometry": ' * 3000 + "{}" + "}" * 3000, "nested too deeply"),
        ("[[" + "9" * 4400 + ", 116.4], [39.3, 117.3]]", "4300 digits"),
        ("[[" + "9" * 400 + ", 116.4], [39.3, 117.3]]", "a huge integer"),
        (json.dumps({"type": "FeatureCollection", "features": 5}), "exactly one LineString"),
        (json.dumps({"type": "FeatureCollection", "features": {"a": 1}}), "exactly one LineString"),
        (json.dumps({"type": "Feature", "geometry": 5}), "needs a LineString geometry"),
        (json.dumps({"type": ["LineString"], "coordinates": LINE}), "type of type list"),
        ('{"type": "\\ud800"}', "unsupported GeoJSON type '\\ud800'"),
        ("[[NaN, 116.4], [39.3, 117.3]]", "not numbers"),
        ("[[[39.9], 116.4], [39.3, 117.3]]", "bad coordinate [39.9]"),
        ("[[39.9, 116.4]]", "at least two points"),
    ],
)
def test_a_bad_route_is_one_geo_error(text, reason):
    with pytest.raises(GeoError) as err:
        parse_polyline(text)
    assert reason in str(err.value)
    str(err.value).encode("utf-8")  # printable


def test_geojson_features_may_nest_but_not_without_end():
    line = {"type": "LineString", "coordinates": LINE}
    doc: dict = line
    for _ in range(MAX_GEOJSON_DEPTH - 1):
        doc = {"type": "Feature", "geometry": doc}
    assert parse_polyline(json.dumps(doc)) == [(39.9042, 116.4074), (39.3434, 117.3616)]
    with pytest.raises(GeoError, match="nested deeper"):
        parse_polyline(json.dumps({"type": "Feature", "geometry": doc}))


def test_read_polyline_names_the_file_for_every_problem(tmp_path):
    good = tmp_path / "ok.json"
    good.write_text(json.dumps({"type": "LineString", "coordinates": LINE}))
    assert len(read_polyline(good)) == 2
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe[[39.9, 116.4], [39.3, 117.3]]")
    with pytest.raises(GeoError, match=r"bad\.json cannot be read: 'utf-8' codec"):
        read_polyline(bad)
    with pytest.raises(GeoError, match="does not exist"):
        read_polyline(tmp_path / "missing.json")
    with pytest.raises(GeoError, match="cannot be read"):
        read_polyline(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000)
    with pytest.raises(GeoError, match=r"deep\.json: route is not valid JSON: nested too deeply"):
        read_polyline(deep)
