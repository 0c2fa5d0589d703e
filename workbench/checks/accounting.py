"""Accounting checks: recompute what the guideline formulas say the filing should be.

Source: 发电设施核算指南 (E = FC × NCV × CC × OF × 44/12; CC = C_ar / NCV_ar),
GB/T 483 moisture-basis conversions, MEE default-value notices; domain notes
§1.2 and §7 checks 1, 2 and 10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.accounting import power
from workbench.checks.inputs import Inputs, fuel_use
from workbench.checks.registry import check, flag_rows
from workbench.config import by_year


@check(id="accounting.co2_recompute", family="accounting", subject="monthly_value", value_unit="t", severity="critical",
       title_zh="排放量重算不符", title_en="CO2 does not follow from its inputs",
       message_zh="填报排放量 {observed:,.0f} t，按 FC×NCV×CC×OF×44/12 重算为 {expected:,.0f} t",
       message_en="filed CO2 {observed:,.0f} t; FC×NCV×CC×OF×44/12 gives {expected:,.0f} t",
       needs=("monthly:co2_t", "monthly:fuel_heat_gj", "monthly:cc_tc_per_gj",
              "monthly:oxidation_rate"),
       config_keys=("checks.co2_recompute_rel_tol",),
       rationale="A filed CO2 that its own inputs do not give is a calculation error or a "
                 "manual override; either misstates emissions directly.",
       rationale_zh="填报的排放量若不能由其自身填报的参数算出，要么是计算错误，要么是人为改写了结"
                    "果；两者都会直接导致排放量失实。",
       source="发电设施核算指南 formula; domain notes §7 check 1 (|Δ| > 0.5%)")
def co2_recompute(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    fc, ncv = fuel_use(m)
    expected = power.fuel_co2_t(fc, ncv, m["cc_tc_per_gj"].astype(float),
                                m["oxidation_rate"].astype(float))
    filed = m["co2_t"].astype(float)
    rel = (filed - expected).abs() / expected.where(expected > 0)
    tol = cfg["checks"]["co2_recompute_rel_tol"]
    hit = rel > tol
    rows = m[hit]
    return flag_rows(rows, "co2_t", filed[hit], expected[hit], score=rel[hit] / tol,
                     delta_co2_t=(expected - filed)[hit])


@check(id="accounting.carbon_identity", sectors=schema.INDUSTRY_CODES, family="accounting", subject="monthly_value", value_unit="%", severity="critical",
       title_zh="元素碳含量与单位热值含碳量不一致", title_en="C_ar does not equal CC × NCV",
       message_zh="收到基元素碳 {observed:.2f}%，而 100×CC×NCV = {expected:.2f}%",
       message_en="as-received carbon {observed:.2f}%, but 100×CC×NCV = {expected:.2f}%",
       needs=("monthly:carbon_ar_pct", "monthly:cc_tc_per_gj", "monthly:ncv_gj_per_t"),
       config_keys=("checks.carbon_identity_abs_pct",),
       rationale="CC is C_ar / NCV; when the filed three disagree one of them was changed "
                 "after the lab reported.",
       rationale_zh="单位热值含碳量 CC = 收到基元素碳含量 C_ar / 收到基低位发热量 "
                    "NCV；三者填报值互不吻合，说明其中某一项在检测报告出具后被改动过。",
       source="CC = C_ar / NCV_ar (platform calculated field); domain notes §1.2")
def carbon_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly[x.monthly["carbon_ar_pct"].notna()]
    expected = 100 * m["cc_tc_per_gj"].astype(float) * m["ncv_gj_per_t"].astype(float)
    diff = (m["carbon_ar_pct"] - expected).abs()
    tol = cfg["checks"]["carbon_identity_abs_pct"]
    hit = diff > tol
    return flag_rows(m[hit], "carbon_ar_pct", m.loc[hit, "carbon_ar_pct"], expected[hit],
                     score=diff[hit] / tol)


@check(id="accounting.basis_conversion", family="accounting", subject="lab_report", value_unit="%", severity="critical",
       title_zh="基准换算不符", title_en="Basis conversion does not hold",
       message_zh="报告收到基碳 {observed:.2f}%，由空干基碳、全水分、空干基水分换算应为 {expected:.2f}%",
       message_en="reported C_ar {observed:.2f}%; C_ad, M_t and M_ad give {expected:.2f}%",
       needs=("labs",), config_keys=("checks.basis_conversion_abs_pct",),
       rationale="C_ar = C_ad × (100 − M_t)/(100 − M_ad). Invented total moisture (the 中碳能投 "
                 "case) lowers C_ar; a result that does not follow from its own sample is altered.",
       rationale_zh="C_ar = C_ad × (100 − M_t)/(100 − M_ad)"
                    "，即由空气干燥基换算到收到基。虚构全水分（中碳能投案例）会压低收到基元素碳含"
                    "量；换算结果与同一样品的检测数据对不上，说明结果被改动过。",
       source="GB/T 483 basis conversion; MEE typical cases 2022; domain notes §7 check 2")
def basis_conversion(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    expected = power.carbon_ar_from_ad(lab["carbon_ad_pct"], lab["total_moisture_pct"],
                                       lab["moisture_ad_pct"])
    diff = (lab["carbon_ar_pct"] - expected).abs()
    tol = cfg["checks"]["basis_conversion_abs_pct"]
    impossible = lab["total_moisture_pct"] <= lab["moisture_ad_pct"]
    hit = (diff > tol) | impossible
    rows = lab[hit]
    return flag_rows(rows, "carbon_ar_pct", rows["carbon_ar_pct"], expected[hit],
                     score=(diff[hit] / tol).where(~impossible[hit], 10.0),
                     evidence=rows["report_id"].astype(str))


@check(id="accounting.filed_vs_report", sectors=schema.INDUSTRY_CODES, family="accounting", subject="monthly_value", severity="critical",
       title_zh="填报值与检测报告不符", title_en="Filed value differs from its lab report",
       message_zh="填报 {observed:.3f}，所附检测报告为 {expected:.3f}",
       message_en="filed {observed:.3f}; the attached lab report says {expected:.3f}",
       needs=("labs", "monthly:carbon_ar_pct"), uses=("monthly:ncv_gj_per_t",),
       config_keys=("checks.filed_vs_report_abs_carbon_pct",
                    "checks.filed_vs_report_abs_ncv_gj_per_t"),
       rationale="The monthly deposit must carry the lab's result; a different number means "
                 "the value was changed between the report and the filing.",
       rationale_zh="月度存证必须如实填报检测报告中的结果；填报值与报告不同，说明数值在出具报告到"
                    "填报之间被改动过。",
       source="环办气候函〔2022〕111号 (monthly deposit of lab reports)")
def filed_vs_report(x: Inputs, cfg: dict) -> pd.DataFrame:
    c = cfg["checks"]
    return filed_vs_lab(x, (("carbon_ar_pct", "carbon_ar_pct",
                             c["filed_vs_report_abs_carbon_pct"]),
                            ("ncv_gj_per_t", "ncv_ar_gj_per_t",
                             c["filed_vs_report_abs_ncv_gj_per_t"])))


def filed_vs_lab(x: Inputs, pairs: tuple[tuple[str, str, float], ...]) -> pd.DataFrame:
    """Flag rows where a filed monthly value differs from the lab report it names
    (``report_<code>``) by more than its tolerance; ``pairs`` are (parameter code, lab
    report column, tolerance in the parameter's unit).  A value without a linked report, or
    a report without that column, is not judged here."""
    m = x.monthly
    lab = x.labs.drop_duplicates("report_id").set_index("report_id")
    frames = []
    for param, lab_col, tol in pairs:
        rep = m.get(f"report_{param}")
        if rep is None or param not in m.columns or lab_col not in lab.columns:
            continue
        linked = m[rep.notna() & rep.isin(lab.index) & m[param].notna()]
        reported = lab.loc[linked[f"report_{param}"], lab_col].to_numpy(float)
        diff = linked[param].to_numpy(float) - reported
        hit = np.abs(diff) > tol
        rows = linked[hit]
        frames.append(flag_rows(rows, param, rows[param], reported[hit],
                                score=np.abs(diff[hit]) / tol,
                                evidence=rows[f"report_{param}"].astype(str),
                                report_id=rows[f"report_{param}"],
                                value_unit=schema.PARAMETERS[param].unit))
    return pd.concat(frames) if frames else pd.DataFrame()


@check(id="accounting.default_as_measured", family="accounting", subject="monthly_value", value_unit="tC/GJ", severity="critical",
       title_zh="缺省值冒充实测值", title_en="Default value filed as measured",
       message_zh="单位热值含碳量 {observed:.5f} 等于当年缺省值，却标为实测/计算",
       message_en="CC {observed:.5f} equals the year's default but is marked measured/calculated",
       needs=("monthly:cc_tc_per_gj",),
       config_keys=("policy.default_coal_cc_tc_per_gj", "checks.default_match_abs_tc_per_gj"),
       rationale="A measured carbon content that lands exactly on the default is an "
                 "'experience value' filled in without a test.",
       rationale_zh="实测的单位热值含碳量恰好等于缺省值，说明这是未经检测、按“经验值”填上的数值"
                    "，冒充了实测值。",
       source="domain notes §3.2 (经验值补齐) and §7 check 10")
def default_as_measured(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = _coal(x.monthly)
    default = _default_cc(m, cfg)
    src = m.get("source_cc_tc_per_gj", pd.Series("", index=m.index))
    match = cfg["checks"]["default_match_abs_tc_per_gj"]
    hit = (src != "default") & ((m["cc_tc_per_gj"] - default).abs() < match)
    return flag_rows(m[hit], "cc_tc_per_gj", m.loc[hit, "cc_tc_per_gj"], default[hit], score=5.0)


@check(id="accounting.default_value_by_year", family="accounting", subject="monthly_value", value_unit="tC/GJ", severity="warning",
       title_zh="缺省值与年度规定不符", title_en="Default value is not the one for its year",
       message_zh="标为缺省值的单位热值含碳量 {observed:.5f}，当年缺省值为 {expected:.5f}",
       message_en="CC marked default is {observed:.5f}; the default for its year is {expected:.5f}",
       needs=("monthly:cc_tc_per_gj", "monthly:source_cc_tc_per_gj"),
       config_keys=("policy.default_coal_cc_tc_per_gj", "checks.default_match_abs_tc_per_gj"),
       rationale="The default changed (0.03356 → 0.03085 tC/GJ in June 2022); using another "
                 "year's default misstates emissions.",
       rationale_zh="缺省值曾经调整（2022年6月由 0.03356 tC/GJ 调为 0.03"
                    "085 tC/GJ）；套用其他年度的缺省值会导致排放量失实。",
       source="MEE notice of 8 June 2022; domain notes §1.2")
def default_value_by_year(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = _coal(x.monthly)
    default = _default_cc(m, cfg)
    match = cfg["checks"]["default_match_abs_tc_per_gj"]
    hit = (m["source_cc_tc_per_gj"] == "default") & ((m["cc_tc_per_gj"] - default).abs() >= match)
    fc, ncv = fuel_use(m)
    delta = power.fuel_co2_t(fc, ncv, default - m["cc_tc_per_gj"], m["oxidation_rate"])
    return flag_rows(m[hit], "cc_tc_per_gj", m.loc[hit, "cc_tc_per_gj"], default[hit],
                     score=2.0, delta_co2_t=delta[hit])


def _coal(m: pd.DataFrame) -> pd.DataFrame:
    return m[m["fuel_code"] != "natural_gas"]


def _default_cc(m: pd.DataFrame, cfg: dict) -> pd.Series:
    table = cfg["policy"]["default_coal_cc_tc_per_gj"]
    years = m["year"].astype(int)
    lookup = {y: float(by_year(table, y)) for y in years.unique()}
    return years.map(lookup).astype(float)
