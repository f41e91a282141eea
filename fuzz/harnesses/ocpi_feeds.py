"""A whole OCPI feed file (JSON envelope, bare list, JSON Lines, gzip) imported into a real cache and read back.

Contract: ``ChargerStore.import_feeds`` never raises on a file's content — a file it cannot read at all is one
rejection with a reason; otherwise one bad record costs only that record (a counted rejection naming it) and every
other record is imported; what the cache then holds reads back through ``store.location()`` / ``store.tariff()`` as
valid records, and the report's counts match the cache.
"""

from __future__ import annotations

import functools
import gzip
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chargers.ocpi_fields import printable
from chargers.store import ChargerStore
from fuzz.harness import Harness, expect
from fuzz.mutators import mutate_json
from fuzz.oracles import check_location, check_tariff
from fuzz.seeds import feed_records, feed_tariffs

__all__ = ["HARNESS"]

#: The first byte of an input picks the file's name, so each reader path is fuzzed.
NAMES = ("feed.json", "feed.jsonl", "feed.json.gz", "feed.ndjson")


@functools.cache
def _dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-ocpi-feeds-"))


@functools.cache
def _empty() -> sqlite3.Connection:
    return ChargerStore.open(":memory:", seed=False).conn


def _store() -> ChargerStore:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    _empty().backup(conn)
    return ChargerStore(conn, ":memory:")


def _records(content: bytes, name: str) -> list[Any]:
    """The location records the file holds, as the reader will see them (for the one-bad-record oracle)."""
    try:
        if name.endswith(".gz"):
            content = gzip.decompress(content)
        if name.endswith(".json.gz") or name.endswith(".json"):
            doc = json.loads(content)
            return doc if isinstance(doc, list) else doc.get("data", []) if isinstance(doc, dict) else []
        out = []
        for line in content.splitlines():
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if not (isinstance(rec, dict) and "elements" in rec and "currency" in rec):
                out.append(rec)
        return out
    except (ValueError, RecursionError, OSError, EOFError):
        return []


def check(data: bytes) -> None:
    name = NAMES[data[0] % len(NAMES)] if data else NAMES[0]
    content = data[1:]
    path = _dir() / name
    path.write_bytes(
        gzip.compress(content, mtime=0) if name.endswith(".gz") and content[:2] != b"\x1f\x8b" else content
    )
    store = _store()
    report = store.import_feeds([path])
    for r in report.rejections:
        expect(isinstance(r.reason, str) and bool(r.reason), "rejection without a reason", repr(r)[:100])
    kept = store.all_locations()
    expect(len(kept) == report.locations, "report and cache disagree", f"{report.locations} vs {len(kept)}")
    tariff_ids: set[str] = set()
    for loc in kept:
        check_location(loc)
        tariff_ids.update(t for e in loc.evses for c in e.connectors for t in c.tariff_ids)
    for tid in sorted(tariff_ids):
        tariff = store.tariff(tid)
        if tariff is not None:
            check_tariff(tariff)
    rejected = {r.record_id for r in report.rejections}
    records = _records(data[1:], name)
    if len(records) > 200 or not isinstance(records, list):
        return
    held = {loc.id for loc in kept}
    for rec in records:
        rid = rec.get("id") if isinstance(rec, dict) else None
        shown = printable(rid[:60]) if isinstance(rid, str) and rid else "?"
        expect(
            (isinstance(rid, str) and rid in held) or shown in rejected or path.name in rejected,
            "record neither imported nor rejected",
        )


def _feed() -> dict[str, Any]:
    return {"data": feed_records(), "tariffs": feed_tariffs(), "status_code": 1000, "timestamp": "2026-12-01T00:00:00Z"}


def seeds() -> Iterator[bytes]:
    feed = _feed()
    yield b"\x00" + json.dumps(feed, ensure_ascii=False).encode()
    lines = [json.dumps(r, ensure_ascii=False) for r in [*feed["data"], *feed["tariffs"]]]
    yield b"\x01" + "\n".join(lines).encode()
    yield b"\x02" + json.dumps(feed["data"][:3]).encode()
    yield b"\x03" + "\n".join(lines[:3]).encode()


def mutate(data: bytes, max_size: int, seed: int) -> bytes:
    head = bytes([seed % len(NAMES)]) if seed % 7 == 0 else data[:1]
    return (head + mutate_json(data[1:], max_size - 1, seed))[:max_size]


HARNESS = Harness(
    name="ocpi_feeds",
    check=check,
    seeds=seeds,
    mutate=mutate,
    doc="ChargerStore.import_feeds on one feed file (JSON, JSON Lines, gzip): an unreadable file is one rejection; "
    "one bad record costs only itself (a rejection naming it), the rest import; the cache reads back as valid "
    "records and matches the report.",
)
