"""The reviewer views and the dashboard for steel, cement and aluminium enterprises (the
demo holds some of each): peers by route and product, filing history by facility, the
industry table and filter of the dashboard, each enterprise's emissions counted once."""

from __future__ import annotations

import pytest

from widgets.dashboard import SupervisorDashboard
from widgets.figures import figure_of
from widgets.history import FilingHistory
from widgets.peers import PeerBenchmark
from workbench import kpi, sector_metrics
from workbench.review import ReviewData

SECTORS = ("steel", "cement", "aluminium")
#: What each sector's peer group is called in Chinese (a steel route, a clinker type,
#: the potlines).
GROUP_WORDS = {"steel": ("高炉-转炉长流程", "电炉短流程", "长短流程混合", "外购铁水或生铁的转炉"),
               "cement": ("硅酸盐水泥熟料",), "aluminium": ("电解系列",)}


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def _first(review: ReviewData, sector: str) -> str:
    ents = review.enterprises
    ids = sorted(ents.loc[ents["industry_code"] == sector, "enterprise_id"])
    assert ids, f"the demo holds no {sector} enterprise"
    return ids[0]


@pytest.mark.parametrize("sector", SECTORS)
def test_sector_enterprises_are_screened_and_ranked(review, sector):
    ent = _first(review, sector)
    assert ent in set(review.risk["enterprise_id"])


@pytest.mark.parametrize("sector", SECTORS)
def test_peers_benchmark_a_sector_enterprise_by_route_or_product(review, sector):
    view = PeerBenchmark(review)
    view.show_enterprise(_first(review, sector))
    quantities = [text for text, _ in view._w_quantity.options]
    per_t = {"steel": "吨粗钢", "cement": "吨熟料", "aluminium": "吨铝"}[sector]
    assert any(per_t in q for q in quantities), quantities
    assert any(w in view._w_group.value for w in GROUP_WORDS[sector]), view._w_group.value
    assert view._w_scope.disabled                    # the screening's own comparison
    fig = figure_of(view._w_fig)
    assert len(fig.data[1].x) == 1                  # the facility itself, highlighted
    view.set_locale("en")
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in text)
               for text, _ in view._w_quantity.options)


def test_peers_of_a_power_plant_are_unchanged(review):
    ents = review.enterprises
    plant = sorted(ents.loc[ents["industry_code"] == "power", "enterprise_id"])[0]
    view = PeerBenchmark(review)
    view.show_enterprise(plant)
    assert view._w_quantity.value == "supply_coal_gce_per_kwh"
    assert not view._w_scope.disabled


@pytest.mark.parametrize("sector", SECTORS)
def test_filing_history_lists_the_facilities_and_their_parameters(review, sector):
    ent = _first(review, sector)
    view = FilingHistory(review)
    view.show_enterprise(ent)
    units = set(review.units_of(ent)["unit_id"])
    shown = dict((u, text) for text, u in view._w_unit.options)
    assert set(shown) == units
    kinds = {"steel": "钢铁企业层级", "cement": "熟料生产线", "aluminium": "电解系列"}[sector]
    assert any(kinds in text for text in shown.values()), shown       # named by their kind
    for unit in shown:
        view._w_unit.value = unit
        assert view._w_param.options, unit
    words = " ".join(text for text, _ in view._w_param.options)
    assert "排放量" in words
    view.set_locale("en")
    assert not any("\u4e00" <= ch <= "\u9fff" for text, _ in view._w_unit.options
                   for ch in text)


def test_each_enterprise_counts_its_emissions_once(review):
    """A steel works' processes and a smelter's potlines file parts of the enterprise
    level's total: the KPI's filed emissions add the enterprise levels only."""
    x = review.inputs()
    m = x.monthly
    counted = sector_metrics.counted_co2_t(m)
    steel = m["unit_category_code"].isin(sector_metrics.COUNTED_ON_ENTERPRISE_LEVEL)
    assert (counted[steel] == 0).all() and steel.any()
    works = m[m["unit_category_code"] == "steel_enterprise"]
    assert counted[works.index].sum() == pytest.approx(works["co2_t"].sum())
    table = kpi.by_industry(x, review.flags, review.risk, review.cfg,
                            x.enterprises["enterprise_id"], m["period"].min(),
                            m["period"].max())
    by = table.set_index("industry_code")
    assert list(by.index) == ["power", "steel", "cement", "aluminium"]
    assert by.loc["steel", "filed_co2_t"] == pytest.approx(works["co2_t"].sum())
    assert by["enterprises"].sum() == len(x.enterprises)
    assert by["facilities"].sum() == len(x.units)


def test_dashboard_shows_every_industry_and_filters_to_one(review):
    dash = SupervisorDashboard(review)
    shown = dash.industries.value
    assert list(shown["industry_code"]) == ["发电", "钢铁", "水泥", "电解铝"]
    dash.filter(industry="cement")
    shown = dash.industries.value
    assert list(shown["industry_code"]) == ["水泥"]
    ents = review.enterprises.set_index("enterprise_id")
    ranked = dash.ranking
    assert ranked and set(ents.loc[ranked, "industry_code"]) == {"cement"}
    dash.set_locale("en")
    assert list(dash.industries.value["industry_code"]) == ["Cement"]
