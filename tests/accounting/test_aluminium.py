"""Aluminium accounting: the worked examples of sectors-2025.md §4.2 and §4.4, and the algebra
of every formula (monotone in S and ash, linear in output, Faraday inverse, vector == scalar)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.accounting import aluminium as al
from workbench.config import load_config
from workbench.factors import factor, factors, gwp

nc = st.floats(0.30, 0.60)
sulfur = st.floats(0.0, 4.0)
ash = st.floats(0.0, 1.0)
output = st.floats(0.0, 1e6)
aem = st.floats(0.0, 1.0)
current = st.floats(100.0, 700.0)
ce = st.floats(80.0, 99.0)
cells = st.integers(1, 400)
hours = st.floats(1.0, 8784.0)


# --- worked examples ----------------------------------------------------------------------

def test_anode_factor_of_the_notes():
    # §4.4: NC 0.40 -> 1.431, NC 0.42 -> 1.503 tCO2/t Al at S 2 %, ash 0.4 %
    assert 0.40 * (1 - 0.02 - 0.004) * 44 / 12 == pytest.approx(1.431, abs=0.0005)
    assert al.anode_ef_tco2_per_t(0.40, 2.0, 0.4) == pytest.approx(1.431, abs=0.0005)
    cfg = load_config()
    d = factors(cfg, "aluminium")
    ef = al.anode_ef_tco2_per_t(d["anode_net_consumption"], d["anode_sulfur_pct"],
                                d["anode_ash_pct"])
    assert ef == pytest.approx(1.503, abs=0.0005)
    assert al.anode_co2_t(1000.0, 0.42, 2.0, 0.4) == pytest.approx(1000 * ef)


@pytest.mark.parametrize(("gwp_set", "expected"), [("AR5", 0.263), ("AR4", 0.293),
                                                   ("SAR", 0.252)])
def test_default_pfc_per_tonne_under_each_gwp_set(gwp_set, expected):
    # §4.2: (0.034 × GWP_CF4 + 0.0034 × GWP_C2F6) / 1000 tCO2e/t Al
    cfg = load_config()
    d, g = factors(cfg, "aluminium"), gwp(cfg, gwp_set)
    by_hand = (0.034 * g["cf4"] + 0.0034 * g["c2f6"]) / 1000
    assert by_hand == pytest.approx(expected, abs=0.0005)
    assert al.pfc_co2e_t(1.0, d["ef_cf4_default"], d["ef_c2f6_default"], g["cf4"],
                         g["c2f6"]) == pytest.approx(by_hand)


def test_draft_calibration_matches_a_lower_cf4_factor():
    # §4.2 [U]: 0.1454 tCO2e/t = 0.0188 kg CF4/t × (6,630 + 0.1 × 11,100) / 1000 under AR5
    e = al.pfc_co2e_t(1.0, 0.0188, al.c2f6_ef_kg_per_t(0.0188, 0.1), 6630, 11100)
    assert e == pytest.approx(0.1454, abs=0.0005)


def test_slope_method_of_a_modern_line():
    # §4.4 [U]: AEM 0.10 -> CF4 0.0143 kg/t, PFC about 0.11 tCO2e/t (AR5, ratio 0.1)
    cfg = load_config()
    sef, ratio = factor(cfg, "aluminium", "sef_cf4"), factor(cfg, "aluminium", "c2f6_cf4_ratio")
    assert al.cf4_ef_slope_kg_per_t(0.10, sef) == pytest.approx(0.0143)
    g = gwp(cfg)
    assert al.pfc_co2e_slope_t(1.0, 0.10, sef, ratio, g["cf4"], g["c2f6"]) == pytest.approx(
        0.0143 * (6630 + 0.1 * 11100) / 1000)
    assert 0.10 <= al.pfc_co2e_slope_t(1.0, 0.10, sef, ratio, g["cf4"], g["c2f6"]) <= 0.12


def test_faraday_output_of_the_notes():
    # §4.4: 500 kA at 94 % -> 0.3356 × 500 × 24 × 0.94 kg = 3.79 t per cell-day;
    # 200 cells make about 276 kt a year
    assert al.faraday_output_t(500.0, 1, 24.0, 94.0) == pytest.approx(3.79, abs=0.005)
    assert al.faraday_output_t(500.0, 200, 24.0 * 365, 94.0) == pytest.approx(276_000, rel=0.005)


def test_a_300_ka_200_cell_line_cannot_make_400_kt():
    # §4.4: a demo labels 300 kA × 200 cells "40万t/a"; it makes about 164 kt (CE 93 %)
    assert al.faraday_output_t(300.0, 200, 8760.0, 93.0) == pytest.approx(164_000, rel=0.005)
    implied = al.current_efficiency_pct(400_000.0, 300.0, 200, 8760.0)
    assert implied > 100.0          # physically impossible
    assert implied == pytest.approx(400_000 / (0.3356 * 300 * 8760 * 200 / 1000) * 100)


def test_dc_energy_band_of_the_notes():
    # §4.4: 3.9-4.1 V at 92-94 % -> 12,360-13,280 kWh/t DC
    assert al.dc_energy_kwh_per_t(3.9, 94.0) == pytest.approx(12_360, abs=10)
    assert al.dc_energy_kwh_per_t(4.1, 92.0) == pytest.approx(13_280, abs=10)
    assert al.ac_electricity_kwh_per_t(13_300.0, 1000.0) == pytest.approx(13_300)
    assert np.isnan(al.ac_electricity_kwh_per_t(1.0, 0.0))


def test_enterprise_total_and_intensity():
    cfg = load_config()
    q = 1000.0
    e_anode = al.anode_co2_t(q, 0.42, 2.0, 0.4)
    e_pfc = al.pfc_co2e_t(q, 0.034, 0.0034, 6630, 11100)
    limestone = factor(cfg, "carbonates", "limestone")
    e_carb = al.carbonate_co2_t({"limestone": 50.0}, {"limestone": limestone})
    assert e_carb == pytest.approx(22.0)
    e = al.enterprise_co2e_t(100.0, e_anode, e_pfc, e_carb)
    assert e == pytest.approx(100.0 + e_anode + e_pfc + 22.0)
    # §4.4: about 1.5-1.8 tCO2e/t Al directly
    assert 1.5 <= al.intensity_tco2e_per_t_al(e, q) <= 1.9
    with pytest.raises(KeyError, match="dolomite"):
        al.carbonate_co2_t({"dolomite": 1.0}, {"limestone": limestone})


def test_net_anode_consumption():
    # §4.5 check 4: net = gross − butts; 520 t gross, 110 t butts for 1,000 t Al -> 0.41
    assert al.net_anode_consumption_t_per_t(520.0, 110.0, 1000.0) == pytest.approx(0.41)


# --- properties ---------------------------------------------------------------------------

@given(nc, sulfur, ash, st.floats(0.01, 1.0))
def test_anode_factor_decreases_in_sulfur_and_ash(n, s, a, more):
    base = al.anode_ef_tco2_per_t(n, s, a)
    assert al.anode_ef_tco2_per_t(n, s + more, a) < base
    assert al.anode_ef_tco2_per_t(n, s, a + more) < base


@given(output, nc, sulfur, ash, st.floats(0.0, 100.0))
def test_anode_co2_is_linear_in_output_and_consumption(q, n, s, a, k):
    assert al.anode_co2_t(q * k, n, s, a) == pytest.approx(k * al.anode_co2_t(q, n, s, a),
                                                           rel=1e-9, abs=1e-9)
    assert al.anode_co2_t(q, n * k, s, a) == pytest.approx(k * al.anode_co2_t(q, n, s, a),
                                                           rel=1e-9, abs=1e-9)


@given(output, aem, st.floats(0.05, 0.2), st.floats(0.05, 0.15), st.floats(0.0, 10.0))
def test_pfc_is_linear_in_output_and_aem(q, m, sef, ratio, k):
    f = al.pfc_co2e_slope_t(q, m, sef, ratio, 6630, 11100)
    assert al.pfc_co2e_slope_t(q * k, m, sef, ratio, 6630, 11100) == pytest.approx(
        k * f, rel=1e-9, abs=1e-12)
    assert al.pfc_co2e_slope_t(q, m * k, sef, ratio, 6630, 11100) == pytest.approx(
        k * f, rel=1e-9, abs=1e-12)
    ef_cf4 = al.cf4_ef_slope_kg_per_t(m, sef)
    assert f == pytest.approx(al.pfc_co2e_t(q, ef_cf4, ratio * ef_cf4, 6630, 11100))


@given(output, st.floats(0.0, 0.1), st.floats(0.0, 0.01))
def test_pfc_orders_with_the_gwp_sets(q, ef_cf4, ef_c2f6):
    cfg = load_config()
    ar4, ar5, sar = (gwp(cfg, v) for v in ("AR4", "AR5", "SAR"))
    e = {name: al.pfc_co2e_t(q, ef_cf4, ef_c2f6, g["cf4"], g["c2f6"])
         for name, g in (("AR4", ar4), ("AR5", ar5), ("SAR", sar))}
    assert e["AR4"] >= e["AR5"] >= e["SAR"]


@given(current, cells, hours, ce)
def test_faraday_inverse_is_consistent(i, n, h, eff):
    q = al.faraday_output_t(i, n, h, eff)
    assert al.current_efficiency_pct(q, i, n, h) == pytest.approx(eff, rel=1e-9)
    assert al.faraday_output_t(i * 2, n, h, eff) == pytest.approx(2 * q, rel=1e-9)


@given(current, st.floats(3.5, 4.5), cells, hours, ce)
def test_dc_electricity_of_the_faraday_output_is_the_dc_energy(i, v, n, h, eff):
    q = al.faraday_output_t(i, n, h, eff)
    assert al.dc_electricity_kwh_per_t(i, v, n, h, q) == pytest.approx(
        al.dc_energy_kwh_per_t(v, eff), rel=1e-9)
    assert al.dc_energy_kwh_per_t(v + 0.1, eff) > al.dc_energy_kwh_per_t(v, eff)
    assert al.dc_energy_kwh_per_t(v, eff + 0.5) < al.dc_energy_kwh_per_t(v, eff)


@given(st.lists(st.tuples(st.floats(1.0, 1e6), nc, sulfur, ash, aem), min_size=1, max_size=6))
def test_vector_equals_scalar(rows):
    q, n, s, a, m = (np.array(col) for col in zip(*rows, strict=True))
    vec = al.anode_co2_t(q, n, s, a) + al.pfc_co2e_slope_t(q, m, 0.143, 0.1, 6630, 11100)
    assert vec.tolist() == pytest.approx(
        [al.anode_co2_t(*r[:4]) + al.pfc_co2e_slope_t(r[0], r[4], 0.143, 0.1, 6630, 11100)
         for r in rows])
    qs = pd.Series(q, index=[f"line{i}" for i in range(len(rows))])
    inten = al.intensity_tco2e_per_t_al(al.anode_co2_t(qs, n, s, a), qs)
    assert list(inten.index) == list(qs.index)
    assert inten.tolist() == pytest.approx(al.anode_ef_tco2_per_t(n, s, a).tolist())
