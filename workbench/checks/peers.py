"""Peer checks: a unit against similar units (EPA's "expected range for similar facilities").

Peer groups are the narrowest of unit category × capacity band × province,
category × capacity band nationally, and category nationally that has at least
``checks.peer_min_size`` units.  Two checks:

* robust z-scores (median / MAD) of a unit's typical value of the year within
  its peer group (supply coal consumption, own-use rate, load factor);
* the C_ar–NCV relation: as-received carbon rises almost linearly with
  calorific value across coals, so a robust regression (statsmodels RLM,
  Huber) of C_ar on NCV per fuel and coal rank gives an expected carbon for
  each report, shifted by the unit's own typical residual and judged against
  the unit's own scatter (floored by the pooled scatter of all units); lowered
  carbon shows as a large negative residual.  EU rules allow this very
  correlation as a proxy (MRR).

Both write what they computed (``peer_values``; ``carbon_ncv_fits`` and
``carbon_ncv_reports``) so the reviewer's views draw the very groups and bands
that flagged a unit.

Source: domain notes §5 (EPA comparison with similar facilities; EU NCV–carbon
correlation) and §7 checks 4 and 14.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from workbench.checks.inputs import Inputs
from workbench.checks.ranges import supply_coal
from workbench.checks.registry import Computed, check, flag_rows
from workbench.checks.timeseries import MAD_TO_SD, judged, robust_z


def capacity_band(capacity_mw: pd.Series, edges: list[float]) -> pd.Series:
    """Capacity band label (``<200``, ``200-400`` … MW) from the config's band edges."""
    labels = [f"<{edges[0]:g}"] + [f"{a:g}-{b:g}" for a, b in zip(edges, edges[1:],
                                                                    strict=False)]
    labels.append(f">={edges[-1]:g}")
    idx = np.searchsorted(np.asarray(edges, dtype=float), capacity_mw.to_numpy(float),
                          side="right")
    return pd.Series(np.asarray(labels, dtype=object)[idx], index=capacity_mw.index)


def peer_group(units: pd.DataFrame, min_size: int, edges: list[float]) -> pd.Series:
    """Peer group per unit: the narrowest of category × capacity band × province,
    category × capacity band nationally, or category nationally that has ``min_size`` units."""
    cat = units["unit_category_code"].astype(str)
    band = capacity_band(units["capacity_mw"], edges)
    candidates = [cat + "|" + band + "|" + units["province"].astype(str),
                  cat + "|" + band + "|national", cat + "|national"]
    out = candidates[-1].copy()
    for cand in reversed(candidates[:-1]):
        size = cand.map(cand.value_counts())
        out = cand.where(size >= min_size, out)
    return out


@check(id="peers.unit_vs_peers", family="peers", subject="unit_year", severity="warning", basis="statistical",
       title_zh="与同类机组相比异常", title_en="Unusual against peer units",
       message_zh="{evidence}：本机组 {observed:.4g}，同类中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: unit {observed:.4g}, peer median {expected:.4g} "
                  "(robust z={score:.1f})",
       needs=("monthly:generation_mwh",), scope="population",
       uses=("monthly:supply_mwh", "monthly:fuel_heat_gj", "monthly:own_use_mwh",
             "monthly:load_factor"),
       config_keys=("checks.peer_min_size", "checks.capacity_band_edges_mw",
                    "checks.robust_z_warning", "checks.peer_min_rel_scale",
                    "checks.stat_min_operating_share", "checks.stat_min_capacity_share"),
       rationale="A unit whose coal use per kWh or own use sits far from units of its class "
                 "either runs unusually or files unusual numbers; either is worth a look. One "
                 "typical value per unit and year (median of the months it ran), so outages "
                 "and part-load months do not decide it.",
       rationale_zh="供电煤耗或厂用电率与同类机组相差很远的机组，要么运行方式特殊，要么填报的数字"
                    "异常，两者都值得一查。每台机组每年只取一个典型值（运行月份的中位数），因此停"
                    "机和低负荷月份不会左右判断。",
       source="EPA GHGRP post-submission checks (ccdsupport Q407); domain notes §7 check 14")
