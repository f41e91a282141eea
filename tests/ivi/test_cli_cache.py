import json
import os
import subprocess
import sys

from click.testing import CliRunner

from ivi.cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_stats_json_on_a_freshly_seeded_cache(tmp_path):
    # The real console script, on a cache file that does not exist yet: it is created and seeded.
    db = tmp_path / "new" / "chargers.db"
    out = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ivi"), "cache", "stats", "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = json.loads(out.stdout)
    assert {n: v["evses"] for n, v in stats["networks"].items()} == {"NIO": 14000, "XPENG": 9000, "LI_AUTO": 6000}
    assert stats["locations"] == 5312


def test_near_json_with_filters(seeded_db):
    r = run(
        "cache",
        "near",
        "31.23,121.47",
        "-n",
        "5",
        "--networks",
        "li_auto,XPENG",
        "--min-power",
        "400",
        "--json",
        "--db",
        seeded_db,
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert len(rows) == 5
    assert all(x["network"] in {"LI_AUTO", "XPENG"} and x["max_power_kw"] >= 400 for x in rows)
    assert [x["distance_km"] for x in rows] == sorted(x["distance_km"] for x in rows)


def test_route_and_search(seeded_db):
    r = run("cache", "route", "--from", "Beijing", "--to", "Shanghai", "--corridor", "5", "--json", "--db", seeded_db)
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)
    assert len(hits) > 100 and hits[-1]["along_km"] > 1100
    r = run("cache", "search", "服务区", "--db", seeded_db)
    assert r.exit_code == 0 and "服务区" in r.output


def test_bad_arguments_give_one_line_reasons(seeded_db, tmp_path):
    r = run("cache", "near", "48.85,2.35", "--db", seeded_db)
    assert r.exit_code == 2 and "outside the map" in r.output
    r = run("cache", "near", "31,121", "--networks", "TESLA", "--db", seeded_db)
    assert r.exit_code == 2 and "unknown network(s) TESLA" in r.output
    r = run("cache", "route", "--from", "Atlantis", "--to", "Shanghai", "--db", seeded_db)
    assert r.exit_code == 1 and "unknown city 'Atlantis'" in r.output
    bad = tmp_path / "notes.db"
    bad.write_text("hello")
    r = run("cache", "stats", "--db", bad)
    assert r.exit_code == 1 and "not an SQLite database" in r.output and "Traceback" not in r.output
    assert bad.read_text() == "hello"


def test_import_reports_rejections_per_reason(seeded_copy, tmp_path):
    (tmp_path / "feed.json").write_text('[{"id": "X1", "party_id": "NIO"}, {"party_id": "NIO"}]')
    r = run("cache", "import", tmp_path / "feed.json", "--json", "--db", seeded_copy)
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["locations"] == 0
    assert report["rejected"] == {"bad coordinates": 1, "missing id": 1}


def test_feeds_generator_cli(tmp_path):
    from sync.cli import main as sync_main

    r = CliRunner().invoke(sync_main, ["feeds", "--out", str(tmp_path), "--scale", "0.01", "--seed", "3"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["li_auto.json.gz", "nio.json.gz", "xpeng.json.gz"]
    r = CliRunner().invoke(sync_main, ["feeds", "--out", str(tmp_path), "--scale", "-1"])
    assert r.exit_code == 2


def test_ivi_alone_is_parsed_as_ivi_run() -> None:
    """``ivi`` alone runs the app through ``run``'s own parsing (its ``--size`` callback turned "1920x720" into a
    size; invoked around the parser it passed the string on: a TypeError the CLI fuzzer found)."""
    ctx = main.make_context("ivi", [])
    name, command, _ = main.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
    assert name == "run"
    assert command is not None
    run_ctx = command.make_context("run", [])
    assert run_ctx.params["size"] == (1920, 720)
