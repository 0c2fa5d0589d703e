"""The sector sample generator (issue 13 §3): deterministic, every table in the contract,
clean data obey the physics and the accounting formulas, each injected kind is in the
truth and breaks what it targets, and the tables import with nothing quarantined."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import creditcode, schema
from workbench.accounting import aluminium as alu
from workbench.accounting import cement as cem
from workbench.accounting import power
from workbench.accounting import steel as stl
from workbench.accounting.common import fuel_co2_t
from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.factors import factor, factors, fuel_defaults, gwp
from workbench.ingest import import_files
from workbench.ingest.divisions import check_cities
from workbench.samples.sectors import KINDS, TRUTH_COLUMNS, generate_sectors

PERIODS = [f"2024-{m:02d}" for m in range(1, 13)]
TABLES = {"enterprises": schema.ENTERPRISES, "units": schema.UNITS,
          "monthly_parameters": schema.MONTHLY_PARAMETERS, "lab_reports": schema.LAB_REPORTS}
CFG = load_config()


@pytest.fixture(scope="module")
def sectors_demo():
    return generate_sectors("demo", 7, PERIODS, None, 0.25)


@pytest.fixture(scope="module")
def clean():
    return generate_sectors("province", 7, PERIODS, "Hebei", 0.0)


@pytest.fixture(scope="module")
def dirty():
    return generate_sectors("province", 7, PERIODS, "山东", 0.6)


def wide(gen) -> pd.DataFrame:
    """One row per facility-month, a column per parameter, the facility's attributes."""
    m = gen["monthly_parameters"]
    w = m.pivot(index=["unit_id", "period"], columns="parameter_code", values="value")
    units = gen["units"].rename(columns={"line_current_ka": "rated_line_current_ka"})
    w = w.join(units.set_index("unit_id"), on="unit_id").reset_index()
    src = m.pivot(index=["unit_id", "period"], columns="parameter_code", values="source_code")
    return w.join(src.add_prefix("src:"), on=["unit_id", "period"])


def kind(w: pd.DataFrame, category: str) -> pd.DataFrame:
    return w[w["unit_category_code"] == category].reset_index(drop=True)


def g(w: pd.DataFrame, code: str) -> pd.Series:
    return w[code].fillna(0.0) if code in w.columns else pd.Series(0.0, index=w.index)


def by_enterprise(w: pd.DataFrame, category: str, code: str) -> pd.Series:
    k = kind(w, category)
    return k.groupby(["enterprise_id", "period"])[code].sum() if code in k.columns else \
        pd.Series(dtype=float)


def test_same_seed_same_tables_another_seed_other_data(sectors_demo):
    again = generate_sectors("demo", 7, PERIODS, None, 0.25)
    for name in (*TABLES, "truth"):
        pd.testing.assert_frame_equal(sectors_demo[name], again[name])
    other = generate_sectors("demo", 8, PERIODS, None, 0.25)
    assert not other["monthly_parameters"]["value"].equals(
        sectors_demo["monthly_parameters"]["value"])


