"""Time-series checks: a unit's month against what is normal for that unit, learned from data.

Nothing about the calendar is assumed.  A unit-month is compared with its
**seasonal baseline** (:func:`seasonal_baseline`):

* the same calendar month of the unit's other years, where it has them;
* otherwise the unit's own level in the months of the same season — months
  whose peer profile is within ``checks.seasonal_regime_factor`` of this one's —
  rescaled by that profile; the profile comes from units of the same province and
  seasonal class (a series whose 90th percentile is at
  least ``checks.seasonal_amplitude_min`` times its median, such as district
  heating, is "seasonal"; steady industrial steam is not), pooled over years.
  Heating seasons differ by province (Northeast from mid-October, Beijing from
  mid-November, none in the South); the profile of a province's own units
  carries that, shoulder months included.

The deviation is the log ratio to the baseline; its scale is learned per peer
group and calendar month where at least ``checks.seasonal_scale_min_units`` units
share it (more than a profile needs: a few altered units must not set the yardstick), else per calendar month over all units (so noisy shoulder months, half in and
half out of a heating season, get a wider band than mid-winter), and never
narrower than the unit's own spread once the unit has
``checks.seasonal_own_spread_min_months`` months of the series.  Months a unit ran for less than
``checks.stat_min_operating_share`` of the month (outages, start-ups, partial
months) are not judged for quantities per MWh, whose ratios explode at low
output.

Source: domain notes §7 checks 13 (heat-supply jumps) and 14 (month-on-month
and year-on-year changes, step changes); robust scale = 1.4826 · MAD.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.checks.inputs import Inputs
from workbench.checks.ranges import supply_coal
from workbench.checks.registry import Computed, check, flag_rows

MAD_TO_SD = 1.4826
#: quantity -> (label zh, label en, parameter code it points at, unit)
SERIES = {
    "cc_tc_per_gj": ("单位热值含碳量", "carbon content per unit heat", "cc_tc_per_gj", "tC/GJ"),
    "carbon_ar_pct": ("收到基元素碳含量", "as-received carbon", "carbon_ar_pct", "%"),
    "ncv_gj_per_t": ("收到基低位发热量", "NCV", "ncv_gj_per_t", "GJ/t"),
    "supply_coal_gce_per_kwh": ("供电煤耗（扣除供热）", "supply coal consumption net of heat",
                                "coal_consumption_t", "gce/kWh"),
    "heat_per_mwh": ("单位发电量供热", "heat supplied per MWh generated", "heat_supply_gj",
                     "GJ/MWh"),
}
#: Config keys every check on seasonal baselines reads (:func:`seasonal_baseline`, :func:`judged`).
BASELINE_KEYS = ("checks.robust_z_warning", "checks.stat_min_months",
                 "checks.seasonal_amplitude_min", "checks.seasonal_min_units",
                 "checks.seasonal_scale_min_units", "checks.seasonal_min_log_scale",
                 "checks.seasonal_own_spread_min_months", "checks.seasonal_regime_factor",
                 "checks.stat_min_operating_share", "checks.stat_min_capacity_share")
#: Monthly inputs of the monitored series (each missing one leaves its series unchecked).
SERIES_INPUTS = ("monthly:cc_tc_per_gj", "monthly:carbon_ar_pct", "monthly:ncv_gj_per_t",
                 "monthly:supply_mwh")
#: Columns of the seasonal-baseline table screening writes (``computed/seasonal_baselines``).
BASELINE_COLUMNS = ("unit_id", "period", "series", "value", "expected", "log_ratio", "scale",
                    "z", "peer_group", "basis")


def robust_z(values: pd.Series, groups: list[pd.Series], floor: pd.Series | float
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Robust z-score of each value within its group: (x − median) / (1.4826 · MAD).

    ``floor`` bounds the scale from below: a group of a few values that happen to
    sit close together would otherwise turn ordinary noise into huge z.
    Returns (z, median, scale).
    """
    med = values.groupby(groups).transform("median")
    mad = (values - med).abs().groupby(groups).transform("median") * MAD_TO_SD
    scale = np.maximum(mad, floor)
    return (values - med) / scale, med, scale


