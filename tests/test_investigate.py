"""Investigation cases on the demo dataset, checked against its injected problems (truth.csv),
and the HTML reports the investigation notebooks export (code hidden)."""

import re
import zlib

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook
from test_case_report_handover import fetched_urls

from workbench import case_report, kpi
from workbench import investigate as inv
from workbench.checks.registry import REGISTRY
from workbench.cli import main
from workbench.exports import find_browser
from workbench.review import KEY_PARAMETERS, ReviewData, key_parameters


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def _cells(frame: pd.DataFrame, unit: str = "unit_id", period: str = "covered_period") -> set:
    return set(zip(frame[unit], frame[period], strict=True))


def _truth(demo, kind: str) -> pd.DataFrame:
    rows = demo.truth[demo.truth["kind"] == kind]
    assert len(rows), f"the demo injects no {kind}"
    return rows


def _lab_of(review: ReviewData, truth: pd.DataFrame) -> str:
    """The one lab that wrote the reports of the injected unit-months."""
    keys = truth[["unit_id", "period"]].rename(columns={"period": "covered_period"})
    labs = review.labs.merge(keys, on=["unit_id", "covered_period"])["lab_name"].unique()
    assert len(labs) == 1
    return str(labs[0])


# -- enterprise --------------------------------------------------------------------------------

def test_enterprise_case_auto_is_rank_one_and_explains_its_score(review):
    case = inv.enterprise_case(review, "auto")
    top = review.enterprise_list().iloc[0]
    assert case.case_id == top["enterprise_id"] and case.summary["rank"] == 1
    assert case.summary["units"] == len(review.units_of(case.case_id))
    assert case.risk_by_check["points"].sum() == pytest.approx(top["risk_score"])
    assert case.flag_counts["total"].sum() == len(case.flags) == len(review.flags_of(case.case_id))
    assert set(case.series["parameter_code"]) <= set(KEY_PARAMETERS)
    assert {"coal_consumption_t", "co2_t"} <= set(case.series["parameter_code"])


def test_enterprise_case_shows_injected_revisions_and_flagged_reports(review, demo):
    revised = _truth(demo, "revision_after_approval")
    eid = revised["enterprise_id"].iloc[0]
    case = inv.enterprise_case(review, eid)
    mine = revised[revised["enterprise_id"] == eid]
    assert _cells(mine, period="period") <= _cells(case.revisions, period="period")
    reused = _truth(demo, "result_reused")
    case = inv.enterprise_case(review, reused["enterprise_id"].iloc[0])
    flagged = case.labs[case.labs["n_flags"] > 0]
    assert _cells(reused.rename(columns={"period": "covered_period"})) <= _cells(flagged)


# -- laboratory --------------------------------------------------------------------------------

def test_lab_case_finds_the_injected_reused_results(review, demo):
    reused = _truth(demo, "result_reused")
    lab = _lab_of(review, reused)
    case = inv.lab_case(review, lab)
    assert case.name == lab
    found = case.reused[case.reused["check_id"] == "evidence.result_reused"]
    assert _cells(reused.rename(columns={"period": "covered_period"})) <= _cells(found)
    assert (found["severity"] == "critical").any()
    # the same lab by its CMA number
    number = review.labs.loc[review.labs["lab_name"] == lab, "lab_accreditation_no"].iloc[0]
    assert inv.lab_case(review, number).summary["reports"] == case.summary["reports"]


def test_lab_case_dates_show_reports_before_sampling_and_batches(review, demo):
    for kind, check_id in (("report_before_sampling", "evidence.date_order"),
                           ("batch_backtesting", "evidence.batch_backtesting")):
        truth = _truth(demo, kind)
        case = inv.lab_case(review, _lab_of(review, truth))
        dated = case.dates[case.dates["check_id"] == check_id]
        assert _cells(truth, period="period") <= _cells(dated), kind


