"""Supervisor dashboard, browserless: filters, drill-down, deep links, no write control,
check health."""

from __future__ import annotations

import html
import json

import ipywidgets as w
import pytest
from findings_db import findings_db
from grid_ui import click_row

from widgets.dashboard import TABS, SupervisorDashboard, open_dashboard
from widgets.figures import figure_of
from workbench import checks, kpi
from workbench.findings import ReadOnlyStore
from workbench.review import ReviewData


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.fixture()
def readonly_store(review, tmp_path, monkeypatch):
    writer, reader = findings_db(tmp_path)
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    writer.create({"enterprise_id": ent, "periods": ["2024-03"], "category": "other",
                   "title": "<script>alert(1)</script>", "severity": "warning",
                   "description": "<img src=x onerror=alert(2)>"}, review.ds)
    writer.close()
    return reader(actor="alice")                     # may write, yet read-only


def test_filters_change_kpis_and_ranking(review):
    d = SupervisorDashboard(review)
    everyone = d.ranking
    cards = d._w_cards.value
    city = review.enterprises["city"].value_counts().index[0]
    d.filter(city=city)
    in_city = set(review.enterprises.loc[review.enterprises["city"] == city, "enterprise_id"])
    assert set(d.ranking) <= in_city and len(d.ranking) < len(everyone)
    assert d._w_cards.value != cards
    assert figure_of(d._w_heatmap) is None                # drawn when its tab is opened
    d._w_tabs.selected_index = TABS.index("trends")
    heat = figure_of(d._w_heatmap).data[0]                # the city × month risk heatmap
    assert list(heat.y) == [f"{review.enterprises['province'].iloc[0]} · {city}"]
    assert len(heat.x) == len(d._w_period.options) and heat.z.sum() > 0
    trend = figure_of(d._w_trend)
    d.filter(city="")                                     # open tab: redrawn at once
    assert figure_of(d._w_trend).data[2].y.sum() > trend.data[2].y.sum()


def test_heatmap_keeps_the_cities_with_most_problems(review, monkeypatch):
    monkeypatch.setitem(review.cfg["dashboard"], "heatmap_cities", 2)
    d = SupervisorDashboard(review, locale="en")
    d._w_tabs.selected_index = TABS.index("trends")
    fig = figure_of(d._w_heatmap)
    totals = fig.data[0].z.sum(axis=1)
    assert len(totals) == 2 and totals[0] >= totals[1]
    cities = kpi.problems_by_city_month(review.flags, review.enterprises,
                                        list(d._w_period.options))
    assert list(fig.data[0].y) == list(cities.index[:2]) and len(cities) > 2
    assert f"the 2 cities with most problems, of {len(cities)}" in fig.layout.title.text


def test_cards_carry_a_sparkline_per_kpi(review):
    d = SupervisorDashboard(review)
    cards = d._w_cards.value
    assert cards.count("class='wb-kpi'") == 6 and cards.count('class="wb-spark"') == 6
    months = len(d._w_period.options)
    assert cards.count("<circle") >= 5 * months          # one hover point per month
    d._w_period.value = (d._w_period.options[0], d._w_period.options[2])
    assert d._w_cards.value.count("<circle") < 5 * 3 + 3


def test_drill_down_and_deep_link(review, demo_dir):
    d = SupervisorDashboard(review)
    click_row(d.ranking_grid.grid, 0)
    assert d._w_tabs.selected_index == TABS.index("drill")
    assert set(d.detail_flags.value["enterprise_id"]) == {d.ranking[0]}
    ent = review.enterprise_list()["enterprise_id"].iloc[2]
    linked = open_dashboard(str(demo_dir), query=f"enterprise={ent}&x=1")
    assert linked._w_tabs.selected_index == TABS.index("drill")
    assert set(linked.detail_flags.value["enterprise_id"]) <= {ent}
    assert linked.detail_history.value[0] in set(review.units_of(ent)["unit_id"])


def test_no_write_control_and_findings_shown_escaped(review, readonly_store):
    d = SupervisorDashboard(review, readonly_store)
    buttons = [x for x in _walk(d.widget) if isinstance(x, w.Button)]
    assert all(b.icon in ("search", "download") for b in buttons)   # show records, export
    assert not [x for x in _walk(d.widget) if isinstance(x, w.Textarea | w.DatePicker)]
    d._w_tabs.selected_index = TABS.index("findings")       # drawn when opened
    assert "<script>" not in d._w_findings.value
    titles = d.findings_list.grid.data.iloc[:, 2]           # a grid cell holds text only
    assert list(titles) == ["<script>alert(1)</script>"]
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    with pytest.raises(ReadOnlyStore):
        readonly_store.create({"enterprise_id": ent, "periods": ["2024-03"], "title": "t",
                               "category": "other", "severity": "info"}, review.ds)
    assert len(readonly_store.list()) == 1


