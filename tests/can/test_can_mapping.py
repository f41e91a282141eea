import json
from pathlib import Path

import pytest

from ivi.can import CanDatabase, DatabaseError, Decoder, Frame, MappingError, TransformError, load_mapping

DATA = Path(__file__).parent / "data"


def test_bundled_mapping_covers_the_issue_signals(mapping):
    for path in [
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
        "Vehicle.Speed",
        "Vehicle.CurrentLocation.Latitude",
        "Vehicle.CurrentLocation.Longitude",
        "Vehicle.CurrentLocation.Heading",
        "Vehicle.TraveledDistance",
        "Vehicle.Exterior.AirTemperature",
        "Vehicle.Powertrain.Transmission.SelectedGear",
        "Vehicle.Powertrain.TractionBattery.Charging.IsCharging",
        "Vehicle.Powertrain.TractionBattery.Temperature.Min",
        "Vehicle.Powertrain.TractionBattery.Temperature.Max",
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy",
    ]:
        assert mapping.entry(path)


def test_cycle_times_come_from_the_dbc(database, mapping):
    assert mapping.entry("Vehicle.Speed").cycle_time_ms == 20
    assert mapping.entry("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed").cycle_time_ms == 100
    assert mapping.entry("Vehicle.CurrentLocation.Latitude").cycle_time_ms == 1000


def _speed(dbc2vss, **node) -> dict:
    """A one-signal VSS tree: Vehicle.Speed fed as ``dbc2vss`` says."""
    leaf = {"type": "sensor", "datatype": "float", "dbc2vss": dbc2vss} | node
    return {"Vehicle": {"type": "branch", "children": {"Speed": leaf}}}


def _write(tmp_path, doc) -> Path:
    p = tmp_path / "m.json"
    p.write_text(json.dumps(doc))
    return p


def test_mapping_naming_a_missing_signal_says_which(tmp_path, database):
    doc = {
        "Vehicle": {
            "type": "branch",
            "children": {"Speed": {"type": "sensor", "dbc2vss": {"signal": "VCU_VehicleSped"}}},
        }
    }
    with pytest.raises(
        MappingError, match=r"Vehicle\.Speed: signal 'VCU_VehicleSped' is not in .*did you mean VCU_VehicleSpeed"
    ):
        load_mapping(database, _write(tmp_path, doc))


@pytest.mark.parametrize(
    "doc, match",
    [
        ("{not json", "not valid JSON"),
        ([1, 2], "expected a VSS JSON tree"),
        ({"Vehicle": {"type": "branch", "children": {}}}, "no VSS signal carries"),
        (_speed({"signal": "VCU_VehicleSpeed", "interval_ms": -5}), "interval_ms"),
        (_speed({"signal": "VCU_VehicleSpeed", "transform": {"math": "__import__('os')"}}), "does not parse"),
        ({"Vehicle": {"children": {"Speed": {"dbc2vss": {"signal": "VCU_VehicleSpeed"}}}}}, "has no VSS 'type'"),
    ],
)
def test_malformed_mappings_are_refused(tmp_path, database, doc, match):
    p = tmp_path / "m.json"
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    with pytest.raises(MappingError, match=match):
        load_mapping(database, p)


def test_unsafe_transform_is_a_transform_error(tmp_path, database):
    doc = _speed({"signal": "VCU_VehicleSpeed", "transform": {"math": "open('x')"}})
    with pytest.raises(TransformError, match="unknown name 'open'"):
        load_mapping(database, _write(tmp_path, doc))


@pytest.mark.parametrize("text", ["this is not a dbc file\nBO_ what", "BO_ 12 X: 8 Y\n SG_ broken : a|b"])
def test_dbc_that_does_not_parse(tmp_path, text):
    p = tmp_path / "bad.dbc"
    p.write_text(text)
    with pytest.raises(DatabaseError, match=r"bad\.dbc"):
        CanDatabase.load(p)


def test_missing_dbc(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        CanDatabase.load(tmp_path / "nope.dbc")


def test_second_car_works_with_its_own_dbc_and_mapping_without_code_changes():
    db = CanDatabase.load(DATA / "othercar.dbc")
    decoder = Decoder(db, load_mapping(db, DATA / "othercar_vss.json"))
    energy, drive = db.message_by_name("BMU_Energy"), db.message_by_name("GW_Drive")
    assert energy.is_extended and decoder.can_filters()[0]["extended"] is True
    data = db.encode(energy.key, {"BMU_UserSoc": 63.5, "BMU_PackVolt": 402.25, "BMU_PackAmp": -150.0})
    updates, rejections = decoder.decode(Frame(energy.frame_id, data, 5.0, is_extended=True))
    assert rejections == []
    got = {u.path: u.value for u in updates}
    assert got == {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 63.5,
        "Vehicle.Powertrain.TractionBattery.CurrentVoltage": 402.25,
        "Vehicle.Powertrain.TractionBattery.CurrentCurrent": -150.0,
    }
    data = db.encode(drive.key, {"GW_SpeedMph": 62.5, "GW_DriveMode": 2})
    got = {u.path: u.value for u in decoder.decode(Frame(drive.frame_id, data, 5.0, is_extended=True))[0]}
    assert got["Vehicle.Speed"] == pytest.approx(100.584) and got["Vehicle.Driver.DriveMode"] == "SPORT"
