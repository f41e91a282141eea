from hypothesis import given, settings
from hypothesis import strategies as st

from ivi.can import Decoder, Frame, RejectReason

SOC_ID, SPEED_ID, GEAR_ID, GNSS_ID = 0x2F0, 0x120, 0x131, 0x5A0


def encode(db, frame_id, counter=1, **values):
    m = db.messages[frame_id]
    full = {s.name: 0 for s in m.signals} | values
    if m.e2e.counter_signal:
        full[m.e2e.counter_signal] = counter
    return m.e2e.seal(frame_id, db.encode(frame_id, full))


def test_soc_frame_becomes_vss_updates(database, decoder):
    data = encode(database, SOC_ID, BMS_SOC_Displayed=55.5, BMS_SOC_Actual=55.17, BMS_RemainingEnergy=52.3)
    updates, rejections = decoder.decode(Frame(SOC_ID, data, 12.0))
    got = {u.path: (u.value, u.unit, u.timestamp_s) for u in updates}
    assert rejections == []
    # Exactly cantools' numbers, float noise included (52.300000000000004): rounding is the screen's job.
    want = database.decode(SOC_ID, data)
    soc = "Vehicle.Powertrain.TractionBattery.StateOfCharge."
    assert got[soc + "Displayed"] == (want["BMS_SOC_Displayed"], "percent", 12.0)
    assert got[soc + "Current"] == (want["BMS_SOC_Actual"], "percent", 12.0)
    assert got[soc + "CurrentEnergy"] == (want["BMS_RemainingEnergy"], "kWh", 12.0)
    assert want["BMS_RemainingEnergy"] == 52.300000000000004


def test_transforms_from_the_mapping_apply(database, decoder):
    updates, _ = decoder.decode(
        Frame(0x1F0, encode(database, 0x1F0, BMS_PackVoltage=780.0, BMS_PackCurrent=120.5), 1.0)
    )
    by_path = {u.path: u.value for u in updates}
    assert by_path["Vehicle.Powertrain.TractionBattery.CurrentCurrent"] == -120.5  # discharging is negative in VSS
    updates, _ = decoder.decode(Frame(GEAR_ID, encode(database, GEAR_ID, VCU_GearPosition=1), 1.0))
    assert updates[0].path == "Vehicle.Powertrain.Transmission.SelectedGear" and updates[0].value == -1


def test_each_bad_frame_is_rejected_with_its_reason(database, decoder):
    good = encode(database, SPEED_ID, counter=4, VCU_VehicleSpeed=88.0)
    cases = [
        (Frame(0x7AB, good, 1.0), RejectReason.UNKNOWN_ID),
        (Frame(SPEED_ID, good, 1.0, is_extended=True), RejectReason.UNKNOWN_ID),
        (Frame(SPEED_ID, good[:5], 1.0), RejectReason.WRONG_DLC),
        (Frame(SPEED_ID, bytes([good[0] ^ 0x10]) + good[1:], 1.0), RejectReason.BAD_CHECKSUM),
        (Frame(SPEED_ID, b"", 1.0, is_error=True), RejectReason.NOT_DATA),
        (Frame(SPEED_ID, good, 1.0, is_remote=True), RejectReason.NOT_DATA),
    ]
    for frame, reason in cases:
        updates, rejections = decoder.decode(frame)
        assert updates == [] and [r.reason for r in rejections] == [reason], frame


def test_stuck_counter_is_rejected_then_recovers(database, decoder):
    a = encode(database, SPEED_ID, counter=7, VCU_VehicleSpeed=50.0)
    assert decoder.decode(Frame(SPEED_ID, a, 1.0))[0]
    updates, rejections = decoder.decode(Frame(SPEED_ID, a, 1.02))
    assert updates == [] and rejections[0].reason is RejectReason.BAD_COUNTER
    b = encode(database, SPEED_ID, counter=8, VCU_VehicleSpeed=51.0)
    assert decoder.decode(Frame(SPEED_ID, b, 1.04))[0][0].value == 51.0


