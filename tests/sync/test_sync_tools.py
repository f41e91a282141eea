"""The operator's tools as processes: ``ivi-sync verify`` says what validation would leave out,
``ivi-sync inspect`` what a broker really holds (and exits 1 when a new car could not sync from it)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.ocpi import read_feeds
from sync.protocol.bodies import Topics
from sync.publisher import Publisher
from sync.signing import load_signer, write_keypair
from sync.transport import MqttTransport
from tests.sync.helpers import ivi_sync


def test_verify_reports_what_would_be_left_out(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.02, seed=4))
    doc = json.loads(gzip.decompress((feeds / "li_auto.json.gz").read_bytes()))
    doc["data"][0]["coordinates"]["latitude"] = 31.2  # a number: OCPI writes coordinates as strings
    doc["data"][1]["name"] = "理想\x00超充"
    (feeds / "li_auto.json.gz").write_bytes(gzip.compress(json.dumps(doc).encode()))
    (feeds / "broken.json").write_text('{"data": [')
    out = ivi_sync("verify", str(feeds), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["left_out_by_partner"] == {
        "LIA": {"bad coordinates": 1, "bad name": 1},
        "broken.json": {"broken JSON": 1},
    }
    assert report["unreadable"] == ["broken.json"]
    assert report["locations"] == len(read_feeds([feeds]).locations)
    text = ivi_sync("verify", str(feeds))
    assert "LIA: left out 1 × bad coordinates, 1 × bad name" in text.stdout
    strict = ivi_sync("verify", str(feeds), "--strict")
    assert strict.returncode == 1 and "Error: 3 records would be left out" in strict.stderr


def test_inspect_shows_what_the_broker_holds_and_fails_when_a_car_could_notivi_sync(
    broker, tmp_path: Path, small_feeds
) -> None:
    key, pub_key = write_keypair(tmp_path / "op")
    pub = Publisher(broker.url, load_signer(key), chunk_raw_bytes=16 * 1024).start()
    feed = read_feeds([small_feeds])
    pub.publish_dataset(feed.locations, feed.tariffs)
    chunks = pub.operator.chunks()
    pub.close()
    inspect = ("inspect", "--broker", broker.url, "--pubkey", str(pub_key))
    ok = ivi_sync(*inspect, "--json", "--rows")
    assert ok.returncode == 0, ok.stderr
    doc = json.loads(ok.stdout)
    assert doc["healthy"] and doc["manifest"]["version"] == 1 and len(doc["chunks"]) == len(chunks)
    assert sum(c["locations"] for c in doc["chunks"]) == len(feed.locations)
    assert doc["head"]["version"] == 1
    vandal = MqttTransport(broker.url, "vandal", on_message=lambda m: None, persistent=False)
    vandal.connect()
    vandal.publish(Topics().chunk(2), b"", retain=True, wait_s=5)  # gone
    vandal.publish(Topics().chunk(4), chunks[5].payload, retain=True, wait_s=5)  # another chunk's bytes
    vandal.publish(Topics().chunk(len(chunks) + 3), chunks[0].payload, retain=True, wait_s=5)  # left over
    vandal.close()
    bad = ivi_sync(*inspect)
    assert bad.returncode == 1
    assert "chunks missing: 2" in bad.stderr
    assert "chunks not as the manifest names them: 4" in bad.stderr
    assert f"stale chunks past the snapshot: {len(chunks) + 3}" in bad.stderr
    assert f"manifest: version 1, {len(feed.locations)} locations" in bad.stdout
