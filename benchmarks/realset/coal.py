"""Coal quality by US coal rank, and the standard basis conversions between analyses.

A coal is described on the dry, ash-free basis (daf: gross calorific value,
hydrogen and carbon, which depend on the rank) plus its ash (dry basis) and
moisture, which vary from delivery to delivery.  Every other basis follows by
GB/T 483 (``X_d = X_daf × (100 − A_d)/100``, ``X_ad = X_d × (100 − M_ad)/100``,
``X_ar = X_d × (100 − M_t)/100``) and the as-received net calorific value by
GB/T 213 (:func:`workbench.accounting.power.ncv_ar_from_gross_ad`).

Carbon per unit of gross heat is the same on every basis (ash and moisture
cancel), so a unit's real CO2 per MMBtu of heat input (eGRID, gross basis)
fixes its daf carbon once its daf gross CV is chosen; the net-basis carbon
content CC = C_ar / NCV_ar then follows from the month's ash and moisture.

Rank parameters are typical US values (assumptions, see README.md "Coal
quality"): Appalachian/Illinois-basin bituminous, Powder River Basin
sub-bituminous, Gulf/Northern-plains lignite, Pennsylvania waste coal (gob).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.accounting import power


@dataclass(frozen=True)
class Rank:
    """Typical quality of one coal rank and how much it varies.

    ``*_unit`` is the spread (1 sd) between units burning that rank, ``*_month``
    the spread between monthly composite samples of one unit.  Percentages are
    mass %; ``q_gr_daf`` in MJ/kg; ``s_d`` is the median total sulphur (dry
    basis, %) and ``s_sd`` its log-normal spread; ``cc_bounds`` (tC/GJ, net
    basis) are the IPCC 2006 95 % limits for the rank (Vol. 2, Table 1.3).
    """

    name_zh: str
    q_gr_daf: float
    q_gr_daf_unit: float
    h_daf: float
    ash_d: float
    ash_unit: float
    ash_month: float
    m_t: float
    m_t_unit: float
    m_t_month: float
    m_ad: float
    m_ad_unit: float
    s_d: float
    s_sd: float
    cc_bounds: tuple[float, float]


#: US coal ranks by EIA fuel code.  ``RC`` (refined coal) is mapped to BIT or SUB by its
#: CO2/heat ratio in :func:`rank_of`; ``WC`` (waste coal) has no IPCC category, so it
#: takes the widest coal limits (other bituminous low end to lignite high end).
RANKS: dict[str, Rank] = {
    "BIT": Rank("烟煤", 34.2, 0.7, 5.4, 11.0, 2.5, 1.2, 8.5, 1.8, 0.9, 2.0, 0.5, 1.6, 0.45,
                (0.0244, 0.0272)),
    "SUB": Rank("次烟煤", 29.0, 0.6, 5.0, 7.0, 1.5, 0.8, 25.5, 2.5, 1.2, 10.0, 1.5, 0.45, 0.30,
                (0.0253, 0.0273)),
    "LIG": Rank("褐煤", 27.3, 0.6, 4.8, 13.0, 3.0, 1.5, 33.0, 3.0, 1.5, 12.0, 2.0, 0.9, 0.35,
                (0.0248, 0.0313)),
    "WC": Rank("煤矸石", 31.5, 0.8, 4.6, 50.0, 4.0, 2.5, 8.0, 1.5, 1.0, 1.5, 0.4, 2.0, 0.40,
               (0.0244, 0.0313)),
}
#: CO2 per MMBtu (short t) of the Part 75 carbon F-factors: 1,800 scf/MMBtu (bituminous)
#: and 1,840 (sub-bituminous); a refined-coal unit nearer the first burns bituminous.
RC_SPLIT_SHORT_T_PER_MMBTU = 0.1037


def rank_of(fuel: np.ndarray, co2_per_heat: np.ndarray) -> np.ndarray:
    """The :data:`RANKS` key of each unit from its eGRID fuel code and CO2/heat (short t/MMBtu)."""
    refined = np.where(co2_per_heat <= RC_SPLIT_SHORT_T_PER_MMBTU, "BIT", "SUB")
    return np.where(fuel == "RC", refined, fuel)


@dataclass(frozen=True)
class Analysis:
    """One coal sample on the bases a lab report and a filing use (arrays).

    ``c_ad``, ``h_ad`` in %; ``q_gr_ad``, ``q_gr_ar``, ``ncv_ar`` in MJ/kg (= GJ/t);
    ``c_ar`` in %; ``cc`` in tC/GJ (net basis).
    """

    c_ad: np.ndarray
    h_ad: np.ndarray
    q_gr_ad: np.ndarray
    q_gr_ar: np.ndarray
    ncv_ar: np.ndarray
    c_ar: np.ndarray
    cc: np.ndarray


def analyse(q_gr_daf, h_daf, c_daf, ash_d, m_t, m_ad) -> Analysis:
    """Every basis of a coal given on the daf basis plus ash (dry) and moisture (GB/T 483, 213)."""
    dry = (100.0 - ash_d) / 100.0
    ad = (100.0 - m_ad) / 100.0
    ar = (100.0 - m_t) / 100.0
    q_gr_ad = q_gr_daf * dry * ad
    h_ad = h_daf * dry * ad
    c_ad = c_daf * dry * ad
    ncv = power.ncv_ar_from_gross_ad(q_gr_ad, h_ad, m_t, m_ad)
    c_ar = c_daf * dry * ar
    return Analysis(c_ad, h_ad, q_gr_ad, q_gr_daf * dry * ar, ncv, c_ar, c_ar / 100.0 / ncv)


def typical_gross_to_net(rank: str) -> float:
    """Gross/net as-received CV ratio of a rank's typical coal (dimensionless, > 1)."""
    r = RANKS[rank]
    a = analyse(r.q_gr_daf, r.h_daf, 0.0, r.ash_d, r.m_t, r.m_ad)
    return float(a.q_gr_ar / a.ncv_ar)
