"""The data contract: tables, columns, dtypes, canonical units and parameter codes.

Everything that crosses a module boundary is described here, once.  Column names
carry their unit as a suffix (``generation_mwh``, ``ncv_gj_per_t``, ``co2_t``),
booleans start with ``is_``, codes end in ``_code``, dates in ``_date`` and
timestamps in ``_at`` (see ``docs/data-format.md``, which documents this module).

Chinese platform exports name columns differently; :data:`HEADER_ALIASES` maps
the headers we know to canonical columns, and where the header implies a
non-canonical unit (``装机容量(万千瓦)``) the alias carries that unit so the
importer converts it explicitly and records the conversion.  Exports also write
codes as Chinese labels (``符合`` for ``pass``); :data:`CODE_LABELS` declares,
per code column, the labels accepted for each code (:func:`code_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench import sector_contract

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = "1.0"

#: Value kinds used by the validator.  ``str`` columns are free text unless the
#: column lists ``codes``; ``period`` is ``YYYY-MM``; ``date`` is ISO ``YYYY-MM-DD``;
#: ``timestamp`` is ISO 8601 (naive timestamps are China Standard Time).
KINDS = ("str", "float", "int", "bool", "period", "date", "timestamp")

#: pandas dtype used in the canonical dataset for each kind.
PANDAS_DTYPES = {
    "str": "string",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
    "period": "string",
    "date": "datetime64[ms]",
    "timestamp": "datetime64[ms]",
}


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Attributes:
        name: canonical name (unit suffix included).
        kind: one of :data:`KINDS`.
        label_zh / label_en: what the user reads.
        unit: canonical unit of a numeric column (``None`` for dimensionless text).
        nullable: whether an empty cell is acceptable.
        codes: allowed values of a code column (``None`` = free).
        min_value / max_value: physically impossible beyond these (import rejects).
        required_when: (column, codes) under which a nullable column must be filled.
    """

    name: str
    kind: str
    label_zh: str
    label_en: str
    unit: str | None = None
    nullable: bool = False
    codes: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    #: (column, codes): an empty cell is refused where that column of the row holds one of
    #: the codes (a power unit's capacity, a clinker line's clinker type…).
    required_when: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns and the columns that identify a row."""

    name: str
    label_zh: str
    label_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: references: column -> (table, column) that must exist (dangling references are rejected)
    references: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        """Canonical column names in contract order."""
        return [c.name for c in self.columns]

    def frame_of(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame``'s contract columns in contract order, a nullable column it does not
        have added empty (a power-only source has no clinker type); KeyError for a missing
        column that may not be empty."""
        import pandas as pd

        absent = [c for c in self.columns if c.name not in frame.columns]
        required = [c.name for c in absent if not c.nullable]
        if required:
            raise KeyError(f"{self.name}: no column {', '.join(required)}")
        empty = {c.name: pd.Series(index=frame.index, dtype=PANDAS_DTYPES[c.kind])
                 for c in absent}
        return frame.assign(**empty)[self.column_names]

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError if it is not in the table)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class Parameter:
    """A monthly parameter code (月度存证 item) with its canonical unit.

    ``min_value``/``max_value`` bound physically impossible values (rejected on
    import); plausibility bands for screening live in the config file instead.
    """

    code: str
    unit: str
    label_zh: str
    label_en: str
    sector: str = "power"
    min_value: float | None = 0.0
    max_value: float | None = None


INDUSTRY_CODES = ("power", "steel", "cement", "aluminium")
#: Power generating units (机组) by allocation-plan category.
POWER_UNIT_CATEGORIES = ("coal_gt300", "coal_le300", "coal_unconventional", "gas")
#: Every facility kind: power units, then the processes, lines and potlines of the 2025
#: sectors (:mod:`workbench.sector_contract`).
UNIT_CATEGORY_CODES = (*POWER_UNIT_CATEGORIES, *sector_contract.FACILITY_SECTOR)
FUEL_CODES = ("coal", "gangue_coal", "natural_gas")
COOLING_CODES = ("water", "air")
CLINKER_TYPE_CODES = tuple(sector_contract.CLINKER_TYPES)
SAMPLE_TYPE_CODES = tuple(sector_contract.SAMPLE_TYPES)
SOURCE_CODES = ("measured", "default", "calculated", "estimated")
EVENT_CODES = ("submitted", "returned", "approved")
LEVEL_CODES = ("city", "province", "national")
VERIFICATION_CONCLUSIONS = ("pass", "pass_with_corrections", "fail")

