"""The precompiled extractor gives exactly cantools' values: both test cars and every real DBC of the corpus
(Intel and Motorola, signed, IEEE floats, multiplexed and extended-multiplexed messages)."""

import math
from functools import cache

import cantools
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivi.can import CanDatabase
from ivi.can.unpack import UNKNOWN_PAGE, compile_extractor, to_physical
from tests.can.conftest import DATA, corpus_file
from tests.can.corpus import REAL_DBCS

SU7 = CanDatabase.load()
OTHER = CanDatabase.load(DATA / "othercar.dbc")


@cache
def real(relative: str, lax: bool) -> CanDatabase:
    return CanDatabase.load(corpus_file(relative), lax=lax)


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


def one_by_one(db: CanDatabase, key: int, payload: bytes, *, scaling: bool) -> dict:
    """cantools' decoding of each signal alone (a one-signal message per signal)."""
    original = db._cantools[key]
    out = {}
    for signal in original.signals:
        alone = cantools.database.can.Message(original.frame_id, original.name, original.length, [signal])
        out.update(alone.decode(payload, decode_choices=False, scaling=scaling))
    return out


def check_against_cantools(db: CanDatabase, key: int, payload: bytes) -> None:
    m = db.messages[key]
    names = [s.name for s in m.signals]
    got = compile_extractor(db, m, names)(payload)
    if isinstance(got, dict):  # a multiplexed message: the signals on the frame's page
        got = [got.get(i) for i in range(len(names))]
    try:
        raw, physical = db.decode_raw(key, payload), db.decode(key, payload)
    except ValueError:
        if m.is_multiplexed:  # cantools refuses a frame whose multiplexer value has no page in the DBC
            assert UNKNOWN_PAGE in got, m.name
            return
        # cantools cannot unpack a message with overlapping signals (lax DBCs): decode signal by signal
        raw, physical = one_by_one(db, key, payload, scaling=False), one_by_one(db, key, payload, scaling=True)
    for name, value in zip(names, got, strict=True):
        if name not in raw:
            assert value is None, (m.name, name)  # not on this frame's page
            continue
        assert same(value, raw[name]), (m.name, name, value, raw[name])
        layout = m.signal(name).layout
        assert same(to_physical(layout, value), physical[name]), (m.name, name)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([(db, key) for db in (SU7, OTHER) for key in db.messages]), st.binary(min_size=8, max_size=8))
def test_extractor_equals_cantools_on_the_test_cars(message, payload):
    db, key = message
    check_against_cantools(db, key, payload[: db.messages[key].length])


@pytest.mark.parametrize("relative, lax", REAL_DBCS, ids=[r for r, _ in REAL_DBCS])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_extractor_equals_cantools_on_real_dbcs(relative, lax, data):
    db = real(relative, lax)
    key = data.draw(st.sampled_from(sorted(db.messages)), label="message")
    length = db.messages[key].length
    payload = data.draw(st.binary(min_size=length, max_size=length), label="payload")
    check_against_cantools(db, key, payload)


def test_excess_bytes_are_ignored_like_cantools():
    key = OTHER.message_by_name("GW_Drive").key  # Motorola, 4 bytes
    data = OTHER.encode(key, {"GW_SpeedMph": 62.5, "GW_DriveMode": 2})
    m = OTHER.messages[key]
    extract = compile_extractor(OTHER, m, ["GW_SpeedMph", "GW_DriveMode"])
    assert extract(data + b"\xff\xff\xff\xff") == extract(data) == [6250, 2]
