"""The supervisor dashboard in a real browser: ``workbench dashboard`` (Voilà, preheated
kernels) on localhost, Debian's headless Chromium driven by Playwright.

Renders its KPIs with sparklines, definitions and the change against the previous period
(no plotly on the first screen), the header says what the page is, the trends tab draws its
figures when opened, the check-health tab lists the checks, a filter change updates the
ranking, narrowing the period re-ranks from that period's flags, the drill-down opens and
the same row opens it again, tab titles fit in both languages,
a ``?enterprise=`` link opens that enterprise, no write control exists, and a finding
whose text holds HTML or script is shown as text.  Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from grid_ui import choose, click_row_at, exported, filter_contains, header_icons
from voila_server import chromium, chromium_path, voila_server

from widgets.labels import LABELS
from workbench import checks, kpi
from workbench.config import load_config
from workbench.findings import open_store
from workbench.review import ReviewData

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser"),
              pytest.mark.skipif(chromium_path() is None,
                                 reason="no chromium on PATH (scripts/setup.sh test installs it)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PAGE_TIMEOUT_MS = 240_000          # a cold kernel on a busy 2-core CI machine
SCRIPT_TITLE = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">标题'
#: Every control that would change a finding, in both languages: none may be on the page.
WRITE_LABELS = [text for key in ("finding_save", "finding_move", "finding_reason")
                for text in LABELS[key]]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


@pytest.fixture(scope="module")
def server(demo_dir, review, tmp_path_factory, monkeypatch_module):
    """The dashboard served over the demo with two findings written beforehand."""
    folder = tmp_path_factory.mktemp("dashboard")
    db = folder / "findings.sqlite"
    config = folder / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{db}"\nreviewer = "writer"\n'
                      '[findings]\nreviewer_provinces = { "writer" = ["江苏"] }\n',
                      encoding="utf-8")
    monkeypatch_module.setenv("WORKBENCH_CONFIG", str(config))
    cfg = load_config()
    ent = review.risk.sort_values("rank")["enterprise_id"].iloc[0]
    writer = open_store(f"sqlite:///{db}", config=cfg, actor="writer")
    writer.create({"enterprise_id": ent, "periods": ["2024-03"], "category": "other",
                   "title": SCRIPT_TITLE, "severity": "warning",
                   "description": "shown escaped"}, review.ds)
    writer.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with voila_server(demo_dir, config, ARTIFACTS / "voila.log", pool_size=2) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(".wb-kpi", timeout=PAGE_TIMEOUT_MS)
    return page


@pytest.fixture(scope="module")
def page(browser, server):
    page = _open(browser, server)
    yield page
    page.close()


def _ranking(page):
    """The risk ranking's grid (its container: grid, export button and link)."""
    return page.locator(".wb-grid-ranking")


def _ranked(page, n: int | None = None):
    """The ranking as its export shows it; with ``n``, once it lists ``n`` enterprises
    (the kernel redraws after a filter change)."""
    deadline = time.monotonic() + 60
    while True:
        sheet = exported(page, _ranking(page))
        if n is None or len(sheet) == n or time.monotonic() > deadline:
            return sheet
        time.sleep(0.5)


def _open_row(page, row: int = 0) -> None:
    """Click a row of the ranking (as shown) to open its enterprise."""
    click_row_at(page, _ranking(page).locator(".lm-DataGrid"), row)


def _dropdown(page, label: str):
    return page.locator(".widget-dropdown", has_text=label).locator("select")


def _flagged(review, first: str = "", last: str = "9999") -> set[str]:
    """Enterprises with a flag in ``first``–``last`` (the ranking lists those)."""
    fl = review.flags
    if first:
        fl = fl[kpi.flags_in_period(fl, first, last)]
    return set(fl["enterprise_id"]) - {""}


def _expect_flags_of(page, review, enterprise_id: str) -> None:
    """The drill-down lists the enterprise's flags, each naming one of its units."""
    flags = review.flags_of(enterprise_id)
    assert len(flags) > 0
    for unit, n in flags["unit_id"].value_counts().items():
        playwright.expect(page.locator("option").filter(has_text=f" · {unit} ")
                          ).to_have_count(n)


