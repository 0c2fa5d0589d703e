"""Every check of the 2025 sectors: a case that must flag and a case that must not.

The clean case is the sector generator's province scale (15 steel works, 25 cement plants,
5 aluminium smelters in 江苏, 12 months, no injected problems); the flag case alters one
facility-month of it the way the check's rule describes.  Deterministic checks must be
silent on clean data (or skipped, saying so, where the clean data do not file what they
read); statistical ones must at least leave the target alone.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from workbench.checks import sector_bands
from workbench.checks.inputs import build_inputs
from workbench.checks.registry import REGISTRY
from workbench.config import load_config
from workbench.factors import fuel_defaults
from workbench.samples.sectors import generate_sectors
from workbench.screen import run_checks, select_checks

PERIODS = [f"2024-{m:02d}" for m in range(1, 13)]
PERIOD = "2024-06"
TABLES = ("enterprises", "units", "monthly_parameters", "lab_reports")

pytestmark = pytest.mark.xdist_group("sector_checks")


def _clean(scale: str) -> dict:
    out = generate_sectors(scale, 7, PERIODS, problem_rate=0.0)
    return {k: out[k] for k in TABLES}


@pytest.fixture(scope="module")
def clean():
    """The province scale: works with and without coke ovens, lines with default and with
    measured EFs, several potlines."""
    return _clean("province")


@pytest.fixture(scope="module")
def cfg():
    return load_config()


def _value(t: dict, unit: str, code: str, period: str = PERIOD) -> float:
    m = t["monthly_parameters"]
    sel = (m["unit_id"] == unit) & (m["period"] == period) & (m["parameter_code"] == code)
    return float(m.loc[sel].sort_values("revision")["value"].iloc[-1])


def _set(t: dict, unit: str, code: str, value: float, period: str = PERIOD) -> None:
    """Set the latest revision of a facility-month's parameter (adding the row if absent)."""
    m = t["monthly_parameters"]
    sel = (m["unit_id"] == unit) & (m["period"] == period) & (m["parameter_code"] == code)
    if sel.any():
        idx = m.index[sel & (m["revision"] == m.loc[sel, "revision"].max())]
        m.loc[idx, "value"] = value
        return
    like = m[(m["unit_id"] == unit) & (m["period"] == period)].iloc[[0]].copy()
    like["parameter_code"], like["value"], like["source_code"] = code, value, "measured"
    like["report_id"] = pd.NA
    t["monthly_parameters"] = pd.concat([m, like], ignore_index=True)


def _scale(t: dict, unit: str, code: str, factor: float, period: str = PERIOD) -> None:
    _set(t, unit, code, _value(t, unit, code, period) * factor, period)


def _units(t: dict, kind: str) -> list[str]:
    u = t["units"]
    return sorted(u.loc[u["unit_category_code"] == kind, "unit_id"])


def _works_with(t: dict, kind: str) -> str:
    """The enterprise-level facility of a steel works that has a facility of ``kind``."""
    u = t["units"]
    ents = set(u.loc[u["unit_category_code"] == kind, "enterprise_id"])
    ent = u[(u["unit_category_code"] == "steel_enterprise") & u["enterprise_id"].isin(ents)]
    return sorted(ent["unit_id"])[0]


def _sibling(t: dict, unit: str, kind: str) -> str:
    u = t["units"].set_index("unit_id")
    e = u.at[unit, "enterprise_id"]
    return sorted(u.index[(u["enterprise_id"] == e) & (u["unit_category_code"] == kind)])[0]


def _line(t: dict, measured: bool) -> str:
    m = t["monthly_parameters"]
    ef = m[(m["parameter_code"] == "ef_clinker_tco2_per_t") & (m["period"] == PERIOD)]
    want = ef["source_code"].isin(["measured", "calculated"]) == measured
    return sorted(ef.loc[want, "unit_id"])[0]


def steel_ent(t):
    return _works_with(t, "ironmaking")


def coking_ent(t):
    return _works_with(t, "coking")


def potline(t):
    return _units(t, "potline")[0]


# -- the altered cases: check id -> function(tables) returning the facility it altered ------


def _gas(t):
    bf = _sibling(t, steel_ent(t), "ironmaking")
    gen = _value(t, bf, "bfg_generated_1e4nm3")
    _set(t, bf, "bfg_exported_1e4nm3", _value(t, bf, "bfg_exported_1e4nm3") + 0.15 * gen)
    return bf


def _default_cc(t):
    unit = steel_ent(t)
    for period in PERIODS[3:6]:              # three months on the default: critical
        _set(t, unit, "bituminous_coal_cc_tc_per_gj",
             fuel_defaults(load_config(), "bituminous_coal")["cc"], period)
    return unit


