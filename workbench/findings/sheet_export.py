"""Findings out to files: XLSX, CSV, JSON, HTML, PDF.

Exports serve two readers.  CSV and JSON are for programs: field names and codes
only.  XLSX, HTML and PDF are for people of either language: every header and
code is labelled in Chinese and English (the chosen locale first) while the
XLSX keeps the codes in their own columns, so it still imports
(:mod:`.sheet_import`).  The XLSX adds the audit history of the exported findings, the
checks their evidence flags name, explained (rule, why it matters, source, thresholds in
force: :func:`workbench.checks_doc.check_explanation`), and an about sheet (when, from
which database, which filters, whether the audit chain verified); HTML is one
self-contained printable page ending with the same checks, PDF that page printed
(``workbench.exports``).  Text from the database is untrusted: HTML escapes all of
it; XLSX writes it as text only, never as formulas, and CSV and XLSX put a quote before
a cell a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, ...:
:mod:`workbench.safe_cells`), which the import takes off again.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd
import sqlalchemy as sa

from workbench import __version__
from workbench.checks_doc import EXPLANATION_COLUMNS, checks_used_html, explanation_rows
from workbench.config import load_config
from workbench.exports import (
    PAGE_CSS,
    bilingual,
    esc,
    html_facts,
    html_label,
    html_page,
    html_table,
    html_to_pdf,
    other_locale,
)
from workbench.findings.audit import Verdict
from workbench.findings.codes import SEVERITIES
from workbench.findings.model import Finding
from workbench.findings.sheet_columns import (
    AUDIT_ACTIONS,
    CODED,
    EXPORT_COLUMNS,
    FIELD_LABELS,
    FINDING_COLUMNS,
    FLAG_LABELS,
    HISTORY_COLUMNS,
    HISTORY_LABELS,
    NONE_LABEL,
    REPORT_TITLE,
    SOURCE_LABEL,
    TRACKED_FIELDS,
    Codes,
    Label,
)
from workbench.findings.store import FindingsStore
from workbench.i18n import parameter_label, pick
from workbench.safe_cells import neutralise, neutralise_frame
from workbench.schema import PARAMETERS


@dataclass(frozen=True)
class ExportContext:
    """Where exported findings come from: their audit history (entries as returned by
    ``FindingsStore.history``), the database (password hidden), the filters used, the audit
    chain verdict, the time of the export, and the configuration whose thresholds the
    checks used are shown with (None: the configuration in force, ``load_config()``).  The
    default is an export without a store."""

    history: tuple[dict[str, Any], ...] = ()
    database: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    verdict: Verdict | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    config: Mapping[str, Any] | None = None


def gather(store: FindingsStore, enterprise_id: str | None = None, status: str | None = None
           ) -> tuple[list[Finding], ExportContext]:
    """The findings ``store.list`` selects with these filters, and their export context
    (their audit entries and the verdict of ``store.verify()``)."""
    filters = {k: v for k, v in (("enterprise_id", enterprise_id), ("status", status))
               if v is not None}
    items = store.list(**filters)
    ids = {f.id for f in items}
    history = tuple(e for e in store.history() if e["finding_id"] in ids)
    return items, ExportContext(history=history, filters=filters, verdict=store.verify(),
                                database=_database_label(store.engine.url),
                                config=store.config)


def _database_label(url: sa.URL) -> str:
    """The store's URL for people: password hidden, a read-only SQLite URI
    (``file:...?mode=ro``, see ``workbench.findings.engine``) shown as its file."""
    if url.get_backend_name() == "sqlite" and url.query.get("uri") == "true" and url.database:
        url = url.set(database=unquote(url.database.removeprefix("file:")), query={})
    return url.render_as_string(hide_password=True)


def _records(items: Iterable[Finding]) -> list[dict[str, Any]]:
    """One machine-readable record per finding, keyed by EXPORT_COLUMNS (periods as
    ``a,b``, flags as JSON text): what CSV and the XLSX code columns hold."""
    records = []
    for f in items:
        rec = f.to_json()
        rec["periods"] = ",".join(f.periods)
        rec["flags"] = json.dumps(rec["flags"], ensure_ascii=False) if f.flags else ""
        records.append({k: rec[k] for k in EXPORT_COLUMNS})
    return records


def _frame(items: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame(_records(items), columns=list(EXPORT_COLUMNS))


def _code_label(codes: Codes, code: str | None, locale: str) -> str:
    """``严重 / Critical`` for a known code, the code itself otherwise, "" for None."""
    return bilingual(*codes[code], locale) if code in codes else (code or "")


def _labelled(record: dict[str, Any], coded: Mapping[str, Codes], locale: str
              ) -> dict[str, Any]:
    """``record`` plus the ``<key>_label`` of each coded field."""
    return record | {f"{k}_label": _code_label(codes, record.get(k), locale)
                     for k, codes in coded.items()}


def _when(value: datetime) -> str:
    """A time as people read it, in UTC (the labels say so): ``2025-03-31 08:15:00``."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _tonnes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} tCO2"


