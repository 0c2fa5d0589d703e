"""Consistency checks: numbers in one filing that must agree with each other.

Sources: GB/T 213 (net from gross calorific value), the energy-balance
definitions of the power guideline (supply = generation − own use; load factor
F = generation / (capacity × hours)), 以日保月 (daily data add up to the month),
and the coal-use ↔ carbon ↔ intensity triangle; domain notes §6.2, §7 checks
5, 11, 12 and 13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.accounting import power
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows


@check(id="consistency.gbt213_ncv", family="consistency", subject="lab_report", value_unit="GJ/t", severity="warning",
       title_zh="低位发热量与高位发热量、氢、水分不符", title_en="NCV does not follow from gross CV",
       message_zh="报告低位发热量 {observed:.3f} GJ/t，按GB/T 213由高位发热量、氢和水分算得 {expected:.3f}",
       message_en="reported NCV {observed:.3f} GJ/t; GB/T 213 from gross CV, H and moisture "
                  "gives {expected:.3f}",
       needs=("labs",),
       config_keys=("checks.gbt213_ncv_abs_gj_per_t", "checks.gbt213_critical_factor"),
       rationale="NCV, H and moisture of one sample are tied by GB/T 213; invented moisture or "
                 "a changed NCV breaks the tie (MEE asks for the same sample's C, NCV, H, S, M "
                 "precisely for this cross-check).",
       rationale_zh="同一样品的低位发热量、氢含量和水分之间存在 GB/T 213 规定的换算关系"
                    "；虚构水分或改动低位发热量会破坏这一关系（生态环境部要求报告给出同一样品的碳"
                    "、低位发热量、氢、全硫和水分，正是为了便于这种交叉核对）。",
       source="GB/T 213; 环办气候函〔2022〕111号; domain notes §7 check 5")
def gbt213_ncv(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    expected = power.ncv_ar_from_gross_ad(lab["gross_cv_ad_mj_per_kg"], lab["hydrogen_ad_pct"],
                                          lab["total_moisture_pct"], lab["moisture_ad_pct"])
    diff = (lab["ncv_ar_gj_per_t"] - expected).abs()
    tol = cfg["checks"]["gbt213_ncv_abs_gj_per_t"]
    hit = diff > tol
    factor = cfg["checks"]["gbt213_critical_factor"]
    rows = lab[hit].assign(severity=np.where(diff[hit] > factor * tol, "critical", "warning"))
    return flag_rows(rows, "ncv_gj_per_t", rows["ncv_ar_gj_per_t"], expected[hit],
                     score=diff[hit] / tol, evidence=rows["report_id"].astype(str))


@check(id="consistency.energy_balance", family="consistency", subject="monthly_value", value_unit="MWh", severity="critical",
       title_zh="供电量不等于发电量减厂用电量", title_en="Supply ≠ generation − own use",
       message_zh="供电量 {observed:,.1f} MWh，发电量减厂用电量为 {expected:,.1f} MWh",
       message_en="supply {observed:,.1f} MWh; generation − own use = {expected:,.1f} MWh",
       needs=("monthly:supply_mwh", "monthly:generation_mwh", "monthly:own_use_mwh"),
       config_keys=("checks.energy_balance_abs_mwh", "checks.energy_balance_rel"),
       rationale="Supply is the allocation base (benchmark × supply); inflating it raises "
                 "free allowances.",
       rationale_zh="供电量是配额分配的基数（基准值 × 供电量）；虚增供电量会多获得免费配额。",
       source="发电设施核算指南 definitions; domain notes §1.4 and §7 check 11")
def energy_balance(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    expected = m["generation_mwh"] - m["own_use_mwh"]
    diff = (m["supply_mwh"] - expected).abs()
    c = cfg["checks"]
    tol = c["energy_balance_abs_mwh"] + c["energy_balance_rel"] * m["generation_mwh"].abs()
    hit = diff > tol
    return flag_rows(m[hit], "supply_mwh", m.loc[hit, "supply_mwh"], expected[hit],
                     score=diff[hit] / tol[hit])


@check(id="consistency.capacity_hours", family="consistency", subject="monthly_value", value_unit="MWh", severity="critical",
       title_zh="发电量超过装机容量×运行小时", title_en="Generation exceeds capacity × hours",
       message_zh="发电量 {observed:,.0f} MWh 超过装机×运行小时 {expected_high:,.0f} MWh",
       message_en="generation {observed:,.0f} MWh exceeds capacity × hours {expected_high:,.0f} MWh",
       needs=("monthly:generation_mwh", "monthly:operating_hours_h"),
       config_keys=("checks.capacity_hours_rel_tol", "checks.capacity_hours_abs_mwh"),
       rationale="A unit cannot produce more than its capacity for the hours it ran; either "
                 "generation or hours is wrong, and load factor with them.",
       rationale_zh="机组的发电量不可能超过装机容量乘以运行小时数；超过则说明发电量或运行小时有误"
                    "，负荷系数也随之失真。",
       source="domain notes §1.4 (F = generation / (capacity × hours)) and §7 check 11")
def capacity_hours(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    limit = m["capacity_mw"] * m["operating_hours_h"]
    c = cfg["checks"]
    hit = m["generation_mwh"] > limit * (1 + c["capacity_hours_rel_tol"]) + c["capacity_hours_abs_mwh"]
    return flag_rows(m[hit], "generation_mwh", m.loc[hit, "generation_mwh"], None, 0.0,
                     limit[hit], score=m.loc[hit, "generation_mwh"] / limit[hit].where(
                         limit[hit] > 0, 1.0))


@check(id="consistency.load_factor", family="consistency", subject="monthly_value", severity="critical",
       title_zh="负荷系数与发电量、容量、小时不符", title_en="Load factor does not follow from its inputs",
       message_zh="填报负荷系数 {observed:.3f}，发电量/(容量×小时) = {expected:.3f}",
       message_en="filed load factor {observed:.3f}; generation/(capacity × hours) = {expected:.3f}",
       needs=("monthly:load_factor", "monthly:generation_mwh", "monthly:operating_hours_h"),
       config_keys=("checks.load_factor_abs_tol",),
       rationale="The load factor sets the allocation correction factor (0.75/0.85 breakpoints); "
                 "a filed value that its inputs do not give shifts allowances.",
       rationale_zh="负荷（出力）系数决定配额分配中的修正系数（以 0.75 和 0.85 为分段"
                    "点）；填报值与发电量、容量、运行小时算出的值不符，会改变配额量。",
       source="domain notes §1.4 and §1.5 (correction factors)")
def load_factor(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    expected = pd.Series(power.load_factor(m["generation_mwh"], m["capacity_mw"],
                                           m["operating_hours_h"]), index=m.index)
    diff = (m["load_factor"] - expected).abs()
    tol = cfg["checks"]["load_factor_abs_tol"]
    hit = diff > tol
    return flag_rows(m[hit], "load_factor", m.loc[hit, "load_factor"], expected[hit],
                     score=diff[hit] / tol)


_DAILY = ("coal_consumption_t", "gas_consumption_knm3", "generation_mwh", "supply_mwh")


@check(id="consistency.daily_sum", family="consistency", subject="monthly_value", severity="critical",
       title_zh="日数据之和与月度值不符", title_en="Daily values do not add up to the month",
       message_zh="月度填报 {observed:,.1f}，日数据合计 {expected:,.1f}",
       message_en="monthly value {observed:,.1f}; the daily values add up to {expected:,.1f}",
       needs=("daily",), config_keys=("checks.daily_sum_rel_tol",),
       rationale="以日保月: automated daily records (DCS, weighbridge) secure the month; a monthly "
                 "figure below its own days is the signature of under-reported fuel.",
       rationale_zh="以日保月：自动采集的日数据（分散控制系统、地磅等）保障月度数据的真实性；月度值低于"
                    "其各日数据之和，是少报燃料消耗的典型特征。",
       source="MEE 以日保月、以月保年 (Q&A of 31 Oct 2023); domain notes §2.3")
def daily_sum(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    tol = cfg["checks"]["daily_sum_rel_tol"]
    frames = []
    for code in _DAILY:
        if code not in m or f"daily_{code}" not in m:
            continue
        daily, monthly = m[f"daily_{code}"], m[code]
        rel = (monthly - daily).abs() / daily.abs().where(daily.abs() > 0, 1.0)
        hit = (rel > tol) & daily.notna() & monthly.notna()
        rows = m[hit]
        delta = None
        if code == "coal_consumption_t":
            delta = power.fuel_co2_t(daily[hit] - monthly[hit], rows["ncv_gj_per_t"],
                                     rows["cc_tc_per_gj"], rows["oxidation_rate"])
        frames.append(flag_rows(rows, code, monthly[hit], daily[hit], score=rel[hit] / tol,
                                delta_co2_t=delta,
                                evidence=rows[f"daily_days_{code}"].astype(str) + " d",
                                value_unit=schema.PARAMETERS[code].unit))
    return pd.concat(frames) if frames else pd.DataFrame()


@check(id="consistency.fuel_triangle", family="consistency", subject="monthly_value", value_unit="t", severity="warning",
       basis="statistical",
       title_zh="耗煤量、含碳量与供电强度不相称", title_en="Coal use, carbon and intensity disagree",
       message_zh="填报排放 {observed:,.0f} t，按同类机组供电煤耗中位与本月含碳量推算至少 {expected_low:,.0f} t",
       message_en="filed CO2 {observed:,.0f} t; the class's supply coal consumption and this "
                  "month's carbon give at least {expected_low:,.0f} t",
       needs=("monthly:co2_t", "monthly:supply_mwh", "monthly:cc_tc_per_gj",
              "monthly:oxidation_rate"),
       config_keys=("checks.bands.supply_coal_gce_per_kwh", "checks.heat_allocation_efficiency"),
       rationale="Electricity supplied fixes a floor on the fuel burnt (best units ≈ 255 gce/kWh);"
                 " CO2 below that floor means fuel or carbon was under-reported.",
       rationale_zh="供电量决定了燃料消耗的下限（先进机组供电煤耗约 255 gce/kWh）；排"
                    "放量低于这一下限，说明燃料消耗量或含碳量被少报。",
       source="domain notes §1.5 scale check (300 gce/kWh × CC → ≈ 0.85 tCO2/MWh) and §7 check 12")
def fuel_triangle(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly[x.monthly["supply_mwh"] > 0]
    bands = cfg["checks"]["bands"]["supply_coal_gce_per_kwh"]
    floor_b = m["unit_category_code"].map({k: v[0] for k, v in bands.items()})
    heat_fuel = m["heat_supply_gj"].fillna(0) / cfg["checks"]["heat_allocation_efficiency"]
    fuel_gj = m["supply_mwh"] * floor_b / 1000.0 * power.GJ_PER_TCE + heat_fuel
    floor = fuel_gj * m["cc_tc_per_gj"] * m["oxidation_rate"] * power.CO2_PER_C
    hit = m["co2_t"] < floor
    return flag_rows(m[hit], "co2_t", m.loc[hit, "co2_t"], None, floor[hit], None,
                     score=floor[hit] / m.loc[hit, "co2_t"].where(m.loc[hit, "co2_t"] > 0, 1.0),
                     delta_co2_t=(floor - m["co2_t"])[hit])
