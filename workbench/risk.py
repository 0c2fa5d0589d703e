"""Explainable risk scores per enterprise, with materiality.

Each flag contributes ``weight[severity] × min(score, cap)`` to its
enterprise's score (weights and cap in config ``[risk]``); the score is the
sum, and the contribution of every check family is kept beside it so a
reviewer can see *why* an enterprise ranks where it does.  Materiality is the
sum of the flags' ΔCO2 (t; positive = emissions under-reported) as a share of
the enterprise's filed emissions in the screened period, against the 2% / 5%
levels of config ``[materiality]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.checks.registry import FAMILIES


def flag_points(flags: pd.DataFrame, cfg: dict) -> pd.Series:
    """Risk points of each flag."""
    r = cfg["risk"]
    weight = flags["severity"].map(r["weights"]).astype(float)
    score = flags["score"].fillna(1.0).clip(lower=0.0, upper=r["score_cap"])
    return weight * score.where(score > 0, 1.0)


def risk_table(flags: pd.DataFrame, monthly: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """One row per enterprise: ``enterprise_id, risk_score, rank``, family contributions,
    flag counts by severity, ΔCO2 and materiality."""
    ents = monthly.groupby("enterprise_id")["co2_t"].sum().rename("filed_co2_t")
    out = pd.DataFrame(index=ents.index)
    f = flags.assign(points=flag_points(flags, cfg))
    by_family = f.pivot_table(index="enterprise_id", columns=f["check_id"].str.split(".").str[0],
                              values="points", aggfunc="sum", fill_value=0.0)
    for fam in FAMILIES:
        out[f"contrib_{fam}"] = by_family.get(fam, pd.Series(dtype=float)).reindex(out.index)\
            .fillna(0.0)
    contrib = [f"contrib_{fam}" for fam in FAMILIES]
    out["risk_score"] = out[contrib].sum(axis=1)
    for sev in ("critical", "warning", "info"):
        out[f"n_{sev}"] = f[f["severity"] == sev].groupby("enterprise_id").size()\
            .reindex(out.index).fillna(0).astype(int)
    delta = f.groupby("enterprise_id")["delta_co2_t"].sum(min_count=1).reindex(out.index)
    out["delta_co2_t"] = delta.fillna(0.0)
    out["filed_co2_t"] = ents
    out["materiality"] = (out["delta_co2_t"].abs() / out["filed_co2_t"].where(
        out["filed_co2_t"] > 0)).fillna(0.0)
    m = cfg["materiality"]
    out["materiality_level"] = np.select(
        [out["materiality"] >= m["level_high"], out["materiality"] >= m["level_low"]],
        ["above_5pct", "above_2pct"], default="below")
    out["top_reasons"] = _top_reasons(f).reindex(out.index).fillna("")
    out = out.reset_index().sort_values(["risk_score", "enterprise_id"],
                                        ascending=[False, True], kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def _top_reasons(f: pd.DataFrame, k: int = 3) -> pd.Series:
    """The ``k`` checks that give an enterprise most points, as ``check (points)``."""
    if f.empty:
        return pd.Series(dtype="string")
    g = f.groupby(["enterprise_id", "check_id"])["points"].sum().reset_index()
    g = g.sort_values(["enterprise_id", "points", "check_id"], ascending=[True, False, True])
    g = g.groupby("enterprise_id").head(k)
    return g.groupby("enterprise_id").apply(
        lambda d: "; ".join(f"{c} ({p:.0f})" for c, p in zip(d["check_id"], d["points"],
                                                             strict=True)))


def spot_check_sample(risk: pd.DataFrame, enterprises: pd.DataFrame, per_city: int,
                      seed: int) -> pd.DataFrame:
    """Risk-weighted sample of enterprises per city for on-site checks, without replacement.

    Selection probability is proportional to ``1 + risk_score`` (every enterprise
    can be drawn); the seed is recorded in the returned ``seed`` column.
    """
    rng = np.random.default_rng(seed)
    df = risk.merge(enterprises[["enterprise_id", "province", "city"]], on="enterprise_id")
    picks = []
    for (_prov, _city), g in df.sort_values("enterprise_id").groupby(["province", "city"]):
        n = min(per_city, len(g))
        p = (1.0 + g["risk_score"].to_numpy()) / (1.0 + g["risk_score"].to_numpy()).sum()
        chosen = rng.choice(len(g), size=n, replace=False, p=p)
        picks.append(g.iloc[np.sort(chosen)])
    out = pd.concat(picks, ignore_index=True) if picks else df.iloc[:0]
    return out.assign(seed=seed)