def test_every_table_follows_the_contract(sectors_demo, demo):
    t = sectors_demo
    for name, spec in TABLES.items():
        df = t[name]
        assert list(spec.frame_of(df).columns) == list(df.columns) == spec.column_names
        assert not df.empty and not df.duplicated(list(spec.key)).any(), name
        for c in spec.columns:
            if not c.nullable:
                assert df[c.name].notna().all(), (name, c.name)
            if c.codes:
                assert set(df[c.name].dropna()) <= set(c.codes), (name, c.name)
        for column, (ref, ref_col) in spec.references.items():
            assert set(df[column].dropna()) <= set(t[ref][ref_col]), (name, column)
        # the power generator's dtypes for the columns it fills (is_chp, empty here, stays
        # the nullable boolean frame_of gives)
        for c in set(df.columns) & set(demo.tables[name].columns) - {"is_chp"}:
            assert df[c].dtype == demo.tables[name][c].dtype, (name, c)
    ents = t["enterprises"]
    assert creditcode.validate(ents["enterprise_id"]).all()
    assert not check_cities(ents["province"], ents["city"])["bad"].any()
    assert ents["verifier_name"].notna().all()
    assert set(ents["industry_code"]) == {"steel", "cement", "aluminium"}
    assert list(t["truth"].columns) == list(TRUTH_COLUMNS)
    m = t["monthly_parameters"]
    assert (m["unit"] == m["parameter_code"].map(lambda c: schema.PARAMETERS[c].unit)).all()
    units = t["units"].set_index("unit_id")
    for cat, needed in schema.REQUIRED_BY_FACILITY.items():
        ids = units.index[units["unit_category_code"] == cat]
        have = m[m["unit_id"].isin(ids)].groupby(["unit_id", "period"])["parameter_code"]\
            .agg(set)
        assert all(set(needed) <= s for s in have), cat


def test_scales_and_real_steel_plants(sectors_demo):
    ents = sectors_demo["enterprises"]
    assert ents["province"].nunique() == 1
    assert ents["industry_code"].value_counts().to_dict() == {"steel": 3, "cement": 3,
                                                              "aluminium": 2}
    real = pd.read_csv("workbench/samples/sectors/data/gem_steel_plants_china.csv")
    assert set(ents.loc[ents["industry_code"] == "steel", "enterprise_name"]) <= \
        set(real["plant_name_zh"])


def test_deposits_on_time_and_after_the_lab_report(clean):
    m = clean["monthly_parameters"]
    end = pd.to_datetime(m["period"] + "-01") + pd.offsets.MonthEnd(0)
    assert ((m["submitted_at"] - end).dt.days.between(1, 40)).all()
    lab = clean["lab_reports"].set_index("report_id")["report_date"]
    linked = m.dropna(subset=["report_id"])
    assert (linked["submitted_at"] > linked["report_id"].map(lab)).all()


