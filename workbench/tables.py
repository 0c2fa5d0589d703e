"""Bilingual HTML tables: zh/en headers, codes shown as words, shares as percentages,
numbers rounded for reading; cell text escaped.  Used by the investigation cases, the
case reports, the supervisor dashboard and the flags panel (the checks that could not run
for an enterprise, :func:`coverage_html`).
"""

from __future__ import annotations

import html

import pandas as pd

from workbench import checks, schema
from workbench.checks.registry import FAMILY_LABELS
from workbench.findings.codes import SEVERITIES as SEVERITY_LABELS
from workbench.findings.codes import STATUSES as STATUS_LABELS
from workbench.findings.sheet_columns import FIELD_LABELS as FINDING_FIELDS
from workbench.i18n import column_label, parameter_label, pick

#: Coded cell values shown as words (column -> code -> (zh, en)).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "severity": SEVERITY_LABELS, "worst_severity": SEVERITY_LABELS,
    "flag_severity": SEVERITY_LABELS, "family": FAMILY_LABELS, "status": STATUS_LABELS,
    "materiality_level": {"below": ("低于2%", "below 2 %"), "above_2pct": ("超过2%", "above 2 %"),
                          "above_5pct": ("超过5%", "above 5 %")},
    "verification_conclusion": {"pass": ("通过", "pass"),
                                "pass_with_corrections": ("修正后通过", "pass with corrections"),
                                "fail": ("不通过", "fail")},
    "coverage_status": {"not_checked": ("未检查", "not checked"),
                        "partial": ("部分检查", "partly checked")},
}
#: The check inputs a coverage row names as missing (``Check.needs`` / ``uses``), as words;
#: monthly parameters (``monthly:<code>``) are named by their contract label.
INPUT_LABELS: dict[str, tuple[str, str]] = {
    "labs": ("检测报告", "Lab reports"), "events": ("审核记录", "Review events"),
    "annual": ("年度报告", "Annual reports"), "daily": ("日数据", "Daily data"),
    "monthly_long": ("月度存证修订", "Monthly filing revisions"),
    "monthly:period": ("月度存证数据", "Monthly filings"),
    "monthly:submitted_at": ("存证时间", "Deposit times"),
    "monthly:fuel_heat_gj": ("燃料热量（消耗量×低位发热量）", "Fuel heat (consumption × NCV)"),
    "monthly:source_cc_tc_per_gj": ("单位热值含碳量的数据来源",
                                    "Source of the carbon content per GJ"),
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
    # checks that could not run (coverage) and check health
    "coverage_status": ("检查情况", "Status"), "missing": ("缺少的数据", "Missing inputs"),
    "enterprises_flagged": ("有预警企业数", "Enterprises flagged"),
    "flags_per_1000": ("每千机组月预警数", "Flags per 1,000 unit-months"),
    "cited": ("引用的问题记录", "Findings citing it"), "reviewed": ("已处理", "Decided"),
    "dismissed": ("已撤销", "Dismissed"), "share_dismissed": ("撤销比例", "Dismissal share"),
    "needs_tuning": ("需调整", "For tuning"),
    "disposition": ("处理", "Disposition"),
}


def label_of(name: str, locale: str) -> str:
    """The zh/en header of column ``name``: own labels first, then monthly parameter codes,
    then contract columns (with their unit), then a finding's fields; KeyError when none
    has it."""
    if name in LABELS:
        return pick(*LABELS[name], locale)
    if name in schema.PARAMETERS:
        return parameter_label(name, locale)
    for table in schema.TABLES.values():
        if name in table.column_names:
            return column_label(table.name, name, locale)
    if name in FINDING_FIELDS:
        return pick(*FINDING_FIELDS[name], locale)
    raise KeyError(f"no zh/en label for column {name!r}")


def check_title(check_id: str, locale: str) -> str:
    """The check's title in ``locale`` (the ID itself for an unknown check)."""
    spec = checks.registry().get(check_id)
    return pick(spec.title_zh, spec.title_en, locale) if spec else check_id


def reasons_text(top_reasons: str, locale: str) -> str:
    """The risk table's ``top_reasons`` (``check_id (points); ...``) with check titles:
    ``与本机组同期正常水平明显偏离（36 分）；...`` / ``Far from ... (36 pts); ...``."""
    out = []
    for part in (p.strip() for p in (top_reasons or "").split(";")):
        check, _, points = part.partition(" (")
        if not check:
            continue
        points = points.rstrip(")")
        out.append(pick(f"{check_title(check, 'zh-CN')}（{points} 分）",
                        f"{check_title(check, 'en')} ({points} pts)", locale))
    return pick("；", "; ", locale).join(out)


def number_text(value: float) -> str:
    """A number for reading: thousands separated from 1,000 on, else 4 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def cell_text(column: str, value: object, locale: str) -> object:
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
            out[col] = [cell_text(col, v, locale) for v in out[col]]
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


def input_text(name: str, locale: str) -> str:
    """One check input (``labs``, ``monthly:own_use_mwh``...) as words; unknown names as
    written."""
    if name in INPUT_LABELS:
        return pick(*INPUT_LABELS[name], locale)
    code = name.removeprefix("monthly:")
    if code != name and code in schema.PARAMETERS:
        p = schema.PARAMETERS[code]
        return pick(p.label_zh, p.label_en, locale)
    return name


def missing_text(missing: str, locale: str) -> str:
    """The ``missing`` cell of a coverage row (``"monthly:own_use_mwh; labs"``) as words."""
    names = [n.strip() for n in missing.split(";") if n.strip()]
    return pick("、", ", ", locale).join(input_text(n, locale) for n in names)


def coverage_summary(coverage: pd.DataFrame, locale: str) -> str:
    """One line on an enterprise's coverage rows: how many checks could not run and how
    many ran only in part for missing data ("" when every check ran)."""
    status = coverage["status"]
    counts = [(int((status == "not_checked").sum()), "项检查未能运行", "could not run"),
              (int((status == "partial").sum()), "项检查仅部分运行", "ran only in part")]
    said = [(n, zh, en) for n, zh, en in counts if n]
    if not said:
        return ""
    zh = "，".join(f"{n} {text}" for n, text, _ in said) + "（缺少数据）"
    en = ", ".join(f"{n} check{'' if n == 1 else 's'} {text}" for n, _, text in said)
    return pick(zh, f"{en} (missing data)", locale)


def coverage_html(coverage: pd.DataFrame, locale: str) -> str:
    """An enterprise's coverage rows (:meth:`workbench.review.ReviewData.coverage_of`) as an
    escaped, collapsible HTML block: the :func:`coverage_summary` line, then per check its
    title, whether it ran in part or not at all, and the inputs missing, in words.  "" when
    every check ran."""
    if coverage.empty:
        return ""
    shown = pd.DataFrame({"check_id": list(coverage["check_id"]),
                          "coverage_status": list(coverage["status"]),
                          "missing": [missing_text(m, locale) for m in coverage["missing"]]})
    summary = html.escape(coverage_summary(coverage, locale))
    return (f'<details class="wb-coverage"><summary style="color:#a35c00">{summary}</summary>'
            f"{table_html(shown, locale, max_rows=len(shown))}</details>")