def unit_vs_peers(x: Inputs, cfg: dict) -> Computed:
    m = x.monthly
    c = cfg["checks"]
    groups = peer_group(x.units.set_index("unit_id"), c["peer_min_size"],
                        c["capacity_band_edges_mw"])
    m = m.assign(peer=m["unit_id"].map(groups), year=m["year"].astype(str))
    running = judged(m, cfg)
    quantities = {
        "supply_coal_gce_per_kwh": (supply_coal(m, cfg).where(running & (m["supply_mwh"] > 0)),
                                    "coal_consumption_t", "供电煤耗 / supply coal consumption",
                                    "gce/kWh"),
        "own_use_rate": ((m["own_use_mwh"] / m["generation_mwh"]).where(running),
                         "own_use_mwh", "厂用电率 / own-use rate", ""),
        "load_factor": (m["load_factor"].where(running), "load_factor",
                        "负荷系数 / load factor", ""),
    }
    frames, tables = [], []
    for name, (values, code, label, unit) in quantities.items():
        typical = values.groupby([m["unit_id"], m["year"]]).transform("median")
        per_unit = m.assign(v=typical).drop_duplicates(["unit_id", "year"]).dropna(subset=["v"])
        if per_unit.empty:
            continue
        z, med, scale = robust_z(per_unit["v"], [per_unit["peer"], per_unit["year"]],
                                 per_unit["v"].abs().median() * c["peer_min_rel_scale"])
        size = per_unit.groupby(["peer", "year"])["unit_id"].transform("count")
        tables.append(pd.DataFrame({
            "unit_id": per_unit["unit_id"], "enterprise_id": per_unit["enterprise_id"],
            "year": per_unit["year"], "quantity": name, "peer_group": per_unit["peer"],
            "value": per_unit["v"], "peer_median": med, "peer_scale": scale, "z": z,
            "peers": size}))
        hit = z.abs() > c["robust_z_warning"]
        rows = per_unit[hit].assign(period=per_unit.loc[hit, "year"])
        frames.append(flag_rows(rows, code, rows["v"], med[hit], score=z[hit].abs(),
                                evidence=label + " · peers " + rows["peer"], value_unit=unit))
    return Computed(pd.concat(frames) if frames else pd.DataFrame(),
                    {"peer_values": pd.concat(tables, ignore_index=True) if tables
                     else pd.DataFrame()})


def carbon_ncv_fit(lab: pd.DataFrame) -> tuple[float, float, float]:
    """Robust fit C_ar (%) = a + b · NCV (GJ/t) over lab reports (statsmodels RLM, Huber).

    Returns (a, b, scale): the scale is RLM's robust estimate of the residual spread
    (percentage points), learned from the population, not assumed.
    """
    X = sm.add_constant(lab["ncv_ar_gj_per_t"].to_numpy(float))
    res = sm.RLM(lab["carbon_ar_pct"].to_numpy(float), X, M=sm.robust.norms.HuberT()).fit()
    a, b = res.params
    return float(a), float(b), float(res.scale)


def coal_rank(ncv_median: pd.Series, edges: list[float]) -> pd.Series:
    """Rank band of each unit's coal from its median NCV (GJ/t): ``low`` (lignite-like),
    ``mid`` (sub-bituminous-like), ``high`` (bituminous and better) at the config's edges."""
    idx = np.searchsorted(np.asarray(edges, dtype=float), ncv_median.to_numpy(float),
                          side="right")
    return pd.Series(np.asarray(["low", "mid", "high"], dtype=object)[np.minimum(idx, 2)],
                     index=ncv_median.index).where(ncv_median.notna())


#: Columns of the per-report band table screening writes (``computed/carbon_ncv_reports``).
BAND_COLUMNS = ("report_id", "enterprise_id", "unit_id", "period", "fit_group",
                "ncv_ar_gj_per_t", "carbon_ar_pct", "expected", "expected_low",
                "expected_high", "z", "basis", "unit_offset_pct", "scale_pct")


