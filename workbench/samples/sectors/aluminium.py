"""Aluminium smelters (电解铝) for the sector sample generator.

No smelter-level list was found (§6 of ``shared/domain/sectors-2025.md``); smelters are
placed by the real primary-aluminium capacity of each province
(``data/aluminium_capacity_by_province.csv``, PyPSA-China, 45 Mt/yr in all): a province's
capacity is split into smelters of typical size (§4.4: 0.2–1.0 Mt/yr; national ≈ one per
500 kt), each with potlines of 200–400 cells at 300–600 kA (the brief; §4.4: 300–600 kA)
whose Faraday capacity at 93 % makes up the smelter's share.  Cities come from the
province's real power plants (smelters sit next to their power), names from a city and
a real aluminium group's short name (魏桥, 信发, 东方希望 …).

Physics of a clean potline-month (§4.2, §4.4):

* liquid aluminium by Faraday (:func:`workbench.accounting.aluminium.faraday_output_t`),
  cells in operation 95–100 % of the cells, current 98–101 % of the rated, current
  efficiency 91–94 % (§4.5 check 1 band 88–96);
* AC electricity 13,000–13,500 kWh/t (the brief; GB 21346 levels 12,950–13,350, §4.4), the
  cell voltage it implies with a rectifier loss of 2–4 % at 3.9–4.1 V (§4.4);
* anodes: net 0.40–0.43 t/t (§4.4: 0.40–0.45), butts 20–30 % of gross (§4.4), sulphur
  1.5–2.5 % and ash 0.3–0.5 % (§4.4: 1.5–3.0, 0.2–0.6; defaults 2 and 0.4) from a monthly
  anode lab report; alumina 1.91–1.95 t/t, AlF3 10–25 kg/t (§4.4);
* AEM 0.02–0.3 min/cell-day (the brief; §4.4 modern lines 0.01–0.10), EF_CF4 = SEF × AEM,
  EF_C2F6 = ratio × EF_CF4 (§4.2, factor table), pfc_co2e_t with the configured GWP;
* co2_t of a potline = anode CO2 (:func:`~workbench.accounting.aluminium.anode_co2_t`);
  the enterprise level files its ingots, diesel for casting and vehicles, limestone and
  co2_t = E_fuel + E_carbonate + Σ anode CO2 (§4.2 E_ent without the PFC, which it files
  as pfc_co2e_t = Σ potlines).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.accounting import aluminium as acc
from workbench.factors import factor, fuel_defaults, gwp
from workbench.samples.filings import month_frame
from workbench.samples.names_zh import ORDINALS
from workbench.samples.sectors import _common as cm

DATA = Path(__file__).with_name("data")
#: Real Chinese aluminium groups (short names).
GROUPS = ("魏桥", "信发", "东方希望", "中铝", "神火", "南山", "云铝", "其亚", "锦江", "创元",
          "天山", "嘉润", "华仁", "百矿", "启明星")
CURRENTS = np.array([300.0, 350.0, 400.0, 420.0, 500.0, 600.0])
KINDS = ("aluminium.underreported_aem", "aluminium.output_above_faraday",
         "aluminium.electricity_implausible", "aluminium.anode_s_ash_inflated")
#: Provinces of the capacity file spelt without their space.
_SPELLING = {"InnerMongolia": "Inner Mongolia"}


def capacities() -> pd.DataFrame:
    """Province (zh) and its primary-aluminium capacity (kt/yr)."""
    d = pd.read_csv(DATA / "aluminium_capacity_by_province.csv")
    en = d["province_en"].replace(_SPELLING)
    return pd.DataFrame({"province": en.map(lambda x: cm.power_plants.PROVINCES[x][0]),
                         "capacity_kt": d["capacity_10kt_per_year"].to_numpy(float) * 10})


def has_smelters(province: str) -> bool:
    """Whether the capacity file gives ``province`` any primary-aluminium capacity."""
    cap = capacities()
    return bool((cap.loc[cap["province"] == province, "capacity_kt"] > 0).any())


def smelters(n: int | None, province: str | None, rng: np.random.Generator) -> pd.DataFrame:
    """Smelters with province, city, name and capacity (kt/yr): national (``province``
    None) one per ~500 kt of a province with at least 100 kt; in one province ``n`` (at
    most one per 100 kt of its capacity; none in a province without smelters)."""
    cap = capacities()
    if province is not None:
        cap = cap[cap["province"] == province]
        # no more smelters than the province's capacity holds at 100 kt each (§4.4 typical
        # smelters are 0.2–1.0 Mt/yr; a province's small capacity is one smelter)
        counts = np.clip(np.round(cap["capacity_kt"].to_numpy() / 100), 1, n or 1).astype(int)
    else:
        cap = cap[cap["capacity_kt"] >= 100]
        counts = np.maximum(1, np.round(cap["capacity_kt"].to_numpy() / 500)).astype(int)
    rows = []
    for (prov, total), k in zip(zip(cap["province"], cap["capacity_kt"], strict=True), counts,
                                strict=True):
        share = rng.dirichlet(np.full(k, 4.0))
        for c, s in zip(cm.random_cities(prov, k, rng), share, strict=True):
            rows.append((prov, c, total * s))
    out = pd.DataFrame(rows, columns=["province", "city", "capacity_kt"])
    seen: dict[str, int] = {}
    names = []
    for p, c, g in zip(out["province"], out["city"], rng.choice(GROUPS, len(out)), strict=True):
        who = f"{cm.short_city(p, c)}{g}"
        k = seen.get(who, 0)
        seen[who] = k + 1
        names.append(f"{who}{ORDINALS[k] if k < len(ORDINALS) else f'第{k + 1}'}铝业有限公司")
    out["enterprise_name"] = names
    return out


def master(s: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enterprises, their enterprise-level facility and potlines."""
    ents = cm.enterprises(s["enterprise_name"], s["province"], s["city"], "aluminium", rng)
    eid = list(ents["enterprise_id"])
    rows = []
    for e, cap in zip(eid, s["capacity_kt"], strict=True):
        year = int(rng.integers(2005, 2022))
        rows.append((f"{e[-6:]}-AE", e, "aluminium_enterprise", np.nan, pd.NA, np.nan, year))
        k = max(1, int(round(cap / 300)))
        for j in range(k):
            current = float(rng.choice(CURRENTS))
            per_cell = acc.faraday_output_t(current, 1, 8760, 93.0) / 1000   # kt/yr per cell
            cells = int(np.clip(round(cap / k / per_cell), 200, 400))
            design = round(acc.faraday_output_t(current, cells, 8760, 93.0) / 1000, 1)
            rows.append((f"{e[-6:]}-P{j + 1}", e, "potline", design, cells, current,
                         min(year + 2 * j, 2024)))
    units = pd.DataFrame(rows, columns=["unit_id", "enterprise_id", "unit_category_code",
                                        "design_capacity_kt", "cells", "line_current_ka",
                                        "commissioning_year"])
    units["cells"] = units["cells"].astype("Int64")
    return ents, units