def test_lab_case_auto_is_the_unaccredited_lab(review, demo):
    truth = _truth(demo, "missing_accreditation").rename(columns={"period": "covered_period"})
    case = inv.lab_case(review, "")
    assert case.summary["lab_accreditation_no"] == "—"
    assert _cells(case.reports) == _cells(truth)
    counts = case.flags_by_check.set_index("check_id")["critical"]
    assert counts["evidence.accreditation"] == len(truth)
    assert case.per_day["reports"].sum() == len(case.reports)
    assert case.summary["share_enterprises_critical"] == 1.0
    assert 0 < case.summary["share_enterprises_critical_all"] < 1
    assert case.comparison["is_this_case"].sum() == 1
    assert len(case.comparison) == review.labs["lab_name"].nunique()


def test_reports_per_day_counts_several_months_of_one_unit():
    day = pd.Timestamp("2024-03-01")
    reports = pd.DataFrame({"report_date": [day, day, day, day + pd.Timedelta(days=1)],
                            "enterprise_id": ["e1", "e1", "e2", "e1"],
                            "unit_id": ["u1", "u1", "u2", "u1"],
                            "covered_period": ["2023-01", "2023-02", "2023-02", "2023-03"]})
    out = inv.reports_per_day(reports)
    first = out.iloc[0]
    assert (first["report_date"], first["reports"], first["enterprises"]) == (day, 3, 2)
    assert (first["periods_covered"], first["most_for_one_unit"]) == (2, 2)


# -- verification agency -----------------------------------------------------------------------

def test_verifier_case_counts_returns_and_verification_changes(review, demo):
    events = demo.tables["review_events"]
    ents = demo.tables["enterprises"]
    busiest = events[events["event_code"] == "returned"].merge(ents, on="enterprise_id")[
        "verifier_name"].value_counts().index[0]
    case = inv.verifier_case(review, busiest)
    mine = set(ents.loc[ents["verifier_name"] == busiest, "enterprise_id"])
    assert set(case.enterprises["enterprise_id"]) == mine
    returned = events[(events["event_code"] == "returned") & events["enterprise_id"].isin(mine)]
    assert case.summary["returns"] == len(returned) == case.enterprises["returns"].sum()
    annual = demo.tables["annual_reports"]
    annual = annual[annual["verifier_name"] == busiest]
    assert case.summary["verified_minus_reported_t"] == pytest.approx(
        (annual["verified_co2_t"] - annual["reported_co2_t"]).sum())
    card = kpi.verifier_scorecard(review.inputs(), review.flags).set_index("verifier_name")
    assert case.summary["share_with_critical"] == card.loc[busiest, "share_with_critical"]
    assert inv.verifier_case(review, "auto").case_id == card.index[0]


# -- IDs, labels, figures ----------------------------------------------------------------------

@pytest.mark.parametrize(("fn", "typo", "close"), [
    (inv.enterprise_case, "913215253A89U9FWM3", "913215253A89U9FWM2"),
    (inv.lab_case, "江苏煤质检测中心第9实验室", "江苏煤质检测中心第1实验室"),
    (inv.verifier_case, "绿源认证中心", "绿源认证中心有限公司"),
])
def test_unknown_id_names_it_and_close_known_ids(review, fn, typo, close):
    with pytest.raises(inv.UnknownCaseError, match=re.escape(typo)) as err:
        fn(review, typo)
    assert isinstance(err.value, ValueError) and close in str(err.value)