def test_renders_kpis_sparklines_and_ranking(page, review):
    assert page.get_by_text("workbench dashboard").count() == 0   # no developer text shown
    expect = playwright.expect
    cards = page.locator(".wb-kpi")
    expect(cards).to_have_count(6)
    assert all(re.search(r"\d", t) for t in cards.all_inner_texts())
    expect(page.locator(".wb-kpi svg.wb-spark")).to_have_count(6)
    assert page.locator(".wb-kpi svg.wb-spark polyline").count() >= 5
    expect(page.get_by_text(LABELS["dash_title"][0])).to_be_visible()
    expect(page.get_by_text(LABELS["dash_for"][0])).to_be_visible()
    expect(page.locator(".wb-dash-head")).to_contain_text(review.ds.fingerprint[:12])
    expect(page.locator(".wb-dash-head")).to_contain_text(LABELS["dash_store_ro"][0])
    titles = [cards.nth(i).get_attribute("title") for i in range(6)]
    for key, title in zip(("on_time", "first_pass", "returns", "problems", "co2",
                           "compliance"), titles, strict=True):
        assert title.startswith(LABELS[f"dash_def_{key}"][0])
    expect(page.locator(".wb-kpi .wb-kpi-change")).to_have_count(6)
    ranked = _ranked(page, len(_flagged(review)))
    assert len(ranked) == len(_flagged(review))
    assert list(ranked["风险排名"]) == list(range(1, len(ranked) + 1))
    assert list(ranked.columns[:3]) == ["有严重预警", "风险排名", "企业"]
    assert page.locator(".js-plotly-plot").count() == 0      # figures wait for their tab
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)


