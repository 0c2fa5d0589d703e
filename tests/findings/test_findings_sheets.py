"""Sheet import (CSV, XLSX, Chinese headers; bad rows reported, not imported) and
export (xlsx / csv / json round trips)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from workbench.findings import SheetError
from workbench.findings.sheet_export import export
from workbench.findings.sheet_import import import_sheet, read_sheet

ZH_HEADERS = {"enterprise_id": "统一社会信用代码", "periods": "所属期", "title": "问题标题",
              "severity": "严重程度", "category": "问题类别", "description": "问题描述",
              "materiality_t": "影响排放量（tCO2）", "due_date": "整改期限"}


def _rows(enterprises):
    good = {"enterprise_id": enterprises[0], "periods": "2024-01", "title": "现场核查：煤样未留存",
            "severity": "严重", "category": "lab_evidence", "description": "抽查发现缺少留样记录",
            "materiality_t": "", "due_date": "2025-03-31"}
    return [
        good,
        {**good, "enterprise_id": enterprises[1], "title": "皮带秤未校准",
         "category": "燃料消耗量", "severity": "warning"},
        {**good, "title": ""},                                   # row 4: empty title
        {**good, "enterprise_id": "91320000NOSUCHONE1"},        # row 5: unknown enterprise
        {**good, "due_date": "2025-02-30"},                      # row 6: bad date
        {**good, "description": "长" * 201},                      # row 7: over-long text
    ]


def _check(report, store):
    assert report.rows_read == 6 and len(report.imported) == 2 and report.exit_code == 1
    reasons = {row: " ".join(p.en for p in problems) for row, problems in report.rejected}
    assert set(reasons) == {4, 5, 6, 7}
    assert "must not be empty" in reasons[4] and "not in the dataset" in reasons[5]
    assert "invalid date" in reasons[6] and "too long" in reasons[7]
    assert {f.title for f in store.list()} == {"现场核查：煤样未留存", "皮带秤未校准"}
    assert [e["action"] for e in store.history()] == ["import", "import"]
    assert json.loads(store.history()[0]["payload"])["source"] == report.source
    assert store.verify().ok


def test_csv_with_english_headers(store, dataset, enterprises, tmp_path):
    path = tmp_path / "onsite.csv"
    pd.DataFrame(_rows(enterprises)).to_csv(path, index=False)
    _check(import_sheet(store, path, dataset), store)


def test_gbk_csv_with_chinese_headers(store, dataset, enterprises, tmp_path):
    path = tmp_path / "现场核查.csv"
    pd.DataFrame(_rows(enterprises)).rename(columns=ZH_HEADERS).to_csv(path, index=False,
                                                                       encoding="gb18030")
    _check(import_sheet(store, path, dataset), store)


def test_xlsx_with_chinese_headers_and_a_default_period(store, dataset, enterprises, tmp_path):
    path = tmp_path / "现场核查.xlsx"
    frame = pd.DataFrame(_rows(enterprises)).drop(columns="periods").rename(columns=ZH_HEADERS)
    frame.to_excel(path, index=False)
    _check(import_sheet(store, path, dataset, default_periods="2024"), store)
    assert {f.periods for f in store.list()} == {("2024",)}


def test_rows_for_another_province_are_rejected(db_url, cfg, dataset, enterprises, tmp_path):
    from workbench.findings import open_store

    path = tmp_path / "x.csv"
    pd.DataFrame(_rows(enterprises)[:2]).to_csv(path, index=False)
    bob = open_store(db_url, config=cfg, actor="bob")
    report = import_sheet(bob, path, dataset)
    assert [row for row, _ in report.rejected] == [2, 3] and not report.imported
    assert "not assigned to province" in report.rejected[0][1][0].en
    assert bob.list() == [] and bob.history() == []


def test_missing_columns_and_unreadable_files_are_refused(store, dataset, tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"enterprise_id": ["x"], "title": ["t"]}).to_csv(path, index=False)
    with pytest.raises(SheetError, match="severity, category, description"):
        import_sheet(store, path, dataset)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(SheetError, match="cannot read"):
        read_sheet(other)
    assert store.list() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_round_trip(store, dataset, draft, enterprises, units, tmp_path, fmt):
    ent = draft["enterprise_id"]
    flag = {"check_id": "evidence.date_order", "enterprise_id": ent, "unit_id": units[ent][0],
            "period": "2024-03", "parameter_code": "cc_tc_per_gj"}
    made = [store.create({**draft, "flags": [flag], "periods": ["2024-01", "2024-02"]}, dataset),
            store.create({**draft, "enterprise_id": enterprises[1], "materiality_t": None,
                          "due_date": None, "title": "第二条"}, dataset)]
    made[1] = store.transition(made[1].id, "dismissed", made[1].version, reason="重复")
    path = export(store.list(), tmp_path / f"findings.{fmt}", fmt)
    if fmt == "json":
        assert json.loads(path.read_text(encoding="utf-8")) == [f.to_json() for f in made]
        return
    rows, ignored = read_sheet(path)
    assert {"id", "status", "version", "province"} <= set(ignored)
    for (number, draft_back), f in zip(rows, made, strict=True):
        assert number >= 2
        assert store.check(draft_back, dataset) == store.check(
            {k: getattr(f, k) for k in draft_back if k != "flags"} | {"flags": f.flags}, dataset)
