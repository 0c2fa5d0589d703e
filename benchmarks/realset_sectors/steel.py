"""Steel works from the GEM Global Steel Plant Tracker: selection, monthly physics, filing,
emissions, injected problems and partial exports (README.md "Steel").

Facilities (units) of a works: the enterprise level (``steel_enterprise``, the
「企业层级生产数据及排放量表」: the fuels, fluxes, carbon-bearing inputs and carbon products
that cross the site boundary, crude steel, purchased electricity and E_ent) and its
processes (coking, sintering, pelletising, ironmaking, bof, eaf, lime, captive_power:
production, by-product gases generated / exported / flared / consumed, the materials they
use, and a gross per-process co2_t).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset_sectors import common as c
from workbench.accounting import steel as acc
from workbench.accounting.common import CO2_PER_C

KINDS = ("steel.inflated_crude_steel", "steel.overstated_carbon_products",
         "steel.gas_balance_broken", "steel.default_as_measured",
         "steel.intensity_understated", "steel.carbon_inputs_omitted",
         "steel.co2_misreported")
STREAMS = ("select", "master", "ops", "gas", "quality", "deposits", "plan", "inject",
           "partial")
PROVINCES = ("Hebei", "Shanxi", "Henan", "Shandong", "Inner Mongolia")
#: Hebei cities of the set: the south of the province only (the "half" province).
HEBEI_CITIES = ("邯郸市", "邢台市", "石家庄市")
MIN_CAPACITY_KT = 500.0
#: Enterprise-level fuels and their default NCV/CC code in the fuel table.
FUELS = ("cleaned_coal", "bituminous_coal", "anthracite", "coke", "diesel")
GASES = ("cog", "bfg", "ldg")
CODE = {"steel_enterprise": "QY", "coking": "JH", "sintering": "SJ", "pelletising": "QT",
        "ironmaking": "LT", "bof": "ZL", "eaf": "DL", "lime": "SH", "captive_power": "ZB"}
HEATING = ("河北", "山西", "河南", "山东", "内蒙古")


@dataclass
class Works:
    """One steel works (enterprise) and what the physics needs about it."""

    eid: str
    route: str
    units: dict[str, str]
    p: dict = field(default_factory=dict)


def _num(x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return v


def select(real: Path, n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """The GEM plants used: operating, in the provinces of :data:`PROVINCES` (Hebei: its
    southern cities only), crude-steel capacity ≥ 500 kt/yr, one row per plant; ``n`` of
    them drawn by the seed.  Returns them and how many each rule dropped."""
    g = pd.read_csv(real / "gem_steel_plants_china.csv", dtype=str, keep_default_na=False)
    dropped = {"rows": len(g)}
    g = g[g["status"] == "operating"]
    dropped["not_operating"] = dropped["rows"] - len(g)
    k = len(g)
    g = g[g["province_en"].isin(PROVINCES)]
    dropped["other_province"] = k - len(g)
    k = len(g)
    g = g.drop_duplicates("plant_name_en")
    dropped["duplicate_plant"] = k - len(g)
    k = len(g)
    g = g[g["crude_steel_capacity_kt"].map(_num).fillna(0) >= MIN_CAPACITY_KT]
    dropped["capacity_below_500kt"] = k - len(g)
    eq = g["main_equipment"]
    route = np.where(eq.str.contains("BOF"), "bf_bof",
                     np.where(eq.str.startswith("EAF"), "eaf", ""))
    k = len(g)
    g = g.assign(route=route)[route != ""]
    dropped["no_bof_and_not_eaf_only"] = k - len(g)
    place = [c.city_of(m, c.PINYIN_PROVINCE[p], rng)
             for m, p in zip(g["municipality"], g["province_en"], strict=True)]
    g = g.assign(city=[x[0] for x in place], region=[x[1] for x in place],
                 city_matched=[x[2] for x in place])
    k = len(g)
    hebei = g["province_en"] == "Hebei"
    g = g[~hebei | (g["city_matched"] & g["city"].isin(HEBEI_CITIES))]
    dropped["hebei_outside_south"] = k - len(g)
    g = g.reset_index(drop=True)
    dropped["pool"] = len(g)
    dropped["pool_eaf_only"] = int((g["route"] == "eaf").sum())
    if n > len(g):
        raise ValueError(f"asked for {n} steel works, the selection holds {len(g)}")
    # every EAF-only mill of the pool up to 15 % of the set, the rest BF-BOF works
    eaf = np.flatnonzero(g["route"].to_numpy() == "eaf")
    long = np.flatnonzero(g["route"].to_numpy() == "bf_bof")
    n_eaf = min(len(eaf), int(round(0.15 * n)))
    if n - n_eaf > len(long):
        n_eaf = n - len(long)
    pick = np.sort(np.concatenate([rng.permutation(eaf)[:n_eaf],
                                   rng.permutation(long)[:n - n_eaf]]))
    return g.iloc[pick].reset_index(drop=True), dropped


def _master(plants: pd.DataFrame, rng: np.random.Generator, taken: set[str]
            ) -> tuple[list[Works], list[dict], list[dict], dict]:
    works, ents, units = [], [], []
    matched = 0
    for row in plants.itertuples(index=False):
        province = c.PINYIN_PROVINCE[row.province_en]
        city, code = row.city, row.region
        matched += bool(row.city_matched)
        eid = c.credit_code(code, rng)
        cs = _num(row.crude_steel_capacity_kt)
        bof = _num(row.bof_capacity_kt)
        eaf = _num(row.eaf_capacity_kt)
        route = row.route
        kinds = ["steel_enterprise"]
        p: dict = {"province": province, "cs_cap": cs, "gem": row.plant_name_en}
        if route == "bf_bof":
            kinds += ["ironmaking", "bof", "captive_power"]
            sinter = _num(row.sinter_capacity_kt)
            coking = _num(row.coking_capacity_kt)
            pellet = _num(row.pellet_capacity_kt)
            if (sinter > 0) or row.sinter_capacity_kt in ("unknown", ">0") and rng.random() < 0.9:
                kinds.append("sintering")
            if pellet > 0 or row.pellet_capacity_kt in ("unknown", ">0") and rng.random() < 0.3:
                kinds.append("pelletising")
            has_coking = coking > 0 or (row.coking_capacity_kt in ("unknown", ">0")
                                        and rng.random() < 0.55)
            if has_coking:
                kinds.append("coking")
                p["coke_cap_share"] = (float(rng.uniform(0.55, 1.05)) if not coking > 0 else
                                       min(1.05, coking / max(cs * 0.88 * 0.37, 1.0)))
            if rng.random() < 0.6:
                kinds.append("lime")
            eaf_share = 0.0
            if eaf > 0:
                kinds.append("eaf")
                eaf_share = eaf / (eaf + (bof if bof > 0 else cs)) * float(rng.uniform(0.5, 0.9))
            p["eaf_share"] = eaf_share
        else:
            kinds.append("eaf")
        tail = eid[-6:]
        uids = {k: f"{tail}-{CODE[k]}" for k in kinds}
        name = f"{c.short_city(city)}{c.brand(rng, taken)}钢铁有限公司"
        ents.append({"enterprise_id": eid, "enterprise_name": name, "province": province,
                     "city": city, "industry_code": "steel",
                     "verifier_name": c.AGENCIES[int(rng.integers(len(c.AGENCIES)))]})
        start = str(row.start_date)[:4]
        year = int(start) if start.isdigit() and 1950 <= int(start) <= 2030 else pd.NA
        for k, u in uids.items():
            units.append({"unit_id": u, "enterprise_id": eid, "unit_category_code": k,
                          "commissioning_year": year,
                          "design_capacity_kt": cs if k in ("steel_enterprise",) else pd.NA})
        works.append(Works(eid, route, uids, p))
    return works, ents, units, {"gem_municipality_matched": int(matched)}


def _plant_params(w: Works, rng: np.random.Generator) -> None:
    """Each works' own typical values (within the notes' bands, my own spreads)."""
    u = rng.uniform
    p = w.p
    p.update(util=u(0.74, 0.93), coke_rate=u(0.36, 0.405), pci=u(0.135, 0.165),
             hm_ratio=u(0.885, 0.93), yield_bof=u(0.915, 0.925), sinter_ratio=u(1.25, 1.45),
             pellet_ratio=u(0.15, 0.35), sinter_fuel=u(0.050, 0.058), coke_yield=u(0.745, 0.79),
             tar=u(0.030, 0.041), benzene=u(0.009, 0.012), cog_y=u(415, 440),
             bfg_y=u(1420, 1680), ldg_y=u(92, 118), coking_heat=u(2.6, 3.0),
             coking_bfg=u(0.5, 0.8), stove_heat=u(1.9, 2.4), ignition=u(0.05, 0.08),
             pellet_heat=u(0.35, 0.6), lime_ratio=u(0.045, 0.062), lime_heat=u(4.0, 4.6),
             bof_heat=u(0.03, 0.06), flare_b=u(0.005, 0.025), flare_c=u(0.003, 0.012),
             flare_l=u(0.02, 0.07), cog_export=(u(0.05, 0.18) if rng.random() < 0.25 else 0.0),
             pp_eff=u(0.30, 0.36), pp_coal=(u(0.5, 1.2) if rng.random() < 0.75 else 0.0),
             electrode=u(0.005, 0.009), eaf_carbon=u(0.008, 0.015), eaf_pig=u(0.08, 0.2),
             diesel=u(0.0003, 0.0008), limestone_s=u(0.03, 0.07), dolomite_s=u(0.02, 0.045),
             dolomite_b=u(0.005, 0.012), elec_long=u(430, 560), elec_eaf=u(360, 460),
             relining=(int(rng.integers(12)) if rng.random() < 0.25 else -1),
             relining_cut=u(0.6, 0.82), eaf_util=u(0.65, 0.9))
    # fuel quality: monthly composite means; some works file the default CC
    p["ncv"] = {"cleaned_coal": u(25.6, 27.2), "bituminous_coal": u(23.5, 27.0),
                "anthracite": u(23.5, 27.0), "coke": u(28.0, 28.8)}
    p["cc"] = {"cleaned_coal": u(0.0250, 0.0262), "bituminous_coal": u(0.0256, 0.0270),
               "anthracite": u(0.0270, 0.0282), "coke": u(0.0292, 0.0300)}
    p["cc_default"] = rng.random() < 0.3
    p["gas_ncv"] = {"cog": u(166, 180), "bfg": u(30.5, 35.5), "ldg": u(76, 90)}
    p["gas_cc"] = {"cog": u(0.0116, 0.0125), "bfg": u(0.0690, 0.0730), "ldg": u(0.0485, 0.0510)}
    p["gas_default"] = rng.random() < 0.35


def _defaults(cfg) -> dict[str, dict[str, float]]:
    from workbench import factors as F
    out = {f: F.fuel_defaults(cfg, f) for f in ("cleaned_coal", "bituminous_coal",
                                                "anthracite", "coke", "diesel", "cog", "bfg",
                                                "ldg")}
    return out


def _utilisation(w: Works, period: str, rng: np.random.Generator) -> float:
    """The month's crude-steel utilisation: the works' own level, ±3 % noise, the heating
    season's output limits of the northern provinces (Nov-Mar) and a BF relining month."""
    p, m = w.p, int(period[5:])
    util = p["util"] * float(np.clip(rng.normal(1, 0.03), 0.92, 1.08))
    if p["province"] in HEATING and m in (1, 2, 3, 11, 12):
        util *= float(rng.uniform(0.88, 0.97))
    if p["relining"] == m - 1:
        util *= p["relining_cut"]
    return min(util, 0.99)


