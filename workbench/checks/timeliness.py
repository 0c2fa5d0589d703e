"""Timeliness and completeness: deposits on time, nothing missing, nothing changed after approval.

Source: 环办气候函〔2022〕111号 (monthly deposit within 40 days after month
end; parameters that must be deposited), the review chain of the MEE Q&A of
31 Oct 2023, and allowance surrender rules; domain notes §2 and §7 check 9.
"""

from __future__ import annotations

import pandas as pd

from workbench import schema
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows


@check(id="timeliness.late_deposit", sectors=schema.INDUSTRY_CODES, family="timeliness", subject="monthly_deposit", value_unit="d", severity="critical",
       title_zh="月度存证逾期", title_en="Late monthly deposit",
       message_zh="月末后第 {observed:.0f} 天才存证（期限 {expected_high:.0f} 天）",
       message_en="deposited {observed:.0f} days after month end (deadline {expected_high:.0f})",
       needs=("monthly:submitted_at",), config_keys=("policy.deposit_deadline_days",),
       rationale="Late deposits defeat monthly control: the data can be shaped after the fact.",
       rationale_zh="逾期存证使月度管控失效：数据可以在事后被修饰。",
       source="环办气候函〔2022〕111号 (40 days after month end)")
def late_deposit(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    days = (m["submitted_at"] - m["month_end"]).dt.total_seconds() / 86400.0
    limit = cfg["policy"]["deposit_deadline_days"]
    hit = days > limit + 1            # the whole 40th day counts as on time
    return flag_rows(m[hit], "", days[hit].round(1), None, None, float(limit),
                     score=days[hit] / limit)


@check(id="timeliness.missing_month", sectors=schema.INDUSTRY_CODES, family="timeliness", subject="monthly_deposit", severity="critical",
       title_zh="缺少月度存证", title_en="Monthly deposit missing",
       message_zh="{period} 无任何月度存证数据", message_en="no monthly deposit for {period}",
       needs=("monthly:period",),
       rationale="A month with no deposit at all hides that month's fuel and carbon. Months "
                 "before a unit's first deposit are not owed (it joined the market later). A "
                 "unit with no deposit at all in the data is a warning: the export may have "
                 "left it out.",
       rationale_zh="整月没有存证，会掩盖该月的燃料消耗和含碳量。机组首次存证之前的月份不要求存证"
                    "（该机组较晚纳入碳市场）。数据中完全没有存证的机组或设施为预警：可能是导出数据不完整。",
       source="环办气候函〔2022〕111号; domain notes §7 check 9")
def missing_month(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    periods = pd.period_range(m["period"].min(), m["period"].max(), freq="M").astype(str)
    units = x.units[["unit_id", "enterprise_id"]]
    grid = units.merge(pd.DataFrame({"period": periods}), how="cross")
    # a unit that came into the market (commissioned, registered) mid-way owes nothing before
    # its first deposit; a unit that never deposited owes every month
    first = grid["unit_id"].map(m.groupby("unit_id")["period"].min()).fillna(periods[0])
    grid = grid[grid["period"] >= first]
    have = m[["unit_id", "period"]].assign(_have=True)
    grid = grid.merge(have, on=["unit_id", "period"], how="left")
    # a facility with no deposit at all in the data may be left out of a partial export:
    # a warning; months missing once a unit deposits break the rule by themselves
    silent = ~grid["unit_id"].isin(set(m["unit_id"]))
    rows = grid[grid["_have"].isna()].assign(
        severity=lambda d: ["warning" if s else "critical" for s in silent[d.index]])
    return flag_rows(rows, "", None, score=3.0)


@check(id="timeliness.missing_parameter", sectors=schema.INDUSTRY_CODES, family="timeliness", subject="monthly_value", severity="info",
       title_zh="月度存证缺少必填参数", title_en="Required monthly parameter missing",
       message_zh="缺少必填参数 {parameter}", message_en="required parameter "
                                                       "{parameter} missing",
       needs=("monthly:period",),
       rationale="Each required parameter must be deposited monthly; gaps get filled later with "
                 "'experience values' (MEE expert, 2022). C_ar is required only when carbon is "
                 "measured (a default CC needs no lab result). A steel, cement or aluminium "
                 "facility owes the parameters its kind must file monthly.",
       rationale_zh="每项必填参数都必须按月存证；缺漏的数据往往事后用“经验值”补齐（生态环境部专"
                    "家，2022年）。只有实测含碳量时才要求填报收到基元素碳含量 C_ar（采用"
                    "缺省单位热值含碳量时无需检测结果）。钢铁、水泥、电解铝设施须按其类别逐月填报规定的参数。",
       source="环办气候函〔2022〕111号; domain notes §3.2 and §7 check 9")
def missing_parameter(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    frames = []
    wanted = [(m["fuel_code"] == fuel, required)
              for fuel, required in schema.REQUIRED_PARAMETERS.items()]
    wanted += [(m["unit_category_code"] == kind, required)          # the 2025 sectors
               for kind, required in schema.REQUIRED_BY_FACILITY.items()]
    for where, required in wanted:
        sub = m[where]
        for code in required:
            col = sub.get(code, pd.Series(float("nan"), index=sub.index))
            absent = col.isna()
            if code == "carbon_ar_pct":
                absent &= sub.get("source_cc_tc_per_gj") != "default"
            rows = sub[absent]
            if len(rows):
                frames.append(flag_rows(rows, code, None, score=1.0))
    return pd.concat(frames) if frames else pd.DataFrame()


@check(id="timeliness.revision_after_approval", sectors=schema.INDUSTRY_CODES, family="timeliness", subject="monthly_value", severity="critical",
       title_zh="审核通过后修改数据", title_en="Data revised after approval",
       message_zh="审核通过后提交第 {observed:.0f} 版修订（{evidence}）",
       message_en="revision {observed:.0f} filed after the month was approved ({evidence})",
       needs=("monthly_long", "events"),
       rationale="Once the province approves a month, a change must go through a new review; "
                 "a silent revision afterwards rewrites reviewed evidence.",
       rationale_zh="省级主管部门审核通过某月数据后，任何修改都必须重新审核；事后悄悄修改数据，等"
                    "于改写了已审核的证据。",
       source="MEE three-level review (Q&A of 31 Oct 2023); domain notes §2.3")
def revision_after_approval(x: Inputs, cfg: dict) -> pd.DataFrame:
    approved = (x.events[x.events["event_code"] == "approved"]
                .groupby(["enterprise_id", "period"])["event_at"].max().rename("approved_at"))
    rev = x.monthly_long[x.monthly_long["revision"] > 0]
    rev = rev.join(approved, on=["enterprise_id", "period"], how="inner")
    rows = rev[rev["submitted_at"] > rev["approved_at"]]
    ev = ("approved " + rows["approved_at"].dt.strftime("%Y-%m-%d") + ", revised "
          + rows["submitted_at"].dt.strftime("%Y-%m-%d"))
    return flag_rows(rows, rows["parameter_code"], rows["revision"].astype(float), score=5.0,
                     evidence=ev)


@check(id="timeliness.surrender_shortfall", family="timeliness", subject="annual_report", value_unit="t", severity="critical",
       title_zh="未足额清缴配额", title_en="Allowances surrendered short",
       message_zh="清缴 {observed:,.0f} t，应清缴 {expected:,.0f} t",
       message_en="surrendered {observed:,.0f} t of {expected:,.0f} t owed",
       needs=("annual",),
       rationale="Surrender short of verified emissions is non-compliance.",
       rationale_zh="清缴的配额少于经核查的排放量，属于未履约。",
       source="碳排放权交易管理暂行条例 (2024); domain notes §1.5")
def surrender_shortfall(x: Inputs, cfg: dict) -> pd.DataFrame:
    a = x.annual
    owed = a["verified_co2_t"].fillna(a["reported_co2_t"]).round(0)
    hit = a["allowance_surrendered_t"].notna() & (a["allowance_surrendered_t"] < owed)
    rows = a[hit].assign(period=a.loc[hit, "year"].astype(str), unit_id="")
    # a shortfall of allowances, not a misstatement of emissions: no ΔCO2 for materiality
    return flag_rows(rows, "", rows["allowance_surrendered_t"], owed[hit],
                     score=owed[hit] / rows["allowance_surrendered_t"].where(
                         rows["allowance_surrendered_t"] > 0, 1.0))
