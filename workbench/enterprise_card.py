"""Who the reviewer is looking at: one enterprise's card.

The same facts head the reviewer app, the dashboard's drill-down and the enterprise case
report: name, credit code, province and city, industry, verifier; its units (capacity,
category, fuel); rank "r/N" and risk score with what makes it up (risk points per check,
summing to the score); materiality; the checks that could not run for want of data;
the findings already recorded (by status, overdue ones counted) and how many of its
flags a reviewer has disposed of.  Pure functions over a
:class:`~workbench.review.ReviewData` and what the findings store returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from workbench.findings.codes import FINAL_STATUSES
from workbench.findings.model import flag_key
from workbench.review import ReviewData
from workbench.risk import check_points

#: Flag-key columns of a flags table, in :func:`workbench.findings.model.flag_key` order.
FLAG_KEY_COLUMNS = ("check_id", "enterprise_id", "unit_id", "period", "parameter_code")


def _count(value: object) -> int:
    """A flag count of the risk table (an enterprise without flags has none there)."""
    return 0 if pd.isna(value) else int(value)


def risk_by_check(flags: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """The enterprise's risk score explained: per check, its flags, critical flags, risk
    points (saturated as the score counts them, :func:`workbench.risk.check_points`, summing
    to the score) and share of the score; largest first."""
    f = flags.assign(critical=flags["severity"] == "critical")
    out = f.groupby("check_id").agg(n_flags=("check_id", "size"),
                                    critical=("critical", "sum"))
    out["points"] = check_points(flags, cfg, ["enterprise_id"]).groupby("check_id")[
        "points"].sum()
    out["share_of_score"] = out["points"] / out["points"].sum()
    return out.sort_values(["points", "n_flags"], ascending=False).reset_index()


def enterprise_summary(review: ReviewData, enterprise_id: str) -> dict:
    """Identity, size, rank, score and materiality of one enterprise (credit code)."""
    ranking = review.enterprise_list()
    row = ranking.set_index("enterprise_id").loc[enterprise_id]
    units = review.units_of(enterprise_id)
    # the risk tables hold the enterprises the screening run covered (a sector without
    # checks in that run is not ranked)
    screened = enterprise_id in set(review.risk["enterprise_id"])
    return {"enterprise_id": enterprise_id, **{k: row[k] for k in (
        "enterprise_name", "province", "city", "industry_code", "verifier_name")},
        # capacity in MW is a power unit's: a steel works' or a smelter's facilities have none
        "units": len(units), "capacity_mw": float(units["capacity_mw"].sum(min_count=1)),
        "screened": screened,
        "risk_score": float(row["risk_score"]), "rank": int(row["rank"]),
        "enterprises_ranked": len(review.risk), "n_critical": _count(row["n_critical"]),
        "n_warning": _count(row["n_warning"]), "materiality": row["materiality"],
        "materiality_level": row["materiality_level"]}


def flag_keys(flags: pd.DataFrame) -> pd.Series:
    """The flag key (:func:`workbench.findings.model.flag_key`) of every flag row."""
    cols = [flags[c].astype("string").fillna("") for c in FLAG_KEY_COLUMNS]
    if flags.empty:
        return pd.Series([], index=flags.index, dtype="string")
    return pd.Series([flag_key(*values) for values in zip(*cols, strict=True)],
                     index=flags.index, dtype="string")


@dataclass
class EnterpriseCard:
    """One enterprise's card (see the module docstring)."""

    summary: dict
    units: pd.DataFrame
    risk: pd.DataFrame
    not_checked: int
    partly_checked: int
    findings_by_status: dict[str, int] = field(default_factory=dict)
    findings_overdue: int = 0
    flags_total: int = 0
    flags_disposed: int = 0


def enterprise_card(review: ReviewData, enterprise_id: str, findings: Iterable = (),
                    dispositions: Iterable = (), today: date | None = None) -> EnterpriseCard:
    """The card of ``enterprise_id``; ``findings`` and ``dispositions`` are what the store
    holds (any enterprise's: only this one's count).  A finding is overdue when its due date
    has passed (``today``, default the current date) and it is neither closed nor dismissed."""
    today = today or date.today()
    flags = review.flags_of(enterprise_id)
    coverage = review.coverage_of(enterprise_id)
    mine = [f for f in findings if f.enterprise_id == enterprise_id]
    by_status: dict[str, int] = {}
    for f in mine:
        by_status[f.status] = by_status.get(f.status, 0) + 1
    keys = set(flag_keys(flags))
    units = review.units_of(enterprise_id)[
        ["unit_id", "capacity_mw", "unit_category_code", "fuel_code", "is_chp",
         "design_capacity_kt", "rated_capacity_t_per_d", "cells", "line_current_ka"]]
    return EnterpriseCard(
        summary=enterprise_summary(review, enterprise_id),
        units=units.reset_index(drop=True),
        risk=risk_by_check(flags, review.cfg),
        not_checked=int((coverage["status"] == "not_checked").sum()),
        partly_checked=int((coverage["status"] == "partial").sum()),
        findings_by_status=by_status,
        findings_overdue=sum(1 for f in mine if f.due_date and f.due_date < today
                             and f.status not in FINAL_STATUSES),
        flags_total=len(flags),
        flags_disposed=sum(1 for d in dispositions
                           if d.enterprise_id == enterprise_id and d.flag_key in keys))
