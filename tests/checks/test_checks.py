"""Every check: a case that must flag and a case that must not.

The clean case is a small clean dataset (12 generated enterprises, no
injected problems); the flag case alters one unit-month of it the way the
check's rule describes.  Deterministic checks must be silent on clean data;
statistical ones (time series, peers) must at least leave the target alone.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from workbench.checks.digits import benford_mad
from workbench.checks.inputs import build_inputs
from workbench.checks.registry import REGISTRY
from workbench.config import load_config
from workbench.screen import run_checks, select_checks


@pytest.fixture(scope="module")
def cfg():
    c = load_config()
    c["checks"]["benford_min_n"] = 300       # the small clean set has ~700 monthly figures
    return c


@pytest.fixture(scope="module")
def target(clean_tables):
    """A conventional coal unit with a lab report every month, and one operating month."""
    units = clean_tables["units"]
    labs = clean_tables["lab_reports"]
    coal = units.loc[units["fuel_code"] == "coal", "unit_id"]
    counts = labs[labs["unit_id"].isin(coal)].groupby("unit_id").size()
    unit = counts[counts == 24].index[0]
    m = clean_tables["monthly_parameters"]
    gen = m[(m["unit_id"] == unit) & (m["parameter_code"] == "generation_mwh")]
    periods = sorted(gen.loc[gen["value"] > 0, "period"])
    period = periods[len(periods) // 2]
    ent = units.set_index("unit_id").at[unit, "enterprise_id"]
    return {"unit": unit, "period": period, "enterprise": ent,
            "next": str(pd.Period(period, "M") + 1)}


def _run(check_id: str, tables: dict, cfg: dict) -> pd.DataFrame:
    select_checks()
    flags, log = run_checks(build_inputs(tables), cfg, [REGISTRY[check_id]])
    assert check_id not in log.skipped, f"{check_id} would be skipped"
    return flags


def _monthly(t, unit, period, code):
    m = t["monthly_parameters"]
    sel = (m["unit_id"] == unit) & (m["period"] == period) & (m["parameter_code"] == code)
    return m.index[sel & (m["revision"] == m.loc[sel, "revision"].max())]


def _value(t, unit, period, code):
    return float(t["monthly_parameters"].loc[_monthly(t, unit, period, code), "value"].iloc[0])


def set_monthly(t, unit, period, code, value):
    t["monthly_parameters"].loc[_monthly(t, unit, period, code), "value"] = value


def scale_monthly(t, unit, period, code, factor):
    set_monthly(t, unit, period, code, _value(t, unit, period, code) * factor)


def _lab(t, unit, period):
    lab = t["lab_reports"]
    return lab.index[(lab["unit_id"] == unit) & (lab["covered_period"] == period)]


def set_lab(t, unit, period, col, value):
    t["lab_reports"].loc[_lab(t, unit, period), col] = value


def _month_end(period):
    return pd.Period(period, "M").end_time.normalize()


# -- one mutation per check: alters a copy of the clean tables, returns what must be flagged
def m_co2(t, g):
    scale_monthly(t, g["unit"], g["period"], "co2_t", 0.95)


def m_carbon(t, g):
    scale_monthly(t, g["unit"], g["period"], "carbon_ar_pct", 1.04)


def m_moisture(t, g):
    lab = t["lab_reports"]
    idx = _lab(t, g["unit"], g["period"])
    lab.loc[idx, "total_moisture_pct"] = lab.loc[idx, "total_moisture_pct"] + 6


def m_default_measured(t, g):
    set_monthly(t, g["unit"], g["period"], "cc_tc_per_gj", 0.03085)


def m_wrong_default(t, g):
    idx = _monthly(t, g["unit"], g["period"], "cc_tc_per_gj")
    t["monthly_parameters"].loc[idx, ["value", "source_code"]] = [0.03356, "default"]


def m_lab_col(col, value):
    def run(t, g):
        set_lab(t, g["unit"], g["period"], col, value)
    return run


def m_month(code, value=None, factor=None):
    def run(t, g):
        if factor is not None:
            scale_monthly(t, g["unit"], g["period"], code, factor)
        else:
            set_monthly(t, g["unit"], g["period"], code, value)
    return run


def m_own_use(t, g):
    gen = _value(t, g["unit"], g["period"], "generation_mwh")
    set_monthly(t, g["unit"], g["period"], "own_use_mwh", 0.2 * gen)
    set_monthly(t, g["unit"], g["period"], "supply_mwh", 0.8 * gen)


def m_capacity(t, g):
    hours = _value(t, g["unit"], g["period"], "operating_hours_h")
    cap = t["units"].set_index("unit_id").at[g["unit"], "capacity_mw"]
    set_monthly(t, g["unit"], g["period"], "generation_mwh", cap * hours * 1.2)


def m_load_factor(t, g):
    lf = _value(t, g["unit"], g["period"], "load_factor")
    set_monthly(t, g["unit"], g["period"], "load_factor", lf - 0.1)


def m_ncv(t, g):
    lab = t["lab_reports"]
    idx = _lab(t, g["unit"], g["period"])
    lab.loc[idx, "ncv_ar_gj_per_t"] = lab.loc[idx, "ncv_ar_gj_per_t"] + 1.0


def m_report_before(t, g):
    early = _month_end(g["period"]) - pd.Timedelta(5, "D")
    set_lab(t, g["unit"], g["period"], "report_date", early)


def m_report_late(t, g):
    late = _month_end(g["period"]) + pd.Timedelta(60, "D")
    set_lab(t, g["unit"], g["period"], "report_date", late)


def _renumber(t, unit, periods, prefix):
    lab = t["lab_reports"]
    for k, p in enumerate(periods):
        lab.loc[_lab(t, unit, p), "report_id"] = f"{prefix}{90000 + k:05d}"


def m_batch(t, g):
    """Four months renumbered back to back within the lab's own numbering, which meanwhile
    issued other reports: numbered together after the fact."""
    periods = [str(pd.Period(g["period"], "M") + k) for k in range(4)]
    own = t["lab_reports"].loc[_lab(t, g["unit"], periods[0]), "report_id"].iloc[0]
    _renumber(t, g["unit"], periods, own.rsplit("-", 1)[0] + "-")
    g["flag_period"] = periods[1]


def m_reuse(t, g):
    lab = t["lab_reports"]
    cols = ["carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
            "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t", "carbon_ar_pct"]
    src = lab.loc[_lab(t, g["unit"], g["period"]), cols].to_numpy()
    lab.loc[_lab(t, g["unit"], g["next"]), cols] = src
    g["flag_period"] = g["next"]


def m_sample(t, g):
    lab = t["lab_reports"]
    src = lab.loc[_lab(t, g["unit"], g["period"]), "sample_id"].iloc[0]
    lab.loc[_lab(t, g["unit"], g["next"]), "sample_id"] = src


def m_late(t, g):
    m = t["monthly_parameters"]
    sel = (m["unit_id"] == g["unit"]) & (m["period"] == g["period"])
    m.loc[sel, "submitted_at"] = _month_end(g["period"]) + pd.Timedelta(60, "D")


def m_drop_month(t, g):
    m = t["monthly_parameters"]
    t["monthly_parameters"] = m[~((m["unit_id"] == g["unit"]) & (m["period"] == g["period"]))]


def m_drop_param(t, g):
    m = t["monthly_parameters"]
    t["monthly_parameters"] = m.drop(_monthly(t, g["unit"], g["period"], "oxidation_rate"))


def m_revise_late(t, g):
    m = t["monthly_parameters"]
    row = m.loc[_monthly(t, g["unit"], g["period"], "coal_consumption_t")].copy()
    ev = t["review_events"]
    approved = ev[(ev["enterprise_id"] == g["enterprise"]) & (ev["period"] == g["period"])
                  & (ev["event_code"] == "approved")]["event_at"].max()
    row[["value", "revision", "submitted_at"]] = [row["value"].iloc[0] * 0.9,
                                                  row["revision"].iloc[0] + 1,
                                                  approved + pd.Timedelta(10, "D")]
    t["monthly_parameters"] = pd.concat([m, row], ignore_index=True)


def m_surrender(t, g):
    a = t["annual_reports"]
    sel = (a["enterprise_id"] == g["enterprise"]) & (a["year"] == 2023)
    a.loc[sel, "allowance_surrendered_t"] = a.loc[sel, "verified_co2_t"] * 0.8
    g["flag_period"], g["flag_unit"] = "2023", ""


def m_level(t, g):
    scale_monthly(t, g["unit"], g["period"], "cc_tc_per_gj", 0.85)


def m_heat(t, g):
    units = t["units"]
    m = t["monthly_parameters"]
    chp = units.loc[units["is_chp"], "unit_id"]
    heat = m[(m["parameter_code"] == "heat_supply_gj") & m["unit_id"].isin(chp) & (m["value"] > 0)]
    unit = sorted(heat["unit_id"].unique())[0]
    periods = sorted(heat.loc[heat["unit_id"] == unit, "period"])
    mid = periods[len(periods) // 2]
    for p in (mid, str(pd.Period(mid, "M") + 1)):
        scale_monthly(t, unit, p, "heat_supply_gj", 0.4)
    g.update(unit=unit, period=mid,
             enterprise=units.set_index("unit_id").at[unit, "enterprise_id"])


def m_peers(t, g):
    for p in sorted(set(t["monthly_parameters"]["period"])):
        if p.startswith("2024"):
            scale_monthly(t, g["unit"], p, "coal_consumption_t", 1.4)
    g["flag_period"] = "2024"


def m_regression(t, g):
    lab = t["lab_reports"]
    idx = _lab(t, g["unit"], g["period"])
    lab.loc[idx, "carbon_ar_pct"] = lab.loc[idx, "carbon_ar_pct"] - 8


def m_benford(t, g):
    m = t["monthly_parameters"]
    sel = m["parameter_code"] == "coal_consumption_t"
    m.loc[sel, "value"] = np.random.default_rng(0).uniform(50_000, 59_000, sel.sum())
    g["flag_period"], g["flag_unit"], g["flag_enterprise"] = "", "", ""


def m_round(t, g):
    m = t["monthly_parameters"]
    units = t["units"].loc[t["units"]["enterprise_id"] == g["enterprise"], "unit_id"]
    sel = (m["parameter_code"] == "coal_consumption_t") & m["unit_id"].isin(units)
    m.loc[sel, "value"] = (m.loc[sel, "value"] / 10).round() * 10
    g["flag_period"], g["flag_unit"] = "", ""


CASES = {
    "accounting.co2_recompute": m_co2,
    "accounting.carbon_identity": m_carbon,
    "accounting.basis_conversion": m_moisture,
    "accounting.filed_vs_report": m_carbon,
    "accounting.default_as_measured": m_default_measured,
    "accounting.default_value_by_year": m_wrong_default,
    "ranges.cc_tc_per_gj": m_month("cc_tc_per_gj", 0.019),
    "ranges.ncv_gj_per_t": m_month("ncv_gj_per_t", 29.0),
    "ranges.carbon_ar_pct": m_month("carbon_ar_pct", 76.0),
    "ranges.oxidation_rate": m_month("oxidation_rate", 0.85),
    "ranges.hydrogen_ad_pct": m_lab_col("hydrogen_ad_pct", 8.0),
    "ranges.sulfur_total_pct": m_lab_col("sulfur_total_pct", 5.0),
    "ranges.total_moisture_pct": m_lab_col("total_moisture_pct", 50.0),
    "ranges.supply_coal_gce_per_kwh": m_month("coal_consumption_t", factor=1.5),
    "ranges.own_use_rate": m_own_use,
    "ranges.operating_hours": m_month("operating_hours_h", 800.0),
    "ranges.load_factor": m_month("load_factor", 0.1),
    "consistency.gbt213_ncv": m_ncv,
    "consistency.energy_balance": m_month("supply_mwh", factor=1.05),
    "consistency.capacity_hours": m_capacity,
    "consistency.load_factor": m_load_factor,
    "consistency.daily_sum": m_month("coal_consumption_t", factor=0.85),
    "consistency.fuel_triangle": m_month("co2_t", factor=0.6),
    "evidence.date_order": m_report_before,
    "evidence.report_deadline": m_report_late,
    "evidence.batch_backtesting": m_batch,
    "evidence.result_reused": m_reuse,
    "evidence.sample_id_reused": m_sample,
    "evidence.accreditation": m_lab_col("lab_accreditation_no", None),
    "timeliness.late_deposit": m_late,
    "timeliness.missing_month": m_drop_month,
    "timeliness.missing_parameter": m_drop_param,
    "timeliness.revision_after_approval": m_revise_late,
    "timeliness.surrender_shortfall": m_surrender,
    "timeseries.unit_level_shift": m_level,
    "timeseries.heat_drop": m_heat,
    "timeseries.change": m_level,
    "peers.unit_vs_peers": m_peers,
    "peers.carbon_ncv_regression": m_regression,
    "digits.benford": m_benford,
    "digits.round_numbers": m_round,
}


def _benford_amounts(t):
    """Coal figures spread over orders of magnitude, as Benford's law expects of amounts."""
    m = t["monthly_parameters"]
    sel = m["parameter_code"] == "coal_consumption_t"
    m.loc[sel, "value"] = 10 ** np.random.default_rng(0).uniform(2, 6, sel.sum())


