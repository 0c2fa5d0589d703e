"""The supervisor dashboard in a real browser: ``workbench dashboard`` (Voilà, preheated
kernels) on localhost, Debian's headless Chromium driven by Playwright.

Renders its KPIs with sparklines (no plotly on the first screen), the trends tab draws its
figures when opened, the check-health tab lists the checks, a filter change updates the
ranking, the drill-down opens,
a ``?enterprise=`` link opens that enterprise, no write control exists, and a finding
whose text holds HTML or script is shown as text.  Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from voila_server import CHROMIUM_ARGS, chromium_path, voila_server

from widgets.labels import LABELS
from workbench import checks
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
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


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
    return page.locator(".widget-select select").first


def _dropdown(page, label: str):
    return page.locator(".widget-dropdown", has_text=label).locator("select")


def _expect_flags_of(page, review, enterprise_id: str) -> None:
    """The drill-down lists the enterprise's flags, each naming one of its units."""
    flags = review.flags_of(enterprise_id)
    assert len(flags) > 0
    for unit, n in flags["unit_id"].value_counts().items():
        playwright.expect(page.locator("option").filter(has_text=f" · {unit} ")
                          ).to_have_count(n)


def test_renders_kpis_sparklines_and_ranking(page, review):
    expect = playwright.expect
    cards = page.locator(".wb-kpi")
    expect(cards).to_have_count(6)
    assert all(re.search(r"\d", t) for t in cards.all_inner_texts())
    expect(page.locator(".wb-kpi svg.wb-spark")).to_have_count(6)
    assert page.locator(".wb-kpi svg.wb-spark polyline").count() >= 5
    expect(page.get_by_text(LABELS["dash_title"][0])).to_be_visible()
    expect(_ranking(page).locator("option")).to_have_count(len(review.risk))
    assert page.locator(".js-plotly-plot").count() == 0      # figures wait for their tab
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)


def test_trends_tab_draws_trend_and_heatmap(page):
    page.get_by_text(LABELS["dash_trends"][0], exact=True).first.click()
    playwright.expect(page.locator(".js-plotly-plot .scatterlayer .trace")).to_have_count(2)
    playwright.expect(page.locator(".js-plotly-plot .heatmaplayer")).to_have_count(1)
    page.screenshot(path=ARTIFACTS / "trends.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_check_health_tab_lists_the_checks(page, review):
    page.get_by_text(LABELS["dash_health"][0], exact=True).first.click()
    loudest = review.flags["check_id"].value_counts().index[0]
    title = checks.registry()[loudest].title_zh
    playwright.expect(page.locator(".wb-health td", has_text=title).first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "check_health.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_no_write_control_on_the_page(page):
    assert page.locator("textarea").count() == 0
    assert page.locator("input[type=text], input:not([type])").count() == 0
    buttons = " ".join(page.locator("button").all_inner_texts())
    assert not [text for text in WRITE_LABELS if text in buttons]


def test_finding_with_script_is_shown_as_text(page):
    page.get_by_text(LABELS["dash_findings"][0], exact=True).first.click()
    playwright.expect(page.get_by_text(SCRIPT_TITLE)).to_be_visible()
    assert page.evaluate("() => window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    page.screenshot(path=ARTIFACTS / "findings.png", full_page=True)
    page.get_by_text(LABELS["dash_ranking"][0], exact=True).first.click()


def test_filter_change_updates_ranking(page, review):
    ents = review.enterprises
    city = ents["city"].value_counts().index[0]
    in_city = set(ents.loc[ents["city"] == city, "enterprise_id"])
    expected = int(review.risk["enterprise_id"].isin(in_city).sum())
    assert 0 < expected < len(review.risk)
    _dropdown(page, LABELS["city"][0]).select_option(label=city)
    playwright.expect(_ranking(page).locator("option")).to_have_count(expected)
    page.screenshot(path=ARTIFACTS / "filtered.png", full_page=True)
    _dropdown(page, LABELS["city"][0]).select_option(label=LABELS["all"][0])
    playwright.expect(_ranking(page).locator("option")).to_have_count(len(review.risk))


def test_drill_down_opens_the_enterprise(page, review):
    top = review.risk.sort_values("rank").iloc[0]
    name = review.enterprises.set_index("enterprise_id").loc[top.enterprise_id,
                                                              "enterprise_name"]
    _ranking(page).select_option(index=0)
    detail = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=LABELS["dash_drill"][0])
    playwright.expect(detail).to_have_count(1)
    _expect_flags_of(page, review, top.enterprise_id)
    assert name in _ranking(page).locator("option").first.inner_text().replace("\xa0", " ")
    card = page.locator(f'.wb-card[data-enterprise="{top.enterprise_id}"]')
    playwright.expect(card.locator(".wb-name")).to_have_text(name)
    playwright.expect(card).to_contain_text(f"风险排名 1/{len(review.risk)}")
    page.screenshot(path=ARTIFACTS / "drill_down.png", full_page=True)


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
