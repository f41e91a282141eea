"""What fuzzing found in the CAN layer's inputs (issue 19), kept as tests: a mapping file, a ``math``
transform or a frame from outside either works or is the package's own error / a counted rejection
with a reason — never another exception, a hang, or a value outside its VSS datatype."""

import json
import math
import time

import pytest

from ivi.can import CanDatabase, Decoder, Frame, MappingError, load_mapping
from ivi.can.decoder import RejectReason
from ivi.can.expression import compile_math
from ivi.can.vss import coerce

#: A two-message DBC: a signed and an unsigned 64-bit integer, and a signed scaled value.
HOSTILE_DBC = """VERSION ""
NS_ :
BS_:
BU_: ECU HU
BO_ 256 Wide: 8 ECU
 SG_ Signed64 : 0|64@1- (1,0) [0|0] "" HU
BO_ 257 Unsigned: 8 ECU
 SG_ Unsigned64 : 0|64@1+ (1,0) [0|0] "" HU
BO_ 258 Scaled: 2 ECU
 SG_ Current : 0|16@1- (0.5,0) [-1000|1000] "A" HU
"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> CanDatabase:
    p = tmp_path_factory.mktemp("dbc") / "hostile.dbc"
    p.write_text(HOSTILE_DBC)
    return CanDatabase.load(p)


def _doc(leaves: dict) -> dict:
    return {"Vehicle": {"type": "branch", "children": leaves}}


def _leaf(signal: str, datatype: str = "float", transform: dict | None = None, **node) -> dict:
    dbc2vss = {"signal": signal, "interval_ms": 0} | ({"transform": transform} if transform else {})
    return {"type": "sensor", "datatype": datatype, "dbc2vss": dbc2vss} | node


def _load(tmp_path, db, doc_or_text) -> object:
    p = tmp_path / "m.json"
    if isinstance(doc_or_text, bytes):
        p.write_bytes(doc_or_text)
    else:
        p.write_text(doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text))
    return load_mapping(db, p)


# --- the mapping loader: every problem a MappingError with a reason ------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"Vehicle": ' + "7" * 4400 + "}", "not valid JSON.*4300 digits"),
        ('{"a":' * 50_000 + "{}" + "}" * 50_000, "nested"),
        ("[" * 50_000, "nested|not valid JSON"),
        ('{"Vehicle": {"type": "branch", "children": {"\\ud800": {"type": "sensor"}}}}', "lone surrogate"),
    ],
    ids=["4400-digit integer", "deep objects", "deep arrays", "lone surrogate"],
)
def test_a_mapping_file_that_is_not_a_vss_tree_is_a_mapping_error(tmp_path, hostile_db, text, message):
    with pytest.raises(MappingError, match=message) as err:
        _load(tmp_path, hostile_db, text)
    str(err.value).encode("utf-8")  # printable: the CLI can show it


@pytest.mark.parametrize(
    "leaf, message",
    [
        (_leaf("Current", ["float"]), "needs a scalar datatype"),  # unhashable: was a TypeError
        (_leaf("Current", {"x": 1}), "needs a scalar datatype"),
        (_leaf("Current", "float", {"mapping": [{"from": 1, "to": "ECO"}]}), "'ECO' is not a float value"),
        (_leaf("Current", "int8", {"mapping": [{"from": 1, "to": 1e76}]}), "does not fit int8"),
        (_leaf("Current", "uint8", {"mapping": [{"from": 1, "to": 256}]}), "256 does not fit uint8"),
        (_leaf("Current", "uint8", {"mapping": [{"from": 1, "to": [1]}]}), "a list is not a uint8"),
        (_leaf("Current", "string", {"mapping": [{"from": 1, "to": {"a": 1}}]}), "a dict is not a string"),
        (_leaf("Current", "float", min=float("nan")), "finite"),
        (_leaf("Current", "float", min=2**1400), "not a finite number"),
        (_leaf("Current", "float", min=5, max=1), "min 5 is above max 1"),
        (_leaf("Current", "float", unit=["A"]), "unit must be a string"),
        (
            {"type": "sensor", "datatype": "float", "dbc2vss": {"signal": "Current", "interval_ms": 10**30}},
            "interval_ms must be an integer from 0",
        ),
    ],
)
def test_values_a_mapping_cannot_carry_are_refused_at_load(tmp_path, hostile_db, leaf, message):
    with pytest.raises(MappingError, match=message) as err:
        _load(tmp_path, hostile_db, _doc({"I": leaf}))
    assert "Vehicle.I" in str(err.value)


def test_mapping_to_values_of_the_right_type_load(tmp_path, hostile_db):
    doc = _doc(
        {
            "A": _leaf("Current", "int8", {"mapping": [{"from": 1, "to": -128}, {"from": 2, "to": 12.6}]}),
            "B": _leaf("Current", "boolean", {"mapping": [{"from": 1, "to": True}, {"from": 2, "to": 0}]}),
            "C": _leaf("Current", "string", {"mapping": [{"from": 1, "to": "ECO"}, {"from": 2, "to": 3}]}),
        }
    )
    assert len(_load(tmp_path, hostile_db, doc).entries) == 3


# --- math transforms: bounded cost, and every output checked against the VSS datatype ----------------------

SIGNAL_VALUES = [0, 1, -1, 2, 3, 255, 2**63 - 1, -(2**63), 2**64 - 1, 0.5, -1.5, 1e300, -1e300]


@pytest.mark.parametrize(
    "expr",
    [
        "(((x**64)**64)**63)**63",
        "(((x^64)^64)^63)^63",
        "(x^63)*(x^63)*(x^63)*(x^63)*(x^63)*(x^63)*(x^63)*(x^63)",
        "((x^63)*(x^63)*(x^63)*(x^63))^2",
        "((x^63)*(x^63))*((x^63)*(x^63))*((x^63)*(x^63))*((x^63)*(x^63)) % 7",
        "pyt(x^63 * x^63 * x^63, x^63 * x^63 * x^63)",
        "fac(170) * fac(170) * fac(170) * fac(170) * fac(170) ^ 3",
    ],
)
def test_hostile_expressions_cost_microseconds_on_every_signal_value(expr):
    fn = compile_math(expr)
    for x in SIGNAL_VALUES:
        t = time.perf_counter()
        try:
            out = fn(x)
        except (ArithmeticError, ValueError, TypeError):
            pass
        else:
            assert isinstance(out, (int, float, str))
            assert not isinstance(out, int) or out.bit_length() <= 4 * 4096
        assert time.perf_counter() - t < 0.05, (expr, x)


def test_a_complex_result_is_an_error_not_a_value():
    with pytest.raises(TypeError, match="not a number"):
        compile_math("x ** 0.5")(-4.0)
    assert compile_math("x ** 0.5")(4.0) == 2.0


@pytest.mark.parametrize(
    "datatype, value, error",
    [
        ("float", "ECO", TypeError),
        ("int8", 1e76, ValueError),
        ("int8", 128, ValueError),
        ("uint64", -1, ValueError),
        ("int64", 2**4000, ValueError),
        ("float", 2**4000, ValueError),
        ("double", math.inf, ValueError),
        ("float", math.nan, ValueError),
        ("int32", math.nan, ValueError),
        ("string", 2**16000, ValueError),
        ("string", "x" * 5000, ValueError),
        ("boolean", [1], TypeError),
        ("float", 1j, TypeError),
    ],
    ids=lambda v: v[:12] if isinstance(v, str) else getattr(v, "__name__", type(v).__name__),
)
def test_coerce_refuses_what_a_vss_datatype_cannot_carry(datatype, value, error):
    with pytest.raises(error) as err:
        coerce(datatype, value)
    assert len(str(err.value)) < 200


def _decoder(tmp_path, db, leaves) -> Decoder:
    return Decoder(db, _load(tmp_path, db, _doc(leaves)))


@pytest.mark.parametrize(
    "expr, datatype, reason",
    [
        ("x ** 0.5", "float", RejectReason.TRANSFORM_FAILED),  # complex for a negative x
        ("x^63", "float", RejectReason.OUT_OF_RANGE),  # an integer past a float's range
        ("x^63", "int64", RejectReason.OUT_OF_RANGE),
        ("x^63 * x^63", "string", RejectReason.OUT_OF_RANGE),  # 2,352 digits: no VSS string
        ("(((x**64)**64)**63)**63", "float", RejectReason.TRANSFORM_FAILED),
        ("if(x < 0, 'ECO', x)", "float", RejectReason.TRANSFORM_FAILED),
        ("x * 1e300 * 1e300", "double", RejectReason.OUT_OF_RANGE),
    ],
)
def test_a_transform_output_that_does_not_fit_is_a_counted_rejection(tmp_path, hostile_db, expr, datatype, reason):
    dec = _decoder(tmp_path, hostile_db, {"V": _leaf("Signed64", datatype, {"math": expr})})
    payload = (-(2**62) - 12345).to_bytes(8, "little", signed=True)
    t = time.perf_counter()
    updates, rejections, accepted = dec.decode_batch([(256, payload, 1.0, False, False, False)] * 50)
    assert time.perf_counter() - t < 0.5
    assert updates == [] and accepted == 0
    assert len(rejections) == 50 and {r.reason for r in rejections} == {reason}
    assert all(r.path == "Vehicle.V" and r.detail for r in rejections)


def test_good_frames_pass_beside_rejected_ones(tmp_path, hostile_db):
    dec = _decoder(
        tmp_path,
        hostile_db,
        {
            "Root": _leaf("Current", "float", {"math": "x ** 0.5"}),
            "Wide": _leaf("Unsigned64", "uint8", {"math": "x % 256"}),
        },
    )
    frames = [
        (258, (-20).to_bytes(2, "little", signed=True), 1.0, False, False, False),  # -10 A: complex root
        (258, (32).to_bytes(2, "little", signed=True), 1.1, False, False, False),  # 16 A: 4.0
        (257, (2**64 - 1).to_bytes(8, "little"), 1.2, False, False, False),
    ]
    updates, rejections, accepted = dec.decode_batch(frames)
    assert [(u.path, u.value) for u in updates] == [("Vehicle.Root", 4.0), ("Vehicle.Wide", 255)]
    assert [r.reason for r in rejections] == [RejectReason.TRANSFORM_FAILED] and accepted == 2
    assert Frame(258, b"", 0.0)  # the plain-data frame type stays importable with the batch path


# --- logs: a frame no bus could carry is a bad line, not a frame -------------------------------------------


def test_a_log_frame_that_cannot_exist_is_skipped_with_a_reason(tmp_path):
    from ivi.can.logs import read_log_batches

    log = tmp_path / "x.log"
    log.write_text("(1.000000) can0 7FF#00\n(nan) can0 100#0011\n(2.000000) can0 123#0011\n(inf) can0 124#00\n")
    bad: list[str] = []
    frames = [f for batch in read_log_batches(log, on_bad_line=bad.append) for f in batch]
    assert [(f[0], f[2]) for f in frames] == [(0x7FF, 1.0), (0x123, 2.0)]
    assert bad == [
        "the frame after 1 good ones: time nan is not a number",
        "the frame after 2 good ones: time inf is not a number",
    ]