PARAMETERS: dict[str, Parameter] = {
    p.code: p
    for p in (
        Parameter("coal_consumption_t", "t", "燃煤消耗量", "Coal consumption"),
        Parameter("gas_consumption_knm3", "knm3", "天然气消耗量", "Natural gas consumption"),
        Parameter("ncv_gj_per_t", "GJ/t", "收到基低位发热量", "Net calorific value (as received)",
                  min_value=0.0, max_value=40.0),
        Parameter("ncv_gj_per_knm3", "GJ/knm3", "天然气低位发热量", "Natural gas NCV",
                  min_value=0.0, max_value=60.0),
        Parameter("carbon_ar_pct", "%", "收到基元素碳含量", "Carbon content (as received)",
                  min_value=0.0, max_value=100.0),
        Parameter("cc_tc_per_gj", "tC/GJ", "单位热值含碳量", "Carbon content per unit heat",
                  min_value=0.0, max_value=0.1),
        Parameter("oxidation_rate", "1", "碳氧化率", "Oxidation rate",
                  min_value=0.0, max_value=1.0),
        Parameter("generation_mwh", "MWh", "发电量", "Electricity generated"),
        Parameter("own_use_mwh", "MWh", "厂用电量", "Plant own use"),
        Parameter("supply_mwh", "MWh", "供电量", "Electricity supplied"),
        Parameter("heat_supply_gj", "GJ", "供热量", "Heat supplied"),
        Parameter("operating_hours_h", "h", "运行小时数", "Operating hours", max_value=744.0),
        Parameter("load_factor", "1", "负荷（出力）系数", "Load (output) factor",
                  min_value=0.0, max_value=1.0),
        Parameter("purchased_electricity_mwh", "MWh", "购入电量", "Purchased electricity"),
        Parameter("co2_t", "t", "二氧化碳排放量（填报）", "CO2 emissions (as reported)",
                  sector="all"),
        *(Parameter(p.code, p.unit, p.label_zh, p.label_en, p.sector, p.min_value, p.max_value)
          for p in sector_contract.PARAMETERS),
    )
}

#: Parameters every coal unit must file each month; gas units file the gas equivalents.
REQUIRED_PARAMETERS = {
    "coal": ("coal_consumption_t", "ncv_gj_per_t", "carbon_ar_pct", "cc_tc_per_gj",
             "oxidation_rate", "generation_mwh", "own_use_mwh", "supply_mwh", "heat_supply_gj",
             "operating_hours_h", "load_factor", "purchased_electricity_mwh", "co2_t"),
    "natural_gas": ("gas_consumption_knm3", "ncv_gj_per_knm3", "cc_tc_per_gj", "oxidation_rate",
                    "generation_mwh", "own_use_mwh", "supply_mwh", "heat_supply_gj",
                    "operating_hours_h", "load_factor", "purchased_electricity_mwh", "co2_t"),
}
REQUIRED_PARAMETERS["gangue_coal"] = REQUIRED_PARAMETERS["coal"]
#: Parameters each facility kind of the 2025 sectors must file each month.
REQUIRED_BY_FACILITY: dict[str, tuple[str, ...]] = sector_contract.REQUIRED

#: Daily parameters (以日保月): they must add up to the monthly value.
DAILY_PARAMETER_CODES = ("coal_consumption_t", "gas_consumption_knm3", "generation_mwh",
                         "supply_mwh")


def _c(name: str, kind: str, zh: str, en: str, **kw) -> Column:
    return Column(name, kind, zh, en, **kw)


#: A column of power units only: empty for the facilities of the other sectors.
_POWER_ONLY = {"nullable": True, "required_when": ("unit_category_code", POWER_UNIT_CATEGORIES)}
#: A column of the lab reports of coal samples (the coal analysis of GB/T 212/213/476).
_COAL_SAMPLE = {"nullable": True, "required_when": ("sample_type_code", ("coal",))}


ENTERPRISES = Table(
    "enterprises", "重点排放单位", "Enterprises",
    (
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("enterprise_name", "str", "企业名称", "Enterprise name"),
        _c("province", "str", "省份", "Province"),
        _c("city", "str", "地市", "City"),
        _c("industry_code", "str", "行业", "Industry", codes=INDUSTRY_CODES),
        _c("verifier_name", "str", "核查机构", "Verification agency", nullable=True),
    ),
    key=("enterprise_id",),
)

