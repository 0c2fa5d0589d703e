"""Cement clinker accounting: the worked examples of sectors-2025.md §3.2 and §3.4, and the
algebra of every formula (deductions lower the EF, biomass is not counted, vector == scalar)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.accounting import cement
from workbench.config import load_config
from workbench.factors import factors

cao = st.floats(55.0, 70.0)
mgo = st.floats(0.0, 5.0)
nc = st.floats(0.0, 3.0)
tonnes = st.floats(0.0, 1e7)


# --- worked examples ----------------------------------------------------------------------

def test_ef_from_chemistry_of_the_notes():
    # §3.2: CaO 65 %, CaO_nc 0.5 %, MgO 1.5 % -> 0.523 tCO2/t clinker
    by_hand = (65 - 0.5) / 100 * 44 / 56 + 1.5 / 100 * 44 / 40
    assert by_hand == pytest.approx(0.523, abs=0.0005)
    assert cement.clinker_ef_from_oxides(65.0, 1.5, 0.5) == pytest.approx(by_hand)


def test_deduction_factor_of_slaked_lime_from_its_cao():
    # §3.2 [U]: Ca(OH)2 with 75.7 % CaO -> 0.595 (table DF 0.600)
    assert cement.deduction_factor_from_oxides(75.7) == pytest.approx(0.595, abs=0.0005)
    cfg = load_config()
    assert factors(cfg, "cement")["df_slaked_lime"] == 0.600


def test_default_ef_and_deductions_of_a_portland_line():
    cfg = load_config()
    efs = factors(cfg, "cement", kind="clinker_ef")
    dfs = factors(cfg, "cement", kind="deduction")
    ef = cement.default_clinker_ef("portland", efs)
    assert ef == 0.535 and cement.default_clinker_ef("white_portland", efs) == 0.550
    # §3.2: E = Q × EF − Σ AD × DF; 100,000 t clinker, 5,000 t carbide slag (0.480) and
    # 2,000 t steel slag (0.215)
    ded = cement.substitutes_deduction_t({"carbide_slag": 5000.0, "df_steel_slag": 2000.0}, dfs)
    assert ded == pytest.approx(5000 * 0.480 + 2000 * 0.215)
    e = cement.clinker_process_co2_t(100_000.0, ef, ded)
    assert e == pytest.approx(100_000 * 0.535 - 5000 * 0.480 - 2000 * 0.215)
    with pytest.raises(KeyError, match="limestone"):
        cement.substitutes_deduction_t({"limestone": 1.0}, dfs)
    with pytest.raises(KeyError, match="grey"):
        cement.default_clinker_ef("grey", efs)


def test_fuel_intensity_of_a_level_1_line():
    # §3.4: 94 kgce/t clinker = 2.75 GJ/t; with bituminous coal CC 26.18 tC/TJ and OF 1 that is
    # about 0.26 tCO2/t, and with the Portland default about 0.80 tCO2/t clinker in total
    gj_per_t = 0.094 * 29.3076
    assert gj_per_t == pytest.approx(2.75, abs=0.01)
    q = 1000.0
    e_fuel = cement.fuel_co2_t(q * gj_per_t / 25.0, 25.0, 0.02618, 1.0)
    assert e_fuel / q == pytest.approx(0.264, abs=0.001)
    e = cement.clinker_co2_t(e_fuel, 0.0, cement.clinker_process_co2_t(q, 0.535))
    assert cement.intensity_tco2_per_t_clinker(e, q) == pytest.approx(0.535 + 0.264, abs=0.001)
    assert np.isnan(cement.intensity_tco2_per_t_clinker(e, 0.0))


def test_the_2013_terms_dust_and_raw_meal_carbon():
    # §3.2 (2013 form): EF × (Q + kiln-head dust + bypass dust); raw meal × TOC × 44/12
    assert cement.process_co2_oxide_method_t(1000.0, 0.52, 10.0, 5.0) == pytest.approx(
        0.52 * 1015.0)
    assert cement.raw_meal_toc_co2_t(1550.0, 0.1) == pytest.approx(1550 * 0.001 * 44 / 12)


# --- properties ---------------------------------------------------------------------------

@given(cao, mgo, nc, nc, st.floats(0.01, 2.0))
def test_clinker_ef_decreases_in_the_non_carbonate_shares(ca, mg, ca_nc, mg_nc, more):
    base = cement.clinker_ef_from_oxides(ca, mg, ca_nc, mg_nc)
    assert cement.clinker_ef_from_oxides(ca, mg, ca_nc + more, mg_nc) < base
    assert cement.clinker_ef_from_oxides(ca, mg, ca_nc, mg_nc + more) < base


@given(cao, mgo, nc, nc)
def test_non_carbonate_oxide_removes_its_own_deduction_factor(ca, mg, ca_nc, mg_nc):
    assert cement.clinker_ef_from_oxides(ca, mg, ca_nc, mg_nc) == pytest.approx(
        cement.clinker_ef_from_oxides(ca, mg) - cement.deduction_factor_from_oxides(ca_nc, mg_nc))


@given(tonnes, st.floats(0.2, 0.6), tonnes, st.floats(0.05, 0.6), st.floats(1.0, 1e5))
def test_process_co2_decreases_in_deductions_and_the_floor_holds(q, ef, ad, df, more):
    ded = cement.substitutes_deduction_t({"carbide_slag": ad}, {"carbide_slag": df})
    ded_more = cement.substitutes_deduction_t({"carbide_slag": ad + more}, {"carbide_slag": df})
    assert cement.clinker_process_co2_t(q, ef, ded_more) < cement.clinker_process_co2_t(q, ef, ded)
    assert cement.clinker_process_co2_t(q, ef, ded_more, floor_at_zero=True) >= 0.0


@given(tonnes, st.floats(0.2, 0.6), tonnes, st.floats(0.05, 0.6), st.floats(0.0, 100.0))
def test_process_co2_is_linear_in_output(q, ef, ad, df, k):
    ded = cement.substitutes_deduction_t({"steel_slag": ad}, {"steel_slag": df})
    ded_k = cement.substitutes_deduction_t({"steel_slag": ad * k}, {"steel_slag": df})
    assert cement.clinker_process_co2_t(q * k, ef, ded_k) == pytest.approx(
        k * cement.clinker_process_co2_t(q, ef, ded), rel=1e-9, abs=1e-6)


@given(tonnes, st.floats(5.0, 40.0), st.floats(0.01, 0.04), st.floats(0.9, 1.0),
       st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_only_the_non_biomass_share_of_alternative_fuel_counts(ad, ncv, cc, of, f1, f2):
    fossil = cement.fuel_co2_t(ad, ncv, cc, of)
    assert cement.alt_fuel_co2_t(ad, ncv, cc, of, 0.0) == pytest.approx(fossil)
    assert cement.alt_fuel_co2_t(ad, ncv, cc, of, 1.0) == pytest.approx(0.0, abs=1e-9)
    lo, hi = sorted((f1, f2))
    assert (cement.alt_fuel_co2_t(ad, ncv, cc, of, hi)
            <= cement.alt_fuel_co2_t(ad, ncv, cc, of, lo) + 1e-9)


@given(tonnes, st.floats(0.3, 0.6), tonnes, tonnes)
def test_dust_adds_to_the_clinker_basis(q, ef, khd, bypass):
    assert cement.process_co2_oxide_method_t(q, ef, khd, bypass) >= (
        cement.process_co2_oxide_method_t(q, ef) - 1e-9)


@given(st.lists(st.tuples(cao, mgo, nc, st.floats(1.0, 1e6)), min_size=1, max_size=6))
def test_vector_equals_scalar(rows):
    ca, mg, ca_nc, q = (np.array(col) for col in zip(*rows, strict=True))
    vec = cement.clinker_ef_from_oxides(ca, mg, ca_nc)
    assert vec.tolist() == pytest.approx(
        [cement.clinker_ef_from_oxides(a, b, c) for a, b, c, _ in rows])
    qs = pd.Series(q, index=range(10, 10 + len(rows)))
    e = cement.clinker_process_co2_t(qs, vec, 0.0, floor_at_zero=True)
    inten = cement.intensity_tco2_per_t_clinker(e, qs)
    assert list(inten.index) == list(qs.index)
    assert inten.tolist() == pytest.approx(vec.tolist())
