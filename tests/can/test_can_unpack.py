"""The precompiled fast path extracts exactly what cantools decodes (both test cars)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ivi.can import CanDatabase
from ivi.can.unpack import _fast_unpacker, compile_unpacker
from tests.can.conftest import DATA

SU7 = CanDatabase.load()
OTHER = CanDatabase.load(DATA / "othercar.dbc")
MESSAGES = [(db, m) for db in (SU7, OTHER) for m in db.messages.values()]


def test_reference_car_uses_the_fast_path_everywhere():
    for m in SU7.messages.values():
        assert _fast_unpacker(m, [s.name for s in m.signals]) is not None, m.name


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(MESSAGES), st.binary(min_size=8, max_size=8))
def test_unpacker_equals_cantools(message, payload):
    db, m = message
    data = payload[: m.length].ljust(m.length, b"\0")
    names = [s.name for s in m.signals]
    expected = db.decode(m.frame_id, data)
    got = compile_unpacker(db, m, names)(data)
    assert got == [expected[n] for n in names]
    assert [type(v) for v in got] == [type(expected[n]) for n in names]
