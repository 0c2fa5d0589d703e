"""The sector validation set (benchmarks/realset_sectors): deterministic, fully imported,
clean rows satisfying the accounting identities and physical balances, every injected
kind changing what its truth rows name, partial exports recorded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.realset_sectors.conftest import PROBLEM_RATE, SEED, SIZES
from workbench import factors as F
from workbench.accounting import aluminium as al
from workbench.accounting import cement as cm
from workbench.accounting import steel as st
from workbench.accounting.common import fuel_co2_t
from workbench.config import load_config
from workbench.dataset import Dataset

pytestmark = pytest.mark.xdist_group("realset_sectors")

TOL = 0.011                      # t: co2 is filed to 0.01 t


@pytest.fixture(scope="module")
def built(real: Path, tmp_path_factory) -> Path:
    from benchmarks.realset_sectors import build

    out = tmp_path_factory.mktemp("rs_sectors") / "a"
    build.build(real, out, SEED, PROBLEM_RATE, SIZES)
    return out


@pytest.fixture(scope="module")
def data(built: Path) -> dict:
    ds = Dataset(built / "dataset")
    m = ds.read("monthly_parameters")
    units = ds.read("units")
    truth = pd.read_csv(built / "dataset" / "truth.csv", dtype=str, keep_default_na=False)
    w = m.pivot_table(index=["unit_id", "period"], columns="parameter_code", values="value")
    w = w.reset_index().merge(units[["unit_id", "enterprise_id", "unit_category_code"]],
                              on="unit_id")
    w["clean"] = ~w["enterprise_id"].isin(set(truth["enterprise_id"]))
    return {"ds": ds, "m": m, "units": units, "truth": truth, "w": w,
            "labs": ds.read("lab_reports"),
            "summary": json.loads((built / "build.json").read_text(encoding="utf-8"))}


def _g(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].fillna(0.0) if col in df else pd.Series(0.0, index=df.index)


def test_same_seed_same_bytes(real: Path, built: Path, tmp_path: Path) -> None:
    from benchmarks.realset_sectors import build

    other = tmp_path / "b"
    build.build(real, other, SEED, PROBLEM_RATE, SIZES)
    for name in ("企业信息.csv", "排放设施.csv", "检测报告.csv", "月度存证.csv"):
        assert (built / "exports" / name).read_bytes() == (other / "exports" / name).read_bytes()
    assert ((built / "dataset" / "truth.csv").read_bytes()
            == (other / "dataset" / "truth.csv").read_bytes())
    assert (built / "build.json").read_bytes() == (other / "build.json").read_bytes()


def test_nothing_quarantined(built: Path, data: dict) -> None:
    s = data["summary"]
    assert s["imported"] == {"enterprises": s["exports"]["企业信息.csv"],
                             "units": s["exports"]["排放设施.csv"],
                             "lab_reports": s["exports"]["检测报告.csv"],
                             "monthly_parameters": s["exports"]["月度存证.csv"]}
    q = built / "dataset" / "quarantine"
    assert not q.exists() or not any(q.rglob("*.csv"))
    assert set(data["m"]["period"]) == {f"2024-{k:02d}" for k in range(1, 13)}


def test_every_kind_injected(data: dict) -> None:
    from benchmarks.realset_sectors import aluminium, cement, steel

    kinds = set(data["truth"]["kind"])
    for k in (*steel.KINDS, *cement.KINDS, *aluminium.KINDS):
        assert k in kinds, k
    t = data["truth"]
    # one kind per enterprise: problem enterprise-months are disjoint between kinds
    assert (t.groupby("enterprise_id")["kind"].nunique() == 1).all()


def test_steel_clean_identities(data: dict) -> None:
    cfg = load_config()
    sf = F.factors(cfg, "steel")
    w = data["w"]
    ent = w[(w["unit_category_code"] == "steel_enterprise") & w["clean"]].copy()
    fuels = ("cleaned_coal", "bituminous_coal", "anthracite", "coke", "diesel")
    e_fuel = sum(st.fuel_co2_t(_g(ent, f"{f}_consumption_t"), _g(ent, f"{f}_ncv_gj_per_t"),
                               _g(ent, f"{f}_cc_tc_per_gj")) for f in fuels)
    e_proc = st.process_material_co2_t(
        {"limestone": _g(ent, "limestone_t"), "dolomite": _g(ent, "dolomite_t"),
         "electrode": _g(ent, "electrode_t"), "scrap": _g(ent, "scrap_t"),
         "pig_iron": _g(ent, "purchased_pig_iron_t")}, sf)
    r_prod = st.product_deduction_t(
        {"crude_steel": _g(ent, "crude_steel_output_t"),
         "crude_benzene": _g(ent, "crude_benzene_output_t"),
         "coal_tar": _g(ent, "coal_tar_output_t")}, sf)
    partial = {p["enterprise_id"] for p in data["summary"]["sectors"]["steel"]["partial"]
               if p["what"] == "no_tar_benzene"}
    ok = ~ent["enterprise_id"].isin(partial)
    resid = (ent["co2_t"] - st.enterprise_co2_t(e_fuel, e_proc, r_prod))[ok]
    assert len(resid) > 0 and resid.abs().max() < TOL
    # crude steel = BOF + EAF
    proc = w[w["unit_category_code"].isin(["bof", "eaf"]) & w["clean"]]
    s = proc.groupby(["enterprise_id", "period"])[["bof_steel_output_t",
                                                   "eaf_steel_output_t"]].sum().sum(axis=1)
    cs = ent.set_index(["enterprise_id", "period"])["crude_steel_output_t"]
    assert (cs - s.reindex(cs.index)).abs().max() < 0.02
    # intensity by route within the notes' bands
    has = w.groupby("enterprise_id")["unit_category_code"].agg(set)
    bf_bof = {e for e, k in has.items() if "ironmaking" in k and "eaf" not in k}
    eaf_only = {e for e, k in has.items() if "ironmaking" not in k}
    i = ent["co2_t"] / ent["crude_steel_output_t"]
    assert i[ent["enterprise_id"].isin(bf_bof)].between(1.2, 2.4).all()
    assert i[ent["enterprise_id"].isin(eaf_only)].between(0.04, 0.4).all()
    assert i.between(0.04, 2.4).all()                  # works with both routes in between
    # by-product gas balance: generated = consumed + exported + flared within 1 %
    for gas in ("cog", "bfg", "ldg"):
        g = w[w["clean"]].groupby(["enterprise_id", "period"]).agg(
            gen=(f"{gas}_generated_1e4nm3", "sum"), cons=(f"{gas}_consumption_1e4nm3", "sum"),
            exp=(f"{gas}_exported_1e4nm3", "sum"), fl=(f"{gas}_flared_1e4nm3", "sum"))
        g = g[g["gen"] > 0]
        nopart = ~g.index.get_level_values(0).isin(
            {p["enterprise_id"] for p in data["summary"]["sectors"]["steel"]["partial"]
             if p["what"] in ("no_captive_power_rows", "no_bfg_flared")})
        g = g[nopart]
        assert ((g["gen"] - g["cons"] - g["exp"] - g["fl"]).abs() <= 0.0101 * g["gen"]).all()


def test_steel_enterprise_rows_are_site_totals(data: dict) -> None:
    """Materials and external fuels on the enterprise facility = the sum over the
    processes that use them; purchased coke = coke charged to the BF − own coke."""
    w = data["w"]
    gone = {p["enterprise_id"] for p in data["summary"]["sectors"]["steel"]["partial"]
            if p["what"] == "no_captive_power_rows"}
    w = w[w["clean"] & ~w["enterprise_id"].isin(gone)]
    ent = w[w["unit_category_code"] == "steel_enterprise"].set_index(["enterprise_id",
                                                                       "period"])
    proc = w[w["unit_category_code"] != "steel_enterprise"].groupby(
        ["enterprise_id", "period"]).sum(numeric_only=True).reindex(ent.index).fillna(0.0)
    for code in ("limestone_t", "dolomite_t", "scrap_t", "electrode_t", "purchased_pig_iron_t",
                 "anthracite_consumption_t", "bituminous_coal_consumption_t",
                 "cleaned_coal_consumption_t"):
        a = _g(ent, code)
        b = _g(proc, code)
        assert ((a - b).abs() <= 0.011 * 4).all(), code
    coke = _g(proc, "coke_consumption_t") - _g(proc, "coke_output_t")
    assert ((_g(ent, "coke_consumption_t") - coke).abs() <= 0.03).all()


def test_cement_clean_identities(data: dict) -> None:
    cfg = load_config()
    df = {k.removeprefix("df_"): v for k, v in F.factors(cfg, "cement", kind="deduction").items()}
    w = data["w"]
    cl = w[(w["unit_category_code"] == "clinker_line") & w["clean"]].copy()
    e_fuel = fuel_co2_t(_g(cl, "coal_consumption_t"), cl["ncv_gj_per_t"], cl["cc_tc_per_gj"],
                        cl["oxidation_rate"])
    e_alt = cm.alt_fuel_co2_t(_g(cl, "alt_fuel_t"), _g(cl, "alt_fuel_ncv_gj_per_t"),
                              _g(cl, "alt_fuel_cc_tc_per_gj"), cl["oxidation_rate"],
                              _g(cl, "alt_fuel_biomass_pct") / 100)
    ded = cm.substitutes_deduction_t({"carbide_slag": _g(cl, "carbide_slag_t"),
                                      "steel_slag": _g(cl, "steel_slag_t")}, df)
    e = cm.clinker_co2_t(e_fuel, e_alt, cm.clinker_process_co2_t(
        cl["clinker_output_t"], cl["ef_clinker_tco2_per_t"], ded))
    assert (cl["co2_t"] - e).abs().max() < TOL
    # measured EF = chemistry
    meas = cl.dropna(subset=["cao_clinker_pct"])
    assert len(meas) > 0
    ef = cm.clinker_ef_from_oxides(meas["cao_clinker_pct"], meas["mgo_clinker_pct"])
    assert (meas["ef_clinker_tco2_per_t"] - ef).abs().max() < 6e-5
    # stock carried month to month, and never negative
    cl = cl.sort_values(["unit_id", "period"])
    prev = cl.groupby("unit_id")["clinker_closing_stock_t"].shift()
    assert ((cl["clinker_opening_stock_t"] - prev).abs().dropna() < 1e-6).all()
    assert (cl["clinker_closing_stock_t"] >= 0).all()
    # within the month: closing = opening + output + purchased − sold − ground (≥ 0)
    ground = (cl["clinker_opening_stock_t"] + cl["clinker_output_t"]
              + _g(cl, "clinker_purchased_t") - _g(cl, "clinker_sold_t")
              - cl["clinker_closing_stock_t"])
    assert (ground > -0.02).all()
    run = cl[cl["clinker_output_t"] > 0]
    i = run["co2_t"] / run["clinker_output_t"]
    assert i.between(0.70, 0.92).all()
    ratio = run["raw_meal_feed_t"] / run["clinker_output_t"]
    assert ratio.dropna().between(1.48, 1.67).all()
    # filed NCV and carbon are those of the linked coal report
    labs = data["labs"].set_index("report_id")
    m = data["m"]
    ncv = m[(m["parameter_code"] == "ncv_gj_per_t") & (m["report_id"].fillna("") != "")]
    assert (ncv["value"].to_numpy() - labs.loc[ncv["report_id"], "ncv_ar_gj_per_t"]
            .to_numpy() == 0).all()
    cc = m[(m["parameter_code"] == "cc_tc_per_gj") & (m["report_id"].fillna("") != "")]
    rep = labs.loc[cc["report_id"]]
    expect = (rep["carbon_ar_pct"] / 100 / rep["ncv_ar_gj_per_t"]).round(5).to_numpy()
    assert np.abs(cc["value"].to_numpy() - expect).max() < 1e-9


def test_reports_precede_deposits(data: dict) -> None:
    """A monthly row citing a report is deposited after the report was issued, within 40
    days of month end; every cited report exists and covers the row's month and unit."""
    m = data["m"]
    labs = data["labs"].set_index("report_id")
    cited = m[m["report_id"].fillna("") != ""]
    assert cited["report_id"].isin(labs.index).all()
    rep = labs.loc[cited["report_id"]]
    assert (rep["report_date"].to_numpy() < cited["submitted_at"].to_numpy()).all()
    assert (rep["covered_period"].to_numpy() == cited["period"].to_numpy()).all()
    unit = rep["unit_id"].fillna("").to_numpy()
    assert ((unit == "") | (unit == cited["unit_id"].to_numpy())).all()
    end = pd.PeriodIndex(m["period"], freq="M").end_time
    lag = (m["submitted_at"].to_numpy() - end.to_numpy()) / np.timedelta64(1, "D")
    assert lag.max() < 40


