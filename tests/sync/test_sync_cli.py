"""``ivi-sync keygen / publish / follow`` as separate processes, including a follow killed
with SIGKILL in the middle of a snapshot; ``ivi cache stats --json`` must equal the feeds'."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from chargers.feeds.generator import GeneratorConfig, write_feeds
from chargers.store import ChargerStore
from chargers.store.syncstate import dump_rows
from tests.sync.helpers import ENV, PY


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([PY, *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def _stats(db: Path) -> dict:
    out = _run("-m", "ivi", "cache", "stats", "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    st = json.loads(out.stdout)
    st.pop("meta")  # bookkeeping (sources, sync position), not chargers
    return st


def test_publish_then_follow_equals_the_feeds_even_after_sigkill(broker, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.1))
    out = _run("-m", "sync", "keygen", "--out", str(tmp_path / "op"))
    assert out.returncode == 0, out.stderr
    assert _run("-m", "sync", "keygen", "--out", str(tmp_path / "op")).returncode == 1  # never overwrites a key
    out = _run(
        "-m",
        "sync",
        "publish",
        "--broker",
        broker.url,
        "--feeds",
        str(feeds),
        "--key",
        str(tmp_path / "op.key"),
        "--once",
        "--state",
        str(tmp_path / "state"),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["version"] == 1

    db = tmp_path / "car.db"
    follow = [
        PY,
        "-m",
        "sync",
        "follow",
        "--broker",
        broker.url,
        "--db",
        str(db),
        "--pubkey",
        str(tmp_path / "op.pub"),
        "--client-id",
        "car-42",
    ]
    # Slow the apply down enough to kill it in the middle: a tiny chunk size is not needed,
    # the staging of chunks into the shadow table is visible from outside (WAL).
    proc = subprocess.Popen(follow, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staged = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not staged:
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
                    staged = c.execute("SELECT count(*) FROM sync_shadow").fetchone()[0]
            except sqlite3.OperationalError:
                pass
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert staged, "the follower never staged a chunk"

    out = _run(
        "-m",
        "sync",
        "follow",
        "--broker",
        broker.url,
        "--db",
        str(db),
        "--pubkey",
        str(tmp_path / "op.pub"),
        "--client-id",
        "car-42",
        "--until-synced",
        "--timeout",
        "30",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "up to date: version 1" in out.stdout

    ref = ChargerStore.open(tmp_path / "ref.db", seed=False)
    ref.import_feeds([feeds])
    with ChargerStore.open(db, seed=False) as car:
        assert dump_rows(car.conn) == dump_rows(ref.conn)
    ref.close()
    assert _stats(db) == _stats(tmp_path / "ref.db")


def test_follow_with_a_wrong_key_never_syncs(broker, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write_feeds(feeds, GeneratorConfig(scale=0.02))
    for name in ("op", "other"):
        assert _run("-m", "sync", "keygen", "--out", str(tmp_path / name)).returncode == 0
    assert (
        _run(
            "-m",
            "sync",
            "publish",
            "--broker",
            broker.url,
            "--feeds",
            str(feeds),
            "--key",
            str(tmp_path / "op.key"),
            "--state",
            str(tmp_path / "state"),
        ).returncode
        == 0
    )
    out = _run(
        "-m",
        "sync",
        "follow",
        "--broker",
        broker.url,
        "--db",
        str(tmp_path / "car.db"),
        "--pubkey",
        str(tmp_path / "other.pub"),
        "--until-synced",
        "--timeout",
        "2",
    )
    assert out.returncode == 1 and out.stdout == ""
    assert "Error: not synced after 2 s" in out.stderr and "signed otherwise" in out.stderr
