"""Aluminium smelters over four provinces, sized from the provincial capacity table:
monthly physics (Faraday, cell voltage, anodes, anode effects), filing, emissions, anode
lab reports, injected problems and partial exports (README.md "Aluminium").

Facilities: the enterprise level (``aluminium_enterprise``: ingots, the casting furnaces'
natural gas, limestone, and E_ent) and one ``potline`` per electrolysis series (anode CO2
as co2_t, PFC as pfc_co2e_t).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset_sectors import common as c
from workbench.accounting import aluminium as acc

KINDS = ("aluminium.underreported_aem", "aluminium.output_above_faraday",
         "aluminium.electricity_implausible", "aluminium.anode_s_ash_inflated",
         "aluminium.filed_differs_from_lab", "aluminium.butts_double_counted")
STREAMS = ("master", "ops", "quality", "labs", "deposits", "plan", "partial")
PROVINCES = {"Shandong": "山东", "InnerMongolia": "内蒙古", "Henan": "河南", "Shanxi": "山西"}
FARADAY = acc.FARADAY_KG_PER_KA_H


@dataclass
class Smelter:
    eid: str
    ent_unit: str
    lines: list[str]
    lp: dict[str, dict] = field(default_factory=dict)
    p: dict = field(default_factory=dict)


def _master(real: Path, n: int, rng: np.random.Generator, taken: set[str]):
    cap = pd.read_csv(real / "aluminium_capacity_by_province.csv")
    cap = cap[cap["province_en"].isin(PROVINCES)].set_index("province_en")["capacity_10kt_per_year"]
    share = cap / cap.sum()
    counts = np.maximum(1, np.floor(share.to_numpy() * n)).astype(int)
    while counts.sum() < n:
        counts[int(np.argmax(share.to_numpy() * n - counts))] += 1
    while counts.sum() > n:
        counts[int(np.argmax(counts))] -= 1
    smelters, ents, units, sizes = [], [], [], {}
    for prov_en, k in zip(share.index, counts, strict=True):
        prov = PROVINCES[prov_en]
        # the province's smelters of the set hold 40-75 % of its capacity (the rest is
        # outside the set); each 200-1,000 kt/yr
        total = float(cap[prov_en]) * 10 * rng.uniform(0.40, 0.75)
        w = rng.dirichlet(np.ones(k) * 3)
        pref = c.prefectures(prov)
        for j in range(k):
            size = float(np.clip(total * w[j], 200, 1000))
            i = int(rng.integers(len(pref)))
            city, code = pref["city"].iloc[i], pref["code"].iloc[i]
            eid = c.credit_code(code, rng)
            name = f"{c.short_city(city)}{c.brand(rng, taken)}铝业有限公司"
            ents.append({"enterprise_id": eid, "enterprise_name": name, "province": prov,
                         "city": city, "industry_code": "aluminium",
                         "verifier_name": c.AGENCIES[int(rng.integers(len(c.AGENCIES)))]})
            nl = int(np.clip(np.ceil(size / rng.uniform(250, 450)), 1, 3))
            ent_unit = f"{eid[-6:]}-QY"
            units.append({"unit_id": ent_unit, "enterprise_id": eid,
                          "unit_category_code": "aluminium_enterprise",
                          "commissioning_year": int(rng.integers(2003, 2016)),
                          "design_capacity_kt": round(size, 1)})
            sm = Smelter(eid, ent_unit, [f"{eid[-6:]}-DJ{x + 1}" for x in range(nl)])
            sm.p = {"ng": rng.uniform(0.010, 0.022), "ncv": rng.uniform(38.6, 39.4),
                    "limestone": rng.uniform(0.004, 0.012), "ingot": rng.uniform(0.975, 0.99),
                    "curtail": (int(rng.integers(0, 10)) if rng.random() < 0.15 else -1)}
            for x, u in enumerate(sm.lines):
                current = float(round(rng.uniform(350, 600) / 5) * 5)
                line_cap = size / nl
                cells = int(round(line_cap * 1000 / (FARADAY * current * 24 * 0.935 * 365
                                                     / 1000)))
                cells = int(np.clip(cells, 60, 600))
                startup = -1
                if x == nl - 1 and nl > 1 and rng.random() < 0.35:
                    startup = int(rng.integers(2, 7))     # month index the line starts
                units.append({"unit_id": u, "enterprise_id": eid, "unit_category_code": "potline",
                              "commissioning_year": 2024 if startup >= 0 else
                              int(rng.integers(2005, 2023)),
                              "design_capacity_kt": round(line_cap, 1), "cells": cells,
                              "line_current_ka": current})
                sm.lp[u] = {"current": current, "cells": cells, "startup": startup,
                            "ce": rng.uniform(92.2, 94.6), "ac": rng.uniform(13050, 13500),
                            "rect": rng.uniform(0.975, 0.985), "aem": rng.uniform(0.015, 0.08),
                            "nc": rng.uniform(0.405, 0.440), "butts": rng.uniform(0.20, 0.28),
                            "s": rng.uniform(1.6, 2.6), "ash": rng.uniform(0.2, 0.45),
                            "alumina": rng.uniform(1.915, 1.945), "alf3": rng.uniform(12, 22)}
            sizes[eid] = round(size, 1)
            smelters.append(sm)
    return smelters, ents, units, {"smelter_kt": sizes,
                                   "province_counts": dict(zip([PROVINCES[x] for x in share.index],
                                                               map(int, counts), strict=True))}


def _months(sm: Smelter, rng: np.random.Generator, qrng: np.random.Generator,
            lrng: np.random.Generator, f: c.Filing, lab: c.Lab, reports: list[dict],
            aluf: dict, gwp: dict, not_operating: list[dict]) -> None:
    put = f.put
    for mi, period in enumerate(c.PERIODS):
        days = c.DAYS[period]
        hours = days * 24
        total = 0.0
        for u in sm.lines:
            p = sm.lp[u]
            if p["startup"] > mi:
                continue
            since = mi - p["startup"] if p["startup"] >= 0 else 99
            ramp = {0: 0.25, 1: 0.55, 2: 0.85}.get(since, 1.0)
            cells = int(round(p["cells"] * ramp * float(rng.uniform(0.98, 1.0))))
            cur = p["current"] * float(np.clip(rng.normal(1, 0.006), 0.985, 1.012))
            if sm.p["curtail"] in (mi, mi - 1):
                cur *= 0.9
            ce = float(np.clip(p["ce"] + rng.normal(0, 0.3), 90.0, 95.0))
            if since <= 2:
                ce = float(rng.uniform(90.2, 91.5))
            put(u, period, "line_current_ka", cur)
            put(u, period, "cells_in_operation", cells)
            put(u, period, "current_efficiency_pct", ce)
            cur, ce = f.get(u, period, "line_current_ka"), f.get(u, period,
                                                                 "current_efficiency_pct")
            out = acc.faraday_output_t(cur, cells, hours, ce)
            put(u, period, "liquid_al_output_t", out)
            out = f.get(u, period, "liquid_al_output_t")
            total += out
            ac = float(np.clip(p["ac"] * (1.02 if since <= 2 else 1.0) + rng.normal(0, 40),
                               12950, 13750))
            put(u, period, "electrolysis_ac_electricity_mwh", ac * out / 1000)
            dc = ac * p["rect"]                            # kWh/t DC
            put(u, period, "avg_cell_voltage_v", dc * FARADAY * ce / 100 / 1000)
            aem = p["aem"] * float(np.exp(rng.normal(0, 0.35)))
            if since <= 2:
                aem = float(rng.uniform(0.12, 0.40))
            put(u, period, "aem_min_per_cell_day", aem)
            aem = f.get(u, period, "aem_min_per_cell_day")
            put(u, period, "ef_cf4_kg_per_t", acc.cf4_ef_slope_kg_per_t(aem, aluf["sef_cf4"]),
                "calculated")
            put(u, period, "ef_c2f6_kg_per_t",
                acc.c2f6_ef_kg_per_t(f.get(u, period, "ef_cf4_kg_per_t"), aluf["c2f6_cf4_ratio"]),
                "calculated")
            nc = p["nc"] * float(rng.normal(1, 0.008)) * (1.03 if since <= 2 else 1.0)
            gross = nc * out / (1 - p["butts"] * float(rng.normal(1, 0.02)))
            put(u, period, "anode_gross_consumption_t", gross)
            put(u, period, "anode_butts_returned_t", gross - nc * out)
            put(u, period, "anode_net_consumption_t_per_t", acc.net_anode_consumption_t_per_t(
                f.get(u, period, "anode_gross_consumption_t"),
                f.get(u, period, "anode_butts_returned_t"), out), "calculated")
            s = round(float(np.clip(p["s"] + qrng.normal(0, 0.08), 1.2, 3.2)), 2)
            a = round(float(np.clip(p["ash"] + qrng.normal(0, 0.03), 0.1, 0.7)), 2)
            rep = c.lab_report(lab, sm.eid, u, period, "anode", lrng, sulfur_total_pct=s,
                               ash_pct=a)
            reports.append(rep)
            put(u, period, "anode_sulfur_pct", s, "measured", rep["report_id"])
            put(u, period, "anode_ash_pct", a, "measured", rep["report_id"])
            put(u, period, "alumina_consumption_t",
                out * p["alumina"] * float(rng.normal(1, 0.003)))
            put(u, period, "alf3_consumption_t",
                out * p["alf3"] / 1000 * float(rng.normal(1, 0.04)))
        e = sm.ent_unit
        put(e, period, "al_ingot_output_t", total * sm.p["ingot"])
        put(e, period, "gas_consumption_knm3", total * sm.p["ng"] * float(rng.normal(1, 0.03)))
        put(e, period, "ncv_gj_per_knm3", sm.p["ncv"] * float(qrng.normal(1, 0.004)))
        put(e, period, "cc_tc_per_gj", aluf["ng_cc"], "default")
        put(e, period, "oxidation_rate", aluf["ng_of"], "default")
        put(e, period, "limestone_t", total * sm.p["limestone"])
    for u in sm.lines:
        if sm.lp[u]["startup"] > 0:
            not_operating.append({"enterprise_id": sm.eid, "unit_id": u,
                                  "periods": list(c.PERIODS[:sm.lp[u]["startup"]]),
                                  "note": "potline started in 2024: no rows before its start"})


def compute_co2(f: c.Filing, smelters: list[Smelter], aluf: dict, gwp: dict,
                limestone_ef: float) -> None:
    """Potline co2_t = anode CO2 (NC, S, A as filed), pfc_co2e_t by the slope method from the
    filed CF4/C2F6 factors and the GWP set in force; the enterprise's co2_t = E_fuel (natural
    gas, with OF) + Σ anode CO2 + Σ PFC + limestone × 0.440 (tCO2e)."""
    for sm in smelters:
        for period in c.PERIODS:
            total = 0.0
            for u in sm.lines:
                if not f.has(u, period, "liquid_al_output_t"):
                    continue
                g = partial(f.get, u, period)
                out = g("liquid_al_output_t")
                f.put(u, period, "co2_t", acc.anode_co2_t(
                    out, g("anode_net_consumption_t_per_t"), g("anode_sulfur_pct"),
                    g("anode_ash_pct")), "calculated")
                f.put(u, period, "pfc_co2e_t", acc.pfc_co2e_t(
                    out, g("ef_cf4_kg_per_t"), g("ef_c2f6_kg_per_t"), gwp["cf4"], gwp["c2f6"]),
                    "calculated")
                total += f.get(u, period, "co2_t") + f.get(u, period, "pfc_co2e_t")
            e = sm.ent_unit
            g = partial(f.get, e, period)
            fuel = acc.fuel_co2_t(g("gas_consumption_knm3"), g("ncv_gj_per_knm3"),
                                  g("cc_tc_per_gj"), g("oxidation_rate"))
            carb = acc.carbonate_co2_t({"limestone": g("limestone_t")},
                                       {"limestone": limestone_ef})
            f.put(e, period, "co2_t", acc.enterprise_co2e_t(fuel, total, 0.0, carb), "calculated")


def _underreported_aem(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict], aluf: dict) -> dict:
    """aluminium.underreported_aem (README.md)."""
    lines = [u for u in sm.lines if sm.lp[u]["startup"] < 0] or sm.lines
    u = lines[int(rng.integers(len(lines)))]
    e = sm.eid
    run = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")]
    startups = [u2 for u2 in sm.lines if sm.lp[u2]["startup"] >= 0]
    if startups:                                   # AEM = 0 in the start-up months
        u = startups[0]
        ms = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")][:3]
        k = 0.0
    else:
        ms, k = c.pick_months(rng, run, 3, 8), float(rng.uniform(0.1, 0.4))
    for m in ms:
        aem = f.get(u, m, "aem_min_per_cell_day") * k
        f.put(u, m, "aem_min_per_cell_day", aem)
        ef = acc.cf4_ef_slope_kg_per_t(f.get(u, m, "aem_min_per_cell_day"), aluf["sef_cf4"])
        f.put(u, m, "ef_cf4_kg_per_t", ef, "calculated")
        f.put(u, m, "ef_c2f6_kg_per_t", acc.c2f6_ef_kg_per_t(
            f.get(u, m, "ef_cf4_kg_per_t"), aluf["c2f6_cf4_ratio"]), "calculated")
        t.add(kind, e, u, m, "aem_min_per_cell_day")
    return {"unit_id": u, "months": len(ms), "factor": k,
            "variant": "zero in start-up months" if k == 0 else "scaled"}


def _output_above_faraday(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict], aluf: dict) -> dict:
    """aluminium.output_above_faraday (README.md)."""
    lines = [u for u in sm.lines if sm.lp[u]["startup"] < 0] or sm.lines
    u = lines[int(rng.integers(len(lines)))]
    e = sm.eid
    run = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")]
    ms, k = c.pick_months(rng, run, 2, 6), float(rng.uniform(1.04, 1.10))
    for m in ms:
        out = f.get(u, m, "liquid_al_output_t")
        f.put(u, m, "liquid_al_output_t", out * k)
        new = f.get(u, m, "liquid_al_output_t")
        f.put(u, m, "anode_net_consumption_t_per_t", acc.net_anode_consumption_t_per_t(
            f.get(u, m, "anode_gross_consumption_t"), f.get(u, m, "anode_butts_returned_t"),
            new), "calculated")
        t.add(kind, e, u, m, "liquid_al_output_t")
    return {"unit_id": u, "months": len(ms), "factor": round(k, 4),
            "note": "CE as filed kept; NC recomputed on the inflated output"}


def _electricity_implausible(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict], aluf: dict) -> dict:
    """aluminium.electricity_implausible (README.md)."""
    lines = [u for u in sm.lines if sm.lp[u]["startup"] < 0] or sm.lines
    u = lines[int(rng.integers(len(lines)))]
    e = sm.eid
    run = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")]
    ms = c.pick_months(rng, run, 2, 6)
    low = bool(rng.random() < 0.6)
    k = float(rng.uniform(0.82, 0.93) if low else rng.uniform(1.08, 1.15))
    for m in ms:
        f.put(u, m, "electrolysis_ac_electricity_mwh",
              f.get(u, m, "electrolysis_ac_electricity_mwh") * k)
        t.add(kind, e, u, m, "electrolysis_ac_electricity_mwh")
    return {"unit_id": u, "months": len(ms), "factor": round(k, 3)}


def _anode_s_ash_inflated(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict], aluf: dict) -> dict:
    """aluminium.anode_s_ash_inflated, aluminium.filed_differs_from_lab (README.md)."""
    lines = [u for u in sm.lines if sm.lp[u]["startup"] < 0] or sm.lines
    u = lines[int(rng.integers(len(lines)))]
    e = sm.eid
    run = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")]
    ms = c.pick_months(rng, run, 3, 9)
    forged = kind == "aluminium.anode_s_ash_inflated"
    ds, da = ((float(rng.uniform(1.2, 2.2)), float(rng.uniform(0.3, 0.9))) if forged
              else (float(rng.uniform(0.25, 0.8)), float(rng.uniform(0.05, 0.3))))
    by_id = {r["report_id"]: r for r in reports}
    for m in ms:
        rid = f.rows[(u, m)]["anode_sulfur_pct"].report_id
        f.put(u, m, "anode_sulfur_pct", f.get(u, m, "anode_sulfur_pct") + ds, "measured", rid)
        f.put(u, m, "anode_ash_pct", f.get(u, m, "anode_ash_pct") + da, "measured", rid)
        if forged:                                  # the report says so too
            by_id[rid].update(sulfur_total_pct=f.get(u, m, "anode_sulfur_pct"),
                              ash_pct=f.get(u, m, "anode_ash_pct"))
        t.add(kind, e, u, m, "anode_sulfur_pct")
        t.add(kind, e, u, m, "anode_ash_pct")
    return {"unit_id": u, "months": len(ms), "sulfur_plus": round(ds, 3),
            "ash_plus": round(da, 3), "lab_report": "altered too" if forged else "true"}


def _butts_double_counted(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator,
        t: c.Truth, reports: list[dict], aluf: dict) -> dict:
    """aluminium.butts_double_counted (README.md)."""
    lines = [u for u in sm.lines if sm.lp[u]["startup"] < 0] or sm.lines
    u = lines[int(rng.integers(len(lines)))]
    e = sm.eid
    run = [p for p in c.PERIODS if f.has(u, p, "liquid_al_output_t")]
    ms, k = c.pick_months(rng, run, 3, 8), float(rng.uniform(1.3, 1.7))
    for m in ms:
        b = f.get(u, m, "anode_butts_returned_t") * k
        f.put(u, m, "anode_butts_returned_t", b)
        f.put(u, m, "anode_net_consumption_t_per_t", acc.net_anode_consumption_t_per_t(
            f.get(u, m, "anode_gross_consumption_t"), f.get(u, m, "anode_butts_returned_t"),
            f.get(u, m, "liquid_al_output_t")), "calculated")
        t.add(kind, e, u, m, "anode_butts_returned_t")
        t.add(kind, e, u, m, "anode_net_consumption_t_per_t")
    return {"unit_id": u, "months": len(ms), "butts_factor": round(k, 3)}


_BY_KIND = {
    "aluminium.underreported_aem": _underreported_aem,
    "aluminium.output_above_faraday": _output_above_faraday,
    "aluminium.electricity_implausible": _electricity_implausible,
    "aluminium.anode_s_ash_inflated": _anode_s_ash_inflated,
    "aluminium.filed_differs_from_lab": _anode_s_ash_inflated,
    "aluminium.butts_double_counted": _butts_double_counted,
}


def _inject(f: c.Filing, sm: Smelter, kind: str, rng: np.random.Generator, t: c.Truth,
            reports: list[dict], aluf: dict) -> dict:
    """Alter one potline's filed inputs (the filer recomputes co2 and PFC afterwards)."""
    return _BY_KIND[kind](f, sm, kind, rng, t, reports, aluf)


