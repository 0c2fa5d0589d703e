"""Bilingual HTML tables: zh/en headers, codes shown as words, shares as percentages,
numbers rounded for reading; cell text escaped.  Used by the investigation cases, the
case reports, the supervisor dashboard and the flags panel (the checks that could not run
for an enterprise, :func:`coverage_html`).
"""

from __future__ import annotations

import html

import pandas as pd

from workbench import checks, schema
from workbench.i18n import parameter_label, pick
from workbench.labels import CODED_COLUMNS, INPUTS, header


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
    if column in CODED_COLUMNS and value in CODED_COLUMNS[column]:
        return pick(*CODED_COLUMNS[column][value], locale)
    if column in schema.CODE_NAMES_EN and value in schema.CODE_NAMES_EN[column]:
        return schema.code_name(column, str(value), locale)       # industry, facility kind…
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


def display_frame(frame: pd.DataFrame, locale: str, numbers: bool = False) -> pd.DataFrame:
    """``frame`` for reading: the message in ``locale``, codes as words, dates without times,
    zh/en headers (:func:`workbench.labels.header`); numbers as text for reading
    (:func:`cell_text`), or left numbers when ``numbers`` (a grid formats them itself and
    sorts them as numbers)."""
    out = frame.copy()
    if "message_zh" in out.columns:
        keep = pick("message_zh", "message_en", locale)
        out = out.drop(columns=[c for c in ("message_zh", "message_en") if c != keep]).rename(
            columns={keep: "message"})
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            fmt = "%Y-%m-%d %H:%M" if col.endswith("_at") else "%Y-%m-%d"
            out[col] = out[col].dt.strftime(fmt)
        elif numbers and is_number_column(out[col]):
            continue
        else:
            out[col] = [cell_text(col, v, locale) for v in out[col]]
    return out.rename(columns=lambda c: header(c, locale))


def is_number_column(values: pd.Series) -> bool:
    """True for a column of numbers (not of booleans)."""
    return (pd.api.types.is_numeric_dtype(values)
            and not pd.api.types.is_bool_dtype(values))


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
    if name in INPUTS:
        return pick(*INPUTS[name], locale)
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