UNITS = Table(
    "units", "排放设施（机组）", "Units (facilities)",
    (
        _c("unit_id", "str", "机组编号", "Unit ID"),
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("unit_category_code", "str", "机组类别", "Unit category", codes=UNIT_CATEGORY_CODES),
        _c("capacity_mw", "float", "装机容量", "Capacity", unit="MW", min_value=0.0,
           max_value=2000.0, **_POWER_ONLY),
        _c("fuel_code", "str", "燃料类型", "Fuel", codes=FUEL_CODES, **_POWER_ONLY),
        _c("is_chp", "bool", "是否热电联产", "Combined heat and power", **_POWER_ONLY),
        _c("cooling_code", "str", "冷却方式", "Cooling", codes=COOLING_CODES, **_POWER_ONLY),
        _c("commissioning_year", "int", "投产年份", "Commissioning year", nullable=True,
           min_value=1950, max_value=2030),
        _c("clinker_type_code", "str", "熟料类别", "Clinker type", codes=CLINKER_TYPE_CODES,
           nullable=True, required_when=("unit_category_code", ("clinker_line",))),
        _c("rated_capacity_t_per_d", "float", "额定产能", "Rated capacity", unit="t/d",
           nullable=True, min_value=0.0, max_value=20000.0,
           required_when=("unit_category_code", ("clinker_line",))),
        _c("design_capacity_kt", "float", "设计年产能", "Design capacity per year", unit="kt",
           nullable=True, min_value=0.0, max_value=50000.0),
        _c("cells", "int", "电解槽数", "Cells", nullable=True, min_value=1, max_value=2000,
           required_when=("unit_category_code", ("potline",))),
        _c("line_current_ka", "float", "系列电流", "Line current", unit="kA", nullable=True,
           min_value=0.0, max_value=1000.0, required_when=("unit_category_code", ("potline",))),
    ),
    key=("unit_id",),
    references={"enterprise_id": ("enterprises", "enterprise_id")},
)

MONTHLY_PARAMETERS = Table(
    "monthly_parameters", "月度存证参数", "Monthly evidence parameters",
    (
        _c("unit_id", "str", "机组编号", "Unit ID"),
        _c("period", "period", "月份", "Period (YYYY-MM)"),
        _c("parameter_code", "str", "参数", "Parameter", codes=tuple(PARAMETERS)),
        _c("value", "float", "数值", "Value"),
        _c("unit", "str", "计量单位", "Unit of measure"),
        _c("source_code", "str", "数据来源", "Source", codes=SOURCE_CODES),
        _c("report_id", "str", "检测报告编号", "Lab report ID", nullable=True),
        _c("submitted_at", "timestamp", "存证时间", "Deposited at"),
        _c("revision", "int", "修订版本", "Revision", min_value=0, max_value=999),
        _c("original_value", "float", "原始数值", "Value as filed", nullable=True),
        _c("original_unit", "str", "原始单位", "Unit as filed", nullable=True),
    ),
    key=("unit_id", "period", "parameter_code", "revision"),
    references={"unit_id": ("units", "unit_id")},
)

DAILY_PARAMETERS = Table(
    "daily_parameters", "日数据", "Daily parameters",
    (
        _c("unit_id", "str", "机组编号", "Unit ID"),
        _c("date", "date", "日期", "Date"),
        _c("parameter_code", "str", "参数", "Parameter", codes=DAILY_PARAMETER_CODES),
        _c("value", "float", "数值", "Value", min_value=0.0),
    ),
    key=("unit_id", "date", "parameter_code"),
    references={"unit_id": ("units", "unit_id")},
)