def test_steel_physics_and_accounting_hold_in_clean_data(clean):
    w = wide(clean)
    ent = kind(w, "steel_enterprise").set_index(["enterprise_id", "period"])
    steel_out = by_enterprise(w, "bof", "bof_steel_output_t").reindex(ent.index).fillna(0) + \
        by_enterprise(w, "eaf", "eaf_steel_output_t").reindex(ent.index).fillna(0)
    assert np.allclose(ent["crude_steel_output_t"], steel_out, atol=0.11)
    bf = kind(w, "ironmaking")
    hm = bf.set_index(["enterprise_id", "period"])["hot_metal_output_t"]
    bof = kind(w, "bof").set_index(["enterprise_id", "period"])
    both = bof[["bof_steel_output_t"]].join(hm, how="inner")
    ratio = both["bof_steel_output_t"] / both["hot_metal_output_t"]
    assert ratio.between(1 / 0.94 - 0.01, 1 / 0.90 + 0.01).all()          # §2.5
    assert (bf["coke_consumption_t"] / bf["hot_metal_output_t"] * 1000).between(320, 420).all()
    assert (bf["bfg_generated_1e4nm3"] * 1e4 / bf["hot_metal_output_t"]).between(1400, 1700)\
        .all()
    eaf = kind(w, "eaf")
    assert (eaf["electrode_t"] / eaf["eaf_steel_output_t"] * 1000).between(1.4, 3.1).all()
    # each gas balances: generated = burnt + exported + flared (§2.6 check 3), works with
    # and without a captive power plant
    for gas, maker in (("bfg", "ironmaking"), ("ldg", "bof"), ("cog", "coking")):
        burnt = w.groupby(["enterprise_id", "period"])[f"{gas}_consumption_1e4nm3"].sum()
        b = kind(w, maker).set_index(["enterprise_id", "period"])
        assert len(b), gas
        assert np.allclose(b[f"{gas}_generated_1e4nm3"], burnt.reindex(b.index) + b[
            f"{gas}_exported_1e4nm3"].fillna(0) + b[f"{gas}_flared_1e4nm3"], atol=0.03), gas
    # enterprise co2 = E_fuel + E_proc − R_prod, recomputed from the filed values (§2.2)
    e = kind(w, "steel_enterprise")
    ef = factors(CFG, "steel")
    e_fuel = sum(stl.fuel_co2_t(g(e, f"{f}_consumption_t"), g(e, f"{f}_ncv_gj_per_t"),
                                g(e, f"{f}_cc_tc_per_gj"))
                 for f in ("cleaned_coal", "coke", "bituminous_coal", "anthracite"))
    e_proc = stl.process_material_co2_t({"limestone": g(e, "limestone_t"),
                                         "dolomite": g(e, "dolomite_t"),
                                         "electrode": g(e, "electrode_t"),
                                         "pig_iron": g(e, "purchased_pig_iron_t"),
                                         "scrap": g(e, "scrap_t")}, ef)
    bfg = fuel_defaults(CFG, "bfg")
    r = stl.product_deduction_t({"crude_steel": g(e, "crude_steel_output_t"),
                                 "coal_tar": g(e, "coal_tar_output_t"),
                                 "crude_benzene": g(e, "crude_benzene_output_t")}, ef) + \
        stl.exported_gas_deduction_t(g(e, "bfg_exported_1e4nm3"), bfg["ncv"], bfg["cc"])
    assert np.allclose(e["co2_t"], stl.enterprise_co2_t(e_fuel, e_proc, r), atol=0.011)
    # intensity by route (§2.5): BF-BOF 1.7–2.3, scrap EAF 0.05–0.35
    units = clean["units"]
    cats = units.groupby("enterprise_id")["unit_category_code"].agg(set)
    route = e["enterprise_id"].map(lambda x: "bf_bof" if {"ironmaking", "bof"} <= cats[x]
                                   and "eaf" not in cats[x] else "eaf"
                                   if "ironmaking" not in cats[x] else "mixed")
    intensity = stl.intensity_tco2_per_t(e["co2_t"], e["crude_steel_output_t"])
    assert (route == "bf_bof").any() and (route == "eaf").any()
    assert intensity[route == "bf_bof"].between(1.7, 2.3).all()
    assert intensity[route == "eaf"].between(0.05, 0.35).all()
    # a measured coal CC is never the fuel table's default to every decimal (§1.5)
    for f in ("cleaned_coal", "bituminous_coal", "anthracite"):
        cc = w[f"{f}_cc_tc_per_gj"].dropna()
        assert len(cc) and (cc != fuel_defaults(CFG, f)["cc"]).all(), f
    # a process files its gross fuel and material CO2
    si = kind(w, "sintering")
    gross = stl.fuel_co2_t(si["anthracite_consumption_t"], si["anthracite_ncv_gj_per_t"],
                           si["anthracite_cc_tc_per_gj"]) + \
        stl.process_material_co2_t({"limestone": si["limestone_t"],
                                    "dolomite": si["dolomite_t"]}, ef) + \
        sum(stl.fuel_co2_t(g(si, f"{x}_consumption_1e4nm3"), g(si, f"{x}_ncv_gj_per_1e4nm3"),
                           g(si, f"{x}_cc_tc_per_gj")) for x in ("bfg", "cog"))
    assert np.allclose(si["co2_t"], gross, atol=0.011)


def _stocks(lines: pd.DataFrame) -> pd.DataFrame:
    lines = lines.sort_values(["unit_id", "period"])
    nxt = lines.groupby("unit_id")["clinker_opening_stock_t"].shift(-1)
    used = (lines["clinker_opening_stock_t"] + lines["clinker_output_t"]
            + lines["clinker_purchased_t"] - lines["clinker_sold_t"]
            - lines["clinker_closing_stock_t"])
    return lines.assign(next_opening=nxt, factor=used / lines["cement_output_t"])


