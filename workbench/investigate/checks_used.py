"""The checks an investigation case rests on, explained: the "checks used" table of case
reports (rule, why it matters, source, thresholds in force;
:func:`workbench.checks_doc.check_explanation`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import pandas as pd

from workbench.checks_doc import checks_named, checks_used_frame, checks_used_html
from workbench.investigate.case import Case


def case_checks(case: Case) -> list[str]:
    """The checks the case's tables name (their ``check_id`` columns), in registry order."""
    named = [frame["check_id"] for frame in (getattr(case, f.name) for f in fields(case))
             if isinstance(frame, pd.DataFrame) and "check_id" in frame.columns]
    return checks_named(pd.concat(named) if named else [])


def checks_html(case: Case, cfg: Mapping[str, Any], locale: str) -> str:
    """The checks of :func:`case_checks` explained, as an escaped HTML table."""
    return checks_used_html(case_checks(case), cfg, locale)


def checks_frame(case: Case, cfg: Mapping[str, Any], locale: str) -> pd.DataFrame:
    """The checks of :func:`case_checks` explained, headers in ``locale`` (a workbook sheet)."""
    return checks_used_frame(case_checks(case), cfg, locale)