LAB_REPORTS = Table(
    "lab_reports", "检测报告", "Lab reports",
    (
        _c("report_id", "str", "报告编号", "Report ID"),
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("unit_id", "str", "机组编号", "Unit ID", nullable=True),
        _c("lab_name", "str", "检测机构", "Laboratory"),
        _c("lab_accreditation_no", "str", "CMA/CNAS资质编号", "CMA/CNAS accreditation no.",
           nullable=True),
        _c("sample_id", "str", "样品编号", "Sample ID"),
        _c("covered_period", "period", "所属月份", "Covered period (YYYY-MM)"),
        _c("sampling_start_date", "date", "采样开始日期", "Sampling start"),
        _c("sampling_end_date", "date", "采样结束日期", "Sampling end"),
        _c("received_date", "date", "收样日期", "Sample received"),
        _c("test_date", "date", "检测日期", "Test date"),
        _c("report_date", "date", "报告日期", "Report date"),
        _c("sample_type_code", "str", "样品类别", "Sample type", codes=SAMPLE_TYPE_CODES),
        _c("carbon_ad_pct", "float", "空气干燥基元素碳含量", "Carbon (air-dried)", unit="%",
           min_value=0.0, max_value=100.0, **_COAL_SAMPLE),
        _c("total_moisture_pct", "float", "全水分", "Total moisture (as received)", unit="%",
           min_value=0.0, max_value=100.0, **_COAL_SAMPLE),
        _c("moisture_ad_pct", "float", "空气干燥基水分", "Moisture (air-dried)", unit="%",
           min_value=0.0, max_value=100.0, **_COAL_SAMPLE),
        _c("hydrogen_ad_pct", "float", "空气干燥基氢含量", "Hydrogen (air-dried)", unit="%",
           min_value=0.0, max_value=100.0, **_COAL_SAMPLE),
        _c("sulfur_total_pct", "float", "全硫", "Total sulphur", unit="%", min_value=0.0,
           max_value=100.0, nullable=True,
           required_when=("sample_type_code", ("coal", "anode"))),
        _c("gross_cv_ad_mj_per_kg", "float", "空气干燥基高位发热量", "Gross CV (air-dried)",
           unit="MJ/kg", min_value=0.0, max_value=40.0, **_COAL_SAMPLE),
        _c("ncv_ar_gj_per_t", "float", "收到基低位发热量", "NCV (as received)", unit="GJ/t",
           min_value=0.0, max_value=50.0, nullable=True,
           required_when=("sample_type_code", ("coal", "fuel"))),
        _c("carbon_ar_pct", "float", "收到基元素碳含量", "Carbon (as received)", unit="%",
           min_value=0.0, max_value=100.0, nullable=True,
           required_when=("sample_type_code", ("coal", "fuel"))),
        _c("cao_pct", "float", "氧化钙含量", "CaO", unit="%", min_value=0.0, max_value=100.0,
           nullable=True, required_when=("sample_type_code", ("clinker",))),
        _c("mgo_pct", "float", "氧化镁含量", "MgO", unit="%", min_value=0.0, max_value=100.0,
           nullable=True, required_when=("sample_type_code", ("clinker",))),
        _c("ash_pct", "float", "灰分", "Ash", unit="%", min_value=0.0, max_value=100.0,
           nullable=True, required_when=("sample_type_code", ("anode",))),
    ),
    key=("report_id",),
    references={"enterprise_id": ("enterprises", "enterprise_id"),
                "unit_id": ("units", "unit_id")},
)

REVIEW_EVENTS = Table(
    "review_events", "审核记录", "Review events",
    (
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("period", "period", "月份", "Period (YYYY-MM)"),
        _c("event_code", "str", "事件", "Event", codes=EVENT_CODES),
        _c("event_at", "timestamp", "时间", "Time"),
        _c("level_code", "str", "审核层级", "Review level", codes=LEVEL_CODES),
        _c("actor", "str", "操作人", "Actor"),
        _c("note", "str", "备注", "Note", nullable=True),
    ),
    key=("enterprise_id", "period", "event_code", "event_at"),
    references={"enterprise_id": ("enterprises", "enterprise_id")},
)

ANNUAL_REPORTS = Table(
    "annual_reports", "年度排放报告", "Annual emission reports",
    (
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("year", "int", "年度", "Year", min_value=2013, max_value=2100),
        _c("reported_co2_t", "float", "报告排放量", "Reported CO2", unit="t", min_value=0.0),
        _c("verified_co2_t", "float", "核查排放量", "Verified CO2", unit="t", nullable=True,
           min_value=0.0),
        _c("verifier_name", "str", "核查机构", "Verification agency", nullable=True),
        _c("verification_conclusion", "str", "核查结论", "Verification conclusion",
           nullable=True, codes=VERIFICATION_CONCLUSIONS),
        _c("allowance_allocated_t", "float", "分配配额", "Allowances allocated", unit="t",
           nullable=True, min_value=0.0),
        _c("allowance_surrendered_t", "float", "清缴配额", "Allowances surrendered", unit="t",
           nullable=True, min_value=0.0),
        _c("surrendered_date", "date", "清缴日期", "Surrender date", nullable=True),
    ),
    key=("enterprise_id", "year"),
    references={"enterprise_id": ("enterprises", "enterprise_id")},
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (ENTERPRISES, UNITS, MONTHLY_PARAMETERS, DAILY_PARAMETERS, LAB_REPORTS,
              REVIEW_EVENTS, ANNUAL_REPORTS)
}

#: Required columns a file (or a dataset written before the column existed) may leave
#: out, with the value they then take.
INPUT_DEFAULTS: dict[tuple[str, str], str] = {
    ("monthly_parameters", "revision"): "0",
    # exports (and datasets) of the power sector's time carry coal reports only
    ("lab_reports", "sample_type_code"): "coal",
}

#: Order in which tables must be imported so references resolve.
IMPORT_ORDER = ("enterprises", "units", "lab_reports", "monthly_parameters", "daily_parameters",
                "review_events", "annual_reports")

