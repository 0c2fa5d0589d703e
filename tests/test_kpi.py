"""Supervisor indicators: each computed on a small clean dataset against a hand count."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from workbench import kpi
from workbench.checks.inputs import build_inputs
from workbench.config import load_config
from workbench.screen import empty_flags


@pytest.fixture(scope="module")
def x(clean_tables):
    return build_inputs(clean_tables)


def test_on_time_and_first_pass_rates(clean_tables):
    t = copy.deepcopy(clean_tables)
    m = t["monthly_parameters"]
    unit, period = m["unit_id"].iloc[0], "2024-02"
    late = (m["unit_id"] == unit) & (m["period"] == period)
    m.loc[late, "submitted_at"] = pd.Timestamp("2024-05-30 10:00")
    x = build_inputs(t)
    k = kpi.monthly_kpis(x, empty_flags(), load_config()).set_index("period")
    n_units = x.monthly.loc[x.monthly["period"] == period, "unit_id"].nunique()
    assert k.at[period, "on_time_deposit_rate"] == pytest.approx((n_units - 1) / n_units)
    assert k.at["2024-03", "on_time_deposit_rate"] == 1.0
    ev = x.events
    returned = set(zip(*ev.loc[ev["event_code"] == "returned", ["enterprise_id",
                                                                 "period"]].T.values,
                       strict=True))
    approved = ev[(ev["event_code"] == "approved") & (ev["period"] == period)]
    expected = 1 - sum((e, period) in returned for e in approved["enterprise_id"]) / len(approved)
    assert k.at[period, "first_time_pass_rate"] == pytest.approx(expected)
    assert k["returns"].sum() == len(returned)


def test_problems_count_enterprise_periods_with_a_critical_flag(x):
    ent = x.enterprises["enterprise_id"].iloc[0]
    flags = pd.DataFrame({"check_id": ["a.b", "a.c", "a.b"], "severity": ["critical"] * 2 +
                          ["warning"], "enterprise_id": [ent] * 3,
                          "period": ["2024-01", "2024-01", "2024-02"]})
    k = kpi.monthly_kpis(x, flags, load_config()).set_index("period")
    assert k.at["2024-01", "enterprise_periods_with_problems"] == 1
    assert k.at["2024-02", "enterprise_periods_with_problems"] == 0


def test_filters_narrow_the_scope(x):
    city = x.enterprises["city"].iloc[0]
    all_ = kpi.monthly_kpis(x, empty_flags(), load_config())
    one = kpi.monthly_kpis(x, empty_flags(), load_config(), city=city)
    assert (one["filed_co2_t"] < all_["filed_co2_t"]).all()


def test_compliance_counts_shortfalls(clean_tables):
    t = copy.deepcopy(clean_tables)
    a = t["annual_reports"]
    i = a.index[a["allowance_surrendered_t"].notna()][0]
    a.loc[i, "allowance_surrendered_t"] = a.loc[i, "verified_co2_t"] * 0.5
    c = kpi.compliance(build_inputs(t)).set_index("year")
    year = a.loc[i, "year"]
    assert c.at[year, "surrender_complete"] == c.at[year, "surrender_due"] - 1


def test_findings_summary():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    f = [SimpleNamespace(status=s, severity="critical", created_at=now - pd.Timedelta(days=d))
         for s, d in (("open", 10), ("sent_for_rectification", 100), ("rectified", 40),
                      ("closed", 300), ("dismissed", 5))]
    out = kpi.findings_summary(f, pd.Timestamp("2026-11-01"))
    assert out["by_status"]["count"].sum() == 5
    ages = out["by_age"].set_index("age")["count"]
    assert ages["≤30 d"] == 1 and ages["91–180 d"] == 1 and ages["31–90 d"] == 1
    assert out["rectification"].at[0, "progress"] == pytest.approx(2 / 3)


def test_scorecards_single_out_the_unaccredited_lab(clean_tables):
    t = copy.deepcopy(clean_tables)
    labs = t["lab_reports"]
    labs.loc[labs.index[:3], ["lab_name", "lab_accreditation_no"]] = ["厂内化验室", None]
    x = build_inputs(t)
    flags = pd.DataFrame({"check_id": ["evidence.accreditation"] * 3, "severity": ["critical"] * 3,
                          "enterprise_id": labs.loc[labs.index[:3], "enterprise_id"].to_numpy(),
                          "unit_id": labs.loc[labs.index[:3], "unit_id"].to_numpy(),
                          "period": labs.loc[labs.index[:3], "covered_period"].to_numpy(),
                          "report_id": labs.loc[labs.index[:3], "report_id"].to_numpy()})
    card = kpi.lab_scorecard(x, flags).set_index("lab_name")
    assert not card.at["厂内化验室", "accredited"]
    assert card.at["厂内化验室", "share_flagged"] == 1.0
    assert card.index[0] == "厂内化验室"
    vcard = kpi.verifier_scorecard(x, flags)
    assert vcard["enterprises"].sum() == len(x.enterprises)


def test_city_month_matrix_counts_enterprises_with_critical_flags(x):
    e = x.enterprises.iloc[:3]
    ids = list(e["enterprise_id"])
    flags = empty_flags().reindex(range(5))
    flags["enterprise_id"] = [ids[0], ids[0], ids[1], ids[2], ids[2]]
    flags["period"] = ["2024-02", "2024-02", "2024-02", "2024-03", "2024"]
    flags["severity"] = ["critical", "critical", "critical", "warning", "critical"]
    m = kpi.problems_by_city_month(flags, x.enterprises, ["2024-01", "2024-02", "2024-03"])
    city = lambda i: f"{e['province'].iloc[i]} · {e['city'].iloc[i]}"  # noqa: E731
    assert list(m.columns) == ["2024-01", "2024-02", "2024-03"]
    assert m.loc[city(0), "2024-02"] == (2 if city(0) == city(1) else 1)  # two flags, one count
    assert m.loc[city(0), "2024-01"] == 0
    assert m.to_numpy().sum() == 2                    # warnings and annual flags left out


def _flags(rows) -> pd.DataFrame:
    """Flags from (check, severity, enterprise, unit, period, year, score) rows."""
    f = empty_flags().reindex(range(len(rows)))
    cols = ["check_id", "severity", "enterprise_id", "unit_id", "period", "year", "score"]
    for i, col in enumerate(cols):
        f[col] = [r[i] for r in rows]
    return f


def test_period_risk_scores_as_the_risk_table_does(x):
    from workbench.risk import risk_table

    e = list(x.enterprises["enterprise_id"].iloc[:3])
    flags = _flags([("accounting.a", "critical", e[0], "u1", "2024-02", 2024, 2.0),
                    ("ranges.b", "warning", e[0], "u1", "2024-03", 2024, 1.0),
                    ("ranges.b", "warning", e[0], "u1", "2024-04", 2024, 3.0),
                    ("timeseries.c", "warning", e[1], "u2", "2024-05", 2024, 1.0),
                    ("digits.d", "info", e[2], "", "", 2024, None),
                    ("digits.e", "warning", "", "", "", 2024, 1.0)])   # on no enterprise
    cfg = load_config()
    risk = kpi.period_risk(flags, cfg)
    full = risk_table(flags, x.monthly, cfg).set_index("enterprise_id")
    assert list(risk["enterprise_id"]) == [e[0], e[1], e[2]]    # flagged only, best first
    assert list(risk["rank"]) == [1, 2, 3]
    for r in risk.itertuples():
        assert r.risk_score == pytest.approx(full.at[r.enterprise_id, "risk_score"])
        assert r.top_reasons == full.at[r.enterprise_id, "top_reasons"]
    assert risk.set_index("enterprise_id").at[e[0], "n_critical"] == 1
    assert list(kpi.period_risk(flags, cfg, [e[1]])["enterprise_id"]) == [e[1]]
    empty = kpi.period_risk(flags.iloc[:0], cfg)
    assert empty.empty and list(empty.columns) == kpi.RISK_COLUMNS


def test_flags_in_period_and_findings_periods():
    flags = _flags([("a", "critical", "e", "u", "2024-02", 2024, 1.0),
                    ("a", "critical", "e", "u", "2024-06", 2024, 1.0),
                    ("a", "critical", "e", "u", "", 2024, 1.0),      # whole year 2024
                    ("a", "critical", "e", "u", "", 2023, 1.0)])
    assert list(kpi.flags_in_period(flags, "2024-01", "2024-03")) == [True, False, True, False]
    assert kpi.periods_overlap(["2023-12", "2024-02"], "2024-01", "2024-03")
    assert kpi.periods_overlap(["2024"], "2024-05", "2024-06")
    assert not kpi.periods_overlap(["2023-12", "2023"], "2024-01", "2024-03")
    assert not kpi.periods_overlap([], "2024-01", "2024-03")


def test_previous_window_has_equal_length():
    assert kpi.previous_window("2024-05", "2024-08", "2023-01") == ("2024-01", "2024-04")
    assert kpi.previous_window("2024-01", "2024-12", "2023-01") == ("2023-01", "2023-12")
    assert kpi.previous_window("2024-01", "2024-01", "2023-01") == ("2023-12", "2023-12")
    assert kpi.previous_window("2023-06", "2024-12", "2023-01") is None   # not in the data
    assert kpi.previous_window("2023-01", "2024-12", "2023-01") is None


def test_kpi_values_and_comparison():
    months = pd.DataFrame({"period": ["2024-01", "2024-02"],
                           "on_time_deposit_rate": [0.9, 1.0],
                           "first_time_pass_rate": [0.5, None],
                           "returns": [2, 3], "enterprise_periods_with_problems": [1, 0],
                           "filed_co2_t": [1.5e6, 2.5e6]})
    v = kpi.kpi_values(months)
    assert v == {"on_time": pytest.approx(0.95), "first_pass": 0.5, "returns": 5.0,
                 "problems": 1.0, "co2": pytest.approx(4.0)}
    assert kpi.kpi_values(months.iloc[:0]) == dict.fromkeys(v)
    up = kpi.compare("on_time", 0.95, 0.90)                 # shares: percentage points
    assert up["arrow"] == "▲" and up["delta"] == pytest.approx(5.0) and up["good"] is True
    assert up["relative"] is None
    worse = kpi.compare("problems", 6.0, 4.0)               # more problems is worse
    assert worse["arrow"] == "▲" and worse["good"] is False
    assert worse["relative"] == pytest.approx(0.5)
    fewer = kpi.compare("returns", 3.0, 4.0)
    assert fewer["arrow"] == "▼" and fewer["good"] is True and fewer["delta"] == -1.0
    same = kpi.compare("returns", 4.0, 4.0)
    assert same["arrow"] == "＝" and same["good"] is None
    assert kpi.compare("co2", 5.0, 4.0)["good"] is None     # neither way is better
    assert kpi.compare("returns", 3.0, 0.0)["relative"] is None
    assert kpi.compare("returns", 3.0, None) is None and kpi.compare("on_time", None, 1) is None


def test_scorecards_follow_the_period(x):
    flags = empty_flags()
    whole = kpi.lab_scorecard(x, flags)
    one = kpi.lab_scorecard(x, flags, "2024-01", "2024-01")
    n = int((x.labs["period"] == "2024-01").sum())
    assert 0 < one["reports"].sum() == n < whole["reports"].sum()
    v_all = kpi.verifier_scorecard(x, flags).set_index("verifier_name")
    v_one = kpi.verifier_scorecard(x, flags, "2024-01", "2024-01").set_index("verifier_name")
    assert v_one["enterprises"].equals(v_all["enterprises"])
    ev = x.events[x.events["period"] == "2024-01"].merge(
        x.enterprises[["enterprise_id", "verifier_name"]], on="enterprise_id")
    for name, g in ev.groupby("verifier_name"):                 # a hand count of one month
        expected = (g["event_code"] == "returned").sum() / g["enterprise_id"].nunique()
        assert v_one.at[name, "returns_per_period"] == pytest.approx(expected)
