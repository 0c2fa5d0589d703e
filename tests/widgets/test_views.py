"""Reviewer views, tested without a browser: set child values, click, assert on state."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets.apps import ReviewerApp
from widgets.figures import figure_of
from widgets.flags import FlagsPanel, flag_rows_html
from widgets.history import FilingHistory
from widgets.peers import PeerBenchmark
from widgets.picker import EnterprisePicker, filter_enterprises
from workbench.review import ReviewData


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


@pytest.fixture(scope="module")
def flagged(review) -> str:
    """The highest-risk enterprise (it has flags)."""
    return review.enterprise_list()["enterprise_id"].iloc[0]


def test_picker_lists_by_risk_and_filters(review):
    p = EnterprisePicker(review)
    ranks = review.enterprise_list().set_index("enterprise_id").loc[p.options, "rank"]
    assert ranks.is_monotonic_increasing
    seen = []
    p.on_change(seen.append)
    name = review.enterprises["enterprise_name"].iloc[3]
    p._w_search.value = name[:12]
    assert all(name[:12].lower() in n.lower() or name[:12].lower() in e.lower()
               for e, n in review.enterprises.set_index("enterprise_id").loc[
                   p.options, "enterprise_name"].items())
    assert p.value in p.options and seen and seen[-1] == p.value
    p._w_search.value = "no such enterprise 无此企业"
    assert p.options == [] and p.value is None
    city = review.enterprises["city"].iloc[0]
    p._w_search.value = ""
    p._w_city.value = city
    assert set(review.enterprises.set_index("enterprise_id").loc[p.options, "city"]) == {city}


def test_filter_by_credit_code():
    table = pd.DataFrame({"enterprise_id": ["91320100MA1XAMPL1Q", "91320500MA2XAMPL2N"],
                          "enterprise_name": ["甲电厂", "乙电厂"], "province": ["江苏"] * 2,
                          "city": ["南京", "苏州"], "industry_code": ["power"] * 2})
    assert filter_enterprises(table, "ma2x")["enterprise_name"].tolist() == ["乙电厂"]
    assert filter_enterprises(table, city="南京")["enterprise_name"].tolist() == ["甲电厂"]


def test_history_follows_enterprise_unit_and_parameter(review, flagged):
    h = FilingHistory(review)
    h.show_enterprise(flagged)
    units = review.units_of(flagged)["unit_id"].tolist()
    assert h.value[0] == units[0]
    assert h.value[1] == "coal_consumption_t" or h.value[1] == "gas_consumption_knm3"
    h.show_record(units[-1], "co2_t")
    assert h.value == (units[-1], "co2_t")
    series = figure_of(h._w_series).data[0]
    hist = review.history(flagged, units[-1], "co2_t")
    assert list(series.x) == hist["period"].tolist()
    labs = review.labs_of(flagged)
    assert h.labs.value["report_id"].tolist() == \
        labs[labs["unit_id"] == units[-1]]["report_id"].tolist()     # the unit's reports only
    h.set_locale("en")
    assert h._w_param.options[0][0].startswith(("Coal", "Natural", "Carbon", "CO2", "Net"))


def test_flag_messages_are_escaped():
    flags = pd.DataFrame({"check_id": ["accounting.co2_recompute"], "severity": ["critical"],
                          "enterprise_id": ["E1"], "unit_id": ["U1"], "period": ["2024-01"],
                          "parameter_code": [None],
                          "message_zh": ["<script>alert(1)</script>"],
                          "message_en": ["<b>x</b>"], "observed": [95.0],
                          "expected": [100.0], "delta_co2_t": [12.0]})
    out = flag_rows_html(flags, "zh-CN")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<td>95</td><td>100</td>" in out


def test_flags_panel_groups_and_jumps(review, flagged):
    panel = FlagsPanel(review)
    panel.show_enterprise(flagged)
    flags = review.flags_of(flagged)
    assert len(panel.value) == len(flags) > 0
    families = set(flags["check_id"].str.split(".").str[0])
    assert len(panel._w_groups.children) == len(families)
    jumps = []
    panel.on_jump(lambda *a: jumps.append(a))
    panel.select(0)
    panel._w_show.click()
    first = flags.iloc[0]
    assert len(jumps) == 1 and jumps[0][0].equals(first)


def test_peer_group_can_be_changed(review, flagged):
    view = PeerBenchmark(review)
    view.show_enterprise(flagged)
    unit = view.value[0]
    assert unit in review.units_of(flagged)["unit_id"].tolist()
    auto = view._w_group.value
    view.set_scope("category")
    assert view._w_group.value != auto and "national" in view._w_group.value
    marked = figure_of(view._w_fig).data[1]
    assert len(marked.x) == 1                     # the unit itself, highlighted
    own = figure_of(view._w_carbon).data[-1]                 # its lab reports on the C_ar-NCV band
    assert len(own.x) == len(review.labs_of(flagged).dropna(subset=["carbon_ar_pct"]))


def test_app_switches_every_view_and_language(review):
    app = ReviewerApp(review)
    other = app.picker.options[4]
    app.value = other
    assert app.value == other
    units = set(review.units_of(other)["unit_id"])
    assert app.history.value[0] in units and app.peers.value[0] in units
    assert set(app.flags.value["enterprise_id"]) <= {other}
    app._w_language.value = "en"
    assert app._w_tabs.get_title(0) == "Flags"
    app._w_language.value = "zh-CN"
    assert app._w_tabs.get_title(0) == "预警"
    for view in (app.picker, app.history, app.peers, app.flags):
        assert hasattr(view, "value") and hasattr(view, "widget")


def test_cached_results_are_keyed_by_data_config_and_check_code(demo_dir):
    from workbench.config import load_config
    from workbench.dataset import Dataset
    from workbench.review import checks_fingerprint, results_folder

    cfg = load_config()
    folder = results_folder(Dataset(demo_dir), cfg)
    assert folder.name.endswith(checks_fingerprint())
    cfg["checks"]["robust_z_warning"] = 9.0
    assert results_folder(Dataset(demo_dir), cfg) != folder


def test_cached_results_in_a_read_only_dataset_are_used(demo_dir, tmp_path, monkeypatch):
    """A dataset installed read-only for every user, screened by its admin: its cache is
    found without writing (no fallback to another folder that would screen again)."""
    import shutil
    from pathlib import Path

    from workbench.config import load_config
    from workbench.dataset import Dataset
    from workbench.results import MANIFEST
    from workbench.review import results_folder

    copy = tmp_path / "dataset"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns(".screen"))
    cfg = load_config()
    cached = results_folder(Dataset(copy), cfg)
    cached.mkdir(parents=True)
    (cached / MANIFEST).write_text("{}", encoding="utf-8")

    def read_only(self, *args, **kwargs):      # this user may not write in the dataset
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "touch", read_only)
    assert results_folder(Dataset(copy), cfg) == cached


def test_app_draws_a_hidden_tab_when_it_is_opened(review):
    app = ReviewerApp(review)                         # the flags tab is open
    first = app.value
    assert figure_of(app.history._w_series) is None and figure_of(app.peers._w_fig) is None
    other = app.picker.options[4]
    app.value = other
    unit, _ = app.history.value
    assert unit in set(review.units_of(other)["unit_id"])
    assert figure_of(app.history._w_series) is None   # chosen, not drawn
    app._w_tabs.selected_index = app._tab_keys.index("history")
    assert figure_of(app.history._w_series).layout.title.text.startswith(f"{unit} · ")
    reports = review.labs_of(other)
    reports = reports[reports["unit_id"] == unit]["report_id"]
    assert len(reports) and reports.iloc[0] in set(app.history.labs.value["report_id"])
    app._w_tabs.selected_index = app._tab_keys.index("peers")
    peer_unit = app.peers.value[0]
    assert figure_of(app.peers._w_fig).layout.title.text.startswith(f"{peer_unit} · ")
    assert figure_of(app.peers._w_carbon) is not None
    app.value = first                                  # the open tab follows at once ...
    first_unit = app.peers.value[0]
    assert figure_of(app.peers._w_fig).layout.title.text.startswith(f"{first_unit} · ")
    history_title = figure_of(app.history._w_series).layout.title.text
    assert history_title.startswith(f"{unit} · ")     # ... the hidden one waits


def test_a_flag_selects_its_record_in_a_spreadsheet_grid_that_exports_what_is_shown(review):
    import base64
    import io

    import pandas as pd

    flags = review.flags[review.flags["report_id"].notna()]
    flag = flags.iloc[0]
    h = FilingHistory(review)
    h.show_enterprise(flag["enterprise_id"])
    h.show_record(flag["unit_id"], flag["parameter_code"], flag["period"])
    labs = h.labs.value
    assert set(labs["unit_id"]) == {flag["unit_id"]}
    (selected,) = h.labs.grid.selections
    assert selected["r1"] == 0                                  # on the first row, on screen
    assert labs.loc[0, "covered_period"] == flag["period"]
    assert "首行" in h.labs._w_pinned.value
    assert sorted(labs["report_id"]) == sorted(                 # every report still there
        review.labs_of(flag["enterprise_id"]).query("unit_id == @flag.unit_id")["report_id"])
    shown = h.labs.grid.data
    assert "报告编号" in shown.columns or any("报告" in c for c in shown.columns)
    flagged_reports = labs["report_id"].isin(set(flags["report_id"])).sum()
    assert (shown["有预警"] == "✓").sum() == flagged_reports > 0
    h.labs._export()
    link = h.labs._w_link.value
    assert 'download="lab_reports.xlsx"' in link
    data = link.split("base64,")[1].split('"')[0]
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(data)))
    assert len(sheet) == len(labs) and not [c for c in sheet.columns if c.startswith("_")]


def test_a_flag_opens_the_grid_of_its_record_with_that_record_first(review):
    """A lab-report flag opens the lab reports with its report on the first row; a flag on
    a revised parameter opens the revisions with that parameter's revision of the period
    first."""
    flags = review.flags
    lab = flags[flags["report_id"].notna() & (flags["report_id"] != "")].iloc[0]
    h = FilingHistory(review)
    h.show_enterprise(lab["enterprise_id"])
    h.show_flag(lab)
    assert h._w_tabs.selected_index == 2 and h.labs.pinned
    assert h.labs.value.loc[0, "report_id"] == lab["report_id"]
    revised = review.revisions_of(lab["enterprise_id"]).iloc[:0]
    for ent in flags["enterprise_id"].unique():
        rev = review.revisions_of(ent)
        keys = set(zip(rev["unit_id"], rev["period"], rev["parameter_code"], strict=True))
        hit = flags[(flags["enterprise_id"] == ent) & (flags["report_id"].isna()
                                                       | (flags["report_id"] == ""))]
        hit = hit[[k in keys for k in zip(hit["unit_id"], hit["period"],
                                          hit["parameter_code"], strict=True)]]
        if len(hit):
            revised = hit.iloc[0]
            break
    assert len(revised), "the demo has a flag on a revised parameter"
    h.show_enterprise(revised["enterprise_id"])
    h.show_flag(revised)
    assert h._w_tabs.selected_index == 1 and h.revisions.pinned
    first = h.revisions.value.iloc[0]
    assert (first["period"], first["parameter_code"]) == (revised["period"],
                                                          revised["parameter_code"])


def test_grid_columns_fit_their_longest_cell_up_to_a_limit():
    import pandas as pd

    from widgets.grid import column_widths

    shown = pd.DataFrame({"企业": ["大唐南京发电有限公司", "短"], "n": ["1", "2"],
                          "说明": ["很长的说明" * 40, ""]})
    widths = column_widths(shown)
    assert widths["企业"] >= 13 * 10                  # ten CJK characters are readable
    assert widths["n"] < widths["企业"]
    assert widths["说明"] == 360                      # long text is capped (and elided)
