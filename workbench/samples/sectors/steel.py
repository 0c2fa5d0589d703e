"""Steel works (钢铁) for the sector sample generator, from the real GEM plant list.

Plants are the China rows of the Global Energy Monitor Global Steel Plant Tracker
(``data/gem_steel_plants_china.csv``, CC BY 4.0): Chinese name, owner, province,
coordinates and the BF / BOF / EAF / sinter / coking / pellet capacities; the rows of one
plant (operating and operating pre-retirement) are summed, plants without BOF or EAF
(iron-only) are left out.  Each plant is one enterprise with the facilities it has: the
enterprise level, coking, sintering, pelletising, ironmaking (BF), BOF, EAF, lime kilns
(with a BOF) and a captive power plant burning the surplus gases (with a BF).

Physics of a clean month (sections of ``shared/domain/sectors-2025.md``; values marked
"assumption" are the generator's, the notes give no band):

* hot metal = BF capacity × utilisation × days/365; BOF steel = hot metal / HM ratio
  (0.90–0.94 t/t, §2.5 band 0.80–0.95), BOF scrap so that steel = (HM + scrap) × yield
  (0.90–0.92, §2.6 check 5), crude steel = BOF + EAF steel;
* coke rate 350–380 kg/t HM, PCI 145–170 kg/t HM (§2.5: 320–420, 120–180, fuel rate
  480–560), BFG 1,400–1,700 Nm³/t HM (§2.5: 1,300–1,800), LDG 80–130 Nm³/t steel, COG
  400–450 Nm³/t coke, coke yield 0.72–0.80, tar 2.5–4.5 % and benzene 0.8–1.3 % of coal
  (§2.5); sinter solid fuel 40–60 kg/t sinter (§2.5);
* each gas balances exactly: generated = Σ burnt by the facilities + exported + flared
  (§2.6 check 3), the captive plant taking the rest;
* EAF electrodes 1.5–3 kg/t (the brief; §2.5 quotes 5–10 kg/t for the intensity), scrap
  and pig iron at a metallic yield of 0.88–0.92 (§2.6 check 5);
* the enterprise's CO2 is the mass balance E_fuel + E_proc − R_prod (§2.2:
  :func:`workbench.accounting.steel.fuel_co2_t`, ``process_material_co2_t``,
  ``product_deduction_t``, ``exported_gas_deduction_t``) over the fuels bought, fluxes,
  electrodes and metallics, crude steel, tar, benzene and exported gas; a process files its
  gross CO2 (the fuels and gases it burns plus its materials, before netting transfers of
  secondary energy: the gross table exceeds the net total, §2.2, not a finding).  The
  intensity lands in the §2.5 bands: BF-BOF 1.7–2.3, scrap EAF 0.05–0.35 tCO2/t.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.accounting import steel as acc
from workbench.factors import factor, factors, fuel_defaults
from workbench.samples.filings import month_frame
from workbench.samples.sectors import _common as cm

DATA = Path(__file__).with_name("data")

#: Facility kinds in filing order, with the suffix of their unit id.
FACILITIES = {"steel_enterprise": "E", "coking": "CO1", "sintering": "SI1",
              "pelletising": "PE1", "ironmaking": "BF1", "bof": "BOF1", "eaf": "EAF1",
              "lime": "LI1", "captive_power": "CP1"}
SOLID = ("cleaned_coal", "coke", "bituminous_coal", "anthracite")
GASES = ("bfg", "cog", "ldg")
#: Fuels whose NCV and carbon the works measure (coal); coke and gases use the defaults.
MEASURED_FUELS = ("cleaned_coal", "bituminous_coal", "anthracite")
MATERIALS = {"limestone_t": "limestone", "dolomite_t": "dolomite", "electrode_t": "electrode",
             "purchased_pig_iron_t": "pig_iron", "scrap_t": "scrap"}
PRODUCTS = {"crude_steel_output_t": "crude_steel", "crude_benzene_output_t": "crude_benzene",
            "coal_tar_output_t": "coal_tar"}
KINDS = ("steel.inflated_crude_steel", "steel.overstated_carbon_products",
         "steel.bfg_balance_broken", "steel.default_as_measured")


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce")


def load_plants() -> pd.DataFrame:
    """One row per GEM plant: names, owner, province (zh), capacities (kt/yr, NaN when
    unknown) and which facilities it has."""
    d = pd.read_csv(DATA / "gem_steel_plants_china.csv")
    for c in ("sinter", "coking", "pellet"):
        d[f"{c}_known"] = d[f"{c}_capacity_kt"].astype(str).isin([">0"]) | \
            (_num(d[f"{c}_capacity_kt"]) > 0)
        d[f"{c}_unknown"] = d[f"{c}_capacity_kt"].astype(str) == "unknown"
        d[f"{c}_capacity_kt"] = _num(d[f"{c}_capacity_kt"])
    caps = ["crude_steel_capacity_kt", "bof_capacity_kt", "eaf_capacity_kt", "bf_capacity_kt",
            "iron_capacity_kt", "sinter_capacity_kt", "coking_capacity_kt", "pellet_capacity_kt"]
    agg = {c: (c, lambda s: s.sum(min_count=1)) for c in caps}
    agg.update({c: (c, "first") for c in ("plant_name_zh", "owner_zh", "owner_en",
                                          "municipality", "province_en", "latitude",
                                          "longitude")})
    agg.update({c: (c, "max") for c in ("sinter_known", "sinter_unknown", "coking_known",
                                        "pellet_known")})
    agg["equipment"] = ("main_equipment", lambda s: "; ".join(s.fillna("")))
    agg["start"] = ("start_date", lambda s: pd.to_numeric(s.astype(str).str[:4],
                                                          errors="coerce").min())
    p = d.groupby("plant_name_en", sort=True).agg(**agg).reset_index()
    eq = p["equipment"]
    bof = p["bof_capacity_kt"].fillna(0)
    eaf = p["eaf_capacity_kt"].fillna(0)
    crude = p["crude_steel_capacity_kt"].fillna(0)
    p["has_bof"] = (bof > 0) | eq.str.contains(r"\bBOF\b")
    p["has_eaf"] = (eaf > 0) | eq.str.contains(r"\bEAF\b")
    p["bof_cap"] = np.where(bof > 0, bof, np.where(p["has_bof"], (crude - eaf).clip(lower=0),
                                                   0.0))
    p["eaf_cap"] = np.where(eaf > 0, eaf, np.where(p["has_eaf"], (crude - bof).clip(lower=0),
                                                   0.0))
    p.loc[p["has_bof"] & (p["bof_cap"] <= 0), "has_bof"] = False
    p.loc[p["has_eaf"] & (p["eaf_cap"] <= 0), "has_eaf"] = False
    bf = p["bf_capacity_kt"].fillna(p["iron_capacity_kt"]).fillna(0)
    p["has_bf"] = (bf > 0) | eq.str.contains(r"\bBF\b")
    p["bf_cap"] = np.where(bf > 0, bf, 0.92 * p["bof_cap"])
    p.loc[p["has_bf"] & (p["bf_cap"] <= 0), "has_bf"] = False
    p = p[p["has_bof"] | p["has_eaf"]].copy()
    p["has_sintering"] = p["has_bf"] & (p["sinter_known"] | p["sinter_unknown"])
    p["has_coking"] = p["has_bf"] & p["coking_known"]
    p["has_pelletising"] = p["has_bf"] & p["pellet_known"]
    p["has_ironmaking"] = p["has_bf"]
    p["has_lime"] = p["has_bof"]
    p["has_captive_power"] = p["has_bf"]
    p["has_steel_enterprise"] = True
    p["province"] = p["province_en"].map(lambda x: cm.power_plants.PROVINCES[x][0])
    return p.reset_index(drop=True)


def _city(row, rng: np.random.Generator) -> str:
    return (cm.city_in_text(row.province, [row.plant_name_zh, row.owner_zh])
            or cm.city_by_pinyin(row.province, row.municipality)
            or cm.nearest_city(row.province, row.latitude, row.longitude, rng))


def select(plants: pd.DataFrame, n: int | None, province: str | None,
           rng: np.random.Generator) -> pd.DataFrame:
    """``n`` plants of ``province`` (all of them when ``n`` is None or larger)."""
    p = plants if province is None else plants[plants["province"] == province]
    if n is not None and len(p) > n:
        p = p.loc[np.sort(rng.choice(p.index, n, replace=False))]
    return p.reset_index(drop=True)


def master(p: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enterprises and facilities (contract columns plus ``has_*`` and capacities)."""
    city = [_city(r, rng) for r in p.itertuples(index=False)]
    ents = cm.enterprises(p["plant_name_zh"], p["province"], city, "steel", rng)
    eid = list(ents["enterprise_id"])
    caps = {"steel_enterprise": p["bof_cap"] + p["eaf_cap"], "coking": p["coking_capacity_kt"],
            "sintering": p["sinter_capacity_kt"], "pelletising": p["pellet_capacity_kt"],
            "ironmaking": p["bf_cap"], "bof": p["bof_cap"], "eaf": p["eaf_cap"]}
    year = p["start"].clip(1950, 2024)
    rows = []
    for kind, suffix in FACILITIES.items():
        has = p[f"has_{kind}"].to_numpy(bool)
        cap = caps.get(kind, pd.Series(np.nan, index=p.index))
        rows.append(pd.DataFrame({
            "unit_id": [f"{e[-6:]}-{suffix}" for e in np.array(eid)[has]],
            "enterprise_id": np.array(eid)[has], "unit_category_code": kind,
            "design_capacity_kt": cap.to_numpy(float)[has],
            "commissioning_year": year.to_numpy(float)[has]}))
    units = pd.concat(rows, ignore_index=True)
    units["commissioning_year"] = units["commissioning_year"].round().astype("Int64")
    return ents, units


