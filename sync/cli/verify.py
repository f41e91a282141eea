"""``ivi-sync verify``: what the OCPI validation would leave out of the partners' feeds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sync.cli.options import _json


@click.command("verify")
@click.argument("feeds", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--examples", type=click.IntRange(0), default=5, show_default=True, help="Records shown per reason.")
@click.option("--strict", is_flag=True, help="Exit 1 if any record would be left out.")
@_json
def verify(feeds: tuple[Path, ...], examples: int, strict: bool, as_json: bool) -> None:
    """Validate FEEDS (files or directories) as `publish` would, without publishing: how many
    records each partner sends, and which would be left out and why (OCPI 2.2.1 field rules,
    duplicate ids and EVSE uids across the whole dataset, records too large for a car)."""
    from chargers.models import rejections_by_partner
    from chargers.ocpi import read_feeds

    feed = read_feeds(feeds)
    by_partner = rejections_by_partner(feed.rejections)
    kept: dict[str, int] = {}
    for loc in feed.locations:
        kept[loc.party_id] = kept.get(loc.party_id, 0) + 1
    shown: dict[str, list[dict[str, str]]] = {}
    for r in feed.rejections:
        ex = shown.setdefault(r.reason, [])
        if len(ex) < examples:
            ex.append({"partner": r.partner, "record": r.record_id, "detail": r.detail})
    if as_json:
        doc = {
            "locations": len(feed.locations),
            "evses": sum(len(loc.evses) for loc in feed.locations),
            "tariffs": len(feed.tariffs),
            "locations_by_partner": dict(sorted(kept.items())),
            "left_out": len(feed.rejections),
            "left_out_by_partner": by_partner,
            "unreadable": feed.unreadable,
            "examples": shown,
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        evses = sum(len(loc.evses) for loc in feed.locations)
        click.echo(f"{len(feed.locations)} locations, {evses} EVSEs, {len(feed.tariffs)} tariffs would be published")
        for partner, n in sorted(kept.items()):
            click.echo(f"  {partner}: {n} locations")
        if not feed.rejections:
            click.echo("nothing left out")
        for partner, reasons in by_partner.items():
            click.echo(f"{partner}: left out " + ", ".join(f"{n} × {reason}" for reason, n in reasons.items()))
        for reason, ex in shown.items():
            for e in ex:
                click.echo(f"  {reason}: {e['partner']} {e['record']}{': ' + e['detail'] if e['detail'] else ''}")
        for name in feed.unreadable:
            click.echo(f"unreadable: {name}", err=True)
    if strict and feed.rejections:
        raise click.ClickException(f"{len(feed.rejections)} records would be left out")
