"""Cement plants (clinker lines) placed over five provinces: monthly physics, filing,
emissions, lab reports, injected problems and partial exports (README.md "Cement").

No plant-level cement list exists in the shared data, so plants are made from the line
sizes of the notes (2,500-12,000 t/d, mainstream 5,000 t/d) and placed over 山东, 安徽,
河南, 河北 and 山西 with shares of my own (README.md).  One facility per clinker line
(``clinker_line``); a plant's coal is tested once a month for all its lines (a coal report
without a unit), each line's clinker once a month (a clinker report of the line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from benchmarks.realset_sectors import common as c
from workbench.accounting import cement as acc
from workbench.accounting.common import fuel_co2_t

KINDS = ("cement.cement_filed_as_clinker", "cement.cao_wrong_sample",
         "cement.inflated_deductions", "cement.stock_balance_broken",
         "cement.ef_below_chemistry", "cement.fuel_underreported")
STREAMS = ("master", "ops", "quality", "labs", "deposits", "plan", "partial")
#: Province shares of the set's plants (assumption, README.md "Cement").
PROVINCE_SHARES = {"山东": 0.28, "安徽": 0.26, "河南": 0.20, "河北": 0.16, "山西": 0.10}
WINTER_STOP = ("山东", "河南", "河北", "山西")
SIZES = (2500, 3000, 4000, 4500, 5000, 6000, 8000, 10000, 12000)
SIZE_P = (0.12, 0.08, 0.08, 0.07, 0.35, 0.12, 0.08, 0.07, 0.03)
#: Cement demand by month (share of a normal month's clinker), my own assumption: slow
#: in the Spring Festival months, strong in spring and autumn.
SEASON = (0.55, 0.45, 0.95, 1.05, 1.05, 0.95, 0.85, 0.85, 1.0, 1.05, 1.05, 0.8)
SUBSTITUTES = {"carbide_slag": "carbide_slag_t", "steel_slag": "steel_slag_t"}


@dataclass
class Plant:
    eid: str
    province: str
    lines: list[str]
    lp: dict[str, dict] = field(default_factory=dict)
    measured: bool = True


def _master(n: int, rng: np.random.Generator, taken: set[str]):
    provs = list(PROVINCE_SHARES)
    counts = np.floor(np.array(list(PROVINCE_SHARES.values())) * n).astype(int)
    while counts.sum() < n:
        counts[int(np.argmax(np.array(list(PROVINCE_SHARES.values())) * n - counts))] += 1
    plants, ents, units = [], [], []
    for prov, k in zip(provs, counts, strict=True):
        pref = c.prefectures(prov)
        for _ in range(k):
            i = int(rng.integers(len(pref)))
            city, code = pref["city"].iloc[i], pref["code"].iloc[i]
            eid = c.credit_code(code, rng)
            nl = int(rng.choice([1, 2, 3], p=[0.45, 0.40, 0.15]))
            lines = [f"{eid[-6:]}-X{j + 1}" for j in range(nl)]
            name = f"{c.short_city(city)}{c.brand(rng, taken)}水泥有限公司"
            ents.append({"enterprise_id": eid, "enterprise_name": name, "province": prov,
                         "city": city, "industry_code": "cement",
                         "verifier_name": c.AGENCIES[int(rng.integers(len(c.AGENCIES)))]})
            pl = Plant(eid, prov, lines, measured=bool(rng.random() < 0.6))
            year0 = int(rng.integers(2003, 2016))
            for j, u in enumerate(lines):
                size = int(rng.choice(SIZES, p=SIZE_P))
                units.append({"unit_id": u, "enterprise_id": eid,
                              "unit_category_code": "clinker_line",
                              "commissioning_year": min(2022, year0 + 3 * j),
                              "clinker_type_code": "portland",
                              "rated_capacity_t_per_d": float(size),
                              "design_capacity_kt": round(size * 310 / 1000, 1)})
                pl.lp[u] = _line_params(size, prov, rng)
            plants.append(pl)
    return plants, ents, units


def _line_params(size: int, province: str, rng: np.random.Generator) -> dict:
    u = rng.uniform
    stops = np.zeros(366, dtype=bool)                     # day of year stopped
    if province in WINTER_STOP:                           # 错峰生产 (winter peak shifting)
        s = int(u(5, 20))
        stops[s:s + int(u(25, 55))] = True
        if rng.random() < 0.5:
            stops[366 - int(u(5, 20)):] = True
    else:
        s = int(u(20, 35))                                # Spring Festival stop
        stops[s:s + int(u(10, 25))] = True
    m = int(u(95, 290))                                   # one maintenance stop
    stops[m:m + int(u(5, 18))] = True
    return {"size": size, "run": u(1.0, 1.07), "raw": u(1.52, 1.62), "heat": u(2.95, 3.25),
            "qgr": u(24.0, 27.5), "cad": u(60.0, 68.0), "mt": u(6.0, 12.0),
            "cao": u(64.0, 66.0), "mgo": u(0.9, 2.3),
            "carbide_slag": u(0.015, 0.04) if rng.random() < 0.10 else 0.0,
            "steel_slag": u(0.01, 0.03) if rng.random() < 0.40 else 0.0,
            "alt": (u(0.01, 0.03), u(12, 18), u(0.018, 0.024), u(30, 60))
            if rng.random() < 0.15 else None,
            "elec": u(50, 60), "whr": u(28, 36) if rng.random() < 0.85 else 0.0,
            "stock0": size * u(8, 20), "sold": u(0, 0.2) if rng.random() < 0.4 else 0.0,
            "buys": rng.random() < 0.2, "cf": u(0.64, 0.74), "stops": stops}


def _stop_days(stops: np.ndarray, period: str) -> int:
    start = sum(c.DAYS[p] for p in c.PERIODS if p < period)
    return int(stops[start:start + c.DAYS[period]].sum())


def _months(pl: Plant, rng: np.random.Generator, qrng: np.random.Generator,
            lrng: np.random.Generator, f: c.Filing, labs: dict, reports: list[dict],
            of: float) -> None:
    last: dict[str, dict] = {}
    closing = {u: pl.lp[u]["stock0"] for u in pl.lines}
    for period in c.PERIODS:
        days = c.DAYS[period]
        # the plant's coal, tested once a month for all lines
        lp0 = pl.lp[pl.lines[0]]
        sample = c.coal_sample(qrng, lp0["qgr"] * float(qrng.normal(1, 0.015)),
                               lp0["cad"] * float(qrng.normal(1, 0.01)),
                               float(np.clip(lp0["mt"] + qrng.normal(0, 0.8), 4, 14)))
        coal_rep = None
        for u in pl.lines:
            p = pl.lp[u]
            stop = _stop_days(p["stops"], period)
            run = max(0.0, days - stop - (0.5 if 0 < stop < days and rng.random() < 0.5 else 0))
            clk = run * p["size"] * p["run"] * float(np.clip(rng.normal(1, 0.015), 0.96, 1.04))
            restart = 1.04 if 0 < stop < days else 1.0
            heat = clk * p["heat"] * restart * float(rng.normal(1, 0.01))
            put = f.put
            opening = closing[u]
            put(u, period, "clinker_opening_stock_t", opening)
            opening = f.get(u, period, "clinker_opening_stock_t")
            normal = p["size"] * p["run"] * days
            purchased = (normal * 0.3 * float(rng.uniform(0.3, 1))
                         if p["buys"] and clk < 0.5 * normal else 0.0)
            sold = clk * p["sold"]
            # the mills grind what the market takes (seasonal), within the silos' range
            demand = normal * (1 - p["sold"]) * SEASON[int(period[5:]) - 1] * float(
                rng.normal(1, 0.04))
            have = opening + clk + purchased - sold
            consumed = float(np.clip(demand, have - p["stock0"] * 1.6,
                                     max(0.0, have - p["stock0"] * 0.25)))
            put(u, period, "clinker_output_t", clk)
            put(u, period, "clinker_purchased_t", purchased)
            put(u, period, "clinker_sold_t", sold)
            clk_f = f.get(u, period, "clinker_output_t")
            close = (opening + clk_f + f.get(u, period, "clinker_purchased_t")
                     - f.get(u, period, "clinker_sold_t") - consumed)
            put(u, period, "clinker_closing_stock_t", max(close, 0.0))
            closing[u] = f.get(u, period, "clinker_closing_stock_t")
            put(u, period, "cement_output_t", consumed / (p["cf"] * float(rng.normal(1, 0.01))))
            put(u, period, "kiln_operating_days", run)
            put(u, period, "raw_meal_feed_t", clk * p["raw"] * float(rng.normal(1, 0.004)))
            raw = f.get(u, period, "raw_meal_feed_t")
            for mat, code in SUBSTITUTES.items():
                if p[mat] > 0:
                    put(u, period, code, raw * p[mat] * float(rng.normal(1, 0.03)))
            alt_heat = 0.0
            if p["alt"]:
                rate, ncv, cc, bio = p["alt"]
                a = clk * rate * float(rng.normal(1, 0.05))
                alt_heat = a * ncv
                put(u, period, "alt_fuel_t", a)
                put(u, period, "alt_fuel_ncv_gj_per_t", ncv * float(rng.normal(1, 0.02)))
                put(u, period, "alt_fuel_cc_tc_per_gj", cc * float(rng.normal(1, 0.015)))
                put(u, period, "alt_fuel_biomass_pct",
                    float(np.clip(bio + rng.normal(0, 2.0), 5, 95)))
            put(u, period, "clinker_electricity_kwh_per_t",
                p["elec"] * (1.05 if restart > 1 else 1.0) * float(rng.normal(1, 0.012))
                if clk > 0 else 0.0)
            if p["whr"]:
                put(u, period, "whr_generation_mwh", clk * p["whr"] / 1000)
            put(u, period, "oxidation_rate", of, "default")
            if clk > 0:
                if coal_rep is None:
                    lab = labs["coal"]
                    coal_rep = c.lab_report(lab, pl.eid, "", period, "coal", lrng, **sample)
                    reports.append(coal_rep)
                coal = max(heat - alt_heat, 0.0) / sample["ncv_ar_gj_per_t"]
                put(u, period, "coal_consumption_t", coal)
                put(u, period, "ncv_gj_per_t", sample["ncv_ar_gj_per_t"], "measured",
                    coal_rep["report_id"])
                put(u, period, "cc_tc_per_gj", c.coal_cc(sample), "measured",
                    coal_rep["report_id"])
                if pl.measured:
                    cao = round(p["cao"] + float(rng.normal(0, 0.35)), 2)
                    mgo = round(max(0.5, p["mgo"] + float(rng.normal(0, 0.1))), 2)
                    rep = c.lab_report(labs["clinker"], pl.eid, u, period, "clinker", lrng,
                                       cao_pct=cao, mgo_pct=mgo)
                    reports.append(rep)
                    put(u, period, "cao_clinker_pct", cao, "measured", rep["report_id"])
                    put(u, period, "mgo_clinker_pct", mgo, "measured", rep["report_id"])
                    put(u, period, "ef_clinker_tco2_per_t", acc.clinker_ef_from_oxides(cao, mgo),
                        "calculated", rep["report_id"])
                else:
                    put(u, period, "ef_clinker_tco2_per_t", labs["ef_default"], "default")
                last[u] = {k: f.rows[(u, period)][k] for k in
                           ("ncv_gj_per_t", "cc_tc_per_gj", "ef_clinker_tco2_per_t")}
            else:                 # kiln stopped all month: no sample; last values carried
                put(u, period, "coal_consumption_t", 0.0)
                for k, e in last[u].items():
                    put(u, period, k, e.value, "estimated")


def compute_co2(f: c.Filing, plants: list[Plant], df: dict[str, float]) -> None:
    """co2_t of every line-month from the filed values: fossil fuel + non-biomass
    alternative fuel + Q × EF − Σ AD × DF (:mod:`workbench.accounting.cement`)."""
    for pl in plants:
        for u in pl.lines:
            for period in c.PERIODS:
                g = partial(f.get, u, period)
                e_fuel = fuel_co2_t(g("coal_consumption_t"), g("ncv_gj_per_t"),
                                    g("cc_tc_per_gj"), g("oxidation_rate"))
                e_alt = acc.alt_fuel_co2_t(g("alt_fuel_t"), g("alt_fuel_ncv_gj_per_t"),
                                           g("alt_fuel_cc_tc_per_gj"), g("oxidation_rate"),
                                           g("alt_fuel_biomass_pct") / 100.0)
                ded = acc.substitutes_deduction_t(
                    {m: g(code) for m, code in SUBSTITUTES.items()}, df)
                e_proc = acc.clinker_process_co2_t(g("clinker_output_t"),
                                                   g("ef_clinker_tco2_per_t"), ded)
                f.put(u, period, "co2_t", acc.clinker_co2_t(e_fuel, e_alt, e_proc),
                      "calculated")


def _running(f: c.Filing, u: str, full: bool = True) -> list[str]:
    return [p for p in c.PERIODS if f.get(u, p, "kiln_operating_days") >= (c.DAYS[p] - 3
                                                                            if full else 1)]


def _eligible(pl: Plant, kind: str) -> bool:
    if kind in ("cement.cao_wrong_sample", "cement.ef_below_chemistry"):
        return pl.measured
    return True


def _cement_filed_as_clinker(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.cement_filed_as_clinker (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    # months where the mills ground well above the kiln's output (cement ≥ 1.2 × clinker)
    run = [m for m in _running(f, u)
           if f.get(u, m, "cement_output_t") >= 1.2 * f.get(u, m, "clinker_output_t")]
    months = c.pick_months(rng, run, 1, 3)
    ratio = []
    for m in months:
        ratio.append(f.get(u, m, "cement_output_t") / f.get(u, m, "clinker_output_t"))
        f.put(u, m, "clinker_output_t", f.get(u, m, "cement_output_t"))
        t.add(kind, e, u, m, "clinker_output_t")
    return {"unit_id": u, "months": len(months), "filed": "cement output",
            "effective_factor": [round(x, 3) for x in ratio]}


def _cao_wrong_sample(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.cao_wrong_sample (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    run = _running(f, u)
    months = c.pick_months(rng, run, 2, 6)
    raw = bool(rng.random() < 0.5)
    by_id = {r["report_id"]: r for r in reports}
    for m in months:
        cao = float(rng.uniform(42.5, 44.5) if raw else rng.uniform(55.0, 59.0))
        mgo = float(rng.uniform(1.4, 2.4) if raw else rng.uniform(1.2, 2.2))
        rid = f.rows[(u, m)]["cao_clinker_pct"].report_id
        f.put(u, m, "cao_clinker_pct", cao, "measured", rid)
        f.put(u, m, "mgo_clinker_pct", mgo, "measured", rid)
        cao, mgo = f.get(u, m, "cao_clinker_pct"), f.get(u, m, "mgo_clinker_pct")
        by_id[rid].update(cao_pct=cao, mgo_pct=mgo)
        f.put(u, m, "ef_clinker_tco2_per_t", acc.clinker_ef_from_oxides(cao, mgo),
              "calculated", rid)
        for code in ("cao_clinker_pct", "mgo_clinker_pct", "ef_clinker_tco2_per_t"):
            t.add(kind, e, u, m, code)
    return {"unit_id": u, "months": len(months),
            "sample": "raw meal (CaO 42.5-44.5 %)" if raw else "cement (CaO 55-59 %)"}


def _inflated_deductions(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.inflated_deductions (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    run = _running(f, u)
    months = c.pick_months(rng, run, 3, 12)
    p = pl.lp[u]
    mat = "carbide_slag" if p["carbide_slag"] > 0 or p["steel_slag"] == 0 else "steel_slag"
    code = SUBSTITUTES[mat]
    k = float(rng.uniform(2.0, 5.0))
    share = float(rng.uniform(0.04, 0.10))
    for m in months:
        v = f.get(u, m, code)
        f.put(u, m, code, v * k if v > 0 else f.get(u, m, "raw_meal_feed_t") * share)
        t.add(kind, e, u, m, code)
    return {"unit_id": u, "months": len(months), "material": mat,
            "factor": round(k, 3) if p[mat] > 0 else None,
            "fictitious_share_of_raw_meal": None if p[mat] > 0 else round(share, 4)}


def _stock_balance_broken(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.stock_balance_broken (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    run = _running(f, u)
    months = c.pick_months(rng, [m for m in run if m != "2024-12"], 1, 3)
    k = float(rng.uniform(0.85, 0.95))
    for m in months:
        clk = f.get(u, m, "clinker_output_t")
        d = clk * (1 - k)
        f.put(u, m, "clinker_output_t", clk - d)
        f.put(u, m, "clinker_closing_stock_t",
              max(0.0, f.get(u, m, "clinker_closing_stock_t") - d))
        t.add(kind, e, u, m, "clinker_output_t")
        t.add(kind, e, u, m, "clinker_closing_stock_t")
    return {"unit_id": u, "months": len(months), "output_factor": round(k, 3),
            "mechanism": "output and closing stock cut alike; next opening not"}


def _ef_below_chemistry(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.ef_below_chemistry (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    run = _running(f, u)
    months = c.pick_months(rng, run, 4, 12)
    k = float(rng.uniform(0.92, 0.97))
    for m in months:
        ent = f.rows[(u, m)]["ef_clinker_tco2_per_t"]
        f.put(u, m, "ef_clinker_tco2_per_t", ent.value * k, "calculated", ent.report_id)
        t.add(kind, e, u, m, "ef_clinker_tco2_per_t")
    return {"unit_id": u, "months": len(months), "factor": round(k, 3)}


def _fuel_underreported(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict]) -> dict:
    """cement.fuel_underreported (README.md)."""
    u = pl.lines[int(rng.integers(len(pl.lines)))]
    e = pl.eid
    run = _running(f, u)
    months = c.pick_months(rng, run, 2, 6)
    k = float(rng.uniform(0.80, 0.93))
    for m in months:
        f.put(u, m, "coal_consumption_t", f.get(u, m, "coal_consumption_t") * k)
        t.add(kind, e, u, m, "coal_consumption_t")
    return {"unit_id": u, "months": len(months), "factor": round(k, 3)}


_BY_KIND = {
    "cement.cement_filed_as_clinker": _cement_filed_as_clinker,
    "cement.cao_wrong_sample": _cao_wrong_sample,
    "cement.inflated_deductions": _inflated_deductions,
    "cement.stock_balance_broken": _stock_balance_broken,
    "cement.ef_below_chemistry": _ef_below_chemistry,
    "cement.fuel_underreported": _fuel_underreported,
}


def _inject(f: c.Filing, pl: Plant, kind: str, rng: np.random.Generator, t: c.Truth,
            reports: list[dict]) -> dict:
    """Alter one line's filed inputs (the filer recomputes co2 from them afterwards)."""
    return _BY_KIND[kind](f, pl, kind, rng, t, reports)