def _u(rng, lo, hi, n):
    return rng.uniform(lo, hi, n)


def operations(p: pd.DataFrame, ents: pd.DataFrame, periods: list[str],
               rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    """The clean enterprise-month frame: one row per plant and month, facility values in
    columns ``<kind>:<parameter>``."""
    base = p.assign(enterprise_id=ents["enterprise_id"].to_numpy())
    w = month_frame(base, periods)
    n = len(w)
    pidx = pd.factorize(w["enterprise_id"])[0]
    n_p = pidx.max() + 1
    frac = w["days"].to_numpy() / 365.0
    mf = rng.normal(1.0, 0.03, n).clip(0.9, 1.08)            # month-to-month swing
    u_bf = _u(rng, 0.78, 0.92, n_p)[pidx] * mf                # BF utilisation
    u_eaf = _u(rng, 0.60, 0.85, n_p)[pidx] * mf               # EAF utilisation (assumption)
    has = {k: w[f"has_{k}"].to_numpy(bool) for k in FACILITIES}
    bf_cap, bof_cap, eaf_cap = (w[c].to_numpy(float) * 1000 for c in
                                ("bf_cap", "bof_cap", "eaf_cap"))
    hm_ratio = _u(rng, 0.90, 0.94, n)                          # §2.5 HM per BOF steel
    bof_yield = _u(rng, 0.90, 0.92, n)                         # §2.6 metallic yield
    hm_bf = bf_cap * u_bf * frac
    bof = np.where(has["bof"], np.minimum(bof_cap * u_bf * frac, hm_bf / hm_ratio), 0.0)
    bof = np.where(has["bof"] & ~has["ironmaking"], bof_cap * u_bf * frac, bof)
    eaf = np.where(has["eaf"], eaf_cap * u_eaf * frac, 0.0)
    hm_to_bof = np.where(has["ironmaking"], bof * hm_ratio, 0.0)
    hm_to_eaf = np.where(has["ironmaking"] & ~has["bof"], np.minimum(hm_bf, eaf * 0.6), 0.0)
    hm = np.round(hm_to_bof + hm_to_eaf, 1)
    bof, eaf = np.round(bof, 1), np.round(eaf, 1)
    pig_bof = np.where(has["bof"] & ~has["ironmaking"], np.round(bof * hm_ratio, 1), 0.0)
    scrap_bof = np.round(np.where(has["bof"], bof / bof_yield - hm_to_bof - pig_bof, 0.0), 1)
    eaf_yield = _u(rng, 0.88, 0.92, n)                         # §2.6 metallic yield
    pig_eaf = np.round(np.where(has["eaf"] & (hm_to_eaf == 0), eaf * _u(rng, 0.10, 0.25, n),
                                0.0), 1)                       # assumption: pig iron charge
    scrap_eaf = np.round(np.where(has["eaf"], (eaf / eaf_yield - pig_eaf - hm_to_eaf)
                                  .clip(min=0), 0.0), 1)
    electrode = np.round(eaf * _u(rng, 1.5, 3.0, n) / 1000, 2)     # brief: 1.5–3 kg/t
    anth_eaf = np.round(eaf * _u(rng, 15, 30, n) / 1000, 1)        # assumption: charge carbon
    coke_rate = _u(rng, 350, 380, n_p)[pidx] + rng.normal(0, 3, n)  # §2.5 320–420 kg/t HM
    coke_bf = np.round(hm * coke_rate / 1000, 1)
    pci = np.round(hm * (_u(rng, 145, 170, n_p)[pidx] + rng.normal(0, 3, n)) / 1000, 1)  # §2.5
    bfg_gen = np.round(hm * _u(rng, 1400, 1700, n) / 1e4, 2)        # §2.5 Nm3/t HM -> 万Nm3
    coking_cap = w["coking_capacity_kt"].to_numpy(float) * 1000 * u_bf * frac
    coke_out = np.where(has["coking"], np.where(np.isfinite(coking_cap),
                                                np.minimum(coking_cap, coke_bf),
                                                coke_bf * _u(rng, 0.85, 1.0, n)), 0.0)
    coke_out = np.round(coke_out, 1)
    coal_charge = np.round(coke_out / _u(rng, 0.72, 0.80, n), 1)   # §2.5 coke yield
    cog_gen = np.round(coke_out * _u(rng, 400, 450, n) / 1e4, 2)   # §2.5 Nm3/t coke
    tar = np.round(coal_charge * _u(rng, 0.025, 0.045, n), 1)      # §2.5 tar yield
    benzene = np.round(coal_charge * _u(rng, 0.008, 0.013, n), 1)  # §2.5 benzene yield
    coke_bought = np.round(np.clip(coke_bf - coke_out, 0, None), 1)
    sinter = np.round(np.where(has["sintering"], hm * _u(rng, 1.10, 1.30, n), 0.0), 1)  # assumption
    anth_si = np.round(sinter * _u(rng, 40, 60, n) / 1000, 1)      # §2.5 sinter solid fuel
    lime_si = np.round(sinter * _u(rng, 0.08, 0.12, n), 1)         # assumption: flux
    dolo_si = np.round(sinter * _u(rng, 0.03, 0.05, n), 1)         # assumption: flux
    pel_cap = w["pellet_capacity_kt"].to_numpy(float) * 1000 * u_bf * frac
    pellet = np.round(np.where(has["pelletising"], np.where(np.isfinite(pel_cap), pel_cap,
                                                            hm * _u(rng, 0.15, 0.30, n)), 0), 1)
    ldg_gen = np.round(bof * _u(rng, 80, 130, n) / 1e4, 2)          # §2.5 LDG recovery
    dolo_bof = np.round(bof * _u(rng, 0.005, 0.015, n), 1)          # assumption: slag former
    lime = np.round(np.where(has["lime"], bof * _u(rng, 0.045, 0.065, n), 0.0), 1)  # assumption
    lime_ls = np.round(lime * _u(rng, 1.75, 1.85, n), 1)            # CaCO3/CaO = 100/56
    ncv = {g: fuel_defaults(cfg, g)["ncv"] for g in GASES}
    lime_heat = lime * _u(rng, 4.0, 5.0, n)                         # GJ/t lime, assumption
    coking = has["coking"]
    # gas burnt per facility (万Nm3); ignition gas: COG where coke is made, else BFG
    cog = {"coking": np.round(cog_gen * _u(rng, 0.40, 0.50, n), 2),
           "sintering": np.round(np.where(coking, sinter * _u(rng, 3, 5, n) / 1e4, 0), 2),
           "pelletising": np.round(np.where(coking, pellet * _u(rng, 15, 25, n) / 1e4, 0), 2),
           "lime": np.round(np.where(coking, lime_heat / ncv["cog"], 0), 2)}
    bfg = {"ironmaking": np.round(bfg_gen * _u(rng, 0.38, 0.45, n), 2),
           "coking": np.round(np.where(coking, bfg_gen * _u(rng, 0.08, 0.12, n), 0), 2),
           "sintering": np.round(np.where(~coking, sinter * _u(rng, 12, 20, n) / 1e4, 0), 2),
           "pelletising": np.round(np.where(~coking, pellet * _u(rng, 50, 80, n) / 1e4, 0), 2)}
    ldg = {"lime": np.round(np.where(~coking, lime_heat / ncv["ldg"], 0), 2)}
    exports = rng.random(n_p)[pidx] < 0.2                          # some sell BFG next door
    bfg_exp = np.round(np.where(exports, bfg_gen * _u(rng, 0.01, 0.03, n), 0.0), 2)
    bfg_fl = np.round(bfg_gen * _u(rng, 0.005, 0.02, n), 2)
    cog_fl = np.round(cog_gen * _u(rng, 0.0, 0.01, n), 2)
    ldg_fl = np.round(ldg_gen * _u(rng, 0.02, 0.08, n), 2)
    ldg = {"lime": np.minimum(ldg["lime"], np.round(ldg_gen - ldg_fl, 2))}
    # the processes burn no more gas than the works makes (small coke ovens feeding large
    # sinter strands and lime kilns would otherwise burn more COG than they produce): each
    # burner's share is scaled down to what is there
    for d, available in ((cog, cog_gen - cog_fl), (bfg, bfg_gen - bfg_exp - bfg_fl)):
        demand = sum(d.values())
        k = np.where(demand > available, available / np.where(demand > 0, demand, 1.0), 1.0)
        for kind in d:
            d[kind] = np.floor(d[kind] * k * 100) / 100
    bfg["captive_power"] = np.round(bfg_gen - sum(bfg.values()) - bfg_exp - bfg_fl, 2)
    cog["captive_power"] = np.round(cog_gen - sum(cog.values()) - cog_fl, 2)
    ldg["captive_power"] = np.round(ldg_gen - sum(ldg.values()) - ldg_fl, 2)
    # a works without a captive plant flares the surplus (the balance still closes)
    flared = {"bfg": bfg_fl, "cog": cog_fl, "ldg": ldg_fl}
    for d, g in ((bfg, "bfg"), (cog, "cog"), (ldg, "ldg")):
        rest = d["captive_power"].clip(min=0)
        flared[g] = np.round(flared[g] + np.where(has["captive_power"], 0.0, rest), 2)
        d["captive_power"] = np.where(has["captive_power"], rest, 0)
    bfg_fl, cog_fl, ldg_fl = flared["bfg"], flared["cog"], flared["ldg"]
    coal_cp = np.round(np.where(has["captive_power"], (bof + eaf) * _u(rng, 0.13, 0.17, n), 0),
                       1)                                          # assumption: boiler coal
    # fuel qualities of the month (one composite per fuel and works)
    q = {}
    for f, (mu, sd) in {"cleaned_coal": (26.3, 0.5), "bituminous_coal": (24.5, 0.6),
                        "anthracite": (25.0, 0.8)}.items():
        q[f"{f}_ncv"] = np.round(rng.normal(mu, sd, n_p)[pidx] + rng.normal(0, 0.3, n), 3)
    cc_mean = {"cleaned_coal": 0.0254, "bituminous_coal": 0.0264, "anthracite": 0.0277}
    for f, mu in cc_mean.items():               # around the fuel table's CC (§1.4)
        cc = np.round(mu + rng.normal(0, 0.0003, n_p)[pidx] + rng.normal(0, 0.00015, n), 5)
        # a measured CC equal to the table's default to every decimal is itself a red flag
        # (§1.5): a clean measurement that rounds onto it is one unit of the last digit off
        default = fuel_defaults(cfg, f)["cc"]
        q[f"{f}_cc"] = np.where(np.isclose(cc, default, rtol=0, atol=5e-7),
                                np.round(cc + 0.00001, 5), cc)
    for g in ("coke", *GASES):
        q[f"{g}_ncv"], q[f"{g}_cc"] = fuel_defaults(cfg, g)["ncv"], fuel_defaults(cfg, g)["cc"]
    cp_heat = (bfg["captive_power"] * ncv["bfg"] + cog["captive_power"] * ncv["cog"]
               + ldg["captive_power"] * ncv["ldg"] + coal_cp * q["bituminous_coal_ncv"])
    gen = np.round(cp_heat * _u(rng, 0.30, 0.36, n) / 3.6, 1)      # MWh at 30–36 % (assumption)
    need = (bof + eaf) * np.where(has["eaf"] & ~has["bof"], _u(rng, 380, 480, n),
                                  _u(rng, 280, 400, n)) / 1000   # kWh/t (assumption)
    buy = np.round(np.maximum(need - gen, need * 0.05), 1)
    v: dict[str, np.ndarray | float] = {
        "ironmaking:hot_metal_output_t": hm, "ironmaking:coke_consumption_t": coke_bf,
        "ironmaking:bituminous_coal_consumption_t": pci,
        "ironmaking:bfg_generated_1e4nm3": bfg_gen, "ironmaking:bfg_exported_1e4nm3": bfg_exp,
        "ironmaking:bfg_flared_1e4nm3": bfg_fl,
        "coking:coke_output_t": coke_out, "coking:cleaned_coal_consumption_t": coal_charge,
        "coking:cog_generated_1e4nm3": cog_gen, "coking:cog_flared_1e4nm3": cog_fl,
        "coking:cog_exported_1e4nm3": 0.0,
        "coking:crude_benzene_output_t": benzene, "coking:coal_tar_output_t": tar,
        "sintering:sinter_output_t": sinter, "sintering:anthracite_consumption_t": anth_si,
        "sintering:limestone_t": lime_si, "sintering:dolomite_t": dolo_si,
        "pelletising:pellet_output_t": pellet,
        "bof:bof_steel_output_t": bof, "bof:scrap_t": scrap_bof, "bof:dolomite_t": dolo_bof,
        "bof:purchased_pig_iron_t": pig_bof, "bof:ldg_generated_1e4nm3": ldg_gen,
        "bof:ldg_flared_1e4nm3": ldg_fl, "bof:ldg_exported_1e4nm3": 0.0,
        "eaf:eaf_steel_output_t": eaf, "eaf:electrode_t": electrode, "eaf:scrap_t": scrap_eaf,
        "eaf:purchased_pig_iron_t": pig_eaf, "eaf:anthracite_consumption_t": anth_eaf,
        "lime:lime_output_t": lime, "lime:limestone_t": lime_ls,
        "captive_power:captive_pp_generation_mwh": gen,
        "captive_power:bituminous_coal_consumption_t": coal_cp,
        "steel_enterprise:crude_steel_output_t": np.round(bof + eaf, 1),
        "steel_enterprise:purchased_electricity_mwh": buy,
        "steel_enterprise:cleaned_coal_consumption_t": coal_charge,
        "steel_enterprise:coke_consumption_t": coke_bought,
        "steel_enterprise:bituminous_coal_consumption_t": np.round(pci + coal_cp, 1),
        "steel_enterprise:anthracite_consumption_t": np.round(anth_si + anth_eaf, 1),
        "steel_enterprise:limestone_t": np.round(lime_si + lime_ls, 1),
        "steel_enterprise:dolomite_t": np.round(dolo_si + dolo_bof, 1),
        "steel_enterprise:electrode_t": electrode,
        "steel_enterprise:purchased_pig_iron_t": np.round(pig_bof + pig_eaf, 1),
        "steel_enterprise:scrap_t": np.round(scrap_bof + scrap_eaf, 1),
        "steel_enterprise:crude_benzene_output_t": benzene,
        "steel_enterprise:coal_tar_output_t": tar,
        "steel_enterprise:bfg_exported_1e4nm3": bfg_exp,
    }
    for d, g in ((bfg, "bfg"), (cog, "cog"), (ldg, "ldg")):
        for kind, vol in d.items():
            v[f"{kind}:{g}_consumption_1e4nm3"] = vol
    cols = {k: np.broadcast_to(np.asarray(x, float), (n,)).copy() for k, x in v.items()}
    # a value belongs to a facility the works has; zero by-products of absent processes
    for k in list(cols):
        kind = k.split(":")[0]
        cols[k] = np.where(has[kind], cols[k], np.nan)
    w = pd.concat([w, pd.DataFrame(cols, index=w.index)], axis=1)
    # NCV and CC on every facility that burns or files the fuel
    for k in [c for c in cols if c.endswith(("_consumption_t", "_consumption_1e4nm3"))]:
        kind, code = k.split(":")
        fuel = code.split("_consumption")[0]
        unit = "1e4nm3" if fuel in GASES else "t"
        filed = w[k].notna() & (w[k] > 0) if fuel in GASES else w[k].notna()
        w[f"{kind}:{fuel}_ncv_gj_per_{unit}"] = np.where(filed, q[f"{fuel}_ncv"], np.nan)
        w[f"{kind}:{fuel}_cc_tc_per_gj"] = np.where(filed, q[f"{fuel}_cc"], np.nan)
    # gases with nothing burnt are not filed on that facility
    for k in [c for c in w.columns if isinstance(c, str) and c.endswith("_consumption_1e4nm3")]:
        w.loc[w[k] <= 0, k] = np.nan
    return w


def facility_co2(w: pd.DataFrame, kind: str, cfg: dict) -> np.ndarray:
    """The CO2 a facility files (t, 0.01): the enterprise's mass balance (§2.2) or a
    process's gross fuel and material CO2 (see the module docstring)."""
    ef = factors(cfg, "steel")
    def col(code):
        c = f"{kind}:{code}"
        return w[c].fillna(0.0).to_numpy(float) if c in w.columns else np.zeros(len(w))
    fuels = list(SOLID) if kind == "steel_enterprise" else [*SOLID, *GASES]
    if kind == "coking":          # the coal charged is transformed, not burnt
        fuels = [*GASES]
    e_fuel = 0.0
    for f in fuels:
        unit = "1e4nm3" if f in GASES else "t"
        e_fuel = e_fuel + acc.fuel_co2_t(col(f"{f}_consumption_{unit}"),
                                         col(f"{f}_ncv_gj_per_{unit}"), col(f"{f}_cc_tc_per_gj"))
    e_proc = acc.process_material_co2_t({m: col(code) for code, m in MATERIALS.items()}, ef)
    if kind != "steel_enterprise":
        return np.round(e_fuel + e_proc, 2)
    r = acc.product_deduction_t({m: col(code) for code, m in PRODUCTS.items()}, ef)
    d = fuel_defaults(cfg, "bfg")
    r = r + acc.exported_gas_deduction_t(col("bfg_exported_1e4nm3"), d["ncv"], d["cc"])
    return np.round(acc.enterprise_co2_t(e_fuel, e_proc, r), 2)


def inject(w: pd.DataFrame, rate: float, rng: np.random.Generator, cfg: dict) -> list[tuple]:
    """Inject the steel kinds of §2.7 into ``w`` (in place); the truth rows."""
    truth: list[tuple] = []
    used: set = set()
    keys = w[["enterprise_id", "period"]]
    uid = {k: w[f"uid_{k}"] for k in FACILITIES}
    n_k = len(KINDS)
    # inflated crude steel output (§2.7): lowers the intensity, raises the deduction
    rows = cm.pick_targets(keys, np.ones(len(w), bool), rate, n_k, used, rng)
    c = "steel_enterprise:crude_steel_output_t"
    w.loc[rows, c] = np.round(w.loc[rows, c] * rng.uniform(1.08, 1.15, len(rows)), 1)
    truth += _truth(w, rows, "steel.inflated_crude_steel", uid["steel_enterprise"],
                    ("crude_steel_output_t",))
    # overstated carbon products (§2.7): tar and benzene beyond what the ovens made
    rows = cm.pick_targets(keys, w["has_coking"].to_numpy(bool), rate, n_k, used, rng)
    for code in ("coal_tar_output_t", "crude_benzene_output_t"):
        c = f"steel_enterprise:{code}"
        w.loc[rows, c] = np.round(w.loc[rows, c] * rng.uniform(1.6, 2.5, len(rows)), 1)
    truth += _truth(w, rows, "steel.overstated_carbon_products", uid["steel_enterprise"],
                    ("coal_tar_output_t", "crude_benzene_output_t"))
    # BFG balance broken (§2.6 check 3, §2.7): exported gas inflated, nothing burnt less
    rows = cm.pick_targets(keys, w["has_ironmaking"].to_numpy(bool), rate, n_k, used, rng)
    extra = np.round(w.loc[rows, "ironmaking:bfg_generated_1e4nm3"]
                     * rng.uniform(0.08, 0.15, len(rows)), 2)
    for kind in ("ironmaking", "steel_enterprise"):
        c = f"{kind}:bfg_exported_1e4nm3"
        w.loc[rows, c] = np.round(w.loc[rows, c] + extra, 2)
    for kind in ("ironmaking", "steel_enterprise"):
        truth += _truth(w, rows, "steel.bfg_balance_broken", uid[kind],
                        ("bfg_exported_1e4nm3",))
    # default filed as measured (§1.5, §2.7): the bituminous coal CC (PCI and boiler coal
    # of a works with a BF) is the table's
    rows = cm.pick_targets(keys, w["has_ironmaking"].to_numpy(bool), rate, n_k, used, rng)
    default = factor(cfg, "fuels", "bituminous_coal_cc")
    for kind in ("steel_enterprise", "ironmaking", "captive_power"):
        c = f"{kind}:bituminous_coal_cc_tc_per_gj"
        if c in w.columns:
            hit = rows[w.loc[rows, c].notna().to_numpy()]
            w.loc[hit, c] = default
            truth += _truth(w, hit, "steel.default_as_measured", uid[kind],
                            ("bituminous_coal_cc_tc_per_gj",))
    return truth


def _truth(w, rows, kind, uid, codes):
    return [(kind, w.at[i, "enterprise_id"], uid.at[i], w.at[i, "period"], code)
            for i in rows for code in codes]


def _source(code: str) -> str:
    if code == "co2_t":
        return "calculated"
    if code.endswith(("_ncv_gj_per_t", "_cc_tc_per_gj", "_ncv_gj_per_1e4nm3")):
        fuel = code.split("_ncv")[0].split("_cc_tc")[0]
        return "measured" if fuel in MEASURED_FUELS else "default"
    return "measured"


def generate(plants: pd.DataFrame, periods: list[str], rate: float,
             rngs: dict[str, np.random.Generator], cfg: dict) -> dict:
    """Enterprises, units, monthly parameters (long) and truth of the ``plants``."""
    ents, units = master(plants, rngs["master"])
    w = operations(plants, ents, periods, rngs["ops"], cfg)
    for kind, suffix in FACILITIES.items():
        w[f"uid_{kind}"] = w["enterprise_id"].str[-6:] + f"-{suffix}"
    truth = inject(w, rate, rngs["inject"], cfg)
    for kind in FACILITIES:
        w[f"{kind}:co2_t"] = np.where(w[f"has_{kind}"], facility_co2(w, kind, cfg), np.nan)
    w["submitted_at"] = cm.deposit_times(w, rngs["deposit"])
    frames = []
    for kind in FACILITIES:
        sub = w.loc[w[f"has_{kind}"]].assign(unit_id=lambda d, k=kind: d[f"uid_{k}"])
        spec = [(c.split(":", 1)[1], c, _source(c.split(":", 1)[1]))
                for c in w.columns if isinstance(c, str) and c.startswith(f"{kind}:")]
        if len(sub):
            frames.append(cm.long_rows(sub, spec))
    monthly = pd.concat(frames, ignore_index=True)
    return {"enterprises": ents, "units": units, "monthly_parameters": monthly,
            "lab_reports": None, "truth": truth, "wide": w}
