"""Monthly operations of each unit: generation, hours, load, own use, heat, fuel and coal.

One row per unit and month ("W"), the true physical state (clean data):

* net output (MWh) = the plant's real monthly net generation (EIA-923, ≥ 0) × the
  unit's share of the plant's heat input (a month without output is an outage);
  generation = net output / (1 − the unit's typical own-use rate);
* load while running = the unit's typical load (× month noise), raised when the
  month's output needs more (hours never above 98.5 % of the month); operating
  hours = generation / (capacity × load), rounded up to 0.1 h; load factor =
  generation / (capacity × hours);
* own use = generation × the unit's own-use rate, higher at part load; supply =
  generation − own use; purchased electricity = standby power while idle;
* heat supplied (GJ): district heating = heat rate per MW × capacity × hours ×
  (heating days / days) × a cold-month profile × the province-month's weather;
  industrial steam = a steady rate × capacity × hours;
* fuel heat (GJ, gross) = (supply + β × heat / 3.6) × heat rate (per net MWh, on a
  part-load curve) × 1.055056: extracting heat costs β MWh of electricity per MWh
  of heat;
* coal: the month's composite sample (ash and moisture vary around the unit's
  coal, autocorrelated; summer moisture is higher) analysed on every basis
  (:mod:`.coal`); coal burnt (t) = fuel heat / gross CV as received; gas (knm3) =
  net fuel heat / the month's gas NCV.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.realset import coal, geography
from benchmarks.realset.units import GAS_NET_TO_GROSS, GJ_PER_MMBTU, OWN_USE_MAX

PERIODS = tuple(str(p) for p in pd.period_range("2023-01", "2024-12", freq="M"))
#: Hours are at most this share of the month (maintenance, start-up).
MAX_HOURS_SHARE = 0.985
#: District heat demand by month relative to the season average (cold-month profile).
COLD = {10: 0.8, 11: 0.9, 12: 1.1, 1: 1.2, 2: 1.1, 3: 0.95, 4: 0.8}
#: Part-load heat-rate curve HR(ℓ)/HR(1) = 1 + a (1 − ℓ)^2 by technology.
PART_LOAD = {"coal_steam": 0.35, "gas_steam": 0.35, "gas_cc": 0.6}
#: Month-to-month persistence of a unit's coal quality (AR(1) coefficient).
COAL_PERSISTENCE = 0.6


def month_frame(units: pd.DataFrame, plant_months: pd.DataFrame) -> pd.DataFrame:
    """Units × the 24 periods with calendar columns and the plant's monthly generation."""
    w = units.merge(pd.DataFrame({"period": PERIODS}), how="cross")
    w = w.merge(plant_months, on=["orispl", "period"], how="left")
    w["plant_mwh"] = w["plant_mwh"].fillna(0.0)
    w = w.sort_values(["unit_id", "period"]).reset_index(drop=True)
    start = pd.to_datetime(w["period"] + "-01")
    w["year"] = start.dt.year
    w["month"] = start.dt.month
    w["days"] = start.dt.days_in_month
    w["hours_in_month"] = w["days"] * 24
    w["month_end"] = start + pd.offsets.MonthEnd(0)
    return w


def _ar1(rng: np.random.Generator, n_units: int, n_months: int) -> np.ndarray:
    """Unit-variance AR(1) series, one row per unit, flattened in (unit, month) order."""
    e = rng.standard_normal((n_units, n_months))
    x = np.empty_like(e)
    x[:, 0] = e[:, 0]
    scale = np.sqrt(1.0 - COAL_PERSISTENCE ** 2)
    for t in range(1, n_months):
        x[:, t] = COAL_PERSISTENCE * x[:, t - 1] + scale * e[:, t]
    return x.ravel()


