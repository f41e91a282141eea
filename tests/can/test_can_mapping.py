import json
import re
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


# --- KUKSA's format, strictly: a mistake is an error at start-up, never a silently empty screen ----------------


@pytest.mark.parametrize(
    "dbc2vss, node, message",
    [
        ({"signal": "VCU_VehicleSpeed", "interval": 100}, {}, "unknown key 'interval' (did you mean 'interval_ms'?)"),
        ({"signal": "VCU_VehicleSpeed", "onchange": True}, {}, "did you mean 'on_change'"),
        ({"signal": "VCU_VehicleSpeed", "transfrom": {"math": "x"}}, {}, "did you mean 'transform'"),
        ({"signal": "VCU_VehicleSpeed", "transform": {"math": "x // 2"}}, {}, "does not parse"),
        ({"signal": "VCU_VehicleSpeed", "transform": {"mapping": [{"form": 1, "to": 2}]}}, {}, "did you mean 'from'"),
        ({"signal": "VCU_VehicleSpeed", "on_change": "yes"}, {}, "on_change must be true or false"),
        ({"signal": "VCU_VehicleSpeed", "interval_ms": 1.5}, {}, "interval_ms must be an integer from 0 to"),
        ({"signal": "VCU_VehicleSpeed"}, {"datatype": None}, "needs a scalar datatype, it has no datatype"),
        ({"signal": "VCU_VehicleSpeed"}, {"datatype": "float[]"}, "it has datatype 'float[]'"),
        ({"signal": "VCU_VehicleSpeed"}, {"dbc": {"signal": "VCU_VehicleSpeed"}}, "both 'dbc' and 'dbc2vss'"),
        ({"signal": "VCU_VehicleSpeed"}, {"vss2dbc": {"signal": "VCU_VehicleSpeed"}}, "only allowed on actuators"),
        ({"signal": "VCU_VehicleSpeed"}, {"vss2dbc_": {"signal": "x"}}, "did you mean 'vss2dbc'"),
        ({"signal": ""}, {}, "signal must be a DBC signal name"),
        (
            {"signal": "VCU_VehicleSpeed", "multiplexer": [{"signal": "BMS_PackVoltage", "value": 1}]},
            {},
            "not in the same CAN messages",
        ),
        (
            {"signal": "VCU_VehicleSpeed", "multiplexer": [{"signal": "VCU_VehicleSpeedValid", "value": "1"}]},
            {},
            "multiplexer value must be an integer",
        ),
        (
            {"signal": "VCU_VehicleSpeed", "multiplexer": [{"signal": "VCU_VehicleSpeedValid", "valu": 1}]},
            {},
            "did you mean 'value'",
        ),
    ],
)
def test_mistakes_in_a_mapping_name_the_path_and_the_key(tmp_path, database, dbc2vss, node, message):
    doc = _speed(dbc2vss, **node)
    leaf = doc["Vehicle"]["children"]["Speed"]
    for key in [k for k, v in node.items() if v is None]:
        del leaf[key]
    with pytest.raises(MappingError, match=re.escape(message)) as err:
        load_mapping(database, _write(tmp_path, doc))
    assert "Vehicle.Speed" in str(err.value)


def test_a_misspelt_dbc2vss_is_not_silently_ignored(tmp_path, database):
    doc = {"Vehicle": {"type": "branch", "children": {"Speed": {"type": "sensor", "datatype": "float", "dbc2vs": {}}}}}
    with pytest.raises(MappingError, match=r"Vehicle\.Speed: unknown key 'dbc2vs' \(did you mean 'dbc2vss'\?\)"):
        load_mapping(database, _write(tmp_path, doc))


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_mapping_is_an_error_not_a_crash(tmp_path, database, depth):
    p = tmp_path / "deep.json"
    p.write_text('{"a":' * depth + "{}" + "}" * depth)
    with pytest.raises(MappingError, match="nested"):
        load_mapping(database, p)


