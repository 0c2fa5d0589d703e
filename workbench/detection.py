"""Detection measured against a generated dataset's ``truth.csv``.

* recall per injected kind: a truth row is found when a warning or critical
  flag names its enterprise, period and unit (an enterprise-level truth row,
  with no unit, is found by a flag on that enterprise and period);
* precision of critical flags at enterprise-period level: the share of
  enterprise-periods with a critical flag that hold an injected problem;
* the share of clean enterprises (no injected problem) with any critical flag;
* how many injected enterprises rank in the top N of the risk list (N = their number);
* per check, how often it flags clean data: flags per 1,000 clean unit-months (flags
  about a month or a lab report of a unit-month with no injected problem) or per 1,000
  clean unit-years (flags about a unit's year), critical and all.
"""

from __future__ import annotations

import pandas as pd


def clean_rates(flags: pd.DataFrame, truth: pd.DataFrame, unit_months: pd.DataFrame
                ) -> dict[str, dict]:
    """Per check: flags on clean unit-months (or unit-years) per 1,000 of them.

    ``unit_months`` lists every (unit_id, period) the dataset holds.  A unit-month is clean
    when no truth row names it, nor its enterprise for that month (enterprise-level rows).
    """
    um = unit_months[["unit_id", "period"]].drop_duplicates().merge(
        unit_months[["unit_id", "enterprise_id"]].drop_duplicates(), on="unit_id")
    t_unit = set(zip(truth["unit_id"], truth["period"], strict=True))
    t_ent = set(zip(truth.loc[truth["unit_id"] == "", "enterprise_id"],
                    truth.loc[truth["unit_id"] == "", "period"], strict=True))
    dirty_month = [(u, p) in t_unit or (e, p) in t_ent
                   for u, p, e in zip(um["unit_id"], um["period"], um["enterprise_id"],
                                      strict=True)]
    clean = um[~pd.Series(dirty_month, index=um.index)]
    clean_months = set(zip(clean["unit_id"], clean["period"], strict=True))
    dirty_years = {(u, p[:4]) for u, p in zip(um["unit_id"], um["period"], strict=True)
                   if (u, p) not in clean_months}
    years = {(u, p[:4]) for u, p in zip(um["unit_id"], um["period"], strict=True)}
    clean_years = years - dirty_years
    out = {}
    named = flags[flags["unit_id"] != ""]
    for check_id, f in named.groupby("check_id"):
        monthly = f["period"] != ""
        if monthly.any():
            keys = list(zip(f.loc[monthly, "unit_id"], f.loc[monthly, "period"], strict=True))
            base, per, n_base = clean_months, "unit-month", len(clean_months)
        else:
            keys = list(zip(f["unit_id"], f["year"].astype("string"), strict=True))
            base, per, n_base = clean_years, "unit-year", len(clean_years)
        on_clean = pd.Series([k in base for k in keys], index=f.index[monthly] if
                             monthly.any() else f.index)
        sub = f.loc[on_clean.index[on_clean]]
        subjects = sub.drop_duplicates(["unit_id", "period", "year", "report_id"])
        crit = subjects[subjects["severity"] == "critical"]
        out[check_id] = {"per": per, "clean": n_base,
                         "flags_per_1000": round(1000 * len(subjects) / max(n_base, 1), 2),
                         "critical_per_1000": round(1000 * len(crit) / max(n_base, 1), 2)}
    return out


def evaluate(flags: pd.DataFrame, risk: pd.DataFrame, truth: pd.DataFrame,
             enterprises: pd.Series, unit_months: pd.DataFrame | None = None,
             industry: pd.Series | None = None) -> dict:
    """All figures as a JSON-ready dict (see the module docstring); the per-check clean
    rates need ``unit_months`` (unit_id, enterprise_id, period of every monthly row); with
    ``industry`` (industry code by enterprise id) the summary figures also per sector
    (``by_sector``: each sector's enterprises, flags, risk ranks and truth; injected kinds
    are named ``<sector>.<kind>``, the power sector's without a prefix)."""
    truth = truth.fillna("").astype(str)
    # truth.csv names annual problems by their year in ``period``; flags keep years apart
    original = flags
    flags = flags.assign(period=flags["period"].where(
        flags["period"] != "", flags["year"].astype("string").fillna("")))
    serious = flags[flags["severity"].isin(["critical", "warning"])]
    unit_hits = set(zip(serious["enterprise_id"], serious["unit_id"], serious["period"],
                        strict=True))
    ent_hits = set(zip(serious["enterprise_id"], serious["period"], strict=True))
    found = [(e, p) in ent_hits if u == "" else (e, u, p) in unit_hits
             for e, u, p in zip(truth["enterprise_id"], truth["unit_id"], truth["period"],
                                strict=True)]
    t = truth.assign(found=found)
    recall = t.groupby("kind")["found"].agg(["mean", "sum", "count"])
    out = {
        "recall_by_kind": {k: {"recall": round(float(r["mean"]), 3), "found": int(r["sum"]),
                               "rows": int(r["count"])} for k, r in recall.iterrows()},
        "min_recall": round(float(recall["mean"].min()), 3) if len(recall) else None,
        **_summary(flags, risk, truth, set(enterprises)),
        "clean_rates": clean_rates(original, truth, unit_months) if unit_months is not None
        else {},
    }
    if industry is not None:
        out["by_sector"] = {}
        for sector, ents in industry.groupby(industry).groups.items():
            ents = set(ents)
            t = truth[truth["enterprise_id"].isin(ents)]
            if t.empty:
                continue
            rec = recall.loc[[k for k in recall.index if k.split(".")[0] == sector
                              or ("." not in k and sector == "power")]]
            out["by_sector"][sector] = {
                "min_recall": round(float(rec["mean"].min()), 3) if len(rec) else None,
                **_summary(flags[flags["enterprise_id"].isin(ents)],
                           risk[risk["enterprise_id"].isin(ents)], t, ents)}
    return out