def judged(m: pd.DataFrame, cfg: dict) -> pd.Series:
    """Unit-months that ran long enough to judge a quantity per MWh.

    Operating hours at least ``stat_min_operating_share`` of the month; where hours are
    not filed, generation at least ``stat_min_capacity_share`` of capacity × month.
    """
    c = cfg["checks"]
    hours = m["operating_hours_h"] / m["hours_in_month"]
    output = m["generation_mwh"] / (m["capacity_mw"] * m["hours_in_month"])
    ok = hours.ge(c["stat_min_operating_share"]).where(hours.notna(),
                                                       output.ge(c["stat_min_capacity_share"]))
    return ok.fillna(False).astype(bool) & (m["generation_mwh"] > 0)


def series(m: pd.DataFrame, cfg: dict) -> dict[str, pd.Series]:
    """The monitored quantities per unit-month (NaN where not judged)."""
    gas = m["fuel_code"] == "natural_gas"
    running = judged(m, cfg)
    measured = m["source_cc_tc_per_gj"] != "default"
    return {
        "cc_tc_per_gj": m["cc_tc_per_gj"].where(measured.fillna(True) & ~gas),
        "carbon_ar_pct": m["carbon_ar_pct"],
        "ncv_gj_per_t": m["ncv_gj_per_t"],
        "supply_coal_gce_per_kwh": supply_coal(m, cfg).where(running & (m["supply_mwh"] > 0)),
        "heat_per_mwh": (m["heat_supply_gj"] / m["generation_mwh"]).where(
            running & m["is_chp"].fillna(False).astype(bool)),
    }


def seasonal_baseline(values: pd.Series, m: pd.DataFrame, cfg: dict,
                      reference: str = "median") -> pd.DataFrame:
    """Each unit-month's expected value, log deviation, learned scale and robust z.

    See the module docstring.  ``reference`` says how the unit's other months of the same
    season set the expectation: their ``median`` (a two-sided check), or their ``max``
    (a one-sided drop: any month untouched in the season then sets the bar, even when
    most of the season was altered).  Returns a frame on ``values``' index with ``expected``,
    ``log_ratio``, ``scale``, ``z``, ``peer_group``, ``basis`` (``own_years`` or
    ``peers``) and ``n`` (the unit's judged months).
    """
    c = cfg["checks"]
    v = values.where(values > 0).astype(float)
    unit, month = m["unit_id"], m["period"].str[5:7]
    by_unit = v.groupby(unit)
    level = by_unit.transform("median")
    amplitude = (unit.map(by_unit.quantile(0.9)).astype(float) / level).fillna(1.0)
    cls = np.where(amplitude >= c["seasonal_amplitude_min"], "seasonal", "steady")
    group = pd.Series(m["province"].astype(str).to_numpy() + "|" + cls, index=m.index)
    units_in = pd.Series(unit.where(v.notna()).groupby(group).transform("nunique"),
                         index=m.index)
    group = group.where(units_in >= c["seasonal_min_units"], "national|" + pd.Series(cls,
                                                                                     index=m.index))
    # a profile needs units to learn from; a unit alone would only be compared with itself
    profile = (v / level).groupby([group, month]).transform("median").where(
        unit.where(v.notna()).groupby([group, month]).transform("nunique")
        >= c["seasonal_min_units"])
    same_month = v.groupby([unit, month])
    total, count = same_month.transform("sum"), same_month.transform("count")
    own = ((total - v) / (count - 1)).where(count >= 2)
    if reference == "max":
        own = _others_max(v, [unit, month]).where(count >= 2)
    regime = _same_regime(v, profile, unit, c["seasonal_regime_factor"], reference)
    expected = own.where(own > 0, regime.where(regime > 0, level * profile))
    e = np.log(v / expected)
    # the spread of such deviations, learned per peer group and month where enough units
    # share it, else per month over all units: a few units cannot set their own yardstick
    sharing = unit.where(e.notna()).groupby([group, month]).transform("nunique")
    pooled = (e.abs().groupby([group, month]).transform("median")
              .where(sharing >= c["seasonal_scale_min_units"],
                     e.abs().groupby(month).transform("median"))) * MAD_TO_SD
    own_spread = (e - e.groupby(unit).transform("median")).abs().groupby(unit).transform(
        "median") * MAD_TO_SD
    # a unit's own spread widens the band only when it has a year of months to show it: over
    # a few months, the very months being judged would set the yardstick
    enough = by_unit.transform("count") >= c["seasonal_own_spread_min_months"]
    scale = np.maximum(np.maximum(pooled, own_spread.where(enough, 0.0)),
                       c["seasonal_min_log_scale"])
    return pd.DataFrame({
        "expected": expected, "log_ratio": e, "scale": scale, "z": e / scale,
        "peer_group": group,
        "basis": np.select([own.where(own > 0).notna(), regime.where(regime > 0).notna()],
                           ["own_years", "same_season"], default="peers"),
        "n": by_unit.transform("count"), "own_spread": own_spread,
    }, index=values.index)


