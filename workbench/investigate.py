"""Investigation cases for analysts: one enterprise, one laboratory or one verification agency.

Each ``*_case`` function takes a :class:`~workbench.review.ReviewData` (a dataset with its
screening results) and one ID and returns a case: a summary dict and small frames that the
investigation notebooks (``notebooks/investigate_*.ipynb``) show as they are.  The screening
results are the evidence: date, batch and reuse problems of lab reports are the
``evidence.*`` flags (:mod:`workbench.checks.evidence`), risk points come from
:func:`workbench.risk.flag_points`, scorecards from :mod:`workbench.kpi`; no check is
re-derived here.

An empty ID or ``"auto"`` picks the highest-risk case: the enterprise ranked first, the lab
with the largest share of flagged reports (:func:`workbench.kpi.lab_scorecard`), the
verifier with the largest share of enterprises with a critical flag
(:func:`workbench.kpi.verifier_scorecard`).  An ID the dataset does not hold raises
:class:`UnknownCaseError`, which names close known IDs.

Display helpers at the end turn the frames into escaped HTML tables with zh/en headers
(:func:`table_html`) and plotly figures in the house template of :mod:`workbench.plots`.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from workbench import checks, kpi, schema
from workbench.checks.registry import FAMILIES, FAMILY_LABELS, REGISTRY, SEVERITIES
from workbench.findings.codes import SEVERITIES as SEVERITY_LABELS
from workbench.findings.codes import STATUSES as STATUS_LABELS
from workbench.i18n import column_label, parameter_label, pick
from workbench.plots import SEVERITY_COLOURS, TEMPLATE
from workbench.review import KEY_PARAMETERS, ReviewData
from workbench.risk import flag_points

#: IDs that pick the highest-risk case.
AUTO_IDS = frozenset({"", "auto"})
#: What each case kind is called (zh, en).
KIND_LABELS = {"enterprise": ("企业", "Enterprise"), "lab": ("检测机构", "Laboratory"),
               "verifier": ("核查机构", "Verification agency")}
#: Evidence checks on lab-report dates and batches, and on reused results or samples.
DATE_CHECKS = ("evidence.date_order", "evidence.report_deadline", "evidence.batch_backtesting")
REUSE_CHECKS = ("evidence.result_reused", "evidence.sample_id_reused")

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


# -- shared pieces -----------------------------------------------------------------------------

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

    A flag belongs to a report when its check reads lab reports and it names the report's
    enterprise, unit and covered month, which is how the screening raises them (and how
    :func:`workbench.kpi.lab_scorecard` matches them).
    """
    checks.load_all()
    on_reports = [c.id for c in REGISTRY.values() if "labs" in c.needs]
    keys = reports[["report_id", "enterprise_id", "unit_id", "covered_period"]].rename(
        columns={"covered_period": "period"})
    return keys.merge(flags[flags["check_id"].isin(on_reports)],
                      on=["enterprise_id", "unit_id", "period"])


