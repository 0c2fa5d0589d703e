"""Formula injection: every sheet the workbench writes (findings CSV and XLSX, case-report
XLSX) puts a quote before a cell a spreadsheet would evaluate, numbers stay numbers, and
importing an exported sheet gives back the exact text."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.findings.sheet_export import export
from workbench.findings.sheet_import import import_sheet, read_sheet
from workbench.safe_cells import FORMULA_STARTS, neutralise, neutralise_frame, restore

FORMULA = '=HYPERLINK("http://example.invalid","click me")'
#: Titles an export must neutralise (or, for the last ones, leave alone) and give back.
TITLES = [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "＝1+1", "＋1", "－1",
          "＠A1", "\t=1+1", "'=already quoted", "'", "''", "'plain", "-12.5", "普通标题"]


@pytest.mark.parametrize(("text", "written"), [
    (FORMULA, "'" + FORMULA), ("@x", "'@x"), ("＝1", "'＝1"), ("\r=1", "'\r=1"),
    ("'x", "''x"), ("-12.5", "-12.5"), ("-3,790", "-3,790"), ("-0.1%", "-0.1%"),
    ("+1e-3", "+1e-3"), ("-", "'-"), ("a=b", "a=b"), ("", "")])
def test_neutralise_quotes_formula_starts_and_quotes(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


def test_numbers_and_other_values_are_left_alone():
    assert [neutralise(v) for v in (-12.5, -3, None, True)] == [-12.5, -3, None, True]
    frame = pd.DataFrame({"t": ["=1", "ok", None], "n": [-1.5, 2.0, None]})
    out = neutralise_frame(frame)
    assert out["t"].tolist()[:2] == ["'=1", "ok"] and pd.isna(out["t"].iloc[2])
    assert out["n"].dtype == frame["n"].dtype and out["n"].iloc[0] == -1.5
    assert frame["t"].iloc[0] == "=1"  # the input is not changed


@given(st.text(alphabet=st.sampled_from([*FORMULA_STARTS, "'", "a", "1", ".", ",", "%", "中"]),
               max_size=6))
def test_restore_inverts_neutralise_and_no_written_cell_starts_like_a_formula(text):
    written = neutralise(text)
    assert restore(written) == text
    assert not written or written[0] not in FORMULA_STARTS or written == text


def _findings(store, dataset, draft, enterprises):
    """One finding per title of TITLES, the first with a negative impact."""
    made = []
    for n, title in enumerate(TITLES):
        made.append(store.create({**draft, "enterprise_id": enterprises[n % len(enterprises)],
                                  "title": title, "description": f"{title} 描述",
                                  "materiality_t": -12.5 if n == 0 else 3.0}, dataset))
    return made


def test_csv_export_neutralises_cells_and_imports_back_exactly(store, dataset, draft,
                                                               enterprises, tmp_path):
    made = _findings(store, dataset, draft, enterprises)
    path = export(made, tmp_path / "findings.csv", "csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [neutralise(f.title) for f in made]
    assert rows[0]["title"] == "'" + FORMULA and rows[0]["materiality_t"] == "-12.5"
    for row in rows:
        assert all(not cell or cell[0] not in FORMULA_STARTS or cell == "-12.5"
                   for cell in row.values())

    back, _ = read_sheet(path)
    assert [d["title"] for _, d in back] == [f.title for f in made]
    assert [d["description"] for _, d in back] == [f.description for f in made]
    report = import_sheet(store, path, dataset)
    assert report.exit_code == 0
    assert [f.title for f in report.imported] == [f.title for f in made]
    assert report.imported[0].materiality_t == -12.5


def test_xlsx_export_neutralises_text_keeps_numbers_and_imports_back_exactly(
        store, dataset, draft, enterprises, tmp_path):
    made = _findings(store, dataset, draft, enterprises)
    path = export(made, tmp_path / "findings.xlsx", "xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[2]]
    title, impact = header.index("Title") + 1, header.index("Emission impact Δ (tCO2)") + 1
    assert sheet.cell(3, title).value == "'" + FORMULA and sheet.cell(3, title).data_type == "s"
    assert sheet.cell(3, impact).value == -12.5 and sheet.cell(3, impact).data_type == "n"
    assert [sheet.cell(r, title).value for r in range(3, 3 + len(made))] == [
        neutralise(f.title) for f in made]

    report = import_sheet(store, path, dataset)
    assert report.exit_code == 0
    assert [f.title for f in report.imported] == [f.title for f in made]
    assert [f.description for f in report.imported] == [f.description for f in made]
