"""What every investigation case shares: ID resolution ("auto" = highest risk, unknown
IDs named with close matches), the :class:`Case` base, flag counting over lab reports,
and the case heading and summary as HTML.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from workbench.checks.registry import FAMILIES, SEVERITIES
from workbench.i18n import pick
from workbench.labels import CASE_KINDS, header
from workbench.tables import cell_text, table_html

#: IDs that pick the highest-risk case.
AUTO_IDS = frozenset({"", "auto"})
#: What each case kind is called (zh, en).
KIND_LABELS = CASE_KINDS

_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


class UnknownCaseError(ValueError):
    """An enterprise, lab or verifier ID the dataset does not hold; the message (zh/en)
    names the ID and a few close known IDs."""

    @classmethod
    def for_id(cls, kind: str, given: str, known: Iterable[str]) -> UnknownCaseError:
        """The error for ``given`` among the ``known`` IDs of case ``kind``."""
        known = list(dict.fromkeys(str(k) for k in known if pd.notna(k)))
        close = difflib.get_close_matches(given, known, n=5, cutoff=0.4) or known[:5]
        zh, en = KIND_LABELS[kind]
        return cls(f"未找到{zh} / unknown {en.lower()} {given!r}; "
                   f"相近的已知ID / close known IDs: {', '.join(close)}")


def known_ids(kind: str, enterprises: pd.DataFrame, labs: pd.DataFrame | None) -> pd.Series:
    """The IDs a case of ``kind`` is opened by: credit codes, lab names and CMA/CNAS numbers
    (from ``labs``, needed for labs only), or verification agency names."""
    if kind == "enterprise":
        return enterprises["enterprise_id"]
    if kind == "lab":
        return pd.concat([labs["lab_name"], labs["lab_accreditation_no"]])
    return enterprises["verifier_name"]


def resolve_id(kind: str, given: str | None, known: pd.Series, highest_risk: str) -> str:
    """``given`` when it is one of the ``known`` IDs, ``highest_risk`` for an empty or "auto"
    ID; else :class:`UnknownCaseError`."""
    given = (given or "").strip()
    if given.lower() in AUTO_IDS:
        return highest_risk
    if given in set(known.dropna()):
        return given
    raise UnknownCaseError.for_id(kind, given, known)


@dataclass
class Case:
    """What every case has: its kind, resolved ID, display name and summary."""

    kind: str
    case_id: str
    name: str
    summary: dict[str, object]

    @property
    def label(self) -> str:
        """Name and ID, or the name alone when it is the ID (labs, verifiers)."""
        return self.name if self.name == self.case_id else f"{self.name} · {self.case_id}"



def flag_counts(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags counted by check family (rows, in family order) and severity (columns)."""
    family = flags["check_id"].str.split(".").str[0]
    counts = pd.crosstab(family, flags["severity"]).reindex(
        index=[f for f in FAMILIES if f in set(family)], columns=list(SEVERITIES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="family", columns=None).reset_index()


def critical_enterprises(flags: pd.DataFrame) -> set[str]:
    """Enterprises with at least one critical flag."""
    return set(flags.loc[flags["severity"] == "critical", "enterprise_id"])


def report_flags(reports: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Flags raised on lab reports, one row per report and flag.

    A flag belongs to a report when it names the report (``report_id``), which is how
    the screening files flags about lab reports (and how :func:`workbench.kpi.lab_scorecard`
    matches them).
    """
    keys = reports[["report_id"]]
    return keys.merge(flags[flags["report_id"] != ""], on="report_id")


def reports_with_flags(reports: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Lab reports with the days from month end to the report date, the days from the end
    of sampling to the report, and the number and worst severity of their flags; flagged
    reports first (critical, then warning, then info), otherwise in the order given."""
    month_end = pd.to_datetime(reports["covered_period"] + "-01") + pd.offsets.MonthEnd(0)
    on = report_flags(reports, flags)
    rank = on["severity"].map(_SEVERITY_ORDER).groupby(on["report_id"]).min()
    worst = {report: SEVERITIES[int(r)] for report, r in rank.items()}
    out = reports.assign(
        days_after_month_end=(reports["report_date"] - month_end).dt.days,
        days_sampling_to_report=(reports["report_date"] - reports["sampling_end_date"]).dt.days,
        n_flags=reports["report_id"].map(on.groupby("report_id").size()).fillna(0).astype(int),
        worst_severity=[worst.get(r, "") for r in reports["report_id"]])
    order = out["worst_severity"].map(_SEVERITY_ORDER).fillna(len(SEVERITIES))
    return out.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def by_check(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags counted by check (rows, most first) and severity (columns)."""
    counts = pd.crosstab(flags["check_id"], flags["severity"]).reindex(
        columns=list(SEVERITIES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="check_id", columns=None).sort_values(
        "total", ascending=False).reset_index()


#: Rows a case table shows before it scrolls; every row is in the page all the same, and
#: a printed report (PDF) shows them all.
SCROLL_ROWS = 25


def case_table_html(frame: pd.DataFrame, locale: str) -> str:
    """A case table in full (escaped, zh/en headers, :func:`workbench.tables.table_html`):
    never cut.  One of more than :data:`SCROLL_ROWS` rows says how many it has and scrolls
    in a block of its own on screen (class ``wb-scroll``; printing lifts the height limit,
    see :mod:`workbench.case_report`)."""
    table = table_html(frame, locale, max_rows=max(len(frame), 1))
    if len(frame) <= SCROLL_ROWS:
        return table
    count = html.escape(pick(f"共 {len(frame)} 行，全部列出（可滚动）",
                             f"All {len(frame)} rows (scroll)", locale))
    return (f'<p class="wb-rows">{count}</p><div class="wb-scroll" '
            f'style="max-height:36em;overflow:auto">{table}</div>')


def summary_html(case: Case, locale: str) -> str:
    """The case summary as a two-column escaped HTML table (item, value)."""
    rows = pd.DataFrame({"field": [header(k, locale) for k in case.summary],
                         "value": [cell_text(k, v, locale) for k, v in case.summary.items()]})
    return rows.to_html(index=False, escape=True, na_rep="—", header=False)


def case_title(kind: str, locale: str) -> str:
    """The title of an investigation of ``kind`` ("企业调查" / "Enterprise investigation")."""
    zh, en = KIND_LABELS[kind]
    return pick(f"{zh}调查", f"{en} investigation", locale)


def heading_html(case: Case, locale: str) -> str:
    """The report heading: the investigation's title, the case's name and ID (escaped)."""
    return f"<h2>{html.escape(case_title(case.kind, locale))}: {html.escape(case.label)}</h2>"


def case_metadata(case: Case) -> dict[str, dict[str, str]]:
    """Output metadata naming the case, which :mod:`workbench.case_report` reads back to
    title the exported HTML with the resolved ID (also when it was "auto")."""
    return {"workbench_case": {"kind": case.kind, "id": case.case_id, "label": case.label}}