#: Chinese (and common English) names of table files/sheets -> canonical table name.
TABLE_ALIASES: dict[str, str] = {
    "重点排放单位": "enterprises", "企业": "enterprises", "企业信息": "enterprises",
    "机组": "units", "机组信息": "units", "排放设施": "units",
    "月度存证": "monthly_parameters", "月度参数": "monthly_parameters",
    "日数据": "daily_parameters", "日参数": "daily_parameters",
    "检测报告": "lab_reports", "煤质检测报告": "lab_reports",
    "审核记录": "review_events", "审核流程": "review_events",
    "年度报告": "annual_reports", "年度排放报告": "annual_reports",
}


@dataclass(frozen=True)
class HeaderAlias:
    """A header as it appears in a platform export.

    ``unit`` is the unit the header implies when it differs from the canonical
    column's unit (the importer converts and records the conversion).
    """

    header: str
    column: str
    unit: str | None = None


def _aliases() -> dict[str, list[HeaderAlias]]:
    """Per-table header aliases.  Each column's own zh label is always an alias."""
    extra: dict[str, list[HeaderAlias]] = {
        "enterprises": [
            HeaderAlias("单位名称", "enterprise_name"), HeaderAlias("信用代码", "enterprise_id"),
            HeaderAlias("所在省份", "province"), HeaderAlias("省", "province"),
            HeaderAlias("所在地市", "city"), HeaderAlias("市", "city"),
            HeaderAlias("所属行业", "industry_code"),
        ],
        "units": [
            HeaderAlias("装机容量(MW)", "capacity_mw"),
            HeaderAlias("装机容量（MW）", "capacity_mw"),
            HeaderAlias("装机容量(万千瓦)", "capacity_mw", "万千瓦"),
            HeaderAlias("装机容量（万千瓦）", "capacity_mw", "万千瓦"),
            HeaderAlias("机组类型", "unit_category_code"),
        ],
        "monthly_parameters": [
            HeaderAlias("设施编号", "unit_id"), HeaderAlias("年月", "period"),
            HeaderAlias("统计月份", "period"), HeaderAlias("参数代码", "parameter_code"),
            HeaderAlias("参数名称", "parameter_code"), HeaderAlias("值", "value"),
            HeaderAlias("单位", "unit"), HeaderAlias("数据类型", "source_code"),
            HeaderAlias("报告编号", "report_id"), HeaderAlias("提交时间", "submitted_at"),
            HeaderAlias("填报时间", "submitted_at"), HeaderAlias("版本", "revision"),
        ],
        "daily_parameters": [
            HeaderAlias("设施编号", "unit_id"), HeaderAlias("参数代码", "parameter_code"),
            HeaderAlias("参数名称", "parameter_code"), HeaderAlias("值", "value"),
        ],
        "lab_reports": [
            HeaderAlias("检测单位", "lab_name"), HeaderAlias("实验室", "lab_name"),
            HeaderAlias("资质编号", "lab_accreditation_no"), HeaderAlias("月份", "covered_period"),
            HeaderAlias("送样日期", "received_date"), HeaderAlias("化验日期", "test_date"),
            HeaderAlias("出具报告日期", "report_date"),
            HeaderAlias("收到基低位发热量(kcal/kg)", "ncv_ar_gj_per_t", "kcal/kg"),
            HeaderAlias("收到基低位发热量（kcal/kg）", "ncv_ar_gj_per_t", "kcal/kg"),
            HeaderAlias("收到基低位发热量(MJ/kg)", "ncv_ar_gj_per_t", "MJ/kg"),
            HeaderAlias("空气干燥基高位发热量(kcal/kg)", "gross_cv_ad_mj_per_kg", "kcal/kg"),
            HeaderAlias("Mt", "total_moisture_pct"), HeaderAlias("Mad", "moisture_ad_pct"),
            HeaderAlias("Cad", "carbon_ad_pct"), HeaderAlias("Car", "carbon_ar_pct"),
            HeaderAlias("Had", "hydrogen_ad_pct"), HeaderAlias("St,d", "sulfur_total_pct"),
            HeaderAlias("Qgr,ad", "gross_cv_ad_mj_per_kg"),
            HeaderAlias("Qnet,ar", "ncv_ar_gj_per_t"),
        ],
        "review_events": [HeaderAlias("审核结果", "event_code"), HeaderAlias("层级", "level_code")],
        "annual_reports": [
            HeaderAlias("报告排放量(万吨)", "reported_co2_t", "万吨"),
            HeaderAlias("报告排放量（万吨）", "reported_co2_t", "万吨"),
            HeaderAlias("核查排放量(万吨)", "verified_co2_t", "万吨"),
            HeaderAlias("核查排放量（万吨）", "verified_co2_t", "万吨"),
        ],
    }
    out: dict[str, list[HeaderAlias]] = {}
    for name, table in TABLES.items():
        own = [HeaderAlias(c.label_zh, c.name) for c in table.columns]
        own += [HeaderAlias(c.label_en, c.name) for c in table.columns]
        out[name] = own + extra.get(name, [])
    return out


