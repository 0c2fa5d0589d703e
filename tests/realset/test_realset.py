"""The real-record validation set: deterministic, imports cleanly, physics holds, truth is true."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.accounting import power
from workbench.dataset import Dataset

pytestmark = pytest.mark.xdist_group("realset")

#: The truth convention of the sample generator: kind -> parameter_code of its rows.
TRUTH_PARAMETER = {
    "carbon_lowered": {"carbon_ar_pct"}, "moisture_invented": {"carbon_ar_pct"},
    "report_before_sampling": {"carbon_ar_pct"}, "batch_backtesting": {"carbon_ar_pct"},
    "result_reused": {"carbon_ar_pct"}, "missing_accreditation": {"carbon_ar_pct"},
    "default_as_measured": {"cc_tc_per_gj"}, "late_deposit": {""},
    "coal_underreported": {"coal_consumption_t"}, "heat_underreported": {"heat_supply_gj"},
    "co2_misstated": {"co2_t"}, "missing_deposit": {""},
    "revision_after_approval": {"coal_consumption_t", "co2_t"}, "surrender_shortfall": {""},
}


def _truth(out) -> pd.DataFrame:
    return pd.read_csv(out / "dataset" / "truth.csv", dtype=str, keep_default_na=False)


def _without(df: pd.DataFrame, truth: pd.DataFrame, period: str = "period") -> pd.DataFrame:
    """Rows of ``df`` whose unit-month holds no injected problem."""
    bad = set(zip(truth["unit_id"], truth["period"], strict=True))
    keep = [(u, p) not in bad for u, p in zip(df["unit_id"], df[period], strict=True)]
    return df[keep]


@pytest.fixture(scope="module")
def wide(built) -> pd.DataFrame:
    """Latest revision of every imported monthly parameter, one row per clean unit-month."""
    ds = Dataset(built / "dataset")
    m = ds.read("monthly_parameters").sort_values("revision")
    m = m.drop_duplicates(["unit_id", "period", "parameter_code"], keep="last")
    w = m.pivot(index=["unit_id", "period"], columns="parameter_code", values="value")
    w = w.reset_index().merge(ds.read("units"), on="unit_id")
    return _without(w, _truth(built))


def test_same_seed_same_exports_and_truth(real, built, build_args, tmp_path):
    from benchmarks.realset.build import build

    again = tmp_path / "b"
    build(real, again, **build_args)
    names = sorted(p.name for p in (built / "exports").iterdir())
    assert len(names) == 7
    _, mismatch, errors = filecmp.cmpfiles(built / "exports", again / "exports", names,
                                           shallow=False)
    assert not mismatch and not errors
    assert filecmp.cmp(built / "dataset" / "truth.csv", again / "dataset" / "truth.csv",
                       shallow=False)
    assert filecmp.cmp(built / "build.json", again / "build.json", shallow=False)


def test_imports_with_nothing_quarantined(built):
    summary = json.loads((built / "build.json").read_text(encoding="utf-8"))
    from benchmarks.realset.export import FILES
    for table, (name, _) in FILES.items():
        assert summary["imported"][table] == summary["exports"][name] > 0, table
    assert not list((built / "dataset").glob("quarantine/*/*.csv"))
    raw = (built / "exports" / "企业信息.csv").read_bytes()
    assert raw.decode("gb18030").startswith("统一社会信用代码")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_contract_codes_import_too(real, tmp_path):
    from benchmarks.realset.build import build

    summary = build(real, tmp_path / "codes", seed=5, enterprises=6, labels="codes")
    assert summary["imported"]["units"] == summary["exports"]["机组信息.csv"]


def test_energy_balance_hours_and_load(wide):
    own = wide["own_use_mwh"].notna()
    assert own.sum() > 100 and (~own).sum() > 0          # own use is partial by design
    w = wide[own]
    assert (w["supply_mwh"] - (w["generation_mwh"] - w["own_use_mwh"])).abs().max() < 2e-3
    hours = wide["period"].map(schema.hours_in_period)
    assert (wide["operating_hours_h"] <= hours).all()
    lf = wide.dropna(subset=["load_factor"])
    assert lf["load_factor"].between(0, 1).all()
    expected = power.load_factor(lf["generation_mwh"], lf["capacity_mw"], lf["operating_hours_h"])
    assert np.abs(expected - lf["load_factor"]).max() < 1e-3


def test_filed_co2_follows_the_guideline_formula(wide):
    w = wide[wide["co2_t"] > 0]
    gas = w["fuel_code"] == "natural_gas"
    fc = np.where(gas, w["gas_consumption_knm3"], w["coal_consumption_t"])
    ncv = np.where(gas, w["ncv_gj_per_knm3"], w["ncv_gj_per_t"])
    co2 = power.fuel_co2_t(fc, ncv, w["cc_tc_per_gj"], w["oxidation_rate"])
    assert np.allclose(co2, w["co2_t"], rtol=1e-9, atol=0.011)
    measured = w.dropna(subset=["carbon_ar_pct"])
    assert (measured["cc_tc_per_gj"] - measured["carbon_ar_pct"] / 100
            / measured["ncv_gj_per_t"]).abs().max() < 5.1e-6


def test_lab_reports_follow_the_standards(built):
    lab = Dataset(built / "dataset").read("lab_reports")
    lab = _without(lab, _truth(built), "covered_period")
    c_ar = power.carbon_ar_from_ad(lab["carbon_ad_pct"], lab["total_moisture_pct"],
                                   lab["moisture_ad_pct"])
    assert (c_ar - lab["carbon_ar_pct"]).abs().max() < 0.0051
    ncv = power.ncv_ar_from_gross_ad(lab["gross_cv_ad_mj_per_kg"], lab["hydrogen_ad_pct"],
                                     lab["total_moisture_pct"], lab["moisture_ad_pct"])
    assert (ncv - lab["ncv_ar_gj_per_t"]).abs().max() < 6e-4
    order = ["sampling_start_date", "sampling_end_date", "received_date", "test_date",
             "report_date"]
    for a, b in zip(order, order[1:], strict=False):
        assert (lab[a] <= lab[b]).all(), (a, b)
    start = pd.to_datetime(lab["covered_period"] + "-01")
    end = start + pd.offsets.MonthEnd(0)
    assert (lab["sampling_start_date"] >= start).all() and (lab["sampling_end_date"] <= end).all()
    assert (lab["report_date"] <= end + pd.Timedelta(days=40)).all()
    assert lab["lab_accreditation_no"].str.fullmatch(r"\d{12}").all()


def test_daily_values_add_up_to_the_month(built, wide):
    ds = Dataset(built / "dataset")
    d = ds.read("daily_parameters")
    d = d.assign(period=d["date"].dt.strftime("%Y-%m"))
    sums = d.groupby(["unit_id", "period", "parameter_code"])["value"].sum().rename("daily")
    long = wide.melt(id_vars=["unit_id", "period"], value_vars=list(
        set(wide.columns) & {"generation_mwh", "coal_consumption_t", "gas_consumption_knm3"}),
                     var_name="parameter_code", value_name="monthly").dropna()
    both = long.merge(sums.reset_index(), on=["unit_id", "period", "parameter_code"])
    assert len(both) > 500
    assert (both["daily"] - both["monthly"]).abs().max() < 1e-6
    units = ds.read("units")["unit_id"]
    assert 0.3 < d["unit_id"].nunique() / len(units) < 0.9        # daily data for some units


def test_chp_heat_follows_the_province_heating_season(clean):
    w = clean.w
    running = w["operating_hours_h"] > 0
    heat = w["heat_supply_gj"] > 0
    district = w["heat_kind"] == "district"
    ne, north = district & (w["season"] == "northeast"), district & (w["season"] == "north")
    assert (ne & running).any() and (north & running).any()
    october, november, july = w["month"] == 10, w["month"] == 11, w["month"] == 7
    assert (heat[ne & october & running]).all()                  # from 15 October
    assert not heat[north & october].any()                       # Beijing... from 15 November
    assert heat[north & november & running].all()
    assert not heat[district & july].any()
    south = w["season"] == "south"
    assert (w.loc[south & w["is_chp"], "heat_kind"] == "steam").all()
    steam = w[south & w["is_chp"] & running]
    assert len(steam)
    per_hour = steam["heat_supply_gj"] / steam["operating_hours_h"]
    ratio = per_hour / per_hour.groupby(steam["unit_id"]).transform("median")
    assert ratio.between(0.75, 1.25).all()                       # steady all year
    nov = w[north & november & running]
    dec = w[north & (w["month"] == 12) & running]
    assert (nov["heat_supply_gj"] / nov["operating_hours_h"]).median() < 0.7 * (
        dec["heat_supply_gj"] / dec["operating_hours_h"]).median()   # 16 of 30 days


def test_lab_numbers_run_across_clients(clean):
    lab = clean.tables["lab_reports"]
    parts = lab["report_id"].str.extract(r"^(?P<lab>.+)-(?P<year>\d{4})-(?P<n>\d{5})$")
    lab = lab.assign(lab=parts["lab"], year=parts["year"], n=parts["n"].astype(int))
    served = lab.groupby("lab")["enterprise_id"].nunique()
    assert served.max() >= 3
    for (_, _), g in lab.groupby(["lab", "year"]):
        g = g.sort_values(["report_date", "n"])
        assert g["n"].is_monotonic_increasing and g["n"].is_unique
    busiest = lab[lab["lab"] == served.idxmax()].sort_values("report_date")
    assert busiest["enterprise_id"].ne(busiest["enterprise_id"].shift()).sum() > 10
    steps = lab.sort_values(["unit_id", "covered_period"]).groupby("unit_id")["n"].diff()
    assert (steps.dropna().abs() == 1).mean() < 0.01       # no unit's months in sequence
    assert lab["sample_id"].is_unique and lab["report_id"].is_unique


def _text(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(object).where(df.notna(), "<missing>").astype(str)


def test_every_kind_is_injected_and_truth_points_at_changed_rows(injected, clean):
    from benchmarks.realset.problems import KIND_NAMES

    truth = injected.truth
    assert clean.truth.empty
    assert set(truth["kind"]) == set(KIND_NAMES) == set(TRUTH_PARAMETER)
    for kind, params in TRUTH_PARAMETER.items():
        assert set(truth.loc[truth["kind"] == kind, "parameter_code"]) == params, kind
    ents = set(injected.tables["enterprises"]["enterprise_id"])
    assert 0.3 * len(ents) < truth["enterprise_id"].nunique() < 0.9 * len(ents)
    key = ["unit_id", "period", "parameter_code", "revision"]
    a = clean.tables["monthly_parameters"].set_index(key)
    b = injected.tables["monthly_parameters"].set_index(key)
    both = a.index.intersection(b.index)
    cols = ["value", "submitted_at", "report_id", "source_code"]
    diff = (_text(a.loc[both, cols]) != _text(b.loc[both, cols])).any(axis=1)
    changed = {(u, p) for u, p, *_ in both[diff.to_numpy()]}
    changed |= {(u, p) for u, p, *_ in a.index.symmetric_difference(b.index)}
    la = clean.tables["lab_reports"].set_index(["unit_id", "covered_period"])
    lb = injected.tables["lab_reports"].set_index(["unit_id", "covered_period"])
    lab_diff = (_text(la) != _text(lb.loc[la.index])).any(axis=1)
    changed |= set(la.index[lab_diff.to_numpy()])
    unit_rows = truth[truth["unit_id"] != ""]
    missed = [r for r in unit_rows.itertuples() if (r.unit_id, r.period) not in changed]
    assert not missed
    annual = truth[truth["unit_id"] == ""]
    ca = clean.tables["annual_reports"].set_index(["enterprise_id", "year"])
    cb = injected.tables["annual_reports"].set_index(["enterprise_id", "year"])
    for r in annual.itertuples():
        k = (r.enterprise_id, int(r.period))
        assert cb.loc[k, "allowance_surrendered_t"] < ca.loc[k, "allowance_surrendered_t"]
    pd.testing.assert_frame_equal(clean.tables["daily_parameters"],
                                  injected.tables["daily_parameters"])


def test_batch_backtesting_looks_like_a_batch(injected):
    lab = injected.tables["lab_reports"]
    t = injected.truth[injected.truth["kind"] == "batch_backtesting"]
    for unit, rows in t.groupby("unit_id"):
        r = lab[(lab["unit_id"] == unit) & lab["covered_period"].isin(rows["period"])]
        n = r.sort_values("covered_period")["report_id"].str[-5:].astype(int)
        same_day = (r["report_date"].max() - r["report_date"].min()).days <= 3
        assert same_day or (n.diff().dropna() == 1).all(), unit


def test_real_carbon_spread_is_wider_than_the_generators(injected, clean):
    from workbench.samples.generator import generate

    def iqr(monthly: pd.DataFrame, units: pd.DataFrame) -> float:
        coal = units.loc[units["fuel_code"] != "natural_gas", "unit_id"]
        cc = monthly[(monthly["parameter_code"] == "cc_tc_per_gj")
                     & (monthly["source_code"] == "calculated") & monthly["unit_id"].isin(coal)]
        per_unit = cc.groupby("unit_id")["value"].median()
        return float(per_unit.quantile(0.75) - per_unit.quantile(0.25))

    ours = iqr(clean.tables["monthly_parameters"], clean.tables["units"])
    sample = generate("demo", problem_rate=0.0)
    theirs = iqr(sample.tables["monthly_parameters"], sample.tables["units"])
    print(f"IQR of CC across coal units: real set {ours:.5f} tC/GJ, generator {theirs:.5f} tC/GJ")
    assert ours > theirs


def test_lab_frauds_alter_only_what_they_claim(injected, clean):
    key = ["unit_id", "covered_period"]
    a = clean.tables["lab_reports"].set_index(key)
    b = injected.tables["lab_reports"].set_index(key)
    truth = injected.truth
    for kind, changed in (("carbon_lowered", "carbon_ad_pct"),
                          ("moisture_invented", "total_moisture_pct")):
        rows = pd.MultiIndex.from_frame(truth.loc[truth["kind"] == kind, ["unit_id", "period"]])
        assert len(rows), kind
        assert (b.loc[rows, changed] != a.loc[rows, changed]).all(), kind
        assert (b.loc[rows, "carbon_ar_pct"] < a.loc[rows, "carbon_ar_pct"]).all(), kind
        assert (b.loc[rows, "ncv_ar_gj_per_t"] == a.loc[rows, "ncv_ar_gj_per_t"]).all(), kind