PARTIAL = {"no_raw_meal": 0.15, "no_cement_output": 0.10, "no_clinker_chemistry": 0.10}


def _partial(f: c.Filing, plants: list[Plant], problem: set[str], reports: list[dict],
             rng: np.random.Generator) -> tuple[list[dict], set[str]]:
    out, dropped_reports = [], set()
    order = [plants[i] for i in rng.permutation(len(plants))]
    for what, share in PARTIAL.items():
        n, done = int(round(share * len(plants))), 0
        for pl in order:
            if done >= n or pl.eid in problem:
                continue
            if what == "no_clinker_chemistry" and not pl.measured:
                continue
            u = pl.lines[0]
            if what == "no_raw_meal":
                params = ["raw_meal_feed_t"]
            elif what == "no_cement_output":
                params = ["cement_output_t"]
            else:
                params = ["cao_clinker_pct", "mgo_clinker_pct"]
            for m in c.PERIODS:
                for k in params:
                    e = f.rows.get((u, m), {}).get(k)
                    if e is not None and e.report_id:
                        dropped_reports.add(e.report_id)
                    f.drop(u, m, k)
                if what == "no_clinker_chemistry" and f.has(u, m, "ef_clinker_tco2_per_t"):
                    ef = f.rows[(u, m)]["ef_clinker_tco2_per_t"]
                    ef.report_id = ""
            note = ("its clinker lab reports are not in the export either; the EF rows "
                    "(calculated) stay" if what == "no_clinker_chemistry" else "")
            out.append({"what": what, "enterprise_id": pl.eid, "unit_id": u,
                        "parameters": params, **({"note": note} if note else {})})
            done += 1
    return out, dropped_reports