def operations(units: pd.DataFrame, periods: list[str], rng: np.random.Generator,
               cfg: dict) -> pd.DataFrame:
    """The clean potline-month frame."""
    pot = units[units["unit_category_code"] == "potline"]
    w = month_frame(pot, periods).sort_values(["unit_id", "period"]).reset_index(drop=True)
    n = len(w)
    li = pd.factorize(w["unit_id"])[0]
    n_l = li.max() + 1
    cells = w["cells"].to_numpy(float)
    w["cells_in_operation"] = np.floor(cells * rng.uniform(0.95, 1.0, n))
    w["line_current_ka"] = np.round(w["line_current_ka"].to_numpy(float)
                                    * rng.uniform(0.98, 1.01, n), 1)
    ce = np.round((rng.uniform(91.5, 93.5, n_l)[li] + rng.normal(0, 0.3, n)).clip(91, 94), 2)
    w["current_efficiency_pct"] = ce
    hours = w["days"].to_numpy(float) * 24
    w["hours"] = hours
    al = np.round(acc.faraday_output_t(w["line_current_ka"].to_numpy(float),
                                       w["cells_in_operation"].to_numpy(float), hours, ce), 1)
    w["liquid_al_output_t"] = al
    ac = rng.uniform(13000, 13500, n)                              # kWh/t, the brief; §4.4
    w["electrolysis_ac_electricity_mwh"] = np.round(al * ac / 1000, 1)
    dc = ac / rng.uniform(1.02, 1.04, n)                           # rectifier loss (assumption)
    w["avg_cell_voltage_v"] = np.round(dc * acc.FARADAY_KG_PER_KA_H * ce / 100 / 1000, 3)
    nc = rng.uniform(0.40, 0.43, n)                                # §4.4 net anode t/t
    butts = rng.uniform(0.20, 0.30, n)                             # §4.4 share of gross
    gross = np.round(al * nc / (1 - butts), 1)
    w["anode_gross_consumption_t"] = gross
    w["anode_butts_returned_t"] = np.round(gross * butts, 1)
    w["anode_net_consumption_t_per_t"] = np.round(acc.net_anode_consumption_t_per_t(
        gross, w["anode_butts_returned_t"].to_numpy(), al), 4)
    s = np.round((rng.uniform(1.6, 2.4, n_l)[li] + rng.normal(0, 0.08, n)).clip(1.5, 2.5), 2)
    a = np.round((rng.uniform(0.32, 0.48, n_l)[li] + rng.normal(0, 0.02, n)).clip(0.3, 0.5), 2)
    w["anode_sulfur_pct"], w["anode_ash_pct"] = s, a
    w["lab_sulfur_pct"], w["lab_ash_pct"] = s, a
    aem = np.round(np.exp(rng.uniform(np.log(0.02), np.log(0.3), n_l)[li]
                          + rng.normal(0, 0.15, n)).clip(0.02, 0.3), 4)   # the brief
    w["aem_min_per_cell_day"] = aem
    w["alumina_consumption_t"] = np.round(al * rng.uniform(1.91, 1.95, n), 1)  # §4.4
    w["alf3_consumption_t"] = np.round(al * rng.uniform(10, 25, n) / 1000, 2)  # §4.4
    return w