def test_aluminium_clean_identities(data: dict) -> None:
    cfg = load_config()
    af, gwp = F.factors(cfg, "aluminium"), F.gwp(cfg)
    w = data["w"]
    pl = w[(w["unit_category_code"] == "potline") & w["clean"]].copy()
    co2 = al.anode_co2_t(pl["liquid_al_output_t"], pl["anode_net_consumption_t_per_t"],
                         pl["anode_sulfur_pct"], pl["anode_ash_pct"])
    assert (pl["co2_t"] - co2).abs().max() < TOL
    pfc = al.pfc_co2e_slope_t(pl["liquid_al_output_t"], pl["aem_min_per_cell_day"],
                              af["sef_cf4"], af["c2f6_cf4_ratio"], gwp["cf4"], gwp["c2f6"])
    assert ((pl["pfc_co2e_t"] - pfc).abs() <= 0.002 * pfc + 0.01).all()
    hours = pl["period"].map(lambda p: pd.Period(p).days_in_month * 24)
    ce = al.current_efficiency_pct(pl["liquid_al_output_t"], pl["line_current_ka"],
                                   pl["cells_in_operation"], hours)
    assert ce.between(90.0, 95.0001).all()
    assert (ce - pl["current_efficiency_pct"]).abs().max() < 0.01
    ac = al.ac_electricity_kwh_per_t(pl["electrolysis_ac_electricity_mwh"],
                                     pl["liquid_al_output_t"])
    assert ac.between(12900, 13800).all()
    nc = al.net_anode_consumption_t_per_t(pl["anode_gross_consumption_t"],
                                          pl["anode_butts_returned_t"], pl["liquid_al_output_t"])
    assert ((nc - pl["anode_net_consumption_t_per_t"]).abs().dropna() < 1e-4).all()
    # enterprise = natural gas + Σ potline CO2 and PFC + limestone
    ent = w[(w["unit_category_code"] == "aluminium_enterprise") & w["clean"]].set_index(
        ["enterprise_id", "period"])
    lines = pl.groupby(["enterprise_id", "period"])[["co2_t", "pfc_co2e_t"]].sum().sum(axis=1)
    fuel = al.fuel_co2_t(ent["gas_consumption_knm3"], ent["ncv_gj_per_knm3"],
                         ent["cc_tc_per_gj"], ent["oxidation_rate"])
    lime = ent["limestone_t"] * F.factor(cfg, "carbonates", "limestone")
    e = al.enterprise_co2e_t(fuel, lines.reindex(ent.index), 0.0, lime)
    assert (ent["co2_t"] - e).abs().max() < 0.05
    assert al.intensity_tco2e_per_t_al(ent["co2_t"], lines.reindex(ent.index) * 0 +
                                       pl.groupby(["enterprise_id", "period"])
                                       ["liquid_al_output_t"].sum().reindex(ent.index)
                                       ).between(1.45, 1.9).all()