def generate(n: int, seed: int, rate: float, cfg: dict, taken: set[str]):
    from workbench import factors as F

    r = c.streams(seed, "cement", STREAMS)
    plants, ents, units = _master(n, r["master"], taken)
    ef_default = F.factor(cfg, "cement", "clinker_portland")
    df = {k.removeprefix("df_"): v for k, v in F.factors(cfg, "cement", kind="deduction").items()}
    labs: dict = {"ef_default": ef_default}
    lrng = r["labs"]
    labs["coal"] = c.make_lab("JCMZ01", "华北煤炭质量检验检测中心有限公司", lrng)
    labs["clinker"] = c.make_lab("JCJC02", "中建材联合检测认证有限公司华北分公司", lrng)
    f, reports = c.Filing(), []
    for pl in plants:
        _months(pl, r["ops"], r["quality"], lrng, f, labs, reports, 0.98)
    truth = c.Truth()
    by = {pl.eid: pl for pl in plants}
    plan = c.plan_problems([pl.eid for pl in plants], KINDS, rate, r["plan"],
                           lambda e, k: _eligible(by[e], k))
    for eid, kind in plan.items():
        d = _inject(f, by[eid], kind, np.random.default_rng([seed, 21, *map(ord, eid)]), truth,
                    reports)
        truth.detail.append({"kind": kind, "enterprise_id": eid, **d})
    compute_co2(f, plants, df)
    partial, gone = _partial(f, plants, set(plan), reports, r["partial"])
    reports = [x for x in reports if x["report_id"] not in gone]
    info = {"lines": len(units), "lines_by_size": {str(s): sum(1 for x in units
                                                                if x["rated_capacity_t_per_d"] == s)
                                                    for s in SIZES},
            "measured_ef_plants": sum(pl.measured for pl in plants)}
    return ents, units, f, reports, truth, partial, info, [pl.eid for pl in plants], r["deposits"]
