"""The command lines of ``ivi`` and ``ivi-sync`` on fuzzed arguments (click's ``CliRunner``, in process).

An input is a JSON list of strings: the program (``ivi`` or ``ivi-sync``) and its arguments. The commands that
start the screen or talk to a broker (``run``, ``can-sim``, ``follow``, ``publish``, ``inspect``, ``status-feed``)
are left out: they are covered by their own tests. ``--db`` always names a small prepared cache, and the tokens
``@feed``, ``@route``, ``@out`` stand for a real feed file, route file and a scratch folder, so arguments reach
the code past click's file checks.

Contract: exit status 0, 1 (a library error as ``Error: …``), 2 (a usage error) or 3 (``ivi plan``: no plan
reaches the destination) — never a traceback, never another exception.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from chargers.ocpi import parse_location, parse_tariff
from chargers.store import ChargerStore
from fuzz.harness import Finding, Harness, expect
from fuzz.mutators import mutate_json
from fuzz.seeds import feed_records, feed_tariffs
from ivi.cli import main as ivi_main
from sync.cli import main as sync_main

__all__ = ["HARNESS", "SKIPPED"]

SKIPPED = frozenset({"run", "can-sim", "follow", "publish", "inspect", "status-feed"})
PROGRAMS = {"ivi": ivi_main, "ivi-sync": sync_main}
EXIT_CODES = (0, 1, 2, 3)
_UNPASSABLE = re.compile("[\x00\ud800-\udfff]")


@functools.cache
def _place() -> Path:
    """A scratch folder with a small cache, a feed and a route (made once per process)."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    with ChargerStore.open(root / "template.db", seed=False) as store:
        store.upsert([parse_location(r) for r in feed_records()], [parse_tariff(t) for t in feed_tariffs()])
    feed = {"data": feed_records(), "tariffs": feed_tariffs()}
    (root / "feed.json").write_text(json.dumps(feed, ensure_ascii=False))
    (root / "route.json").write_text(json.dumps([[39.9042, 116.4074], [38.0428, 114.5149], [34.7466, 113.6253]]))
    return root


def _args(data: bytes) -> list[str] | None:
    try:
        argv = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        return None
    return argv


def check(data: bytes) -> None:
    argv = _args(data)
    if argv is None or argv[0] not in PROGRAMS or SKIPPED & set(argv[1:3]) or len(argv) > 40:
        return
    if argv[0] == "ivi" and (len(argv) == 1 or (argv[1].startswith("-") and argv[1] not in ("--help", "--version"))):
        return  # ``ivi`` alone or with run's options is ``ivi run``: the screen
    if any(_UNPASSABLE.search(a) for a in argv):
        return  # an operating system passes neither NUL nor lone surrogates in argv
    root = _place()
    db = root / "cache.db"
    shutil.copyfile(root / "template.db", db)
    names = {"@feed": str(root / "feed.json"), "@route": str(root / "route.json"), "@out": str(root / "out")}
    args = [names.get(a, a) for a in argv[1:]]
    args = [str(db) if i and args[i - 1] == "--db" else a for i, a in enumerate(args)]
    env = {"IVI_DB": str(db), "IVI_CONFIG_DIR": str(root / "config"), "IVI_BROKER": ""}
    result = CliRunner().invoke(PROGRAMS[argv[0]], args, env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        raise Finding(f"{type(exc).__name__} escaped {argv[0]} {' '.join(argv[1:2])}", str(exc)[:200]) from exc
    expect(result.exit_code in EXIT_CODES, "unexpected exit status", str(result.exit_code))
    expect("Traceback" not in result.output, "traceback printed")
    if result.exit_code in (1, 2):
        expect("Error" in result.output or "Usage" in result.output, "failure without a message", result.output[:200])


SEEDS = (
    ["ivi", "plan", "--from", "北京", "--to", "石家庄", "--soc", "80"],
    ["ivi", "plan", "--from", "39.9,116.4", "--to", "34.7,113.6", "--soc", "60", "--json", "--depart", "07:30"],
    ["ivi", "suggest", "--at", "39.9,116.4", "--soc", "40", "--route", "@route", "-n", "5"],
    ["ivi", "suggest", "--at", "30.5,114.3", "--soc", "20", "--to", "武汉", "--time", "2026-12-01T07:30+08:00"],
    ["ivi", "cache", "near", "31.2,121.5", "-n", "3"],
    ["ivi", "cache", "search", "服务区"],
    ["ivi", "cache", "stats"],
    ["ivi", "cache", "route", "--route", "@route", "--corridor", "5"],
    ["ivi", "cache", "route", "--from", "上海", "--to", "杭州"],
    ["ivi", "cache", "import", "@feed"],
    ["ivi", "--version"],
    ["ivi-sync", "verify", "@feed", "--json"],
    ["ivi-sync", "verify", "--strict", "--examples", "2", "@feed"],
    ["ivi-sync", "keygen", "--out", "@out", "--force"],
    ["ivi-sync", "--help"],
)


def seeds() -> Iterator[bytes]:
    for argv in SEEDS:
        yield json.dumps(argv, ensure_ascii=False).encode()


HARNESS = Harness(
    name="cli_args",
    check=check,
    seeds=seeds,
    mutate=mutate_json,
    doc="ivi and ivi-sync (not run, can-sim, follow, publish, inspect, status-feed) on any arguments: exit 0, 1 with "
    "`Error: …`, 2 with a usage message, or 3 (no plan reaches the destination); never a traceback.",
)
