"""Physically consistent monthly operations, coal quality and lab results (clean data).

Everything is vectorised over unit-months.  The wide frame built here (one row
per unit and month, "W") holds the true physical state; the generator later
injects problems into a copy and turns it into the contract's long tables.

Relations that hold by construction (tests check them):

* generation = capacity × operating hours × load factor (MWh), hours ≤ hours in month;
* supply = generation − own use; own-use rate by unit class and cooling;
* fuel heat = supply × supply coal consumption (gce/kWh) × 29.3076 GJ/tce + heat supplied / 0.88;
* coal (t) = fuel heat / NCV_ar; CO2 = coal × NCV × CC × OF × 44/12;
* same-sample lab results agree: C_ar = C_ad × (100 − M_t)/(100 − M_ad),
  NCV_ar from Q_gr,ad by GB/T 213, CC = C_ar / NCV_ar;
* daily values add up to the month.

Monthly generation shapes are real: normalised US EIA-923 plant-year profiles
(coal for coal units, gas for gas units), so outages and seasonality look real.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.accounting import power
from workbench.config import by_year
from workbench.samples.plants import DATA

HEAT_EFFICIENCY = 0.88          # boiler + network efficiency for heat supplied
HEATING_MONTHS = (1, 2, 3, 11, 12)

#: Supply coal consumption (gce/kWh) by category and size (domain notes §6.3).
def _base_supply_coal(category: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    return np.select(
        [category == "gas", category == "coal_unconventional", capacity >= 900,
         capacity >= 600, capacity >= 300],
        [232.0, 360.0, 278.0, 295.0, 315.0],
        default=338.0,
    )


def month_frame(units: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Cross join of units and periods with calendar columns."""
    w = units.merge(pd.DataFrame({"period": periods}), how="cross")
    start = pd.to_datetime(w["period"] + "-01")
    w["year"] = start.dt.year.astype(int)
    w["month"] = start.dt.month.astype(int)
    w["days"] = start.dt.days_in_month.astype(int)
    w["hours_in_month"] = w["days"] * 24
    w["month_end"] = start + pd.to_timedelta(w["days"] - 1, unit="D")
    return w


