"""The data contract of the 2025 sectors (steel, cement, aluminium): their facilities, the
monthly parameters they deposit, the lab samples they test, and which parameters each
kind of facility must file every month.

Sources: ``shared/domain/sectors-2025.md`` §2.4 (steel), §3.3 (cement), §4.3 (aluminium),
§1.4 (the common fuel block); the codes follow the notes' proposed contract.  The power
sector's own parameters stay in :mod:`workbench.schema`, and parameters both share
(``coal_consumption_t``, ``ncv_gj_per_t``, ``purchased_electricity_mwh``, ``co2_t``…) are
filed under the same codes.

A facility (``units`` row) of these sectors is one process of a steel works (焦化, 烧结,
球团, 炼铁, 转炉, 电炉, 石灰, 自备电厂), a clinker line (熟料生产线) or a potline (电解系列);
values the guidelines ask at the enterprise level (a steel works' crude steel output, the
carbon in its products; an aluminium smelter's carbonates) are filed on one facility of
the kind ``steel_enterprise`` / ``aluminium_enterprise`` (企业层级).

Canonical units: t, 万Nm3 (10⁴ Nm³, the unit these sectors file gases in), GJ/t,
GJ/万Nm3, tC/GJ, %, kWh/t, t/t, kg/t, tCO2/t, min/(cell·d), kA, V, d, t/d, MWh, GJ.
"""

from __future__ import annotations

from dataclasses import dataclass

Label = tuple[str, str]

#: Facilities of a steel works: the enterprise level and the processes (§2.1).
STEEL_FACILITIES: dict[str, Label] = {
    "steel_enterprise": ("钢铁企业层级", "Steel works (enterprise level)"),
    "coking": ("焦化工序", "Coking"),
    "sintering": ("烧结工序", "Sintering"),
    "pelletising": ("球团工序", "Pelletising"),
    "ironmaking": ("炼铁工序", "Ironmaking (blast furnace)"),
    "bof": ("转炉炼钢工序", "BOF steelmaking"),
    "eaf": ("电炉炼钢工序", "EAF steelmaking"),
    "lime": ("石灰工序", "Lime kilns"),
    "captive_power": ("掺烧副产煤气的自备电厂", "Captive power plant (by-product gases)"),
}
#: Facilities of a cement plant (§3.1).
CEMENT_FACILITIES: dict[str, Label] = {
    "clinker_line": ("熟料生产线", "Clinker line"),
}
#: Facilities of an aluminium smelter (§4.1).
ALUMINIUM_FACILITIES: dict[str, Label] = {
    "aluminium_enterprise": ("电解铝企业层级", "Aluminium smelter (enterprise level)"),
    "potline": ("电解系列", "Potline"),
}
#: Facility kinds of each sector.
FACILITIES: dict[str, dict[str, Label]] = {
    "steel": STEEL_FACILITIES, "cement": CEMENT_FACILITIES, "aluminium": ALUMINIUM_FACILITIES,
}
#: The sector of each facility kind of these sectors.
FACILITY_SECTOR: dict[str, str] = {code: sector for sector, kinds in FACILITIES.items()
                                   for code in kinds}

#: Clinker types of a line (the default EF depends on it, §3.2).
CLINKER_TYPES: dict[str, Label] = {
    "portland": ("硅酸盐水泥熟料", "Portland cement clinker"),
    "white_portland": ("白色硅酸盐水泥熟料", "White Portland cement clinker"),
    "sulphoaluminate": ("硫（铁）铝酸盐水泥熟料", "Sulpho(ferro)aluminate cement clinker"),
    "calcium_aluminate": ("铝酸盐水泥熟料", "Calcium aluminate cement clinker"),
}
#: Steel production routes of the intensity (§2.5).
STEEL_ROUTES: dict[str, Label] = {
    "bf_bof": ("高炉-转炉长流程", "BF-BOF (long process)"),
    "eaf": ("电炉短流程", "EAF (short process)"),
}

#: What a lab report tested: coal (the power sector's and a kiln's), clinker (CaO/MgO by
#: GB/T 176), carbon anodes (sulphur and ash) or another fuel (NCV and carbon).
SAMPLE_TYPES: dict[str, Label] = {
    "coal": ("煤样", "Coal"),
    "clinker": ("熟料", "Clinker"),
    "anode": ("炭阳极", "Carbon anode"),
    "fuel": ("其他燃料", "Other fuel"),
}


