"""Steel checks (钢铁): the enterprise identity, totals filed twice, and the by-product gas
balances of a works (shared/domain/sectors-2025.md §2.2, §2.6 checks 1-6, §2.7).

Each is a rule of the filing itself: the enterprise's CO2 must follow from its own line
items, its crude steel must be the steel its converters and furnaces filed, its tar and
benzene those its coke ovens filed, and each gas made must be burnt, exported or flared.
The typical-value checks (intensity by route, metallic yield, coke rate, yields) are bands
(:mod:`workbench.checks.sector_bands`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import sector_metrics as sm
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

_STEEL = ("steel",)


@check(id="accounting.steel_enterprise_identity", family="accounting", sectors=_STEEL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="钢铁企业层级排放量重算不符", title_en="Steel works CO2 does not follow from its inputs",
       message_zh="企业层级填报排放量 {observed:,.0f} t，按 化石燃料 + 过程排放 − 固碳产品 重算为 "
                  "{expected:,.0f} t",
       message_en="enterprise-level CO2 filed {observed:,.0f} t; fuels + process materials − "
                  "carbon in products gives {expected:,.0f} t",
       needs=("monthly:co2_t", "monthly:crude_steel_output_t"),
       config_keys=("checks.sectors.identity_rel_tol", "factors.steel",
                    "factors.fuels"),
       rationale="E_ent = E_fuel + E_proc − R_prod (no oxidation factor at the enterprise "
                 "level); a filed total its own line items do not give was overridden or "
                 "computed with other factors than those in force.",
       rationale_zh="企业层级排放量 = 化石燃料燃烧排放 + 过程排放 − 固碳产品隐含的排放（企业层级不乘碳"
                    "氧化率）；填报总量与其自身填报的各项不符，说明总量被改写，或采用了现行版本以外"
                    "的排放因子。",
       source="sector notes §2.2 (reproduced 2025 月度存证), §2.6 check 2")
def enterprise_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    w = sm.steel_works(x.monthly, cfg)
    rel = (w["co2_filed_t"] - w["e_ent_t"]).abs() / w["e_ent_t"].abs().where(w["e_ent_t"] != 0)
    tol = cfg["checks"]["sectors"]["identity_rel_tol"]
    hit = (rel > tol).fillna(False)
    rows = w[hit]
    return flag_rows(rows, "co2_t", rows["co2_filed_t"], rows["e_ent_t"],
                     score=rel[hit] / tol, delta_co2_t=(rows["e_ent_t"] - rows["co2_filed_t"]),
                     evidence="E_fuel " + rows["e_fuel_t"].round(0).astype(str)
                     + " + E_proc " + rows["e_proc_t"].round(0).astype(str)
                     + " − R_prod " + rows["r_prod_t"].round(0).astype(str))


@check(id="consistency.crude_steel_sum", family="consistency", sectors=_STEEL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="粗钢产量与转炉钢、电炉钢产量之和不符",
       title_en="Crude steel differs from BOF + EAF steel",
       message_zh="企业层级粗钢产量 {observed:,.0f} t，各工序填报的转炉钢 + 电炉钢为 {expected:,.0f} t",
       message_en="crude steel filed {observed:,.0f} t; the BOF and EAF facilities filed "
                  "{expected:,.0f} t",
       needs=("monthly:crude_steel_output_t",),
       uses=("monthly:bof_steel_output_t", "monthly:eaf_steel_output_t"),
       config_keys=("checks.sectors.sum_rel_tol",),
       rationale="Crude steel is what the converters and electric furnaces tapped. An "
                 "enterprise total above it lowers the intensity (a benchmark surplus) and "
                 "raises the crude-steel deduction.",
       rationale_zh="粗钢产量就是转炉和电炉产出的钢水量。企业层级填报的粗钢产量高于各工序之和，会压"
                    "低排放强度（在基准线法下多得配额），并增大粗钢固碳扣减量。",
       source="sector notes §2.4, §2.7 (inflated crude steel output)")
def crude_steel_sum(x: Inputs, cfg: dict) -> pd.DataFrame:
    w = sm.steel_works(x.monthly, cfg)
    return _differs(w, "crude_steel_t", "process_steel_t", "crude_steel_output_t",
                    cfg["checks"]["sectors"]["sum_rel_tol"],
                    "BOF+EAF " + w["process_steel_t"].round(0).astype(str))


@check(id="consistency.steel_carbon_products", family="consistency", sectors=_STEEL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="企业层级焦油、粗苯产量与焦化工序不符",
       title_en="Tar or benzene differs from what the coke ovens filed",
       message_zh="企业层级扣减的{parameter}为 {observed:,.1f}，焦化工序填报 {expected:,.1f}",
       message_en="the enterprise level deducts {parameter} {observed:,.1f}; the coking "
                  "facility filed {expected:,.1f}",
       needs=("monthly:coal_tar_output_t",), uses=("monthly:crude_benzene_output_t",),
       config_keys=("checks.sectors.sum_rel_tol",),
       rationale="Carbon products are deducted from the mass balance; more tar or benzene "
                 "deducted than the ovens made lowers the works' CO2 directly.",
       rationale_zh="焦油、粗苯等含碳产品从碳平衡中扣减；扣减量多于焦炉实际产出，会直接压低企业排放量。",
       source="sector notes §2.6 check 6, §2.7 (overstated carbon products)")
def carbon_products(x: Inputs, cfg: dict) -> pd.DataFrame:
    w = sm.steel_works(x.monthly, cfg)
    tol = cfg["checks"]["sectors"]["sum_rel_tol"]
    frames = [_differs(w, filed, coking, code, tol, "coking " + w[coking].round(1).astype(str))
              for filed, coking, code in (("tar_t", "coking_tar_t", "coal_tar_output_t"),
                                          ("benzene_t", "coking_benzene_t",
                                           "crude_benzene_output_t"))]
    return pd.concat(frames)


def _differs(w: pd.DataFrame, filed: str, other: str, code: str, tol: float,
             evidence: pd.Series) -> pd.DataFrame:
    """Rows of ``w`` whose ``filed`` differs from ``other`` by more than ``tol`` (relative to
    the larger; both must be filed)."""
    a, b = w[filed], w[other]
    scale = np.maximum(a.abs(), b.abs())
    rel = (a - b).abs() / scale.where(scale > 0)
    hit = (rel > tol).fillna(False)
    rows = w[hit]
    return flag_rows(rows, code, a[hit], b[hit], score=rel[hit] / tol, evidence=evidence[hit])


@check(id="consistency.steel_inputs_sum", family="consistency", sectors=_STEEL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="企业层级燃料、原料消耗量少于各工序之和",
       title_en="Enterprise fuel or material use differs from its processes'",
       message_zh="企业层级填报{parameter} {observed:,.1f}，各工序合计 {expected:,.1f}",
       message_en="the enterprise level files {parameter} {observed:,.1f}; its "
                  "processes used {expected:,.1f}",
       needs=("monthly:crude_steel_output_t",),
       config_keys=("checks.sectors.sum_rel_tol",),
       rationale="A purchased fuel (coal, anthracite, oil) or a process material (fluxes, "
                 "electrodes, pig iron, DRI, scrap) the processes use is counted once more at "
                 "the enterprise level, whose mass balance gives the works' CO2: less there "
                 "than the processes used leaves carbon out (critical); more is use outside "
                 "the listed processes, to explain (warning).",
       rationale_zh="各工序使用的外购燃料（煤、无烟煤、燃料油等）和过程原料（熔剂、电极、生铁、直接还原铁、废钢）"
                    "在企业层级碳平衡中再计一次，企业排放量由此算出：企业层级少于各工序之和，等于漏算碳（严重）；"
                    "多于则是在所列工序以外使用，须说明（预警）。",
       source="sector notes §1.4 (fuel inventory), §2.2, §2.7")
def inputs_sum(x: Inputs, cfg: dict) -> pd.DataFrame:
    f = sm.site_inputs(x.monthly)
    tol = cfg["checks"]["sectors"]["sum_rel_tol"]
    gap = f["enterprise_t"].fillna(0.0) - f["processes_t"]
    rel = gap.abs() / f["processes_t"]
    # a month one of the works' facilities filed nothing is not judged (its use is unknown)
    hit = (rel > tol).fillna(False) & ~sm.silent_facility(f, x.monthly, x.units)
    rows = f[hit].assign(severity=np.where(gap[hit] < 0, "critical", "warning"))
    return flag_rows(rows, rows["parameter_code"], rows["enterprise_t"], rows["processes_t"],
                     score=rel[hit] / tol)


@check(id="consistency.steel_gas_balance", family="consistency", sectors=_STEEL,
       subject="monthly_value", value_unit="万Nm3", severity="critical",
       title_zh="副产煤气平衡不闭合", title_en="By-product gas balance does not close",
       message_zh="{evidence}", message_en="{evidence}",
       needs=("monthly:bfg_generated_1e4nm3",),
       uses=("monthly:ldg_generated_1e4nm3", "monthly:cog_generated_1e4nm3"),
       config_keys=("checks.sectors.gas_balance_rel_tol",
                    "checks.sectors.gas_balance_critical_rel"),
       rationale="Every m³ of blast-furnace, converter or coke-oven gas made is burnt on site, "
                 "exported or flared. Gas that disappears from the balance, or exports that "
                 "exceed what is left, move carbon between processes, the captive power plant "
                 "and the deduction; BFG carries six times the carbon of COG per GJ.",
       rationale_zh="高炉、转炉、焦炉煤气产生多少，就必须有多少被厂内燃用、外供或放散。平衡中“消失”的"
                    "煤气，或超出剩余量的外供量，会把碳在工序、自备电厂和扣减项之间转移；单位热值高炉"
                    "煤气的含碳量是焦炉煤气的约六倍。",
       source="sector notes §2.5, §2.6 check 3 (imbalance above about 3-5 % is an alert), "
              "§2.7")
def gas_balance(x: Inputs, cfg: dict) -> pd.DataFrame:
    g = sm.gas_balances(x.monthly, x.units)
    c = cfg["checks"]["sectors"]
    rel = g["imbalance_rel"].abs()
    # a works-month where one of its facilities filed nothing is not judged: that facility's
    # missing deposit is flagged by itself (timeliness.missing_month)
    hit = (rel > c["gas_balance_rel_tol"]).fillna(False) & g["complete"].astype(bool)
    rows = g[hit].assign(severity=np.where(rel[hit] > c["gas_balance_critical_rel"],
                                           "critical", "warning"))
    name = rows["gas"].str.upper()
    evidence = (name + " 产生 " + rows["generated"].round(1).astype(str) + "，燃用 "
                + rows["consumed"].round(1).astype(str) + " + 外供 "
                + rows["exported"].round(1).astype(str) + " + 放散 "
                + rows["flared"].round(1).astype(str) + "，差额 "
                + (100 * rows["imbalance_rel"]).round(1).astype(str) + "% / " + name
                + " generated − burnt − exported − flared = "
                + (100 * rows["imbalance_rel"]).round(1).astype(str) + "% of generation")
    rows = rows.assign(evidence=evidence, score=rel[hit] / c["gas_balance_rel_tol"])
    # the flag names every facility of the balance: which one filed the wrong volume (the
    # maker, a consumer, the export) the numbers alone cannot say
    frames = [_participants(x.monthly, rows, gas) for gas in rows["gas"].unique()]
    return pd.concat(frames) if frames else pd.DataFrame()


def _participants(m: pd.DataFrame, rows: pd.DataFrame, gas: str) -> pd.DataFrame:
    """One flag row per facility filing ``gas`` in an unbalanced works-month of ``rows``."""
    codes = [f"{gas}_{what}_1e4nm3" for what in ("generated", "consumption", "exported",
                                                  "flared")]
    present = [c for c in codes if c in m.columns]
    bad = rows[rows["gas"] == gas][[*sm.KEY, "evidence", "score", "severity"]]
    files = m[[*sm.KEY, "unit_id", *present]].merge(bad, on=sm.KEY)
    values = files[present]
    files = files[values.notna().any(axis=1)]
    first = values.loc[files.index].notna().idxmax(axis=1)       # the first volume it files
    observed = pd.Series([files.at[i, c] for i, c in first.items()], index=files.index)
    return flag_rows(files, first, observed, None, score=files["score"],
                     evidence=files["evidence"])
