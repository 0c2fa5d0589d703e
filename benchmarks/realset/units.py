"""Select real US generating units and characterise them (seed-independent).

Sources: US EPA eGRID 2021 unit file (annual heat input ``htian`` in MMBtu, gross
basis; CO2 ``co2an`` in short tons; operating hours ``hrsop``) and EIA-923 monthly
plant net generation 2013-2014 (MWh), relabelled 2023-2024.

A unit is used when it is operating (``untopst`` OP) with heat, CO2 and hours,
and is a coal steam unit (``fuelu1`` BIT, SUB, LIG, RC, WC; prime mover ST) or a
gas steam or combined-cycle unit (NG; ST or CT).  Its plant must draw at least
95 % of its heat input from that fuel family (so the plant's generation is that
family's) and report all 24 months.  Per plant:

* heat rate (MMBtu/MWh: gross heat per MWh of net generation): two estimates that mix the
  2021 heat input with the 2013-14 generation in different ways, (a) annual heat /
  mean annual generation and (b) heat input per operating hour / best-month output,
  each scaled so that the family median equals the US fleet average operating
  heat rate of 2021 (EIA Electric Power Annual Table 8.1: coal 10,583, natural gas
  7,689 Btu/kWh); the plant keeps the geometric mean when the two agree within a
  factor exp(0.4) ≈ 1.5 and it lies in the physical band of its technology; then
  the coal plants kept are rescaled together so that their median has the Chinese
  average supply coal consumption (303 gce/kWh, 2023): the spread is the US one,
  the level Chinese (gas keeps the US level, combined cycles being alike); a coal
  plant whose rescaled value implies a net efficiency above 46 % or below 30 %
  (LHV; 267-410 gce/kWh) is dropped;
* capacity (MW): the best month's mean output (2013-14) / 0.92, shared among units
  by heat input per operating hour, and never below what any month's generation
  (net output grossed up for own use) needs at 97 % load;
* carbon per unit heat (tC/GJ, gross): CO2 × 12/44 / (0.99 × heat), 0.99 being
  the oxidation rate the filings use, so filed CO2 reproduces the real CO2/heat.

A unit is dropped when its carbon per unit heat, on the net basis of its rank's
typical coal (:mod:`.coal`), lies outside the IPCC 2006 95 % limits of that rank.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset import coal

EGRID = "egrid2021_units.csv"
EIA923 = "eia923_monthly_plant_netgen_2009_2014.csv"
GJ_PER_MMBTU = 1.055056
T_PER_SHORT_TON = 0.907185
#: Oxidation rate of the filings (default of the power guideline).
OXIDATION = 0.99
#: Net/gross calorific value of pipeline natural gas.
GAS_NET_TO_GROSS = 0.903
SOURCE_YEARS = (2013, 2014)
YEAR_SHIFT = 10
COAL_FUELS = ("BIT", "SUB", "LIG", "RC", "WC")
#: US fleet average operating heat rates of 2021 (MMBtu/MWh): EIA EPA Table 8.1.
FLEET_HEAT_RATE = {"coal": 10.583, "gas": 7.689}
#: Chinese coal-fired average supply coal consumption, 2023 (gce/kWh; domain notes §6.3:
#: 300-306 in 2019-2023, uncertain), and the gross/net CV ratio of the pool's typical coal.
CHINA_SUPPLY_COAL_GCE_PER_KWH = 303.0
TYPICAL_GROSS_TO_NET = 1.05
#: Physically possible supply coal consumption of a coal steam unit (gce/kWh): 46 % to 30 %
#: net efficiency (LHV) = 0.1229 kgce/kWh / efficiency.
CHINA_COAL_BAND_GCE_PER_KWH = (267.0, 410.0)
GJ_PER_TCE = 29.3076
#: Physically plausible net heat rates (MMBtu/MWh, gross heat): about 25-39 % net (HHV)
#: efficiency for coal steam, 38-55 % for combined cycle, 24-36 % for gas boilers.
HEAT_RATE_BAND = {"coal_steam": (8.8, 13.5), "gas_cc": (6.2, 9.0), "gas_steam": (9.5, 14.0)}
HEAT_RATE_AGREEMENT = 0.4
FAMILY_SHARE_MIN = 0.95
#: A plant's best month averages this share of its capacity; no month exceeds MONTH_LOAD_MAX.
BEST_MONTH_LOAD = 0.92
MONTH_LOAD_MAX = 0.97
#: Highest own-use rate of a unit (generation = net output / (1 − own-use rate)).
OWN_USE_MAX = 0.12
#: IPCC 2006 95 % limits of natural gas carbon content (tC/GJ, net basis).
GAS_CC_BOUNDS = (0.0148, 0.0159)


@dataclass(frozen=True)
class Pool:
    """Usable plants and units, the plants' monthly generation and what was dropped.

    ``units``: one row per unit (eGRID ``orispl``/``unitid``, ``state``, ``family``
    coal|gas, ``tech``, ``rank``, ``heat_share`` of plant heat, ``capacity_mw``,
    ``heat_rate`` MMBtu/MWh, ``c_gross`` tC/GJ, ``cc_net`` tC/GJ...).
    ``monthly``: ``orispl``, ``period`` (2023-01..2024-12), ``plant_mwh`` (≥ 0).
    """

    units: pd.DataFrame
    monthly: pd.DataFrame
    dropped: dict[str, int] = field(default_factory=dict)
    sources: list[dict] = field(default_factory=list)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _family(e: pd.DataFrame) -> pd.Series:
    coal_unit = e["fuelu1"].isin(COAL_FUELS) & (e["prmvr"] == "ST")
    gas_unit = (e["fuelu1"] == "NG") & e["prmvr"].isin(["ST", "CT"])
    return pd.Series(np.select([coal_unit, gas_unit], ["coal", "gas"], ""), index=e.index)


def _plant_generation(real: Path) -> pd.DataFrame:
    m = pd.read_csv(real / EIA923)
    m = m[m["year"].isin(SOURCE_YEARS)].copy()
    m["period"] = ((m["year"] + YEAR_SHIFT).astype(str) + "-"
                   + m["month"].astype(str).str.zfill(2))
    m["hours"] = pd.to_datetime(m["period"] + "-01").dt.days_in_month * 24
    return m.rename(columns={"plant_id_eia": "orispl", "net_generation_mwh": "mwh"})


def _plant_heat_rates(cand: pd.DataFrame, e: pd.DataFrame, gen: pd.DataFrame) -> pd.DataFrame:
    """Per candidate plant: family, tech, two heat-rate estimates, capacity (see module doc)."""
    heat = e.loc[e["htian"] > 0].groupby("orispl")["htian"].sum()
    running = e[(e["untopst"] == "OP") & (e["htian"] > 0) & (e["hrsop"] > 0)]
    rate = (running["htian"] / running["hrsop"]).groupby(running["orispl"]).sum()
    fam = cand.groupby(["orispl", "family"])["htian"].sum().reset_index()
    fam["share"] = fam["htian"] / fam["orispl"].map(heat)
    p = fam[fam["share"] >= FAMILY_SHARE_MIN].set_index("orispl")[["family"]]
    months = gen.groupby("orispl")["mwh"].agg(["count", "sum"])
    best = (gen["mwh"] / gen["hours"]).groupby(gen["orispl"]).max()
    p = p.join(months).join(best.rename("best_mw"))
    p = p[(p["count"] == 2 * 12) & (p["sum"] > 0) & (p["best_mw"] > 0)].copy()
    p["h_energy"] = heat.reindex(p.index) / (p["sum"] / len(SOURCE_YEARS))
    p["h_rate"] = rate.reindex(p.index) / p["best_mw"]
    for col in ("h_energy", "h_rate"):
        med = p.groupby("family")[col].transform("median")
        p[col] = p[col] * p["family"].map(FLEET_HEAT_RATE) / med
    p["heat_rate"] = np.sqrt(p["h_energy"] * p["h_rate"])
    ct = cand[cand["prmvr"] == "CT"].groupby("orispl")["htian"].sum()
    sel = cand.groupby("orispl")["htian"].sum()
    is_cc = (ct.reindex(p.index).fillna(0) >= 0.5 * sel.reindex(p.index))
    p["tech"] = np.where(p["family"] == "coal", "coal_steam",
                         np.where(is_cc, "gas_cc", "gas_steam"))
    p["capacity_mw"] = p["best_mw"] / BEST_MONTH_LOAD
    p["plant_rate"] = rate.reindex(p.index)
    p["plant_heat"] = heat.reindex(p.index)
    return p


def load_pool(real: Path) -> Pool:
    """Read the real files and return the usable units (see the module docstring)."""
    e = pd.read_csv(real / EGRID, low_memory=False)
    e["untopst"] = e["untopst"].astype(str).str.upper()
    for col in ("htian", "co2an", "hrsop", "untyronl"):
        e[col] = pd.to_numeric(e[col], errors="coerce")
    e["family"] = _family(e)
    ok = (e["untopst"] == "OP") & (e["htian"] > 0) & (e["co2an"] > 0) & (e["hrsop"] > 0)
    cand = e[ok & (e["family"] != "")].copy()
    gen = _plant_generation(real)
    plants = _plant_heat_rates(cand, e, gen)
    band = plants["tech"].map(HEAT_RATE_BAND)
    agree = np.abs(np.log(plants["h_energy"] / plants["h_rate"])) <= HEAT_RATE_AGREEMENT
    in_band = [lo <= hr <= hi for hr, (lo, hi) in zip(plants["heat_rate"], band, strict=True)]
    dropped = {"candidate_units": len(cand), "candidate_plants": int(cand["orispl"].nunique()),
               "plants_mixed_fuel_or_incomplete_months": int(cand["orispl"].nunique()
                                                             - len(plants)),
               "plants_heat_rate_estimates_disagree": int((~agree).sum()),
               "plants_heat_rate_outside_band": int((agree & ~np.array(in_band)).sum())}
    plants = plants[agree & np.array(in_band)].copy()
    coal_plant = plants["family"] == "coal"
    per_gce = GJ_PER_TCE * TYPICAL_GROSS_TO_NET / GJ_PER_MMBTU / 1000.0   # MMBtu/MWh per gce/kWh
    target = CHINA_SUPPLY_COAL_GCE_PER_KWH * per_gce
    plants.loc[coal_plant, "heat_rate"] *= target / plants.loc[coal_plant, "heat_rate"].median()
    lo, hi = (b * per_gce for b in CHINA_COAL_BAND_GCE_PER_KWH)
    possible = ~coal_plant | plants["heat_rate"].between(lo, hi)
    dropped["coal_plants_impossible_at_chinese_level"] = int((~possible).sum())
    plants = plants[possible]
    u = cand[cand["orispl"].isin(plants.index)].merge(
        plants[["family", "tech", "heat_rate", "capacity_mw", "plant_rate", "plant_heat"]]
        .rename(columns={"family": "plant_family"}), left_on="orispl", right_index=True)
    u = u[u["family"] == u["plant_family"]].copy()
    u["c_gross"] = (u["co2an"] * T_PER_SHORT_TON * 12.0 / 44.0
                    / (OXIDATION * u["htian"] * GJ_PER_MMBTU))
    ratio = (u["co2an"] / u["htian"]).to_numpy()
    u["rank"] = np.where(u["family"] == "coal", coal.rank_of(u["fuelu1"].to_numpy(), ratio),
                         "NG")
    to_net = u["rank"].map({r: coal.typical_gross_to_net(r) for r in coal.RANKS}).fillna(
        1.0 / GAS_NET_TO_GROSS)
    u["cc_net"] = u["c_gross"] * to_net
    bounds = u["rank"].map({**{r: k.cc_bounds for r, k in coal.RANKS.items()},
                            "NG": GAS_CC_BOUNDS})
    lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    inside = (u["cc_net"].to_numpy() >= lo) & (u["cc_net"].to_numpy() <= hi)
    dropped["units_carbon_outside_ipcc_limits"] = int((~inside).sum())
    u = u[inside].copy()
    u["heat_share"] = u["htian"] / u["plant_heat"]
    u["rate_share"] = (u["htian"] / u["hrsop"]) / u["plant_rate"]
    monthly = gen[gen["orispl"].isin(u["orispl"])][["orispl", "period", "mwh", "hours"]]
    monthly = monthly.assign(plant_mwh=monthly["mwh"].clip(lower=0.0))
    need = (monthly["plant_mwh"] / (1.0 - OWN_USE_MAX)
            / (monthly["hours"] * MONTH_LOAD_MAX)).groupby(
        monthly["orispl"]).max()
    u["capacity_mw"] = np.ceil(np.maximum(u["capacity_mw"] * u["rate_share"],
                                          u["orispl"].map(need) * u["heat_share"]))
    u = u.rename(columns={"pstatabb": "state", "unitid": "egrid_unitid", "prmvr": "prime_mover",
                          "fuelu1": "egrid_fuel", "botfirty": "firing",
                          "untyronl": "commissioning_year"})
    cols = ["orispl", "egrid_unitid", "pname", "state", "family", "tech", "prime_mover",
            "egrid_fuel", "rank", "firing", "commissioning_year", "htian", "co2an", "hrsop",
            "heat_share", "capacity_mw", "heat_rate", "c_gross", "cc_net"]
    u = u[cols].sort_values(["orispl", "egrid_unitid"]).reset_index(drop=True)
    sources = [{"file": name, "sha256": _sha256(real / name)} for name in (EGRID, EIA923)]
    return Pool(u, monthly[["orispl", "period", "plant_mwh"]].sort_values(
        ["orispl", "period"]).reset_index(drop=True), dropped, sources)