def test_checks_named_here_exist():
    inv.check_title("evidence.date_order", "en")           # loads the registry
    assert set(inv.DATE_CHECKS + inv.REUSE_CHECKS) <= set(REGISTRY)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_table_and_summary_has_zh_and_en_headers(review):
    cases = [inv.enterprise_case(review, ""), inv.lab_case(review, ""),
             inv.verifier_case(review, "")]
    for case in cases:
        frames = [v for v in vars(case).values() if isinstance(v, pd.DataFrame)]
        for frame in frames:
            zh, en = (inv.display_frame(frame.head(3), loc).columns for loc in ("zh-CN", "en"))
            assert all(map(_has_cjk, zh)) and not any(map(_has_cjk, en)), list(frame.columns)
        for name in case.summary:
            assert _has_cjk(inv.header(name, "zh-CN"))
            assert not _has_cjk(inv.header(name, "en")), name
        for locale in ("zh-CN", "en"):
            assert case.case_id in inv.heading_html(case, locale)
            assert inv.summary_html(case, locale).startswith("<table")


def test_tables_escape_and_translate_cells():
    frame = pd.DataFrame({"severity": ["critical"], "check_id": ["evidence.date_order"],
                          "evidence": ["<script>alert(1)</script>"],
                          "share_with_critical": [0.25], "reported_co2_t": [1234567.8]})
    html = inv.table_html(frame, "en")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Critical" in html and "Lab report dates out of order" in html
    assert "25.0%" in html and "1,234,568" in html
    assert "严重" in inv.table_html(frame, "zh-CN")


def test_figures_draw_the_cases(review):
    e, lab, v = (inv.enterprise_case(review, ""), inv.lab_case(review, "江苏煤质检测中心第1实验室"),
                 inv.verifier_case(review, ""))
    figures = [inv.series_figure(e.series, "en"), inv.lab_month_figure(lab.by_month, "en"),
               inv.reports_per_day_figure(lab.per_day, "zh-CN"),
               inv.report_lag_figure(lab.reports, review.cfg, "en"),
               inv.co2_difference_figure(v.co2_all, v.name, "en")]
    assert all(isinstance(f, go.Figure) and f.data for f in figures)
    assert len(figures[-1].data) == review.enterprises["verifier_name"].nunique()


# -- reports -----------------------------------------------------------------------------------

def test_cli_refuses_an_unknown_id_with_exit_2_before_starting_a_kernel(demo_dir, tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["investigate", "lab", "no such lab", "--dataset",
                                    str(demo_dir), "--out", str(out)])
    assert res.exit_code == 2 and "no such lab" in res.output and "江苏煤质检测中心" in res.output
    assert not out.exists()
    res = CliRunner().invoke(main, ["investigate", "verifier", "auto", "--dataset",
                                    str(tmp_path), "--out", str(out)])
    assert res.exit_code == 2 and "manifest.json" in res.output