PARTIAL = {"no_cell_voltage": 0.15, "no_alumina_alf3": 0.10, "no_anode_gross_butts": 0.10}


def _partial(f: c.Filing, smelters: list[Smelter], problem: set[str],
             rng: np.random.Generator) -> list[dict]:
    out = []
    order = [smelters[i] for i in rng.permutation(len(smelters))]
    params = {"no_cell_voltage": ["avg_cell_voltage_v"],
              "no_alumina_alf3": ["alumina_consumption_t", "alf3_consumption_t"],
              "no_anode_gross_butts": ["anode_gross_consumption_t", "anode_butts_returned_t"]}
    for what, share in PARTIAL.items():
        n, done = max(1, int(round(share * len(smelters)))), 0
        for sm in order:
            if done >= n or sm.eid in problem:
                continue
            for u in sm.lines:
                for m in c.PERIODS:
                    for k in params[what]:
                        f.drop(u, m, k)
                out.append({"what": what, "enterprise_id": sm.eid, "unit_id": u,
                            "parameters": params[what]})
            done += 1
    return out


def generate(real: Path, n: int, seed: int, rate: float, cfg: dict, taken: set[str]):
    from workbench import factors as F

    r = c.streams(seed, "aluminium", STREAMS)
    smelters, ents, units, info = _master(real, n, r["master"], taken)
    aluf = F.factors(cfg, "aluminium")
    ng = F.fuel_defaults(cfg, "natural_gas")
    aluf["ng_cc"], aluf["ng_of"] = ng["cc"], ng["of"]
    gwp = F.gwp(cfg)
    lime_ef = F.factor(cfg, "carbonates", "limestone")
    lab = c.make_lab("YSJC03", "国家有色金属质量检验检测中心华北实验室", r["labs"])
    f, reports, not_operating = c.Filing(), [], []
    for sm in smelters:
        _months(sm, r["ops"], r["quality"], r["labs"], f, lab, reports, aluf, gwp, not_operating)
    truth = c.Truth()
    by = {sm.eid: sm for sm in smelters}
    plan = c.plan_problems([sm.eid for sm in smelters], KINDS, rate, r["plan"])
    for eid, kind in plan.items():
        d = _inject(f, by[eid], kind, np.random.default_rng([seed, 31, *map(ord, eid)]), truth,
                    reports, aluf)
        truth.detail.append({"kind": kind, "enterprise_id": eid, **d})
    compute_co2(f, smelters, aluf, gwp, lime_ef)
    partial = _partial(f, smelters, set(plan), r["partial"])
    info["not_operating"] = not_operating
    info["gwp"] = F.active_version(cfg, "gwp")
    return ents, units, f, reports, truth, partial, info, [sm.eid for sm in smelters], r["deposits"]
