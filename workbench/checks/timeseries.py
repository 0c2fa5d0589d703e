"""Time-series checks: a unit's month against the unit's own history.

Population screening uses vectorised robust statistics (median and MAD per
unit, and the month-on-month change against the unit's typical change), which
stay cheap over millions of rows and are not pulled by the very outliers they
look for.  Heat supply is compared within its season (heating months vs the
rest), since district heating makes winter and summer different regimes.

Source: domain notes §7 checks 13 (heat-supply jumps) and 14 (month-on-month
and year-on-year changes, step changes); robust z = (x − median) / (1.4826 · MAD).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

MAD_TO_SD = 1.4826
#: quantity -> (label zh, label en, parameter code it points at, how to compute it)
SERIES = {
    "cc_tc_per_gj": ("单位热值含碳量", "carbon content per unit heat", "cc_tc_per_gj"),
    "carbon_ar_pct": ("收到基元素碳含量", "as-received carbon", "carbon_ar_pct"),
    "ncv_gj_per_t": ("收到基低位发热量", "NCV", "ncv_gj_per_t"),
    "fuel_per_mwh": ("单位发电量耗煤", "fuel per MWh generated", "coal_consumption_t"),
    "heat_per_mwh": ("单位发电量供热", "heat supplied per MWh generated", "heat_supply_gj"),
}
HEATING_MONTHS = ("01", "02", "03", "11", "12")


def robust_z(values: pd.Series, groups: list[pd.Series], floor: pd.Series | float
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Robust z-score of each value within its group: (x − median) / (1.4826 · MAD).

    ``floor`` bounds the scale from below (a group whose values barely move
    would otherwise turn rounding into huge z).  Returns (z, median, scale).
    """
    med = values.groupby(groups).transform("median")
    mad = (values - med).abs().groupby(groups).transform("median") * MAD_TO_SD
    scale = np.maximum(mad, floor)
    return (values - med) / scale, med, scale


def _series(m: pd.DataFrame) -> dict[str, pd.Series]:
    gas = m["fuel_code"] == "natural_gas"
    fuel = m.get("coal_consumption_t").where(~gas, m.get("gas_consumption_knm3"))
    gen = m["generation_mwh"].where(m["generation_mwh"] > m["capacity_mw"] * 24)
    measured = m.get("source_cc_tc_per_gj") != "default"
    return {
        "cc_tc_per_gj": m["cc_tc_per_gj"].where(measured & ~gas),
        "carbon_ar_pct": m.get("carbon_ar_pct"),
        "ncv_gj_per_t": m.get("ncv_gj_per_t"),
        "fuel_per_mwh": fuel / gen,
        "heat_per_mwh": (m["heat_supply_gj"] / gen).where(m["is_chp"].fillna(False)),
    }


@check(id="timeseries.unit_level_shift", family="timeseries", severity="warning",
       title_zh="与本机组历史水平明显偏离", title_en="Far from the unit's own usual level",
       message_zh="{evidence}：{observed:.4g}，本机组中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: {observed:.4g}, unit median {expected:.4g} (robust z={score:.1f})",
       needs=("monthly:generation_mwh",),
       config_keys=("checks.robust_z_warning", "checks.robust_z_critical"),
       rationale="A unit burns much the same coal in much the same way from month to month; a "
                 "run of months far from its own level (lower carbon, less coal per MWh, a heat "
                 "drop) is how altered values show even when each stays inside a plausible band.",
       source="domain notes §7 checks 13 and 14")
def unit_level_shift(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    c = cfg["checks"]
    season = m["period"].str[5:7].isin(HEATING_MONTHS).map({True: "heating", False: "other"})
    frames = []
    for name, values in _series(m).items():
        if values is None or values.notna().sum() == 0:
            continue
        groups = [m["unit_id"], season] if name == "heat_per_mwh" else [m["unit_id"]]
        floor = values.abs().groupby(groups).transform("median") * 0.01
        z, med, _ = robust_z(values, groups, floor)
        n = values.groupby(groups).transform("count")
        hit = (z.abs() > c["robust_z_warning"]) & (n >= 6)
        rows = m[hit].assign(severity=np.where(z[hit].abs() > c["robust_z_critical"],
                                               "critical", "warning"))
        zh, en, code = SERIES[name]
        frames.append(flag_rows(rows, code, values[hit], med[hit], score=z[hit].abs(),
                                evidence=f"{zh} / {en}"))
    return pd.concat(frames) if frames else pd.DataFrame()