@dataclass(frozen=True)
class SectorParameter:
    """A monthly parameter of one of the 2025 sectors (see :class:`workbench.schema.Parameter`,
    which it becomes): code, canonical unit, zh/en names, sector, physical bounds, and the
    other Chinese names platform exports give it."""

    code: str
    unit: str
    label_zh: str
    label_en: str
    sector: str
    min_value: float | None = 0.0
    max_value: float | None = None
    aliases: tuple[str, ...] = ()


#: Fuels the three sectors file one by one (§1.4): code, zh, en, gas (filed in 万Nm3).
#: Coal burnt in a kiln and natural gas are filed under the power sector's codes
#: (``coal_consumption_t``, ``ncv_gj_per_t``…, ``gas_consumption_knm3``, ``ncv_gj_per_knm3``;
#: a volume filed in 万Nm3 is converted and the conversion recorded).
FUELS: tuple[tuple[str, str, str, bool], ...] = (
    ("anthracite", "无烟煤", "Anthracite", False),
    ("bituminous_coal", "烟煤", "Bituminous coal", False),
    ("cleaned_coal", "洗精煤", "Cleaned coal", False),
    ("coke", "焦炭", "Coke", False),
    ("fuel_oil", "燃料油", "Fuel oil", False),
    ("diesel", "柴油", "Diesel", False),
    ("cog", "焦炉煤气", "Coke-oven gas", True),
    ("bfg", "高炉煤气", "Blast-furnace gas", True),
    ("ldg", "转炉煤气", "Converter gas", True),
)
#: By-product gases of a steel works whose balance is filed (generated, exported, flared).
BY_PRODUCT_GASES = ("cog", "bfg", "ldg")


def _fuel_parameters() -> list[SectorParameter]:
    """Consumption, NCV and carbon content per unit heat of each fuel of :data:`FUELS`
    (the sectors' common fuel block; power files its coal and gas under its own codes)."""
    out = []
    for code, zh, en, gas in FUELS:
        volume, ncv_unit = ("1e4nm3", "GJ/万Nm3") if gas else ("t", "GJ/t")
        out += [
            SectorParameter(f"{code}_consumption_{volume}", "万Nm3" if gas else "t",
                            f"{zh}消耗量", f"{en} consumption", "all"),
            SectorParameter(f"{code}_ncv_gj_per_{volume}", ncv_unit, f"{zh}低位发热量",
                            f"{en} net calorific value", "all",
                            max_value=500.0 if gas else 50.0),
            SectorParameter(f"{code}_cc_tc_per_gj", "tC/GJ", f"{zh}单位热值含碳量",
                            f"{en} carbon content per unit heat", "all", max_value=0.1),
        ]
    return out


def _gas_balances() -> list[SectorParameter]:
    """Generated, exported and flared volumes of the by-product gases (§2.4)."""
    names = {code: (zh, en) for code, zh, en, _ in FUELS}
    out = []
    for gas in BY_PRODUCT_GASES:
        zh, en = names[gas]
        for what, wzh, wen in (("generated", "产生量", "generated"),
                               ("exported", "外供量", "exported"),
                               ("flared", "放散量", "flared")):
            out.append(SectorParameter(f"{gas}_{what}_1e4nm3", "万Nm3", f"{zh}{wzh}",
                                       f"{en} {wen}", "steel"))
    return out