def test_cement_physics_and_accounting_hold_in_clean_data(clean):
    w = _stocks(kind(wide(clean), "clinker_line"))
    cont = w.dropna(subset=["next_opening"])
    assert np.allclose(cont["clinker_closing_stock_t"], cont["next_opening"], atol=0.05)
    assert w["factor"].between(0.599, 0.751).all()                      # §3.4
    assert (w["clinker_output_t"] <= w["rated_capacity_t_per_d"] * w["kiln_operating_days"]
            * 1.10).all()                                              # §3.5 check 2
    assert (w["raw_meal_feed_t"] / w["clinker_output_t"]).between(1.499, 1.651).all()
    meas = w[w["cao_clinker_pct"].notna()]
    assert meas["cao_clinker_pct"].between(62, 67).all()
    assert meas["mgo_clinker_pct"].between(0.8, 4).all()
    ef = cem.clinker_ef_from_oxides(meas["cao_clinker_pct"], meas["mgo_clinker_pct"],
                                    meas["cao_nc_pct"])
    assert np.allclose(meas["ef_clinker_tco2_per_t"], ef, atol=0.00006)
    assert meas["ef_clinker_tco2_per_t"].between(0.49, 0.56).all()      # §3.5 check 4
    dflt = w[w["cao_clinker_pct"].isna()]
    assert (dflt["src:ef_clinker_tco2_per_t"] == "default").all()
    heat = w["coal_consumption_t"] * w["ncv_gj_per_t"] / w["clinker_output_t"]
    assert heat.between(2.99, 3.41).all()
    df = factors(CFG, "cement", kind="deduction")
    ded = np.where(w["cao_clinker_pct"].isna(), cem.substitutes_deduction_t(
        {"steel_slag": g(w, "steel_slag_t"), "carbide_slag": g(w, "carbide_slag_t")}, df), 0)
    co2 = fuel_co2_t(w["coal_consumption_t"], w["ncv_gj_per_t"], w["cc_tc_per_gj"],
                     w["oxidation_rate"]) + cem.clinker_process_co2_t(
        w["clinker_output_t"], w["ef_clinker_tco2_per_t"], ded)
    assert np.allclose(w["co2_t"], co2, atol=0.011)
    assert cem.intensity_tco2_per_t_clinker(w["co2_t"], w["clinker_output_t"])\
        .between(0.78, 0.90).all()                                      # §3.4
    lab = clean["lab_reports"]
    lab = lab[lab["sample_type_code"] == "clinker"]
    m = clean["monthly_parameters"]
    filed = m[m["parameter_code"] == "cao_clinker_pct"].set_index("report_id")["value"]
    assert np.allclose(lab.set_index("report_id")["cao_pct"].reindex(filed.index), filed)
    # the kiln coal: filed NCV and C_ar are the lab's, CC = C_ar / NCV, C_ar from C_ad
    coal = clean["lab_reports"].query("sample_type_code == 'coal'").set_index("report_id")
    for code, column in (("ncv_gj_per_t", "ncv_ar_gj_per_t"), ("carbon_ar_pct",
                                                               "carbon_ar_pct")):
        f = m[m["parameter_code"] == code].dropna(subset=["report_id"]).set_index("report_id")
        assert len(f) == len(w) and np.allclose(coal.loc[f.index, column], f["value"])
    assert np.allclose(w["cc_tc_per_gj"], w["carbon_ar_pct"] / 100 / w["ncv_gj_per_t"],
                       atol=0.000006)
    assert np.allclose(coal["carbon_ar_pct"], power.carbon_ar_from_ad(
        coal["carbon_ad_pct"], coal["total_moisture_pct"], coal["moisture_ad_pct"]), atol=0.006)
    assert np.allclose(coal["ncv_ar_gj_per_t"], power.ncv_ar_from_gross_ad(
        coal["gross_cv_ad_mj_per_kg"], coal["hydrogen_ad_pct"], coal["total_moisture_pct"],
        coal["moisture_ad_pct"]), atol=0.3)