def operations(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add generation, load, hours, own use, supply, purchased power and heat (see module doc)."""
    n = len(w)
    cap = w["capacity_mw"].to_numpy(float)
    month_h = w["hours_in_month"].to_numpy(float)
    typical = w["own_use_rate"].to_numpy()
    gen = np.round(w["plant_mwh"].to_numpy() * w["heat_share"].to_numpy() / (1.0 - typical), 3)
    cf = gen / (cap * month_h)
    run = w["load_run"].to_numpy()
    load = np.clip(run * (1.0 + 0.04 * rng.standard_normal(n)), 0.3, 0.99)
    load = np.maximum(load, cf / MAX_HOURS_SHARE)
    hours = np.where(gen > 0, np.ceil(gen / (cap * load) * 10.0) / 10.0, 0.0)
    w["generation_mwh"] = gen
    w["operating_hours_h"] = hours
    w["load_factor"] = np.round(np.where(hours > 0, gen / (cap * np.where(hours > 0, hours, 1)),
                                         0.0), 4)
    w["load"] = load
    rate = (typical * (1.0 + 0.35 * (run - load) / run)
            * (1.0 + 0.02 * rng.standard_normal(n))).clip(0.01, OWN_USE_MAX)
    w["own_use_mwh"] = np.round(gen * rate, 3)
    w["supply_mwh"] = np.round(gen - w["own_use_mwh"].to_numpy(), 3)
    standby = rng.uniform(0.0015, 0.004, w["unit_id"].nunique())[pd.factorize(w["unit_id"])[0]]
    w["purchased_electricity_mwh"] = np.round(
        (month_h - hours) * cap * standby * (1.0 + 0.1 * rng.standard_normal(n)).clip(0.5), 3)
    w["heat_supply_gj"] = np.round(_heat(w, hours, rng), 1)
    return w


def _heat(w: pd.DataFrame, hours: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Heat supplied (GJ) by district heating in season or steady industrial steam."""
    keys = w[["period", "season"]].drop_duplicates()
    hd = {(p, s): geography.heating_days(p, s) for p, s in keys.itertuples(index=False)}
    heating = np.array([hd[(p, s)] for p, s in zip(w["period"], w["season"], strict=True)])
    weather_keys = w[["province", "period"]].drop_duplicates().sort_values(["province", "period"])
    weather = pd.Series(1.0 + 0.05 * rng.standard_normal(len(weather_keys)),
                        index=pd.MultiIndex.from_frame(weather_keys))
    wx = weather.reindex(pd.MultiIndex.from_frame(w[["province", "period"]])).to_numpy()
    w["heating_share"] = heating / w["days"].to_numpy()
    cold = w["month"].map(COLD).fillna(0.0).to_numpy()
    base = w["heat_q"].to_numpy() * w["capacity_mw"].to_numpy() * hours
    district = base * w["heating_share"].to_numpy() * cold * wx
    steam = base * (1.0 + 0.05 * rng.standard_normal(len(w))).clip(0.8)
    kind = w["heat_kind"].to_numpy()
    return np.select([kind == "district", kind == "steam"], [district, steam], 0.0)


def fuel(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add fuel heat (GJ, gross), the month's true coal analysis, coal (t) or gas (knm3)."""
    n = len(w)
    a = w["tech"].map(PART_LOAD).to_numpy()
    load, run = w["load"].to_numpy(), w["load_run"].to_numpy()
    curve = (1.0 + a * (1.0 - load) ** 2) / (1.0 + a * (1.0 - run) ** 2)
    hr = w["heat_rate"].to_numpy() * curve * (1.0 + 0.008 * rng.standard_normal(n))
    equivalent = w["supply_mwh"] + w["heat_beta"] * w["heat_supply_gj"] / 3.6
    w["fuel_heat_gj"] = equivalent.to_numpy() * hr * GJ_PER_MMBTU
    n_units = w["unit_id"].nunique()
    months = n // n_units
    z = rng.standard_normal((5, n))
    summer = w["month"].isin([6, 7, 8]).to_numpy()
    ash = (w["ash_d"] + _rank_col(w, "ash_month") * _ar1(rng, n_units, months)).clip(2.0, 70.0)
    m_t = (w["m_t"] + _rank_col(w, "m_t_month") * (_ar1(rng, n_units, months)
                                                   + np.where(summer, 0.6, 0.0))).clip(3.0, 48.0)
    m_ad = np.minimum((w["m_ad"] + 0.25 * z[0]).clip(0.4), m_t - 1.5)
    q_daf = w["q_gr_daf"] * (1.0 + 0.004 * z[1])
    c_daf = w["c_daf"] * (q_daf / w["q_gr_daf"]) * (1.0 + 0.004 * z[2])
    h_daf = w["h_daf"] + 0.05 * z[3]
    an = coal.analyse(q_daf.to_numpy(), h_daf.to_numpy(), c_daf.to_numpy(), ash.to_numpy(),
                      m_t.to_numpy(), m_ad.to_numpy())
    w["true_ash_d"], w["true_m_t"], w["true_m_ad"] = ash, m_t, m_ad
    w["true_c_ad"], w["true_h_ad"], w["true_q_gr_ad"] = an.c_ad, an.h_ad, an.q_gr_ad
    w["true_ncv"], w["true_c_ar"], w["true_cc"] = an.ncv_ar, an.c_ar, an.cc
    w["true_s_d"] = w["s_d"] * np.exp(0.12 * z[4])
    is_gas = (w["family"] == "gas").to_numpy()
    gas_ncv = w["gas_ncv"].to_numpy() * (1.0 + 0.006 * rng.standard_normal(n))
    w["true_gas_ncv"] = np.where(is_gas, gas_ncv, np.nan)
    w["coal_consumption_t"] = np.where(is_gas, np.nan,
                                       np.round(w["fuel_heat_gj"] / an.q_gr_ar, 2))
    w["gas_consumption_knm3"] = np.where(
        is_gas, np.round(w["fuel_heat_gj"] * GAS_NET_TO_GROSS / gas_ncv, 3), np.nan)
    return w


def _rank_col(w: pd.DataFrame, attr: str) -> pd.Series:
    """A :class:`coal.Rank` attribute per row (0 for gas units)."""
    values = {name: getattr(r, attr) for name, r in coal.RANKS.items()}
    return w["rank"].map(values).fillna(0.0)