def _eaf(w: Works, period: str, eaf: float, rng: np.random.Generator, f: c.Filing,
         tot: dict, hidden: dict) -> None:
    """The EAF shop: electrodes, scrap and purchased pig iron charged, injection carbon."""
    p, u = w.p, w.units["eaf"]
    electrode = eaf * p["electrode"] * float(rng.uniform(0.95, 1.05))
    charge = eaf / 0.905
    pig = charge * p["eaf_pig"]
    carbon = eaf * p["eaf_carbon"]
    for code, v in (("eaf_steel_output_t", eaf), ("electrode_t", electrode),
                    ("scrap_t", charge - pig), ("purchased_pig_iron_t", pig),
                    ("anthracite_consumption_t", carbon)):
        f.put(u, period, code, v)
        tot[code] += v
    hidden[(u, period)] = {"fuel:anthracite": carbon}


def _iron(w: Works, bof: float, rng: np.random.Generator) -> dict[str, float]:
    """Tonnages of the iron side of a BF-BOF works for a month of ``bof`` t BOF steel."""
    p, U = w.p, w.units
    hm = bof * p["hm_ratio"] * float(np.clip(rng.normal(1, 0.006), 0.985, 1.015))
    x = {"hm": hm, "bof": bof, "scrap_bof": max(bof / p["yield_bof"] - hm, 0.0),
         "sinter": hm * p["sinter_ratio"] if "sintering" in U else 0.0,
         "pellet": hm * p["pellet_ratio"] if "pelletising" in U else 0.0,
         "lime": bof * p["lime_ratio"] if "lime" in U else 0.0,
         "coke_need": hm * p["coke_rate"] * float(rng.uniform(0.985, 1.015)),
         "pci": hm * p["pci"] * float(rng.uniform(0.97, 1.03))}
    own = x["coke_need"] * p.get("coke_cap_share", 0.0) if "coking" in U else 0.0
    x["coke_own"] = min(own, x["coke_need"]) * float(rng.uniform(0.97, 1.0))
    x["coal"] = x["coke_own"] / p["coke_yield"]
    return x