def _flag_text(flag: Mapping[str, Any]) -> str:
    return " · ".join(str(flag[k]) for k in ("check_id", "unit_id", "period", "parameter_code")
                      if flag.get(k))


def _show(value: Any) -> str:
    """An audit-payload value as short text (lists joined, flags as check · unit · period)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(_flag_text(v) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def _change_lines(payload: Mapping[str, Any], locale: str) -> list[str]:
    """What an audit entry changed, one ``field: before → after`` line each.

    A new finding shows its source file (imports) and ``status: — → open``.
    """
    before, after = payload.get("before"), payload.get("after") or {}
    lines = [f"{bilingual(*SOURCE_LABEL, locale)}: {payload['source']}"
             ] if payload.get("source") else []
    for key in ("status",) if before is None else TRACKED_FIELDS:
        old = None if before is None else before.get(key)
        if before is None or old != after.get(key):
            lines.append(f"{bilingual(*FIELD_LABELS[key], locale)}: {_show(old)} → "
                         f"{_show(after.get(key))}")
    return lines


def _history_record(entry: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """An audit entry as a row keyed by HISTORY_COLUMNS."""
    payload = json.loads(entry["payload"])
    state = payload.get("after") or payload.get("before") or {}
    return _labelled({"seq": entry["seq"], "at": entry["at"], "actor": entry["actor"],
                      "action": entry["action"], "finding_id": entry["finding_id"],
                      "title": state.get("title"), "version": state.get("version"),
                      "changes": "\n".join(_change_lines(payload, locale)),
                      "dataset_fingerprint": entry["dataset_fingerprint"],
                      "hash": entry["hash"]}, {"action": AUDIT_ACTIONS}, locale)


def _checks_named(items: Iterable[Finding]) -> list[str]:
    """The checks the findings' evidence flags name (repeats included)."""
    return [flag.check_id for f in items for flag in f.flags]


def _config(ctx: ExportContext) -> Mapping[str, Any]:
    """The configuration the checks used are explained with."""
    return ctx.config if ctx.config is not None else load_config()


def _verdict_text(verdict: Verdict | None, locale: str) -> str:
    if verdict is None:
        return bilingual("未核验", "not verified", locale)
    if verdict.ok:
        return bilingual(f"完整：{verdict.entries} 条记录，链头 {verdict.head_hash}",
                         f"intact: {verdict.entries} entries, head {verdict.head_hash}", locale)
    return bilingual(f"损坏：{verdict.reason_zh}",
                     f"broken at entry {verdict.bad_seq}: {verdict.reason_en}", locale)


def _about(count: int, ctx: ExportContext, locale: str) -> list[tuple[Label, str]]:
    """The facts of the cover: (label, value) pairs."""
    filters = "; ".join(f"{bilingual(*FIELD_LABELS[k], locale)} = {v}"
                        for k, v in ctx.filters.items()) or bilingual(*NONE_LABEL, locale)
    return [(("生成时间 (UTC)", "Generated at (UTC)"), _when(ctx.generated_at)),
            (("生成工具", "Generated by"), f"Carbon Audit Workbench {__version__}"),
            (("数据库", "Database"), ctx.database or "—"),
            (("筛选条件", "Filters"), filters),
            (("问题数量", "Findings"), str(count)),
            (("审计记录数", "Audit entries"), str(len(ctx.history))),
            (("审计日志核验", "Audit log verification"), _verdict_text(ctx.verdict, locale))]


