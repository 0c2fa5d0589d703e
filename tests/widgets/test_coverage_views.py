"""No flag can mean "not checked": the reviewer's flags panel and the dashboard's drill-down
say which checks could not run for an enterprise, and for want of which data."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from widgets.apps import ReviewerApp
from widgets.dashboard import TABS, SupervisorDashboard
from workbench import checks, schema
from workbench.dataset import Dataset
from workbench.review import ReviewData
from workbench.tables import coverage_html, input_text, missing_text


@pytest.fixture(scope="module")
def case(clean_tables, tmp_path_factory) -> tuple[ReviewData, str]:
    """A small clean export in which one enterprise filed no plant own use, screened; and
    that enterprise."""
    t = dict(clean_tables)
    ent = sorted(t["lab_reports"]["enterprise_id"].unique())[0]
    units = set(t["units"].loc[t["units"]["enterprise_id"] == ent, "unit_id"])
    m = t["monthly_parameters"]
    t["monthly_parameters"] = m[~(m["unit_id"].isin(units)
                                  & (m["parameter_code"] == "own_use_mwh"))]
    path = tmp_path_factory.mktemp("no_own_use") / "ds"
    Dataset(path).append(t, log_entry={"source": "test"}, stamp=False)
    return ReviewData.open(path, results=path.parent / "results"), ent


def _fully_checked(review: ReviewData) -> str:
    everyone = review.enterprise_list()["enterprise_id"]
    ids = everyone[~everyone.isin(set(review.coverage["enterprise_id"]))]
    assert len(ids), "the case has an enterprise every check ran for"
    return ids.iloc[0]


def test_every_input_a_check_names_reads_as_words():
    named = {n for c in checks.registry().values() for n in (*c.needs, *c.uses)}
    for locale in ("zh-CN", "en"):
        assert not [n for n in named if input_text(n, locale) == n]
    assert missing_text("monthly:own_use_mwh; labs; no_such_input", "en") == \
        "Plant own use, Lab reports, no_such_input"
    assert missing_text("monthly:own_use_mwh; labs", "zh-CN") == \
        f"{schema.PARAMETERS['own_use_mwh'].label_zh}、检测报告"


def test_coverage_is_escaped_and_empty_coverage_draws_nothing():
    rows = pd.DataFrame({"enterprise_id": ["E1", "E1"],
                         "check_id": ["<b>x</b>", "evidence.date_order"],
                         "status": ["not_checked", "partial"],
                         "missing": ["<script>alert(1)</script>", "labs"]})
    out = coverage_html(rows, "en")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;x" in out
    assert "1 check could not run, 1 check ran only in part (missing data)" in out
    assert "partly checked" in out and "Lab reports" in out
    assert "1 项检查未能运行，1 项检查仅部分运行（缺少数据）" in coverage_html(rows, "zh-CN")
    assert coverage_html(rows.iloc[:0], "en") == ""


def test_reviewer_sees_which_checks_could_not_run(case):
    review, ent = case
    mine = review.coverage_of(ent)
    assert "ranges.own_use_rate" in set(mine["check_id"])
    assert list(mine["status"]) == sorted(mine["status"], key=lambda s: s != "not_checked")
    app = ReviewerApp(review, locale="en")
    app.value = ent
    panel = app.flags
    assert panel._w_coverage in panel.widget.children
    pd.testing.assert_frame_equal(panel.coverage, mine)
    shown = panel._w_coverage.value
    n = int((mine["status"] == "not_checked").sum())
    assert shown.startswith('<details class="wb-coverage">')
    assert f"{n} checks could not run" in shown and "(missing data)" in shown
    assert checks.registry()["ranges.own_use_rate"].title_en in shown
    assert "not checked" in shown and "Plant own use" in shown
    app.set_locale("zh-CN")
    assert f"{n} 项检查未能运行" in panel._w_coverage.value
    assert schema.PARAMETERS["own_use_mwh"].label_zh in panel._w_coverage.value
    app.value = _fully_checked(review)
    assert panel.coverage.empty and panel._w_coverage.value == ""


def test_dashboard_drill_down_says_what_was_not_checked(case):
    review, ent = case
    d = SupervisorDashboard(review, locale="en")
    d.open_enterprise(ent)
    assert d._w_tabs.selected_index == TABS.index("drill")
    assert "checks could not run" in d.detail_flags._w_coverage.value
    d.open_enterprise(_fully_checked(review))
    assert d.detail_flags._w_coverage.value == ""


def test_results_without_coverage_read_as_empty(case, tmp_path):
    review, ent = case
    old = tmp_path / "results"
    shutil.copytree(review.results, old)
    (old / "coverage.parquet").unlink()
    again = ReviewData.open(review.ds.path, results=old)
    assert again.coverage_of(ent).empty
    assert list(again.coverage.columns) == list(review.coverage.columns)