def _gas_demand(w: Works, x: dict, gq: dict, avail: dict) -> dict[str, dict[str, float]]:
    """Heat (GJ) each process takes from each by-product gas."""
    p, U = w.p, w.units
    heat_gas = "cog" if x["coke_own"] > 0 else "bfg"
    need: dict[str, dict[str, float]] = {}

    def want(unit: str, gas: str, gj: float) -> None:
        need.setdefault(unit, {}).setdefault(gas, 0.0)
        need[unit][gas] += gj

    if "coking" in U:
        h = x["coke_own"] * p["coking_heat"]
        want(U["coking"], "bfg", h * p["coking_bfg"])
        want(U["coking"], "cog", h * (1 - p["coking_bfg"]))
    if x["sinter"]:
        want(U["sintering"], heat_gas, x["sinter"] * p["ignition"])
    if x["pellet"]:
        want(U["pelletising"], heat_gas, x["pellet"] * p["pellet_heat"])
    want(U["ironmaking"], "bfg", x["hm"] * p["stove_heat"])
    want(U["bof"], heat_gas, x["bof"] * p["bof_heat"])
    if x["lime"]:
        h = x["lime"] * p["lime_heat"]
        ldg_heat = min(h, 0.6 * avail["ldg"] * gq["ldg"][0])
        want(U["lime"], "ldg", ldg_heat)
        want(U["lime"], heat_gas, h - ldg_heat)
    return need