def pfc(w: pd.DataFrame, cfg: dict) -> None:
    """EF_CF4, EF_C2F6 and pfc_co2e_t from the filed AEM and output (§4.2)."""
    g = gwp(cfg)
    w["ef_cf4_kg_per_t"] = np.round(acc.cf4_ef_slope_kg_per_t(
        w["aem_min_per_cell_day"], factor(cfg, "aluminium", "sef_cf4")), 6)
    w["ef_c2f6_kg_per_t"] = np.round(acc.c2f6_ef_kg_per_t(
        w["ef_cf4_kg_per_t"], factor(cfg, "aluminium", "c2f6_cf4_ratio")), 6)
    w["pfc_co2e_t"] = np.round(acc.pfc_co2e_t(w["liquid_al_output_t"], w["ef_cf4_kg_per_t"],
                                              w["ef_c2f6_kg_per_t"], g["cf4"], g["c2f6"]), 2)
    w["co2_t"] = np.round(acc.anode_co2_t(w["liquid_al_output_t"],
                                          w["anode_net_consumption_t_per_t"],
                                          w["anode_sulfur_pct"], w["anode_ash_pct"]), 2)


def enterprise_level(units: pd.DataFrame, w: pd.DataFrame, periods: list[str],
                     rng: np.random.Generator, cfg: dict) -> pd.DataFrame:
    """The enterprise-level facility-months: ingots, diesel, limestone and purchased power,
    from the clean potline frame ``w`` (what the smelter really made)."""
    ae = units[units["unit_category_code"] == "aluminium_enterprise"]
    e = month_frame(ae, periods).sort_values(["unit_id", "period"]).reset_index(drop=True)
    n = len(e)
    tot = w.groupby(["enterprise_id", "period"])[["liquid_al_output_t"]].sum()
    tot = tot.reindex(pd.MultiIndex.from_frame(e[["enterprise_id", "period"]]))
    al = tot["liquid_al_output_t"].to_numpy()
    e["al_ingot_output_t"] = np.round(al * rng.uniform(0.96, 0.995, n), 1)  # assumption
    d = fuel_defaults(cfg, "diesel")
    e["diesel_consumption_t"] = np.round(al * rng.uniform(0.5, 1.5, n) / 1000, 2)  # assumption
    e["diesel_ncv_gj_per_t"], e["diesel_cc_tc_per_gj"] = d["ncv"], d["cc"]
    e["limestone_t"] = np.round(al * rng.uniform(0.002, 0.006, n), 1)    # assumption
    e["purchased_electricity_mwh"] = np.round(
        w.groupby(["enterprise_id", "period"])["electrolysis_ac_electricity_mwh"].sum()
        .reindex(pd.MultiIndex.from_frame(e[["enterprise_id", "period"]])).to_numpy()
        * rng.uniform(1.02, 1.05, n), 1)                                 # assumption
    return e


