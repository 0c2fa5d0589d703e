"""Cement clinker plants (水泥熟料) for the sector sample generator.

**No plant-level cement list was reachable** (``shared/data/real/README.md``; GEM's Global
Cement and Concrete Tracker has no public copy, §6 of ``shared/domain/sectors-2025.md``), so
plants are built from typical new dry-process clinker lines as the notes recommend: 1–3
lines of 2,500–10,000 t/d (§3.4: 2,500–12,000 t/d, mainstream 5,000 t/d), spread over the
provinces in proportion to their real coal and gas power plants (a proxy of where heavy
industry sits, :func:`workbench.samples.plants.load_plants`), cities from those plants.
Names join a city's short name and a real cement group's (海螺, 华新 …) with 水泥有限公司.

Physics of a clean line-month (sections of the notes):

* kiln operating days below the month (winter 错峰生产 stops: assumption), clinker =
  rated t/d × days × 0.95–1.05, never above rated × days × 1.10 (§3.5 check 2); raw meal
  1.50–1.65 t/t clinker (§3.4);
* stock balance: opening + output + purchased − sold − used by the mills = closing, the
  next month opening at the closing, and used = cement × clinker factor 0.60–0.75 (§3.4,
  §3.5 check 3);
* clinker CaO 62–67 %, MgO 0.8–4 % (§3.4) from a monthly clinker lab report (GB/T 176);
  a measured EF from the oxides (:func:`workbench.accounting.cement.clinker_ef_from_oxides`,
  CaO_nc 0–1.5 %, §3.4), or the default of the clinker type with the substitutes'
  deduction (steel slag, carbide slag × DF, §3.2);
* coal for 3.0–3.4 GJ/t clinker of kiln heat (the brief; §3.4: 2.9–3.2 modern, §3.5 check 6:
  2.7–3.6), NCV 20–25 GJ/t and CC 25–28 tC/TJ measured (§3.5 check 6), OF 0.99;
* co2_t = coal × NCV × CC × OF × 44/12 + clinker × EF − deduction (§3.2), 0.78–0.90
  tCO2/t clinker (§3.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.accounting import cement as acc
from workbench.accounting import power
from workbench.accounting.common import fuel_co2_t
from workbench.factors import factors
from workbench.samples.filings import month_frame
from workbench.samples.names_zh import ORDINALS
from workbench.samples.sectors import _common as cm

#: Real Chinese cement groups (the short names they trade under).
GROUPS = ("海螺", "华新", "中联", "南方", "冀东", "金隅", "华润", "红狮", "天瑞", "亚泰",
          "山水", "祁连山", "尧柏", "塔牌", "台泥", "万年青", "上峰", "西南")
#: Line sizes (t/d) and their shares: §3.4 mainstream 5,000 t/d.
SIZES = np.array([2500, 3200, 4000, 4500, 5000, 6000, 8000, 10000])
SIZE_P = np.array([0.18, 0.07, 0.08, 0.07, 0.38, 0.08, 0.07, 0.07])
KINDS = ("cement.cement_filed_as_clinker", "cement.cao_wrong_sample",
         "cement.inflated_deductions", "cement.stock_balance_broken")
#: Winter peak-staggering months (错峰生产; assumption, the notes give no figure).
WINTER = (1, 2, 12)


def plants(n: int, province: str | None, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` plants: province (all in ``province`` when given), city, name, lines."""
    pc = cm._power_cities()
    if province is None:
        share = pc["province"].value_counts(normalize=True).sort_index()
        provs = rng.choice(share.index.to_numpy(), n, p=share.to_numpy())
    else:
        provs = np.full(n, province)
    provs = np.sort(provs)
    city = []
    for p in dict.fromkeys(provs):
        city += cm.random_cities(p, int((provs == p).sum()), rng)
    group = rng.choice(GROUPS, n)
    seen: dict[str, int] = {}
    names = []
    for p, c, g in zip(provs, city, group, strict=True):
        who = f"{cm.short_city(p, c)}{g}"
        k = seen.get(who, 0)
        seen[who] = k + 1
        names.append(f"{who}{ORDINALS[k] if k < len(ORDINALS) else f'第{k + 1}'}水泥有限公司")
    return pd.DataFrame({"province": provs, "city": city, "enterprise_name": names,
                         "n_lines": rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])})


