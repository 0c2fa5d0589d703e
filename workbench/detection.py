"""Detection measured against a generated dataset's ``truth.csv``.

* recall per injected kind: a truth row is found when a warning or critical
  flag names its enterprise, period and unit (an enterprise-level truth row,
  with no unit, is found by a flag on that enterprise and period);
* precision of critical flags at enterprise-period level: the share of
  enterprise-periods with a critical flag that hold an injected problem;
* the share of clean enterprises (no injected problem) with any critical flag;
* how many injected enterprises rank in the top N of the risk list (N = their number).
"""

from __future__ import annotations

import pandas as pd


def evaluate(flags: pd.DataFrame, risk: pd.DataFrame, truth: pd.DataFrame,
             enterprises: pd.Series) -> dict:
    """All figures as a JSON-ready dict (see the module docstring)."""
    truth = truth.fillna("").astype(str)
    # truth.csv names annual problems by their year in ``period``; flags keep years apart
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
    crit = flags[flags["severity"] == "critical"]
    crit_ep = set(zip(crit["enterprise_id"], crit["period"], strict=True)) - {("", "")}
    true_ep = set(zip(truth["enterprise_id"], truth["period"], strict=True))
    precision = len(crit_ep & true_ep) / len(crit_ep) if crit_ep else 1.0
    injected = set(truth["enterprise_id"])
    clean = set(enterprises) - injected
    clean_crit = clean & set(crit["enterprise_id"])
    top = set(risk.sort_values("rank").head(len(injected))["enterprise_id"])
    return {
        "recall_by_kind": {k: {"recall": round(float(r["mean"]), 3), "found": int(r["sum"]),
                               "rows": int(r["count"])} for k, r in recall.iterrows()},
        "min_recall": round(float(recall["mean"].min()), 3) if len(recall) else None,
        "critical_enterprise_periods": len(crit_ep),
        "critical_precision": round(precision, 3),
        "clean_enterprises": len(clean),
        "clean_with_critical": len(clean_crit),
        "clean_with_critical_share": round(len(clean_crit) / len(clean), 3) if clean else 0.0,
        "injected_enterprises": len(injected),
        "injected_in_top_n": len(top & injected),
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
        f"{result['injected_in_top_n']}",
    ]
    return "\n".join(lines)