def test_aluminium_physics_and_accounting_hold_in_clean_data(clean):
    w = kind(wide(clean), "potline")
    hours = pd.to_datetime(w["period"] + "-01").dt.days_in_month * 24
    ce = alu.current_efficiency_pct(w["liquid_al_output_t"], w["line_current_ka"],
                                    w["cells_in_operation"], hours)
    assert np.allclose(ce, w["current_efficiency_pct"], atol=0.01)
    assert ce.between(91, 94.01).all()
    assert (w["cells_in_operation"] <= w["cells"]).all() and w["cells"].between(200, 400).all()
    kwh = alu.ac_electricity_kwh_per_t(w["electrolysis_ac_electricity_mwh"],
                                       w["liquid_al_output_t"])
    assert kwh.between(12999, 13501).all()
    assert w["avg_cell_voltage_v"].between(3.8, 4.2).all()
    nc = alu.net_anode_consumption_t_per_t(w["anode_gross_consumption_t"],
                                           w["anode_butts_returned_t"], w["liquid_al_output_t"])
    assert np.allclose(nc, w["anode_net_consumption_t_per_t"], atol=0.00006)
    assert nc.between(0.399, 0.431).all()
    assert w["aem_min_per_cell_day"].between(0.02, 0.3).all()
    assert np.allclose(w["co2_t"], alu.anode_co2_t(
        w["liquid_al_output_t"], w["anode_net_consumption_t_per_t"], w["anode_sulfur_pct"],
        w["anode_ash_pct"]), atol=0.011)
    gw = gwp(CFG)
    cf4 = alu.cf4_ef_slope_kg_per_t(w["aem_min_per_cell_day"], factor(CFG, "aluminium",
                                                                       "sef_cf4"))
    assert np.allclose(cf4, w["ef_cf4_kg_per_t"], atol=1e-6)
    assert np.allclose(w["pfc_co2e_t"], alu.pfc_co2e_t(
        w["liquid_al_output_t"], w["ef_cf4_kg_per_t"], w["ef_c2f6_kg_per_t"], gw["cf4"],
        gw["c2f6"]), atol=0.011)
    intensity = (w["co2_t"] + w["pfc_co2e_t"]) / w["liquid_al_output_t"]
    assert intensity.between(1.45, 1.9).all()                           # §4.5 check 6
    lab = clean["lab_reports"].set_index("report_id")
    m = clean["monthly_parameters"]
    s = m[m["parameter_code"] == "anode_sulfur_pct"].set_index("report_id")["value"]
    assert np.allclose(lab.loc[s.index, "sulfur_total_pct"], s)
    ent = kind(wide(clean), "aluminium_enterprise").set_index(["enterprise_id", "period"])
    pot = w.groupby(["enterprise_id", "period"])[["co2_t", "pfc_co2e_t"]].sum()
    assert np.allclose(ent["pfc_co2e_t"], pot["pfc_co2e_t"].reindex(ent.index), atol=0.011)
    diesel = fuel_defaults(CFG, "diesel")
    expected = fuel_co2_t(ent["diesel_consumption_t"], ent["diesel_ncv_gj_per_t"],
                          ent["diesel_cc_tc_per_gj"], diesel["of"]) + \
        alu.carbonate_co2_t({"limestone": ent["limestone_t"]},
                            {"limestone": factor(CFG, "carbonates", "limestone")}) + \
        pot["co2_t"].reindex(ent.index) + pot["pfc_co2e_t"].reindex(ent.index)
    assert np.allclose(ent["co2_t"], expected, atol=0.011)              # §4.2 E_ent (CO2e)


def _hit(w: pd.DataFrame, truth: pd.DataFrame, kind_: str) -> pd.DataFrame:
    rows = truth.loc[truth["kind"] == kind_, ["unit_id", "period"]].drop_duplicates()
    assert len(rows), kind_
    return w.merge(rows, on=["unit_id", "period"])


