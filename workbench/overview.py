"""What is in a dataset: tables, row counts, periods, quarantined rows.

The first thing a reviewer sees when opening a dataset, and what
``workbench info`` prints.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench import i18n, schema
from workbench.dataset import Dataset


def table_summary(ds: Dataset, locale: str = "zh-CN", periods: bool = True) -> pd.DataFrame:
    """One row per contract table: label, rows, and the period range it covers (read from
    the parts; left empty with ``periods=False``, for parts that failed verification).
    """
    rows = []
    counts = ds.row_counts()
    con = ds.duckdb() if periods else None
    for name in schema.TABLES:
        period = _period_range(con, name) if con is not None and counts.get(name) else ""
        rows.append({"table": name, "label": i18n.table_label(name, locale),
                     "rows": counts.get(name, 0), "periods": period})
    return pd.DataFrame(rows)


def _period_range(con, table: str) -> str:
    """``first … last`` period (or date, or year) of a table, through DuckDB."""
    col = {"monthly_parameters": "period", "review_events": "period",
           "lab_reports": "covered_period", "daily_parameters": "date",
           "annual_reports": "year"}.get(table)
    if col is None:
        return ""
    lo, hi = con.execute(f"SELECT min({col}), max({col}) FROM {table}").fetchone()  # noqa: S608
    return f"{str(lo)[:10]} … {str(hi)[:10]}"


def quarantine_files(ds: Dataset) -> pd.DataFrame:
    """Quarantine files of past imports with the number of rejected rows in each."""
    rows = []
    for path in sorted((ds.path / "quarantine").glob("*/*.csv")):
        n = max(sum(1 for _ in path.open(encoding="utf-8-sig")) - 1, 0)
        rows.append({"import_id": path.parent.name, "table": path.stem, "rows": n,
                     "file": str(path)})
    return pd.DataFrame(rows, columns=["import_id", "table", "rows", "file"])


def describe(path: str | Path, locale: str = "zh-CN") -> dict:
    """Manifest facts, the table summary and the verification of the parts against the
    manifest (``verified``: parts checked and problems, see :meth:`Dataset.verify`) of the
    dataset at ``path`` (JSON-ready).
    """
    ds = Dataset(path)
    m = ds.manifest
    problems = ds.verify()
    parts = sum(len(info["parts"]) for info in m["tables"].values())
    return {"dataset": str(ds.path), "schema_version": m["schema_version"],
            "fingerprint": m["fingerprint"], "imports": len(m["imports"]),
            "verified": {"ok": not problems, "parts": parts, "problems": problems},
            "tables": table_summary(ds, locale, periods=not problems).to_dict(orient="records")}


def verification_lines(verified: dict, locale: str = "zh-CN") -> list[str]:
    """What ``workbench info`` prints about the verification of the parts."""
    if verified["ok"]:
        return [i18n.pick(f"校验：{verified['parts']} 个分片与清单一致（SHA-256、行数、指纹）",
                          f"verified: {verified['parts']} parts match the manifest (SHA-256, "
                          "rows, fingerprint)", locale)]
    lines = [i18n.pick(f"校验失败：{len(verified['problems'])} 处与清单不符",
                       f"verification FAILED: {len(verified['problems'])} problems", locale)]
    return lines + [f"  {p['part']}: {i18n.pick(p['zh'], p['en'], locale)}"
                    for p in verified["problems"]]