def test_missing_findings_database_is_said_and_logged(demo_dir, tmp_path, capsys):
    missing = tmp_path / "none" / "findings.sqlite"
    d = open_dashboard(str(demo_dir), database_url=f"sqlite:///{missing}", locale="en")
    text = d._w_findings.value
    assert "Findings database unavailable" in text
    assert str(missing) not in text                  # the viewer is not shown server paths
    assert str(missing) in capsys.readouterr().err   # the server's log names it
    assert d.ranking                                 # the rest still works


def _health_rows(d: SupervisorDashboard) -> dict[str, list[str]]:
    """The check-health grid as check id -> the cells after its title, as shown."""
    ids = {c.title_en: cid for cid, c in checks.registry().items()}
    shown = d.health.grid.data
    first = 1 if shown.columns[0] == "For tuning" else 0         # the mark column
    return {ids[r[first]]: [str(v) for v in r[first + 1:]]
            for r in shown.itertuples(index=False)}


def test_check_health_lists_every_check_with_its_flags(review):
    d = SupervisorDashboard(review, locale="en")
    assert d._w_tabs.titles[TABS.index("health")] == "Check health"
    assert d._w_health.value == ""                         # drawn when its tab is opened
    d._w_tabs.selected_index = TABS.index("health")
    text = d._w_health.value
    rows = _health_rows(d)
    counts = review.flags["check_id"].value_counts()
    assert set(rows) == set(checks.registry())
    assert {c: int(r[0].replace(",", "")) for c, r in rows.items()} == {
        c: int(counts.get(c, 0)) for c in rows}
    manifest = json.loads((review.results / "manifest.json").read_text(encoding="utf-8"))
    loudest = counts.index[0]
    assert float(rows[loudest][1]) == pytest.approx(1000 * counts.iloc[0]
                                                    / manifest["unit_months"], rel=1e-3)
    assert f"{manifest['unit_months']:,} unit-months" in text
    assert "Findings database unavailable: dismissals not shown" in text
    assert {len(r) for r in rows.values()} == {3}          # no findings columns without a store
    city = review.enterprises["city"].value_counts().index[0]
    d.filter(city=city)                                    # open tab: redrawn at once
    in_city = review.enterprises.loc[review.enterprises["city"] == city, "enterprise_id"]
    shown = sum(int(r[0].replace(",", "")) for r in _health_rows(d).values())
    assert shown == review.flags["enterprise_id"].isin(set(in_city)).sum() < len(review.flags)


def test_check_dismissed_by_reviewers_is_marked_for_tuning(review, tmp_path, monkeypatch):
    monkeypatch.setitem(review.cfg["check_health"], "min_reviewed", 2)
    writer, reader = findings_db(tmp_path)
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    check = "timeseries.unit_level_shift"
    for _ in range(3):
        f = writer.create({"enterprise_id": ent, "periods": ["2024-03"], "category": "other",
                           "title": "波动", "severity": "warning",
                           "flags": [{"check_id": check, "enterprise_id": ent,
                                      "period": "2024-03"}]}, review.ds)
        writer.transition(f.id, "dismissed", f.version, reason="同批次正常波动")
    writer.close()
    d = SupervisorDashboard(review, reader(), locale="en")
    d._w_tabs.selected_index = TABS.index("health")
    text = d._w_health.value
    tuning = text.split("class='wb-tuning'", 1)[1].split("</div>", 1)[0]
    title = checks.registry()[check].title_en
    assert "For tuning" in tuning and f"{html.escape(title)}: 3/3 (100.0%)" in tuning
    rows = _health_rows(d)
    assert rows[check][3:] == ["3", "3", "3", "1.0"]               # a share, shown as 100%
    header = "Dismissal share"
    assert "format(cell.value, '.1%')" in str(d.health.grid.renderers[header].text_value)
    marked = d.health.grid.data                               # the highlighted rows
    assert list(marked.columns[:1]) == ["For tuning"]
    assert [ids for ids, mark in zip(rows, marked["For tuning"], strict=True)
            if mark == "✓"] == [check]
    assert not [x for x in _walk(d.widget) if isinstance(x, w.Textarea | w.DatePicker)]
    other = review.enterprises.loc[review.enterprises["city"] != review.enterprises.set_index(
        "enterprise_id").at[ent, "city"], "city"].iloc[0]
    d.filter(city=other)                                   # the findings are out of scope
    assert "No check needs tuning" in d._w_health.value
