"""What an enterprise files each month: quality values from its reports, CO2, long rows.

* coal units: NCV and C_ar from the month's lab report (measured, with the report
  number), CC = C_ar / NCV (calculated, 5 decimals), oxidation rate 0.99 (default);
  a month without a tested sample files the in-house NCV (measured) and the default
  CC of the year (default), and no C_ar;
* gas units: the supplier's monthly NCV (measured), the default CC and oxidation rate;
* a month without fuel files its fuel as 0 and no fuel quality;
* CO2 (calculated) = FC × NCV × CC × OF × 44/12 from the filed values, 0.01 t.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.accounting import power
from workbench.config import by_year

#: Parameters in filing order; the source code of each (CC is decided per row).
SOURCES = {"coal_consumption_t": "measured", "gas_consumption_knm3": "measured",
           "ncv_gj_per_t": "measured", "ncv_gj_per_knm3": "measured",
           "carbon_ar_pct": "measured", "cc_tc_per_gj": None, "oxidation_rate": "default",
           "generation_mwh": "measured", "own_use_mwh": "measured", "supply_mwh": "measured",
           "heat_supply_gj": "measured", "operating_hours_h": "measured",
           "load_factor": "calculated", "purchased_electricity_mwh": "measured",
           "co2_t": "calculated"}
#: Parameters that carry the lab report number.
WITH_REPORT = ("ncv_gj_per_t", "carbon_ar_pct", "cc_tc_per_gj")


def file_quality(w: pd.DataFrame, lab: pd.DataFrame, policy: dict) -> None:
    """Set the filed fuel-quality columns of ``w`` from the reports in ``lab`` (in place)."""
    is_gas = (w["family"] == "gas").to_numpy()
    burnt = np.where(is_gas, w["gas_consumption_knm3"], w["coal_consumption_t"]) > 0
    tested = w.index.isin(lab.index)
    default_cc = w["year"].map(lambda y: float(by_year(policy["default_coal_cc_tc_per_gj"],
                                                       int(y)))).to_numpy()
    ncv = lab["ncv_ar_gj_per_t"].reindex(w.index).to_numpy()
    c_ar = lab["carbon_ar_pct"].reindex(w.index).to_numpy()
    coal_burnt = burnt & ~is_gas
    w["ncv_gj_per_t"] = np.where(coal_burnt, np.where(tested, ncv, np.round(w["true_ncv"], 3)),
                                 np.nan)
    w["carbon_ar_pct"] = np.where(coal_burnt & tested, c_ar, np.nan)
    gas = policy["natural_gas"]
    w["cc_tc_per_gj"] = np.select(
        [coal_burnt & tested, coal_burnt, burnt & is_gas],
        [np.round(c_ar / 100.0 / np.where(tested, ncv, 1.0), 5), default_cc,
         gas["cc_tc_per_gj"]], np.nan)
    w["cc_source_code"] = np.where(coal_burnt & tested, "calculated", "default")
    w["oxidation_rate"] = np.where(burnt, np.where(is_gas, gas["oxidation_rate"],
                                                   policy["coal"]["oxidation_rate"]), np.nan)
    w["ncv_gj_per_knm3"] = np.where(burnt & is_gas, np.round(w["true_gas_ncv"], 3), np.nan)
    w["report_id"] = lab["report_id"].reindex(w.index)


def filed_co2(w: pd.DataFrame) -> np.ndarray:
    """CO2 (t) from the filed values by the guideline formula, 0 where no fuel was burnt."""
    is_gas = (w["family"] == "gas").to_numpy()
    fc = np.where(is_gas, w["gas_consumption_knm3"], w["coal_consumption_t"])
    ncv = np.where(is_gas, w["ncv_gj_per_knm3"], w["ncv_gj_per_t"])
    co2 = power.fuel_co2_t(fc, ncv, w["cc_tc_per_gj"].to_numpy(float),
                           w["oxidation_rate"].to_numpy(float))
    return np.round(np.where(fc > 0, co2, 0.0), 2)


def to_long(w: pd.DataFrame) -> pd.DataFrame:
    """The filed columns of ``w`` as ``monthly_parameters`` rows (revision 0); NaN is not filed."""
    frames = []
    for code, source in SOURCES.items():
        keep = w[code].notna().to_numpy()
        sub = w.loc[keep]
        src = sub["cc_source_code"] if source is None else pd.Series(source, index=sub.index)
        report = (sub["report_id"] if code in WITH_REPORT
                  else pd.Series(pd.NA, index=sub.index)).astype("string")
        if code == "cc_tc_per_gj":
            report = report.where(src != "default")
        frames.append(pd.DataFrame({
            "unit_id": sub["unit_id"], "period": sub["period"], "parameter_code": code,
            "value": sub[code].astype(float), "unit": schema.PARAMETERS[code].unit,
            "source_code": src, "report_id": report, "submitted_at": sub["submitted_at"],
            "revision": 0}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["unit_id", "period", "parameter_code", "revision"],
                           ignore_index=True)
