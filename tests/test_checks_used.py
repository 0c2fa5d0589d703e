"""Case reports explain the checks their tables name: a "checks used" table in the
investigation notebooks and a sheet in the case workbook, with rule, rationale, source and
thresholds in force."""

from __future__ import annotations

import html
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbench import case_report
from workbench import investigate as inv
from workbench.checks_doc import EXPLANATION_COLUMNS, check_explanation
from workbench.review import ReviewData

ROOT = Path(__file__).resolve().parents[1]
BUILD = {"enterprise": inv.enterprise_case, "lab": inv.lab_case, "verifier": inv.verifier_case}


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


@pytest.mark.parametrize("kind", list(BUILD))
def test_each_case_names_the_checks_of_its_tables(review, kind):
    case = BUILD[kind](review, "")
    named = set()
    for frame in vars(case).values():
        if isinstance(frame, pd.DataFrame) and "check_id" in frame:
            named |= set(frame["check_id"])
    used = inv.case_checks(case)
    assert used and set(used) == named and len(used) == len(named)
    page = inv.checks_html(case, review.cfg, "zh-CN")
    assert page.count("<tr><td>") == len(used)
    for cid in used:
        e = check_explanation(cid, review.cfg, "zh-CN")
        assert all(html.escape(e[k]) in page for k in ("title", "rationale", "source")), cid
        assert all(html.escape(f"{t['key']} = {t['value']}") in page for t in e["thresholds"])


def test_the_case_workbook_has_a_checks_used_sheet(review, demo_dir, tmp_path):
    out = case_report.write_workbook("enterprise", "auto", demo_dir, None, tmp_path / "c.xlsx",
                                     "en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "检查项说明 Checks used"
    rows = list(book["检查项说明 Checks used"].iter_rows(values_only=True))
    assert list(rows[0]) == [en for _, en in EXPLANATION_COLUMNS.values()]
    used = inv.case_checks(inv.enterprise_case(review, ""))
    assert [r[0] for r in rows[1:]] == used
    thresholds = list(EXPLANATION_COLUMNS).index("thresholds")
    for row, cid in zip(rows[1:], used, strict=True):
        for t in check_explanation(cid, review.cfg, "en")["thresholds"]:
            assert f"{t['key']} = {t['value']}" in row[thresholds], cid


@pytest.mark.parametrize("kind", list(BUILD))
def test_every_investigation_notebook_ends_with_the_checks_used(kind):
    nb = json.loads((ROOT / "notebooks" / f"investigate_{kind}.ipynb").read_text("utf-8"))
    *_, heading, code = nb["cells"]
    assert "Checks used" in "".join(heading["source"])
    assert "".join(code["source"]) == "HTML(inv.checks_html(case, review.cfg, locale))"
