"""Explainable risk scores per enterprise, with materiality.

The score rewards evidence, not volume (config ``[risk]``):

* a flag's points are ``weight[severity] × (1 + min(score, score_cap) / score_cap)``:
  the severity sets the order of magnitude, the strength of the evidence can at most
  double it;
* repeated flags of one check on one unit saturate: the k-th strongest counts
  ``repeat_decay^(k−1)`` of its points, and together they count at most
  ``check_cap[worst severity]``, so many warnings of one statistical check on one unit
  stay below one critical rule break;
* across checks and units, an enterprise's warnings together approach but never reach
  ``warning_total_cap`` (``cap × (1 − e^(−total/cap))``), and its infos
  ``info_total_cap``: no amount of statistical oddities outranks one rule break, while
  more of them still rank an enterprise higher among those with none.

The score is the sum over checks and units, and the contribution of every check family
is kept beside it so a reviewer can see *why* an enterprise ranks where it does.
Materiality is the sum of the flags' ΔCO2 (t; positive = emissions under-reported;
where several checks price one unit-month, the largest) as a share of the filed
emissions of the same year, for the worst year, against the
2% / 5% levels of config ``[materiality]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.checks.registry import FAMILIES, SEVERITIES
from workbench.sector_metrics import counted_co2_t


def flag_points(flags: pd.DataFrame, cfg: dict) -> pd.Series:
    """Risk points of each flag on its own (before saturation)."""
    r = cfg["risk"]
    weight = flags["severity"].map(r["weights"]).astype(float)
    score = flags["score"].fillna(1.0).clip(lower=0.0, upper=r["score_cap"])
    return weight * (1.0 + score / r["score_cap"])


def check_points(flags: pd.DataFrame, cfg: dict, keys: list[str]) -> pd.DataFrame:
    """Points per ``keys`` and check, as the score counts them: ``check_id``, ``points``.

    Flags of one check on one unit are ranked by points; the k-th counts
    ``repeat_decay^(k−1)`` of its points, and the sum is capped by the worst severity
    among them (``check_cap``).  Then the warning (info) groups of each key are scaled
    together so they sum to ``cap × (1 − e^(−total/cap))`` with ``warning_total_cap``
    (``info_total_cap``); critical groups are not.  The result sums to the risk score.
    """
    r = cfg["risk"]
    group = list(dict.fromkeys([*keys, "unit_id", "check_id"]))
    f = flags.assign(points=flag_points(flags, cfg),
                     _sev=flags["severity"].map({s: i for i, s in enumerate(SEVERITIES)}))
    f = f.sort_values([*group, "points"], ascending=[True] * len(group) + [False],
                      kind="stable")
    f["points"] *= r["repeat_decay"] ** f.groupby(group).cumcount()
    g = f.groupby(group).agg(points=("points", "sum"), _sev=("_sev", "min")).reset_index()
    cap = g["_sev"].map({i: r["check_cap"][s] for i, s in enumerate(SEVERITIES)})
    g["points"] = np.minimum(g["points"], cap)
    for sev, total_cap in (("warning", r["warning_total_cap"]), ("info", r["info_total_cap"])):
        sel = g["_sev"] == SEVERITIES.index(sev)
        total = g.loc[sel].groupby(keys)["points"].transform("sum")
        soft = total_cap * (1.0 - np.exp(-total / total_cap))
        g.loc[sel, "points"] *= (soft / total.where(total > 0)).fillna(0.0)
    return g.groupby([*keys, "check_id"], as_index=False)["points"].sum()


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
    # per enterprise, each one's emissions once (a steel works' processes and a smelter's
    # potlines file parts of their enterprise level's total); per unit, the unit's own
    filed = monthly["co2_t"] if "unit_id" in k else counted_co2_t(monthly)
    filed_year = monthly.assign(year=monthly["period"].str[:4], _filed=filed).groupby(
        [*k, "year"])["_filed"].sum().rename("co2_t")
    out = pd.DataFrame(index=filed_year.groupby(level=k).sum().index)
    f = flags[(flags[k] != "").all(axis=1)]        # population flags name no enterprise
    pts = check_points(f, cfg, k)
    family = pts["check_id"].str.split(".").str[0]
    by_family = pts.pivot_table(index=k, columns=family, values="points", aggfunc="sum",
                                fill_value=0.0)
    for fam in FAMILIES:
        col = by_family[fam] if fam in by_family else pd.Series(dtype=float)
        out[f"contrib_{fam}"] = col.reindex(out.index).fillna(0.0)
    out["risk_score"] = out[[f"contrib_{fam}" for fam in FAMILIES]].sum(axis=1)
    for sev in ("critical", "warning", "info"):
        out[f"n_{sev}"] = f[f["severity"] == sev].groupby(k).size().reindex(out.index)\
            .fillna(0).astype(int)
    out = out.join(_materiality(f, filed_year, k, cfg["materiality"]))
    out["top_reasons"] = _top_reasons(pts, k).reindex(out.index).fillna("")
    out = out.reset_index().sort_values(["risk_score", *k], ascending=[False] + [True] * len(k),
                                        kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def _materiality(f: pd.DataFrame, filed_year: pd.Series, k: list[str], m: dict) -> pd.DataFrame:
    """ΔCO2, filed CO2, materiality and its level for each key's worst year."""
    # several checks may price the same misstatement: per unit-month the largest counts
    d = f.dropna(subset=["delta_co2_t"])
    cell = list(dict.fromkeys([*k, "unit_id", "period"]))
    d = d.loc[d["delta_co2_t"].abs().groupby([d[c] for c in cell]).idxmax()] if len(d) else d
    delta = d.assign(year=d["year"].astype("string")).groupby([*k, "year"])["delta_co2_t"].sum()
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


def _top_reasons(pts: pd.DataFrame, keys: list[str], n: int = 3) -> pd.Series:
    """The ``n`` checks that give each key most points, as ``check (points); ...``."""
    if pts.empty:
        return pd.Series(dtype="string")
    g = pts.sort_values([*keys, "points", "check_id"],
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
