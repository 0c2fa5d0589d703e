"""The screening engine: both engines agree, skipped checks are reported, risk is explained."""

import json

import pandas as pd
import pytest

from workbench.checks.inputs import build_inputs
from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.risk import risk_table, spot_check_sample
from workbench.screen import run_checks, screen, select_checks


@pytest.mark.slow
def test_pandas_and_dask_engines_give_identical_flags(demo_dir, tmp_path):
    a = screen(demo_dir, tmp_path / "pandas", engine="pandas")
    b = screen(demo_dir, tmp_path / "dask", engine="dask")
    fa = pd.read_parquet(tmp_path / "pandas" / "flags.parquet")
    fb = pd.read_parquet(tmp_path / "dask" / "flags.parquet")
    assert len(fa) > 50
    pd.testing.assert_frame_equal(fa, fb)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "pandas" / "risk.parquet"),
                                  pd.read_parquet(tmp_path / "dask" / "risk.parquet"))
    assert a["dataset_fingerprint"] == b["dataset_fingerprint"] == Dataset(demo_dir).fingerprint


def test_manifest_records_timings_counts_and_config(demo_dir, tmp_path):
    m = screen(demo_dir, tmp_path)
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["config_hash"] == m["config_hash"]
    assert set(on_disk["checks"]) == {c.id for c in select_checks()}
    assert all(c["seconds"] >= 0 for c in on_disk["checks"].values())
    assert sum(c["flags"] for c in on_disk["checks"].values()) == m["flags"]


def test_a_check_without_its_inputs_is_skipped_not_passed(clean_tables):
    tables = {k: v for k, v in clean_tables.items() if k != "lab_reports"}
    flags, log = run_checks(build_inputs(tables), load_config(), select_checks())
    assert log.skipped["evidence.date_order"] == ["labs"]
    assert "evidence.date_order" not in log.timings_s
    assert not flags["check_id"].str.startswith("evidence.").any()


def test_risk_ranks_injected_enterprises_first_and_explains_why(demo, demo_dir, tmp_path):
    screen(demo_dir, tmp_path)
    risk = pd.read_parquet(tmp_path / "risk.parquet")
    assert list(risk["rank"]) == list(range(1, len(risk) + 1))
    assert risk["risk_score"].is_monotonic_decreasing
    contrib = risk.filter(like="contrib_").sum(axis=1)
    assert (contrib - risk["risk_score"]).abs().max() < 1e-9
    injected = set(demo.truth["enterprise_id"])
    top = set(risk.head(len(injected))["enterprise_id"])
    assert len(top & injected) >= 0.7 * len(injected)
    assert (risk.loc[risk["risk_score"] > 0, "top_reasons"] != "").all()


def test_spot_check_sample_is_seeded_and_risk_weighted(demo, demo_dir, tmp_path):
    screen(demo_dir, tmp_path)
    risk = pd.read_parquet(tmp_path / "risk.parquet")
    ents = demo.tables["enterprises"]
    a = spot_check_sample(risk, ents, per_city=2, seed=11)
    b = spot_check_sample(risk, ents, per_city=2, seed=11)
    pd.testing.assert_frame_equal(a, b)
    assert (a["seed"] == 11).all()
    assert a.groupby("city").size().max() <= 2
    many = pd.concat([spot_check_sample(risk, ents, 1, s) for s in range(200)])
    drawn = many["enterprise_id"].value_counts()
    top = risk.iloc[0]["enterprise_id"]
    city = ents.set_index("enterprise_id").at[top, "city"]
    peers = ents.loc[ents["city"] == city, "enterprise_id"]
    if len(peers) > 1:
        assert drawn.get(top, 0) == drawn.reindex(peers).fillna(0).max()


def test_materiality_is_judged_per_year_and_by_size(clean_tables):
    cfg = load_config()
    x = build_inputs(clean_tables)
    m = x.monthly
    ent = m["enterprise_id"].iloc[0]
    unit = m.loc[m["enterprise_id"] == ent, "unit_id"].iloc[0]
    year_total = m.loc[(m["enterprise_id"] == ent) & m["period"].str.startswith("2024"),
                       "co2_t"].sum()
    flags = pd.DataFrame({"check_id": ["accounting.co2_recompute"], "severity": ["critical"],
                          "enterprise_id": [ent], "unit_id": [unit], "period": ["2024-03"],
                          "year": [2024], "score": [2.0], "delta_co2_t": [0.03 * year_total]})
    row = risk_table(flags, m, cfg).set_index("enterprise_id").loc[ent]
    assert row["materiality"] == pytest.approx(0.03)
    assert row["materiality_year"] == "2024"
    assert row["materiality_level"] == "above_2pct"
    large = year_total > cfg["materiality"]["large_installation_t"]
    assert bool(row["is_material"]) == large       # 3 %: material only for large emitters
    units = risk_table(flags, m, cfg, keys=("enterprise_id", "unit_id"))
    assert units.iloc[0]["unit_id"] == unit and units.iloc[0]["risk_score"] > 0


def test_results_follow_the_contract(demo_dir, tmp_path):
    """flags, risk, risk_units and coverage are declared in schema.RESULT_TABLES: columns,
    dtypes and codes; flags name their subject, report and unit of measure."""
    from workbench import schema

    screen(demo_dir, tmp_path)
    for name, table in schema.RESULT_TABLES.items():
        df = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(df.columns)[:len(table.columns)] == table.column_names, name
        for col in table.columns:
            assert str(df[col.name].dtype) == schema.PANDAS_DTYPES[col.kind], (name, col.name)
            if col.codes:
                assert set(df[col.name].dropna()) <= set(col.codes), (name, col.name)
    flags = pd.read_parquet(tmp_path / "flags.parquet")
    select_checks()
    from workbench.checks.registry import REGISTRY
    assert (flags["subject_code"] == flags["check_id"].map(
        {k: c.subject for k, c in REGISTRY.items()})).all()
    monthly = flags["subject_code"].isin(["monthly_value", "monthly_deposit"])
    assert flags.loc[monthly, "period"].str.fullmatch(r"\d{4}-\d{2}").all()
    yearly = flags["subject_code"].isin(["annual_report", "unit_year"])
    assert (flags.loc[yearly, "period"] == "").all() and flags.loc[yearly, "year"].notna().all()
    labs = flags["subject_code"] == "lab_report"
    assert (flags.loc[labs, "report_id"] != "").all()
    gbt = flags[flags["check_id"] == "consistency.gbt213_ncv"]
    assert set(gbt["parameter_code"]) <= {"ncv_gj_per_t"}
    deadline = flags[flags["check_id"] == "evidence.report_deadline"]
    assert set(deadline["parameter_code"]) <= {""} and set(deadline["value_unit"]) <= {"d"}
    numeric = flags["observed"].notna() & flags["check_id"].str.startswith(
        ("accounting.", "consistency.", "timeseries."))
    assert (flags.loc[numeric & (flags["check_id"] != "consistency.load_factor"),
                      "value_unit"] != "").all()
