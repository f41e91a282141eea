import itertools
import sqlite3
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargers.errors import NotACacheError, SchemaTooNewError, SchemaTooOldError
from chargers.ocpi import read_feeds
from chargers.store import ChargerStore, Filters
from chargers.store.schema import SCHEMA_VERSION
from geo import haversine_km, route_between
from geo.geometry import densify, project_on_segment


@pytest.fixture(scope="module")
def store(seeded_db):
    s = ChargerStore.open(seeded_db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def all_rows(store):
    return _Rows(
        store.conn.execute(
            "SELECT pk, id, network, lat, lon, max_power_kw, available_count, is_green, standards FROM locations"
        ).fetchall()
    )


class _Rows(list):
    """A short repr keeps hypothesis from printing 5,000 rows with every example."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def test_seeded_cache_has_every_partner_charger(store):
    st_ = store.stats()
    assert {n: v["evses"] for n, v in st_["networks"].items()} == {"NIO": 14000, "XPENG": 9000, "LI_AUTO": 6000}
    assert st_["meta"]["schema_version"] == str(SCHEMA_VERSION)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _passes(row, f: Filters) -> bool:
    _, _, net, _, _, power, avail, green, standards = row
    return (
        (not f.networks or net in f.networks)
        and power >= f.min_power_kw
        and (not f.available_only or avail > 0)
        and (not f.green_only or green)
        and (not f.standard or f",{f.standard}," in standards)
    )


filters_st = st.builds(
    Filters,
    networks=st.none() | st.sets(st.sampled_from(["NIO", "XPENG", "LI_AUTO"]), min_size=1).map(frozenset),
    min_power_kw=st.sampled_from([0, 120, 400]),
    available_only=st.booleans(),
    green_only=st.booleans(),
)


@settings(max_examples=25, deadline=None)
@given(lat=st.floats(22, 45), lon=st.floats(100, 125), n=st.integers(1, 15), f=filters_st)
def test_nearest_matches_a_full_scan(store, all_rows, lat, lon, n, f):
    got = store.near((lat, lon), n, f)
    expected = sorted((haversine_km((lat, lon), (r[3], r[4])), r[1]) for r in all_rows if _passes(r, f))[:n]
    assert [h.station.id for h in got] == [i for _, i in expected]
    assert [round(h.distance_km, 6) for h in got] == [round(d, 6) for d, _ in expected]


def test_corridor_matches_a_full_scan(store, all_rows):
    route = route_between("Beijing", "Shanghai")
    f = Filters(min_power_kw=200)
    got = store.along_route(route.points, 5.0, f)
    dense = densify(route.points, 10)
    expected = set()
    for r in all_rows:
        if (
            _passes(r, f)
            and min(project_on_segment((r[3], r[4]), a, b)[0] for a, b in itertools.pairwise(dense)) <= 5.0
        ):
            expected.add(r[1])
    assert {h.station.id for h in got} == expected
    assert len(got) > 100
    assert [h.along_km for h in got] == sorted(h.along_km for h in got)
    assert got[0].along_km >= 0 and got[-1].along_km <= route.distance_km + 5
    assert all(h.off_route_km <= 5.0 for h in got)


def test_corridor_rows_are_the_corridor_stations_in_the_same_order(store):
    route = route_between("Shanghai", "Hangzhou")
    full = store.along_route(route.points, 5.0)
    rows = store.along_route_rows(route.points, 5.0, columns=("id", "max_power_kw", "name"))
    assert len(full) > 20
    assert rows == [(h.station.id, h.station.max_power_kw, h.station.name, h.along_km, h.off_route_km) for h in full]
    # Columns need not include what the query itself reads (pk, id, lat, lon).
    assert [r[0] for r in store.along_route_rows(route.points, 5.0, columns=("network",))] == [
        h.station.network for h in full
    ]
    with pytest.raises(ValueError, match="not a station column: grams"):
        store.along_route_rows(route.points, 5.0, columns=("id", "grams"))


def test_text_search_chinese_pinyin_and_english(store):
    service_areas = store.search("服务区", limit=50)
    assert len(service_areas) == 50 and all("服务区" in s.name for s in service_areas)
    nio = store.search("蔚来", limit=30)  # two characters: the bigram index
    assert nio and all(s.network == "NIO" for s in nio)
    shanghai = store.search("上海", limit=30)
    assert shanghai and all("上海" in (s.name + s.address + s.city) for s in shanghai)
    both = store.search("蔚来 上海", limit=500)
    assert both and all(s.network == "NIO" and "上海" in s.name + s.address + s.city for s in both)
    pinyin = store.search("shanghai", limit=30)
    assert {s.id for s in pinyin} & {s.id for s in shanghai}
    prefix = store.search("wand", limit=20)
    assert prefix and all("Wanda" in s.name_en for s in prefix)
    one_char = store.search("京", limit=20)
    assert one_char and all("京" in s.name + s.address + s.city for s in one_char)
    assert store.search("不存在的地方") == []
    assert store.search('"; DROP TABLE locations; --') == []


def test_full_location_with_evses_connectors_and_tariff(store):
    hit = store.near((31.23, 121.47), 1)[0].station
    loc = store.location(hit.id)
    assert loc is not None and len(loc.evses) == hit.evse_count
    assert sum(e.status == "AVAILABLE" for e in loc.evses) == hit.available_count
    tariff = store.tariff(hit.tariff_id)
    assert tariff is not None and tariff.currency == "CNY" and len(tariff.windows) >= 3


def test_import_skips_bad_records_and_keeps_what_was_there(seeded_copy, tmp_path):
    good = (
        '{"country_code":"CN","party_id":"NIO","id":"NEW1","name":"蔚来超充站（测试）",'
        '"coordinates":{"latitude":"31.0","longitude":"121.0"},"last_updated":"2026-11-02T00:00:00Z","evses":[]}'
    )
    bad = (
        '{"country_code":"CN","party_id":"NIO","name":"no id",'
        '"coordinates":{"latitude":"31.0","longitude":"121.0"},"last_updated":"x"}'
    )
    (tmp_path / "f.json").write_text(f"[{good},{bad}]")
    with ChargerStore.open(seeded_copy) as store:
        report = store.import_feeds([tmp_path / "f.json"])
        assert report.locations == 1 and report.rejected_by_reason() == {"missing id": 1}
        assert store.stats()["locations"] == 5312 + 1
        assert store.search("测试")[0].id == "NEW1"


def test_replacing_a_location_keeps_indexes_consistent(seeded_copy):
    with ChargerStore.open(seeded_copy) as store:
        loc = store.location("NIO000001")
        moved = type(loc)(**{**loc.__dict__, "name": "蔚来超充站（改名测试）", "lat": 30.0, "lon": 120.0})
        store.upsert([moved])
        assert store.search("改名测试")[0].id == "NIO000001"
        assert all(s.id != "NIO000001" for s in store.search(loc.name[-6:-1], limit=500))
        assert store.near((30.0, 120.0), 1)[0].station.id == "NIO000001"
        assert store.stats()["evses"] == 29000


def test_status_updates_move_the_availability_aggregate(seeded_copy):
    with ChargerStore.open(seeded_copy) as store:
        loc = store.location("XPG000010")
        before = store.stations(["XPG000010"])[0].available_count
        updates = [(e.uid, "OUTOFORDER", "2026-11-02T10:00:00Z") for e in loc.evses]
        assert store.set_evse_statuses(updates) == len(loc.evses)
        after = store.stations(["XPG000010"])[0]
        assert after.available_count == 0 and after.status_updated == "2026-11-02T10:00:00Z"
        assert before > 0
        assert store.set_evse_statuses(updates) == 0  # idempotent
        assert store.near((loc.lat, loc.lon), 1, Filters(available_only=True))[0].station.id != "XPG000010"


def test_a_failed_transaction_leaves_nothing_half_written(seeded_copy, small_feeds):
    with ChargerStore.open(seeded_copy) as store:
        feed = read_feeds([small_feeds])
        with pytest.raises(RuntimeError), store.transaction() as conn:
            from chargers.store import writer

            writer.upsert_locations(conn, feed.locations[:50])
            raise RuntimeError("power cut")
        assert store.stats()["evses"] == 29000


def test_a_reader_reads_while_a_writer_writes(seeded_copy, small_feeds):
    writer_store = ChargerStore.open(seeded_copy)
    reader = ChargerStore.open(seeded_copy)
    feed = read_feeds([small_feeds])
    errors = []

    def read_loop():
        try:
            for _ in range(50):
                assert len(reader.near((31.2, 121.4), 5)) == 5
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    t = threading.Thread(target=read_loop)
    with writer_store.transaction() as conn:
        from chargers.store import writer

        writer.upsert_locations(conn, feed.locations)
        t.start()
        t.join()
    assert errors == []
    writer_store.close()
    reader.close()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path):
    p = tmp_path / "chargers.db"
    p.write_bytes(b"this is my thesis, do not overwrite")
    with pytest.raises(NotACacheError, match="not an SQLite database"):
        ChargerStore.open(p)
    assert p.read_bytes() == b"this is my thesis, do not overwrite"


def test_someone_elses_sqlite_file_is_refused(tmp_path):
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE photos (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotACacheError, match="not a charger cache"):
        ChargerStore.open(p)


def test_a_newer_schema_is_refused_and_untouched(seeded_copy):
    conn = sqlite3.connect(seeded_copy)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = seeded_copy.read_bytes()
    with pytest.raises(SchemaTooNewError, match="schema version 99"):
        ChargerStore.open(seeded_copy)
    assert seeded_copy.read_bytes() == before


def test_an_interrupted_migration_leaves_an_empty_file_retryable(tmp_path, monkeypatch):
    from chargers.store import schema

    def broken(db):
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("crash mid-migration")

    p = tmp_path / "c.db"
    monkeypatch.setattr(schema, "MIGRATIONS", [broken])
    with pytest.raises(RuntimeError):
        ChargerStore.open(p, seed=False)
    monkeypatch.undo()
    with ChargerStore.open(p, seed=False) as store:
        assert store.stats()["locations"] == 0
        assert "half" not in store.conn.execute("SELECT group_concat(name) FROM sqlite_master").fetchone()[0]


def test_a_version_1_cache_is_migrated_and_answers_the_same(seeded_db, seeded_copy):
    """v1 kept 32-bit float boxes in the R*Tree; v2 keeps integer 1e-7 degrees. A v1 file keeps its
    data and, migrated, answers spatial queries exactly as a fresh cache does."""
    conn = sqlite3.connect(seeded_copy)
    conn.execute("DROP TABLE locations_rtree")
    conn.execute("CREATE VIRTUAL TABLE locations_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon)")
    conn.execute("INSERT INTO locations_rtree SELECT pk, lat, lat, lon, lon FROM locations")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = seeded_copy.read_bytes()
    with pytest.raises(SchemaTooOldError, match=f"schema version 1 and needs migrating to {SCHEMA_VERSION}"):
        ChargerStore.open(seeded_copy, readonly=True)  # a reader cannot migrate, and must not misread
    assert seeded_copy.read_bytes() == before
    route = route_between("Beijing", "Shanghai").points
    with ChargerStore.open(seeded_db, seed=False) as fresh, ChargerStore.open(seeded_copy, seed=False) as migrated:
        assert migrated.stats()["meta"]["schema_version"] == str(SCHEMA_VERSION) == "4"
        assert (
            migrated.conn.execute(
                "SELECT count(*) FROM locations_rtree r JOIN locations l USING (pk)"
                " WHERE r.min_lat = r.max_lat AND abs(r.min_lat * 1e-7 - l.lat) < 1e-7 AND abs(r.max_lon * "
                "1e-7 - l.lon) < 1e-7"
            ).fetchone()[0]
            == migrated.stats()["locations"]
            > 0
        )
        assert migrated.near((31.23, 121.47), 10) == fresh.near((31.23, 121.47), 10)
        assert migrated.along_route(route, 5.0) == fresh.along_route(route, 5.0)