def test_each_kind_changes_what_it_claims(real: Path, data: dict) -> None:
    from benchmarks.realset_sectors import build

    clean = build.generate(real, SEED, 0.0, SIZES).tables["monthly_parameters"]
    dirty = build.generate(real, SEED, PROBLEM_RATE, SIZES)
    d = dirty.tables["monthly_parameters"]
    key = ["unit_id", "period", "parameter_code"]
    both = d.merge(clean, on=key, how="left", suffixes=("", "_clean"))
    t = dirty.truth.merge(both, on=key, how="left")
    assert t["value"].notna().all()                      # every truth row is in the export
    has_clean = t["value_clean"].notna()
    changed = (t["value"] != t["value_clean"]) | (t["source_code"] != t["source_code_clean"])
    assert changed[has_clean].all(), t[has_clean & ~changed].head()
    # enterprises without problems file exactly what the clean twin files
    problem_units = set(dirty.tables["units"].loc[dirty.tables["units"]["enterprise_id"]
                                                   .isin(set(dirty.truth["enterprise_id"])),
                                                   "unit_id"])
    rest = both[~both["unit_id"].isin(problem_units) & both["value_clean"].notna()]
    assert (rest["value"] == rest["value_clean"]).all()
    # the truth is what is in the dataset
    assert dirty.truth.reset_index(drop=True).equals(
        data["truth"].astype(dirty.truth.dtypes.to_dict()).reset_index(drop=True))


