"""Case reports fit to hand over: the HTML fetches nothing from the network (and its figures
draw with the network blocked), every table is complete, and the report says when and from
what it was made and which findings are already recorded (issue 12)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import workbench
from workbench import case_report, plotly_bundle
from workbench import investigate as inv
from workbench.case_report import smaller_plotly
from workbench.cli import main
from workbench.config import config_hash, load_config
from workbench.dataset import Dataset
from workbench.findings import open_store
from workbench.review import ReviewData

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("case_report_handover")

# -- what a page would fetch -------------------------------------------------------------------

#: Attributes whose URL a browser loads by itself (``<a href>`` only when clicked).
_LOADING = {"src", "srcset", "poster", "data", "background", "xlink:href", "formaction",
            "action", "manifest", "ping"}
_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_REMOTE = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*((?:https?:)?//[^"')\s;]+)""",
                         re.IGNORECASE)
_JS_IMPORT = re.compile(r"""(?:\bimport\s*\(\s*|\bfrom\s+)["']((?:https?:)?//[^"']+)""")


class _Fetches(HTMLParser):
    """Collects the network URLs an HTML page loads without a click: remote src/href of
    resources, CSS url()/@import in style elements and attributes, and module imports."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in: str | None = None
        self._module = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): v or "" for k, v in attrs}
        for key, value in a.items():
            loads = key in _LOADING or (key == "href" and tag not in ("a", "area"))
            if loads and any(_REMOTE.match(part.split()[0]) for part in value.split(",")
                             if part.strip()):
                self.urls.append(f"<{tag} {key}={value}>")
            if key == "style":
                self.urls += _CSS_REMOTE.findall(value)
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh" and "url=" in \
                a.get("content", "").lower():
            self.urls.append(a["content"])
        self._in = tag if tag in ("style", "script") else None
        self._module = tag == "script" and a.get("type") == "module"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.urls += _CSS_REMOTE.findall(data)
        elif self._in == "script" and self._module:
            self.urls += _JS_IMPORT.findall(data)


def fetched_urls(page: str) -> list[str]:
    """The network URLs ``page`` would load when opened (none for a self-contained page)."""
    parser = _Fetches()
    parser.feed(page)
    return parser.urls


def test_the_fetch_finder_finds_what_a_browser_would_load():
    page = """<html><head>
    <script src="https://cdn.example/require.js"></script>
    <link rel="stylesheet" href="//fonts.example/css">
    <style>@import "https://a.example/x.css"; body { background: url(http://b.example/i.png) }
    </style><script type="module">const m = await import("https://c.example/m.mjs");</script>
    </head><body><img srcset="a.png 1x, https://d.example/b.png 2x">
    <div style="background-image:url('https://e.example/p.png')"></div>
    <a href="https://www.ecfr.gov/part-98">source</a><img src="data:image/png;base64,AA==">
    <script>var s = "<link href='https://not.loaded/just-text'>";</script></body></html>"""
    found = " ".join(fetched_urls(page))
    for host in ("cdn.example", "fonts.example", "a.example", "b.example", "c.example",
                 "d.example", "e.example"):
        assert host in found, host
    assert "ecfr.gov" not in found and "data:image" not in found and "not.loaded" not in found


def test_offline_outputs_removes_remote_scripts_from_outputs():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    html = ('<div> <script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/'
            'tex-svg.min.js"></script><script>window.x = 1;</script>'
            '<a href="https://openstd.samr.gov.cn">GB/T</a></div>')
    cell = new_code_cell("fig.show()", outputs=[new_output("display_data",
                                                           data={"text/html": html})])
    nb = new_notebook(cells=[cell])
    assert case_report.offline_outputs(nb) == 1
    kept = nb.cells[0].outputs[0].data["text/html"]
    assert "mathjax" not in kept and "window.x = 1" in kept and "openstd.samr.gov.cn" in kept


# -- the reports -------------------------------------------------------------------------------

@dataclasses.dataclass
class Handover:
    review: ReviewData
    config: Path               # WORKBENCH_CONFIG of the store below
    enterprise: str            # has more lab reports than the old 40-row cap
    lab: str                   # a lab of that enterprise (hundreds of reports)
    finding: object            # recorded for the enterprise
    elsewhere: object          # recorded for an enterprise the lab does not serve
    started: datetime
    finished: datetime
    pages: dict[str, str]


@pytest.fixture(scope="module")
def handover(demo_dir, tmp_path_factory) -> Handover:
    tmp = tmp_path_factory.mktemp("handover")
    config = tmp / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{tmp / "findings.sqlite"}"\n'
                      'reviewer = "alice"\n'
                      '[findings]\nreviewer_provinces = { "alice" = ["*"] }\n',
                      encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_CONFIG", str(config))
        review = ReviewData.open(demo_dir)
        counts = review.labs.groupby("enterprise_id").size()
        flagged = set(review.labs.loc[review.labs["report_id"].isin(
            review.flags["report_id"]), "enterprise_id"])
        long = counts[(counts > 40) & counts.index.isin(flagged)]
        enterprise = str(long.sort_values(ascending=False).index[0])
        lab = str(review.labs_of(enterprise)["lab_name"].mode().iloc[0])
        served = set(review.labs.loc[review.labs["lab_name"] == lab, "enterprise_id"])
        other = sorted(set(review.enterprises["enterprise_id"]) - served)[0]
        store = open_store(config=load_config())
        finding = store.create({"enterprise_id": enterprise, "periods": ["2024-03", "2024-04"],
                                "title": "检测报告<b>重复使用</b>", "category": "lab_evidence",
                                "severity": "critical", "description": "同一结果用于两个月",
                                "due_date": "2025-01-31"}, review.ds)
        elsewhere = store.create({"enterprise_id": other, "periods": ["2024-05"],
                                  "title": "另一家企业的问题", "category": "other",
                                  "severity": "info"}, review.ds)
        store.close()
        started = datetime.now(UTC)
        pages = {}
        for kind, case_id in (("enterprise", enterprise), ("lab", lab)):
            out = tmp / f"{kind}.html"
            res = CliRunner().invoke(main, ["investigate", kind, case_id, "--dataset",
                                            str(demo_dir), "--out", str(out)])
            assert res.exit_code == 0, res.output
            pages[kind] = out.read_text(encoding="utf-8")
        finished = datetime.now(UTC)
    return Handover(review, config, enterprise, lab, finding, elsewhere, started, finished, pages)


def _text(page: str) -> str:
    """The page without scripts and styles."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["enterprise", "lab"])
def test_report_fetches_nothing_from_the_network(handover, kind):
    page = handover.pages[kind]
    assert fetched_urls(page) == []
    meta = re.search(r'<meta\b[^>]*http-equiv="Content-Security-Policy"[^>]*>', page)
    assert meta and "default-src 'none'" in re.search(r'content="([^"]*)"', meta.group(0))[1]
    assert meta.start() < page.index("<script")             # in force before any script
    bundles = re.findall(r"plotly\.js (?:\(cartesian - minified\) )?v\d", page)
    assert len(bundles) == 1                                # plotly.js inline, once


@pytest.mark.slow
def test_enterprise_report_lists_every_lab_report_flagged_first(handover):
    text = _text(handover.pages["enterprise"])
    labs = handover.review.labs_of(handover.enterprise)
    assert len(labs) > 40
    for report_id in labs["report_id"]:
        assert text.count(f"<td>{report_id}</td>") == 1, report_id
    assert "仅显示前" not in text and "First 40" not in text
    assert f"共 {len(labs)} 行" in text
    case = inv.enterprise_case(handover.review, handover.enterprise)
    flagged = (case.labs["n_flags"] > 0).to_numpy()
    assert flagged.any() and not (~flagged[:-1] & flagged[1:]).any()   # no flagged after clean


@pytest.mark.slow
def test_lab_report_lists_all_its_reports_and_days(handover):
    text = _text(handover.pages["lab"])
    case = inv.lab_case(handover.review, handover.lab)
    assert len(case.reports) > 40 and len(case.per_day) > inv.case.SCROLL_ROWS
    missing = [r for r in case.reports["report_id"] if f"<td>{r}</td>" not in text]
    assert not missing
    assert f"共 {len(case.reports)} 行" in text and f"共 {len(case.per_day)} 行" in text


def _about(page: str) -> dict[str, str]:
    block = re.search(r'<table[^>]*class="dataframe wb-about"[^>]*>(.*?)</table>', page, re.S)
    assert block, "no about block"
    return dict(re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", block.group(1)))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["enterprise", "lab"])
def test_report_says_when_and_from_what_it_was_made(handover, demo_dir, kind):
    about = _about(handover.pages[kind])
    assert about["数据集指纹"] == Dataset(demo_dir).fingerprint == handover.review.ds.fingerprint
    assert about["数据集"] == str(Path(demo_dir).resolve())
    assert about["工作台版本"] == workbench.__version__
    assert about["筛查配置哈希"] == config_hash(handover.review.cfg)
    assert about["编制人"] == "alice"
    at = datetime.strptime(about["生成时间 (UTC)"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert handover.started.replace(second=0, microsecond=0) <= at <= handover.finished


@pytest.mark.slow
def test_report_lists_the_findings_already_recorded(handover):
    ent, lab = (_text(handover.pages[k]) for k in ("enterprise", "lab"))
    mine, other = handover.finding, handover.elsewhere
    for page in (ent, lab):
        assert mine.id in page and "检测报告&lt;b&gt;重复使用&lt;/b&gt;" in page
        assert "<b>重复使用</b>" not in page                   # escaped, not markup
        assert "2024-03, 2024-04" in page and "2025-01-31" in page and "待处理" in page
        assert other.id not in page
        assert _about(page)["已记录问题数"] == "1"


def test_report_says_so_when_the_store_cannot_be_opened(review_default, tmp_path):
    cfg = load_config()
    missing = tmp_path / "no" / "such" / "findings.sqlite"
    cfg["general"]["database_url"] = f"sqlite:///{missing}"
    review = dataclasses.replace(review_default, cfg=cfg)
    case = inv.enterprise_case(review, "")
    page = inv.about_html(review, case, "en")
    assert "the findings store could not be opened" in page
    assert "wb-findings" not in page.replace("wb-findings-note", "")
    assert not missing.exists() and not missing.parent.exists()      # read-only: nothing made
    facts, frame, note = inv.report_about(review, case)
    assert note and frame.empty and facts["dataset_fingerprint"] == review.ds.fingerprint


@pytest.fixture(scope="module")
def review_default(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def test_workbook_carries_the_same_metadata_and_findings(handover, demo_dir, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("WORKBENCH_CONFIG", str(handover.config))
    out = case_report.write_workbook("enterprise", handover.enterprise, demo_dir, None,
                                     tmp_path / "case.xlsx", "en")
    book = openpyxl.load_workbook(out)
    summary = dict(r for r in book["概况 Summary"].iter_rows(min_row=3, values_only=True))
    assert summary["Dataset fingerprint"] == Dataset(demo_dir).fingerprint
    assert summary["Workbench version"] == workbench.__version__
    assert summary["Screening configuration hash"] == config_hash(load_config())
    assert summary["Prepared by"] == "alice" and summary["Findings recorded"] == "1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", summary["Generated at (UTC)"])
    assert summary["Unified social credit code"] == handover.enterprise
    assert book.sheetnames[-2:] == [case_report.FINDINGS_SHEET, "检查项说明 Checks used"]
    rows = list(book[case_report.FINDINGS_SHEET].iter_rows(values_only=True))
    header, found = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert "Finding ID" in header and [f["Finding ID"] for f in found] == [handover.finding.id]
    assert found[0]["Title"] == "检测报告<b>重复使用</b>" and found[0]["Due date"] == "2025-01-31"
    assert found[0]["Status"] == "Open" and found[0]["Severity"] == "Critical"
    lab_sheet = [r[0] for r in book["检测报告 Lab reports"].iter_rows(min_row=2, values_only=True)]
    assert len(lab_sheet) == len(handover.review.labs_of(handover.enterprise))


# -- tables in full ----------------------------------------------------------------------------

def test_case_tables_are_never_cut():
    frame = pd.DataFrame({"report_id": [f"R{i:04d}" for i in range(300)],
                          "reports": range(300)})
    page = inv.case_table_html(frame, "en")
    assert all(f"<td>R{i:04d}</td>" in page for i in range(300))
    assert 'class="wb-scroll"' in page and "All 300 rows" in page
    short = inv.case_table_html(frame.head(inv.case.SCROLL_ROWS), "zh-CN")
    assert "wb-scroll" not in short and short.count("<tr>") == inv.case.SCROLL_ROWS


@pytest.mark.parametrize("kind", ["enterprise", "lab", "verifier"])
def test_notebooks_show_every_table_in_full_and_the_about_block(kind):
    import json

    nb = json.loads((ROOT / "notebooks" / f"investigate_{kind}.ipynb").read_text("utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert not [c for c in code if "inv.table_html(" in c or "max_rows" in c]
    assert sum("inv.case_table_html(" in c for c in code) >= 3
    assert "HTML(inv.about_html(review, case, locale))" in code


@pytest.mark.slow
def test_report_of_the_largest_enterprise_fits_in_2_mb(handover):
    """The enterprise with most lab reports: its report carries the cartesian plotly.js
    (scripts/setup.sh fetches it), all its rows, and stays within 2 MB."""
    page = handover.pages["enterprise"]
    assert plotly_bundle.cartesian() is not None, "scripts/setup.sh installs the bundle"
    assert f"plotly.js (cartesian - minified) v{plotly_bundle.VERSION}" in page
    assert len(page.encode("utf-8")) <= 2 * 1024 * 1024


def test_the_full_plotly_stays_for_a_trace_the_small_bundle_cannot_draw(monkeypatch):
    from plotly.offline import get_plotlyjs

    monkeypatch.setattr(plotly_bundle, "cartesian", lambda: "SMALL")
    body = f"<script>{get_plotlyjs()}</script>"
    assert smaller_plotly(body, {"scatter", "heatmap"}) == "<script>SMALL</script>"
    assert smaller_plotly(body, {"scatter", "choropleth"}) == body


# -- in a browser with the network blocked -----------------------------------------------------

@pytest.mark.slow
def test_report_draws_its_figures_with_the_network_blocked(handover, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on PATH (scripts/setup.sh test installs it)")
    asked, problems = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking"])
        try:
            context = browser.new_context()

            def block(route):
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    asked.append(route.request.url)
                    route.abort()

            context.route("**/*", block)
            page = context.new_page()
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            for kind, figures in (("enterprise", 1), ("lab", 3)):
                path = tmp_path / f"{kind}.html"
                path.write_text(handover.pages[kind], encoding="utf-8")
                page.goto(path.as_uri())
                drawn = ("[...document.querySelectorAll('.js-plotly-plot')]"   # with traces
                         ".filter(d => d.querySelector('.main-svg .trace, .main-svg .hm'))")
                page.wait_for_function(f"{drawn}.length >= {figures}")
                assert page.evaluate(f"{drawn}.length") == figures, kind
                scroll = page.locator(".wb-scroll").first
                assert scroll.evaluate("e => getComputedStyle(e).overflow") == "auto"
                page.emulate_media(media="print")
                assert scroll.evaluate("e => getComputedStyle(e).maxHeight") == "none"
                page.emulate_media(media="screen")
        finally:
            browser.close()
    assert asked == [] and problems == []