def _filed_cao(t):
    line = _line(t, measured=True)
    _set(t, line, "cao_clinker_pct", _value(t, line, "cao_clinker_pct") - 8.0)
    return line


def _carbide(t):
    line = _line(t, measured=False)
    _set(t, line, "carbide_slag_t", 0.2 * _value(t, line, "raw_meal_feed_t"))
    return line


def _deductions(t):
    line = _line(t, measured=False)
    _set(t, line, "steel_slag_t", 0.25 * _value(t, line, "clinker_output_t"))
    return line


def _stock(t):
    line = _line(t, measured=False)
    _scale(t, line, "clinker_closing_stock_t", 0.5)
    return line


def _scaled(unit_of, code, factor):
    def alter(t):
        unit = unit_of(t)
        _scale(t, unit, code, factor)
        return unit
    return alter


def _fixed(unit_of, code, value):
    def alter(t):
        unit = unit_of(t)
        _set(t, unit, code, value)
        return unit
    return alter


def _bf(t):
    return _sibling(t, steel_ent(t), "ironmaking")


def _bof(t):
    """The converter of a BF-BOF works without an EAF."""
    u = t["units"]
    eaf = set(u.loc[u["unit_category_code"] == "eaf", "enterprise_id"])
    bf = set(u.loc[u["unit_category_code"] == "ironmaking", "enterprise_id"])
    bof = u[(u["unit_category_code"] == "bof") & u["enterprise_id"].isin(bf - eaf)]
    return sorted(bof["unit_id"])[0]


def _measured_line(t):
    return _line(t, True)


def _default_line(t):
    return _line(t, False)


def _smelter(t):
    return _units(t, "aluminium_enterprise")[0]


CASES = {
    "accounting.steel_enterprise_identity": _scaled(steel_ent, "co2_t", 1.05),
    "consistency.crude_steel_sum": _scaled(steel_ent, "crude_steel_output_t", 1.10),
    "consistency.steel_carbon_products": _scaled(coking_ent, "coal_tar_output_t", 2.0),
    "consistency.steel_gas_balance": _gas,
    "consistency.steel_inputs_sum": _scaled(steel_ent, "bituminous_coal_consumption_t", 0.9),
    "accounting.sector_default_as_measured": _default_cc,
    "accounting.clinker_line_identity": _scaled(_default_line, "co2_t", 1.05),
    "accounting.clinker_ef_chemistry": _scaled(_measured_line, "ef_clinker_tco2_per_t", 0.93),
    "accounting.clinker_ef_default": _fixed(_default_line, "ef_clinker_tco2_per_t", 0.52),
    "consistency.clinker_stock_carry": _stock,
    "evidence.sector_filed_vs_report": _filed_cao,
    "accounting.anode_co2_identity": _scaled(potline, "co2_t", 1.05),
    "accounting.pfc_identity": _scaled(potline, "pfc_co2e_t", 0.5),
    "accounting.net_anode_identity": _scaled(potline, "anode_net_consumption_t_per_t", 0.9),
    "consistency.current_efficiency": _scaled(potline, "liquid_al_output_t", 1.05),
    "consistency.ac_below_dc": _scaled(potline, "electrolysis_ac_electricity_mwh", 0.9),
    "accounting.smelter_identity": _scaled(_smelter, "co2_t", 1.05),
    "timeseries.sector_own_history": _scaled(potline, "electrolysis_ac_electricity_mwh", 1.15),
    # bands
    "ranges.steel_intensity_t_per_t": _scaled(steel_ent, "co2_t", 0.5),
    "ranges.metallic_yield": _scaled(steel_ent, "crude_steel_output_t", 1.2),
    "ranges.coke_rate_kg_per_t_hm": _scaled(_bf, "coke_consumption_t", 1.5),
    "ranges.bfg_nm3_per_t_hm": _scaled(_bf, "bfg_generated_1e4nm3", 1.5),
    "ranges.hot_metal_per_bof_steel": _scaled(_bof, "bof_steel_output_t", 0.8),
    "ranges.tar_yield": _scaled(coking_ent, "coal_tar_output_t", 2.0),
    "ranges.benzene_yield": _scaled(coking_ent, "crude_benzene_output_t", 2.0),
    "ranges.clinker_intensity_t_per_t": _scaled(_default_line, "co2_t", 1.2),
    "ranges.kiln_heat_gj_per_t": _scaled(_default_line, "coal_consumption_t", 1.4),
    "ranges.raw_meal_ratio": _scaled(_default_line, "raw_meal_feed_t", 1.2),
    "ranges.cao_clinker_pct": _fixed(_measured_line, "cao_clinker_pct", 58.0),
    "ranges.mgo_clinker_pct": _fixed(_measured_line, "mgo_clinker_pct", 6.0),
    "ranges.ef_measured_tco2_per_t": _fixed(_measured_line, "ef_clinker_tco2_per_t", 0.47),
    "ranges.capacity_use": _scaled(_default_line, "clinker_output_t", 1.35),
    "ranges.clinker_factor": _scaled(_default_line, "cement_output_t", 0.6),
    "ranges.deduction_share": _deductions,
    "ranges.carbide_share": _carbide,
    "ranges.ac_kwh_per_t": _scaled(potline, "electrolysis_ac_electricity_mwh", 1.1),
    "ranges.ce_implied_pct": _scaled(potline, "liquid_al_output_t", 1.1),
    "ranges.net_anode_t_per_t": _scaled(potline, "anode_net_consumption_t_per_t", 0.85),
    "ranges.s_plus_ash_pct": _fixed(potline, "anode_sulfur_pct", 3.5),
    "ranges.aem_min_per_cell_day": _fixed(potline, "aem_min_per_cell_day", 0.002),
    "ranges.alumina_t_per_t": _scaled(potline, "alumina_consumption_t", 0.9),
    "ranges.aluminium_intensity_t_per_t": _scaled(potline, "co2_t", 1.3),
}
#: Cases that break a rule outright: their flags must be critical.
CRITICAL_CASES = {"accounting.steel_enterprise_identity", "consistency.crude_steel_sum",
                  "consistency.steel_carbon_products", "consistency.steel_gas_balance",
                  "consistency.steel_inputs_sum", "accounting.sector_default_as_measured",
                  "accounting.clinker_line_identity", "accounting.clinker_ef_chemistry",
                  "accounting.clinker_ef_default", "consistency.clinker_stock_carry",
                  "evidence.sector_filed_vs_report", "accounting.anode_co2_identity",
                  "accounting.pfc_identity", "accounting.net_anode_identity",
                  "consistency.ac_below_dc", "accounting.smelter_identity",
                  "ranges.metallic_yield", "ranges.ce_implied_pct", "ranges.clinker_factor",
                  "ranges.capacity_use"}