@pytest.mark.slow
def test_a_failing_cell_names_the_notebook_and_the_error(demo_dir, tmp_path, monkeypatch):
    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                             new_code_cell("1 / 0")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    nbformat.write(nb, tmp_path / "investigate_lab.ipynb")
    monkeypatch.setattr(case_report, "NOTEBOOKS", tmp_path)
    with pytest.raises(case_report.InvestigationError) as err:
        case_report.run_investigation("lab", "auto", demo_dir, out=tmp_path / "r.html")
    text = str(err.value)
    assert text == "investigate_lab.ipynb, cell [3] `1 / 0`: ZeroDivisionError: division by zero"
    assert "Traceback" not in text and "\x1b[" not in text and not (tmp_path / "r.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["enterprise", "lab", "verifier"])
def test_report_is_html_without_code_titled_by_its_case(kind, review, demo, demo_dir, tmp_path):
    case_id, locale = {
        "enterprise": (_truth(demo, "result_reused")["enterprise_id"].iloc[0], "zh-CN"),
        "lab": (_lab_of(review, _truth(demo, "result_reused")), "en"),
        "verifier": ("auto", "zh-CN")}[kind]
    out = tmp_path / f"{kind}.html"
    res = CliRunner().invoke(main, ["investigate", kind, case_id, "--dataset", str(demo_dir),
                                    "--out", str(out), "--locale", locale])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    for code in ("import ", "ReviewData.open(", "inv.table_html(", "pio.renderers"):
        assert code not in _text_outside_scripts(page), code
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    expected_id = case_id if case_id != "auto" else kpi.verifier_scorecard(
        review.inputs(), review.flags)["verifier_name"].iloc[0]
    zh, en = inv.KIND_LABELS[kind]
    assert f"{zh}调查" in title and f"{en} investigation" in title and expected_id in title
    assert expected_id in _text_outside_scripts(page)
    # plotly.js inline once (the cartesian bundle, or the full one), so it opens offline
    assert len(re.findall(r"plotly\.js (?:\(cartesian - minified\) )?v\d", page)) == 1
    assert not re.search(r'<script[^>]*src="[^"]*plotly', page)
    assert fetched_urls(page) == []                         # no CDN: MathJax, require.js...


def _text_outside_scripts(page: str) -> str:
    """The page without its scripts and styles (plotly.js and CSS hold words like "import")."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)


def test_cli_refuses_a_report_that_is_neither_html_nor_pdf(demo_dir, tmp_path):
    res = CliRunner().invoke(main, ["investigate", "lab", "auto", "--dataset", str(demo_dir),
                                    "--out", str(tmp_path / "r.docx")])
    assert res.exit_code == 2 and ".html, .pdf or .xlsx" in res.output


@pytest.mark.slow
@pytest.mark.skipif(find_browser() is None, reason="no chromium on PATH to print the PDF")
def test_report_prints_to_pdf_with_its_figures(demo_dir, tmp_path):
    out = tmp_path / "lab.pdf"
    res = CliRunner().invoke(main, ["investigate", "lab", "auto", "--dataset", str(demo_dir),
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert _line_segments(pdf) > 300          # the figures' axes and traces were drawn


def _line_segments(pdf: bytes) -> int:
    """Straight-line path segments (``x y l``) in the PDF's compressed page streams."""
    n = 0
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            n += len(re.findall(rb"[\d.]+ [\d.]+ l\b", zlib.decompress(m.group(1))))
        except zlib.error:
            continue
    return n


def test_report_tables_as_a_bilingual_workbook(review, demo, demo_dir, tmp_path):
    import openpyxl

    ent = _truth(demo, "result_reused")["enterprise_id"].iloc[0]
    out = tmp_path / "case.xlsx"
    res = CliRunner().invoke(main, ["investigate", "enterprise", ent, "--dataset",
                                    str(demo_dir), "--out", str(out), "--locale", "en"])
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["概况 Summary", "风险来源 Risk by check", "预警统计 Flag counts"]
    summary = [tuple(r) for r in book["概况 Summary"].iter_rows(values_only=True)]
    assert ent in summary[1][0] and ("Unified social credit code", ent) in summary
    flags = book["预警 Flags"]
    assert flags.max_row - 1 == len(review.flags_of(ent))
    assert "Check" in [c.value for c in flags[1]]


@pytest.mark.parametrize("sector", ["steel", "cement", "aluminium"])
def test_a_sector_enterprise_case_shows_its_facilities_key_parameters(review, sector):
    """A steel works', a cement plant's or a smelter's case: its industry in words, no power
    capacity, and the month-by-month series of what each facility kind must file."""
    ents = review.enterprises
    eid = sorted(ents.loc[ents["industry_code"] == sector, "enterprise_id"])[0]
    case = inv.enterprise_case(review, eid)
    units = review.units_of(eid).set_index("unit_id")["unit_category_code"]
    assert len(case.series)
    for unit, codes in case.series.groupby("unit_id")["parameter_code"]:
        assert set(codes) <= set(key_parameters(units[unit])), unit
    assert "co2_t" in set(case.series["parameter_code"])
    assert pd.isna(case.summary["capacity_mw"])
    words = {"steel": "钢铁", "cement": "水泥", "aluminium": "电解铝"}[sector]
    page = inv.summary_html(case, "zh-CN")
    assert f"<td>{words}</td>" in page and "nan" not in page
