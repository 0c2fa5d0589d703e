"""Real exports are partial: any table or parameter may be missing, for some units or all.

Screening runs what it can, never fails on what is absent, and says per enterprise which
checks could not run (or ran only in part) and which input they missed.
"""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import schema
from workbench.checks.inputs import build_inputs
from workbench.checks.registry import REGISTRY
from workbench.config import load_config
from workbench.corroboration import corroborate
from workbench.dataset import Dataset
from workbench.risk import risk_table
from workbench.screen import run_checks, screen, select_checks

OPTIONAL_TABLES = ("daily_parameters", "lab_reports", "review_events", "annual_reports")
CODES = sorted(schema.PARAMETERS)


def _screen_tables(tables: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    x = build_inputs(tables)
    flags, log = run_checks(x, load_config(), select_checks())
    flags = corroborate(flags, REGISTRY)
    risk_table(flags, x.monthly, load_config())
    return flags, log.coverage_table(), log.skipped


def _assert_honest(flags: pd.DataFrame, cover: pd.DataFrame, skipped: dict) -> None:
    """No flag comes from a check that says it could not check that enterprise; every
    skipped check names what it missed."""
    blind = set(zip(cover.loc[cover["status"] == "not_checked", "enterprise_id"],
                    cover.loc[cover["status"] == "not_checked", "check_id"], strict=True))
    named = flags[flags["enterprise_id"] != ""]
    assert not blind & set(zip(named["enterprise_id"], named["check_id"], strict=True))
    assert all(missing for missing in skipped.values())
    assert (cover["missing"].str.len() > 0).all()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=st.sets(st.sampled_from(OPTIONAL_TABLES)),
       codes=st.sets(st.sampled_from(CODES), max_size=6),
       unit_drops=st.lists(st.tuples(st.integers(0, 30), st.sampled_from(CODES)), max_size=8))
def test_screening_survives_any_missing_table_or_parameter(clean_tables, tables, codes,
                                                           unit_drops):
    t = {k: v for k, v in clean_tables.items() if k not in tables}
    m = t["monthly_parameters"]
    drop = m["parameter_code"].isin(codes)
    units = sorted(m["unit_id"].unique())
    for i, code in unit_drops:
        drop |= (m["unit_id"] == units[i % len(units)]) & (m["parameter_code"] == code)
    t["monthly_parameters"] = m[~drop]
    flags, cover, skipped = _screen_tables(t)
    _assert_honest(flags, cover, skipped)
    if "lab_reports" in tables:
        assert skipped["evidence.date_order"] == ["labs"]
        assert set(cover.loc[cover["check_id"] == "evidence.date_order", "status"]) == {
            "not_checked"}


def test_an_export_without_own_use_screens_and_says_what_it_could_not_check(clean_tables,
                                                                            tmp_path):
    t = dict(clean_tables)
    m = t["monthly_parameters"]
    t["monthly_parameters"] = m[m["parameter_code"] != "own_use_mwh"]
    Dataset(tmp_path / "ds").append(t, log_entry={"source": "test"}, stamp=False)
    manifest = screen(tmp_path / "ds", tmp_path / "out")
    eb = manifest["checks"]["consistency.energy_balance"]
    assert eb["skipped_missing"] == ["monthly:own_use_mwh"]
    assert eb["enterprises_not_checked"] == len(t["enterprises"])
    cover = pd.read_parquet(tmp_path / "out" / "coverage.parquet")
    own = cover[cover["check_id"] == "ranges.own_use_rate"]
    assert set(own["missing"]) == {"monthly:own_use_mwh"}
    peers = cover[cover["check_id"] == "peers.unit_vs_peers"]
    assert set(peers["status"]) == {"partial"}
    on_disk = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["checks"]["ranges.own_use_rate"]["enterprises_not_checked"] == len(
        t["enterprises"])
    assert on_disk["coverage"]["enterprises_with_checks_not_run"] == len(t["enterprises"])


def test_one_enterprise_without_lab_reports_is_not_checked_by_the_evidence_checks(
        clean_tables):
    t = dict(clean_tables)
    ent = sorted(t["enterprises"]["enterprise_id"])[0]
    t["lab_reports"] = t["lab_reports"][t["lab_reports"]["enterprise_id"] != ent]
    flags, cover, skipped = _screen_tables(t)
    _assert_honest(flags, cover, skipped)
    mine = cover[(cover["enterprise_id"] == ent) & (cover["status"] == "not_checked")]
    assert {"evidence.date_order", "evidence.accreditation",
            "accounting.basis_conversion"} <= set(mine["check_id"])
    assert "evidence.date_order" not in skipped
