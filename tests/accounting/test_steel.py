"""Steel accounting: the worked examples of sectors-2025.md §1.4 and §2.2, and the algebra of
every formula (linearity, identities, vector == scalar)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.accounting import steel
from workbench.config import load_config
from workbench.factors import apply_factors, factors, fuel_defaults

pos = st.floats(0.0, 1e7, allow_nan=False)
small = st.floats(0.001, 100.0)
k = st.floats(0.0, 1e3)


# --- worked examples ----------------------------------------------------------------------

def test_anthracite_line_of_the_reproduced_deposit():
    # §1.4: 2,317.68 t × 25.024 GJ/t × 0.02749 tC/GJ × 44/12 = 5,845.97 tCO2 (no OF)
    by_hand = 2317.68 * 25.024 * 0.02749 * 44 / 12
    assert by_hand == pytest.approx(5845.97, abs=0.005)
    assert steel.fuel_co2_t(2317.68, 25.024, 0.02749) == pytest.approx(5845.97, abs=0.005)


def test_enterprise_total_and_intensity_of_the_example_month():
    # §2.2: 1,229,176.10 + 32,394.60 − 47,513.21 = 1,214,057.49 tCO2 for 595,279 t crude steel
    e = steel.enterprise_co2_t(1_229_176.10, 32_394.60, 47_513.21)
    assert e == pytest.approx(1_214_057.49, abs=0.005)
    assert steel.intensity_tco2_per_t(e, 595_279) == pytest.approx(2.0395, abs=5e-5)
    assert steel.enterprise_identity_residual(1_214_057.49, 1_229_176.10, 32_394.60,
                                              47_513.21) == pytest.approx(0.0, abs=1e-6)
    # §2.6 check 6: deductions are usually 2-6 % of E_ent (3.9 % in the example)
    assert 47_513.21 / e == pytest.approx(0.039, abs=0.0005)


def test_summary_sheet_identity_of_the_example():
    # §2.2: 390,764.54 + 314,203.08 + 509,089.87 = 1,214,057.49
    residual = steel.summary_identity_residual(1_214_057.49, 390_764.54, 314_203.08, 509_089.87)
    assert residual == pytest.approx(0.0, abs=0.01)
    assert steel.summary_identity_residual(1_214_057.49, 390_764.54, 314_203.08,
                                           500_000.0) == pytest.approx(9_089.87)


def test_process_materials_and_deductions_from_the_table_in_force():
    cfg = load_config()
    inputs = factors(cfg, "steel", kind="input")
    deductions = factors(cfg, "steel", kind="deduction")
    # §2.3: 1,000 t limestone × 0.440 + 100 t electrode × 3.663 + 2,000 t pig iron × 0.172
    e_proc = steel.process_material_co2_t({"limestone": 1000.0, "electrode": 100.0,
                                           "pig_iron": 2000.0}, inputs)
    assert e_proc == pytest.approx(1000 * 0.440 + 100 * 3.663 + 2000 * 0.172)
    # crude steel 0.037 (2025 example), crude benzene 3.382, coal tar 2.699
    r = steel.product_deduction_t({"crude_steel": 595_279.0, "crude_benzene": 1000.0,
                                   "coal_tar": 3000.0}, deductions)
    assert r == pytest.approx(595_279 * 0.037 + 1000 * 3.382 + 3000 * 2.699)
    assert apply_factors(cfg, "steel", {"limestone": 1000.0}, kind="input") == pytest.approx(440)
    with pytest.raises(KeyError, match="crude_steel"):
        steel.process_material_co2_t({"crude_steel": 1.0}, inputs)   # a product is no input
    with pytest.raises(KeyError, match="crude_steel"):
        apply_factors(cfg, "steel", {"crude_steel": 1.0}, kind="input")


def test_fuels_with_the_default_table():
    cfg = load_config()
    bfg, cog = fuel_defaults(cfg, "bfg"), fuel_defaults(cfg, "cog")
    # §1.4: BFG 33.000 GJ/10^4 Nm3 × 70.80 tC/TJ; COG 173.54 × 12.10 (no OF in steel)
    e = steel.fuels_co2_t({"bfg": 10_000.0, "cog": 2_000.0},
                          {"bfg": bfg["ncv"], "cog": cog["ncv"]},
                          {"bfg": bfg["cc"], "cog": cog["cc"]})
    assert e == pytest.approx((10_000 * 33.0 * 0.0708 + 2_000 * 173.54 * 0.0121) * 44 / 12)
    with pytest.raises(KeyError, match="ldg"):
        steel.fuels_co2_t({"ldg": 1.0}, {"bfg": 1.0}, {"bfg": 1.0})


def test_a_coke_plant_balance_by_hand():
    # §2.2: E_p = (Σ_in m·C − Σ_out m·C) × 44/12; coal 100 t at 80 % C in, coke 75 t at 86 % C
    # and 4 (10^4 Nm3) COG at 173.54 × 0.0121 tC out
    cog_c = steel.gas_carbon_t_per_1e4nm3(173.54, 0.0121)
    e = steel.process_balance_co2_t({"coking_coal": (100.0, 0.80)},
                                    {"coke": (75.0, 0.86), "cog": (4.0, cog_c)})
    assert e == pytest.approx((80.0 - 75 * 0.86 - 4 * 173.54 * 0.0121) * 44 / 12)


def test_balances_of_several_processes():
    # §2.2: sinter with 5 t coke breeze (86 % C) and 10 t limestone (12 % C) in, none out;
    # a BOF with 900 t hot metal (4.5 % C) in and 1,000 t crude steel (0.2 % C) out
    out = steel.process_balances_co2_t({
        "sintering": ({"coke": (5.0, 0.86), "limestone": (10.0, 0.12)}, {}),
        "bof": ({"hot_metal": (900.0, 0.045)}, {"crude_steel": (1000.0, 0.002)}),
    })
    assert out["sintering"] == pytest.approx((5 * 0.86 + 10 * 0.12) * 44 / 12)
    assert out["bof"] == pytest.approx((900 * 0.045 - 1000 * 0.002) * 44 / 12)
    assert steel.sum_over_processes(out) == pytest.approx(out["sintering"] + out["bof"])
    with pytest.raises(KeyError, match="casting"):
        steel.process_balances_co2_t({"casting": ({}, {})})


def test_route_intensity_and_unknown_names():
    out = steel.intensity_by_route({"bf_bof": 2.0e6, "eaf": 3.0e4}, {"bf_bof": 1.0e6, "eaf": 2.0e5})
    assert out == {"bf_bof": pytest.approx(2.0), "eaf": pytest.approx(0.15)}
    assert np.isnan(steel.intensity_tco2_per_t(100.0, 0.0))
    with pytest.raises(KeyError, match="eaf needs both"):
        steel.intensity_by_route({"bf_bof": 1.0, "eaf": 1.0}, {"bf_bof": 1.0})
    with pytest.raises(KeyError, match="dri"):
        steel.intensity_by_route({"dri": 1.0}, {"dri": 1.0})
    with pytest.raises(KeyError, match="rolling"):
        steel.sum_over_processes({"rolling": 1.0})
    assert steel.sum_over_processes({"coking": 1.0, "captive_power": 2.0}) == 3.0
    assert set(steel.PROCESSES) >= {"coking", "sintering", "pelletising", "ironmaking", "bof",
                                    "eaf", "lime", "captive_power"}


# --- properties ---------------------------------------------------------------------------

@given(pos, small, st.floats(0.001, 0.1), k)
def test_fuel_co2_is_linear_in_consumption(ad, ncv, cc, factor):
    assert steel.fuel_co2_t(ad * factor, ncv, cc) == pytest.approx(
        factor * steel.fuel_co2_t(ad, ncv, cc), rel=1e-9, abs=1e-9)


@given(pos, small, st.floats(0.001, 0.1))
def test_exported_gas_is_its_carbon_as_co2(volume, ncv, cc):
    assert steel.exported_gas_deduction_t(volume, ncv, cc) == pytest.approx(
        steel.carbon_flow_t(volume, steel.gas_carbon_t_per_1e4nm3(ncv, cc)) * 44 / 12)


@given(pos, pos, pos)
def test_enterprise_identity_residual_is_zero_when_it_holds(e_fuel, e_proc, r_prod):
    e = steel.enterprise_co2_t(e_fuel, e_proc, r_prod)
    assert steel.enterprise_identity_residual(e, e_fuel, e_proc, r_prod) == pytest.approx(
        0.0, abs=1e-6)


@given(pos, pos, pos, st.floats(-1e5, 1e5))
def test_summary_residual_is_zero_when_the_identity_holds(process, captive, other, shift):
    e = process + captive + other
    assert steel.summary_identity_residual(e, process, captive, other) == pytest.approx(
        0.0, abs=1e-6)
    assert steel.summary_identity_residual(e + shift, process, captive, other) == pytest.approx(
        shift, abs=1e-6)


@given(st.floats(0.0, 1e6), st.floats(0.0, 1.0), st.floats(0.0, 1e6), st.floats(0.0, 1.0))
def test_a_balanced_process_emits_nothing_and_more_carbon_in_emits_more(m, c, extra, c2):
    assert steel.process_balance_co2_t({"a": (m, c)}, {"b": (m, c)}) == pytest.approx(
        0.0, abs=1e-6)
    more = steel.process_balance_co2_t({"a": (m, c), "x": (extra, c2)}, {"b": (m, c)})
    assert more == pytest.approx(extra * c2 * 44 / 12, abs=1e-6)
    assert more >= -1e-9


@given(pos, pos, k)
def test_more_crude_steel_deducts_more(out, benzene, more):
    table = {"crude_steel": 0.037, "crude_benzene": 3.382}
    base = steel.product_deduction_t({"crude_steel": out, "crude_benzene": benzene}, table)
    up = steel.product_deduction_t({"crude_steel": out + more, "crude_benzene": benzene}, table)
    assert up >= base
    assert steel.enterprise_co2_t(1e7, 0.0, up) <= steel.enterprise_co2_t(1e7, 0.0, base)


@given(st.floats(1.0, 1e7), st.floats(1.0, 1e7), st.floats(0.01, 100.0))
def test_intensity_is_homogeneous(e, out, factor):
    assert steel.intensity_tco2_per_t(e * factor, out * factor) == pytest.approx(
        steel.intensity_tco2_per_t(e, out), rel=1e-9)


@given(st.lists(st.tuples(pos, small, st.floats(0.001, 0.1), st.floats(1.0, 1e6)),
                min_size=1, max_size=6))
def test_vector_equals_scalar(rows):
    ad, ncv, cc, out = (np.array(col) for col in zip(*rows, strict=True))
    vec = steel.fuel_co2_t(ad, ncv, cc)
    assert vec.tolist() == pytest.approx([steel.fuel_co2_t(*r[:3]) for r in rows])
    series = pd.Series(ad, index=[f"m{i}" for i in range(len(rows))])
    inten = steel.intensity_tco2_per_t(steel.fuel_co2_t(series, ncv, cc),
                                       pd.Series(out, index=series.index))
    assert list(inten.index) == list(series.index)
    assert inten.tolist() == pytest.approx(
        [steel.intensity_tco2_per_t(steel.fuel_co2_t(*r[:3]), r[3]) for r in rows])
    e_proc = steel.process_material_co2_t({"limestone": series}, {"limestone": 0.44})
    assert e_proc.tolist() == pytest.approx([a * 0.44 for a in ad])
