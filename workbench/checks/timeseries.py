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
from workbench.checks.ranges import supply_coal
from workbench.checks.registry import check, flag_rows

MAD_TO_SD = 1.4826
#: quantity -> (label zh, label en, parameter code it points at, how to compute it)
SERIES = {
    "cc_tc_per_gj": ("单位热值含碳量", "carbon content per unit heat", "cc_tc_per_gj"),
    "carbon_ar_pct": ("收到基元素碳含量", "as-received carbon", "carbon_ar_pct"),
    "ncv_gj_per_t": ("收到基低位发热量", "NCV", "ncv_gj_per_t"),
    "supply_coal_gce_per_kwh": ("供电煤耗（扣除供热）", "supply coal consumption net of heat",
                                "coal_consumption_t"),
    "heat_per_mwh": ("单位发电量供热", "heat supplied per MWh generated", "heat_supply_gj"),
}
HEATING_MONTHS = ("01", "02", "03", "11", "12")


def robust_z(values: pd.Series, groups: list[pd.Series], floor: pd.Series | float
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Robust z-score of each value within its group: (x − median) / (1.4826 · MAD).

    ``floor`` bounds the scale from below: a group of a few months whose values
    happen to sit close together would otherwise turn ordinary noise into huge z.
    Returns (z, median, scale).
    """
    med = values.groupby(groups).transform("median")
    mad = (values - med).abs().groupby(groups).transform("median") * MAD_TO_SD
    scale = np.maximum(mad, floor)
    return (values - med) / scale, med, scale


def pooled_floor(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """Scale floor from the whole population's typical relative spread around group medians.

    Each unit's own MAD over 12-24 months is a noisy estimate; shrinking it
    towards how much such values usually move (relative to their level, pooled
    over all units) keeps small, quiet groups from producing false alarms.
    """
    med = values.groupby(groups).transform("median")
    rel = ((values - med).abs() / med.abs().where(med.abs() > 0)).median() * MAD_TO_SD
    return med.abs() * (rel if np.isfinite(rel) else 0.0)


def _series(m: pd.DataFrame, cfg: dict) -> dict[str, pd.Series]:
    gas = m["fuel_code"] == "natural_gas"
    gen = m["generation_mwh"].where(m["generation_mwh"] > m["capacity_mw"] * 24)
    measured = m.get("source_cc_tc_per_gj") != "default"
    return {
        "cc_tc_per_gj": m["cc_tc_per_gj"].where(measured & ~gas),
        "carbon_ar_pct": m.get("carbon_ar_pct"),
        "ncv_gj_per_t": m.get("ncv_gj_per_t"),
        "supply_coal_gce_per_kwh": supply_coal(m, cfg).where(gen.notna()),
        "heat_per_mwh": (m["heat_supply_gj"] / gen).where(m["is_chp"].fillna(False)),
    }


def _heating_season(m: pd.DataFrame, heat_ratio: pd.Series) -> pd.Series:
    """"heating" / "other" for units whose heat supply is seasonal (district heating), else "all".

    A unit is seasonal when its median heat per MWh in the heating months is at
    least 1.5 times that of the other months; splitting a unit with steady
    industrial steam would halve its history for nothing.
    """
    in_season = m["period"].str[5:7].isin(HEATING_MONTHS).to_numpy(bool)
    winter = heat_ratio.where(in_season).groupby(m["unit_id"]).transform("median")
    summer = heat_ratio.where(~in_season).groupby(m["unit_id"]).transform("median")
    seasonal = (winter >= 1.5 * summer).fillna(False).to_numpy(bool)
    return pd.Series(np.where(seasonal, np.where(in_season, "heating", "other"), "all"),
                     index=m.index)


@check(id="timeseries.unit_level_shift", family="timeseries", severity="warning",
       basis="statistical",
       title_zh="与本机组历史水平明显偏离", title_en="Far from the unit's own usual level",
       message_zh="{evidence}：{observed:.4g}，本机组中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: {observed:.4g}, unit median {expected:.4g} (robust z={score:.1f})",
       needs=("monthly:generation_mwh",), scope="population",
       config_keys=("checks.robust_z_warning", "checks.robust_z_critical"),
       rationale="A unit burns much the same coal in much the same way from month to month; a "
                 "run of months far from its own level (lower carbon, less coal per MWh, a heat "
                 "drop) is how altered values show even when each stays inside a plausible band.",
       source="domain notes §7 checks 13 and 14")
def unit_level_shift(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    c = cfg["checks"]
    season = _heating_season(m, _series(m, cfg)["heat_per_mwh"])
    frames = []
    for name, values in _series(m, cfg).items():
        if values is None or values.notna().sum() == 0:
            continue
        groups = [m["unit_id"], season] if name == "heat_per_mwh" else [m["unit_id"]]
        z, med, _ = robust_z(values, groups, pooled_floor(values, groups))
        n = values.groupby(groups).transform("count")
        hit = (z.abs() > c["robust_z_warning"]) & (n >= 6)
        rows = m[hit].assign(severity=np.where(z[hit].abs() > c["robust_z_critical"],
                                               "critical", "warning"))
        zh, en, code = SERIES[name]
        frames.append(flag_rows(rows, code, values[hit], med[hit], score=z[hit].abs(),
                                evidence=f"{zh} / {en}"))
    return pd.concat(frames) if frames else pd.DataFrame()


def neighbour_max(values: pd.Series, keys: list[pd.Series], window: int) -> pd.Series:
    """Largest of the ``window`` values before and after each value in its group, itself excluded.

    ``values`` must be sorted in time within each group; missing values are skipped.
    """
    g = values.groupby(keys)
    shifted = [g.shift(k) for k in range(1, window + 1)] + [g.shift(-k) for k in
                                                           range(1, window + 1)]
    return pd.concat(shifted, axis=1).max(axis=1)


@check(id="timeseries.heat_drop", family="timeseries", severity="warning",
       basis="statistical",
       title_zh="供热量骤降", title_en="Heat supply drops",
       message_zh="单位发电量供热 {observed:.3f} GJ/MWh，前后同季月份达 {expected:.3f}",
       message_en="heat supplied {observed:.3f} GJ/MWh generated; neighbouring months of the "
                  "same season reach {expected:.3f}",
       needs=("monthly:heat_supply_gj",), config_keys=("checks.heat_drop_share",),
       rationale="A CHP unit's heat customers (steam users, district heating) do not vanish for "
                 "a few months; a run of months far below the months around it, same season, is "
                 "heat left out of the filing. Compared with the neighbouring months rather than "
                 "the unit's median, it still shows when several months of a short season were "
                 "altered.",
       source="domain notes §3.1 (heat hidden, 中碳能投) and §7 check 13 (heat-supply jumps)")
def heat_drop(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly.sort_values(["unit_id", "period"])
    ratio = _series(m, cfg)["heat_per_mwh"]
    season = _heating_season(m, ratio)
    ref = neighbour_max(ratio, [m["unit_id"], season], 4)
    share = cfg["checks"]["heat_drop_share"]
    hit = (ratio < ref * (1 - share)) & (ref > 0)
    rows = m[hit]
    return flag_rows(rows, "heat_supply_gj", ratio[hit], ref[hit],
                     score=(1 - ratio[hit] / ref[hit]) / share,
                     evidence="season=" + season[hit].astype(str))


@check(id="timeseries.change", family="timeseries", severity="warning",
       basis="statistical",
       title_zh="环比或同比变化异常", title_en="Unusual month-on-month or year-on-year change",
       message_zh="{evidence}：{observed:.4g}，对比值 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: {observed:.4g} against {expected:.4g} (robust z={score:.1f})",
       needs=("monthly:generation_mwh",), scope="population",
       config_keys=("checks.robust_z_critical",),
       rationale="Carbon, calorific value and coal use per kWh change slowly; a jump against "
                 "last month or the same month last year far beyond how such values usually "
                 "change (pooled over all units) marks a step in the data, e.g. right after a "
                 "default-value policy change.",
       source="domain notes §3.4 (step changes after policy dates) and §7 check 14")
def change(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly.sort_values(["unit_id", "period"])
    limit = cfg["checks"]["robust_z_critical"]
    per = pd.PeriodIndex(m["period"], freq="M")
    frames = []
    for name, values in _series(m, cfg).items():
        if name == "heat_per_mwh" or values is None or values.notna().sum() == 0:
            continue
        zh, en, code = SERIES[name]
        for lag, label in ((1, "环比 / month on month"), (12, "同比 / year on year")):
            prev = values.groupby(m["unit_id"]).shift(lag)
            gap = pd.Series(per.asi8, index=m.index).groupby(m["unit_id"]).diff(lag)
            prev = prev.where(gap == lag)          # only truly consecutive (or same) months
            rel = (values - prev) / prev.abs().where(prev.abs() > 0)
            med = rel.median()
            scale = (rel - med).abs().median() * MAD_TO_SD
            if not np.isfinite(scale) or scale == 0:
                continue
            z = (rel - med) / scale
            hit = z.abs() > limit
            rows = m[hit]
            frames.append(flag_rows(rows, code, values[hit], prev[hit], score=z[hit].abs(),
                                    evidence=f"{zh} / {en} · {label}"))
    return pd.concat(frames) if frames else pd.DataFrame()