def test_trends_tab_draws_trend_and_heatmap(page):
    page.get_by_text(LABELS["dash_trends"][0], exact=True).first.click()
    playwright.expect(page.locator(".js-plotly-plot .scatterlayer .trace")).to_have_count(2)
    playwright.expect(page.locator(".js-plotly-plot .heatmaplayer")).to_have_count(1)
    # counts tick at whole numbers, months read yyyy-mm (no "Jan 2023", no 1.6)
    counts = page.locator(".js-plotly-plot .y2tick text").all_text_contents()
    assert counts and all(re.fullmatch(r"\d{1,3}(,\d{3})*", t) for t in counts), counts
    months = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", t) for t in months), months
    # plotly.js's own tooltips in Chinese (an inline locale: nothing fetched)
    tips = [b.get_attribute("data-title") for b in page.locator(".modebar-btn").all()]
    assert tips and all(re.search(r"[\u4e00-\u9fff]", t) for t in tips), tips
    page.screenshot(path=ARTIFACTS / "trends.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_check_health_tab_lists_the_checks(page, review):
    page.get_by_text(LABELS["dash_health"][0], exact=True).first.click()
    loudest = review.flags["check_id"].value_counts().index[0]
    title = checks.registry()[loudest].title_zh
    grid = page.locator(".wb-grid-health")
    playwright.expect(grid.locator(".lm-DataGrid")).to_be_visible()
    sheet = exported(page, grid)
    assert set(sheet["检查项"]) == {c.title_zh for c in checks.registry().values()}
    assert sheet.set_index("检查项").at[title, "预警数"] == review.flags[
        "check_id"].value_counts().iloc[0]
    page.screenshot(path=ARTIFACTS / "check_health.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_no_write_control_on_the_page(page):
    assert page.locator("textarea").count() == 0
    assert page.locator("input[type=text], input:not([type])").count() == 0
    buttons = " ".join(page.locator("button").all_inner_texts())
    assert not [text for text in WRITE_LABELS if text in buttons]


def test_finding_with_script_is_shown_as_text(page):
    page.get_by_text(LABELS["dash_findings"][0], exact=True).first.click()
    grid = page.locator(".wb-grid-findings_list")
    playwright.expect(grid.locator(".lm-DataGrid")).to_be_visible()   # drawn as text
    assert list(exported(page, grid)["问题标题"]) == [SCRIPT_TITLE]
    assert page.evaluate("() => window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    page.screenshot(path=ARTIFACTS / "findings.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_filter_change_updates_ranking(page, review):
    ents = review.enterprises
    city = ents["city"].value_counts().index[0]
    in_city = set(ents.loc[ents["city"] == city, "enterprise_id"])
    expected = len(_flagged(review) & in_city)
    assert 0 < expected < len(_flagged(review))
    _dropdown(page, LABELS["city"][0]).select_option(label=city)
    assert set(_ranked(page, expected)["统一社会信用代码"]) == _flagged(review) & in_city
    page.screenshot(path=ARTIFACTS / "filtered.png", full_page=True)
    _dropdown(page, LABELS["city"][0]).select_option(label=LABELS["all"][0])
    assert len(_ranked(page, len(_flagged(review)))) == len(_flagged(review))


def test_city_grid_sorts_filters_and_exports_as_shown(page, review):
    """The risk-by-city grid, as a supervisor uses it: keep the cities whose name holds
    州, sort by risk total ascending, export: the workbook holds those rows in that
    order, with the headers shown."""
    container = page.locator(".wb-grid-cities")
    grid = container.locator(".lm-DataGrid")
    icons = header_icons(page, grid)
    by_city = kpi.risk_by_city(kpi.period_risk(review.flags, review.cfg),
                               review.enterprises)
    assert len(icons) == len(by_city.columns)
    whole = exported(page, container)
    assert list(whole["地市"]) == list(by_city["city"])          # as computed, all rows
    filter_contains(page, grid, icons[list(by_city.columns).index("city")], "州")
    column = list(by_city.columns).index("risk_total")
    choose(page, grid, icons[column], "Sort Ascending")
    page.screenshot(path=ARTIFACTS / "cities_grid.png", full_page=True)
    kept = by_city[by_city["city"].str.contains("州")].sort_values("risk_total")
    assert 0 < len(kept) < len(by_city)
    sheet = exported(page, container)
    assert list(sheet["地市"]) == list(kept["city"])
    assert list(sheet.columns[:3]) == ["省份", "地市", "企业数"]
    choose(page, grid, icons[0], "Clear Filters in All Columns")
    choose(page, grid, icons[column], "No Sort")
    assert len(exported(page, container)) == len(by_city)


def _move_handle(page, which: str, steps: int) -> None:
    """Move the period slider's ``lower`` or ``upper`` handle by ``steps`` months with the
    keyboard (negative: to the left)."""
    handle = page.locator(f".widget-hslider .noUi-handle-{which}").first
    handle.focus()
    for _ in range(abs(steps)):
        handle.press("ArrowRight" if steps > 0 else "ArrowLeft")


def test_period_filter_reranks_the_enterprises(page, review):
    before = _ranked(page, len(_flagged(review)))
    periods = sorted(review.inputs().monthly["period"].unique())
    _move_handle(page, "lower", 16)                           # 2024-05 …
    _move_handle(page, "upper", -4)                           # … 2024-08
    first, last = periods[16], periods[-5]
    flagged = _flagged(review, first, last)
    assert 0 < len(flagged) < len(_flagged(review))
    playwright.expect(page.locator(".widget-hslider .widget-readout").first).to_contain_text(
        first)
    # the last refresh is the one for the whole window (each key press refreshes once)
    playwright.expect(page.locator(".wb-ranking-note")).to_contain_text(f"{first} 至 {last}")
    now = _ranked(page, len(flagged))
    assert set(now["统一社会信用代码"]) == flagged              # each flagged in the period
    expected = kpi.period_risk(review.flags[kpi.flags_in_period(review.flags, first, last)],
                               review.cfg)
    assert list(now["统一社会信用代码"]) == list(expected["enterprise_id"])  # re-ranked
    assert list(now["统一社会信用代码"]) != list(before["统一社会信用代码"])
    playwright.expect(page.locator(".wb-ranking-note")).to_contain_text(f"{first} 至 {last}")
    playwright.expect(page.locator(".wb-kpi .wb-kpi-change").first).to_contain_text(
        LABELS["dash_vs_prev"][0].split(" ")[0])
    in_period = review.flags[kpi.flags_in_period(review.flags, first, last)]
    by_city = kpi.risk_by_city(kpi.period_risk(in_period, review.cfg), review.enterprises)
    sheet = exported(page, page.locator(".wb-grid-cities"))   # the city table follows
    assert list(sheet["地市"]) == list(by_city["city"])
    assert list(sheet["企业数"]) == list(by_city["enterprises"])
    page.screenshot(path=ARTIFACTS / "period.png", full_page=True)
    _move_handle(page, "lower", -16)
    _move_handle(page, "upper", 4)
    assert len(_ranked(page, len(_flagged(review)))) == len(_flagged(review))


def test_drill_down_opens_the_enterprise(page, review):
    top = review.risk.sort_values("rank").iloc[0]
    name = review.enterprises.set_index("enterprise_id").loc[top.enterprise_id,
                                                              "enterprise_name"]
    assert _ranked(page)["企业"].iloc[0] == name
    _open_row(page, 0)
    detail = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_drill"][0])
    playwright.expect(detail).to_have_count(1)
    _expect_flags_of(page, review, top.enterprise_id)
    grid = page.locator(".lm-DataGrid:visible").first        # the flags as a grid
    grid.wait_for()
    assert grid.bounding_box()["height"] > 100
    assert page.get_by_text("javascript error").count() == 0   # every widget rendered
    card = page.locator(f'.wb-card[data-enterprise="{top.enterprise_id}"]')
    playwright.expect(card.locator(".wb-name")).to_have_text(name)
    playwright.expect(card).to_contain_text(f"风险排名 1/{len(review.risk)}")
    page.screenshot(path=ARTIFACTS / "drill_down.png", full_page=True)


def test_same_ranking_row_opens_again(page, review):
    drill = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_drill"][0])
    ranking = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_ranking"][0])
    for _ in range(2):                                        # the same row, twice
        page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()
        playwright.expect(ranking).to_have_count(1)
        _open_row(page, 0)
        playwright.expect(drill).to_have_count(1)


def _cut_tabs(page) -> list[str]:
    """Titles of the dashboard's tabs that do not fit their tab."""
    return page.evaluate("""() => [...document.querySelectorAll(
        '.wb-dash-tabs .lm-TabBar-tab')].filter(t => {
          const l = t.querySelector('.lm-TabBar-tabLabel') || t;
          return l.scrollWidth > l.clientWidth + 1 || t.scrollWidth > t.clientWidth + 1;
        }).map(t => t.innerText)""")


def test_tab_titles_fit_in_both_languages(page):
    tabs = page.locator(".wb-dash-tabs .lm-TabBar-tab")
    playwright.expect(tabs.first).to_have_text(LABELS["dash_ranking"][0])
    assert _cut_tabs(page) == []
    page.screenshot(path=ARTIFACTS / "tabs_zh.png")
    page.get_by_role("button", name="English").click()
    try:
        playwright.expect(tabs.first).to_have_text(LABELS["dash_ranking"][1])
        playwright.expect(page.get_by_text(LABELS["dash_for"][1])).to_be_visible()
        assert _cut_tabs(page) == []
        page.screenshot(path=ARTIFACTS / "tabs_en.png", full_page=True)
    finally:
        page.get_by_role("button", name="中文").click()
        playwright.expect(tabs.first).to_have_text(LABELS["dash_ranking"][0])


def test_deep_link_opens_one_enterprise(browser, server, review):
    ent = review.risk.sort_values("rank")["enterprise_id"].iloc[3]
    page = _open(browser, f"{server}?enterprise={ent}")
    try:
        detail = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_drill"][0])
        playwright.expect(detail).to_have_count(1)
        _expect_flags_of(page, review, ent)
        page.screenshot(path=ARTIFACTS / "deep_link.png", full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("sector, industry, facility", [
    ("steel", "钢铁", "钢铁企业层级"), ("cement", "水泥", "熟料生产线"),
    ("aluminium", "电解铝", "电解系列")])
def test_a_sector_enterprise_opens_from_its_industry(page, review, sector, industry, facility):
    """One steel, one cement and one aluminium enterprise (the demo holds some of each): the
    industry filter ranks that sector's enterprises only, its table by industry shows that
    industry, and the top one opens with a card naming its facilities and its rank among
    all screened, its flags naming its facilities."""
    ents = review.enterprises
    ids = set(ents.loc[ents["industry_code"] == sector, "enterprise_id"])
    flagged = _flagged(review) & ids
    top = review.risk[review.risk["enterprise_id"].isin(ids)].sort_values("rank").iloc[0]
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()   # its grid on screen
    _dropdown(page, LABELS["industry"][0]).select_option(label=industry)
    try:
        assert set(_ranked(page, len(flagged))["统一社会信用代码"]) == flagged
        table = exported(page, page.locator(".wb-grid-industries"))
        assert list(table["行业"]) == [industry]
        _open_row(page, 0)
        detail = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_drill"][0])
        playwright.expect(detail).to_have_count(1)
        card = page.locator(f'.wb-card[data-enterprise="{top.enterprise_id}"]')
        playwright.expect(card).to_contain_text(facility)
        playwright.expect(card).to_contain_text(f"风险排名 {top['rank']}/{len(review.risk)}")
        if len(review.flags_of(top.enterprise_id)):
            _expect_flags_of(page, review, top.enterprise_id)
        assert page.get_by_text("javascript error").count() == 0
        page.screenshot(path=ARTIFACTS / f"sector_{sector}.png", full_page=True)
    finally:
        page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()
        _dropdown(page, LABELS["industry"][0]).select_option(label=LABELS["all"][0])
        assert len(_ranked(page, len(_flagged(review)))) == len(_flagged(review))