def _others_max(v: pd.Series, keys: list[pd.Series]) -> pd.Series:
    """Largest value of each group other than the row's own (NaN when it has no other)."""
    g = v.groupby(keys)
    first = g.transform("max")
    ranked = v.groupby(keys).rank(method="first", ascending=False)
    second = v.where(ranked == 2).groupby(keys).transform("max")
    return first.where(ranked != 1, second)


def _same_regime(v: pd.Series, profile: pd.Series, unit: pd.Series, factor: float,
                 reference: str = "median") -> pd.Series:
    """The unit's own level in months of the same season, as its peers' profile tells them.

    For each unit-month: the median (or max), over the unit's *other* months whose peer profile is
    within ``factor`` of this month's, of their value rescaled by the profile ratio.  Which
    months are "the same season" is learned (a province whose heating starts mid-October
    has October among its winter months), and the altered month itself never sets it.
    """
    d = pd.DataFrame({"unit": unit.to_numpy(), "i": np.arange(len(v)), "v": v.to_numpy(float),
                      "p": profile.to_numpy(float)}).dropna(subset=["v", "p"])
    d = d[d["p"] > 0]
    j = d.merge(d, on="unit", suffixes=("", "_o"))
    j = j[(j["i"] != j["i_o"]) & (np.abs(np.log(j["p_o"] / j["p"])) <= np.log(factor))]
    level = (j["v_o"] * j["p"] / j["p_o"]).groupby(j["i"]).agg(reference)
    out = np.full(len(v), np.nan)
    out[level.index.to_numpy()] = level.to_numpy()
    return pd.Series(out, index=v.index)


def _baselines_table(m: pd.DataFrame, name: str, values: pd.Series, b: pd.DataFrame
                     ) -> pd.DataFrame:
    """The judged unit-months of one series with their baseline (:data:`BASELINE_COLUMNS`)."""
    keep = b["z"].notna()
    out = b.loc[keep].assign(unit_id=m.loc[keep, "unit_id"], period=m.loc[keep, "period"],
                             series=name, value=values[keep])
    return out[list(BASELINE_COLUMNS)]


@check(id="timeseries.unit_level_shift", family="timeseries", subject="monthly_value", severity="warning",
       basis="statistical",
       title_zh="与本机组同期正常水平明显偏离", title_en="Far from the unit's own seasonal normal",
       message_zh="{evidence}：{observed:.4g}，按本机组同期水平应约为 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: {observed:.4g}; the unit's seasonal normal is about {expected:.4g} "
                  "(robust z={score:.1f})",
       needs=("monthly:period",), scope="population",
       uses=SERIES_INPUTS,
       config_keys=BASELINE_KEYS,
       rationale="A unit burns much the same coal in much the same way as in the same month of "
                 "other years and as its province's peers do in that month; a month far from "
                 "that normal (lower carbon, less coal per MWh) is how altered values show even "
                 "when each stays inside a plausible band. Normal is learned from the unit's "
                 "other years and its peers, so seasons are not mistaken for anomalies.",
       rationale_zh="机组在不同年份的同一月份，燃用的煤和运行方式大体相同，也与本省同类机组当月的"
                    "情况相近；某月明显偏离这一正常水平（含碳量更低、每兆瓦时耗煤更少），正是被篡"
                    "改的数据即使每个值都在合理范围内也会暴露出来的方式。正常水平由机组其他年份的"
                    "数据和同类机组学习得到，因此不会把季节变化误判为异常。",
       source="domain notes §7 checks 13 and 14")
