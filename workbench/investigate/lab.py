"""One laboratory's case: all its reports across enterprises, reports per day, date logic,
reused results (the ``evidence.*`` flags), and its standing among all labs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench import kpi
from workbench.investigate.case import (
    Case,
    by_check,
    critical_enterprises,
    known_ids,
    report_flags,
    reports_with_flags,
    resolve_id,
)
from workbench.review import ReviewData

#: Evidence checks on lab-report dates and batches, and on reused results or samples.
DATE_CHECKS = ("evidence.date_order", "evidence.report_deadline", "evidence.batch_backtesting")
REUSE_CHECKS = ("evidence.result_reused", "evidence.sample_id_reused")


@dataclass
class LabCase(Case):
    """One laboratory across all enterprises (see :func:`lab_case`)."""

    reports: pd.DataFrame
    by_enterprise: pd.DataFrame
    by_month: pd.DataFrame
    per_day: pd.DataFrame
    dates: pd.DataFrame
    reused: pd.DataFrame
    flags_by_check: pd.DataFrame
    comparison: pd.DataFrame


def lab_comparison(review: ReviewData) -> pd.DataFrame:
    """Every lab's scorecard (:func:`workbench.kpi.lab_scorecard`) with the enterprises it
    reports for and the share of them with a critical flag (any check)."""
    x = review.inputs()
    critical = critical_enterprises(review.flags)
    served = x.labs[["lab_name", "enterprise_id"]].drop_duplicates()
    per_lab = served.assign(critical=served["enterprise_id"].isin(critical)).groupby("lab_name")
    return kpi.lab_scorecard(x, review.flags).merge(
        per_lab.agg(enterprises=("enterprise_id", "size"),
                    share_enterprises_critical=("critical", "mean")).reset_index(),
        on="lab_name", how="left")


def reports_per_day(reports: pd.DataFrame) -> pd.DataFrame:
    """Reports issued per day, busiest first: reports, enterprises, units, months covered and
    the most reports one unit got that day (several months of one unit issued on one day
    is how a batch test is dressed up as monthly reports)."""
    g = reports.groupby("report_date")
    out = pd.DataFrame({
        "reports": g.size(), "enterprises": g["enterprise_id"].nunique(),
        "units": g["unit_id"].nunique(), "periods_covered": g["covered_period"].nunique(),
        "most_for_one_unit": reports.groupby(["report_date", "unit_id"]).size()
        .groupby(level=0).max()})
    return out.rename_axis("report_date").reset_index().sort_values(
        ["reports", "most_for_one_unit", "report_date"], ascending=[False, False, True],
        kind="stable").reset_index(drop=True)


def lab_case(review: ReviewData, lab: str | None) -> LabCase:
    """The case file of one laboratory, by ``lab_name`` or ``lab_accreditation_no`` (empty
    or "auto" = the lab with the largest share of flagged reports)."""
    comparison = lab_comparison(review)
    labs = review.labs
    key = resolve_id("lab", lab, known_ids("lab", review.enterprises, labs),
                     comparison["lab_name"].iloc[0])
    mine = labs[(labs["lab_name"] == key) | (labs["lab_accreditation_no"] == key)]
    names = sorted(mine["lab_name"].unique())
    reports = reports_with_flags(mine, review.flags).merge(
        review.enterprises[["enterprise_id", "enterprise_name"]], on="enterprise_id", how="left")
    on_reports = report_flags(mine, review.flags).merge(
        reports.drop(columns=["unit_id", "enterprise_id"]), on="report_id")
    critical = critical_enterprises(review.flags)
    per_enterprise = reports.groupby(["enterprise_id", "enterprise_name"])
    by_enterprise = per_enterprise.agg(
        reports=("report_id", "size"), units=("unit_id", "nunique"),
        first_period=("covered_period", "min"), last_period=("covered_period", "max"),
        flagged_reports=("n_flags", lambda n: int((n > 0).sum()))).reset_index()
    by_enterprise["has_critical"] = by_enterprise["enterprise_id"].isin(critical)
    per_day = reports_per_day(reports)
    all_served = labs["enterprise_id"].drop_duplicates()
    comparison = comparison.assign(is_this_case=comparison["lab_name"].isin(names))
    summary = {
        "lab_name": " / ".join(names),
        "lab_accreditation_no": " / ".join(sorted(mine["lab_accreditation_no"].dropna().unique()))
        or "—",
        "reports": len(reports), "enterprises": len(by_enterprise),
        "units": int(reports["unit_id"].nunique()),
        "first_period": reports["covered_period"].min(),
        "last_period": reports["covered_period"].max(),
        "max_reports_per_day": int(per_day["reports"].max()),
        "flagged_reports": int((reports["n_flags"] > 0).sum()),
        "share_enterprises_critical": float(by_enterprise["has_critical"].mean()),
        "share_enterprises_critical_all": float(all_served.isin(critical).mean()),
    }
    report_cols = ["report_id", "enterprise_name", "unit_id", "covered_period", "sample_id"]
    return LabCase(
        kind="lab", case_id=key, name=summary["lab_name"], summary=summary,
        reports=reports[[*report_cols, "report_date", "days_after_month_end", "carbon_ar_pct",
                         "ncv_ar_gj_per_t", "n_flags", "worst_severity", "enterprise_id"]],
        by_enterprise=by_enterprise,
        by_month=reports.groupby(["enterprise_name", "covered_period"]).size()
        .rename("reports").reset_index(),
        per_day=per_day,
        dates=on_reports[on_reports["check_id"].isin(DATE_CHECKS)][
            ["severity", "check_id", *report_cols, "sampling_end_date", "report_date",
             "days_sampling_to_report", "days_after_month_end", "evidence"]]
        .reset_index(drop=True),
        reused=on_reports[on_reports["check_id"].isin(REUSE_CHECKS)][
            ["severity", "check_id", *report_cols, "carbon_ar_pct", "ncv_ar_gj_per_t",
             "evidence"]].reset_index(drop=True),
        flags_by_check=by_check(on_reports),
        comparison=comparison)