# -- XLSX --------------------------------------------------------------------------------------
#: Columns shown wrapped, with their maximum width (characters); others are capped at 40.
WRAPPED = {"title": 36, "description": 60, "status_reason": 36, "flags": 48, "changes": 64,
           "rule": 40, "rationale": 60, "source": 60, "thresholds": 64}
NUMBER_FORMATS = {"materiality_t": "#,##0.0"}
FINDINGS_SHEET: Label = ("问题", "Findings")
HISTORY_SHEET: Label = ("审计历史", "History")
CHECKS_SHEET: Label = ("检查项", "Checks")
ABOUT_SHEET: Label = ("说明", "About")


def _display_width(text: str) -> int:
    """Width of the widest line in Excel character units (CJK characters count double)."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.splitlines()), default=0)


def _write_table(book: Any, name: str, columns: Mapping[str, Label],
                 rows: Sequence[Mapping[str, Any]], locale: str) -> None:
    """A sheet with two header rows (``locale``, then the other language), frozen,
    filterable, columns sized to their content; strings are written as text only, a
    formula-like one quoted (:func:`workbench.safe_cells.neutralise`)."""
    ws = book.add_worksheet(name)
    base = {"valign": "top", "border": 1, "border_color": "#c8c8c8"}
    head = [book.add_format(base | {"bold": True, "bg_color": "#dde4ee", "text_wrap": True}),
            book.add_format(base | {"italic": True, "font_color": "#555555",
                                    "bg_color": "#eef2f7", "text_wrap": True})]
    for c, (key, pair) in enumerate(columns.items()):
        for r, loc in enumerate((locale, other_locale(locale))):
            ws.write_string(r, c, pick(*pair, loc), head[r])
        fmt = book.add_format(base | {"text_wrap": key in WRAPPED,
                                      "num_format": NUMBER_FORMATS.get(key, "General")})
        texts = [pick(*pair, "zh-CN"), pick(*pair, "en")]
        for r, row in enumerate(rows, start=2):
            value = row.get(key)
            if value is None or value == "":
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_string(r, c, neutralise(str(value)), fmt)
            if r < 502:  # size columns by the first 500 rows
                texts.append("" if value is None else str(value))
        width = max(_display_width(t) for t in texts) + 2
        ws.set_column(c, c, max(8, min(WRAPPED.get(key, 40), width)))
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(rows), len(columns) - 1)


def _write_about(book: Any, name: str, count: int, ctx: ExportContext, locale: str) -> None:
    """The cover sheet: title, the facts of the export, and what each column holds."""
    ws = book.add_worksheet(name)
    bold, wrap = book.add_format({"bold": True}), book.add_format({"text_wrap": True,
                                                                   "valign": "top"})
    ws.write_string(0, 0, bilingual(*REPORT_TITLE, locale), book.add_format({"bold": True,
                                                                             "font_size": 14}))
    second = other_locale(locale)
    for r, (pair, value) in enumerate(_about(count, ctx, locale), start=2):
        ws.write_string(r, 0, pick(*pair, locale), bold)
        ws.write_string(r, 1, pick(*pair, second))
        ws.write_string(r, 2, neutralise(value), wrap)
    r += 2
    for c, pair in enumerate([("工作表", "Sheet"), ("字段", "Field"), ("中文", "Chinese"),
                              ("英文", "English")]):
        ws.write_string(r, c, bilingual(*pair, locale), bold)
    for sheet, columns in ((FINDINGS_SHEET, FINDING_COLUMNS), (HISTORY_SHEET, HISTORY_COLUMNS),
                           (CHECKS_SHEET, EXPLANATION_COLUMNS)):
        for key, (zh, en) in columns.items():
            r += 1
            for c, text in enumerate((bilingual(*sheet, locale), key, zh, en)):
                ws.write_string(r, c, text)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 3, 70)


def _write_xlsx(items: list[Finding], path: Path, ctx: ExportContext, locale: str) -> None:
    """Findings (first, so the file imports again), their audit history, the checks their
    flags name, the about sheet."""
    import xlsxwriter
    import xlsxwriter.exceptions

    options = {"strings_to_numbers": False, "strings_to_formulas": False,
               "strings_to_urls": False, "nan_inf_to_errors": True}
    try:
        with xlsxwriter.Workbook(str(path), options) as book:
            _write_table(book, bilingual(*FINDINGS_SHEET, locale, " "), FINDING_COLUMNS,
                         [_labelled(rec, CODED, locale) for rec in _records(items)], locale)
            _write_table(book, bilingual(*HISTORY_SHEET, locale, " "), HISTORY_COLUMNS,
                         [_history_record(e, locale) for e in ctx.history], locale)
            _write_table(book, bilingual(*CHECKS_SHEET, locale, " "), EXPLANATION_COLUMNS,
                         explanation_rows(_checks_named(items), _config(ctx), locale), locale)
            _write_about(book, bilingual(*ABOUT_SHEET, locale, " "), len(items), ctx, locale)
    except xlsxwriter.exceptions.FileCreateError as exc:  # the file is written on close
        raise OSError(str(exc)) from exc


# -- HTML / PDF --------------------------------------------------------------------------------
FINDINGS_CSS = PAGE_CSS + """
section.finding { border-top: 2px solid #888; margin-top: 1.4em; padding: .6em 0 0 .8em;
                  border-left: 5px solid #bbb; }
section.sev-critical { border-left-color: #b3261e; }
section.sev-warning { border-left-color: #e0a100; }
section.sev-info { border-left-color: #4a78b5; }
table.summary td:first-child, table.summary td:nth-child(3) { white-space: nowrap; }
h2, h3 { break-after: avoid; }
table.history td:last-child { white-space: pre-wrap; }
"""
#: Facts shown at the top of a finding's section, in order.
SECTION_FACTS = ("enterprise_id", "province", "unit_id", "periods", "category", "severity",
                 "status", "status_reason", "rectification_ref", "rectification_date",
                 "materiality_t", "recommended_action", "due_date",
                 "created_by", "created_at", "updated_by", "updated_at", "version", "id",
                 "dataset_fingerprint")
SUMMARY_COLUMNS = ("title", "enterprise_id", "periods", "severity", "status", "materiality_t")
#: Columns of the history table in a finding's HTML section.
HISTORY_SHOWN = ("seq", "at", "actor", "action_label", "version", "changes")
HISTORY_TITLE: Label = ("审计历史", "Audit history")
CHECKS_TITLE: Label = ("检查项说明", "Checks used")


def _display(f: Finding, key: str, locale: str) -> str:
    """A field of ``f`` as a person reads it: codes labelled, tonnes with unit, ``—`` if empty."""
    value = getattr(f, key)
    if key in CODED:
        text = _code_label(CODED[key], value, locale)
    elif key == "materiality_t":
        text = _tonnes(value)
    elif key == "periods":
        text = ", ".join(value)
    elif isinstance(value, datetime):
        text = _when(value)
    else:
        text = "" if value is None else str(value)
    return text or "—"


def _h3(pair: Label, locale: str) -> str:
    return f"<h3>{html_label(*pair, locale)}</h3>"


def _html_finding(n: int, f: Finding, history: Sequence[Mapping[str, Any]], locale: str) -> str:
    """One finding's section: facts, description, evidence flags and audit history."""
    none = f'<p class="muted">{html_label(*NONE_LABEL, locale)}</p>'
    evidence = html_table(list(FLAG_LABELS.values()), [
        [flag.check_id, flag.unit_id, flag.period,
         f"{flag.parameter_code} {parameter_label(flag.parameter_code, locale)}"
         if flag.parameter_code in PARAMETERS else flag.parameter_code,
         flag.dataset_fingerprint] for flag in f.flags], locale) if f.flags else none
    records = [_history_record(e, locale) for e in history]
    for r in records:
        r["at"] = _when(datetime.fromisoformat(r["at"]))
    trail = html_table([HISTORY_LABELS[k.removesuffix("_label")] for k in HISTORY_SHOWN],
                       [[r[k] for k in HISTORY_SHOWN] for r in records], locale,
                       "history") if records else none
    sev = f.severity if f.severity in SEVERITIES else "unknown"
    return "\n".join([
        f'<section class="finding sev-{sev}" id="finding-{n}">', f"<h2>{n}. {esc(f.title)}</h2>",
        html_facts(((FIELD_LABELS[k], _display(f, k, locale)) for k in SECTION_FACTS), locale),
        _h3(FIELD_LABELS["description"], locale), f'<p class="text">{esc(f.description)}</p>',
        _h3(FIELD_LABELS["flags"], locale), evidence,
        _h3(HISTORY_TITLE, locale), trail, "</section>"])


def render_html(items: list[Finding], context: ExportContext | None = None,
                locale: str = "zh-CN") -> str:
    """The findings as one self-contained, printable HTML page (every database text escaped)."""
    ctx = context or ExportContext()
    by_finding: dict[str, list[dict[str, Any]]] = {}
    for entry in ctx.history:
        by_finding.setdefault(entry["finding_id"], []).append(entry)
    parts = [f"<header><h1>{html_label(*REPORT_TITLE, locale)}</h1>",
             html_facts(_about(len(items), ctx, locale), locale), "</header>"]
    if items:
        parts.append(html_table([("#", "#"), *(FIELD_LABELS[k] for k in SUMMARY_COLUMNS)],
                                [[n, *(_display(f, k, locale) for k in SUMMARY_COLUMNS)]
                                 for n, f in enumerate(items, 1)], locale, "summary"))
    parts += [_html_finding(n, f, by_finding.get(f.id, []), locale)
              for n, f in enumerate(items, 1)]
    used = _checks_named(items)
    if used:
        parts += [f'<section class="checks"><h2>{html_label(*CHECKS_TITLE, locale)}</h2>',
                  checks_used_html(used, _config(ctx), locale), "</section>"]
    return html_page(bilingual(*REPORT_TITLE, locale), "\n".join(parts), locale, FINDINGS_CSS)


def _write_json(items: list[Finding], path: Path, ctx: ExportContext, locale: str) -> None:
    path.write_text(json.dumps([f.to_json() for f in items], ensure_ascii=False, indent=2)
                    + "\n", encoding="utf-8")


def _write_csv(items: list[Finding], path: Path, ctx: ExportContext, locale: str) -> None:
    neutralise_frame(_frame(items)).to_csv(path, index=False, encoding="utf-8-sig")


def _write_html(items: list[Finding], path: Path, ctx: ExportContext, locale: str) -> None:
    path.write_text(render_html(items, ctx, locale), encoding="utf-8")


def _write_pdf(items: list[Finding], path: Path, ctx: ExportContext, locale: str) -> None:
    with tempfile.TemporaryDirectory(prefix="workbench-findings-") as tmp:
        page = Path(tmp) / "findings.html"
        _write_html(items, page, ctx, locale)
        html_to_pdf(page, path)


WRITERS: dict[str, Callable[[list[Finding], Path, ExportContext, str], None]] = {
    "xlsx": _write_xlsx, "csv": _write_csv, "json": _write_json, "html": _write_html,
    "pdf": _write_pdf}
FORMATS = tuple(WRITERS)


def export(items: list[Finding], path: str | Path, fmt: str, *,
           context: ExportContext | None = None, locale: str = "zh-CN") -> Path:
    """Write findings to ``path`` as one of :data:`FORMATS`.

    ``csv`` (UTF-8 with BOM, for Excel) and ``json`` hold fields and codes only.
    ``xlsx``, ``html`` and ``pdf`` label everything in both languages, ``locale`` first,
    and use ``context`` (see :func:`gather`) for the history and the about facts.  ``pdf``
    needs Chromium/Chrome (``workbench.exports.ConversionError`` otherwise).
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
    path = Path(path)
    WRITERS[fmt](list(items), path, context or ExportContext(), locale)
    return path