def _meters(use: dict[str, dict[str, float]], gen: dict, out: dict,
            grng: np.random.Generator) -> None:
    """Meter readings of the gas consumers: ±0.3 % each, the balance residual (generated −
    consumed − exported − flared) kept within 0.9 % of the gas generated."""
    for g in GASES:
        if gen[g] <= 0:
            continue
        users = [v for v in use.values() if v.get(g, 0.0) > 0]
        for v in users:
            v[g] *= float(np.clip(grng.normal(1, 0.003), 0.992, 1.008))
        cons = sum(v[g] for v in users)
        res = gen[g] - cons - out[g]
        if abs(res) > 0.009 * gen[g]:
            s = (gen[g] - out[g] - np.sign(res) * 0.009 * gen[g]) / cons
            for v in users:
                v[g] *= s


def _gases(w: Works, x: dict, grng: np.random.Generator
           ) -> tuple[dict, dict, dict, dict, dict[str, dict[str, float]]]:
    """Generated, flared, exported volumes (万Nm3), quality, and each facility's use; the
    captive plant burns what is left of each gas."""
    p, U = w.p, w.units
    gq = {g: (p["gas_ncv"][g] * float(grng.normal(1, 0.012)),
              p["gas_cc"][g] * float(grng.normal(1, 0.006))) for g in GASES}
    gen = {"cog": x["coke_own"] * p["cog_y"] / 1e4, "bfg": x["hm"] * p["bfg_y"] / 1e4,
           "ldg": x["bof"] * p["ldg_y"] / 1e4}
    flare = {"cog": gen["cog"] * p["flare_c"], "bfg": gen["bfg"] * p["flare_b"],
             "ldg": gen["ldg"] * p["flare_l"]}
    export = {"cog": gen["cog"] * p["cog_export"], "bfg": 0.0, "ldg": 0.0}
    avail = {g: gen[g] - flare[g] - export[g] for g in GASES}
    need = _gas_demand(w, x, gq, avail)
    use = {u: {g: gj / gq[g][0] for g, gj in gs.items()} for u, gs in need.items()}
    for g in GASES:
        taken = sum(v.get(g, 0.0) for v in use.values())
        if taken > avail[g] * 0.9 and taken > 0:            # never more than there is
            for v in use.values():
                if g in v:
                    v[g] *= avail[g] * 0.9 / taken
            taken = avail[g] * 0.9
        use.setdefault(U["captive_power"], {})[g] = avail[g] - taken
    _meters(use, gen, {g: flare[g] + export[g] for g in GASES}, grng)
    return gq, gen, flare, export, use


def _file_gases(w: Works, period: str, f: c.Filing, dflt: dict, gq: dict, gen: dict,
                flare: dict, export: dict, use: dict) -> None:
    U = w.units
    src = "default" if w.p["gas_default"] else "measured"
    where = {"cog": U.get("coking"), "bfg": U["ironmaking"], "ldg": U["bof"]}
    for g in GASES:
        gu = where[g]
        if gu is None:
            continue
        f.put(gu, period, f"{g}_generated_1e4nm3", gen[g])
        f.put(gu, period, f"{g}_flared_1e4nm3", flare[g])
        f.put(gu, period, f"{g}_exported_1e4nm3", export[g])
        ncv, cc = gq[g] if src == "measured" else (dflt[g]["ncv"], dflt[g]["cc"])
        f.put(gu, period, f"{g}_ncv_gj_per_1e4nm3", ncv, src)
        f.put(gu, period, f"{g}_cc_tc_per_gj", cc, src)
    for unit, gs in use.items():
        for g, v in gs.items():
            if v > 0:
                f.put(unit, period, f"{g}_consumption_1e4nm3", v)