def _summary(flags: pd.DataFrame, risk: pd.DataFrame, truth: pd.DataFrame,
             enterprises: set) -> dict:
    """Critical precision, clean enterprises with a critical flag and injected enterprises in
    the top N of ``risk`` (N = their number), over ``enterprises``."""
    crit = flags[flags["severity"] == "critical"]
    crit_ep = set(zip(crit["enterprise_id"], crit["period"], strict=True)) - {("", "")}
    true_ep = set(zip(truth["enterprise_id"], truth["period"], strict=True))
    precision = len(crit_ep & true_ep) / len(crit_ep) if crit_ep else 1.0
    injected = set(truth["enterprise_id"])
    clean = enterprises - injected
    clean_crit = clean & set(crit["enterprise_id"])
    top = set(risk.sort_values("rank").head(len(injected))["enterprise_id"])
    return {
        "critical_enterprise_periods": len(crit_ep),
        "critical_precision": round(precision, 3),
        "clean_enterprises": len(clean),
        "clean_with_critical": len(clean_crit),
        "clean_with_critical_share": round(len(clean_crit) / len(clean), 3) if clean else 0.0,
        "injected_enterprises": len(injected),
        "injected_in_top_n": len(top & injected),
        "injected_in_top_n_share": round(len(top & injected) / len(injected), 3)
        if injected else 1.0,
    }


def to_markdown(result: dict) -> str:
    """The recall table and the summary figures as Markdown."""
    lines = ["| kind | recall | found / rows |", "|---|---|---|"]
    for kind, r in sorted(result["recall_by_kind"].items()):
        lines.append(f"| `{kind}` | {r['recall']:.2f} | {r['found']} / {r['rows']} |")
    lines += [
        "",
        f"- critical flags on true problems (enterprise-period): "
        f"{result['critical_precision']:.1%} of {result['critical_enterprise_periods']}",
        f"- clean enterprises with a critical flag: {result['clean_with_critical']} of "
        f"{result['clean_enterprises']} ({result['clean_with_critical_share']:.1%})",
        f"- injected enterprises in the top {result['injected_enterprises']} of the risk list: "
        f"{result['injected_in_top_n']} ({result['injected_in_top_n_share']:.0%})",
    ]
    if result.get("by_sector"):
        lines += ["", "| sector | min recall | critical precision | clean with a critical "
                      "flag | injected in top N |", "|---|---|---|---|---|"]
        for sector, r in result["by_sector"].items():
            lines.append(
                f"| {sector} | {r['min_recall']:.2f} | {r['critical_precision']:.1%} of "
                f"{r['critical_enterprise_periods']} | {r['clean_with_critical']} of "
                f"{r['clean_enterprises']} ({r['clean_with_critical_share']:.1%}) | "
                f"{r['injected_in_top_n']} of {r['injected_enterprises']} "
                f"({r['injected_in_top_n_share']:.0%}) |")
    if result.get("clean_rates"):
        lines += ["", "Flags on clean data, per check (per 1,000 clean unit-months, or "
                      "unit-years for checks about a unit's year):", "",
                  "| check | per | all flags | critical |", "|---|---|---|---|"]
        rates = sorted(result["clean_rates"].items(), key=lambda kv: -kv[1]["flags_per_1000"])
        lines += [f"| `{c}` | {r['per']} | {r['flags_per_1000']:.1f} | "
                  f"{r['critical_per_1000']:.1f} |" for c, r in rates]
    return "\n".join(lines)
