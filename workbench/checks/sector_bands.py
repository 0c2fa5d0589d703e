"""Band checks of the 2025 sectors: what a steel, cement or aluminium filing implies, against
the typical values of the domain notes.

One declarative rule per quantity (:data:`BANDS`): the derived frame of
:mod:`workbench.sector_metrics` it lives in, how it is grouped (a steel route, a clinker
type, or not at all), the parameter a flag points at.  The bands are configuration
(``[checks.sector_bands.*]``): outside ``<group>`` a warning, outside ``<group>_critical``
(set only where the bound is physical: more steel than metal charged, more aluminium than
the current can make, less alumina than the metal holds) critical.  A steel works of mixed
route is judged against the output-weighted band of its BOF and EAF steel.

Source: shared/domain/sectors-2025.md §2.5 / §2.6, §3.4 / §3.5, §4.4 / §4.5 (bands mostly
tagged uncertain there, hence configuration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import sector_metrics as sm
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

#: The derived frame of each sector metric family, from the monthly frame and the config.
FRAMES: dict[str, Callable[[pd.DataFrame, dict], pd.DataFrame]] = {
    "steel_works": sm.steel_works,
    "ironmaking": lambda m, cfg: sm.ironmaking(m),
    "converters": lambda m, cfg: sm.converters(m),
    "cement_lines": sm.cement_lines,
    "potlines": sm.potlines,
}
#: Where each sector's bands come from (the notes' typical values and cross-checks).
SOURCES = {"steel": "sector notes §2.5, §2.6", "cement": "sector notes §3.4, §3.5",
           "aluminium": "sector notes §4.4, §4.5"}
FRAME_SECTOR = {"steel_works": "steel", "ironmaking": "steel", "converters": "steel",
                "cement_lines": "cement",
                "potlines": "aluminium"}


@dataclass(frozen=True)
class SectorBand:
    """A banded quantity of a sector: where it is computed, grouped, and what it points at."""

    quantity: str              # column of the frame, and the config key
    frame: str                 # key of FRAMES
    group_by: str | None       # "route" (steel), "clinker_type" (cement) or None ("all")
    parameter_code: str        # the filed value a flag points at
    label_zh: str
    label_en: str
    unit: str
    needs: tuple[str, ...]
    only: Callable[[pd.DataFrame], pd.Series] | None = None   # rows judged (default: all)
    column: str | None = None  # frame column when it differs from ``quantity``
    #: other facilities of the enterprise whose filed value is part of the quantity (kind,
    #: parameter): a flag names them too (the works' converters for the metallic yield)
    also: tuple[tuple[str, str], ...] = ()

    @property
    def sector(self) -> str:
        return FRAME_SECTOR[self.frame]


def _measured_ef(f: pd.DataFrame) -> pd.Series:
    return f["ef_source"].isin(["measured", "calculated"]).fillna(False).astype(bool)


BANDS: tuple[SectorBand, ...] = (
    SectorBand("steel_intensity_t_per_t", "steel_works", "route", "co2_t", "吨粗钢排放量",
               "CO2 per t crude steel", "tCO2/t",
               ("monthly:co2_t", "monthly:crude_steel_output_t"), column="intensity_t_per_t"),
    SectorBand("metallic_yield", "steel_works", None, "crude_steel_output_t",
               "粗钢金属收得率（粗钢 / 金属料）", "crude steel per t metallic charge", "t/t",
               ("monthly:crude_steel_output_t", "monthly:scrap_t"),
               also=(("bof", "bof_steel_output_t"), ("eaf", "eaf_steel_output_t"))),
    SectorBand("coke_rate_kg_per_t_hm", "ironmaking", None, "coke_consumption_t", "焦比",
               "coke rate", "kg/t", ("monthly:coke_consumption_t", "monthly:hot_metal_output_t")),
    SectorBand("bfg_nm3_per_t_hm", "ironmaking", None, "bfg_generated_1e4nm3",
               "吨铁高炉煤气发生量", "BFG per t hot metal", "Nm3/t",
               ("monthly:bfg_generated_1e4nm3", "monthly:hot_metal_output_t")),
    SectorBand("hot_metal_per_bof_steel", "converters", None, "bof_steel_output_t",
               "转炉钢铁水比", "hot metal per t BOF steel", "t/t",
               ("monthly:hot_metal_output_t", "monthly:bof_steel_output_t")),
    SectorBand("tar_yield", "steel_works", None, "coal_tar_output_t", "焦油产率（占装炉煤）",
               "coal tar per t coal charged", "t/t",
               ("monthly:coal_tar_output_t", "monthly:cleaned_coal_consumption_t")),
    SectorBand("benzene_yield", "steel_works", None, "crude_benzene_output_t",
               "粗苯产率（占装炉煤）", "crude benzene per t coal charged", "t/t",
               ("monthly:crude_benzene_output_t", "monthly:cleaned_coal_consumption_t")),
    SectorBand("clinker_intensity_t_per_t", "cement_lines", None, "co2_t", "吨熟料排放量",
               "CO2 per t clinker", "tCO2/t", ("monthly:co2_t", "monthly:clinker_output_t"),
               column="intensity_t_per_t"),
    SectorBand("kiln_heat_gj_per_t", "cement_lines", None, "coal_consumption_t",
               "吨熟料燃料热耗", "kiln fuel heat per t clinker", "GJ/t",
               ("monthly:clinker_output_t", "monthly:coal_consumption_t")),
    SectorBand("raw_meal_ratio", "cement_lines", None, "clinker_output_t", "料耗比（生料 / 熟料）",
               "raw meal per t clinker", "t/t",
               ("monthly:raw_meal_feed_t", "monthly:clinker_output_t")),
    SectorBand("cao_clinker_pct", "cement_lines", "clinker_type", "cao_clinker_pct",
               "熟料氧化钙含量", "clinker CaO", "%", ("monthly:cao_clinker_pct",),
               column="cao_pct"),
    SectorBand("mgo_clinker_pct", "cement_lines", "clinker_type", "mgo_clinker_pct",
               "熟料氧化镁含量", "clinker MgO", "%", ("monthly:mgo_clinker_pct",),
               column="mgo_pct"),
    SectorBand("ef_measured_tco2_per_t", "cement_lines", "clinker_type",
               "ef_clinker_tco2_per_t", "实测熟料过程排放因子", "measured clinker EF", "tCO2/t",
               ("monthly:ef_clinker_tco2_per_t",), only=_measured_ef, column="ef_filed"),
    SectorBand("capacity_use", "cement_lines", None, "clinker_output_t",
               "熟料产量 / (额定日产能 × 运转天数)", "clinker / (rated t/d × operating days)",
               "", ("monthly:clinker_output_t", "monthly:kiln_operating_days")),
    SectorBand("clinker_factor", "cement_lines", None, "clinker_closing_stock_t",
               "按库存平衡推算的熟料用量 / 水泥产量", "clinker used by the stock balance / cement",
               "", ("monthly:clinker_closing_stock_t", "monthly:cement_output_t")),
    SectorBand("deduction_share", "cement_lines", None, "steel_slag_t",
               "非碳酸盐替代原料扣减量占比", "non-carbonate deductions / (Q × EF)", "",
               ("monthly:clinker_output_t", "monthly:ef_clinker_tco2_per_t"),
               only=lambda f: ~_measured_ef(f)),
    SectorBand("carbide_share", "cement_lines", None, "carbide_slag_t", "电石渣占生料比例",
               "carbide slag / raw meal", "", ("monthly:carbide_slag_t",
                                              "monthly:raw_meal_feed_t")),
    SectorBand("ac_kwh_per_t", "potlines", None, "electrolysis_ac_electricity_mwh",
               "铝液交流电耗", "AC electricity per t aluminium", "kWh/t",
               ("monthly:electrolysis_ac_electricity_mwh", "monthly:liquid_al_output_t")),
    SectorBand("ce_implied_pct", "potlines", None, "liquid_al_output_t",
               "按法拉第定律推算的电流效率", "current efficiency by Faraday's law", "%",
               ("monthly:liquid_al_output_t", "monthly:cells_in_operation")),
    SectorBand("net_anode_t_per_t", "potlines", None, "anode_net_consumption_t_per_t",
               "吨铝炭阳极净耗", "net anode per t aluminium", "t/t",
               ("monthly:anode_net_consumption_t_per_t",), column="nc_filed"),
    SectorBand("s_plus_ash_pct", "potlines", None, "anode_sulfur_pct", "炭阳极硫分与灰分之和",
               "anode sulphur + ash", "%", ("monthly:anode_sulfur_pct", "monthly:anode_ash_pct")),
    SectorBand("aem_min_per_cell_day", "potlines", None, "aem_min_per_cell_day",
               "阳极效应持续时间", "anode-effect minutes per cell-day", "min/(cell·d)",
               ("monthly:aem_min_per_cell_day",), column="aem"),
    SectorBand("alumina_t_per_t", "potlines", None, "liquid_al_output_t", "吨铝氧化铝单耗",
               "alumina per t aluminium", "t/t",
               ("monthly:alumina_consumption_t", "monthly:liquid_al_output_t")),
    SectorBand("aluminium_intensity_t_per_t", "potlines", None, "co2_t",
               "吨铝排放量（阳极 + 全氟化碳）", "CO2e (anode + PFC) per t aluminium", "tCO2e/t",
               ("monthly:co2_t", "monthly:liquid_al_output_t"), column="intensity_t_per_t"),
)


def _limits(b: SectorBand, f: pd.DataFrame, bands: dict) -> tuple[pd.Series, ...]:
    """Warning and critical [low, high] per row (NaN where the row's group has no band)."""
    lo, hi, clo, chi = (pd.Series(np.nan, index=f.index) for _ in range(4))
    if b.group_by == "route":           # mixed works: the output-weighted band
        share = f["bof_share"].where(f["route"].isin(["bf_bof", "eaf", "mixed"]))
        for target, suffix in ((lo, 0), (hi, 1)):
            bof, eaf = bands.get("bf_bof"), bands.get("eaf")
            if bof and eaf:
                target[:] = share * bof[suffix] + (1 - share) * eaf[suffix]
        for target, suffix in ((clo, 0), (chi, 1)):
            bof, eaf = bands.get("bf_bof_critical"), bands.get("eaf_critical")
            if bof and eaf:
                target[:] = share * bof[suffix] + (1 - share) * eaf[suffix]
        return lo, hi, clo, chi
    group = f[b.group_by] if b.group_by else pd.Series("all", index=f.index)
    for name, (low, high) in bands.items():
        critical = name.endswith("_critical")
        sel = group == name.removesuffix("_critical")
        if critical:
            clo[sel], chi[sel] = low, high
        else:
            lo[sel], hi[sel] = low, high
    return lo, hi, clo, chi


def _named_too(m: pd.DataFrame, flags: pd.DataFrame, kind: str, code: str) -> pd.DataFrame:
    """The flags again on each facility of ``kind`` of their enterprise-month that files
    ``code`` (observed: its value; the band and evidence as flagged)."""
    if code not in m.columns or flags.empty:
        return pd.DataFrame()
    rows = sm.of_kind(m, kind)[[*sm.KEY, "unit_id", code]].dropna(subset=[code])
    rows = rows.merge(flags.drop(columns=["unit_id", "parameter_code", "observed"]),
                      on=sm.KEY)
    return rows.assign(parameter_code=code, observed=rows.pop(code))


def _band_check(b: SectorBand):
    def run(x: Inputs, cfg: dict) -> pd.DataFrame:
        f = FRAMES[b.frame](x.monthly, cfg)
        values = f[b.column or b.quantity].astype(float)
        if b.only is not None:
            values = values.where(b.only(f))
        lo, hi, clo, chi = _limits(b, f, cfg["checks"]["sector_bands"][b.quantity])
        outside = ((values < lo) | (values > hi)).fillna(False)
        critical = ((values < clo) | (values > chi)).fillna(False)
        hit = outside & values.notna()
        rows = f[hit].assign(severity=np.where(critical[hit], "critical", "warning"))
        width = (hi - lo)[hit]
        dist = np.maximum(lo[hit] - values[hit], values[hit] - hi[hit])
        group = (f.loc[hit, b.group_by].astype(str) if b.group_by
                 else pd.Series("all", index=rows.index))
        flags = flag_rows(rows, b.parameter_code, values[hit], None, lo[hit], hi[hit],
                          score=1.0 + dist / width, evidence=f"{b.group_by or 'band'}=" + group)
        return pd.concat([flags, *(_named_too(x.monthly, flags, kind, code)
                                   for kind, code in b.also)])

    return run


for _b in BANDS:
    check(id=f"ranges.{_b.quantity}", family="ranges", severity="warning",
          subject="monthly_value", value_unit=_b.unit, sectors=(_b.sector,),
          title_zh=f"{_b.label_zh}超出合理范围", title_en=f"{_b.label_en.capitalize()} out of range",
          message_zh=f"{_b.label_zh} {{observed:.4g}} {_b.unit}，合理范围 "
                     f"{{expected_low:.4g}}–{{expected_high:.4g}}",
          message_en=f"{_b.label_en} {{observed:.4g}} {_b.unit}, typical "
                     f"{{expected_low:.4g}}–{{expected_high:.4g}}",
          needs=_b.needs, config_keys=(f"checks.sector_bands.{_b.quantity}",),
          rationale=f"{_b.label_en.capitalize()} outside what the process shows is an altered "
                    "or mis-entered value, or a process that ran unlike its peers; outside "
                    "the critical bound it is physically impossible.",
          rationale_zh=f"{_b.label_zh}超出该工艺的典型范围，可能是数值被改动、录入错误，或该月"
                       "运行明显异常；超出严重范围则在物理上不可能。",
          source=SOURCES[_b.sector])(
        _band_check(_b))