def unit_level_shift(x: Inputs, cfg: dict) -> Computed:
    m = x.monthly
    c = cfg["checks"]
    frames, tables = [], []
    for name, values in series(m, cfg).items():
        if name == "heat_per_mwh" or values.notna().sum() == 0:
            continue
        b = seasonal_baseline(values, m, cfg)
        tables.append(_baselines_table(m, name, values, b))
        hit = (b["z"].abs() > c["robust_z_warning"]) & (b["n"] >= c["stat_min_months"])
        zh, en, code, unit = SERIES[name]
        rows = m[hit]
        frames.append(flag_rows(rows, code, values[hit], b.loc[hit, "expected"],
                                score=b.loc[hit, "z"].abs(),
                                evidence=f"{zh} / {en} · " + b.loc[hit, "basis"].map(_BASIS),
                                value_unit=unit))
    return Computed(pd.concat(frames) if frames else pd.DataFrame(),
                    {"seasonal_baselines": pd.concat(tables) if tables else pd.DataFrame()})


_HEAT_VIEWS = {"heat_per_mwh": "单位发电量供热 / heat per MWh generated",
               "heat_per_hour": "单位运行小时供热 / heat per operating hour",
               "heat_supply_gj": "供热量 / heat supplied"}
_HEAT_UNITS = {"heat_per_mwh": "GJ/MWh", "heat_per_hour": "GJ/h", "heat_supply_gj": "GJ"}
_BASIS = {"own_years": "对比本机组其他年份同月 / vs the unit's same month of other years",
          "same_season": "对比本机组同季其他月份 / vs the unit's other months of the same "
                         "season",
          "peers": "对比本机组水平×同省同类季节规律 / vs the unit's level × its peers' "
                   "seasonal profile"}


@check(id="timeseries.heat_drop", family="timeseries", subject="monthly_value",
       severity="warning", basis="statistical",
       title_zh="供热量骤降", title_en="Heat supply drops",
       message_zh="{evidence}：{observed:.4g} {value_unit}，同期正常约 {expected:.4g}",
       message_en="{evidence}: {observed:.4g} {value_unit}; normal for the month is about "
                  "{expected:.4g}",
       needs=("monthly:heat_supply_gj",), uses=("monthly:generation_mwh",),
       scope="population",
       config_keys=("checks.heat_drop_share", *BASELINE_KEYS),
       rationale="A CHP unit's heat customers (steam users, district heating) do not vanish for "
                 "a few months; heat far below the unit's same month of other years, or below "
                 "its level times the seasonal profile of its province's peers, is heat left "
                 "out of the filing. Heat is judged three ways (per MWh generated, per operating "
                 "hour, and as supplied): heat left out lowers all of them, an outage or a "
                 "change of load only one, and each has its own learned baseline and scale; learned "
                 "from its own months, and profiles are learned too, so a province whose "
                 "heating season starts in mid-October is not flagged in October.",
       rationale_zh="热电联产机组的热用户（工业用汽、集中供暖）不会在几个月内突然消失；供热量远低"
                    "于本机组其他年份的同月水平，或低于其自身水平乘以本省同类机组的季节曲线，说明"
                    "有供热量未填报。供热量从三个角度判断（每兆瓦时发电量的供热量、每运行小时的供"
                    "热量和供热总量）：漏报供热会使三者同时下降，而停机或负荷变化只影响其中之一；"
                    "每个角度都有各自学习得到的基线和尺度，均由机组自身的月份数据学习，季节曲线也"
                    "是学习得到的，因此供暖季从10月中旬开始的省份不会在10月被标记。",
       source="domain notes §3.1 (heat hidden, 中碳能投) and §7 check 13 (heat-supply jumps)")
