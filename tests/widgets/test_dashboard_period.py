"""Supervisor dashboard, browserless: the period filter drives the ranking, risk by city,
scorecards and findings; a ranking row reopens; KPI cards carry definitions and the change
against the previous period; the header says what the page is; axes tick at whole numbers
and show months as yyyy-mm."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from findings_db import findings_db
from grid_ui import click_row

from widgets.dashboard import TABS, SupervisorDashboard
from widgets.figures import figure_of
from widgets.labels import LABELS
from workbench import kpi, schema
from workbench.review import ReviewData

#: A window of the demo's second year whose flags rank differently from the whole data.
WINDOW = ("2024-05", "2024-08")


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def _flagged_in(review, first, last) -> set[str]:
    fl = review.flags
    return set(fl.loc[kpi.flags_in_period(fl, first, last), "enterprise_id"]) - {""}


def test_period_filter_reranks_from_the_flags_of_the_period(review):
    d = SupervisorDashboard(review, locale="en")
    whole = d.ranking
    scored = review.risk[review.risk["risk_score"] > 0]
    assert whole == list(scored.sort_values("rank")["enterprise_id"])  # same score, all data
    assert d.period_risk["risk_score"].to_numpy() == pytest.approx(
        scored.sort_values("rank")["risk_score"].to_numpy())
    cities = d.cities.value
    d._w_period.value = WINDOW
    ranked = d.ranking
    assert ranked != whole and 0 < len(ranked) < len(whole)
    assert set(ranked) == _flagged_in(review, *WINDOW)      # every one flagged in the window
    fl = review.flags[kpi.flags_in_period(review.flags, *WINDOW)]
    expected = kpi.period_risk(fl, review.cfg)
    assert ranked == list(expected["enterprise_id"])
    assert list(d.ranking_grid.value["rank"]) == list(range(1, len(ranked) + 1))
    note = d._w_ranking_note.value
    assert f"{WINDOW[0]} to {WINDOW[1]}" in note
    assert f"{len(ranked)} enterprises flagged; {len(review.enterprises) - len(ranked)} more" \
        in note
    by_city = kpi.risk_by_city(expected, review.enterprises)
    assert not d.cities.value.equals(cities)                 # risk by city follows
    assert d.cities.value.equals(by_city.reset_index(drop=True))
    assert by_city["enterprises"].sum() == len(ranked)


def test_scorecards_and_findings_follow_the_period(review, tmp_path):
    writer, reader = findings_db(tmp_path)
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    writer.create({"enterprise_id": ent, "periods": ["2024-03"], "category": "other",
                   "title": "三月的问题", "severity": "warning"}, review.ds)
    writer.close()
    d = SupervisorDashboard(review, reader(), locale="en")
    assert d.labs.value.empty                               # a tab is drawn when opened
    d._w_tabs.selected_index = TABS.index("verifiers")
    labs = d.labs.value
    assert len(labs)
    d._w_tabs.selected_index = TABS.index("findings")
    assert list(d.findings_list.value["title"]) == ["三月的问题"]
    d._w_period.value = WINDOW                              # the open tab follows at once
    assert d.findings_list.value.empty                      # its month is outside
    d._w_tabs.selected_index = TABS.index("verifiers")
    assert f"Only findings whose periods lie in {WINDOW[0]} to {WINDOW[1]}" \
        in d._w_findings.value
    assert not d.labs.value.equals(labs)
    assert f"For {WINDOW[0]} to {WINDOW[1]}" in d._w_scorecard_note.value
    d._w_period.value = ("2024-03", "2024-03")
    d._w_tabs.selected_index = TABS.index("findings")
    assert list(d.findings_list.value["title"]) == ["三月的问题"]
    assert "Findings store read-only" in d._w_title.value


def test_choosing_the_same_row_again_reopens_it(review):
    d = SupervisorDashboard(review)
    first = d.ranking[0]
    click_row(d.ranking_grid.grid, 0)
    assert d._w_tabs.selected_index == TABS.index("drill")
    d._w_tabs.selected_index = TABS.index("ranking")
    d.detail_flags.show_enterprise(d.ranking[1])            # something else on the detail
    click_row(d.ranking_grid.grid, 0)                                 # the same row once more
    assert d._w_tabs.selected_index == TABS.index("drill")
    assert set(d.detail_flags.value["enterprise_id"]) == {first}
    assert "全部期间" in d._w_drill_note.value              # the detail is not filtered


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_kpi_cards_define_and_compare(review, locale):
    d = SupervisorDashboard(review, locale=locale)
    lang = 0 if locale == "zh-CN" else 1
    cards = d._w_cards.value
    for key in ("on_time", "first_pass", "returns", "problems", "co2", "compliance"):
        definition = html.escape(LABELS[f"dash_def_{key}"][lang])
        assert cards.count(definition) == 2                  # hover title and small line
    # all the data: nothing before it to compare with
    assert cards.count(html.escape(LABELS["dash_no_prev"][lang])) >= 5
    d._w_period.value = WINDOW
    cards = d._w_cards.value
    changes = re.findall(r"class='wb-kpi-change'[^>]*>([^<]*)<", cards)
    assert len(changes) == 6
    versus = LABELS["dash_vs_prev"][lang].format(span="2024-01–2024-04")
    assert sum(versus in c for c in changes) == 5            # the monthly KPIs
    assert all(c[0] in "▲▼＝" for c in changes[:5])
    months = kpi.monthly_kpis(review.inputs(), review.flags, review.cfg)
    now = months[months["period"].between(*WINDOW)]["enterprise_periods_with_problems"].sum()
    before = months[months["period"].between("2024-01", "2024-04")][
        "enterprise_periods_with_problems"].sum()
    arrow = "▲" if now > before else "▼" if now < before else "＝"
    assert changes[3].startswith(f"{arrow} {abs(now - before):,}")
    rates = kpi.compliance(review.inputs()).set_index("year")["compliance_rate"]
    if pd.isna(rates.get(2024)):                              # 2024's surrender not due yet
        assert changes[5] == "—"
    else:
        assert "2023" in changes[5]                          # compliance: the year before


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_header_says_what_the_page_is(review, locale):
    d = SupervisorDashboard(review, locale=locale)
    lang = 0 if locale == "zh-CN" else 1
    head = d._w_title.value
    assert html.escape(LABELS["dash_title"][lang]) in head
    assert html.escape(LABELS["dash_for"][lang]) in head
    periods = d._w_period.options
    assert periods[0] in head and periods[-1] in head
    assert review.ds.fingerprint[:12] in head
    assert html.escape(LABELS["dash_store_none"][lang]) in head   # no store given
    assert "wb-dash-tabs" in d._w_tabs._dom_classes and "flex: 0 0 auto" in head
    industries = [(text, code) for text, code in d._w_industry.options if code]
    assert industries and all(text == schema.code_name("industry_code", code, locale)
                              for text, code in industries)       # words, not codes
    if locale == "zh-CN":
        assert not [text for text, _ in industries if text.isascii()]


def test_count_axes_tick_at_whole_numbers_and_months_read_yyyy_mm(review):
    d = SupervisorDashboard(review, locale="en")
    d._w_period.value = WINDOW
    d._w_tabs.selected_index = TABS.index("trends")
    trend = figure_of(d._w_trend)
    assert trend.layout.xaxis.type == "category"
    assert list(trend.data[0].x) == ["2024-05", "2024-06", "2024-07", "2024-08"]
    bars = trend.layout.yaxis2
    assert bars.tickformat == ",d" and bars.rangemode == "tozero"
    if max(trend.data[2].y) <= 10:
        assert bars.dtick == 1
    heat = figure_of(d._w_heatmap)
    assert heat.layout.xaxis.type == "category"
    assert heat.data[0].colorbar.tickformat == ",d"
    assert "%{z:,d}" in heat.data[0].hovertemplate
