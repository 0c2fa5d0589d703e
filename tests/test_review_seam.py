"""Views show what the checks computed: the band drawn for a flagged report is the band
that flagged it, the peer group drawn is the group the unit was judged in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import plots
from workbench.review import ReviewData


@pytest.fixture(scope="module")
def review(demo_dir, tmp_path_factory) -> ReviewData:
    return ReviewData.open(demo_dir, results=tmp_path_factory.mktemp("seam"))


def test_the_band_drawn_for_a_flagged_report_is_the_band_that_flagged_it(review):
    flags = review.flags[review.flags["check_id"] == "peers.carbon_ncv_regression"]
    assert len(flags), "the demo's lowered carbon is flagged against the band"
    for flag in flags.itertuples():
        fit = review.carbon_ncv(flag.enterprise_id)
        own = fit["own"].set_index("report_id")
        drawn = own.loc[flag.report_id]
        assert drawn["expected"] == pytest.approx(flag.expected)
        assert drawn["expected_low"] == pytest.approx(flag.expected_low)
        assert drawn["expected_high"] == pytest.approx(flag.expected_high)
        assert not flag.expected_low <= drawn["carbon_ar_pct"] <= flag.expected_high
        fig = plots.carbon_ncv_figure(fit, "t")
        band = next(t for t in fig.data if t.name == "band / 判定区间")
        i = list(fit["own"]["report_id"]).index(flag.report_id)
        assert band.y[i] + band.error_y.array[i] == pytest.approx(flag.expected_high)
        assert band.y[i] - band.error_y.arrayminus[i] == pytest.approx(flag.expected_low)


def test_the_fit_lines_drawn_are_the_fits_of_the_enterprise_s_coal(review):
    flag = review.flags[review.flags["check_id"] == "peers.carbon_ncv_regression"].iloc[0]
    fit = review.carbon_ncv(flag["enterprise_id"])
    assert set(fit["fits"]["fit_group"]) == set(fit["own"]["fit_group"])
    assert len(fit["population"]) <= 1500


def test_the_peer_group_drawn_is_the_group_the_unit_was_judged_in(review):
    judged = review.computed("peer_values")
    assert len(judged)
    last_year = judged["year"].max()
    row = judged[(judged["quantity"] == "supply_coal_gce_per_kwh")
                 & (judged["year"] == last_year)].iloc[0]
    peers, group = review.peers_of(row["unit_id"], "supply_coal_gce_per_kwh", "auto")
    assert group == f"{row['peer_group']} · {last_year}"
    assert peers["is_self"].sum() == 1
    assert float(np.median(peers["value"])) == pytest.approx(row["peer_median"])


def test_a_peer_flag_expects_the_median_of_the_group_the_view_draws(review):
    flags = review.flags[(review.flags["check_id"] == "peers.unit_vs_peers")]
    judged = review.computed("peer_values")
    codes = {"coal_consumption_t": "supply_coal_gce_per_kwh", "own_use_mwh": "own_use_rate",
             "load_factor": "load_factor"}
    for flag in flags.itertuples():
        quantity = codes[flag.parameter_code]
        mine = judged[(judged["unit_id"] == flag.unit_id) & (judged["quantity"] == quantity)]
        if str(flag.year) != mine["year"].max():
            continue                     # the view draws the unit's latest year
        peers, _ = review.peers_of(flag.unit_id, quantity, "auto")
        assert float(np.median(peers["value"])) == pytest.approx(flag.expected)


def test_a_missing_computed_table_reads_as_empty(review):
    assert isinstance(review.computed("no_such_table"), pd.DataFrame)
    assert review.computed("no_such_table").empty
