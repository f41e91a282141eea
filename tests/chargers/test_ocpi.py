import copy
import gzip
import json

import pytest

from chargers.feeds.generator import GeneratorConfig, generate
from chargers.ocpi import location_to_ocpi, parse_location, parse_tariff, read_feed_file, read_feeds, tariff_to_ocpi


@pytest.fixture(scope="module")
def sample():
    locs, tariffs = generate(GeneratorConfig(scale=0.002, seed=3))["NIO"]
    return locs, tariffs


def test_round_trip_through_ocpi_json(sample):
    locs, tariffs = sample
    for loc in locs:
        assert parse_location(json.loads(json.dumps(location_to_ocpi(loc)))) == loc
    for t in tariffs:
        assert parse_tariff(tariff_to_ocpi(t)) == t


def _bad(doc, path, value):
    d = copy.deepcopy(doc)
    target = d
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


@pytest.mark.parametrize(
    "path,value,reason",
    [
        (("id",), KeyError, "missing id"),
        (("id",), "", "missing id"),
        (("coordinates", "latitude"), "-33.86", "outside China"),
        (("coordinates", "longitude"), "east", "bad coordinates"),
        (("evses", 0, "status"), "BROKEN", "unknown status"),
        (("evses", 0, "connectors", 0, "power_type"), "DC_9000", "unknown power_type"),
        (("evses", 0, "connectors", 0, "max_voltage"), -5, "bad max_voltage"),
        (("party_id",), "ZZZ", "unknown network"),
        (("last_updated",), KeyError, "missing last_updated"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(sample, tmp_path, path, value, reason):
    locs, tariffs = sample
    good = [location_to_ocpi(loc) for loc in locs]
    bad = _bad(good[0], path, value)
    feed_path = tmp_path / "feed.json"
    feed_path.write_text(json.dumps({"data": [bad, *good[1:]], "tariffs": [tariff_to_ocpi(t) for t in tariffs]}))
    feed = read_feed_file(feed_path)
    assert [r.reason for r in feed.rejections] == [reason]
    assert len(feed.locations) == len(good) - 1


def test_json_lines_lose_only_the_broken_line(sample, tmp_path):
    locs, _ = sample
    lines = [json.dumps(location_to_ocpi(loc), ensure_ascii=False) for loc in locs]
    lines[1] = lines[1][: len(lines[1]) // 2]  # truncated record
    p = tmp_path / "feed.jsonl.gz"
    p.write_bytes(gzip.compress("\n".join(lines).encode()))
    feed = read_feed_file(p)
    assert len(feed.locations) == len(locs) - 1
    assert [(r.reason, r.record_id) for r in feed.rejections] == [("broken JSON", "feed.jsonl.gz:2")]


@pytest.mark.parametrize(
    "content,reason",
    [
        (b'{"data": [', "broken JSON"),
        (b"\x1f\x8b\x08\x00garbage", "unreadable file"),
        (b'{"hello": 1}', "not an OCPI feed"),
        (b"\xff\xfe\x00", "broken JSON"),
    ],
)
def test_unreadable_feed_files_are_reported_not_raised(tmp_path, content, reason):
    p = tmp_path / "x.json"
    p.write_bytes(content)
    feed = read_feeds([p])
    assert [r.reason for r in feed.rejections] == [reason]
    assert feed.locations == []


def test_duplicate_ids_keep_the_later_record(sample, tmp_path):
    locs, _ = sample
    a = location_to_ocpi(locs[0])
    b = dict(a, name="renamed")
    p = tmp_path / "dup.json"
    p.write_text(json.dumps([a, b]))
    feed = read_feed_file(p)
    assert [loc.name for loc in feed.locations] == ["renamed"]
    assert feed.rejections[0].reason == "duplicate id"
