"""One OCPI 2.2.1 record (a Location or a Tariff, as JSON) through the car's and the publisher's validation.

Contract: ``chargers.ocpi.validate`` never raises on a parsed JSON value: the record comes out valid (every field of
its type and range, ``fuzz.oracles``) and survives a round trip through ``location_to_ocpi``/``tariff_to_ocpi``
unchanged, or it is left out with a counted rejection that has a reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from chargers.ocpi import location_to_ocpi, parse_location, parse_tariff, tariff_to_ocpi, validate
from fuzz.harness import Harness, expect
from fuzz.mutators import mutate_json
from fuzz.oracles import check_location, check_tariff
from fuzz.seeds import feed_records, feed_tariffs

__all__ = ["HARNESS"]


def check(data: bytes) -> None:
    try:
        record = json.loads(data)
    except (ValueError, RecursionError):
        return  # not JSON: the feed reader's business (ocpi_feeds)
    is_tariff = isinstance(record, dict) and "elements" in record
    feed = validate((), [record]) if is_tariff else validate([record])
    kept = feed.tariffs if is_tariff else feed.locations
    expect(len(kept) <= 1, "one record became several")
    for r in feed.rejections:
        expect(isinstance(r.reason, str) and bool(r.reason), "rejection without a reason", repr(r)[:100])
    if not kept:
        expect(bool(feed.rejections), "record dropped without a rejection")
        return
    if is_tariff:
        tariff = feed.tariffs[0]
        check_tariff(tariff)
        tariff_again = parse_tariff(json.loads(json.dumps(tariff_to_ocpi(tariff))))
        expect(tariff_again == tariff, "tariff changes in a round trip", f"{tariff!r}"[:200])
    else:
        loc = feed.locations[0]
        check_location(loc)
        again = parse_location(json.loads(json.dumps(location_to_ocpi(loc))))
        expect(again == loc, "location changes in a round trip", f"{loc!r}"[:200])


def seeds() -> Iterator[bytes]:
    for record in [*feed_records(), *feed_tariffs()]:
        yield json.dumps(record, ensure_ascii=False).encode()


HARNESS = Harness(
    name="ocpi_records",
    check=check,
    seeds=seeds,
    mutate=mutate_json,
    doc="chargers.ocpi.validate on one OCPI Location or Tariff: a record whose every field is of its OCPI type and "
    "range (and that survives a round trip), or a counted rejection with a reason; never an exception.",
)
