"""End-to-end protection of every message of the reference DBC: a flipped bit never passes as fresh."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ivi.can import CanDatabase, Decoder, Frame, RejectReason

DB = CanDatabase.load()
ALL_IDS = sorted(DB.messages)


def test_every_message_of_the_reference_dbc_has_counter_and_crc():
    for m in DB.messages.values():
        assert m.e2e.counter_signal and m.e2e.checksum_byte is not None, m.name


def sealed(frame_id: int, payload: bytes, counter: int) -> bytes:
    m = DB.messages[frame_id]
    values = DB.decode(frame_id, payload)
    values[m.e2e.counter_signal] = counter
    return m.e2e.seal(frame_id, DB.encode(frame_id, values))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(ALL_IDS), st.binary(min_size=8, max_size=8), st.integers(0, 14), st.data())
def test_any_single_bit_flip_in_any_message_is_rejected(database, mapping, frame_id, noise, counter, data):
    length = DB.messages[frame_id].length
    good = sealed(frame_id, noise[:length], counter)
    decoder = Decoder(database, mapping)
    _, rejections = decoder.decode(Frame(frame_id, good, 1.0))
    assert RejectReason.BAD_CHECKSUM not in {r.reason for r in rejections}  # the intact frame passes E2E
    bit = data.draw(st.integers(0, length * 8 - 1), label="bit")
    bad = bytearray(sealed(frame_id, noise[:length], counter + 1))
    bad[bit // 8] ^= 1 << (bit % 8)
    updates, rejections = decoder.decode(Frame(frame_id, bytes(bad), 1.1))
    assert updates == [] and [r.reason for r in rejections] == [RejectReason.BAD_CHECKSUM]