def heat_drop(x: Inputs, cfg: dict) -> Computed:
    m = x.monthly
    c = cfg["checks"]
    chp = m["is_chp"].fillna(False).astype(bool)
    hours = m["operating_hours_h"].where(m["operating_hours_h"] > 0)
    candidates = {"heat_per_mwh": series(m, cfg)["heat_per_mwh"],
                  "heat_per_hour": (m["heat_supply_gj"] / hours).where(chp),
                  "heat_supply_gj": m["heat_supply_gj"].where(chp)}
    base = {name: seasonal_baseline(v, m, cfg, reference="max")
            for name, v in candidates.items()}
    # heat left out lowers every view of it alike; a change of generation or hours moves
    # only one.  A month is a drop when a view falls below its baseline by the share and the
    # learned scale; it is judged on the view that falls furthest.
    drops = pd.DataFrame({n: b["z"].where((candidates[n] < b["expected"]
                                            * (1 - c["heat_drop_share"]))
                                           & (b["z"] < -c["robust_z_warning"])
                                           & (b["n"] >= c["stat_min_months"]))
                          for n, b in base.items()})
    hit = drops.notna().any(axis=1)
    name = drops[hit].idxmin(axis=1).reindex(m.index)
    b = base["heat_supply_gj"].copy()
    values = candidates["heat_supply_gj"].copy()
    for n in ("heat_per_mwh", "heat_per_hour"):
        pick = name == n
        b.loc[pick] = base[n].loc[pick]
        values[pick] = candidates[n][pick]
    rows = m[hit]
    flags = flag_rows(rows, "heat_supply_gj", values[hit], b.loc[hit, "expected"],
                      score=b.loc[hit, "z"].abs(),
                      evidence=name[hit].map(_HEAT_VIEWS) + " · "
                      + b.loc[hit, "basis"].map(_BASIS),
                      value_unit=name[hit].map(_HEAT_UNITS))
    tables = [_baselines_table(m, n, candidates[n], base[n]) for n in candidates]
    return Computed(flags, {"seasonal_baselines": pd.concat(tables, ignore_index=True)})


@check(id="timeseries.change", family="timeseries", subject="monthly_value", severity="warning",
       basis="statistical",
       title_zh="环比变化异常", title_en="Unusual month-on-month change",
       message_zh="{evidence}：{observed:.4g}，上月 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: {observed:.4g} against {expected:.4g} last month "
                  "(robust z={score:.1f})",
       needs=("monthly:period",), scope="population",
       uses=SERIES_INPUTS,
       config_keys=("checks.change_robust_z", "checks.stat_min_operating_share",
                    "checks.stat_min_capacity_share"),
       rationale="Carbon, calorific value and coal use per kWh change slowly; a jump against "
                 "last month far beyond how such values usually change between consecutive "
                 "months (pooled over all units) marks a step in the data, e.g. right after a "
                 "default-value policy change. Year on year is the seasonal check's job.",
       rationale_zh="含碳量、发热量和供电煤耗的变化都很缓慢；与上月相比的跳变远超相邻月份间通常的"
                    "变化幅度（汇总所有机组估计），说明数据出现了台阶式变化，例如缺省值政策调整之"
                    "后。同比变化由季节性检查负责。",
       source="domain notes §3.4 (step changes after policy dates) and §7 check 14")
def change(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly.sort_values(["unit_id", "period"])
    limit = cfg["checks"]["change_robust_z"]
    per = pd.Series(pd.PeriodIndex(m["period"], freq="M").asi8, index=m.index)
    consecutive = per.groupby(m["unit_id"]).diff() == 1
    frames = []
    for name, values in series(m, cfg).items():
        if name == "heat_per_mwh" or values.notna().sum() == 0:
            continue
        zh, en, code, unit = SERIES[name]
        prev = values.groupby(m["unit_id"]).shift(1).where(consecutive)
        rel = (values - prev) / prev.abs().where(prev.abs() > 0)
        med = rel.median()
        scale = (rel - med).abs().median() * MAD_TO_SD
        if not np.isfinite(scale) or scale == 0:
            continue
        z = (rel - med) / scale
        hit = z.abs() > limit
        rows = m[hit]
        frames.append(flag_rows(rows, code, values[hit], prev[hit], score=z[hit].abs(),
                                evidence=f"{zh} / {en} · 环比 / month on month",
                                value_unit=unit))
    return pd.concat(frames) if frames else pd.DataFrame()