def test_each_kind_is_in_the_truth_and_breaks_what_it_targets(dirty, sectors_demo):
    truth = dirty["truth"]
    assert set(truth["kind"]) == {k for ks in KINDS.values() for k in ks}
    assert set(sectors_demo["truth"]["kind"]) >= {k for s in ("steel", "aluminium")
                                                   for k in KINDS[s]} - {
        "steel.overstated_carbon_products"}   # the three demo works have no coke ovens
    w = wide(dirty)
    m = dirty["monthly_parameters"]
    # the truth names filed values
    keyed = m.set_index(["unit_id", "period", "parameter_code"]).index
    assert truth.set_index(["unit_id", "period", "parameter_code"]).index.isin(keyed).all()
    # steel
    e = _hit(w, truth, "steel.inflated_crude_steel").set_index(["enterprise_id", "period"])
    made = by_enterprise(w, "bof", "bof_steel_output_t").reindex(e.index).fillna(0) + \
        by_enterprise(w, "eaf", "eaf_steel_output_t").reindex(e.index).fillna(0)
    assert (e["crude_steel_output_t"] > made * 1.07).all()
    e = _hit(w, truth, "steel.overstated_carbon_products").set_index(["enterprise_id",
                                                                      "period"])
    tar = by_enterprise(w, "coking", "coal_tar_output_t").reindex(e.index)
    assert (e["coal_tar_output_t"] > tar * 1.5).all()
    b = _hit(w, truth, "steel.bfg_balance_broken")
    b = b[b["unit_category_code"] == "ironmaking"]
    burnt = w.groupby(["enterprise_id", "period"])["bfg_consumption_1e4nm3"].sum()
    gap = b["bfg_generated_1e4nm3"] - burnt.reindex(pd.MultiIndex.from_frame(
        b[["enterprise_id", "period"]])).to_numpy() - b["bfg_exported_1e4nm3"] - \
        b["bfg_flared_1e4nm3"]
    assert (gap < -0.05 * b["bfg_generated_1e4nm3"]).all()
    d = _hit(w, truth, "steel.default_as_measured")
    assert (d["bituminous_coal_cc_tc_per_gj"] == factor(CFG, "fuels", "bituminous_coal_cc"))\
        .all()
    assert (d["src:bituminous_coal_cc_tc_per_gj"] == "measured").all()
    clean_cc = kind(w, "steel_enterprise")["bituminous_coal_cc_tc_per_gj"]
    assert (clean_cc != factor(CFG, "fuels", "bituminous_coal_cc")).sum() > 0
    # cement
    lines = _stocks(kind(w, "clinker_line"))
    c = _hit(lines, truth, "cement.cement_filed_as_clinker")
    assert (c["clinker_output_t"] == c["cement_output_t"]).all()
    assert (c["clinker_output_t"] > c["rated_capacity_t_per_d"] * c["kiln_operating_days"]
            * 1.10).all()
    c = _hit(w, truth, "cement.cao_wrong_sample")
    lr = dirty["lab_reports"]
    lab = lr[lr["sample_type_code"] == "clinker"].set_index(["unit_id", "covered_period"])[
        "cao_pct"]
    lab_cao = lab.reindex(pd.MultiIndex.from_frame(c[["unit_id", "period"]])).to_numpy()
    assert (np.abs(c["cao_clinker_pct"] - lab_cao) > 5).all() and (c["cao_clinker_pct"] < 62)\
        .all()
    c = _hit(w, truth, "cement.inflated_deductions")
    meas = c[c["cao_clinker_pct"].notna()]
    ef = cem.clinker_ef_from_oxides(meas["cao_clinker_pct"], meas["mgo_clinker_pct"],
                                    meas["cao_nc_pct"])
    assert (meas["ef_clinker_tco2_per_t"] < ef - 0.02).all()
    dflt = c[c["cao_clinker_pct"].isna()]
    assert (dflt["steel_slag_t"] / dflt["clinker_output_t"] > 0.079).all()
    assert len(meas) + len(dflt) == len(c)
    c = _hit(lines, truth, "cement.stock_balance_broken")
    assert (c["next_opening"] - c["clinker_closing_stock_t"] > 1).all()
    # aluminium
    pots = kind(w, "potline")
    hours = pd.to_datetime(pots["period"] + "-01").dt.days_in_month * 24
    pots = pots.assign(ce=alu.current_efficiency_pct(pots["liquid_al_output_t"],
                                                     pots["line_current_ka"],
                                                     pots["cells_in_operation"], hours),
                       kwh=alu.ac_electricity_kwh_per_t(pots["electrolysis_ac_electricity_mwh"],
                                                        pots["liquid_al_output_t"]))
    a = _hit(pots, truth, "aluminium.underreported_aem")
    assert (a["aem_min_per_cell_day"] < 0.01).all()                     # §4.4 band 0.01–0.10
    a = _hit(pots, truth, "aluminium.output_above_faraday")
    assert (a["ce"] > 96).all() and (np.abs(a["ce"] - a["current_efficiency_pct"]) > 1).all()
    a = _hit(pots, truth, "aluminium.electricity_implausible")
    assert (~a["kwh"].between(12800, 14000)).all()                      # §4.5 check 2
    a = _hit(pots, truth, "aluminium.anode_s_ash_inflated")
    assert (a["anode_sulfur_pct"] + a["anode_ash_pct"] > 3.5).all()    # §4.5 check 4
    lab = lr[lr["sample_type_code"] == "anode"].set_index(["unit_id", "covered_period"])[
        "sulfur_total_pct"]
    assert (lab.reindex(pd.MultiIndex.from_frame(a[["unit_id", "period"]])).to_numpy()
            < a["anode_sulfur_pct"]).all()
    # filed co2 follows the filed values, so the recomputation holds for the injected too
    assert np.allclose(pots["co2_t"], alu.anode_co2_t(
        pots["liquid_al_output_t"], pots["anode_net_consumption_t_per_t"],
        pots["anode_sulfur_pct"], pots["anode_ash_pct"]), atol=0.011)


