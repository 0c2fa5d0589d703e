"""Aluminium smelting accounting (铝冶炼核算): electrolysis and enterprise level.

Pure, vectorised functions: scalars, NumPy arrays and pandas Series all work.  Factors are
arguments (the aluminium table in force, :func:`workbench.factors.factors`, and the GWP
set in force, :func:`workbench.factors.gwp`).  Sections are those of
``shared/domain/sectors-2025.md``.

Gases: CO2, CF4 and C2F6 (§1.2, §4.1).  Formulas (§4.2, [T]; IPCC 2006 Vol 3 Ch 4 [K])::

    EF_anode = NC × (1 − S/100 − A/100) × 44/12               [tCO2/t Al]
    E_anode  = P_Al × EF_anode
    EF_CF4   = SEF_CF4 × AEM ;  EF_C2F6 = ratio × EF_CF4      [kg/t Al]
    E_PFC    = P_Al × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000   [tCO2e]
    E_ent    = E_fuel + E_anode + E_PFC + E_carbonate

P_Al is liquid aluminium (铝液, t).  The GWP set is unresolved (AR5 / AR4 / SAR, §4.2): it is
an argument.  Electricity is a reporting item only (辅助报告项), never counted (§4.1);
Faraday's law cross-checks the output and the electricity (§4.4, §4.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.accounting.common import CO2_PER_C, per

# on-site fossil fuel (casting furnaces, anode baking on site, vehicles), §1.4, §4.2
from workbench.accounting.common import fuel_co2_t as fuel_co2_t

#: Aluminium deposited per kA·h at 100% current efficiency, kg (Faraday: 26.98 g/mol /
#: (3 × 96,485 C/mol) × 3,600 s/h), the value of §4.4.
FARADAY_KG_PER_KA_H = 0.3356


def anode_ef_tco2_per_t(net_anode_t_per_t_al, sulfur_pct, ash_pct):
    """Anode CO2 per t liquid aluminium (tCO2/t Al), §4.2: ``NC × (1 − S/100 − A/100) × 44/12``.

    ``net_anode_t_per_t_al`` (NC, t anode/t Al; default 0.42, uncertain), ``sulfur_pct`` and
    ``ash_pct`` (S, A, mass %; defaults 2 and 0.4).  The anode's carbon is what is neither
    sulphur nor ash, and it leaves as CO2.  NC 0.40 → 1.431, 0.42 → 1.503 (§4.4).
    """
    return net_anode_t_per_t_al * (1.0 - sulfur_pct / 100.0 - ash_pct / 100.0) * CO2_PER_C


def anode_co2_t(liquid_al_t, net_anode_t_per_t_al, sulfur_pct, ash_pct):
    """Anode CO2 (能源作为原材料用途的排放, tCO2), §4.2: output (t) ×
    :func:`anode_ef_tco2_per_t`."""
    return liquid_al_t * anode_ef_tco2_per_t(net_anode_t_per_t_al, sulfur_pct, ash_pct)


def net_anode_consumption_t_per_t(gross_anode_t, butts_returned_t, liquid_al_t):
    """Net anode consumption (t/t Al) = (gross − butts returned) / output, §4.3, §4.5 check 4;
    NaN where the output is not positive.  Typical 0.40–0.45 t/t (§4.4)."""
    return per(gross_anode_t - butts_returned_t, liquid_al_t)


def cf4_ef_slope_kg_per_t(aem_min_per_cell_day, sef_cf4):
    """CF4 emission factor from anode effects (kg CF4/t Al), §4.2 (slope method):
    ``SEF_CF4 × AEM``, AEM in anode-effect minutes per cell-day, SEF in
    (kg CF4/t Al)/(AE-min/cell-day) (0.143)."""
    return sef_cf4 * aem_min_per_cell_day


def c2f6_ef_kg_per_t(ef_cf4_kg_per_t, c2f6_cf4_ratio):
    """C2F6 emission factor (kg C2F6/t Al) = ratio × EF_CF4, §4.2 (ratio 0.1 in the Chinese
    tool, 0.121 IPCC CWPB: uncertain)."""
    return c2f6_cf4_ratio * ef_cf4_kg_per_t


def pfc_co2e_t(liquid_al_t, ef_cf4_kg_per_t, ef_c2f6_kg_per_t, gwp_cf4, gwp_c2f6):
    """PFC emissions of the anode effect (tCO2e), §4.2:
    ``P_Al × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000``.

    Factors in kg/t Al (from :func:`cf4_ef_slope_kg_per_t` or the defaults 0.034 / 0.0034
    when AEM is not measured), GWPs in tCO2e/t of the set in force.  Defaults give 0.263
    (AR5), 0.293 (AR4) or 0.252 (SAR) tCO2e/t Al.
    """
    return liquid_al_t * (ef_cf4_kg_per_t * gwp_cf4 + ef_c2f6_kg_per_t * gwp_c2f6) / 1000.0


def pfc_co2e_slope_t(liquid_al_t, aem_min_per_cell_day, sef_cf4, c2f6_cf4_ratio, gwp_cf4,
                     gwp_c2f6):
    """PFC emissions (tCO2e) from measured AEM by the slope method, §4.2: EF_CF4 =
    SEF × AEM, EF_C2F6 = ratio × EF_CF4, then :func:`pfc_co2e_t`."""
    ef_cf4 = cf4_ef_slope_kg_per_t(aem_min_per_cell_day, sef_cf4)
    return pfc_co2e_t(liquid_al_t, ef_cf4, c2f6_ef_kg_per_t(ef_cf4, c2f6_cf4_ratio), gwp_cf4,
                      gwp_c2f6)


def carbonate_co2_t(carbonates_t: Mapping[str, Any], ef_tco2_per_t: Mapping[str, float]):
    """Enterprise-level carbonate decomposition (tCO2), §4.2: Σ M × EF over the carbonates
    used (t; limestone 0.440 tCO2/t from the carbonate table).  A carbonate without a factor
    is an error."""
    unknown = sorted(set(carbonates_t) - set(ef_tco2_per_t))
    if unknown:
        raise KeyError(f"no carbonate factor for {', '.join(unknown)}")
    total: Any = 0.0
    for code, mass in carbonates_t.items():
        total = total + mass * ef_tco2_per_t[code]
    return total


def enterprise_co2e_t(e_fuel_t, e_anode_t, e_pfc_t, e_carbonate_t=0.0):
    """Enterprise-level emissions E_ent = E_fuel + E_anode + E_PFC + E_carbonate (tCO2e),
    §4.2.  Power plants and other non-aluminium products are accounted under their own
    guidelines, electricity is not counted (§4.1); anode-baking process CO2 is open [U]."""
    return e_fuel_t + e_anode_t + e_pfc_t + e_carbonate_t


def intensity_tco2e_per_t_al(e_t, liquid_al_t):
    """Direct intensity (tCO2e/t liquid aluminium), NaN where the output is not positive,
    §4.4, §4.7.  About 1.5–1.8 under the MEE scope [computed in the notes]."""
    return per(e_t, liquid_al_t)


def faraday_output_t(line_current_ka, cells, hours, current_efficiency_pct,
                     kg_per_ka_h=FARADAY_KG_PER_KA_H):
    """Aluminium the cells can make (t), Faraday's law, §4.4:
    ``0.3356 kg/(kA·h) × I × hours × CE × cells / 1000``.

    ``line_current_ka`` in kA, ``hours`` of operation (24 × days), ``current_efficiency_pct``
    in %.  500 kA at 94% → 3.79 t per cell-day (§4.4).
    """
    return (kg_per_ka_h * line_current_ka * hours * current_efficiency_pct / 100.0 * cells
            / 1000.0)


def current_efficiency_pct(liquid_al_t, line_current_ka, cells, hours,
                           kg_per_ka_h=FARADAY_KG_PER_KA_H):
    """Current efficiency (%) the reported output implies, the inverse of
    :func:`faraday_output_t`; NaN where current × cells × hours is not positive.  Outside
    88–96% is an alert; above 100% the output is physically impossible (§4.5 check 1)."""
    theoretical = faraday_output_t(line_current_ka, cells, hours, 100.0, kg_per_ka_h)
    return per(liquid_al_t * 100.0, theoretical)


def dc_energy_kwh_per_t(cell_voltage_v, current_efficiency_pct,
                        kg_per_ka_h=FARADAY_KG_PER_KA_H):
    """DC energy per t aluminium (kWh/t) from the cell voltage (V) and current efficiency
    (%), §4.4: ``V / (0.3356 × CE) × 1000`` (= 2.98 × V / CE kWh/kg).  3.9–4.1 V at 92–94%
    gives 12,360–13,280 kWh/t."""
    return per(cell_voltage_v * 1000.0, kg_per_ka_h * current_efficiency_pct / 100.0)


def dc_electricity_kwh_per_t(line_current_ka, cell_voltage_v, cells, hours, liquid_al_t):
    """DC electricity per t of the reported output (kWh/t): I (kA) × V × hours × cells /
    output (t), §4.4."""
    return per(line_current_ka * cell_voltage_v * hours * cells, liquid_al_t)


def ac_electricity_kwh_per_t(ac_electricity_mwh, liquid_al_t):
    """AC electricity of electrolysis per t liquid aluminium (kWh/t), reporting item 1
    (§4.1, §4.3); plausible 12,800–14,000 kWh/t (§4.4, §4.5 check 2)."""
    return per(ac_electricity_mwh * 1000.0, liquid_al_t)