def test_partial_exports_recorded(data: dict) -> None:
    m = data["m"]
    units = data["units"]
    seen = set(zip(m["unit_id"], m["parameter_code"], strict=True))
    n = 0
    for sector in ("steel", "cement", "aluminium"):
        part = data["summary"]["sectors"][sector]["partial"]
        assert part, sector
        for p in part:
            assert p["unit_id"] in set(units["unit_id"])
            for code in p["parameters"]:
                assert (p["unit_id"], code) not in seen, (sector, p)
                n += 1
    assert n > 0
    # a facility whose rows are all missing is still in the facilities export
    gone = [p["unit_id"] for p in data["summary"]["sectors"]["steel"]["partial"]
            if p["what"] == "no_captive_power_rows"]
    for u in gone:
        assert u in set(units["unit_id"]) and u not in set(m["unit_id"])
    # partial enterprises carry no injected problem
    problem = set(data["truth"]["enterprise_id"])
    for sector in ("steel", "cement", "aluminium"):
        assert not {p["enterprise_id"] for p in data["summary"]["sectors"][sector]["partial"]} \
            & problem


def test_sources_and_sizes(data: dict) -> None:
    s = data["summary"]
    assert set(s["sources"]) == {"gem_steel_plants_china.csv",
                                 "aluminium_capacity_by_province.csv"}
    for v in s["sources"].values():
        assert len(v["sha256"]) == 64
    for sector, n in SIZES.items():
        assert s["sectors"][sector]["enterprises"] == n
    assert np.isclose(s["problem_rate"], PROBLEM_RATE)