#: Checks whose clean case needs a population shaped for them (generated coal figures of one
#: province cluster by unit size, which is not a Benford population).
CLEAN_PREP = {"digits.benford": _benford_amounts}


def test_every_registered_check_has_a_case():
    """Power and all-sector checks here, the 2025 sectors' own in test_sector_checks."""
    from tests.checks.test_sector_checks import SECTOR_CHECKS

    select_checks()
    assert set(CASES) | SECTOR_CHECKS == set(REGISTRY)
    assert not set(CASES) & SECTOR_CHECKS


def _hits(flags: pd.DataFrame, g: dict) -> pd.DataFrame:
    if flags.empty:
        return flags
    flags = flags[~flags["evidence"].str.contains("not concluded")]
    when = flags["period"].where(flags["period"] != "", flags["year"].astype("string")).fillna("")
    sel = when == g.get("flag_period", g["period"])
    sel &= flags["unit_id"] == g.get("flag_unit", g["unit"])
    sel &= flags["enterprise_id"] == g.get("flag_enterprise", g["enterprise"])
    return flags[sel]


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_flags_the_altered_case(check_id, clean_tables, target, cfg):
    tables = copy.deepcopy(clean_tables)
    g = dict(target)
    CASES[check_id](tables, g)
    hits = _hits(_run(check_id, tables, cfg), g)
    assert len(hits), f"{check_id} missed the altered case"
    assert hits["message_zh"].str.len().gt(0).all() and hits["message_en"].str.len().gt(0).all()
    assert not hits["message_en"].str.contains(r"\{").any()


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_leaves_clean_data_alone(check_id, clean_tables, target, cfg):
    g = dict(target)
    CASES[check_id](copy.deepcopy(clean_tables), g)     # to learn where a flag would land
    tables = copy.deepcopy(clean_tables)
    CLEAN_PREP.get(check_id, lambda t: None)(tables)
    flags = _run(check_id, tables, cfg)
    assert _hits(flags, g).empty
    if REGISTRY[check_id].basis == "rule":
        assert flags.empty, f"{check_id} flags clean data:\n{flags.head()}"
    else:       # a statistical check may prompt on clean data, never critically on its own
        assert (flags["severity"] != "critical").all()