def _shapes(kind: np.ndarray, years: np.ndarray, unit_idx: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """One real monthly shape (12 values, mean 1) per unit-year, looked up per row."""
    ref = pd.read_csv(DATA / "eia923_monthly_shapes.csv")
    cols = [f"m{m:02d}" for m in range(1, 13)]
    pools = {k: ref.loc[ref["kind"] == k, cols].to_numpy() for k in ("coal", "gas")}
    out = np.empty((len(kind), 12))
    keys = pd.DataFrame({"u": unit_idx, "y": years, "k": kind}).drop_duplicates()
    picked = {}
    for k, group in keys.groupby("k"):
        draw = rng.integers(0, len(pools[k]), len(group))
        picked.update(zip(zip(group["u"], group["y"], strict=True), pools[k][draw], strict=True))
    for i, (u, y) in enumerate(zip(unit_idx, years, strict=True)):
        out[i] = picked[(u, y)]
    return out


def simulate_operations(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add generation, hours, load factor, own use, supply, heat, purchased power (MWh, h, GJ)."""
    n = len(w)
    uidx = pd.factorize(w["unit_id"])[0]
    n_units = uidx.max() + 1
    is_gas = (w["unit_category_code"] == "gas").to_numpy()
    kind = np.where(is_gas, "gas", "coal")
    annual_cf = np.where(is_gas, rng.normal(0.30, 0.07, n_units).clip(0.12, 0.55)[uidx],
                         rng.normal(0.53, 0.07, n_units).clip(0.30, 0.75)[uidx])
    shape = _shapes(kind, w["year"].to_numpy(), uidx, rng)
    month_shape = shape[np.arange(n), w["month"].to_numpy() - 1]
    cf = (annual_cf * month_shape).clip(0.0, 0.92)
    cap = w["capacity_mw"].to_numpy(float)
    hours_month = w["hours_in_month"].to_numpy(float)
    gen = np.round(cap * hours_month * cf, 3)
    lf = rng.uniform(0.58, 0.88, n)
    hours = np.minimum(gen / (cap * lf), hours_month * rng.uniform(0.96, 1.0, n))
    hours = np.round(np.where(gen > 0, hours, 0.0), 1)
    w["generation_mwh"] = gen
    w["operating_hours_h"] = hours
    w["load_factor"] = np.round(power.load_factor(gen, cap, hours), 4)
    base_rate = np.where(is_gas, 0.025, 0.052) + np.where(w["cooling_code"] == "air", 0.012, 0.0) \
        + np.where(w["unit_category_code"] == "coal_unconventional", 0.02, 0.0)
    rate = base_rate + rng.normal(0, 0.004, n_units)[uidx] + rng.normal(0, 0.002, n)
    w["own_use_mwh"] = np.round(gen * rate.clip(0.01, 0.15), 3)
    w["supply_mwh"] = np.round(gen - w["own_use_mwh"].to_numpy(), 3)
    # heat supplied per MWh generated: steady industrial steam all year, plus district
    # heating in the northern heating season (GJ/MWh)
    heating = np.isin(w["month"], HEATING_MONTHS) & w["is_north"].to_numpy(bool)
    steam = rng.uniform(0.2, 0.8, n_units)[uidx] * (1 + rng.normal(0, 0.06, n))
    district = rng.uniform(1.8, 3.8, n_units)[uidx] * (1 + rng.normal(0, 0.08, n))
    heat_ratio = (steam + np.where(heating, district, 0.0)).clip(0, None)
    w["heat_supply_gj"] = np.round(np.where(w["is_chp"], gen * heat_ratio, 0.0), 1)
    idle = hours_month - hours
    grid = np.where(hours < 0.5 * hours_month, cap * idle * 0.004 * rng.uniform(0.5, 1.5, n),
                    gen * rng.uniform(0.0, 0.002, n))
    w["purchased_electricity_mwh"] = np.round(grid, 3)
    return w


def simulate_fuel_and_quality(w: pd.DataFrame, rng: np.random.Generator,
                              policy: dict) -> pd.DataFrame:
    """Add fuel use, same-sample coal quality, carbon content, oxidation rate and CO2."""
    n = len(w)
    uidx = pd.factorize(w["unit_id"])[0]
    eidx = pd.factorize(w["enterprise_id"])[0]
    n_ent = eidx.max() + 1
    cat = w["unit_category_code"].to_numpy()
    is_gas = cat == "gas"
    unconv = cat == "coal_unconventional"
    lf = w["load_factor"].to_numpy(float)
    b = _base_supply_coal(cat, w["capacity_mw"].to_numpy(float))
    b = b * (1 + rng.normal(0, 0.015, uidx.max() + 1)[uidx]) * (1 + rng.normal(0, 0.01, n))
    b = b * (1 + 0.25 * np.clip(0.8 - lf, 0, None))   # part-load penalty
    w["supply_coal_gce_per_kwh"] = b
    fuel_gj = (w["supply_mwh"].to_numpy() * b / 1000.0 * power.GJ_PER_TCE
               + w["heat_supply_gj"].to_numpy() / HEAT_EFFICIENCY)
    # Coal quality: an enterprise buys its coal; each month's composite sample varies.
    base_ncv = np.where(unconv, rng.normal(13.0, 1.2, n_ent)[eidx],
                        rng.normal(20.8, 1.3, n_ent)[eidx].clip(16.5, 24.5))
    ncv = np.round((base_ncv + rng.normal(0, 0.45, n)).clip(8.5, 27.0), 3)
    m_t = np.round(np.where(unconv, rng.normal(8, 1.5, n), rng.normal(11.5, 2.5, n))
                   .clip(4.0, 22.0), 1)
    m_ad = np.round(np.minimum(rng.normal(2.4, 0.8, n).clip(0.6, 6.0), m_t - 1.5), 2)
    h_ad = np.round(rng.normal(3.6, 0.35, n).clip(2.4, 5.0), 2)
    s_t = np.round(rng.lognormal(np.log(0.75), 0.45, n).clip(0.15, 3.5), 2)
    cc_true = 0.0263 + 0.00012 * (21.0 - ncv) + rng.normal(0, 0.00028, n)
    c_ar_true = cc_true * ncv * 100.0
    c_ad = np.round(c_ar_true * (100.0 - m_ad) / (100.0 - m_t), 2)
    c_ar = np.round(power.carbon_ar_from_ad(c_ad, m_t, m_ad), 2)
    gross = np.round(power.gross_ad_from_ncv_ar(ncv, h_ad, m_t, m_ad), 2)
    w["ncv_gj_per_t"] = np.where(is_gas, np.nan, ncv)
    w["total_moisture_pct"], w["moisture_ad_pct"] = m_t, m_ad
    w["hydrogen_ad_pct"], w["sulfur_total_pct"] = h_ad, s_t
    w["carbon_ad_pct"], w["gross_cv_ad_mj_per_kg"] = c_ad, gross
    w["carbon_ar_pct"] = np.where(is_gas, np.nan, c_ar)
    w["cc_tc_per_gj"] = np.where(is_gas, policy["natural_gas"]["cc_tc_per_gj"],
                                 np.round(c_ar / 100.0 / ncv, 5))
    w["cc_source_code"] = np.where(is_gas, "default", "measured")
    w["oxidation_rate"] = np.where(is_gas, policy["natural_gas"]["oxidation_rate"],
                                   policy["coal"]["oxidation_rate"])
    gas_ncv = policy["natural_gas"]["ncv_gj_per_knm3"]
    w["ncv_gj_per_knm3"] = np.where(is_gas, gas_ncv, np.nan)
    w["coal_consumption_t"] = np.where(is_gas, np.nan, np.round(fuel_gj / ncv, 2))
    w["gas_consumption_knm3"] = np.where(is_gas, np.round(fuel_gj / gas_ncv, 3), np.nan)
    _legitimate_default_months(w, rng, policy)
    return w


def _legitimate_default_months(w: pd.DataFrame, rng: np.random.Generator, policy: dict) -> None:
    """Some coal enterprises did not measure carbon in some months and used the default CC.

    That is lawful (and costly: the default is high), so it is not an injected
    problem; such months have no lab report and no measured C_ar.
    """
    coal = w["fuel_code"] != "natural_gas"
    ents = w.loc[coal, "enterprise_id"].unique()
    n_users = max(1, len(ents) // 15) if len(ents) else 0
    users = set(rng.choice(ents, size=n_users, replace=False))
    pick = coal & w["enterprise_id"].isin(users) & (rng.random(len(w)) < 0.25)
    default_cc = w.loc[pick, "year"].map(
        lambda y: float(by_year(policy["default_coal_cc_tc_per_gj"], int(y))))
    w.loc[pick, "cc_tc_per_gj"] = default_cc
    w.loc[pick, "cc_source_code"] = "default"
    w.loc[pick, "carbon_ar_pct"] = np.nan


def filed_co2(w: pd.DataFrame) -> np.ndarray:
    """CO2 (t) by the guideline formula from the values as filed, rounded to 0.01 t."""
    is_gas = (w["fuel_code"] == "natural_gas").to_numpy()
    fc = np.where(is_gas, w["gas_consumption_knm3"], w["coal_consumption_t"])
    ncv = np.where(is_gas, w["ncv_gj_per_knm3"], w["ncv_gj_per_t"])
    return np.round(power.fuel_co2_t(fc, ncv, w["cc_tc_per_gj"].to_numpy(float),
                                     w["oxidation_rate"].to_numpy(float)), 2)


def lab_schedule(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Sampling, receipt, test, report and deposit dates of each measured coal unit-month.

    Monthly composite sample over the month; received 1-6 days after month end,
    tested 0-4 days later, reported 1-5 days after the test; the deposit follows
    the report and lands before the 40-day deadline.
    """
    n = len(w)
    start = pd.to_datetime(w["period"] + "-01")
    end = w["month_end"]
    received = end + pd.to_timedelta(rng.integers(1, 7, n), unit="D")
    test = received + pd.to_timedelta(rng.integers(0, 5, n), unit="D")
    report = test + pd.to_timedelta(rng.integers(1, 6, n), unit="D")
    latest = end + pd.Timedelta(days=39)
    earliest = report + pd.Timedelta(days=1)
    span = (latest - earliest).dt.days.clip(lower=0).to_numpy()
    deposit_day = earliest + pd.to_timedelta((rng.random(n) * span).astype(int), unit="D")
    seconds = rng.integers(8 * 3600, 20 * 3600, n)
    w["sampling_start_date"], w["sampling_end_date"] = start, end
    w["received_date"], w["test_date"], w["report_date"] = received, test, report
    w["submitted_at"] = deposit_day + pd.to_timedelta(seconds, unit="s")
    return w


def daily_values(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Daily fuel use, generation and supply (以日保月) that add up exactly to the month.

    Idle days form one block whose length matches the month's idle hours.
    """
    n = len(w)
    days = w["days"].to_numpy()
    day_idx = np.arange(31)[None, :]
    valid = day_idx < days[:, None]
    idle_days = np.floor((w["hours_in_month"] - w["operating_hours_h"]).to_numpy() / 24).astype(int)
    idle_days = np.minimum(idle_days, days)
    idle_start = (rng.random(n) * (days - idle_days + 1)).astype(int)
    idle = (day_idx >= idle_start[:, None]) & (day_idx < (idle_start + idle_days)[:, None])
    weight = rng.gamma(12.0, 1.0, (n, 31)) * valid * ~idle
    zero = weight.sum(axis=1) == 0
    weight[zero] = valid[zero]          # months with no output: spread zero evenly
    is_gas = (w["fuel_code"] == "natural_gas").to_numpy()
    fuel = np.where(is_gas, w["gas_consumption_knm3"], w["coal_consumption_t"]).astype(float)
    series = {
        "generation_mwh": (w["generation_mwh"].to_numpy(float), weight, 3),
        "supply_mwh": (w["supply_mwh"].to_numpy(float), weight, 3),
        "fuel": (fuel, weight * rng.normal(1.0, 0.03, (n, 31)).clip(0.8, 1.2), 3),
    }
    frames = []
    dates = w["period"].to_numpy().astype(object)
    for code, (total, wt, nd) in series.items():
        share = wt / wt.sum(axis=1, keepdims=True)
        vals = np.round(total[:, None] * share, nd)
        big = np.argmax(vals, axis=1)        # the rounding residual goes to the biggest day
        vals[np.arange(n), big] = np.round(vals[np.arange(n), big] + total - vals.sum(axis=1), nd)
        codes = np.where(is_gas, "gas_consumption_knm3", "coal_consumption_t") if code == "fuel" \
            else np.full(n, code)
        rows, cols = np.nonzero(valid)
        frames.append(pd.DataFrame({
            "unit_id": w["unit_id"].to_numpy()[rows],
            "date": pd.to_datetime(pd.Series(dates[rows]) + "-01")
            + pd.to_timedelta(cols, unit="D"),
            "parameter_code": codes[rows],
            "value": vals[rows, cols],
        }))
    return pd.concat(frames, ignore_index=True)
