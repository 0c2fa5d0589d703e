"""Power-sector accounting formulas (发电设施核算指南).

Pure, vectorised functions: scalars, NumPy arrays and pandas Series all work.
Sources: the guideline formula E = FC × NCV × CC × OF × 44/12 (confirmed),
CC = C_ar / NCV_ar, the GB/T 483 moisture-basis conversions and the GB/T 213
net-from-gross calorific value relation (see shared/domain/power-and-sectors.md
§1.2 and §6.2; the last two are standard practice, tagged uncertain there).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

# the combustion formula and the CO2/C ratio, as the power guideline writes them
from workbench.accounting.common import CO2_PER_C as CO2_PER_C
from workbench.accounting.common import fuel_co2_t as fuel_co2_t

ArrayLike = TypeVar("ArrayLike")

#: GB/T 213 constants (J/g): latent heat of the water formed from hydrogen per % H,
#: and of the moisture per % M_t.
GBT213_H_FACTOR = 206.0
GBT213_M_FACTOR = 23.0
#: Standard coal equivalent: 29.3076 GJ per tce.
GJ_PER_TCE = 29.3076


def cc_from_carbon_ar(carbon_ar_pct, ncv_gj_per_t):
    """Carbon content per unit heat (tC/GJ) from as-received carbon (%) and NCV (GJ/t)."""
    return carbon_ar_pct / 100.0 / ncv_gj_per_t


def carbon_ar_from_ad(carbon_ad_pct, total_moisture_pct, moisture_ad_pct):
    """As-received carbon (%) from air-dried carbon (%): C_ar = C_ad × (100 − M_t)/(100 − M_ad)."""
    return carbon_ad_pct * (100.0 - total_moisture_pct) / (100.0 - moisture_ad_pct)


def carbon_ar_from_dry(carbon_d_pct, total_moisture_pct):
    """As-received carbon (%) from dry-basis carbon (%): C_ar = C_d × (100 − M_t)/100."""
    return carbon_d_pct * (100.0 - total_moisture_pct) / 100.0


def ncv_ar_from_gross_ad(gross_cv_ad_mj_per_kg, hydrogen_ad_pct, total_moisture_pct,
                         moisture_ad_pct):
    """As-received net calorific value (GJ/t = MJ/kg) from the air-dried gross value (GB/T 213).

    Q_net,ar = (Q_gr,ad − 206·H_ad) × (100 − M_t)/(100 − M_ad) − 23·M_t, in J/g.
    """
    q_gr_j_per_g = gross_cv_ad_mj_per_kg * 1000.0
    q_net = (q_gr_j_per_g - GBT213_H_FACTOR * hydrogen_ad_pct) * (
        (100.0 - total_moisture_pct) / (100.0 - moisture_ad_pct)
    ) - GBT213_M_FACTOR * total_moisture_pct
    return q_net / 1000.0


def gross_ad_from_ncv_ar(ncv_ar_gj_per_t, hydrogen_ad_pct, total_moisture_pct, moisture_ad_pct):
    """Inverse of :func:`ncv_ar_from_gross_ad`: the air-dried gross CV (MJ/kg) for a given NCV."""
    q_net = ncv_ar_gj_per_t * 1000.0
    q_gr = (q_net + GBT213_M_FACTOR * total_moisture_pct) * (
        (100.0 - moisture_ad_pct) / (100.0 - total_moisture_pct)
    ) + GBT213_H_FACTOR * hydrogen_ad_pct
    return q_gr / 1000.0


def load_factor(generation_mwh, capacity_mw, operating_hours_h):
    """Load (output) factor F = generation / (capacity × operating hours), 0 where hours are 0."""
    denom = np.asarray(capacity_mw, dtype=float) * np.asarray(operating_hours_h, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, np.asarray(generation_mwh, dtype=float) / denom, 0.0)
    return out


def supply_coal_gce_per_kwh(coal_t, ncv_gj_per_t, supply_mwh, heat_share=0.0):
    """Supply coal consumption (gce/kWh) attributable to electricity.

    ``heat_share`` is the share of fuel heat allocated to heat supply (α).
    """
    tce = coal_t * ncv_gj_per_t / GJ_PER_TCE * (1.0 - heat_share)
    with np.errstate(divide="ignore", invalid="ignore"):
        return tce * 1e6 / (supply_mwh * 1000.0)