def test_out_of_range_signal_never_reaches_state(database, decoder):
    m = database.messages[SOC_ID]
    raw = bytearray(encode(database, SOC_ID, BMS_SOC_Actual=40.0, BMS_RemainingEnergy=30.0))
    raw[0], raw[1] = 0xFF, raw[1] | 0x03  # displayed SoC raw 1023 → 102.3 % (the "invalid" pattern)
    data = m.e2e.seal(SOC_ID, bytes(raw))
    updates, rejections = decoder.decode(Frame(SOC_ID, data, 1.0))
    assert "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed" not in {u.path for u in updates}
    assert [r.reason for r in rejections] == [RejectReason.OUT_OF_RANGE]
    assert len(updates) == 2  # the plausible signals of the same frame still count


def test_undefined_value_table_entry_is_rejected(database, decoder):
    updates, rejections = decoder.decode(Frame(GEAR_ID, encode(database, GEAR_ID, VCU_GearPosition=6), 1.0))
    assert updates == [] and rejections[0].reason is RejectReason.OUT_OF_RANGE


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([0x120, 0x131, 0x1F0, 0x2F0, 0x3F0, 0x3F2]), st.binary(min_size=8, max_size=8))
def test_garbage_in_protected_frames_is_never_decoded(database, mapping, frame_id, data):
    decoder = Decoder(database, mapping)
    updates, rejections = decoder.decode(Frame(frame_id, data, 1.0))
    crc_ok = database.messages[frame_id].e2e.checksum_ok(frame_id, data)
    assert bool(updates) <= crc_ok
    assert updates or rejections


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 0x7FF), st.binary(max_size=8), st.booleans())
def test_any_frame_decodes_or_is_rejected_never_raises(database, mapping, frame_id, data, ext):
    updates, rejections = Decoder(database, mapping).decode(Frame(frame_id, data, 0.0, is_extended=ext))
    assert updates or rejections


def test_filters_pass_exactly_the_mapped_ids(decoder):
    ids = {f["can_id"] for f in decoder.can_filters()}
    assert ids == {0x120, 0x131, 0x1F0, 0x2F0, 0x3A0, 0x3F0, 0x3F2, 0x4A0, 0x5A0, 0x5A1}
    assert all(f["can_mask"] == 0x7FF and f["extended"] is False for f in decoder.can_filters())


# --- multiplexing, frame formats, J1939 -------------------------------------------------------------------


def _tree(signals: dict[str, str]) -> dict:
    leaves = {
        name: {"type": "sensor", "datatype": dt, "dbc2vss": {"signal": name, "interval_ms": 0}}
        for name, dt in signals.items()
    }
    return {"Vehicle": {"type": "branch", "children": {"X": {"type": "branch", "children": leaves}}}}


def _decoder_for(tmp_path, dbc, signals):
    import json

    from ivi.can import CanDatabase, load_mapping

    db = CanDatabase.load(dbc)
    (tmp_path / "m.json").write_text(json.dumps(_tree(signals)))
    return db, Decoder(db, load_mapping(db, tmp_path / "m.json"))


def test_signals_absent_from_the_page_are_simply_not_decoded(tmp_path):
    from tests.can.conftest import corpus_file

    db, decoder = _decoder_for(
        tmp_path,
        corpus_file("cantools/multiplex_choices.dbc"),
        {"BIT_L": "string", "BIT_A": "boolean", "Multiplexor": "string"},
    )
    m = db.message_by_name("Message1")
    page8 = db.encode(m.key, {"Multiplexor": 8, "BIT_L": 1, "BIT_G": 0, "BIT_C": 0, "BIT_J": 0})
    updates, rejections = decoder.decode(Frame(m.frame_id, page8, 1.0, is_extended=True))
    assert rejections == []
    assert {u.path: u.value for u in updates} == {"Vehicle.X.BIT_L": "On", "Vehicle.X.Multiplexor": "MULTIPLEXOR_8"}
    # A multiplexer value the DBC has no page for: what hangs under it is lost and counted, the rest decodes.
    updates, rejections = decoder.decode(Frame(m.frame_id, bytes([5 << 2]) + bytes(7), 1.1, is_extended=True))
    assert [r.reason for r in rejections] == [RejectReason.UNKNOWN_MUX]
    assert {u.path: u.value for u in updates} == {"Vehicle.X.Multiplexor": "5"}