HEADER_ALIASES: dict[str, list[HeaderAlias]] = _aliases()

#: Chinese (and English) parameter names accepted in the ``parameter_code`` column.
PARAMETER_ALIASES: dict[str, str] = {
    **{p.label_zh: p.code for p in PARAMETERS.values()},
    **{p.label_en: p.code for p in PARAMETERS.values()},
    "燃煤量": "coal_consumption_t", "低位发热量": "ncv_gj_per_t", "元素碳含量": "carbon_ar_pct",
    "负荷系数": "load_factor", "出力系数": "load_factor", "排放量": "co2_t",
    **{alias: p.code for p in sector_contract.PARAMETERS for alias in p.aliases},
}

#: Canonical values of a ``bool`` column as its labels name them (stored as True/False).
BOOLEAN_CODES = ("true", "false")

#: Yes/no labels of a ``bool`` column.
BOOLEAN_LABELS: dict[str, tuple[str, ...]] = {
    "true": ("是", "有", "Y", "yes", "T", "1"),
    "false": ("否", "无", "N", "no", "F", "0"),
}


def _parameter_labels() -> dict[str, tuple[str, ...]]:
    """:data:`PARAMETER_ALIASES` grouped by parameter code."""
    out: dict[str, tuple[str, ...]] = {code: () for code in PARAMETERS}
    for label, code in PARAMETER_ALIASES.items():
        out[code] += (label,)
    return out


#: Labels platform exports write instead of the code, per code (and yes/no) column:
#: column name -> {code: labels}, the platform's own word first.  A label is accepted only
#: in the column that declares it ("通过" is an approved review event, not a verification
#: conclusion) and only for the codes that column's table allows (the daily
#: ``parameter_code`` takes the names of daily parameters only).  Cells are matched
#: ignoring case, whitespace and full-/half-width forms (NFKC), and the code itself is
#: always accepted.  Sources: unit categories from the national allocation plans; 实测值 /
#: 缺省值 / 计算值 / 估算值 from the platform's parameter sheets; 推荐值 (a guideline's
#: recommended default) counts as default.
CODE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "industry_code": {
        "power": ("发电", "电力", "发电行业", "电力行业"),
        "steel": ("钢铁", "钢铁行业"),
        "cement": ("水泥", "水泥行业", "水泥熟料", "水泥熟料生产"),
        "aluminium": ("电解铝", "铝冶炼", "铝冶炼行业", "电解铝行业", "aluminum"),
    },
    "unit_category_code": {
        "coal_gt300": ("300MW等级以上常规燃煤机组", "300MW以上常规燃煤机组",
                       "30万千瓦等级以上常规燃煤机组"),
        "coal_le300": ("300MW等级及以下常规燃煤机组", "300MW及以下常规燃煤机组",
                       "30万千瓦等级及以下常规燃煤机组"),
        "coal_unconventional": ("燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）",
                                "燃煤矸石、煤泥、水煤浆等非常规燃煤机组",
                                "非常规燃煤机组（含燃煤循环流化床机组）", "非常规燃煤机组"),
        "gas": ("燃气机组", "燃气发电机组"),
        **{code: (zh,) for kinds in sector_contract.FACILITIES.values()
           for code, (zh, _en) in kinds.items()},
    },
    "clinker_type_code": {code: (zh,) for code, (zh, _en) in
                          sector_contract.CLINKER_TYPES.items()},
    "sample_type_code": {"coal": ("煤样", "煤质", "燃煤"), "clinker": ("熟料", "熟料样"),
                         "anode": ("炭阳极", "阳极", "预焙阳极"), "fuel": ("其他燃料", "燃料")},
    "fuel_code": {
        "coal": ("燃煤", "煤", "烟煤", "无烟煤", "褐煤", "煤炭", "原煤"),
        "gangue_coal": ("煤矸石", "矸石"),
        "natural_gas": ("天然气", "燃气", "液化天然气"),
    },
    "is_chp": BOOLEAN_LABELS,
    "cooling_code": {
        "water": ("水冷", "湿冷"),
        "air": ("空冷", "干冷", "直接空冷", "间接空冷"),
    },
    "parameter_code": _parameter_labels(),
    "source_code": {
        "measured": ("实测值", "实测", "检测值", "实测数据"),
        "default": ("缺省值", "缺省", "默认值", "推荐值"),
        "calculated": ("计算值", "计算", "核算值"),
        "estimated": ("估算值", "估算", "估计值"),
    },
    "event_code": {
        "submitted": ("提交", "已提交", "报送", "存证"),
        "returned": ("退回", "驳回", "退回修改"),
        "approved": ("通过", "审核通过", "已通过", "确认"),
    },
    "level_code": {
        "city": ("市级", "地市", "地市级", "市"),
        "province": ("省级", "省"),
        "national": ("国家", "国家级", "生态环境部"),
    },
    "verification_conclusion": {
        "pass": ("符合", "通过", "合格", "核查通过", "符合要求"),
        "pass_with_corrections": ("基本符合", "基本合格", "整改后符合", "经整改符合",
                                  "有条件通过"),
        "fail": ("不符合", "不合格", "不通过", "未通过", "核查不通过"),
    },
}


