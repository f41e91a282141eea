import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivi.can.errors import MappingError, TransformError
from ivi.can.transform import UNMAPPED, compile_mapping, compile_math, compile_transform


@pytest.mark.parametrize(
    "expr, x, expected",
    [
        ("-x", 12.5, -12.5),
        ("x * 60", 3, 180),
        ("(x - 32) / 1.8", 212, 100.0),
        ("floor(x / 2)", 7, 3),
        ("max(0, min(100, x))", 140, 100),
        ("x ** 2", 3, 9),
        ("x > 10", 11, True),
    ],
)
def test_math_transforms_compute(expr, x, expected):
    assert compile_math(expr)(x) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os').system('true')",
        "x.__class__",
        "open('/etc/passwd')",
        "(lambda: 1)()",
        "[x for x in ()]",
        "y + 1",
        "'a' * 3",
        "x if x else 1",
        "eval('1')",
        "globals()",
        "",
    ],
)
def test_unsafe_or_foreign_expressions_are_refused(expr):
    with pytest.raises(TransformError):
        compile_math(expr)


def test_huge_power_fails_at_runtime_not_forever():
    with pytest.raises(ArithmeticError):
        compile_math("x ** 1000000")(10)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e3, 1e3, allow_nan=False))
def test_linear_transform_matches_python(x, k):
    assert compile_math(f"x * {k!r} + 1")(x) == pytest.approx(x * k + 1)


def test_mapping_lookup_and_unmapped():
    f = compile_mapping([{"from": "D", "to": 127}, {"from": 3, "to": "three"}])
    assert f("D") == 127 and f(3.0) == "three" and f("X") is UNMAPPED


@pytest.mark.parametrize("spec", [{"math": "x", "mapping": []}, {"foo": 1}, "x*2", {"mapping": [{"from": 1}]}])
def test_bad_transform_objects_are_mapping_errors(spec):
    with pytest.raises(MappingError):
        compile_transform(spec)