def enterprise_co2(e: pd.DataFrame, cfg: dict) -> np.ndarray:
    """co2_t of the enterprise level (t CO2e, 0.01): E_ent of §4.2, diesel + limestone + Σ
    potline anode CO2 + Σ potline PFC."""
    d = fuel_defaults(cfg, "diesel")
    e_fuel = acc.fuel_co2_t(e["diesel_consumption_t"], e["diesel_ncv_gj_per_t"],
                            e["diesel_cc_tc_per_gj"], d["of"])
    carb = acc.carbonate_co2_t({"limestone": e["limestone_t"]},
                               {"limestone": factor(cfg, "carbonates", "limestone")})
    return np.round(acc.enterprise_co2e_t(e_fuel, e["anode_co2_t"], e["pfc_co2e_t"], carb),
                    2).to_numpy()


def inject(w: pd.DataFrame, rate: float, rng: np.random.Generator) -> list[tuple]:
    """Inject the aluminium kinds of §4.6 into the potline frame (in place)."""
    truth: list[tuple] = []
    used: set = set()
    keys = w[["enterprise_id", "period"]]
    n_k = len(KINDS)
    all_rows = np.ones(len(w), bool)
    # under-reported anode-effect minutes (§4.5 check 5, §4.6)
    rows = cm.pick_targets(keys, all_rows, rate, n_k, used, rng)
    w.loc[rows, "aem_min_per_cell_day"] = np.round(rng.uniform(0.0, 0.005, len(rows)), 4)
    truth += _truth(w, rows, "aluminium.underreported_aem", ("aem_min_per_cell_day",))
    # output above Faraday (§4.5 check 1, §4.6): more aluminium than the current can make
    rows = cm.pick_targets(keys, all_rows, rate, n_k, used, rng)
    w.loc[rows, "liquid_al_output_t"] = np.round(
        w.loc[rows, "liquid_al_output_t"] * rng.uniform(1.06, 1.12, len(rows)), 1)
    truth += _truth(w, rows, "aluminium.output_above_faraday", ("liquid_al_output_t",))
    # electricity per t implausible (§4.4, §4.5 check 2: 12,800–14,000 kWh/t)
    rows = cm.pick_targets(keys, all_rows, rate, n_k, used, rng)
    low = rng.random(len(rows)) < 0.5
    f = np.where(low, rng.uniform(0.84, 0.92, len(rows)), rng.uniform(1.09, 1.15, len(rows)))
    w.loc[rows, "electrolysis_ac_electricity_mwh"] = np.round(
        w.loc[rows, "electrolysis_ac_electricity_mwh"] * f, 1)
    truth += _truth(w, rows, "aluminium.electricity_implausible",
                    ("electrolysis_ac_electricity_mwh",))
    # anode sulphur and ash inflated (§4.5 check 4: S + A above 3.5 %; §4.6)
    rows = cm.pick_targets(keys, all_rows, rate, n_k, used, rng)
    w.loc[rows, "anode_sulfur_pct"] = np.round(rng.uniform(3.2, 4.0, len(rows)), 2)
    w.loc[rows, "anode_ash_pct"] = np.round(rng.uniform(0.8, 1.2, len(rows)), 2)
    truth += _truth(w, rows, "aluminium.anode_s_ash_inflated",
                    ("anode_sulfur_pct", "anode_ash_pct"))
    return truth


