"""Aluminium checks (电解铝): the anode and PFC identities, net anode use, Faraday's law and
the electricity the cells must have drawn, and the smelter's CO2
(shared/domain/sectors-2025.md §4.2, §4.4, §4.5 checks 1-5, §4.6).

Typical values (AC kWh/t, implied current efficiency, net anode, S + ash, AEM, alumina per t,
intensity) are bands (:mod:`workbench.checks.sector_bands`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import sector_metrics as sm
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

_AL = ("aluminium",)


def _relative_hits(filed: pd.Series, expected: pd.Series, tol: float,
                   floor: float = 0.0) -> tuple[pd.Series, pd.Series]:
    """Rows where ``filed`` differs from ``expected`` by more than ``tol`` relative (and more
    than ``floor`` absolute), and the relative difference."""
    diff = (filed - expected).abs()
    rel = diff / expected.abs().where(expected != 0)
    rel = rel.where(expected != 0, np.where(diff > floor, np.inf, 0.0))
    return ((rel > tol) & (diff > floor)).fillna(False), rel


@check(id="accounting.anode_co2_identity", family="accounting", sectors=_AL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="阳极排放量重算不符", title_en="Anode CO2 does not follow from its inputs",
       message_zh="填报阳极排放量 {observed:,.0f} t，按 铝液产量 × 阳极净耗 × (1 − 硫 − 灰) × 44/12 "
                  "重算为 {expected:,.0f} t",
       message_en="filed anode CO2 {observed:,.0f} t; output × net anode × (1 − S − ash) × 44/12 "
                  "gives {expected:,.0f} t",
       needs=("monthly:co2_t", "monthly:liquid_al_output_t",
              "monthly:anode_net_consumption_t_per_t"),
       config_keys=("checks.sectors.identity_rel_tol",),
       rationale="E_anode = P × NC × (1 − S − A) × 44/12; a filed value its own inputs do not "
                 "give was overridden.",
       rationale_zh="阳极排放量 = 铝液产量 × 吨铝炭阳极净耗 × (1 − 含硫量 − 灰分) × 44/12；填报值与其自身参数"
                    "算不出一致结果，说明被改写过。",
       source="sector notes §4.2 (anode consumption formula)")
def anode_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    p = sm.potlines(x.monthly, cfg)
    hit, rel = _relative_hits(p["co2_filed_t"], p["anode_co2_expected_t"],
                              cfg["checks"]["sectors"]["identity_rel_tol"])
    rows = p[hit]
    return flag_rows(rows, "co2_t", rows["co2_filed_t"], rows["anode_co2_expected_t"],
                     score=rel[hit] / cfg["checks"]["sectors"]["identity_rel_tol"],
                     delta_co2_t=rows["anode_co2_expected_t"] - rows["co2_filed_t"])


@check(id="accounting.pfc_identity", family="accounting", sectors=_AL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="全氟化碳排放量重算不符", title_en="PFC emissions do not follow from their inputs",
       message_zh="{evidence}", message_en="{evidence}",
       needs=("monthly:pfc_co2e_t", "monthly:liquid_al_output_t", "monthly:ef_cf4_kg_per_t"),
       uses=("monthly:aem_min_per_cell_day",),
       config_keys=("checks.sectors.identity_rel_tol", "factors.aluminium", "factors.gwp"),
       rationale="EF_CF4 = slope × AEM, EF_C2F6 = ratio × EF_CF4 and E_PFC = P × (EF_CF4 × "
                 "GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000 with the factors and GWP set in force; a "
                 "filed value that does not follow was overridden or used other factors.",
       rationale_zh="CF4 排放因子 = 斜率系数 × 阳极效应持续时间，C2F6 排放因子 = 比值 × CF4 排放因子，全氟化碳排"
                    "放量 = 产量 × (CF4 因子 × GWP_CF4 + C2F6 因子 × GWP_C2F6) / 1000，均采用现行因子和 GWP；"
                    "填报值不符，说明被改写或采用了其他因子。",
       source="sector notes §4.2 (slope method; GWP unresolved, set in the config), §4.5 "
              "check 5")
def pfc_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    p = sm.potlines(x.monthly, cfg)
    tol = cfg["checks"]["sectors"]["identity_rel_tol"]
    frames = []
    slope = p["aem"].notna() & (p["ef_cf4_filed"] > 0)
    for code, filed, expected, floor, sel, text in (
            ("ef_cf4_kg_per_t", "ef_cf4_filed", "ef_cf4_expected", 1e-6, slope,
             ("CF4 排放因子 {f:.6f}，按阳极效应 {a} 分钟/槽·日计算为 {e:.6f} kg/t",
              "CF4 EF {f:.6f}; the anode-effect minutes {a} give {e:.6f} kg/t")),
            ("ef_c2f6_kg_per_t", "ef_c2f6_filed", "ef_c2f6_expected", 1e-6, None,
             ("C2F6 排放因子 {f:.6f}，按 CF4 排放因子换算为 {e:.6f} kg/t",
              "C2F6 EF {f:.6f}; the CF4 EF gives {e:.6f} kg/t")),
            ("pfc_co2e_t", "pfc_filed_t", "pfc_expected_t", 0.01, None,
             ("全氟化碳排放量 {f:,.1f} t CO2e，按产量与排放因子重算为 {e:,.1f} t",
              "PFC {f:,.1f} t CO2e filed; output and the EFs give {e:,.1f} t"))):
        hit, rel = _relative_hits(p[filed], p[expected], tol, floor)
        if sel is not None:
            hit &= sel
        rows = p[hit]
        evidence = [text[0].format(f=f, e=e, a=a) + " / " + text[1].format(f=f, e=e, a=a)
                    for f, e, a in zip(rows[filed], rows[expected], rows["aem"], strict=True)]
        delta = (rows["pfc_expected_t"] - rows["pfc_filed_t"]) if code == "pfc_co2e_t" else None
        frames.append(flag_rows(rows, code, rows[filed], rows[expected],
                                score=np.minimum(rel[hit] / tol, 50.0), delta_co2_t=delta,
                                evidence=pd.Series(evidence, index=rows.index, dtype=object),
                                value_unit="t" if code == "pfc_co2e_t" else "kg/t"))
    return pd.concat(frames)


@check(id="accounting.net_anode_identity", family="accounting", sectors=_AL,
       subject="monthly_value", value_unit="t/t", severity="critical",
       title_zh="吨铝阳极净耗与毛耗、残极不符", title_en="Net anode does not follow from gross and butts",
       message_zh="填报吨铝阳极净耗 {observed:.4f}，(毛耗 − 残极) / 铝液产量 为 {expected:.4f}",
       message_en="net anode filed {observed:.4f} t/t; (gross − butts) / output gives "
                  "{expected:.4f}",
       needs=("monthly:anode_net_consumption_t_per_t", "monthly:anode_gross_consumption_t",
              "monthly:anode_butts_returned_t"),
       config_keys=("checks.sectors.net_anode_abs_t_per_t",),
       rationale="Net consumption is gross anodes less the butts returned, per t of metal; a "
                 "lower filed value (butts counted twice, purchased anodes left out) lowers "
                 "the anode CO2.",
       rationale_zh="阳极净耗 = (炭阳极毛耗 − 残极返回量) / 铝液产量；填报值偏低（残极重复扣减、外购阳极未计）"
                    "会压低阳极排放量。",
       source="sector notes §4.3, §4.5 check 4, §4.6")
def net_anode_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    p = sm.potlines(x.monthly, cfg)
    diff = (p["nc_filed"] - p["nc_from_gross"]).abs()
    tol = cfg["checks"]["sectors"]["net_anode_abs_t_per_t"]
    hit = (diff > tol).fillna(False)
    rows = p[hit]
    return flag_rows(rows, "anode_net_consumption_t_per_t", rows["nc_filed"],
                     rows["nc_from_gross"], score=diff[hit] / tol)


@check(id="consistency.current_efficiency", family="consistency", sectors=_AL,
       subject="monthly_value", value_unit="%", severity="warning",
       title_zh="电流效率与产量不符", title_en="Current efficiency does not match the output",
       message_zh="填报电流效率 {observed:.2f}%，按系列电流、运行槽数和铝液产量（法拉第定律）为 "
                  "{expected:.2f}%",
       message_en="current efficiency filed {observed:.2f}%; line current, cells and output "
                  "(Faraday's law) give {expected:.2f}%",
       needs=("monthly:current_efficiency_pct", "monthly:liquid_al_output_t",
              "monthly:cells_in_operation"),
       config_keys=("checks.sectors.ce_filed_abs_pct",),
       rationale="Output = 0.3356 kg/(kA·h) × current × hours × CE × cells. An output above "
                 "what the filed efficiency allows was inflated (or metal bought or remelted "
                 "counted as liquid aluminium); cells started or stopped within the month "
                 "explain small gaps, hence a warning.",
       rationale_zh="铝液产量 = 0.3356 kg/(kA·h) × 系列电流 × 小时数 × 电流效率 × 运行槽数。产量高于所填电流"
                    "效率所允许的量，说明产量被虚增（或把外购、重熔铝计为铝液）；月内启停槽可解释少量差异，"
                    "故为预警。",
       source="sector notes §4.4 (Faraday), §4.5 check 1, §4.6")
def current_efficiency(x: Inputs, cfg: dict) -> pd.DataFrame:
    p = sm.potlines(x.monthly, cfg)
    diff = (p["ce_filed_pct"] - p["ce_implied_pct"]).abs()
    tol = cfg["checks"]["sectors"]["ce_filed_abs_pct"]
    hit = (diff > tol).fillna(False)
    rows = p[hit]
    return flag_rows(rows, "liquid_al_output_t", rows["ce_filed_pct"], rows["ce_implied_pct"],
                     score=diff[hit] / tol)


@check(id="consistency.ac_below_dc", family="consistency", sectors=_AL,
       subject="monthly_value", value_unit="MWh", severity="critical",
       title_zh="交流电耗低于直流电能", title_en="AC electricity below the DC energy of the cells",
       message_zh="填报铝电解交流电耗 {observed:,.0f} MWh，低于槽电压 × 系列电流 × 槽数 × 小时数 = "
                  "{expected:,.0f} MWh",
       message_en="AC electricity filed {observed:,.0f} MWh, below voltage × current × cells × "
                  "hours = {expected:,.0f} MWh",
       needs=("monthly:electrolysis_ac_electricity_mwh", "monthly:avg_cell_voltage_v",
              "monthly:cells_in_operation"),
       rationale="The cells draw V × I × hours of DC energy, and rectifiers lose some: the AC "
                 "drawn cannot be less. Either the electricity, the voltage or the cells filed "
                 "are wrong.",
       rationale_zh="电解槽消耗的直流电能为 槽电压 × 电流 × 小时数，整流还有损耗，交流电耗不可能更少；所填电"
                    "耗、槽电压或槽数必有一项不实。",
       source="sector notes §4.4 (DC energy = 2.98 × V / CE kWh/kg), §4.5 check 2")
def ac_below_dc(x: Inputs, cfg: dict) -> pd.DataFrame:
    p = sm.potlines(x.monthly, cfg)
    hit = (p["ac_mwh"] < p["dc_mwh"]).fillna(False)
    rows = p[hit]
    return flag_rows(rows, "electrolysis_ac_electricity_mwh", rows["ac_mwh"], rows["dc_mwh"],
                     score=2.0 + (rows["dc_mwh"] / rows["ac_mwh"] - 1.0) * 20)


@check(id="accounting.smelter_identity", family="accounting", sectors=_AL,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="电解铝企业层级排放量重算不符", title_en="Smelter CO2 does not follow from its parts",
       message_zh="企业层级填报排放量 {observed:,.0f} t，化石燃料 + 碳酸盐 + 各电解系列阳极排放 = "
                  "{expected:,.0f} t",
       message_en="enterprise-level CO2 filed {observed:,.0f} t; fuels + carbonates + the "
                  "potlines' anode CO2 = {expected:,.0f} t",
       needs=("monthly:co2_t", "monthly:al_ingot_output_t"),
       config_keys=("checks.sectors.identity_rel_tol", "factors.fuels", "factors.carbonates"),
       rationale="The smelter's CO2 is its fuels, carbonates and anode consumption (PFC is filed "
                 "apart as CO2e); a total that its own parts do not give moves emissions in or "
                 "out of the boundary.",
       rationale_zh="电解铝企业的二氧化碳排放 = 化石燃料燃烧 + 碳酸盐分解 + 各电解系列阳极消耗（全氟化碳另以二氧"
                    "化碳当量填报）；总量与各部分不符，说明排放被移入或移出核算边界。",
       source="sector notes §4.2 (enterprise level)")
def smelter_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    a = sm.aluminium_smelters(x.monthly, cfg)
    tol = cfg["checks"]["sectors"]["identity_rel_tol"]
    hit, rel = _relative_hits(a["co2_filed_t"], a["co2_expected_t"], tol)
    rows = a[hit]
    return flag_rows(rows, "co2_t", rows["co2_filed_t"], rows["co2_expected_t"],
                     score=np.minimum(rel[hit] / tol, 50.0),
                     delta_co2_t=rows["co2_expected_t"] - rows["co2_filed_t"])