def master(p: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enterprises and clinker lines."""
    ents = cm.enterprises(p["enterprise_name"], p["province"], p["city"], "cement", rng)
    eid = list(ents["enterprise_id"])
    idx = np.repeat(np.arange(len(p)), p["n_lines"].to_numpy())
    no = np.concatenate([np.arange(1, k + 1) for k in p["n_lines"]])
    n = len(idx)
    rated = rng.choice(SIZES, n, p=SIZE_P).astype(float)
    ctype = np.where(rng.random(n) < 0.03, "white_portland", "portland")
    units = pd.DataFrame({
        "unit_id": [f"{np.array(eid)[i][-6:]}-L{k}" for i, k in zip(idx, no, strict=True)],
        "enterprise_id": np.array(eid)[idx], "unit_category_code": "clinker_line",
        "clinker_type_code": ctype, "rated_capacity_t_per_d": rated,
        "design_capacity_kt": np.round(rated * 310 / 1000, 0),   # §3.4: 300–320 days
        "commissioning_year": rng.integers(2003, 2021, n)})
    return ents, units


def operations(units: pd.DataFrame, periods: list[str], rng: np.random.Generator,
               cfg: dict) -> pd.DataFrame:
    """The clean line-month frame."""
    w = month_frame(units, periods).sort_values(["unit_id", "period"]).reset_index(drop=True)
    n = len(w)
    li = pd.factorize(w["unit_id"])[0]
    n_l = li.max() + 1
    days = w["days"].to_numpy(float)
    winter = np.isin(w["month"], WINTER)
    op = days * np.where(winter, rng.uniform(0.35, 0.70, n), rng.uniform(0.80, 0.97, n))
    op = np.round(op, 1)
    rated = w["rated_capacity_t_per_d"].to_numpy(float)
    clinker = np.round(rated * op * rng.uniform(0.95, 1.05, n), 1)      # §3.5 check 2
    raw_meal = np.round(clinker * rng.uniform(1.50, 1.65, n), 1)       # §3.4
    # chemistry (§3.4): CaO 62–67 %, MgO 0.8–4 %, the line's level plus monthly noise
    cao = np.round((rng.uniform(63.8, 65.8, n_l)[li] + rng.normal(0, 0.3, n)).clip(62, 67), 2)
    mgo = np.round((rng.uniform(1.0, 2.8, n_l)[li] + rng.normal(0, 0.15, n)).clip(0.8, 4.0), 2)
    measured = rng.random(n_l)[li] < 0.7                               # EF from the oxides
    uses_steel_slag = rng.random(n_l)[li] < 0.4
    # carbide slag (a large non-carbonate CaO source) only on lines using the default EF,
    # so that a measured EF stays in the §3.5 check 4 band (0.49–0.56)
    uses_carbide = (rng.random(n_l)[li] < 0.1) & ~measured
    steel_slag = np.round(np.where(uses_steel_slag, clinker * rng.uniform(0.01, 0.03, n), 0), 1)
    carbide = np.round(np.where(uses_carbide, raw_meal * rng.uniform(0.02, 0.035, n), 0), 1)
    df = factors(cfg, "cement", kind="deduction")
    # CaO of non-carbonate origin on a clinker basis (§3.2): from the substitutes' DF
    cao_nc = np.round((steel_slag * df["df_steel_slag"] + carbide * df["df_carbide_slag"])
                      / np.where(clinker > 0, clinker, np.nan) / acc.CO2_PER_CAO * 100, 2)
    ef_default = np.array([acc.default_clinker_ef(t, factors(cfg, "cement", kind="clinker_ef"))
                           for t in w["clinker_type_code"]])
    ef_meas = np.round(acc.clinker_ef_from_oxides(cao, mgo, np.nan_to_num(cao_nc), 0.0), 4)
    w["ef_source"] = np.where(measured, "calculated", "default")
    w["ef_measured"] = measured
    w["clinker_output_t"] = clinker
    w["raw_meal_feed_t"] = raw_meal
    w["kiln_operating_days"] = op
    w["cao_clinker_pct"] = np.where(measured, cao, np.nan)
    w["mgo_clinker_pct"] = np.where(measured, mgo, np.nan)
    w["cao_nc_pct"] = np.where(measured, np.nan_to_num(cao_nc), np.nan)
    w["lab_cao_pct"], w["lab_mgo_pct"] = cao, mgo
    w["ef_clinker_tco2_per_t"] = np.where(measured, ef_meas, ef_default)
    # default-EF lines deduct their substitutes; measured lines net them in CaO_nc (§3.2)
    w["steel_slag_t"] = np.where(uses_steel_slag, steel_slag, np.nan)
    w["carbide_slag_t"] = np.where(uses_carbide, carbide, np.nan)
    # kiln coal: 3.0–3.4 GJ/t clinker (the brief; §3.4, §3.5 check 6)
    heat = clinker * rng.uniform(3.0, 3.4, n)
    ncv = np.round((rng.normal(22.5, 1.0, n_l)[li] + rng.normal(0, 0.4, n)).clip(20, 25), 3)
    cc = np.round((rng.normal(0.0262, 0.0004, n_l)[li] + rng.normal(0, 0.0002, n))
                  .clip(0.0250, 0.0280), 5)                            # §3.5: 25–28 tC/TJ
    w["coal_consumption_t"] = np.round(heat / ncv, 1)
    w["ncv_gj_per_t"] = ncv
    _coal_analysis(w, cc, rng)
    w["oxidation_rate"] = cfg["policy"]["coal"]["oxidation_rate"]
    w["clinker_electricity_kwh_per_t"] = np.round(rng.uniform(48, 61, n), 1)  # §3.4 GB 16780
    w["purchased_electricity_mwh"] = np.round(clinker * w["clinker_electricity_kwh_per_t"]
                                              * rng.uniform(0.7, 0.9, n) / 1000, 1)
    _stocks(w, rng)
    return w


#: The coal analysis of a kiln coal lab report (GB/T 212/213/476, as the power sector's).
COAL_LAB = ("carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
            "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t", "carbon_ar_pct")


def _coal_analysis(w: pd.DataFrame, cc: np.ndarray, rng: np.random.Generator) -> None:
    """The monthly composite sample of the kiln coal, with the power generator's relations:
    C_ar = C_ad × (100 − M_t)/(100 − M_ad), the gross CV that gives the NCV by GB/T 213,
    CC = C_ar / NCV (the filed CC is computed from the lab's C_ar)."""
    n = len(w)
    ncv = w["ncv_gj_per_t"].to_numpy(float)
    m_t = np.round(rng.normal(10.0, 2.0, n).clip(4.0, 20.0), 1)
    m_ad = np.round(np.minimum(rng.normal(2.0, 0.6, n).clip(0.6, 5.0), m_t - 1.5), 2)
    h_ad = np.round(rng.normal(3.6, 0.3, n).clip(2.4, 5.0), 2)
    c_ad = np.round(cc * ncv * 100 * (100 - m_ad) / (100 - m_t), 2)
    c_ar = np.round(power.carbon_ar_from_ad(c_ad, m_t, m_ad), 2)
    w["total_moisture_pct"], w["moisture_ad_pct"], w["hydrogen_ad_pct"] = m_t, m_ad, h_ad
    w["sulfur_total_pct"] = np.round(rng.lognormal(np.log(0.8), 0.4, n).clip(0.2, 3.0), 2)
    w["carbon_ad_pct"], w["carbon_ar_pct"] = c_ad, c_ar
    w["gross_cv_ad_mj_per_kg"] = np.round(power.gross_ad_from_ncv_ar(ncv, h_ad, m_t, m_ad), 2)
    w["ncv_ar_gj_per_t"] = ncv
    w["cc_tc_per_gj"] = np.round(c_ar / 100 / ncv, 5)


def _stocks(w: pd.DataFrame, rng: np.random.Generator) -> None:
    """Opening, purchased, sold, closing and cement output so that the stock balance holds
    (§3.5 check 3): month by month, vectorised over lines."""
    n = len(w)
    li = pd.factorize(w["unit_id"])[0]
    n_l = li.max() + 1
    factor = rng.uniform(0.60, 0.75, n_l)[li]                          # §3.4 clinker factor
    buys = rng.random(n_l)[li] < 0.1
    sells = rng.random(n_l)[li] < 0.3
    clinker = w["clinker_output_t"].to_numpy(float)
    purchased = np.round(np.where(buys, clinker * rng.uniform(0.0, 0.05, n), 0), 1)
    sold = np.round(np.where(sells, clinker * rng.uniform(0.0, 0.15, n), 0), 1)
    target = np.round(w["rated_capacity_t_per_d"].to_numpy(float) * rng.uniform(3, 9, n), 1)
    n_periods = int(w["period"].nunique())     # every line files every month (sorted)
    shape = (n_l, n_periods)
    c2, p2, s2, t2 = (x.reshape(shape) for x in (clinker, purchased, sold, target))
    o2, cl2 = np.zeros(shape), np.zeros(shape)
    o2[:, 0] = t2[:, 0]
    for k in range(n_periods):
        if k:
            o2[:, k] = cl2[:, k - 1]
        avail = o2[:, k] + c2[:, k] + p2[:, k] - s2[:, k]
        cl2[:, k] = np.round(np.clip(t2[:, k], 0, avail * 0.5), 1)
    opening, closing = o2.ravel(), cl2.ravel()
    used = opening + clinker + purchased - sold - closing
    w["clinker_opening_stock_t"] = np.round(opening, 1)
    w["clinker_closing_stock_t"] = closing
    w["clinker_purchased_t"], w["clinker_sold_t"] = purchased, sold
    w["cement_output_t"] = np.round(used / factor, 1)
    w["clinker_used_t"] = used


def line_co2(w: pd.DataFrame, cfg: dict) -> np.ndarray:
    """co2_t of a line (t, 0.01): fuel + clinker × EF − deduction (§3.2)."""
    e_fuel = fuel_co2_t(w["coal_consumption_t"], w["ncv_gj_per_t"], w["cc_tc_per_gj"],
                        w["oxidation_rate"]).to_numpy(float)
    df = factors(cfg, "cement", kind="deduction")
    ded = acc.substitutes_deduction_t({"steel_slag": w["steel_slag_t"].fillna(0),
                                       "carbide_slag": w["carbide_slag_t"].fillna(0)}, df)
    ded = np.where(w["ef_measured"], 0.0, ded)
    e_proc = acc.clinker_process_co2_t(w["clinker_output_t"].to_numpy(float),
                                       w["ef_clinker_tco2_per_t"].to_numpy(float), ded)
    return np.round(acc.clinker_co2_t(e_fuel, 0.0, e_proc), 2)


def inject(w: pd.DataFrame, rate: float, rng: np.random.Generator) -> list[tuple]:
    """Inject the cement kinds of §3.6 into ``w`` (in place); the truth rows."""
    truth: list[tuple] = []
    used: set = set()
    keys = w[["enterprise_id", "period"]]
    n_k = len(KINDS)
    last = w["period"] == w["period"].max()
    # cement output filed as clinker (§3.6): output above what the kiln can make
    bigger = (w["cement_output_t"] > 1.15 * w["rated_capacity_t_per_d"]
              * w["kiln_operating_days"]).to_numpy()
    rows = cm.pick_targets(keys, bigger, rate, n_k, used, rng)
    w.loc[rows, "clinker_output_t"] = w.loc[rows, "cement_output_t"]
    truth += _truth(w, rows, "cement.cement_filed_as_clinker", ("clinker_output_t",))
    # CaO from the wrong sample (§3.6): a cement sample's CaO filed, the clinker report kept
    rows = cm.pick_targets(keys, w["ef_measured"].to_numpy(bool), rate, n_k, used, rng)
    cao = np.round(w.loc[rows, "cao_clinker_pct"] * rng.uniform(0.72, 0.85, len(rows)), 2)
    w.loc[rows, "cao_clinker_pct"] = cao
    w.loc[rows, "ef_clinker_tco2_per_t"] = np.round(acc.clinker_ef_from_oxides(
        cao, w.loc[rows, "mgo_clinker_pct"], w.loc[rows, "cao_nc_pct"]), 4)
    truth += _truth(w, rows, "cement.cao_wrong_sample",
                    ("cao_clinker_pct", "ef_clinker_tco2_per_t"))
    # inflated non-carbonate deductions (§3.5 check 5, §3.6): substitutes ×2–3 on default
    # lines, a measured EF below its own chemistry on measured lines
    rows = cm.pick_targets(keys, np.ones(len(w), bool), rate, n_k, used, rng)
    meas = rows[w.loc[rows, "ef_measured"].to_numpy(bool)]
    dflt = rows[~w.loc[rows, "ef_measured"].to_numpy(bool)]
    w.loc[meas, "ef_clinker_tco2_per_t"] = np.round(
        w.loc[meas, "ef_clinker_tco2_per_t"] * rng.uniform(0.90, 0.95, len(meas)), 4)
    truth += _truth(w, meas, "cement.inflated_deductions", ("ef_clinker_tco2_per_t",))
    clinker = w.loc[dflt, "clinker_output_t"]
    w.loc[dflt, "steel_slag_t"] = np.round(clinker * rng.uniform(0.08, 0.12, len(dflt)), 1)
    truth += _truth(w, dflt, "cement.inflated_deductions", ("steel_slag_t",))
    # stock balance broken (§1.5, §3.5 check 3): the closing stock hides clinker, the next
    # month opens at the true stock
    rows = cm.pick_targets(keys, ~last.to_numpy(), rate, n_k, used, rng, max_run=1)
    w.loc[rows, "clinker_closing_stock_t"] = np.round(
        w.loc[rows, "clinker_closing_stock_t"] * rng.uniform(0.3, 0.7, len(rows)), 1)
    truth += _truth(w, rows, "cement.stock_balance_broken", ("clinker_closing_stock_t",))
    return truth


def _truth(w, rows, kind, codes):
    return [(kind, w.at[i, "enterprise_id"], w.at[i, "unit_id"], w.at[i, "period"], c)
            for i in rows for c in codes]


SPEC = [("clinker_output_t", "clinker_output_t", "measured"),
        ("clinker_opening_stock_t", "clinker_opening_stock_t", "measured"),
        ("clinker_closing_stock_t", "clinker_closing_stock_t", "measured"),
        ("clinker_purchased_t", "clinker_purchased_t", "measured"),
        ("clinker_sold_t", "clinker_sold_t", "measured"),
        ("raw_meal_feed_t", "raw_meal_feed_t", "measured"),
        ("cement_output_t", "cement_output_t", "measured"),
        ("cao_clinker_pct", "cao_clinker_pct", "measured"),
        ("mgo_clinker_pct", "mgo_clinker_pct", "measured"),
        ("cao_nc_pct", "cao_nc_pct", "calculated"),
        ("ef_clinker_tco2_per_t", "ef_clinker_tco2_per_t", "ef_source"),
        ("steel_slag_t", "steel_slag_t", "measured"),
        ("carbide_slag_t", "carbide_slag_t", "measured"),
        ("coal_consumption_t", "coal_consumption_t", "measured"),
        ("ncv_gj_per_t", "ncv_gj_per_t", "measured"),
        ("carbon_ar_pct", "carbon_ar_pct", "measured"),
        ("cc_tc_per_gj", "cc_tc_per_gj", "calculated"),
        ("oxidation_rate", "oxidation_rate", "default"),
        ("kiln_operating_days", "kiln_operating_days", "measured"),
        ("clinker_electricity_kwh_per_t", "clinker_electricity_kwh_per_t", "measured"),
        ("purchased_electricity_mwh", "purchased_electricity_mwh", "measured"),
        ("co2_t", "co2_t", "calculated")]


def generate(n: int, province: str | None, periods: list[str], rate: float,
             rngs: dict[str, np.random.Generator], cfg: dict) -> dict:
    """Enterprises, lines, monthly parameters, clinker and coal lab reports and truth."""
    p = plants(n, province, rngs["master"])
    ents, units = master(p, rngs["master"])
    w = operations(units, periods, rngs["ops"], cfg)
    # lab reports: the clinker sample of the lines that measure their EF, the kiln coal of
    # every line, numbered together by the province's building-materials labs
    base = ["enterprise_id", "unit_id", "period", "month_end"]
    clk = w.loc[w["ef_measured"], [*base, "lab_cao_pct", "lab_mgo_pct"]].rename(
        columns={"lab_cao_pct": "cao_pct", "lab_mgo_pct": "mgo_pct"})
    coal = w[[*base, *COAL_LAB]]
    lab = pd.concat([clk.assign(row=clk.index, sample_type_code="clinker"),
                     coal.assign(row=coal.index, sample_type_code="coal")], ignore_index=True)
    lab = pd.concat([lab, cm.lab_dates(lab, rngs["labs"])], axis=1)
    lab = cm.assign_labs(lab, ents, "建材", "C", rngs["labs"])
    by = {t: lab[lab["sample_type_code"] == t].set_index("row") for t in ("clinker", "coal")}
    truth = inject(w, rate, rngs["inject"])
    w["co2_t"] = line_co2(w, cfg)
    reported = pd.concat([by["clinker"]["report_date"].reindex(w.index),
                          by["coal"]["report_date"].reindex(w.index)], axis=1).max(axis=1)
    w["submitted_at"] = cm.deposit_times(w, rngs["deposit"], after=reported)
    for code in ("cao_clinker_pct", "mgo_clinker_pct", "ef_clinker_tco2_per_t"):
        w[f"report_{code}"] = by["clinker"]["report_id"].reindex(w.index).where(
            w["ef_measured"])
    for code in ("ncv_gj_per_t", "carbon_ar_pct", "cc_tc_per_gj"):
        w[f"report_{code}"] = by["coal"]["report_id"].reindex(w.index)
    monthly = cm.long_rows(w, SPEC)
    reports = lab.rename(columns={"period": "covered_period"}).drop(columns="row")
    return {"enterprises": ents, "units": units, "monthly_parameters": monthly,
            "lab_reports": reports, "truth": truth, "wide": w}
