"""Cement clinker accounting (水泥熟料核算), clinker production line.

Pure, vectorised functions: scalars, NumPy arrays and pandas Series all work.  Factors are
arguments (the cement table in force: :func:`workbench.factors.factors` with
``kind="clinker_ef"`` or ``kind="deduction"``).  Sections are those of
``shared/domain/sectors-2025.md``.

2024-guideline style (§3.2, two third-party implementations agree, [T])::

    E_proc = Q_clk × EF_clk − Σ_r AD_r × DF_r          [tCO2]
    E_clk  = E_fuel_fossil + E_fuel_alt_nonbio + E_proc
    I      = E_clk / Q_clk                             [tCO2/t clinker]

EF_clk is the default of the clinker type (Portland 0.535…) or is computed from measured
clinker CaO and MgO with the stoichiometric ratios 44/56 (CO2/CaO) and 44/40 (CO2/MgO),
the 2013 / GB/T 32151.8 form.  That older form also counts kiln-head and bypass dust and
raw-meal organic carbon (TOC); whether the 2024 guideline keeps those terms is open [U]
(§3.1, §8 item 3), so they are separate functions here.  Purchased electricity and heat are
not counted (§1.2, §3.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.accounting.common import CO2_PER_C, fuel_co2_t, per
from workbench.sector_contract import CLINKER_TYPES

#: CO2 released per unit of CaO from CaCO3 (44/56) and of MgO from MgCO3 (44/40), §3.2.
CO2_PER_CAO = 44.0 / 56.0
CO2_PER_MGO = 44.0 / 40.0



def default_clinker_ef(clinker_type: str, ef_by_code: Mapping[str, float]) -> float:
    """The default process EF of ``clinker_type`` (a key of :data:`CLINKER_TYPES`) from the
    ``clinker_ef`` rows of the cement table (codes ``clinker_<type>``), tCO2/t clinker (§3.2).
    The defaults are tagged uncertain: read from third-party code, not the guideline."""
    if clinker_type not in CLINKER_TYPES:
        raise KeyError(f"unknown clinker type {clinker_type!r}; known: "
                       f"{', '.join(CLINKER_TYPES)}")
    return float(ef_by_code[f"clinker_{clinker_type}"])


def clinker_ef_from_oxides(cao_pct, mgo_pct, cao_nc_pct=0.0, mgo_nc_pct=0.0):
    """Clinker process EF from measured chemistry (tCO2/t clinker), §3.2:
    ``EF = (CaO − CaO_nc)/100 × 44/56 + (MgO − MgO_nc)/100 × 44/40``.

    CaO and MgO are mass % in clinker (GB/T 176); the ``_nc`` terms are the shares that did
    not come from carbonates (carbide slag, steel slag…), on a clinker basis, %.  Only
    carbonate-derived oxide released CO2 in the kiln, hence the deduction.  Check (§3.2):
    CaO 65%, CaO_nc 0.5%, MgO 1.5% → 0.523.
    """
    return ((cao_pct - cao_nc_pct) / 100.0 * CO2_PER_CAO
            + (mgo_pct - mgo_nc_pct) / 100.0 * CO2_PER_MGO)


def deduction_factor_from_oxides(cao_pct, mgo_pct=0.0):
    """Deduction factor a non-carbonate raw material would have from its CaO and MgO (mass
    %, tCO2/t material): ``CaO/100 × 44/56 + MgO/100 × 44/40`` [U] (§3.2).

    The notes derive this link to the DF table themselves (Ca(OH)2, 75.7% CaO → 0.595 vs
    DF 0.600); use it to cross-check a declared DF, not as the rule.
    """
    return cao_pct / 100.0 * CO2_PER_CAO + mgo_pct / 100.0 * CO2_PER_MGO


def substitutes_deduction_t(substitutes_t: Mapping[str, Any], df_tco2_per_t: Mapping[str, float]):
    """Σ_r AD_r × DF_r (tCO2), §3.2: CO2 that the clinker's oxide would have released had it
    come from carbonate, for the non-carbonate substitute raw materials used.

    ``substitutes_t`` maps a material code (carbide_slag, steel_slag…) to its consumption in
    t; ``df_tco2_per_t`` the deduction rows of the cement table by the same codes, with or
    without their ``df_`` prefix.  A material without a factor is an error.
    """
    factors = {k.removeprefix("df_"): v for k, v in df_tco2_per_t.items()}
    unknown = sorted({k.removeprefix("df_") for k in substitutes_t} - set(factors))
    if unknown:
        raise KeyError(f"no deduction factor for {', '.join(unknown)}")
    total: Any = 0.0
    for code, ad in substitutes_t.items():
        total = total + ad * factors[code.removeprefix("df_")]
    return total


def clinker_process_co2_t(clinker_t, ef_clinker_tco2_per_t, deduction_t=0.0,
                          floor_at_zero=False):
    """Process CO2 of a clinker line (tCO2), §3.2: ``Q_clk × EF_clk − Σ AD_r × DF_r``.

    ``clinker_t`` in t, ``ef_clinker_tco2_per_t`` the default of the clinker type or a
    measured EF (:func:`clinker_ef_from_oxides`), ``deduction_t`` the non-carbonate
    deduction (:func:`substitutes_deduction_t`).  One tool floors the result at 0
    (``floor_at_zero``); the notes do not say which the guideline does.
    """
    out = clinker_t * ef_clinker_tco2_per_t - deduction_t
    return np.maximum(out, 0.0) if floor_at_zero else out


def process_co2_oxide_method_t(clinker_t, ef_clinker_tco2_per_t, kiln_head_dust_t=0.0,
                               bypass_dust_t=0.0):
    """Process CO2 in the 2013 / GB/T 32151.8 form (tCO2), §3.2:
    ``EF_clk × (Q_clk + Q_kiln_head_dust + Q_bypass_dust)``.

    Dust leaving the kiln system was calcined too, so it is counted with the clinker.
    Whether the 2024 guideline keeps the dust terms is open [U] (§3.1, §8 item 3).
    """
    return ef_clinker_tco2_per_t * (clinker_t + kiln_head_dust_t + bypass_dust_t)


def raw_meal_toc_co2_t(raw_meal_t, toc_pct):
    """CO2 of the organic (non-fuel) carbon of the raw meal (tCO2), 2013 form, §3.1, §3.2:
    ``raw_meal × TOC/100 × 44/12`` (t, mass %).  Kept in the 2024 guideline? Open [U]; the
    notes give no default TOC."""
    return raw_meal_t * toc_pct / 100.0 * CO2_PER_C


def alt_fuel_co2_t(consumption, ncv, cc_tc_per_gj, oxidation_rate, biomass_fraction):
    """CO2 of an alternative fuel or waste (tCO2), §3.2:
    ``AD × NCV × CC × OF × (1 − f_bio) × 44/12``.

    Only the non-biomass carbon counts (biomass CO2 is excluded); ``biomass_fraction`` is the
    biomass share of the fuel's carbon, 0–1 (the exact symbols are uncertain in the notes).
    """
    return fuel_co2_t(consumption, ncv, cc_tc_per_gj, oxidation_rate) * (1.0 - biomass_fraction)


def clinker_co2_t(e_fuel_fossil_t, e_fuel_alt_nonbio_t, e_proc_t):
    """Clinker-level emissions E_clk = E_fuel_fossil + E_fuel_alt_nonbio + E_proc (tCO2),
    §3.2; indirect emissions are not included (§3.1).  Add :func:`raw_meal_toc_co2_t` only
    when applying the 2013 method."""
    return e_fuel_fossil_t + e_fuel_alt_nonbio_t + e_proc_t


def intensity_tco2_per_t_clinker(e_t, clinker_t):
    """Emission intensity (tCO2/t clinker), NaN where the output is not positive, §3.2.
    Typical 0.78–0.90 (process 0.50–0.535 plus fuel 0.26–0.33) [U] (§3.4)."""
    return per(e_t, clinker_t)
