"""Unit registry: the conversions the brief names, normalisation, and factor algebra."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench import schema
from workbench.ingest import units

SYMBOLS = sorted(units.UNITS)
BASES = sorted({u.base for u in units.UNITS.values()})


@pytest.mark.parametrize(("src", "dst", "expected"), [
    ("kcal/kg", "GJ/t", 4.1868e-3), ("MJ/kg", "GJ/t", 1.0), ("kJ/kg", "GJ/t", 1e-3),
    ("万吨", "t", 1e4), ("千吨", "t", 1e3), ("kt", "t", 1e3), ("万千瓦", "MW", 10.0),
    ("kW", "MW", 1e-3), ("万千瓦时", "MWh", 10.0), ("kWh", "MWh", 1e-3),
    ("千瓦时", "MWh", 1e-3), ("兆瓦时", "MWh", 1.0), ("GWh", "MWh", 1e3),
    ("万Nm3", "knm3", 10.0), ("万立方米", "knm3", 10.0), ("Nm3", "knm3", 1e-3),
    ("GJ/万Nm3", "GJ/knm3", 0.1), ("MJ", "GJ", 1e-3), ("百万千焦", "GJ", 1.0),
    ("%", "1", 0.01), ("tC/TJ", "tC/GJ", 1e-3), ("kgC/GJ", "tC/GJ", 1e-3),
    ("kcal/kg", "MJ/kg", 4.1868e-3),
])
def test_named_conversions(src, dst, expected):
    assert units.factor(src, dst) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("spelling", ["万Nm³", "万 Nm3", "万ＮＭ３", "万nm^3", "10⁴Nm³", "10^4 m3"])
def test_spellings_of_one_unit_normalise_to_it(spelling):
    assert units.lookup(spelling).symbol == "万Nm3"


@pytest.mark.parametrize("spelling", ["ＫＣＡＬ／ＫＧ", " kcal/kg ", "KCal/Kg", "大卡/千克"])
def test_full_width_case_and_chinese_spellings(spelling):
    assert units.lookup(spelling).symbol == "kcal/kg"


def test_every_parameter_and_column_unit_is_registered():
    for p in schema.PARAMETERS.values():
        assert units.lookup(p.unit).symbol == p.unit
    for t in schema.TABLES.values():
        for c in t.columns:
            if c.unit:
                assert units.lookup(c.unit).symbol == c.unit


@pytest.mark.parametrize("bad", ["furlong", "", "吨标煤", "kcal"])
def test_unknown_units_raise(bad):
    with pytest.raises(units.UnitError):
        units.lookup(bad)


def test_units_of_different_quantities_do_not_convert():
    with pytest.raises(units.UnitError, match="cannot be converted"):
        units.factor("kWh", "t")
    with pytest.raises(units.UnitError):
        units.factor("GJ", "MWh")  # heat in MWh is not guessed


same_base = st.sampled_from(BASES).flatmap(
    lambda b: st.lists(st.sampled_from([s for s in SYMBOLS if units.UNITS[s].base == b]),
                       min_size=3, max_size=3))


@given(same_base)
def test_factors_are_consistent(triple):
    a, b, c = triple
    assert units.factor(a, b) * units.factor(b, a) == pytest.approx(1.0, rel=1e-12)
    assert units.factor(a, b) * units.factor(b, c) == pytest.approx(units.factor(a, c),
                                                                    rel=1e-12)
    assert units.factor(a, a) == 1.0


@given(same_base, st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_values_round_trip(pair, x):
    a, b = pair[0], pair[1]
    back = x * units.factor(a, b) * units.factor(b, a)
    assert math.isclose(back, x, rel_tol=1e-12, abs_tol=1e-300)


@given(st.sampled_from(SYMBOLS), st.sampled_from(SYMBOLS))
def test_factor_defined_exactly_when_bases_match(a, b):
    if units.UNITS[a].base == units.UNITS[b].base:
        assert units.factor(a, b) > 0
    else:
        with pytest.raises(units.UnitError):
            units.factor(a, b)