def _long(w: Works, period: str, bof: float, rng: np.random.Generator,
          grng: np.random.Generator, f: c.Filing, dflt: dict, tot: dict, hidden: dict) -> float:
    """The BF-BOF side of a month: tonnages, gases, the captive plant, the process rows;
    adds the site totals to ``tot``; returns the captive plant's generation (MWh)."""
    p, U, put = w.p, w.units, f.put
    x = _iron(w, bof, rng)
    gq, gen, flare, export, use = _gases(w, x, grng)
    pp = U["captive_power"]
    pp_gas_heat = sum(use[pp].get(g, 0.0) * gq[g][0] for g in GASES)
    pp_coal = pp_gas_heat * p["pp_coal"] / p["ncv"]["bituminous_coal"]
    gen_mwh = pp_gas_heat * (1 + p["pp_coal"]) * p["pp_eff"] / 3.6
    _file_gases(w, period, f, dflt, gq, gen, flare, export, use)
    rows = [(U["ironmaking"], "hot_metal_output_t", x["hm"]),
            (U["ironmaking"], "coke_consumption_t", x["coke_need"]),
            (U["ironmaking"], "bituminous_coal_consumption_t", x["pci"]),
            (U["bof"], "bof_steel_output_t", bof), (U["bof"], "scrap_t", x["scrap_bof"]),
            (U["bof"], "dolomite_t", bof * p["dolomite_b"]),
            (pp, "captive_pp_generation_mwh", gen_mwh)]
    if pp_coal > 0:
        rows.append((pp, "bituminous_coal_consumption_t", pp_coal))
    if "coking" in U:
        rows += [(U["coking"], "coke_output_t", x["coke_own"]),
                 (U["coking"], "cleaned_coal_consumption_t", x["coal"])]
    if x["sinter"]:
        rows += [(U["sintering"], "sinter_output_t", x["sinter"]),
                 (U["sintering"], "anthracite_consumption_t", x["sinter"] * p["sinter_fuel"]),
                 (U["sintering"], "limestone_t", x["sinter"] * p["limestone_s"]),
                 (U["sintering"], "dolomite_t", x["sinter"] * p["dolomite_s"])]
    if x["pellet"]:
        rows.append((U["pelletising"], "pellet_output_t", x["pellet"]))
    if x["lime"]:
        rows += [(U["lime"], "lime_output_t", x["lime"]),
                 (U["lime"], "limestone_t", x["lime"] * 1.78)]
    for unit, code, v in rows:
        put(unit, period, code, v)
    # what the processes burn or calcine themselves (their gross co2_t)
    hidden[(pp, period)] = {"fuel:bituminous_coal": pp_coal}
    if x["sinter"]:
        hidden[(U["sintering"], period)] = {
            "fuel:anthracite": x["sinter"] * p["sinter_fuel"],
            "limestone": x["sinter"] * p["limestone_s"], "dolomite": x["sinter"] * p["dolomite_s"]}
    if x["lime"]:
        hidden[(U["lime"], period)] = {"limestone": x["lime"] * 1.78}
    hidden[(U["bof"], period)] = {"dolomite": bof * p["dolomite_b"]}
    # site totals (the enterprise level): net inputs across the boundary
    tot["cleaned_coal_consumption_t"] += x["coal"]
    tot["coke_consumption_t"] += x["coke_need"] - x["coke_own"]
    tot["bituminous_coal_consumption_t"] += x["pci"] + pp_coal
    tot["anthracite_consumption_t"] += x["sinter"] * p["sinter_fuel"]
    tot["limestone_t"] += x["sinter"] * p["limestone_s"] + x["lime"] * 1.78
    tot["dolomite_t"] += x["sinter"] * p["dolomite_s"] + bof * p["dolomite_b"]
    tot["scrap_t"] += x["scrap_bof"]
    tot["coal_tar_output_t"] += x["coal"] * p["tar"]
    tot["crude_benzene_output_t"] += x["coal"] * p["benzene"]
    return gen_mwh


def _enterprise(w: Works, period: str, cs: float, eaf: float, gen_mwh: float,
                qrng: np.random.Generator, f: c.Filing, dflt: dict, tot: dict) -> None:
    """The enterprise-level rows: crude steel, electricity, the site's fuels with their
    NCV and carbon (monthly composites; diesel and, at some works, the carbon at default),
    materials and carbon products."""
    p, ent, put = w.p, w.units["steel_enterprise"], f.put
    if w.route == "bf_bof":
        demand = cs * p["elec_long"] / 1000 + eaf * (p["elec_eaf"] - p["elec_long"]) / 1000
    else:
        demand = eaf * p["elec_eaf"] / 1000
    tot["diesel_consumption_t"] += cs * p["diesel"]
    put(ent, period, "crude_steel_output_t", cs)
    put(ent, period, "purchased_electricity_mwh", max(0.05 * demand, demand - gen_mwh))
    if gen_mwh > 0.95 * demand:
        put(ent, period, "exported_electricity_mwh", gen_mwh - 0.95 * demand)
    for fu in FUELS:
        v = tot.get(f"{fu}_consumption_t", 0.0)
        if v <= 0:
            continue
        put(ent, period, f"{fu}_consumption_t", v)
        if fu == "diesel":
            put(ent, period, "diesel_ncv_gj_per_t", dflt[fu]["ncv"], "default")
            put(ent, period, "diesel_cc_tc_per_gj", dflt[fu]["cc"], "default")
            continue
        put(ent, period, f"{fu}_ncv_gj_per_t", p["ncv"][fu] * float(qrng.normal(1, 0.01)))
        if p["cc_default"] and fu != "coke":
            put(ent, period, f"{fu}_cc_tc_per_gj", dflt[fu]["cc"], "default")
        else:
            put(ent, period, f"{fu}_cc_tc_per_gj", p["cc"][fu] * float(qrng.normal(1, 0.008)))
    for code in ("limestone_t", "dolomite_t", "electrode_t", "scrap_t", "purchased_pig_iron_t",
                 "coal_tar_output_t", "crude_benzene_output_t"):
        if tot.get(code, 0.0) > 0:
            put(ent, period, code, tot[code])