def _truth(w, rows, kind, codes):
    return [(kind, w.at[i, "enterprise_id"], w.at[i, "unit_id"], w.at[i, "period"], c)
            for i in rows for c in codes]


POTLINE = ("liquid_al_output_t", "anode_gross_consumption_t", "anode_butts_returned_t",
           "anode_net_consumption_t_per_t", "anode_sulfur_pct", "anode_ash_pct",
           "aem_min_per_cell_day", "cells_in_operation", "line_current_ka",
           "avg_cell_voltage_v", "current_efficiency_pct", "ef_cf4_kg_per_t",
           "ef_c2f6_kg_per_t", "electrolysis_ac_electricity_mwh", "alumina_consumption_t",
           "alf3_consumption_t", "co2_t", "pfc_co2e_t")
ENTERPRISE = ("al_ingot_output_t", "diesel_consumption_t", "diesel_ncv_gj_per_t",
              "diesel_cc_tc_per_gj", "limestone_t", "purchased_electricity_mwh", "co2_t",
              "pfc_co2e_t")
_CALCULATED = ("anode_net_consumption_t_per_t", "ef_cf4_kg_per_t", "ef_c2f6_kg_per_t",
               "co2_t", "pfc_co2e_t")
_DEFAULT = ("diesel_ncv_gj_per_t", "diesel_cc_tc_per_gj")


def _spec(codes):
    return [(c, c, "calculated" if c in _CALCULATED else "default" if c in _DEFAULT
             else "measured") for c in codes]


def generate(n: int | None, province: str | None, periods: list[str], rate: float,
             rngs: dict[str, np.random.Generator], cfg: dict) -> dict:
    """Enterprises, facilities, monthly parameters, anode lab reports and truth."""
    s = smelters(n, province, rngs["master"])
    ents, units = master(s, rngs["master"])
    w = operations(units, periods, rngs["ops"], cfg)
    lab = pd.concat([w, cm.lab_dates(w, rngs["labs"])], axis=1)
    lab = cm.assign_labs(lab, ents, "炭素材料", "A", rngs["labs"])
    w["report_id"], w["report_date"] = lab["report_id"], lab["report_date"]
    e = enterprise_level(units, w, periods, rngs["ops"], cfg)
    truth = inject(w, rate, rngs["inject"])
    pfc(w, cfg)
    tot = w.groupby(["enterprise_id", "period"])[["co2_t", "pfc_co2e_t"]].sum().reindex(
        pd.MultiIndex.from_frame(e[["enterprise_id", "period"]]))
    e["anode_co2_t"] = tot["co2_t"].to_numpy()
    e["pfc_co2e_t"] = np.round(tot["pfc_co2e_t"].to_numpy(), 2)
    e["co2_t"] = enterprise_co2(e, cfg)
    dep = w.groupby(["enterprise_id", "period"])["report_date"].max()
    e["report_date"] = dep.reindex(pd.MultiIndex.from_frame(e[["enterprise_id", "period"]])
                                   ).to_numpy()
    e["submitted_at"] = cm.deposit_times(e, rngs["deposit"], after=e["report_date"])
    at = e.set_index(["enterprise_id", "period"])["submitted_at"]
    w["submitted_at"] = at.reindex(pd.MultiIndex.from_frame(w[["enterprise_id", "period"]])
                                   ).to_numpy()
    for code in ("anode_sulfur_pct", "anode_ash_pct"):
        w[f"report_{code}"] = w["report_id"]
    monthly = pd.concat([cm.long_rows(w, _spec(POTLINE)), cm.long_rows(e, _spec(ENTERPRISE))],
                        ignore_index=True)
    reports = lab.rename(columns={"period": "covered_period", "lab_sulfur_pct":
                                  "sulfur_total_pct", "lab_ash_pct": "ash_pct"})
    reports = reports.drop(columns=["anode_sulfur_pct", "anode_ash_pct"], errors="ignore")
    reports = reports.assign(sample_type_code="anode")
    return {"enterprises": ents, "units": units, "monthly_parameters": monthly,
            "lab_reports": reports, "truth": truth, "wide": w, "enterprise_wide": e}