def reports_with_flags(reports: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Lab reports with the days from month end to the report date, the days from the end
    of sampling to the report, and the number and worst severity of their flags."""
    month_end = pd.to_datetime(reports["covered_period"] + "-01") + pd.offsets.MonthEnd(0)
    on = report_flags(reports, flags)
    rank = on["severity"].map(_SEVERITY_ORDER).groupby(on["report_id"]).min()
    worst = {report: SEVERITIES[int(r)] for report, r in rank.items()}
    out = reports.assign(
        days_after_month_end=(reports["report_date"] - month_end).dt.days,
        days_sampling_to_report=(reports["report_date"] - reports["sampling_end_date"]).dt.days,
        n_flags=reports["report_id"].map(on.groupby("report_id").size()).fillna(0).astype(int),
        worst_severity=[worst.get(r, "") for r in reports["report_id"]])
    return out.reset_index(drop=True)


# -- enterprise --------------------------------------------------------------------------------

@dataclass
class EnterpriseCase(Case):
    """One enterprise (see :func:`enterprise_case`)."""

    risk_by_check: pd.DataFrame
    flag_counts: pd.DataFrame
    flags: pd.DataFrame
    series: pd.DataFrame
    labs: pd.DataFrame
    revisions: pd.DataFrame


def risk_by_check(flags: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """The enterprise's risk score explained: per check, its flags, critical flags, risk
    points (:func:`workbench.risk.flag_points`, summing to the score) and share of the
    score; largest first."""
    f = flags.assign(points=flag_points(flags, cfg), critical=flags["severity"] == "critical")
    out = f.groupby("check_id").agg(flags=("points", "size"), critical=("critical", "sum"),
                                    points=("points", "sum"))
    out["share_of_score"] = out["points"] / out["points"].sum()
    return out.sort_values(["points", "flags"], ascending=False).reset_index()


def key_series(review: ReviewData, enterprise_id: str) -> pd.DataFrame:
    """Monthly series of the key parameters of every unit (``review.history``, long format):
    unit_id, parameter_code, period, value (parameter unit), revisions, flag_severity."""
    frames = [review.history(enterprise_id, unit, code).assign(unit_id=unit, parameter_code=code)
              for unit in review.units_of(enterprise_id)["unit_id"]
              for code in review.parameters_of(enterprise_id, unit) if code in KEY_PARAMETERS]
    cols = ["unit_id", "parameter_code", "period", "value", "revisions", "flag_severity"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def _count(value: object) -> int:
    """A flag count of the risk table (an enterprise without flags has none there)."""
    return 0 if pd.isna(value) else int(value)


def enterprise_case(review: ReviewData, enterprise_id: str | None) -> EnterpriseCase:
    """The case file of one enterprise (credit code; empty or "auto" = rank 1)."""
    ranking = review.enterprise_list()
    eid = resolve_id("enterprise", enterprise_id, known_ids("enterprise", ranking, review.labs),
                     ranking["enterprise_id"].iloc[0])
    row = ranking.set_index("enterprise_id").loc[eid]
    units = review.units_of(eid)
    flags = review.flags_of(eid)
    summary = {"enterprise_id": eid, **{k: row[k] for k in (
        "enterprise_name", "province", "city", "industry_code", "verifier_name")},
        "units": len(units), "capacity_mw": float(units["capacity_mw"].sum()),
        "risk_score": float(row["risk_score"]), "rank": int(row["rank"]),
        "enterprises_ranked": len(ranking), "n_critical": _count(row["n_critical"]),
        "n_warning": _count(row["n_warning"]), "materiality": row["materiality"],
        "materiality_level": row["materiality_level"]}
    labs = reports_with_flags(review.labs_of(eid), review.flags)
    return EnterpriseCase(
        kind="enterprise", case_id=eid, name=str(row["enterprise_name"]), summary=summary,
        risk_by_check=risk_by_check(flags, review.cfg), flag_counts=flag_counts(flags),
        flags=flags[["severity", "check_id", "unit_id", "period", "parameter_code", "message_zh",
                     "message_en", "observed", "expected", "delta_co2_t"]],
        series=key_series(review, eid),
        labs=labs[["report_id", "unit_id", "covered_period", "lab_name", "sample_id",
                   "report_date", "days_after_month_end", "carbon_ar_pct", "ncv_ar_gj_per_t",
                   "n_flags", "worst_severity"]],
        revisions=review.revisions_of(eid))


# -- laboratory --------------------------------------------------------------------------------

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
        flags_by_check=_by_check(on_reports),
        comparison=comparison)


def _by_check(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags counted by check (rows, most first) and severity (columns)."""
    counts = pd.crosstab(flags["check_id"], flags["severity"]).reindex(
        columns=list(SEVERITIES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="check_id", columns=None).sort_values(
        "total", ascending=False).reset_index()


# -- verification agency -----------------------------------------------------------------------

@dataclass
class VerifierCase(Case):
    """One verification agency (see :func:`verifier_case`)."""

    enterprises: pd.DataFrame
    flag_counts: pd.DataFrame
    returns: pd.DataFrame
    co2: pd.DataFrame
    co2_all: pd.DataFrame
    comparison: pd.DataFrame


def verification_differences(review: ReviewData) -> pd.DataFrame:
    """Every annual report: filed (reported) CO2, the sum of the monthly filed CO2, verified
    CO2 (t), and verified − reported in t and as a fraction of reported."""
    x = review.inputs()
    monthly = x.monthly.groupby(["enterprise_id", "year"])["co2_t"].sum().rename(
        "monthly_co2_t").reset_index()
    a = x.annual.merge(monthly.astype({"year": x.annual["year"].dtype}),
                       on=["enterprise_id", "year"], how="left")
    a = a.merge(review.enterprises[["enterprise_id", "enterprise_name"]], on="enterprise_id")
    diff = a["verified_co2_t"] - a["reported_co2_t"]
    return a.assign(verified_minus_reported_t=diff,
                    share_verified_minus_reported=diff / a["reported_co2_t"])[
        ["verifier_name", "enterprise_id", "enterprise_name", "year", "reported_co2_t",
         "monthly_co2_t", "verified_co2_t", "verified_minus_reported_t",
         "share_verified_minus_reported", "verification_conclusion"]]


def verifier_case(review: ReviewData, verifier: str | None) -> VerifierCase:
    """The case file of one verification agency (``verifier_name``; empty or "auto" = the
    agency with the largest share of enterprises with a critical flag)."""
    x = review.inputs()
    comparison = kpi.verifier_scorecard(x, review.flags)
    name = resolve_id("verifier", verifier, known_ids("verifier", review.enterprises, review.labs),
                      comparison["verifier_name"].iloc[0])
    ranking = review.enterprise_list()
    mine = ranking[ranking["verifier_name"] == name]
    ids = set(mine["enterprise_id"])
    returns = x.events[(x.events["event_code"] == "returned") & x.events["enterprise_id"].isin(
        ids)].merge(mine[["enterprise_id", "enterprise_name"]], on="enterprise_id")
    co2_all = verification_differences(review)
    co2 = co2_all[co2_all["verifier_name"] == name].drop(columns="verifier_name")
    enterprises = mine[["enterprise_id", "enterprise_name", "city", "risk_score", "rank",
                        "n_critical", "n_warning", "materiality_level"]].assign(
        returns=mine["enterprise_id"].map(returns.groupby("enterprise_id").size())
        .fillna(0).astype(int))
    card = comparison.set_index("verifier_name").loc[name]
    critical = critical_enterprises(review.flags)
    verified = review.enterprises.dropna(subset=["verifier_name"])["enterprise_id"]
    summary = {"verifier_name": name, "enterprises": len(mine), "enterprise_years": len(co2),
               "returns": len(returns), "returns_per_period": float(card["returns_per_period"]),
               "share_with_critical": float(card["share_with_critical"]),
               "share_with_critical_all": float(verified.isin(critical).mean()),
               "share_corrected": float(card["share_corrected"]),
               "verified_minus_reported_t": float(co2["verified_minus_reported_t"].sum())}
    return VerifierCase(
        kind="verifier", case_id=name, name=name, summary=summary, enterprises=enterprises,
        flag_counts=flag_counts(review.flags[review.flags["enterprise_id"].isin(ids)]),
        returns=returns[["enterprise_id", "enterprise_name", "period", "event_at", "level_code",
                         "actor", "note"]].sort_values(["enterprise_id", "period"])
        .reset_index(drop=True),
        co2=co2.reset_index(drop=True), co2_all=co2_all,
        comparison=comparison.assign(is_this_case=comparison["verifier_name"] == name))


# -- labels and tables -------------------------------------------------------------------------

#: Coded cell values shown as words (column -> code -> (zh, en)).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "severity": SEVERITY_LABELS, "worst_severity": SEVERITY_LABELS,
    "flag_severity": SEVERITY_LABELS, "family": FAMILY_LABELS, "status": STATUS_LABELS,
    "materiality_level": {"below": ("低于2%", "below 2 %"), "above_2pct": ("超过2%", "above 2 %"),
                          "above_5pct": ("超过5%", "above 5 %")},
    "verification_conclusion": {"pass": ("通过", "pass"),
                                "pass_with_corrections": ("修正后通过", "pass with corrections"),
                                "fail": ("不通过", "fail")},
}
#: Headers of the columns and summary fields that are not contract columns (zh, en).
LABELS: dict[str, tuple[str, str]] = {
    "severity": ("严重程度", "Severity"), "worst_severity": ("最高严重程度", "Worst severity"),
    "flag_severity": ("预警严重程度", "Flag severity"),
    "check_id": ("检查项", "Check"), "family": ("检查类别", "Check family"),
    "critical": ("严重", "Critical"), "warning": ("警告", "Warning"), "info": ("提示", "Info"),
    "total": ("合计", "Total"), "flags": ("预警数", "Flags"), "message": ("说明", "Message"),
    "observed": ("观测值", "Observed"), "expected": ("期望值", "Expected"),
    "delta_co2_t": ("排放影响 (tCO2)", "ΔCO2 (t)"), "points": ("风险分", "Risk points"),
    "share_of_score": ("占风险分比例", "Share of the score"),
    "period": ("期间", "Period"), "parameter_code": ("参数", "Parameter"),
    "revisions": ("修订次数", "Revisions"), "revision": ("修订版本", "Revision"),
    "previous_value": ("修订前数值", "Previous value"), "previous_at": ("修订前提交时间",
                                                                  "Previous submission"),
    "units": ("机组数", "Units"), "capacity_mw": ("总装机容量 (MW)", "Total capacity (MW)"),
    "risk_score": ("风险分", "Risk score"), "rank": ("风险排名", "Risk rank"),
    "enterprises_ranked": ("参与排名企业数", "Enterprises ranked"),
    "n_critical": ("严重预警数", "Critical flags"), "n_warning": ("警告预警数", "Warning flags"),
    "materiality": ("实质性（最差年份）", "Materiality (worst year)"),
    "materiality_level": ("实质性水平", "Materiality level"),
    "days_after_month_end": ("月末后天数 (d)", "Days after month end (d)"),
    "days_sampling_to_report": ("采样结束至报告天数 (d)", "Sampling end to report (d)"),
    "n_flags": ("预警数", "Flags"), "reports": ("报告数", "Reports"),
    "enterprises": ("企业数", "Enterprises"), "periods_covered": ("覆盖月份数", "Months covered"),
    "most_for_one_unit": ("同一机组最多报告数", "Most for one unit"),
    "first_period": ("首个月份", "First month"), "last_period": ("末个月份", "Last month"),
    "flagged_reports": ("有预警的报告数", "Flagged reports"),
    "has_critical": ("有严重预警", "Has a critical flag"),
    "max_reports_per_day": ("单日最多报告数", "Most reports in one day"),
    "share_enterprises_critical": ("有严重预警的企业占比", "Share of enterprises with a critical "
                                                            "flag"),
    "share_enterprises_critical_all": ("全部检测机构：有严重预警的企业占比",
                                       "All labs: share of enterprises with a critical flag"),
    "accredited": ("有资质编号", "Accredited"),
    "evidence_flags_per_report": ("每份报告证据预警数", "Evidence flags per report"),
    "share_flagged": ("有证据预警的报告占比", "Share of reports flagged"),
    "is_this_case": ("本案", "This case"), "evidence": ("证据", "Evidence"),
    "returns": ("退回次数", "Returns"), "returns_per_period": ("每企业月退回次数",
                                                          "Returns per enterprise-month"),
    "enterprise_years": ("核查企业年数", "Enterprise-years verified"),
    "share_with_critical": ("有严重预警的企业占比", "Share of enterprises with a critical flag"),
    "share_with_critical_all": ("全部核查机构：有严重预警的企业占比",
                                "All agencies: share of enterprises with a critical flag"),
    "share_corrected": ("核查修正占比", "Share corrected in verification"),
    "monthly_co2_t": ("月度填报排放量合计 (t)", "Sum of monthly filed CO2 (t)"),
    "verified_minus_reported_t": ("核查−报告 (tCO2)", "Verified − reported (tCO2)"),
    "share_verified_minus_reported": ("核查−报告（占报告量）", "Verified − reported (share)"),
    "field": ("项目", "Item"), "value": ("值", "Value"),
    # supervisor dashboard tables
    "risk_total": ("风险分合计", "Risk total"), "risk_max": ("最高风险分", "Highest risk"),
    "critical_flags": ("严重预警数", "Critical flags"), "status": ("状态", "Status"),
    "count": ("数量", "Count"), "age": ("已开启时长", "Open for"),
    "enterprise": ("企业", "Enterprise"), "title": ("标题", "Title"),
    "created": ("创建日期", "Created"),
}


def label_of(name: str, locale: str) -> str:
    """The zh/en header of column ``name``: own labels first, then monthly parameter codes,
    then contract columns (with their unit); KeyError when none has it."""
    if name in LABELS:
        return pick(*LABELS[name], locale)
    if name in schema.PARAMETERS:
        return parameter_label(name, locale)
    for table in schema.TABLES.values():
        if name in table.column_names:
            return column_label(table.name, name, locale)
    raise KeyError(f"no zh/en label for column {name!r}")


def check_title(check_id: str, locale: str) -> str:
    """The check's title in ``locale`` (the ID itself for an unknown check)."""
    checks.load_all()
    spec = REGISTRY.get(check_id)
    return pick(spec.title_zh, spec.title_en, locale) if spec else check_id


def number_text(value: float) -> str:
    """A number for reading: thousands separated from 1,000 on, else 4 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _cell(column: str, value: object, locale: str) -> object:
    """One cell as the reader sees it: codes as words, shares as percentages, numbers
    rounded (:func:`number_text`)."""
    if column in VALUE_LABELS and value in VALUE_LABELS[column]:
        return pick(*VALUE_LABELS[column][value], locale)
    if column == "check_id":
        return check_title(str(value), locale)
    if column == "parameter_code" and value in schema.PARAMETERS:
        return parameter_label(str(value), locale)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        share = column.startswith("share_") or column == "materiality"
        return f"{value:.1%}" if share else number_text(value)
    return value


def display_frame(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """``frame`` for reading: the message in ``locale``, codes as words, dates without times,
    zh/en headers (:func:`label_of`)."""
    out = frame.copy()
    if "message_zh" in out.columns:
        keep = pick("message_zh", "message_en", locale)
        out = out.drop(columns=[c for c in ("message_zh", "message_en") if c != keep]).rename(
            columns={keep: "message"})
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            fmt = "%Y-%m-%d %H:%M" if col.endswith("_at") else "%Y-%m-%d"
            out[col] = out[col].dt.strftime(fmt)
        else:
            out[col] = [_cell(col, v, locale) for v in out[col]]
    return out.rename(columns=lambda c: label_of(c, locale))


def table_html(frame: pd.DataFrame, locale: str, max_rows: int = 40) -> str:
    """An escaped HTML table of at most ``max_rows`` rows with zh/en headers."""
    if frame.empty:
        return f"<p>{pick('无记录', 'None', locale)}</p>"
    shown = display_frame(frame.head(max_rows), locale).to_html(
        index=False, escape=True, na_rep="")
    if len(frame) > max_rows:
        more = pick(f"仅显示前 {max_rows} 行（共 {len(frame)} 行）",
                    f"First {max_rows} of {len(frame)} rows", locale)
        shown += f"<p>{more}</p>"
    return shown


def summary_html(case: Case, locale: str) -> str:
    """The case summary as a two-column escaped HTML table (item, value)."""
    rows = pd.DataFrame({"field": [label_of(k, locale) for k in case.summary],
                         "value": [_cell(k, v, locale) for k, v in case.summary.items()]})
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


# -- figures -----------------------------------------------------------------------------------

_MARGIN = {"l": 60, "r": 20, "t": 50, "b": 40}


def series_figure(series: pd.DataFrame, locale: str) -> go.Figure:
    """Key parameters month by month, one panel per parameter and one line per unit; flagged
    months coloured by their worst severity (:data:`workbench.plots.SEVERITY_COLOURS`)."""
    codes = [c for c in KEY_PARAMETERS if c in set(series["parameter_code"])]
    fig = make_subplots(rows=max(len(codes), 1), cols=1, shared_xaxes=True,
                        vertical_spacing=0.04,
                        subplot_titles=[parameter_label(c, locale) for c in codes])
    for row, code in enumerate(codes, start=1):
        for i, (unit, s) in enumerate(series[series["parameter_code"] == code].groupby(
                "unit_id", sort=True)):
            fig.add_trace(go.Scatter(
                x=s["period"], y=s["value"], mode="lines+markers", name=unit, legendgroup=unit,
                showlegend=row == 1, line={"color": TEMPLATE.layout.colorway[i % 6]},
                marker={"color": s["flag_severity"].map(SEVERITY_COLOURS).fillna(
                    SEVERITY_COLOURS[""]), "size": 7}), row=row, col=1)
    fig.update_layout(template=TEMPLATE, height=170 * len(codes) + 100,
                      margin={**_MARGIN, "t": 90},
                      title=pick("关键参数（彩色点 = 有预警的月份）",
                                 "Key parameters (coloured dots = flagged months)", locale))
    return fig


def lab_month_figure(by_month: pd.DataFrame, locale: str) -> go.Figure:
    """Reports per enterprise and covered month as a heat map (blank: no report)."""
    grid = by_month.pivot(index="enterprise_name", columns="covered_period", values="reports")
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index),
                               zmin=0, colorscale="Blues",
                               colorbar={"title": label_of("reports", locale)}))
    fig.update_yaxes(automargin=True, autorange="reversed")      # same order as the table
    fig.update_layout(template=TEMPLATE, height=26 * len(grid) + 140, margin=_MARGIN,
                      title=pick("各企业每月报告数", "Reports per enterprise and month", locale))
    return fig


def reports_per_day_figure(per_day: pd.DataFrame, locale: str) -> go.Figure:
    """Reports issued per day; days on which one unit got several reports in critical red."""
    d = per_day.sort_values("report_date")
    colours = (d["most_for_one_unit"] > 1).map({True: SEVERITY_COLOURS["critical"],
                                                False: SEVERITY_COLOURS[""]})
    fig = go.Figure(go.Bar(x=d["report_date"], y=d["reports"], marker_color=colours))
    fig.update_layout(template=TEMPLATE, height=300, margin=_MARGIN,
                      yaxis_title=label_of("reports", locale),
                      title=pick("每日出具报告数（红色 = 同一机组当天多份）",
                                 "Reports per day (red = several for one unit that day)", locale))
    return fig


def report_lag_figure(reports: pd.DataFrame, cfg: dict, locale: str) -> go.Figure:
    """Distribution of report dates in days after the covered month's end, with the deadline
    (config ``policy.lab_report_deadline_days``)."""
    deadline = cfg["policy"]["lab_report_deadline_days"]
    fig = go.Figure(go.Histogram(x=reports["days_after_month_end"], nbinsx=40,
                                 marker_color=SEVERITY_COLOURS[""]))
    fig.add_vline(x=deadline, line={"color": SEVERITY_COLOURS["critical"], "dash": "dash"})
    fig.update_layout(template=TEMPLATE, height=280, margin=_MARGIN,
                      xaxis_title=label_of("days_after_month_end", locale),
                      yaxis_title=label_of("reports", locale),
                      title=pick(f"报告日期距月末天数（虚线 = {deadline} 天期限）",
                                 f"Report date after month end (dashed = {deadline}-day deadline)",
                                 locale))
    return fig


def co2_difference_figure(co2_all: pd.DataFrame, verifier: str, locale: str) -> go.Figure:
    """Verified − reported CO2 as a share of reported, per agency (one point per enterprise-
    year); the agency under investigation in critical red."""
    fig = go.Figure()
    for name, g in co2_all.groupby("verifier_name", sort=True):
        fig.add_trace(go.Box(
            y=g["share_verified_minus_reported"], name=name, boxpoints="all", jitter=0.4,
            marker={"color": SEVERITY_COLOURS["critical" if name == verifier else ""],
                    "size": 5}, customdata=g[["enterprise_name", "year"]].astype(str).to_numpy(),
            hovertemplate="%{customdata[0]} %{customdata[1]}: %{y:.2%}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=340, margin=_MARGIN, showlegend=False,
                      yaxis={"tickformat": ".1%"},
                      title=pick("核查量与报告量之差（占报告量）",
                                 "Verified − reported CO2 (share of reported)", locale))
    return fig