def test_kuksa_multiplexer_filter_takes_values_only_from_matching_frames(tmp_path):
    """KUKSA's README example: one tyre-pressure signal, the wheel told by two selector signals."""
    dbc = tmp_path / "tire.dbc"
    dbc.write_text(
        'VERSION ""\n\nBS_:\n\nBU_: TPMS\n\nBO_ 2566845694 TIRE1: 8 TPMS\n'
        ' SG_ Pressure : 8|8@1+ (4,0) [0|1000] "kPa" TPMS\n'
        ' SG_ TireLocation : 0|4@1+ (1,0) [0|15] "" TPMS\n'
        ' SG_ AxleLocation : 4|4@1+ (1,0) [0|15] "" TPMS\n'
    )
    wheel = "Vehicle.Chassis.Axle.Row2.Wheel.Pos1.Tire.Pressure"
    leaf = {
        "type": "sensor",
        "datatype": "float",
        "dbc2vss": {
            "signal": "Pressure",
            "interval_ms": 0,
            "multiplexer": [{"signal": "TireLocation", "value": 0}, {"signal": "AxleLocation", "value": 1}],
        },
    }
    doc = {"Vehicle": {"type": "branch", "children": {"Chassis": {"type": "branch", "children": {}}}}}
    node = doc["Vehicle"]["children"]["Chassis"]["children"]
    node["Axle"] = {"type": "branch", "children": {"Row2": {"type": "branch", "children": {}}}}
    node["Axle"]["children"]["Row2"]["children"]["Wheel"] = {
        "type": "branch",
        "children": {
            "Pos1": {"type": "branch", "children": {"Tire": {"type": "branch", "children": {"Pressure": leaf}}}}
        },
    }
    db = CanDatabase.load(dbc)
    decoder = Decoder(db, load_mapping(db, _write(tmp_path, doc)))
    key = db.message_by_name("TIRE1").key
    for tire, axle, pressure, shown in [(0, 1, 240, True), (1, 1, 200, False), (0, 0, 180, False)]:
        data = db.encode(key, {"Pressure": pressure, "TireLocation": tire, "AxleLocation": axle})
        updates, rejections = decoder.decode(Frame(key & 0x1FFFFFFF, data, 1.0, is_extended=True))
        assert rejections == [] and ({u.path: u.value for u in updates} == {wheel: float(pressure)}) is shown


HOSTILE_DBC = """VERSION ""

BS_:

BU_: A

BO_ 256 M: 8 A
 SG_ A m1M : 0|8@1+ (1,0) [0|0] "" A
 SG_ B m1M : 8|8@1+ (1,0) [0|0] "" A
 SG_ C : 16|56@1+ (1,0) [0|0] "" A

SG_MUL_VAL_ 256 A B 1-1;
SG_MUL_VAL_ 256 B A 1-1;
"""


@pytest.mark.parametrize(
    "dbc, signal, message",
    [
        (HOSTILE_DBC, "A", "the multiplexers of A form a loop"),
        (
            HOSTILE_DBC.split("SG_MUL_VAL_", maxsplit=1)[0].replace(" m1M", ""),
            "C",
            "does not fit in the message's 8 bytes",
        ),
        (HOSTILE_DBC.replace("16|56", "16|70"), "C", "signal C starts at bit 16 and is 70 bits long"),
        (HOSTILE_DBC.replace("16|56", "16|536870911"), "C", "is 536870911 bits long"),  # cantools: GBs, minutes
        (HOSTILE_DBC.replace(": 8 A", ": 4294967295 A"), "C", "message M is 4294967295 bytes long"),
        (HOSTILE_DBC.replace("1-1;\nSG_MUL", "0-4294967295;\nSG_MUL"), "A", "more than 65,536 multiplexer values"),
        (HOSTILE_DBC.replace("(1,0)", "(1e999999999,0)"), "A", "the number 1e999999999 is beyond any range"),
    ],
)
def test_hostile_dbcs_are_one_error_line(tmp_path, dbc, signal, message):
    from click.testing import CliRunner

    from ivi.cli import main

    (tmp_path / "h.dbc").write_text(dbc)
    doc = {
        "Vehicle": {
            "type": "branch",
            "children": {"S": {"type": "sensor", "datatype": "double", "dbc2vss": {"signal": signal}}},
        }
    }
    mapping = _write(tmp_path, doc)
    (tmp_path / "x.log").write_text("(1.000000) can0 100#0011223344556677\n")
    args = ["can-dump", "--log", str(tmp_path / "x.log"), "--dbc", str(tmp_path / "h.dbc"), "--mapping", str(mapping)]
    res = CliRunner().invoke(main, [*args, "--lax-dbc"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert [line for line in res.output.splitlines() if line.startswith("Error:")] == [res.output.strip()]
    assert message in res.output
