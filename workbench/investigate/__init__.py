"""Investigation cases for analysts: one enterprise, one laboratory or one verification agency.

Each ``*_case`` function takes a :class:`~workbench.review.ReviewData` (a dataset with its
screening results) and one ID and returns a case: a summary dict and small frames that the
investigation notebooks (``notebooks/investigate_*.ipynb``) show as they are.  The screening
results are the evidence: date, batch and reuse problems of lab reports are the
``evidence.*`` flags (:mod:`workbench.checks.evidence`), risk points come from
:func:`workbench.risk.check_points`, scorecards from :mod:`workbench.kpi`; no check is
re-derived here.

An empty ID or ``"auto"`` picks the highest-risk case: the enterprise ranked first, the lab
with the largest share of flagged reports (:func:`workbench.kpi.lab_scorecard`), the
verifier with the largest share of enterprises with a critical flag
(:func:`workbench.kpi.verifier_scorecard`).  An ID the dataset does not hold raises
:class:`UnknownCaseError`, which names close known IDs.

Modules: :mod:`.case` (ID resolution, the case base, flag counting, heading and summary),
:mod:`.enterprise`, :mod:`.lab`, :mod:`.verifier` (one case kind each), :mod:`.figures`,
:mod:`.checks_used` (the checks a case rests on, explained: rule, source, thresholds),
:mod:`.about` (what a report says about itself: generation time, dataset fingerprint,
workbench version, configuration hash, and the findings already recorded).
Frames are shown as escaped HTML tables with zh/en headers by :mod:`workbench.tables`,
re-exported here so that a notebook needs one import.
"""

from workbench.investigate.about import (
    about_html,
    case_enterprises,
    findings_display,
    findings_frame,
    read_findings,
    report_about,
)
from workbench.investigate.case import (
    AUTO_IDS,
    KIND_LABELS,
    Case,
    UnknownCaseError,
    case_metadata,
    case_table_html,
    case_title,
    critical_enterprises,
    flag_counts,
    heading_html,
    known_ids,
    report_flags,
    reports_with_flags,
    resolve_id,
    summary_html,
)
from workbench.investigate.checks_used import case_checks, checks_frame, checks_html
from workbench.investigate.enterprise import (
    EnterpriseCase,
    enterprise_case,
    key_series,
    risk_by_check,
)
from workbench.investigate.figures import (
    co2_difference_figure,
    lab_month_figure,
    report_lag_figure,
    reports_per_day_figure,
    series_figure,
)
from workbench.investigate.lab import (
    DATE_CHECKS,
    REUSE_CHECKS,
    LabCase,
    lab_case,
    lab_comparison,
    reports_per_day,
)
from workbench.investigate.verifier import VerifierCase, verification_differences, verifier_case
from workbench.labels import header
from workbench.plots import plot_config
from workbench.tables import check_title, display_frame, table_html

__all__ = [
    "AUTO_IDS", "DATE_CHECKS", "KIND_LABELS", "REUSE_CHECKS", "Case", "EnterpriseCase", "LabCase",
    "UnknownCaseError", "VerifierCase", "about_html", "case_checks", "case_enterprises",
    "case_metadata", "case_table_html", "case_title", "findings_display", "findings_frame",
    "read_findings", "report_about",
    "check_title", "checks_frame", "checks_html",
    "co2_difference_figure", "critical_enterprises", "display_frame", "enterprise_case",
    "flag_counts", "heading_html", "key_series", "known_ids", "header", "lab_case",
    "lab_comparison", "lab_month_figure", "plot_config", "report_flags", "report_lag_figure",
    "reports_per_day", "reports_per_day_figure", "reports_with_flags", "resolve_id",
    "risk_by_check", "series_figure", "summary_html", "table_html", "verification_differences",
    "verifier_case",
]