#: Values computed from the filed ones: they follow an injected change.
DERIVED = {"co2_t", "pfc_co2e_t", "ef_cf4_kg_per_t", "ef_c2f6_kg_per_t"}


def test_truth_lists_exactly_what_differs_from_the_clean_data(sectors_demo):
    a = generate_sectors("demo", 7, PERIODS, None, 0.0)
    b = sectors_demo
    for name in ("enterprises", "units", "lab_reports"):
        pd.testing.assert_frame_equal(a[name], b[name])
    assert a["truth"].empty and len(b["truth"])
    key = ["unit_id", "period", "parameter_code"]
    m = a["monthly_parameters"].merge(b["monthly_parameters"], on=key, how="outer",
                                      suffixes=("_a", "_b"))
    assert len(m) >= len(a["monthly_parameters"])    # an inflated slag may be newly filed
    differ = m.loc[~(m["value_a"] == m["value_b"]), key]
    truth = set(map(tuple, b["truth"][key].to_numpy()))
    changed = set(map(tuple, differ.to_numpy()))
    assert truth <= changed
    assert {k for k in changed - truth if k[2] not in DERIVED} == set()


def test_generated_tables_import_with_nothing_quarantined(sectors_demo, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for name in TABLES:
        path = src / f"{name}.csv"
        sectors_demo[name].to_csv(path, index=False)
        files.append(path)
    report = import_files(files, tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    for name in TABLES:
        assert report.tables[name].quarantine_file is None, name
        stored = Dataset(tmp_path / "ds").read(name)
        assert len(stored) == len(sectors_demo[name]), name
