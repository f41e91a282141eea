"""KUKSA's own example — the Tesla Model 3 DBC with ``mapping/vss_4.0/vss_dbc.json`` from the KUKSA CAN
provider — and the provider's mapping semantics: forwarding rules, named states, one signal in two messages."""

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivi.can import CanDatabase, Decoder, Frame, SignalUpdate, VehicleState, load_mapping
from tests.can.conftest import corpus_file
from tests.can.corpus import Case, frames
from tests.can.kuksa_oracle import Entry, expected

SPEED, AMBIENT = "Vehicle.Speed", "Vehicle.OBD.AmbientAirTemperature"
CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"
GEAR = "Vehicle.Powertrain.Transmission.CurrentGear"


@cache
def model3() -> tuple[CanDatabase, object]:
    db = CanDatabase.load(corpus_file("kuksa/Model3CAN.dbc"))
    return db, load_mapping(db, corpus_file("kuksa/vss_dbc.json"))


def oracle_entries(mapping) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in mapping.entries:
        transform = None if e.transform is None else {e.transform.kind: e.transform.source}
        out.setdefault(e.signal, []).append(Entry(e.path, e.signal, e.datatype, transform, e.minimum, e.maximum))
    return out


def frame(db, name, ts=1.0, **values):
    m = db.message_by_name(name)
    full = {s.name: 0 for s in m.signals if s.multiplexer is None} | values
    return Frame(m.frame_id, db.encode(m.key, full), ts, m.is_extended)


def by_path(result):
    updates, rejections = result
    return {u.path: u.value for u in updates}, [(r.reason.value, r.path) for r in rejections]


def test_kuksas_mapping_file_loads_whole():
    _, mapping = model3()
    assert len(mapping.entries) == 32
    assert {w.path for w in mapping.writes} == {
        "Vehicle.Body.Mirrors.DriverSide.Pan",
        "Vehicle.Body.Mirrors.DriverSide.Tilt",
        "Vehicle.Body.Trunk.Rear.IsOpen",
    }  # vss2dbc, parsed and kept for a writer
    assert mapping.entry(SPEED).interval_ms == 100 and mapping.entry(SPEED).on_change is False
    assert mapping.entry("Vehicle.Trailer.IsConnected").interval_ms == 3000


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_kuksas_mapping_decodes_real_frames_as_kuksa_does(tmp_path_factory, data):
    db, mapping = model3()
    entries = oracle_entries(mapping)
    keys = tuple(sorted(mapping.frame_ids))
    key, f = data.draw(frames(Case("kuksa", False, db, tmp_path_factory.getbasetemp(), entries), keys))
    want = expected(db, key, f.data, entries)
    assert want is not None
    got, rejections = by_path(Decoder(db, mapping).decode(f))
    assert got == want[0] and all(type(got[p]) is type(v) for p, v in want[0].items())
    assert sorted(r for r, _ in rejections) == sorted(want[1])


def test_speed_decodes_and_its_sna_state_withdraws_only_the_speed():
    db, mapping = model3()
    decoder = Decoder(db, mapping)
    got, rejections = by_path(decoder.decode(frame(db, "ID257DIspeed", DI_uiSpeed=88)))
    assert got[SPEED] == 88.0 and got["Vehicle.OBD.Speed"] == 88.0 and rejections == []
    got, rejections = by_path(decoder.decode(frame(db, "ID257DIspeed", 1.1, DI_uiSpeed=511)))
    assert SPEED not in got and ("not_available", SPEED) in rejections
    state = VehicleState.for_decoder(decoder)
    state.apply([SignalUpdate(SPEED, 88.0, "km/h", 1.0)])
    state.reject(decoder.decode(frame(db, "ID257DIspeed", 1.1, DI_uiSpeed=511))[1])
    snap = state.snapshot(1.15)
    assert snap.value(SPEED) is None and snap.signals[SPEED].reason == "not available: DI_UI_SPEED_SNA"
    assert snap.display(SPEED) == "--"


