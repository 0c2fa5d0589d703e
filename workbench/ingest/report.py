"""The result of an import: counts per table, conversions, code labels, file errors, exit code.

For every table ``read == imported + quarantined``; ``imported`` includes rows
that were ``already_present`` in the dataset (accepted, not written again) and
``revisions_added`` (monthly rows written as a new revision of an existing key).
Exit code: 0 everything imported, 1 some rows quarantined, 2 some file (or
sheet) could not be read at all or had no usable header or table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench import i18n


@dataclass
class TableCounts:
    """Row counts of one table in one import."""

    read: int = 0
    imported: int = 0
    quarantined: int = 0
    already_present: int = 0
    revisions_added: int = 0
    quarantine_file: str | None = None


@dataclass
class ImportReport:
    """What an import did (see the module docstring)."""

    dataset: Path
    import_id: str
    fingerprint: str | None
    tables: dict[str, TableCounts] = field(default_factory=dict)
    conversions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    #: Labels written instead of codes: table, column, label (as filed), code, rows.
    labels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all imported, 1 some rows quarantined, 2 some file could not be read."""
        if self.errors:
            return 2
        return 1 if any(t.quarantined for t in self.tables.values()) else 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``workbench import --json`` output)."""
        return {"dataset": str(self.dataset), "import_id": self.import_id,
                "fingerprint": self.fingerprint,
                "tables": {name: asdict(t) for name, t in self.tables.items()},
                "conversions": self.conversions, "labels": self.labels,
                "errors": self.errors, "exit_code": self.exit_code}

    def summary_lines(self, locale: str) -> list[str]:
        """A human-readable summary in ``locale`` (zh-CN or en)."""
        def t(zh: str, en: str) -> str:
            return i18n.pick(zh, en, locale)

        lines = [t(f"导入 {self.import_id} → {self.dataset}",
                   f"Import {self.import_id} -> {self.dataset}")]
        for name, c in self.tables.items():
            lines.append(t(
                f"  {i18n.table_label(name, locale)}（{name}）：读取 {c.read:,} 行，"
                f"导入 {c.imported:,}（其中已存在 {c.already_present:,}，"
                f"新修订 {c.revisions_added:,}），"
                f"隔离 {c.quarantined:,}",
                f"  {i18n.table_label(name, locale)} ({name}): read {c.read:,}, imported "
                f"{c.imported:,} (already present {c.already_present:,}, new revisions "
                f"{c.revisions_added:,}), quarantined {c.quarantined:,}"))
            if c.quarantine_file:
                lines.append(t(f"    隔离文件：{c.quarantine_file}",
                               f"    quarantine file: {c.quarantine_file}"))
        for conv in self.conversions:
            what = conv.get("parameter_code") or conv.get("column")
            lines.append(t(
                f"  单位换算：{conv['table']}.{what} {conv['from_unit']} → {conv['to_unit']}"
                f" ×{conv['factor']:g}（{conv['rows']:,} 行）",
                f"  unit conversion: {conv['table']}.{what} {conv['from_unit']} -> "
                f"{conv['to_unit']} x{conv['factor']:g} ({conv['rows']:,} rows)"))
        lines += self._label_lines(t)
        for err in self.errors:
            lines.append(t(f"  错误：{err['file']}：{err['message_zh']}",
                           f"  error: {err['file']}: {err['message_en']}"))
        outcome = {0: ("全部导入", "everything imported"),
                   1: ("部分行被隔离，请查看隔离文件", "some rows were quarantined; see the "
                       "quarantine files"),
                   2: ("有文件无法读取", "some files could not be read")}[self.exit_code]
        lines.append(t(f"结果：{outcome[0]}（退出码 {self.exit_code}）",
                       f"Result: {outcome[1]} (exit code {self.exit_code})"))
        return lines

    def _label_lines(self, t: Callable[[str, str], str]) -> list[str]:
        """One line per code column that received labels, each label with its code and rows."""
        by_column: dict[str, list[dict[str, Any]]] = {}
        for entry in self.labels:
            by_column.setdefault(f"{entry['table']}.{entry['column']}", []).append(entry)
        return [t("  代码标签：" + column + " " + "，".join(
                      f"{e['label']} → {e['code']}（{e['rows']:,} 行）" for e in entries),
                  "  code labels: " + column + " " + ", ".join(
                      f"{e['label']} -> {e['code']} ({e['rows']:,} rows)" for e in entries))
                for column, entries in by_column.items()]