#: English display names of codes (the Chinese display name is the first label above).
CODE_NAMES_EN: dict[str, dict[str, str]] = {
    "industry_code": {"power": "Power", "steel": "Steel", "cement": "Cement",
                      "aluminium": "Aluminium"},
    "unit_category_code": {"coal_gt300": "Conventional coal, above 300 MW",
                           "coal_le300": "Conventional coal, 300 MW and below",
                           "coal_unconventional": "Unconventional coal (gangue, slurry, CFB)",
                           "gas": "Gas-fired",
                           **{code: en for kinds in sector_contract.FACILITIES.values()
                              for code, (_zh, en) in kinds.items()}},
    "clinker_type_code": {code: en for code, (_zh, en) in sector_contract.CLINKER_TYPES.items()},
    "sample_type_code": {code: en for code, (_zh, en) in sector_contract.SAMPLE_TYPES.items()},
    "fuel_code": {"coal": "Coal", "gangue_coal": "Coal gangue", "natural_gas": "Natural gas"},
    "cooling_code": {"water": "Water-cooled", "air": "Air-cooled"},
    "source_code": {"measured": "Measured", "default": "Default", "calculated": "Calculated",
                    "estimated": "Estimated"},
}


def code_name(column: str, code: str, locale: str) -> str:
    """How ``code`` of ``column`` reads in ``locale`` ("zh-CN": its first Chinese label;
    "en": :data:`CODE_NAMES_EN`); the code itself when it has no name."""
    if locale == "zh-CN":
        labels = CODE_LABELS.get(column, {}).get(code)
        return labels[0] if labels else code
    return CODE_NAMES_EN.get(column, {}).get(code, code)


def code_labels(column: Column) -> dict[str, tuple[str, ...]]:
    """Every value a code or yes/no ``column`` allows, with the labels accepted for it.

    Codes come in contract order (``true``/``false`` for a ``bool`` column); a column of
    free text has none.
    """
    codes = BOOLEAN_CODES if column.kind == "bool" else column.codes or ()
    labels = CODE_LABELS.get(column.name, {})
    return {code: labels.get(code, ()) for code in codes}


def hours_in_period(period: str) -> int:
    """Hours in a ``YYYY-MM`` month (h): the upper bound of operating hours."""
    import calendar

    year, month = int(period[:4]), int(period[5:7])
    return calendar.monthrange(year, month)[1] * 24


# -- screening results: the seam between screening and the views ---------------------------
#
# The screening engine writes these tables (``workbench screen``); views read them and never
# patch around them.  Text columns hold "" (not null) where a flag has no such key, so
# equality filters work; ``year`` is null only for flags about no particular year.

SEVERITY_CODES = ("critical", "warning", "info")
#: What a flag is about.
SUBJECT_CODES = ("monthly_value", "monthly_deposit", "lab_report", "annual_report",
                 "unit_year", "enterprise", "population")
SUBJECT_LABELS = {
    "monthly_value": ("月度参数值", "monthly value"),
    "monthly_deposit": ("月度存证", "monthly deposit"),
    "lab_report": ("检测报告", "lab report"),
    "annual_report": ("年度报告", "annual report"),
    "unit_year": ("机组年度典型值", "unit's typical value of a year"),
    "enterprise": ("企业全部填报", "the enterprise's filings"),
    "population": ("总体（省份等）", "a population (province, ...)"),
}
COVERAGE_STATUS_CODES = ("not_checked", "partial")
MATERIALITY_LEVEL_CODES = ("below", "above_2pct", "above_5pct")