def carbon_ncv_bands(lab: pd.DataFrame, units: pd.DataFrame, cfg: dict
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fits per fuel and coal rank, and each report's expected C_ar and band.

    A report is judged against the population fit of its fuel and rank (its unit's
    median NCV), shifted by its own unit's typical residual when the unit has at least
    ``carbon_ncv_min_own_reports`` reports (a mine's coal sits consistently above or
    below the population line; real spread is wider than one line), with a band of
    ``robust_z_warning`` × the larger of the unit's own residual spread and the pooled
    within-unit spread; a unit with too few reports gets the population band.
    Returns (fits, bands) with :data:`BAND_COLUMNS`.
    """
    c = cfg["checks"]
    lab = lab.dropna(subset=["carbon_ar_pct", "ncv_ar_gj_per_t"])
    fuel = lab["unit_id"].map(units.set_index("unit_id")["fuel_code"]).fillna("coal")
    rank = lab["unit_id"].map(coal_rank(lab.groupby("unit_id")["ncv_ar_gj_per_t"].median(),
                                        c["carbon_ncv_rank_edges_gj_per_t"])).fillna("mid")
    group = fuel + "|" + rank
    small = group.map(group.value_counts()) < c["carbon_ncv_min_reports"]
    group = group.where(~small, fuel + "|all")
    fits, parts = [], []
    for name, sub in lab.groupby(group):
        if len(sub) < c["carbon_ncv_min_reports"]:
            continue
        a, b, scale = carbon_ncv_fit(sub)
        fits.append({"fit_group": name, "a": a, "b": b, "scale_pct": scale, "reports": len(sub),
                     "ncv_min": float(sub["ncv_ar_gj_per_t"].min()),
                     "ncv_max": float(sub["ncv_ar_gj_per_t"].max())})
        resid = sub["carbon_ar_pct"] - (a + b * sub["ncv_ar_gj_per_t"])
        parts.append(sub.assign(fit_group=name, _line=a + b * sub["ncv_ar_gj_per_t"],
                                _resid=resid, _pop_scale=scale))
    if not parts:
        return pd.DataFrame(fits), pd.DataFrame(columns=list(BAND_COLUMNS))
    r = pd.concat(parts)
    by_unit = r.groupby("unit_id")["_resid"]
    n_own = by_unit.transform("count")
    offset = by_unit.transform("median")
    spread = (r["_resid"] - offset).abs().groupby(r["unit_id"]).transform("median") * MAD_TO_SD
    own = n_own >= c["carbon_ncv_min_own_reports"]
    pooled = spread[own].groupby(r.loc[own, "unit_id"]).first().median() if own.any() else 0.0
    scale = np.where(own, np.maximum(spread, max(pooled, c["carbon_ncv_min_scale_pct"])),
                     np.maximum(r["_pop_scale"], c["carbon_ncv_min_scale_pct"]))
    expected = r["_line"] + np.where(own, offset, 0.0)
    half = c["robust_z_warning"] * scale
    bands = pd.DataFrame({
        "report_id": r["report_id"], "enterprise_id": r["enterprise_id"],
        "unit_id": r["unit_id"], "period": r["period"], "fit_group": r["fit_group"],
        "ncv_ar_gj_per_t": r["ncv_ar_gj_per_t"], "carbon_ar_pct": r["carbon_ar_pct"],
        "expected": expected, "expected_low": expected - half, "expected_high": expected + half,
        "z": (r["carbon_ar_pct"] - expected) / scale,
        "basis": np.where(own, "own_history", "population"),
        "unit_offset_pct": np.where(own, offset, 0.0), "scale_pct": scale,
    })
    return pd.DataFrame(fits), bands.reset_index(drop=True)


@check(id="peers.carbon_ncv_regression", family="peers", subject="lab_report", value_unit="%", severity="warning",
       basis="statistical",
       title_zh="元素碳含量偏离碳-热值回归带", title_en="Carbon off the C_ar–NCV regression band",
       message_zh="收到基碳 {observed:.2f}%，按同类煤质回归与本机组历史应约为 {expected:.2f}%"
                  "（{expected_low:.2f}–{expected_high:.2f}）",
       message_en="as-received carbon {observed:.2f}%; the C_ar–NCV fit of its coal rank and "
                  "the unit's history expect about {expected:.2f}% "
                  "({expected_low:.2f}–{expected_high:.2f})",
       needs=("labs",), scope="population",
       config_keys=("checks.robust_z_warning", "checks.carbon_ncv_min_reports",
                    "checks.carbon_ncv_min_own_reports", "checks.carbon_ncv_min_scale_pct",
                    "checks.carbon_ncv_rank_edges_gj_per_t"),
       rationale="Carbon and calorific value of coal move together; lowering carbon alone (the "
                 "commonest carbon fraud) leaves a report below the band. The band is fitted per "
                 "fuel and coal rank with a robust spread learned from the population, and "
                 "follows each unit's own coal (its typical distance from the line and its own "
                 "scatter), so a coal that always sits off the line is not flagged for it.",
       rationale_zh="煤的元素碳含量和发热量同向变化；只压低碳含量（最常见的碳数据造假手法）会使报"
                    "告落在回归带下方。回归带按燃料和煤种分别拟合，其稳健离散度由全体数据学习得到"
                    "，并跟随每台机组自己的煤质（其到回归线的典型距离及其自身离散程度），因此煤质"
                    "一贯偏离回归线的机组不会因此被标记。",
       source="EU MRR NCV–carbon proxy correlation; domain notes §7 check 4; statsmodels RLM")
def carbon_ncv_regression(x: Inputs, cfg: dict) -> Computed:
    fits, bands = carbon_ncv_bands(x.labs, x.units, cfg)
    tables = {"carbon_ncv_fits": fits, "carbon_ncv_reports": bands}
    if bands.empty:
        return Computed(pd.DataFrame(), tables)
    hit = bands["z"].abs() > cfg["checks"]["robust_z_warning"]
    rows = bands[hit]
    flags = flag_rows(rows, "carbon_ar_pct", rows["carbon_ar_pct"], rows["expected"],
                      rows["expected_low"], rows["expected_high"], score=rows["z"].abs(),
                      delta_co2_t=_carbon_delta(rows, rows["expected"], x.monthly),
                      evidence=rows["fit_group"] + " · " + rows["basis"] + " · report "
                      + rows["report_id"].astype(str))
    return Computed(flags, tables)


def _carbon_delta(rows: pd.DataFrame, expected_c_ar: pd.Series, monthly: pd.DataFrame
                  ) -> pd.Series:
    """ΔCO2 (t) of the unit-month if its carbon were the regression's expectation.

    CO2 is proportional to carbon at fixed coal and NCV, so Δ = CO2 × (expected / filed − 1);
    positive when carbon (and so CO2) looks under-reported.
    """
    co2 = monthly.set_index(["unit_id", "period"])["co2_t"]
    filed_co2 = pd.Series(co2.reindex(pd.MultiIndex.from_frame(rows[["unit_id", "period"]]))
                          .to_numpy(), index=rows.index)
    return filed_co2 * (expected_c_ar / rows["carbon_ar_pct"] - 1.0)
