"""Peer checks: a unit against similar units (EPA's "expected range for similar facilities").

Peer groups are the narrowest of unit category × capacity band × province,
category × capacity band nationally, and category nationally that has at least
``checks.peer_min_size`` units.  Two checks:

* robust z-scores (median / MAD) of a unit's typical value of the year within
  its peer group (supply coal consumption, own-use rate, load factor);
* the C_ar–NCV relation: as-received carbon rises almost linearly with
  calorific value across coals, so a robust regression (statsmodels RLM,
  Huber) of C_ar on NCV over all lab reports of the peer population gives an
  expected carbon for each report; lowered carbon shows as a large negative
  residual.  EU rules allow this very correlation as a proxy (MRR).

Source: domain notes §5 (EPA comparison with similar facilities; EU NCV–carbon
correlation) and §7 checks 4 and 14.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from workbench.checks.inputs import Inputs
from workbench.checks.ranges import supply_coal
from workbench.checks.registry import check, flag_rows
from workbench.checks.timeseries import MAD_TO_SD, robust_z


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


@check(id="peers.unit_vs_peers", family="peers", severity="warning", basis="statistical",
       title_zh="与同类机组相比异常", title_en="Unusual against peer units",
       message_zh="{evidence}：本机组 {observed:.4g}，同类中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: unit {observed:.4g}, peer median {expected:.4g} "
                  "(robust z={score:.1f})",
       needs=("monthly:supply_mwh",), scope="population",
       config_keys=("checks.peer_min_size", "checks.robust_z_warning"),
       rationale="A unit whose coal use per kWh or own use sits far from units of its class "
                 "either runs unusually or files unusual numbers; either is worth a look.",
       source="EPA GHGRP post-submission checks (ccdsupport Q407); domain notes §7 check 14")
def unit_vs_peers(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    c = cfg["checks"]
    groups = peer_group(x.units.set_index("unit_id"), c["peer_min_size"],
                        c["capacity_band_edges_mw"])
    m = m.assign(peer=m["unit_id"].map(groups), year=m["year"].astype(str))
    quantities = {
        "supply_coal_gce_per_kwh": (supply_coal(m, cfg).where(m["supply_mwh"] > 0),
                                    "coal_consumption_t", "供电煤耗 / supply coal consumption"),
        "own_use_rate": ((m["own_use_mwh"] / m["generation_mwh"]).where(
            m["generation_mwh"] > 0), "own_use_mwh", "厂用电率 / own-use rate"),
        "load_factor": (m["load_factor"].where(m["operating_hours_h"] > 0), "load_factor",
                        "负荷系数 / load factor"),
    }
    frames = []
    for _name, (values, code, label) in quantities.items():
        # one typical value per unit and year, so long outages do not dominate
        typical = values.groupby([m["unit_id"], m["year"]]).transform("median")
        per_unit = m.assign(v=typical).drop_duplicates(["unit_id", "year"])
        z, med, _ = robust_z(per_unit["v"], [per_unit["peer"], per_unit["year"]],
                             per_unit["v"].abs().median() * 0.01)
        hit = z.abs() > c["robust_z_warning"]
        rows = per_unit[hit].assign(period=per_unit.loc[hit, "year"])
        frames.append(flag_rows(rows, code, rows["v"], med[hit], score=z[hit].abs(),
                                evidence=label + " · peers " + rows["peer"]))
    return pd.concat(frames) if frames else pd.DataFrame()


def carbon_ncv_fit(lab: pd.DataFrame) -> tuple[float, float, float]:
    """Robust fit C_ar = a + b · NCV over lab reports; returns (a, b, robust residual scale)."""
    X = sm.add_constant(lab["ncv_ar_gj_per_t"].to_numpy(float))
    res = sm.RLM(lab["carbon_ar_pct"].to_numpy(float), X, M=sm.robust.norms.HuberT()).fit()
    a, b = res.params
    resid = lab["carbon_ar_pct"].to_numpy(float) - (a + b * lab["ncv_ar_gj_per_t"].to_numpy(float))
    scale = np.median(np.abs(resid - np.median(resid))) * MAD_TO_SD
    return float(a), float(b), float(scale)


@check(id="peers.carbon_ncv_regression", family="peers", severity="warning",
       basis="statistical",
       title_zh="元素碳含量偏离碳-热值回归带", title_en="Carbon off the C_ar–NCV regression band",
       message_zh="收到基碳 {observed:.2f}%，按同类煤质回归应约为 {expected:.2f}%"
                  "（{expected_low:.2f}–{expected_high:.2f}）",
       message_en="as-received carbon {observed:.2f}%; peers' C_ar–NCV fit expects about "
                  "{expected:.2f}% ({expected_low:.2f}–{expected_high:.2f})",
       needs=("labs",), scope="population",
       config_keys=("checks.robust_z_warning", "checks.robust_z_critical"),
       rationale="Carbon and calorific value of coal move together; lowering carbon alone (the "
                 "commonest carbon fraud) leaves a report far below the band of its peers.",
       source="EU MRR NCV–carbon proxy correlation; domain notes §7 check 4")
def carbon_ncv_regression(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    lab = lab[lab["carbon_ar_pct"].notna() & lab["ncv_ar_gj_per_t"].notna()]
    if len(lab) < 30:
        return pd.DataFrame()
    c = cfg["checks"]
    fuel = lab["unit_id"].map(x.units.set_index("unit_id")["fuel_code"]).fillna("coal")
    frames = []
    for fuel_code, sub in lab.groupby(fuel):
        if len(sub) < 30:
            continue
        a, b, scale = carbon_ncv_fit(sub)
        expected = a + b * sub["ncv_ar_gj_per_t"]
        z = (sub["carbon_ar_pct"] - expected) / max(scale, 0.05)
        hit = z.abs() > c["robust_z_warning"]
        rows = sub[hit].assign(severity=np.where(z[hit].abs() > c["robust_z_critical"],
                                                 "critical", "warning"))
        band = c["robust_z_warning"] * scale
        frames.append(flag_rows(
            rows, "carbon_ar_pct", rows["carbon_ar_pct"], expected[hit], expected[hit] - band,
            expected[hit] + band, score=z[hit].abs(),
            delta_co2_t=_carbon_delta(rows, expected[hit], x.monthly),
            evidence=f"C_ar = {a:.2f} + {b:.3f}·NCV ({fuel_code}, n={len(sub)}) · report "
                     + rows["report_id"].astype(str)))
    return pd.concat(frames) if frames else pd.DataFrame()


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