FLAGS = Table(
    "flags", "预警", "Flags",
    (
        _c("check_id", "str", "检查项", "Check"),
        _c("severity", "str", "严重程度", "Severity", codes=SEVERITY_CODES),
        _c("subject_code", "str", "对象", "Subject", codes=SUBJECT_CODES),
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code",
           nullable=True),
        _c("unit_id", "str", "机组编号", "Unit ID", nullable=True),
        _c("period", "period", "月份", "Period (YYYY-MM)", nullable=True),
        _c("year", "int", "年度", "Year", nullable=True),
        _c("report_id", "str", "检测报告编号", "Lab report ID", nullable=True),
        _c("parameter_code", "str", "参数", "Parameter (or lab-report field)", nullable=True),
        _c("value_unit", "str", "计量单位", "Unit of observed and expected", nullable=True),
        _c("observed", "float", "实际值", "Observed", nullable=True),
        _c("expected", "float", "预期值", "Expected", nullable=True),
        _c("expected_low", "float", "预期下限", "Expected low", nullable=True),
        _c("expected_high", "float", "预期上限", "Expected high", nullable=True),
        _c("score", "float", "强度", "Score (how far beyond the threshold)", nullable=True),
        _c("delta_co2_t", "float", "排放差额", "ΔCO2 (positive: under-reported)", unit="t",
           nullable=True),
        _c("message_zh", "str", "说明（中文）", "Message (zh)"),
        _c("message_en", "str", "说明（英文）", "Message (en)"),
        _c("evidence", "str", "依据", "Evidence", nullable=True),
        _c("corroborated_by", "str", "佐证检查项", "Corroborated by (check ids)", nullable=True),
    ),
    key=("check_id", "enterprise_id", "unit_id", "period", "year", "report_id",
         "parameter_code", "evidence"),
)

#: Check families (``workbench.checks``), in the order reviewers read them.
CHECK_FAMILIES = ("accounting", "ranges", "consistency", "evidence", "timeliness",
                  "timeseries", "peers", "digits")


def _risk_table(name: str, zh: str, en: str, keys: tuple[Column, ...]) -> Table:
    return Table(name, zh, en, (
        *keys,
        *(_c(f"contrib_{f}", "float", f"{f} 得分", f"Points from {f} checks")
          for f in CHECK_FAMILIES),
        _c("risk_score", "float", "风险分", "Risk score"),
        _c("n_critical", "int", "严重预警数", "Critical flags"),
        _c("n_warning", "int", "警告预警数", "Warning flags"),
        _c("n_info", "int", "提示数", "Info flags"),
        _c("delta_co2_t", "float", "排放差额", "ΔCO2 of the worst year", unit="t"),
        _c("filed_co2_t", "float", "填报排放量", "Filed CO2 of the worst year", unit="t"),
        _c("materiality", "float", "重要性比例", "Materiality (share of filed CO2)"),
        _c("materiality_year", "str", "最严重年度", "Worst year", nullable=True),
        _c("materiality_level", "str", "重要性等级", "Materiality level",
           codes=MATERIALITY_LEVEL_CODES),
        _c("is_material", "bool", "是否重大", "Material"),
        _c("top_reasons", "str", "主要原因", "Top reasons (check (points); ...)"),
        _c("rank", "int", "排名", "Rank"),
    ), key=tuple(c.name for c in keys))


RISK = _risk_table("risk", "企业风险", "Risk by enterprise",
                   (_c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),))
RISK_UNITS = _risk_table("risk_units", "机组风险", "Risk by unit",
                         (_c("enterprise_id", "str", "统一社会信用代码",
                             "Unified social credit code"),
                          _c("unit_id", "str", "机组编号", "Unit ID")))
COVERAGE = Table(
    "coverage", "未检查项", "Checks not run per enterprise",
    (
        _c("enterprise_id", "str", "统一社会信用代码", "Unified social credit code"),
        _c("check_id", "str", "检查项", "Check"),
        _c("status", "str", "状态", "Status", codes=COVERAGE_STATUS_CODES),
        _c("missing", "str", "缺少的数据", "Missing inputs"),
    ),
    key=("enterprise_id", "check_id"),
)

#: Tables the screening writes, by file name (``<name>.parquet``).
RESULT_TABLES: dict[str, Table] = {t.name: t for t in (FLAGS, RISK, RISK_UNITS, COVERAGE)}


def result_dtypes(table: str) -> dict[str, str]:
    """pandas dtype of each column of a result table (text as ``string``)."""
    return {c.name: PANDAS_DTYPES[c.kind] for c in RESULT_TABLES[table].columns}
