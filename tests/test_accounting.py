"""Power-sector formulas: known values and algebraic properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.accounting import power


def test_co2_per_tonne_of_typical_coal():
    # domain notes §6.2: 21 GJ/t, 0.0265 tC/GJ, OF 0.99 -> about 2.02 tCO2 per t coal
    assert power.fuel_co2_t(1.0, 21.0, 0.0265, 0.99) == pytest.approx(2.02, abs=0.005)


def test_cc_and_carbon_identity():
    assert power.cc_from_carbon_ar(55.65, 21.0) == pytest.approx(0.0265)


moist = st.floats(4.0, 30.0)
ad = st.floats(0.5, 3.9)


@given(st.floats(10.0, 30.0), st.floats(2.0, 6.0), moist, ad)
def test_gbt213_gross_and_net_are_inverse(ncv, h, m_t, m_ad):
    gross = power.gross_ad_from_ncv_ar(ncv, h, m_t, m_ad)
    assert power.ncv_ar_from_gross_ad(gross, h, m_t, m_ad) == pytest.approx(ncv, rel=1e-9)
    assert gross > ncv      # gross air-dried value always exceeds net as-received


@given(st.floats(20.0, 80.0), moist, ad)
def test_more_total_moisture_means_less_as_received_carbon(c_ad, m_t, m_ad):
    lo = power.carbon_ar_from_ad(c_ad, m_t, m_ad)
    hi = power.carbon_ar_from_ad(c_ad, m_t + 5.0, m_ad)
    assert hi < lo <= c_ad * 100 / (100 - m_ad)


@given(st.floats(20.0, 80.0), moist)
def test_dry_basis_conversion(c_d, m_t):
    assert power.carbon_ar_from_dry(c_d, m_t) == pytest.approx(c_d * (1 - m_t / 100))


def test_load_factor_is_zero_without_hours():
    assert power.load_factor([100.0, 0.0], [300.0, 300.0], [0.5, 0.0]).tolist() == [
        pytest.approx(100 / 150), 0.0]