_P = SectorParameter
#: The monthly parameters of the three sectors.
PARAMETERS: tuple[SectorParameter, ...] = (
    *_fuel_parameters(),
    # steel (§2.4)
    _P("crude_steel_output_t", "t", "粗钢产量", "Crude steel output", "steel"),
    _P("bof_steel_output_t", "t", "转炉钢产量", "BOF steel output", "steel"),
    _P("eaf_steel_output_t", "t", "电炉钢产量", "EAF steel output", "steel"),
    _P("hot_metal_output_t", "t", "铁水产量", "Hot metal output", "steel",
       aliases=("生铁产量",)),
    _P("sinter_output_t", "t", "烧结矿产量", "Sinter output", "steel"),
    _P("pellet_output_t", "t", "球团矿产量", "Pellet output", "steel"),
    _P("coke_output_t", "t", "焦炭产量", "Coke output", "steel"),
    _P("lime_output_t", "t", "石灰产量", "Lime output", "steel"),
    *_gas_balances(),
    _P("limestone_t", "t", "石灰石消耗量", "Limestone consumed", "all"),
    _P("dolomite_t", "t", "白云石消耗量", "Dolomite consumed", "steel"),
    _P("electrode_t", "t", "电极消耗量", "Electrodes consumed", "steel"),
    _P("purchased_pig_iron_t", "t", "外购生铁", "Purchased pig iron", "steel"),
    _P("dri_t", "t", "直接还原铁消耗量", "Direct reduced iron consumed", "steel"),
    _P("scrap_t", "t", "废钢消耗量", "Scrap consumed", "steel"),
    _P("crude_benzene_output_t", "t", "粗苯产量", "Crude benzene output", "steel"),
    _P("coal_tar_output_t", "t", "焦油产量", "Coal tar output", "steel"),
    _P("captive_pp_generation_mwh", "MWh", "自备电厂发电量", "Captive power generated",
       "steel"),
    _P("exported_electricity_mwh", "MWh", "输出电量", "Electricity exported", "all"),
    _P("purchased_heat_gj", "GJ", "购入热力", "Heat purchased", "all"),
    # cement (§3.3)
    _P("clinker_output_t", "t", "熟料产量", "Clinker output", "cement"),
    _P("clinker_opening_stock_t", "t", "熟料期初库存", "Clinker opening stock", "cement"),
    _P("clinker_closing_stock_t", "t", "熟料期末库存", "Clinker closing stock", "cement"),
    _P("clinker_purchased_t", "t", "外购熟料", "Clinker purchased", "cement"),
    _P("clinker_sold_t", "t", "外销熟料", "Clinker sold", "cement"),
    _P("raw_meal_feed_t", "t", "生料消耗量", "Raw meal fed to the kiln", "cement",
       aliases=("入窑生料量",)),
    _P("cement_output_t", "t", "水泥产量", "Cement output", "cement"),
    _P("cao_clinker_pct", "%", "熟料氧化钙含量", "CaO in clinker", "cement", max_value=100.0),
    _P("mgo_clinker_pct", "%", "熟料氧化镁含量", "MgO in clinker", "cement", max_value=100.0),
    _P("cao_nc_pct", "%", "非碳酸盐氧化钙含量", "Non-carbonate CaO", "cement", max_value=100.0),
    _P("mgo_nc_pct", "%", "非碳酸盐氧化镁含量", "Non-carbonate MgO", "cement", max_value=100.0),
    _P("ef_clinker_tco2_per_t", "tCO2/t", "熟料过程排放因子", "Clinker process emission factor",
       "cement", max_value=1.0),
    _P("carbide_slag_t", "t", "电石渣消耗量", "Carbide slag consumed", "cement"),
    _P("steel_slag_t", "t", "钢渣消耗量", "Steel slag consumed", "cement"),
    _P("alt_fuel_t", "t", "替代燃料消耗量", "Alternative fuel consumed", "cement"),
    _P("alt_fuel_ncv_gj_per_t", "GJ/t", "替代燃料低位发热量", "Alternative fuel NCV", "cement",
       max_value=50.0),
    _P("alt_fuel_cc_tc_per_gj", "tC/GJ", "替代燃料单位热值含碳量",
       "Alternative fuel carbon content per unit heat", "cement", max_value=0.1),
    _P("alt_fuel_biomass_pct", "%", "替代燃料生物质含量", "Biomass share of alternative fuel",
       "cement", max_value=100.0),
    _P("kiln_operating_days", "d", "窑运转天数", "Kiln operating days", "cement",
       max_value=31.0),
    _P("clinker_electricity_kwh_per_t", "kWh/t", "熟料综合电耗",
       "Electricity per t clinker", "cement", max_value=1000.0),
    _P("whr_generation_mwh", "MWh", "余热发电量", "Waste-heat power generated", "cement"),
    # aluminium (§4.3)
    _P("liquid_al_output_t", "t", "铝液产量", "Liquid aluminium output", "aluminium"),
    _P("al_ingot_output_t", "t", "铝锭产量", "Aluminium ingot output", "aluminium"),
    _P("anode_gross_consumption_t", "t", "炭阳极消耗量", "Anodes consumed (gross)", "aluminium"),
    _P("anode_butts_returned_t", "t", "残极返回量", "Anode butts returned", "aluminium"),
    _P("anode_net_consumption_t_per_t", "t/t", "吨铝炭阳极净耗",
       "Net anode consumption per t aluminium", "aluminium", max_value=2.0),
    _P("anode_sulfur_pct", "%", "炭阳极含硫量", "Anode sulphur", "aluminium", max_value=100.0),
    _P("anode_ash_pct", "%", "炭阳极灰分", "Anode ash", "aluminium", max_value=100.0),
    _P("aem_min_per_cell_day", "min/(cell·d)", "平均每天每槽阳极效应持续时间",
       "Anode-effect minutes per cell-day", "aluminium", max_value=1440.0),
    _P("cells_in_operation", "1", "运行槽数", "Cells in operation", "aluminium",
       max_value=2000.0),
    _P("line_current_ka", "kA", "系列电流", "Line current", "aluminium", max_value=1000.0),
    _P("avg_cell_voltage_v", "V", "平均槽电压", "Average cell voltage", "aluminium",
       max_value=10.0),
    _P("current_efficiency_pct", "%", "电流效率", "Current efficiency", "aluminium",
       max_value=100.0),
    _P("ef_cf4_kg_per_t", "kg/t", "CF4排放因子", "CF4 emission factor", "aluminium",
       max_value=10.0),
    _P("ef_c2f6_kg_per_t", "kg/t", "C2F6排放因子", "C2F6 emission factor", "aluminium",
       max_value=10.0),
    _P("electrolysis_ac_electricity_mwh", "MWh", "铝电解交流电耗", "Electrolysis AC electricity",
       "aluminium"),
    _P("alumina_consumption_t", "t", "氧化铝消耗量", "Alumina consumed", "aluminium"),
    _P("alf3_consumption_t", "t", "氟化铝消耗量", "Aluminium fluoride consumed", "aluminium"),
    _P("pfc_co2e_t", "t", "全氟化碳排放量（二氧化碳当量，填报）",
       "PFC emissions (CO2e, as reported)", "aluminium"),
)