def _month(w: Works, period: str, rng: np.random.Generator, grng: np.random.Generator,
           qrng: np.random.Generator, f: c.Filing, dflt: dict, hidden: dict) -> None:
    """One works-month: physics, then the filed rows of every facility."""
    p = w.p
    util = _utilisation(w, period, rng)
    cs = p["cs_cap"] * 1000 / 366 * c.DAYS[period] * util
    tot: dict[str, float] = defaultdict(float)
    if w.route == "eaf":
        cs = eaf = cs * p["eaf_util"] / p["util"]
        bof = 0.0
    else:
        eaf = cs * p["eaf_share"]
        bof = cs - eaf
    if eaf > 0:
        _eaf(w, period, eaf, rng, f, tot, hidden)
    gen_mwh = _long(w, period, bof, rng, grng, f, dflt, tot, hidden) if bof > 0 else 0.0
    _enterprise(w, period, cs, eaf, gen_mwh, qrng, f, dflt, tot)


# -- emissions --------------------------------------------------------------------------------
def enterprise_terms(f: c.Filing, unit: str, period: str, steel_f: dict[str, float]
                     ) -> tuple[float, float, float]:
    """(E_fuel, E_proc, R_prod) of an enterprise-level facility-month from its filed rows,
    with the formulas of :mod:`workbench.accounting.steel` and the steel table in force."""
    g = f.get
    cons = {fu: g(unit, period, f"{fu}_consumption_t") for fu in FUELS
            if f.has(unit, period, f"{fu}_consumption_t")}
    ncv = {fu: g(unit, period, f"{fu}_ncv_gj_per_t") for fu in cons}
    cc = {fu: g(unit, period, f"{fu}_cc_tc_per_gj") for fu in cons}
    e_fuel = acc.fuels_co2_t(cons, ncv, cc) if cons else 0.0
    mats = {k: g(unit, period, code) for k, code in (
        ("limestone", "limestone_t"), ("dolomite", "dolomite_t"), ("electrode", "electrode_t"),
        ("scrap", "scrap_t"), ("pig_iron", "purchased_pig_iron_t"), ("dri", "dri_t"))}
    e_proc = acc.process_material_co2_t(mats, steel_f)
    prods = {"crude_steel": g(unit, period, "crude_steel_output_t"),
             "crude_benzene": g(unit, period, "crude_benzene_output_t"),
             "coal_tar": g(unit, period, "coal_tar_output_t")}
    r_prod = acc.product_deduction_t(prods, steel_f)
    return float(e_fuel), float(e_proc), float(r_prod)


def _gas_quality(f: c.Filing, w: Works, period: str) -> dict[str, tuple[float, float]]:
    gas_unit = {"cog": w.units.get("coking"), "bfg": w.units.get("ironmaking"),
                "ldg": w.units.get("bof")}
    out = {}
    for g, u in gas_unit.items():
        if u and f.has(u, period, f"{g}_ncv_gj_per_1e4nm3"):
            out[g] = (f.get(u, period, f"{g}_ncv_gj_per_1e4nm3"), f.get(u, period,
                                                                           f"{g}_cc_tc_per_gj"))
    return out


def compute_co2(f: c.Filing, works: list[Works], hidden: dict, steel_f: dict) -> None:
    """co2_t of every facility-month from the filed values: the enterprise level by
    E_fuel + E_proc − R_prod, each process by its gross balance (gases it burns or flares
    with the filed gas NCV/CC, the external fuels it burns with the enterprise's filed
    NCV/CC, its carbonates and electrodes; no OF, as at the enterprise level)."""
    for w in works:
        ent = w.units["steel_enterprise"]
        for period in c.PERIODS:
            e_fuel, e_proc, r_prod = enterprise_terms(f, ent, period, steel_f)
            f.put(ent, period, "co2_t", acc.enterprise_co2_t(e_fuel, e_proc, r_prod),
                  "calculated")
            gq = _gas_quality(f, w, period)
            for kind, unit in w.units.items():
                if kind == "steel_enterprise":
                    continue
                e = 0.0
                for g, (ncv, cc) in gq.items():
                    v = f.get(unit, period, f"{g}_consumption_1e4nm3")
                    v += f.get(unit, period, f"{g}_flared_1e4nm3")
                    e += acc.fuel_co2_t(v, ncv, cc)
                h = hidden.get((unit, period), {})
                for key, q in h.items():
                    if key.startswith("fuel:"):
                        fu = key[5:]
                        e += acc.fuel_co2_t(q, f.get(ent, period, f"{fu}_ncv_gj_per_t"),
                                            f.get(ent, period, f"{fu}_cc_tc_per_gj"))
                e += h.get("limestone", 0.0) * steel_f["limestone"]
                e += h.get("dolomite", 0.0) * steel_f["dolomite"]
                e += f.get(unit, period, "electrode_t") * steel_f["electrode"]
                f.put(unit, period, "co2_t", e, "calculated")


# -- problems ---------------------------------------------------------------------------------
def _eligible(w: Works, kind: str, dflt: dict) -> bool:
    U = w.units
    if kind == "steel.overstated_carbon_products":
        return "coking" in U
    if kind == "steel.gas_balance_broken":
        return "captive_power" in U
    if kind == "steel.carbon_inputs_omitted":
        return "eaf" in U
    if kind == "steel.default_as_measured":
        fu = _first_fuel(w)
        return not w.p["cc_default"] and w.p["cc"][fu] > dflt[fu]["cc"] * 1.01
    return True