def test_zero_degrees_is_a_temperature_and_sna_is_not():
    db, mapping = model3()
    decoder = Decoder(db, mapping)
    # VCFRONT_tempAmbientFiltered: (0.5, -40) with VAL_ 0 "SNA". Raw 80 is 0 °C, raw 0 the SNA state.
    got, _ = by_path(decoder.decode(frame(db, "ID321VCFRONT_sensors", VCFRONT_tempAmbientFiltered=0.0)))
    assert got[AMBIENT] == 0.0
    got, rejections = by_path(decoder.decode(frame(db, "ID321VCFRONT_sensors", VCFRONT_tempAmbientFiltered=-40.0)))
    assert AMBIENT not in got and ("not_available", AMBIENT) in rejections


def test_a_signal_in_two_messages_is_fed_from_both():
    db, mapping = model3()
    assert len(db.find_signals("CP_hvChargeStatus")) == 2
    decoder = Decoder(db, mapping)
    for name, state in (("ID23DCP_chargeStatus", "CP_CHARGE_ENABLED"), ("ID13DCP_chargeStatus", "CP_CHARGE_INACTIVE")):
        got, _ = by_path(decoder.decode(frame(db, name, CP_hvChargeStatus=state)))
        assert got[CHARGING] is (state == "CP_CHARGE_ENABLED"), name


def test_mapping_transform_looks_up_names_and_drops_unlisted_values():
    db, mapping = model3()
    decoder = Decoder(db, mapping)
    got, _ = by_path(decoder.decode(frame(db, "ID118DriveSystemStatus", DI_gear="DI_GEAR_D")))
    assert got[GEAR] == 1 and got["Vehicle.Powertrain.Transmission.IsParkLockEngaged"] is False
    got, rejections = by_path(decoder.decode(frame(db, "ID118DriveSystemStatus", DI_gear="DI_GEAR_N")))
    assert GEAR not in got and ("unmapped_value", GEAR) in rejections  # KUKSA's mapping lists no DI_GEAR_N


def test_math_transform_is_kuksas():
    db, mapping = model3()
    got, _ = by_path(Decoder(db, mapping).decode(frame(db, "ID129SteeringAngle", SteeringAngle129=-12.5)))
    assert got["Vehicle.Chassis.SteeringWheel.Angle"] == -12  # floor(x+0.5), int16


# --- forwarding: interval_ms and on_change as the provider applies them ------------------------------------


def forwarded(rules, values):
    state = VehicleState({"P": 0.1}, notify_rules={"P": rules})
    return [u.value for t, v in values for u in state.apply([SignalUpdate("P", v, "", t)])]


def test_interval_lets_one_value_per_interval_through():
    assert forwarded((100, False), [(0.0, 1), (0.05, 2), (0.1, 3), (0.15, 4), (0.2, 5)]) == [1, 3, 5]


def test_interval_with_on_change_keeps_the_last_change():
    # 2 arrives inside the interval and is held back; at 0.1 it still differs from what was forwarded (1),
    # so it goes out. Comparing with the last *received* value (2) instead would lose the change for good.
    assert forwarded((100, True), [(0.0, 1), (0.05, 2), (0.1, 2), (0.2, 2)]) == [1, 2]


def test_on_change_alone_forwards_every_change():
    assert forwarded((0, True), [(0.0, 1), (0.01, 1), (0.02, 2), (0.03, 1)]) == [1, 2, 1]


@pytest.mark.parametrize("spec, interval", [({}, 1000), ({"on_change": True}, 0), ({"interval_ms": 20}, 20)])
def test_interval_defaults_are_kuksas(tmp_path, spec, interval):
    from tests.can.test_can_mapping import _speed, _write

    db = CanDatabase.load()
    mapping = load_mapping(db, _write(tmp_path, _speed({"signal": "VCU_VehicleSpeed"} | spec)))
    assert mapping.entry("Vehicle.Speed").interval_ms == interval