#: What each facility kind must file every month (a missing one is a missing deposit).
REQUIRED: dict[str, tuple[str, ...]] = {
    "steel_enterprise": ("crude_steel_output_t", "purchased_electricity_mwh", "co2_t"),
    "coking": ("coke_output_t", "cog_generated_1e4nm3", "co2_t"),
    "sintering": ("sinter_output_t", "co2_t"),
    "pelletising": ("pellet_output_t", "co2_t"),
    "ironmaking": ("hot_metal_output_t", "bfg_generated_1e4nm3", "co2_t"),
    "bof": ("bof_steel_output_t", "ldg_generated_1e4nm3", "co2_t"),
    "eaf": ("eaf_steel_output_t", "electrode_t", "co2_t"),
    "lime": ("lime_output_t", "co2_t"),
    "captive_power": ("captive_pp_generation_mwh", "co2_t"),
    "clinker_line": ("clinker_output_t", "clinker_opening_stock_t", "clinker_closing_stock_t",
                     "coal_consumption_t", "ncv_gj_per_t", "cc_tc_per_gj", "oxidation_rate",
                     "ef_clinker_tco2_per_t", "kiln_operating_days", "co2_t"),
    "aluminium_enterprise": ("al_ingot_output_t", "co2_t"),
    "potline": ("liquid_al_output_t", "anode_net_consumption_t_per_t", "anode_sulfur_pct",
                "anode_ash_pct", "aem_min_per_cell_day", "cells_in_operation",
                "line_current_ka", "current_efficiency_pct",
                "electrolysis_ac_electricity_mwh", "co2_t", "pfc_co2e_t"),
}

_GROSS: Label = ("该工序燃用的燃料、煤气及所用原料的毛排放量（未扣除二次能源转移，不计入企业合计）",
                 "the process's gross CO2 of the fuels, gases and materials it uses (before "
                 "netting secondary energy; not added to the enterprise total)")
#: What ``co2_t`` holds on each facility kind of these sectors (§2.2, §3.2, §4.2): the
#: reading the identity checks recompute, and why an enterprise's total adds some kinds only
#: (:func:`workbench.sector_metrics.counted_co2_t`).
CO2_MEANING: dict[str, Label] = {
    "steel_enterprise": (
        "企业层级排放量 E_ent = 化石燃料燃烧 + 过程排放 − 固碳产品（不乘碳氧化率；"
        "企业层级填报的外供副产煤气按其含碳量扣减）",
        "E_ent = fuels + process materials − carbon fixed in products (no oxidation factor; "
        "by-product gas exported as filed on the enterprise level deducted by its carbon)"),
    **{kind: _GROSS for kind in STEEL_FACILITIES if kind != "steel_enterprise"},
    "clinker_line": (
        "燃料燃烧排放 + 熟料产量 × 熟料排放因子 − 替代原料扣减（实测排放因子已扣除"
        "非碳酸盐 CaO/MgO 时不再扣减）",
        "fuel CO2 + clinker × EF − substitute deductions (none where a measured EF already "
        "nets non-carbonate CaO/MgO out)"),
    "aluminium_enterprise": (
        "企业层级排放量（CO2e）= 化石燃料 + 碳酸盐 + 各电解系列的阳极排放与全氟化碳",
        "E_ent in CO2e = fuels + carbonates + the potlines' anode CO2 and PFC"),
    "potline": ("阳极消耗排放（全氟化碳另填 pfc_co2e_t）", "anode CO2 (its PFC in pfc_co2e_t)"),
}