#: Population checks: a case of their own on the province scale (test_peers_...).
POPULATION_CHECKS = {"peers.sector_peers"}
STATISTICAL = {"timeseries.sector_own_history"}
SECTOR_CHECKS = set(CASES) | POPULATION_CHECKS


def _run(check_id: str, tables: dict, cfg: dict, may_skip: bool = False) -> pd.DataFrame:
    select_checks()
    flags, log = run_checks(build_inputs(tables), cfg, [REGISTRY[check_id]])
    if may_skip and check_id in log.skipped:      # the data do not file what it reads
        missing = log.skipped[check_id]
        x = build_inputs(tables)
        assert missing and not any(x.has(n) for n in missing), missing
        return flags
    assert check_id not in log.skipped, f"{check_id} would be skipped"
    return flags


def test_every_sector_check_has_a_case():
    select_checks()
    sector_only = {cid for cid, c in REGISTRY.items() if "power" not in c.sectors}
    assert sector_only == SECTOR_CHECKS
    assert {f"ranges.{b.quantity}" for b in sector_bands.BANDS} <= set(CASES)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_sector_check_flags_the_altered_case(check_id, clean, cfg):
    tables = copy.deepcopy(clean)
    unit = CASES[check_id](tables)
    flags = _run(check_id, tables, cfg)
    hits = flags[(flags["unit_id"] == unit) & (flags["period"] == PERIOD)]
    assert len(hits), f"{check_id} missed the altered {unit} {PERIOD}"
    assert hits["message_zh"].str.len().gt(0).all()
    if check_id in CRITICAL_CASES:
        assert (hits["severity"] == "critical").all(), hits["severity"].tolist()
    assert not hits["message_en"].str.contains(r"\{").any()


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_sector_check_is_silent_on_clean_data(check_id, clean, cfg):
    flags = _run(check_id, copy.deepcopy(clean), cfg, may_skip=True)
    if check_id in STATISTICAL:
        unit = CASES[check_id](copy.deepcopy(clean))
        flags = flags[(flags["unit_id"] == unit) & (flags["period"] == PERIOD)]
    assert flags.empty, flags[["unit_id", "period", "parameter_code", "observed"]].head()


