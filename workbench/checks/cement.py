"""Cement checks (水泥熟料): a clinker line's CO2 identity, its EF against its chemistry or
its type's default, and the clinker stock carried month to month
(shared/domain/sectors-2025.md §3.2, §3.5 checks 3-4, §3.6).

Typical values (intensity, kiln heat, raw meal ratio, CaO and MgO, capacity use, the
clinker factor the stock balance implies, deduction and carbide-slag shares) are bands
(:mod:`workbench.checks.sector_bands`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import sector_metrics as sm
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

_CEMENT = ("cement",)


@check(id="accounting.clinker_line_identity", family="accounting", sectors=_CEMENT,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="熟料生产线排放量重算不符", title_en="Clinker line CO2 does not follow from its inputs",
       message_zh="填报排放量 {observed:,.0f} t，按 燃料 + 熟料产量×排放因子 − 替代原料扣减 重算为 "
                  "{expected:,.0f} t",
       message_en="filed CO2 {observed:,.0f} t; fuel + clinker × EF − substitute deductions "
                  "gives {expected:,.0f} t",
       needs=("monthly:co2_t", "monthly:clinker_output_t", "monthly:ef_clinker_tco2_per_t"),
       config_keys=("checks.sectors.identity_rel_tol", "factors.cement"),
       rationale="E = fuel CO2 + Q_clk × EF_clk − Σ AD_r × DF_r (deductions where the EF is "
                 "the type's default; a measured EF nets the non-carbonate oxides already). A "
                 "filed total its own inputs do not give was overridden or double-deducted.",
       rationale_zh="排放量 = 燃料燃烧排放 + 熟料产量 × 熟料排放因子 − 非碳酸盐替代原料扣减量（采用缺省排"
                    "放因子时扣减；实测排放因子已扣除非碳酸盐氧化物）。填报总量与其自身各项不符，说明总量"
                    "被改写或重复扣减。",
       source="sector notes §3.2 (2024 guideline form, two implementations agree)")
def line_identity(x: Inputs, cfg: dict) -> pd.DataFrame:
    f = sm.cement_lines(x.monthly, cfg)
    exp = f["co2_expected_t"]
    rel = (f["co2_filed_t"] - exp).abs() / exp.abs().where(exp != 0)
    tol = cfg["checks"]["sectors"]["identity_rel_tol"]
    hit = (rel > tol).fillna(False)
    rows = f[hit]
    return flag_rows(rows, "co2_t", rows["co2_filed_t"], exp[hit], score=rel[hit] / tol,
                     delta_co2_t=exp[hit] - rows["co2_filed_t"])


@check(id="accounting.clinker_ef_chemistry", family="accounting", sectors=_CEMENT,
       subject="monthly_value", value_unit="tCO2/t", severity="critical",
       title_zh="实测熟料排放因子与氧化钙、氧化镁含量不符",
       title_en="Measured clinker EF does not follow from its CaO and MgO",
       message_zh="填报排放因子 {observed:.4f}，按熟料 CaO、MgO（扣除非碳酸盐部分）计算为 {expected:.4f}",
       message_en="filed EF {observed:.4f}; the clinker's CaO and MgO (less non-carbonate) "
                  "give {expected:.4f}",
       needs=("monthly:ef_clinker_tco2_per_t", "monthly:cao_clinker_pct"),
       config_keys=("checks.sectors.ef_chemistry_abs_tol",),
       rationale="A measured EF is (CaO − CaO_nc)×44/56 + (MgO − MgO_nc)×44/40 of the filed "
                 "chemistry; an EF below what its own chemistry gives understates process CO2.",
       rationale_zh="实测排放因子 = (CaO − 非碳酸盐CaO)×44/56 + (MgO − 非碳酸盐MgO)×44/40；低于其自身化学成分"
                    "算出的排放因子，会少算过程排放。",
       source="sector notes §3.2 (measured-EF form), §3.5 check 4")
def ef_chemistry(x: Inputs, cfg: dict) -> pd.DataFrame:
    f = sm.cement_lines(x.monthly, cfg)
    measured = f["ef_source"].isin(["measured", "calculated"]).fillna(False).astype(bool)
    diff = (f["ef_filed"] - f["ef_chemistry"]).abs()
    tol = cfg["checks"]["sectors"]["ef_chemistry_abs_tol"]
    hit = measured & (diff > tol).fillna(False)
    rows = f[hit]
    return flag_rows(rows, "ef_clinker_tco2_per_t", rows["ef_filed"], rows["ef_chemistry"],
                     score=diff[hit] / tol,
                     delta_co2_t=(rows["ef_chemistry"] - rows["ef_filed"]) * rows["clinker_t"],
                     evidence="CaO " + rows["cao_pct"].astype(str) + "%, MgO "
                     + rows["mgo_pct"].astype(str) + "%")


@check(id="accounting.clinker_ef_default", family="accounting", sectors=_CEMENT,
       subject="monthly_value", value_unit="tCO2/t", severity="critical",
       title_zh="缺省熟料排放因子与熟料类别不符", title_en="Default clinker EF is not its type's",
       message_zh="标为缺省值的排放因子 {observed:.4f}，该熟料类别的缺省值为 {expected:.4f}",
       message_en="EF marked default is {observed:.4f}; the default of the clinker type is "
                  "{expected:.4f}",
       needs=("monthly:ef_clinker_tco2_per_t",),
       config_keys=("checks.sectors.ef_default_abs_tol", "factors.cement"),
       rationale="The default EF depends on the clinker type (Portland 0.535, white 0.550, "
                 "sulpho(ferro)aluminate 0.413, calcium aluminate 0.292); another value marked "
                 "default is another type's or an invented one.",
       rationale_zh="缺省排放因子按熟料类别取值（硅酸盐 0.535、白色硅酸盐 0.550、硫（铁）铝酸盐 "
                    "0.413、铝酸盐 0.292）；标为缺省值却不等于本类别的缺省值，是套用了其他类别或自拟的数值。",
       source="sector notes §3.2 (default EF by clinker type)")
def ef_default(x: Inputs, cfg: dict) -> pd.DataFrame:
    f = sm.cement_lines(x.monthly, cfg)
    default = (f["ef_source"] == "default").fillna(False).astype(bool)
    diff = (f["ef_filed"] - f["ef_default"]).abs()
    tol = cfg["checks"]["sectors"]["ef_default_abs_tol"]
    hit = default & (diff > tol).fillna(False)
    rows = f[hit]
    return flag_rows(rows, "ef_clinker_tco2_per_t", rows["ef_filed"], rows["ef_default"],
                     score=2.0 + diff[hit] / tol,
                     delta_co2_t=(rows["ef_default"] - rows["ef_filed"]) * rows["clinker_t"],
                     evidence="type=" + rows["clinker_type"].astype(str))


@check(id="consistency.clinker_stock_carry", family="consistency", sectors=_CEMENT,
       subject="monthly_value", value_unit="t", severity="critical",
       title_zh="熟料期末库存与次月期初库存不一致",
       title_en="Clinker closing stock is not next month's opening stock",
       message_zh="期末库存 {observed:,.0f} t，次月期初库存为 {expected:,.0f} t",
       message_en="closing stock {observed:,.0f} t; next month opens at {expected:,.0f} t",
       needs=("monthly:clinker_closing_stock_t", "monthly:clinker_opening_stock_t"),
       config_keys=("checks.sectors.stock_carry_abs_t",),
       rationale="Stock carries over: a closing stock the next month does not open with hides "
                 "or invents clinker in the stock balance (produced + purchased − sold − used "
                 "= Δstock), where under-stated output is hidden.",
       rationale_zh="库存逐月结转：本月期末库存与次月期初库存不一致，说明在库存平衡（产量 + 外购 − 外销 − "
                    "自用 = 库存变化）中藏起或虚增了熟料，少报的产量往往藏在这里。",
       source="sector notes §1.5 (stock balance), §3.5 check 3")
def stock_carry(x: Inputs, cfg: dict) -> pd.DataFrame:
    f = sm.cement_lines(x.monthly, cfg).sort_values(["unit_id", "period"])
    nxt_period = (pd.PeriodIndex(f["period"], freq="M") + 1).astype(str)
    key = f.set_index(["unit_id", "period"])["opening_t"]
    nxt = pd.Series(key.reindex(list(zip(f["unit_id"], nxt_period, strict=True))).to_numpy(),
                    index=f.index)
    diff = (f["closing_t"] - nxt).abs()
    tol = cfg["checks"]["sectors"]["stock_carry_abs_t"]
    hit = (diff > tol).fillna(False)
    rows = f[hit]
    return flag_rows(rows, "clinker_closing_stock_t", rows["closing_t"], nxt[hit],
                     score=2.0 + np.log1p(diff[hit] / max(tol, 1.0)),
                     evidence="next month's opening " + nxt[hit].round(0).astype(str))