def test_j1939_parameter_groups_match_from_any_source_address(tmp_path):
    from tests.can.conftest import corpus_file

    db, decoder = _decoder_for(tmp_path, corpus_file("cantools/j1939.dbc"), {"Signal1": "double"})
    m = db.message_by_name("Message1")
    assert m.is_j1939
    data = db.encode(m.key, {"Signal1": -3})
    for source_address, priority in [(m.frame_id & 0xFF, m.frame_id >> 26), (0x42, 3), (0xFE, 7)]:
        fid = (m.frame_id & 0x03FFFF00) | priority << 26 | source_address
        updates, rejections = decoder.decode(Frame(fid, data, 1.0, is_extended=True))
        assert rejections == [] and updates[0].value == -3.0, hex(fid)
    assert decoder.can_filters() == [{"can_id": m.frame_id & 0x03FFFF00, "can_mask": 0x03FFFF00, "extended": True}]
    other_pgn = (m.frame_id ^ 0x100) | 0x42
    assert [r.reason for r in decoder.decode(Frame(other_pgn, data, 1.0, is_extended=True))[1]] == [
        RejectReason.UNKNOWN_ID
    ]


SAME_ID_DBC = """VERSION ""

BS_:

BU_: A

BO_ 256 Standard: 2 A
 SG_ Std : 0|16@1+ (1,0) [0|65535] "" A

BO_ 2147483904 Extended: 2 A
 SG_ Ext : 0|16@1- (1,0) [-32768|32767] "" A
"""


def test_a_standard_and_an_extended_frame_with_one_numeric_id_are_two_messages(tmp_path):
    (tmp_path / "same.dbc").write_text(SAME_ID_DBC)
    _, decoder = _decoder_for(tmp_path, tmp_path / "same.dbc", {"Std": "double", "Ext": "double"})
    data = (0xFFFF).to_bytes(2, "little")
    assert {u.path: u.value for u in decoder.decode(Frame(0x100, data, 1.0))[0]} == {"Vehicle.X.Std": 65535.0}
    got = decoder.decode(Frame(0x100, data, 1.0, is_extended=True))[0]
    assert {u.path: u.value for u in got} == {"Vehicle.X.Ext": -1.0}


def test_two_messages_on_one_id_are_a_database_error(tmp_path):
    import pytest

    from ivi.can import CanDatabase, DatabaseError

    (tmp_path / "dup.dbc").write_text(SAME_ID_DBC.replace("2147483904 Extended", "256 Again"))
    with pytest.raises(DatabaseError, match="Standard and Again both use standard frame ID 0x100"):
        CanDatabase.load(tmp_path / "dup.dbc")


def test_longer_frames_decode_like_cantools_unless_e2e_protected(tmp_path, database, decoder):
    (tmp_path / "same.dbc").write_text(SAME_ID_DBC)
    _, plain = _decoder_for(tmp_path, tmp_path / "same.dbc", {"Std": "double"})
    assert plain.decode(Frame(0x100, b"\x01\x00\xff\xff", 1.0))[0][0].value == 1.0  # excess bytes ignored
    assert plain.decode(Frame(0x100, b"\x01", 1.0))[1][0].reason is RejectReason.WRONG_DLC
    good = encode(database, SPEED_ID, VCU_VehicleSpeed=10.0)
    assert decoder.decode(Frame(SPEED_ID, good + b"\x00", 1.0))[1][0].reason is RejectReason.WRONG_DLC


def test_a_frame_that_breaks_the_decoder_costs_that_frame_only(database, decoder):
    from dataclasses import replace

    def boom(data):
        raise RuntimeError("nobody foresaw this")

    decoder._plans[GEAR_ID] = replace(decoder._plans[GEAR_ID], extract=boom)
    frames = [
        (GEAR_ID, encode(database, GEAR_ID, VCU_GearPosition=1), 1.0, False, False, False),
        (SPEED_ID, encode(database, SPEED_ID, counter=2, VCU_VehicleSpeed=30.0), 1.0, False, False, False),
    ]
    updates, rejections, accepted = decoder.decode_batch(frames)
    assert [r.reason for r in rejections] == [RejectReason.DECODE_FAILED] and "nobody foresaw" in rejections[0].detail
    assert accepted == 1 and updates[0].value == 30.0
