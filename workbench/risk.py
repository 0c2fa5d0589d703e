"""Explainable risk scores per enterprise, with materiality.

Each flag contributes ``weight[severity] × min(score, cap)`` to its
enterprise's (and its unit's) score (weights and cap in config ``[risk]``); the score is the
sum, and the contribution of every check family is kept beside it so a
reviewer can see *why* an enterprise ranks where it does.  Materiality is the
sum of the flags' ΔCO2 (t; positive = emissions under-reported) as a share of
the filed emissions of the same year, for the worst year, against the 2% / 5%
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


def risk_table(flags: pd.DataFrame, monthly: pd.DataFrame, cfg: dict,
               keys: tuple[str, ...] = ("enterprise_id",)) -> pd.DataFrame:
    """One row per enterprise (or per ``keys``, e.g. enterprise and unit): ``risk_score``,
    ``rank``, the contribution of each check family, flag counts by severity, ΔCO2 and
    materiality of the worst year.

    Materiality per year = |Σ ΔCO2 of the year's flags| / filed CO2 of that year; the
    enterprise is material when the worst year reaches 2 % (filed > ``large_installation_t``)
    or 5 % (smaller), as the EU AVR grades installations.
    """
    k = list(keys)
    filed_year = monthly.assign(year=monthly["period"].str[:4]).groupby(
        [*k, "year"])["co2_t"].sum()
    out = pd.DataFrame(index=filed_year.groupby(level=k).sum().index)
    f = flags.assign(points=flag_points(flags, cfg))
    f = f[(f[k] != "").all(axis=1)]               # population flags name no enterprise
    family = f["check_id"].str.split(".").str[0]
    by_family = f.pivot_table(index=k, columns=family, values="points", aggfunc="sum",
                              fill_value=0.0)
    for fam in FAMILIES:
        col = by_family[fam] if fam in by_family else pd.Series(dtype=float)
        out[f"contrib_{fam}"] = col.reindex(out.index).fillna(0.0)
    out["risk_score"] = out[[f"contrib_{fam}" for fam in FAMILIES]].sum(axis=1)
    for sev in ("critical", "warning", "info"):
        out[f"n_{sev}"] = f[f["severity"] == sev].groupby(k).size().reindex(out.index)\
            .fillna(0).astype(int)
    out = out.join(_materiality(f, filed_year, k, cfg["materiality"]))
    out["top_reasons"] = _top_reasons(f, k).reindex(out.index).fillna("")
    out = out.reset_index().sort_values(["risk_score", *k], ascending=[False] + [True] * len(k),
                                        kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def _materiality(f: pd.DataFrame, filed_year: pd.Series, k: list[str], m: dict) -> pd.DataFrame:
    """ΔCO2, filed CO2, materiality and its level for each key's worst year."""
    delta = f.assign(year=f["period"].str[:4]).groupby([*k, "year"])["delta_co2_t"].sum()
    year = pd.DataFrame({"filed_co2_t": filed_year}).join(delta.rename("delta_co2_t"))
    year["delta_co2_t"] = year["delta_co2_t"].fillna(0.0)
    year["materiality"] = (year["delta_co2_t"].abs()
                           / year["filed_co2_t"].where(year["filed_co2_t"] > 0)).fillna(0.0)
    worst = year.reset_index().sort_values([*k, "materiality", "year"],
                                           ascending=[True] * len(k) + [False, True])
    worst = worst.groupby(k).head(1).set_index(k).rename(columns={"year": "materiality_year"})
    large = worst["filed_co2_t"] > m["large_installation_t"]
    threshold = np.where(large, m["level_low"], m["level_high"])
    worst["materiality_level"] = np.select(
        [worst["materiality"] >= m["level_high"], worst["materiality"] >= m["level_low"]],
        ["above_5pct", "above_2pct"], default="below")
    worst["is_material"] = worst["materiality"] >= threshold
    worst["materiality_year"] = worst["materiality_year"].astype("string")
    return worst[["delta_co2_t", "filed_co2_t", "materiality", "materiality_year",
                  "materiality_level", "is_material"]]


def _top_reasons(f: pd.DataFrame, keys: list[str], n: int = 3) -> pd.Series:
    """The ``n`` checks that give each key most points, as ``check (points); ...``."""
    if f.empty:
        return pd.Series(dtype="string")
    g = f.groupby([*keys, "check_id"])["points"].sum().reset_index()
    g = g.sort_values([*keys, "points", "check_id"],
                      ascending=[True] * len(keys) + [False, True])
    g = g.groupby(keys).head(n)
    g["reason"] = g["check_id"] + " (" + g["points"].round(0).astype(int).astype(str) + ")"
    return g.groupby(keys)["reason"].agg("; ".join)


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