def test_back_to_back_numbers_of_a_lab_with_one_client_are_not_a_batch(clean_tables, target,
                                                                        cfg):
    """A lab that numbers only this unit's reports numbers them back to back: no contradiction
    with the lab's other reports, so no flag."""
    tables = copy.deepcopy(clean_tables)
    periods = [str(pd.Period(target["period"], "M") + k) for k in range(4)]
    _renumber(tables, target["unit"], periods, "LONECLIENT-2025-")
    assert _hits(_run("evidence.batch_backtesting", tables, cfg),
                 {**target, "flag_period": periods[1]}).empty


def test_benford_refuses_small_populations(clean_tables):
    flags = _run("digits.benford", copy.deepcopy(clean_tables), load_config())
    assert len(flags) and flags["evidence"].str.contains("not concluded").all()
    assert (flags["score"] == 0).all() and (flags["severity"] == "info").all()


def test_benford_classes():
    rng = np.random.default_rng(1)
    benford_like = pd.Series(10 ** rng.uniform(1, 6, 5000))
    assert benford_mad(benford_like, "first")[2] == "close"
    uniform = pd.Series(rng.uniform(50_000, 59_000, 5000))
    assert benford_mad(uniform, "first")[2] == "nonconformity"
    assert benford_mad(pd.Series([1.0, 5.0, 9.0]), "first")[1] == 0   # only values >= 10