def _first_fuel(w: Works) -> str:
    """The main carbon carrier the works files: coking coal, else PCI coal, else anthracite."""
    if "coking" in w.units:
        return "cleaned_coal"
    return "bituminous_coal" if w.route == "bf_bof" else "anthracite"


def _inflated_crude_steel(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.inflated_crude_steel (README.md)."""
    U, e = w.units, w.eid
    ent = U["steel_enterprise"]
    months = c.run_of_months(rng, 2, 6)
    k = float(rng.uniform(1.04, 1.15))
    with_proc = bool(rng.random() < 0.5)
    proc = U.get("bof") or U.get("eaf")
    pcode = "bof_steel_output_t" if "bof" in U else "eaf_steel_output_t"
    for m in months:
        cs = f.get(ent, m, "crude_steel_output_t")
        f.put(ent, m, "crude_steel_output_t", cs * k)
        t.add(kind, e, ent, m, "crude_steel_output_t")
        if with_proc:
            v = f.get(proc, m, pcode)
            f.put(proc, m, pcode, v + cs * (k - 1))
            t.add(kind, e, proc, m, pcode)
    return {"months": len(months), "factor": round(k, 4),
            "variant": "enterprise_and_process" if with_proc else "enterprise_only"}


def _overstated_carbon_products(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.overstated_carbon_products (README.md)."""
    U, e = w.units, w.eid
    ent = U["steel_enterprise"]
    months = c.run_of_months(rng, 3, 12)
    kt, kb = float(rng.uniform(1.5, 2.8)), float(rng.uniform(1.0, 2.5))
    for m in months:
        f.put(ent, m, "coal_tar_output_t", f.get(ent, m, "coal_tar_output_t") * kt)
        t.add(kind, e, ent, m, "coal_tar_output_t")
        if kb > 1.2:
            f.put(ent, m, "crude_benzene_output_t",
                  f.get(ent, m, "crude_benzene_output_t") * kb)
            t.add(kind, e, ent, m, "crude_benzene_output_t")
    return {"months": len(months), "tar_factor": round(kt, 3),
            "benzene_factor": round(kb, 3) if kb > 1.2 else 1.0}


def _gas_balance_broken(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.gas_balance_broken (README.md)."""
    U, e = w.units, w.eid
    months = c.run_of_months(rng, 2, 8)
    k = float(rng.uniform(0.55, 0.88))
    pp = U["captive_power"]
    for m in months:
        f.put(pp, m, "bfg_consumption_1e4nm3", f.get(pp, m, "bfg_consumption_1e4nm3") * k)
        t.add(kind, e, pp, m, "bfg_consumption_1e4nm3")
    return {"months": len(months), "captive_bfg_factor": round(k, 3)}


def _default_as_measured(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.default_as_measured (README.md)."""
    U, e = w.units, w.eid
    ent = U["steel_enterprise"]
    fu = _first_fuel(w)
    code = f"{fu}_cc_tc_per_gj"
    d = dflt[fu]["cc"]
    # the works' measured carbon is above the default (eligibility): the filer files
    # the default, labelled measured, every month (zero variance)
    for m in c.PERIODS:
        if f.get(ent, m, code) != d:
            t.add(kind, e, ent, m, code)
        f.put(ent, m, code, d, "measured")
    return {"months": 12, "fuel": fu, "filed": d,
            "measured_mean": round(w.p["cc"][fu], 5)}


def _intensity_understated(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.intensity_understated (README.md)."""
    U, e = w.units, w.eid
    ent = U["steel_enterprise"]
    months = c.run_of_months(rng, 3, 6)
    fu = _first_fuel(w)
    k = float(rng.uniform(0.80, 0.94))
    for m in months:
        code = f"{fu}_consumption_t"
        f.put(ent, m, code, f.get(ent, m, code) * k)
        t.add(kind, e, ent, m, code)
    return {"months": len(months), "fuel": fu, "factor": round(k, 3)}


def _carbon_inputs_omitted(f: c.Filing, w: Works, kind: str, rng: np.random.Generator,
        t: c.Truth, dflt: dict) -> dict:
    """steel.carbon_inputs_omitted (README.md)."""
    U, e = w.units, w.eid
    ent = U["steel_enterprise"]
    months = c.run_of_months(rng, 2, 9)
    for m in months:
        f.put(ent, m, "electrode_t", 0.0)
        t.add(kind, e, ent, m, "electrode_t")
        if f.get(ent, m, "purchased_pig_iron_t") > 0:
            f.put(ent, m, "purchased_pig_iron_t", 0.0)
            t.add(kind, e, ent, m, "purchased_pig_iron_t")
    return {"months": len(months), "filed": 0.0}


_INPUTS_BY_KIND = {
    "steel.inflated_crude_steel": _inflated_crude_steel,
    "steel.overstated_carbon_products": _overstated_carbon_products,
    "steel.gas_balance_broken": _gas_balance_broken,
    "steel.default_as_measured": _default_as_measured,
    "steel.intensity_understated": _intensity_understated,
    "steel.carbon_inputs_omitted": _carbon_inputs_omitted,
}


def _inject_inputs(f: c.Filing, w: Works, kind: str, rng: np.random.Generator, t: c.Truth,
                   dflt: dict) -> dict | None:
    """Alter the filed inputs of one works (before its co2 is computed: the filer's own
    sheet recomputes co2 from what it files).  Returns the drawn magnitudes."""
    return _INPUTS_BY_KIND[kind](f, w, kind, rng, t, dflt)


def _inject_co2(f: c.Filing, w: Works, rng: np.random.Generator, t: c.Truth) -> dict:
    ent = w.units["steel_enterprise"]
    months = c.run_of_months(rng, 1, 4)
    k = float(rng.uniform(0.90, 0.975))
    for m in months:
        f.put(ent, m, "co2_t", f.get(ent, m, "co2_t") * k, "calculated")
        t.add("steel.co2_misreported", w.eid, ent, m, "co2_t")
    return {"months": len(months), "factor": round(k, 4)}


# -- partial exports ----------------------------------------------------------------------------
PARTIAL = {"no_captive_power_rows": 0.15, "no_tar_benzene": 0.15, "no_bfg_flared": 0.10}


def _partial(f: c.Filing, works: list[Works], problem: set[str], rng: np.random.Generator
             ) -> list[dict]:
    out = []
    order = [works[i] for i in rng.permutation(len(works))]
    for what, share in PARTIAL.items():
        n = int(round(share * len(works)))
        done = 0
        for w in order:
            if done >= n or w.eid in problem:
                continue
            U = w.units
            if what == "no_captive_power_rows" and "captive_power" in U:
                unit = U["captive_power"]
                params = sorted({k for m in c.PERIODS for k in f.rows.get((unit, m), {})})
                for m in c.PERIODS:
                    f.rows.pop((unit, m), None)
                out.append({"what": what, "enterprise_id": w.eid, "unit_id": unit,
                            "parameters": params})
            elif what == "no_tar_benzene" and "coking" in U:
                ent = U["steel_enterprise"]
                for m in c.PERIODS:
                    f.drop(ent, m, "coal_tar_output_t")
                    f.drop(ent, m, "crude_benzene_output_t")
                out.append({"what": what, "enterprise_id": w.eid, "unit_id": ent,
                            "parameters": ["coal_tar_output_t", "crude_benzene_output_t"],
                            "note": "co2_t as filed still deducts them"})
            elif what == "no_bfg_flared" and "ironmaking" in U:
                for m in c.PERIODS:
                    f.drop(U["ironmaking"], m, "bfg_flared_1e4nm3")
                out.append({"what": what, "enterprise_id": w.eid, "unit_id": U["ironmaking"],
                            "parameters": ["bfg_flared_1e4nm3"]})
            else:
                continue
            done += 1
    return out


def generate(real: Path, n: int, seed: int, rate: float, cfg: dict, taken: set[str]):
    """The steel part of a set (see :class:`benchmarks.realset_sectors.build.Part`)."""
    from workbench import factors as F

    r = c.streams(seed, "steel", STREAMS)
    plants, dropped = select(real, n, r["select"])
    works, ents, units, info = _master(plants, r["master"], taken)
    for w in works:
        _plant_params(w, r["master"])
    dflt = _defaults(cfg)
    steel_f = F.factors(cfg, "steel")
    f, hidden = c.Filing(), {}
    for w in works:
        for period in c.PERIODS:
            _month(w, period, r["ops"], r["gas"], r["quality"], f, dflt, hidden)
    truth = c.Truth()
    by = {w.eid: w for w in works}
    plan = c.plan_problems([w.eid for w in works], KINDS, rate, r["plan"],
                           lambda e, k: _eligible(by[e], k, dflt))
    for eid, kind in plan.items():
        if kind != "steel.co2_misreported":
            d = _inject_inputs(f, by[eid], kind, np.random.default_rng([seed, 11, len(eid),
                                                                       *map(ord, eid)]),
                               truth, dflt)
            truth.detail.append({"kind": kind, "enterprise_id": eid, **(d or {})})
    compute_co2(f, works, hidden, steel_f)
    for eid, kind in plan.items():
        if kind == "steel.co2_misreported":
            d = _inject_co2(f, by[eid], np.random.default_rng([seed, 12, *map(ord, eid)]), truth)
            truth.detail.append({"kind": kind, "enterprise_id": eid, **d})
    partial = _partial(f, works, set(plan), r["partial"])
    info.update({"selection": dropped, "plants": plants["plant_name_en"].tolist(),
                 "routes": pd.Series([w.route for w in works]).value_counts().to_dict()})
    return ents, units, f, [], truth, partial, info, [w.eid for w in works], r["deposits"]


__all__ = ["KINDS", "generate", "enterprise_terms", "CO2_PER_C"]