def test_peers_flag_a_line_far_from_its_type(clean, cfg):
    tables = copy.deepcopy(clean)
    line = _line(tables, measured=False)
    for period in PERIODS:                   # a year of CO2 a third above its own
        _scale(tables, line, "co2_t", 1.35, period)
    flags = _run("peers.sector_peers", tables, cfg)
    assert ((flags["unit_id"] == line) & (flags["period"] == "")
            & (flags["year"] == 2024)).any()
    clean_flags = _run("peers.sector_peers", copy.deepcopy(clean), cfg)
    assert not (clean_flags["unit_id"] == line).any()


def test_one_month_on_the_fuel_default_is_a_warning_three_are_critical(clean, cfg):
    tables = copy.deepcopy(clean)
    unit = steel_ent(tables)
    default = fuel_defaults(cfg, "bituminous_coal")["cc"]
    _set(tables, unit, "bituminous_coal_cc_tc_per_gj", default)
    flags = _run("accounting.sector_default_as_measured", tables, cfg)
    assert flags["severity"].tolist() == ["warning"]


def test_a_material_left_out_of_the_enterprise_level_is_critical(clean, cfg):
    """Scrap the converter charges but the enterprise level files as 0: its carbon is
    missing from the works' balance."""
    tables = copy.deepcopy(clean)
    ent = steel_ent(tables)
    _set(tables, ent, "scrap_t", 0.0)
    flags = _run("consistency.steel_inputs_sum", tables, cfg)
    assert flags[["unit_id", "period", "parameter_code", "severity"]].values.tolist() == [
        [ent, PERIOD, "scrap_t", "critical"]]


def test_a_gas_balance_names_every_facility_of_the_balance(clean, cfg):
    tables = copy.deepcopy(clean)
    bf = _gas(tables)
    flags = _run("consistency.steel_gas_balance", tables, cfg)
    u = tables["units"].set_index("unit_id")
    m = tables["monthly_parameters"]
    ent = u.at[bf, "enterprise_id"]
    burners = set(m.loc[(m["period"] == PERIOD) & m["parameter_code"].str.startswith("bfg_")
                        & m["unit_id"].isin(u.index[u["enterprise_id"] == ent]), "unit_id"])
    assert set(flags["unit_id"]) == burners and len(burners) >= 3
    assert flags["evidence"].nunique() == 1


def test_a_steel_identity_with_a_line_item_missing_is_not_judged(clean, cfg):
    """A works whose export lacks its tar and benzene this month (its coke ovens file them):
    E_ent cannot be recomputed, so no flag (never a zero deduction)."""
    tables = copy.deepcopy(clean)
    ent = coking_ent(tables)
    m = tables["monthly_parameters"]
    tables["monthly_parameters"] = m[~((m["unit_id"] == ent) & (m["period"] == PERIOD)
                                       & m["parameter_code"].isin(["coal_tar_output_t",
                                                                   "crude_benzene_output_t"]))]
    flags = _run("accounting.steel_enterprise_identity", tables, cfg)
    assert flags.empty


def test_a_steel_works_of_purchased_iron_gets_no_route_band(clean, cfg):
    """A converter shop without a blast furnace is neither BF-BOF nor EAF: its low direct
    intensity is not judged against the BF-BOF band."""
    tables = copy.deepcopy(clean)
    ent = steel_ent(tables)
    bf = _sibling(tables, ent, "ironmaking")
    m = tables["monthly_parameters"]
    tables["monthly_parameters"] = m[~((m["unit_id"] == bf)
                                       & (m["parameter_code"] == "hot_metal_output_t"))]
    _scale(tables, ent, "co2_t", 0.2)
    flags = _run("ranges.steel_intensity_t_per_t", tables, cfg)
    assert not (flags["unit_id"] == ent).any()


def test_a_missing_parameter_means_not_checked_never_a_crash(clean, cfg):
    """A partial export (no potline electricity, no clinker stocks) skips those checks and
    says which enterprises were not checked."""
    tables = copy.deepcopy(clean)
    m = tables["monthly_parameters"]
    tables["monthly_parameters"] = m[~m["parameter_code"].isin(
        ["electrolysis_ac_electricity_mwh", "clinker_closing_stock_t"])]
    select_checks()
    checks = [REGISTRY[c] for c in ("consistency.ac_below_dc", "consistency.clinker_stock_carry",
                                    "ranges.ac_kwh_per_t", "accounting.anode_co2_identity")]
    flags, log = run_checks(build_inputs(tables), cfg, checks)
    assert {"consistency.ac_below_dc", "consistency.clinker_stock_carry",
            "ranges.ac_kwh_per_t"} <= set(log.skipped)
    assert "accounting.anode_co2_identity" not in log.skipped
    assert flags.empty
