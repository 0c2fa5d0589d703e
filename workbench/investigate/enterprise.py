"""One enterprise's case: risk by check, flags by family, key series, labs, revisions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.enterprise_card import enterprise_summary, risk_by_check
from workbench.investigate.case import (
    Case,
    flag_counts,
    known_ids,
    reports_with_flags,
    resolve_id,
)
from workbench.review import ReviewData, key_parameters


@dataclass
class EnterpriseCase(Case):
    """One enterprise (see :func:`enterprise_case`)."""

    risk_by_check: pd.DataFrame
    flag_counts: pd.DataFrame
    flags: pd.DataFrame
    series: pd.DataFrame
    labs: pd.DataFrame
    revisions: pd.DataFrame


def key_series(review: ReviewData, enterprise_id: str) -> pd.DataFrame:
    """Monthly series of the key parameters of every unit (``review.history``, long format):
    unit_id, parameter_code, period, value (parameter unit), revisions, flag_severity."""
    units = review.units_of(enterprise_id)
    frames = [review.history(enterprise_id, unit, code).assign(unit_id=unit, parameter_code=code)
              for unit, kind in zip(units["unit_id"], units["unit_category_code"], strict=True)
              for code in review.parameters_of(enterprise_id, unit)
              if code in key_parameters(kind)]
    cols = ["unit_id", "parameter_code", "period", "value", "revisions", "flag_severity"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def enterprise_case(review: ReviewData, enterprise_id: str | None) -> EnterpriseCase:
    """The case file of one enterprise (credit code; empty or "auto" = rank 1)."""
    ranking = review.enterprise_list()
    eid = resolve_id("enterprise", enterprise_id, known_ids("enterprise", ranking, review.labs),
                     ranking["enterprise_id"].iloc[0])
    flags = review.flags_of(eid)
    summary = enterprise_summary(review, eid)
    labs = reports_with_flags(review.labs_of(eid), review.flags)
    return EnterpriseCase(
        kind="enterprise", case_id=eid, name=str(summary["enterprise_name"]), summary=summary,
        risk_by_check=risk_by_check(flags, review.cfg), flag_counts=flag_counts(flags),
        flags=flags[["severity", "check_id", "unit_id", "period", "parameter_code", "message_zh",
                     "message_en", "observed", "expected", "delta_co2_t"]],
        series=key_series(review, eid),
        labs=labs[["report_id", "unit_id", "covered_period", "lab_name", "sample_id",
                   "report_date", "days_after_month_end", "carbon_ar_pct", "ncv_ar_gj_per_t",
                   "n_flags", "worst_severity"]],
        revisions=review.revisions_of(eid))
