"""Findings from a sheet (CSV or XLSX) into the store.

An import reads every cell as text, maps Chinese headers (e.g. a city's on-site
inspection results) to the finding fields, validates each row exactly as the
store would (content, dataset, permission), reports bad rows with their row
number and reasons, and stores the good rows in one transaction.  Columns other
than the finding fields (an export's ``id``, ``status``, ...) are ignored and
listed in the report, so an exported sheet imports again as new findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.findings.errors import FindingsError, Problem, ReadOnlyStore, SheetError
from workbench.findings.model import CONTENT_FIELDS, Finding
from workbench.findings.sheet_columns import (
    FINDING_COLUMNS,
    HEADER_ALIASES,
    HEADER_FIELDS,
    REQUIRED_COLUMNS,
    compact_header,
)
from workbench.findings.store import FindingsStore
from workbench.safe_cells import restore_frame


@dataclass
class ImportReport:
    """What an import did: rows read = imported + rejected (with row number and reasons)."""

    source: str
    rows_read: int = 0
    imported: list[Finding] = field(default_factory=list)
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 every row imported, 1 some rows rejected."""
        return 1 if self.rejected else 0

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON."""
        return {"source": self.source, "rows_read": self.rows_read,
                "imported": [f.id for f in self.imported],
                "rejected": [{"row": row, "problems": [p.__dict__ for p in problems]}
                             for row, problems in self.rejected],
                "ignored_columns": self.ignored_columns}

    def summary_lines(self, locale: str) -> list[str]:
        """Human-readable summary in ``locale``, one line per rejected row."""
        zh = locale == "zh-CN"
        lines = [f"{self.source}: 读取 {self.rows_read} 行，导入 {len(self.imported)} 行，"
                 f"拒绝 {len(self.rejected)} 行" if zh else
                 f"{self.source}: {self.rows_read} rows read, {len(self.imported)} imported, "
                 f"{len(self.rejected)} rejected"]
        for row, problems in self.rejected:
            reasons = "; ".join(p.text(locale) for p in problems)
            lines.append(f"  第 {row} 行 / row {row}: {reasons}")
        if self.ignored_columns:
            lines.append(("  忽略的列：" if zh else "  ignored columns: ")
                         + ", ".join(self.ignored_columns))
        return lines


def _read_table(path: Path) -> pd.DataFrame:
    opts = {"dtype": str, "keep_default_na": False}
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=0, **opts)
        if path.suffix.lower() != ".csv":
            raise ValueError("use .csv or .xlsx")
        try:
            return pd.read_csv(path, encoding="utf-8-sig", **opts)
        except UnicodeDecodeError:
            return pd.read_csv(path, encoding="gb18030", **opts)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise SheetError(Problem(str(path), f"无法读取文件（{exc}）",
                                 f"cannot read the file ({exc})")) from exc


def _field_of(header: str) -> str:
    name = str(header).strip()
    return (HEADER_ALIASES.get(name.replace(" ", ""))
            or HEADER_FIELDS.get(compact_header(name), name.lower()))


def _second_header(frame: pd.DataFrame) -> bool:
    """True when the first row under the header names the same fields again: the English
    header row of a bilingual export under its Chinese one (or the other way round)."""
    if frame.empty:
        return False
    named = [(col, value) for col, value in frame.iloc[0].items() if str(value).strip()]
    return bool(named) and all(_field_of(value) == _field_of(col) for col, value in named)


def read_sheet(path: str | Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Rows of a findings sheet as ``(row number, draft)`` plus the ignored column names.

    Row numbers are as a spreadsheet shows them (the header is row 1, or rows 1–2
    when a second header row repeats the fields in the other language, as an XLSX
    export has).  A ``flags`` cell holds JSON (as written by :func:`export`); an
    unparsable one leaves the text in the draft, which validation then refuses.  The
    quote an export puts before a formula-like cell is taken off
    (:func:`workbench.safe_cells.restore`), so exported text comes back exactly.
    Ignored columns that are export columns are named by their field (``id``).
    """
    path = Path(path)
    frame = restore_frame(_read_table(path))
    fields = {col: _field_of(col) for col in frame.columns}
    missing = [c for c in REQUIRED_COLUMNS if c not in fields.values()]
    if missing:
        raise SheetError(Problem(str(path), f"缺少必需的列：{', '.join(missing)}",
                                 f"required columns missing: {', '.join(missing)}"))
    header_rows = 2 if _second_header(frame) else 1
    frame = frame.iloc[header_rows - 1:]
    wanted = set(CONTENT_FIELDS) | {"flags"}
    keep = {col: name for col, name in fields.items() if name in wanted}
    rows = []
    for i, record in enumerate(frame[list(keep)].rename(columns=keep).to_dict("records")):
        if record.get("flags", "").strip():
            try:
                record["flags"] = json.loads(record["flags"])
            except json.JSONDecodeError:
                record["flags"] = [{"check_id": ""}]
        else:
            record.pop("flags", None)
        rows.append((i + 1 + header_rows, record))
    return rows, [name if name in FINDING_COLUMNS else str(col)
                  for col, name in fields.items() if col not in keep]


def import_sheet(store: FindingsStore, path: str | Path, dataset: Any,
                 default_periods: str | None = None) -> ImportReport:
    """Import a findings sheet into ``store``; bad rows are reported, good rows stored at once.

    ``default_periods`` fills rows whose periods cell is empty (or a sheet without
    that column).  A FindingsError from the store itself (read-only store) propagates.
    """
    rows, ignored = read_sheet(path)
    report = ImportReport(source=Path(path).name, rows_read=len(rows), ignored_columns=ignored)
    good = []
    for number, draft in rows:
        if default_periods and not str(draft.get("periods", "")).strip():
            draft["periods"] = default_periods
        try:
            store.check(draft, dataset)
        except ReadOnlyStore:
            raise
        except FindingsError as exc:
            report.rejected.append((number, exc.problems))
        else:
            good.append(draft)
    if good:
        report.imported = store.import_findings(good, dataset, source=report.source)
    return report
