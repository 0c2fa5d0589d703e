"""The sample generator: physics holds, truth.csv is what was injected, output is deterministic.

The power physics are checked on the demo's power part (``power_part``); the steel, cement and
aluminium part has its own tests (test_sector_generator.py, test_generator_sectors.py).
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench import creditcode, schema
from workbench.accounting import power
from workbench.dataset import Dataset
from workbench.samples import problems
from workbench.samples.generator import generate, write
from workbench.samples.sectors import KINDS

KINDS_OF_SECTORS = [k for ks in KINDS.values() for k in ks]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def power_part(demo):
    """The power enterprises of the demo, every table and the truth."""
    return demo.subset(["power"])


def _wide(gen) -> pd.DataFrame:
    m = gen.tables["monthly_parameters"].sort_values("revision")
    m = m.drop_duplicates(["unit_id", "period", "parameter_code"], keep="last")
    w = m.pivot(index=["unit_id", "period"], columns="parameter_code", values="value")
    units = gen.tables["units"].set_index("unit_id")
    w = w.join(units, on="unit_id").reset_index()
    w["enterprise_id"] = w["enterprise_id"].astype(str)
    return w


def _clean(w: pd.DataFrame, truth: pd.DataFrame, on=("unit_id", "period")) -> pd.DataFrame:
    bad = truth[list(on)].drop_duplicates()
    merged = w.merge(bad.assign(_bad=True), on=list(on), how="left")
    return merged[merged["_bad"].isna()]


def _text(df: pd.DataFrame) -> pd.DataFrame:
    """Cells as comparable text, every kind of missing value the same."""
    return df.astype(object).where(df.notna(), "<missing>").astype(str)


def test_every_table_follows_the_contract(demo):
    for name, spec in schema.TABLES.items():
        df = demo.tables[name]
        assert not df.empty, name
        required = {c.name for c in spec.columns if not c.nullable}
        assert required <= set(df.columns), name
        for c in spec.columns:
            if c.name not in df.columns:
                continue
            if not c.nullable:
                assert df[c.name].notna().all(), (name, c.name)
            if c.codes:
                assert set(df[c.name].dropna()) <= set(c.codes), (name, c.name)
        assert not df.duplicated(list(spec.key)).any(), name
    assert creditcode.validate(demo.tables["enterprises"]["enterprise_id"]).all()
    assert demo.tables["lab_reports"]["sample_id"].is_unique


def test_lab_numbers_leave_room_for_other_clients(demo):
    """Consecutive monthly reports of one unit are not numbered in sequence in clean data."""
    lab = demo.tables["lab_reports"]
    batch = demo.truth.loc[demo.truth["kind"] == "batch_backtesting", "unit_id"]
    clean = lab[~lab["unit_id"].isin(batch)].sort_values(["unit_id", "covered_period"])
    seq = clean["report_id"].str[-5:].astype(int)
    previous = clean.groupby("unit_id")["report_id"].shift()
    same_year = clean["report_id"].str[:-6] == previous.str[:-6]
    steps = seq.groupby(clean["unit_id"]).diff()[same_year]
    assert (steps.abs() > 1).mean() > 0.99


def test_demo_size(demo, power_part):
    assert 55 <= len(power_part.tables["enterprises"]) <= 60
    assert len(demo.tables["enterprises"]) == len(power_part.tables["enterprises"]) + 8
    assert power_part.tables["monthly_parameters"]["period"].nunique() == 24
    assert demo.tables["monthly_parameters"]["period"].nunique() == 24
    assert demo.tables["enterprises"]["province"].nunique() == 1


def test_energy_balance_and_operating_limits(power_part):
    w = _clean(_wide(power_part), power_part.truth)
    assert (w["supply_mwh"] - (w["generation_mwh"] - w["own_use_mwh"])).abs().max() < 0.002
    hours = w["period"].map(schema.hours_in_period)
    assert (w["operating_hours_h"] <= hours).all()
    assert (w["generation_mwh"] <= w["capacity_mw"] * w["operating_hours_h"] * 1.001).all()
    assert w["load_factor"].between(0, 1).all()
    lf = power.load_factor(w["generation_mwh"], w["capacity_mw"], w["operating_hours_h"])
    assert np.abs(lf - w["load_factor"]).max() < 1e-3


def test_filed_co2_follows_the_guideline_formula(power_part):
    w = _clean(_wide(power_part), power_part.truth)
    gas = w["fuel_code"] == "natural_gas"
    fc = np.where(gas, w["gas_consumption_knm3"], w["coal_consumption_t"])
    ncv = np.where(gas, w["ncv_gj_per_knm3"], w["ncv_gj_per_t"])
    co2 = power.fuel_co2_t(fc, ncv, w["cc_tc_per_gj"], w["oxidation_rate"])
    assert np.allclose(co2, w["co2_t"], rtol=1e-6, atol=0.01)
    coal = w[~gas & (w["supply_mwh"] > 1000)]
    intensity = coal["co2_t"] / coal["supply_mwh"]
    assert intensity.median() == pytest.approx(0.9, abs=0.1)    # tCO2/MWh, domain notes §6.3


def test_same_sample_lab_results_agree(power_part):
    truth = power_part.truth.rename(columns={"period": "covered_period"})
    lab = _clean(power_part.tables["lab_reports"], truth, on=("unit_id", "covered_period"))
    c_ar = power.carbon_ar_from_ad(lab["carbon_ad_pct"], lab["total_moisture_pct"],
                                   lab["moisture_ad_pct"])
    assert (c_ar - lab["carbon_ar_pct"]).abs().max() < 0.011
    ncv = power.ncv_ar_from_gross_ad(lab["gross_cv_ad_mj_per_kg"], lab["hydrogen_ad_pct"],
                                     lab["total_moisture_pct"], lab["moisture_ad_pct"])
    assert (ncv - lab["ncv_ar_gj_per_t"]).abs().max() < 0.02
    assert (lab["moisture_ad_pct"] < lab["total_moisture_pct"]).all()
    order = ["sampling_start_date", "sampling_end_date", "received_date", "test_date",
             "report_date"]
    for a, b in zip(order, order[1:], strict=False):
        assert (lab[a] <= lab[b]).all(), (a, b)
    month_end = pd.to_datetime(lab["covered_period"] + "-01") + pd.offsets.MonthEnd(0)
    assert (lab["report_date"] <= month_end + pd.Timedelta(days=40)).all()
    assert lab["lab_accreditation_no"].notna().all()


def test_filed_carbon_matches_its_lab_report(power_part):
    w = _clean(_wide(power_part), power_part.truth)
    measured = w[w["carbon_ar_pct"].notna()]
    identity = 100 * measured["cc_tc_per_gj"] * measured["ncv_gj_per_t"]
    assert (identity - measured["carbon_ar_pct"]).abs().max() < 0.02
    assert measured["cc_tc_per_gj"].between(0.0245, 0.0285).all()


def test_daily_values_add_up_to_the_month(demo):
    d = demo.tables["daily_parameters"]
    d = d.assign(period=d["date"].dt.strftime("%Y-%m"))
    sums = d.groupby(["unit_id", "period", "parameter_code"])["value"].sum().rename("daily")
    m = demo.tables["monthly_parameters"]
    m = m[m["revision"] == 0].set_index(["unit_id", "period", "parameter_code"])["value"]
    both = sums.to_frame().join(m, how="inner").reset_index()
    both = _clean(both, demo.truth)
    both = both[both["parameter_code"] != "supply_mwh"]      # revised by legitimate corrections
    assert len(both) > 1000
    assert (both["daily"] - both["value"]).abs().max() < 0.01
    assert (d["value"] >= 0).all()


def test_clean_deposits_are_on_time(demo):
    m = demo.tables["monthly_parameters"]
    first = _clean(m[m["revision"] == 0], demo.truth)
    month_end = pd.to_datetime(first["period"] + "-01") + pd.offsets.MonthEnd(0)
    assert (first["submitted_at"] <= month_end + pd.Timedelta(days=40)).all()


def test_at_least_ten_kinds_are_injected_and_listed(demo, power_part):
    kinds = set(power_part.truth["kind"])
    assert len(kinds) >= 10
    assert kinds <= set(problems.KIND_BY_NAME)
    assert set(demo.truth["kind"]) - kinds == set(KINDS_OF_SECTORS) & set(demo.truth["kind"])
    ents = set(demo.tables["enterprises"]["enterprise_id"])
    assert set(demo.truth["enterprise_id"]) <= ents
    unit_level = demo.truth[demo.truth["unit_id"] != ""]
    units = demo.tables["units"].set_index("unit_id")["enterprise_id"]
    assert (unit_level["unit_id"].map(units) == unit_level["enterprise_id"]).all()


def test_truth_lists_exactly_what_differs_from_the_clean_data(power_part):
    """Same seed without problems: every unit-month that differs is in truth, and vice versa.

    (The power part; the sectors' own test is in test_sector_generator.py.)"""
    clean = generate("demo", problem_rate=0.0)
    assert clean.truth.empty
    clean, demo = clean.subset(["power"]), power_part
    key = ["unit_id", "period", "parameter_code", "revision"]
    a = clean.tables["monthly_parameters"].set_index(key)
    b = demo.tables["monthly_parameters"].set_index(key)
    changed = set()
    both = a.index.intersection(b.index)
    cols = ["value", "submitted_at", "report_id"]
    diff = (_text(a.loc[both, cols]) != _text(b.loc[both, cols])).any(axis=1)
    changed |= {(u, p) for u, p, *_ in both[diff.to_numpy()]}
    changed |= {(u, p) for u, p, *_ in a.index.difference(b.index)}     # removed deposits
    changed |= {(u, p) for u, p, *_ in b.index.difference(a.index)}     # added revisions
    la = clean.tables["lab_reports"].set_index(["unit_id", "covered_period"])
    lb = demo.tables["lab_reports"].set_index(["unit_id", "covered_period"])
    lab_diff = (_text(la) != _text(lb.loc[la.index])).any(axis=1)
    changed |= set(la.index[lab_diff.to_numpy()])
    truth = demo.truth[demo.truth["unit_id"] != ""]
    assert changed == set(zip(truth["unit_id"], truth["period"], strict=True))
    ann = demo.truth[demo.truth["unit_id"] == ""]
    for row in ann.itertuples():
        a_rep = clean.tables["annual_reports"]
        b_rep = demo.tables["annual_reports"]
        sel = (a_rep["enterprise_id"] == row.enterprise_id) & (a_rep["year"] == int(row.period))
        assert (b_rep.loc[sel, "allowance_surrendered_t"].to_numpy()
                < a_rep.loc[sel, "allowance_surrendered_t"].to_numpy()).all()
    # the clean parts are unaffected by injection
    pd.testing.assert_frame_equal(clean.tables["daily_parameters"],
                                  demo.tables["daily_parameters"])


def test_same_seed_same_bytes(tmp_path, demo_dir):
    again = tmp_path / "again"
    write(generate("demo"), again, "demo", 7, 0.25)
    def dataset_files(root):      # other tests cache screening results under .screen/
        return sorted(p.relative_to(root) for p in root.rglob("*")
                      if p.is_file() and p.relative_to(root).parts[0] != ".screen")

    files = dataset_files(demo_dir)
    assert files and files == dataset_files(again)
    for f in files:
        assert filecmp.cmp(demo_dir / f, again / f, shallow=False), f


def test_another_seed_gives_other_data(demo_dir, tmp_path):
    other = write(generate("demo", seed=8), tmp_path / "s8", "demo", 8, 0.25)
    assert other.fingerprint != Dataset(demo_dir).fingerprint


def test_committed_demo_dataset_is_current(demo_dir):
    committed = Dataset(ROOT / "data_samples" / "demo")
    assert committed.fingerprint == Dataset(demo_dir).fingerprint, (
        "data_samples/demo is stale: regenerate it with "
        "`workbench sample --scale demo --out data_samples/demo`")
    assert filecmp.cmp(ROOT / "data_samples" / "demo" / "truth.csv", demo_dir / "truth.csv",
                       shallow=False)


def test_write_refuses_to_overwrite(demo, demo_dir):
    with pytest.raises(FileExistsError):
        write(demo, demo_dir, "demo", 7, 0.25)
