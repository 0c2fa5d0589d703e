"""Write the contract tables as a platform writes its exports.

One CSV per table, named by its Chinese table name (:data:`FILES`), with Chinese
headers (each column's ``label_zh``, or a header alias of
:data:`workbench.schema.HEADER_ALIASES` that carries a unit: ``装机容量(MW)``,
``收到基低位发热量(MJ/kg)``, ``报告排放量(万吨)``).  Four files are GB18030 (GBK), the
others UTF-8 (two with a BOM, as Excel writes them).  Monthly values are filed in
the units platforms use (吨, 万立方米, GJ/万Nm3, %, tCO2, 小时), converted by the
importer.  Dates and months are written the way different exports do (2024-02-05,
2024/02/05, 2024年2月5日; 2024-01, 2024年01月, 202401).

``labels="zh"`` writes code columns as the platform's Chinese labels (实测值, 符合,
燃气机组, parameter names...); ``labels="codes"`` writes the contract's codes (for
an importer that does not know the labels yet).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import schema

LABELS = ("zh", "codes")
#: Table -> (file name, encoding).
FILES = {"enterprises": ("企业信息.csv", "gb18030"), "units": ("机组信息.csv", "gb18030"),
         "lab_reports": ("检测报告.csv", "gb18030"),
         "monthly_parameters": ("月度存证.csv", "utf-8-sig"),
         "daily_parameters": ("日数据.csv", "utf-8"),
         "review_events": ("审核记录.csv", "utf-8-sig"),
         "annual_reports": ("年度排放报告.csv", "gb18030")}
#: Code column -> code -> the platform's label.
ZH_LABELS: dict[str, dict[str, str]] = {
    "industry_code": {"power": "发电"},
    "unit_category_code": {
        "coal_gt300": "300MW等级以上常规燃煤机组", "coal_le300": "300MW等级及以下常规燃煤机组",
        "coal_unconventional": "燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）",
        "gas": "燃气机组"},
    "fuel_code": {"coal": "燃煤", "natural_gas": "天然气", "gangue_coal": "煤矸石"},
    "cooling_code": {"water": "水冷", "air": "空冷"},
    "is_chp": {"true": "是", "false": "否"},
    "source_code": {"measured": "实测值", "default": "缺省值", "calculated": "计算值"},
    "event_code": {"submitted": "提交", "returned": "退回", "approved": "通过"},
    "level_code": {"city": "市级", "province": "省级", "national": "国家级"},
    "verification_conclusion": {"pass": "符合", "pass_with_corrections": "基本符合",
                                "fail": "不符合"},
    "parameter_code": {code: p.label_zh for code, p in schema.PARAMETERS.items()},
}
#: Monthly parameter -> (unit as filed, filed value per canonical unit, decimals).
FILED_UNITS: dict[str, tuple[str, float, int]] = {
    "coal_consumption_t": ("吨", 1.0, 2), "gas_consumption_knm3": ("万立方米", 0.1, 4),
    "ncv_gj_per_t": ("GJ/t", 1.0, 3), "ncv_gj_per_knm3": ("GJ/万Nm3", 10.0, 2),
    "carbon_ar_pct": ("%", 1.0, 2), "cc_tc_per_gj": ("tC/GJ", 1.0, 5),
    "oxidation_rate": ("%", 100.0, 1), "generation_mwh": ("MWh", 1.0, 3),
    "own_use_mwh": ("MWh", 1.0, 3), "supply_mwh": ("MWh", 1.0, 3),
    "heat_supply_gj": ("GJ", 1.0, 1), "operating_hours_h": ("小时", 1.0, 1),
    "load_factor": ("%", 100.0, 2), "purchased_electricity_mwh": ("MWh", 1.0, 3),
    "co2_t": ("tCO2", 1.0, 2),
}
DAILY_DECIMALS = {"generation_mwh": 3, "coal_consumption_t": 2, "gas_consumption_knm3": 3,
                  "supply_mwh": 3}

Fmt = Callable[[pd.Series], pd.Series]


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("")


def _num(decimals: int, factor: float = 1.0) -> Fmt:
    def f(s: pd.Series) -> pd.Series:
        v = s.astype(float).to_numpy() * factor
        out = np.char.mod(f"%.{decimals}f", np.nan_to_num(v))
        return pd.Series(np.where(np.isnan(v), "", out), index=s.index)
    return f


def _date(fmt: str) -> Fmt:
    def f(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s).dt.strftime(fmt).fillna("")
    return f


def _zh_date(s: pd.Series) -> pd.Series:
    d = pd.to_datetime(s)
    text = (d.dt.year.astype("Int64").astype("string") + "年"
            + d.dt.month.astype("Int64").astype("string") + "月"
            + d.dt.day.astype("Int64").astype("string") + "日")
    return text.fillna("")


def _period(style: str) -> Fmt:
    def f(s: pd.Series) -> pd.Series:
        s = s.astype(str)
        return {"iso": s, "zh": s.str[:4] + "年" + s.str[5:7] + "月",
                "compact": s.str[:4] + s.str[5:7]}[style]
    return f


def _code(column: str, labels: str) -> Fmt:
    def f(s: pd.Series) -> pd.Series:
        s = s.astype("string").str.lower() if column == "is_chp" else s.astype("string")
        return (s.map(ZH_LABELS[column]) if labels == "zh" else s).astype("string").fillna("")
    return f


def _columns(table: str, labels: str) -> list[tuple[str, str, Fmt]]:
    """(canonical column, header, formatter) of every exported column of ``table``."""
    def c(col: str) -> Fmt:
        return _code(col, labels)

    spec: dict[str, list[tuple[str, str | None, Fmt]]] = {
        "enterprises": [("enterprise_id", None, _text), ("enterprise_name", None, _text),
                        ("province", None, _text), ("city", None, _text),
                        ("industry_code", None, c("industry_code")),
                        ("verifier_name", None, _text)],
        "units": [("unit_id", None, _text), ("enterprise_id", None, _text),
                  ("unit_category_code", None, c("unit_category_code")),
                  ("capacity_mw", "装机容量(MW)", _num(1)), ("fuel_code", None, c("fuel_code")),
                  ("is_chp", None, c("is_chp")), ("cooling_code", None, c("cooling_code")),
                  ("commissioning_year", None, _num(0))],
        "monthly_parameters": [
            ("unit_id", None, _text), ("period", None, _period("iso")),
            ("parameter_code", None, c("parameter_code")), ("value", None, _text),
            ("unit", None, _text), ("source_code", None, c("source_code")),
            ("report_id", None, _text), ("submitted_at", None, _date("%Y-%m-%d %H:%M:%S")),
            ("revision", None, _num(0))],
        "daily_parameters": [("unit_id", None, _text), ("date", None, _date("%Y-%m-%d")),
                             ("parameter_code", None, c("parameter_code")),
                             ("value", None, _text)],
        "lab_reports": [
            ("report_id", None, _text), ("enterprise_id", None, _text), ("unit_id", None, _text),
            ("lab_name", None, _text), ("lab_accreditation_no", None, _text),
            ("sample_id", None, _text), ("covered_period", None, _period("zh")),
            *[(col, None, _date("%Y/%m/%d")) for col in (
                "sampling_start_date", "sampling_end_date", "received_date", "test_date",
                "report_date")],
            ("carbon_ad_pct", None, _num(2)), ("total_moisture_pct", None, _num(1)),
            ("moisture_ad_pct", None, _num(2)), ("hydrogen_ad_pct", None, _num(2)),
            ("sulfur_total_pct", None, _num(2)), ("gross_cv_ad_mj_per_kg", None, _num(3)),
            ("ncv_ar_gj_per_t", "收到基低位发热量(MJ/kg)", _num(3)),
            ("carbon_ar_pct", None, _num(2))],
        "review_events": [("enterprise_id", None, _text), ("period", None, _period("compact")),
                          ("event_code", None, c("event_code")),
                          ("event_at", None, _date("%Y/%m/%d %H:%M:%S")),
                          ("level_code", None, c("level_code")), ("actor", None, _text),
                          ("note", None, _text)],
        "annual_reports": [
            ("enterprise_id", None, _text), ("year", None, _num(0)),
            ("reported_co2_t", "报告排放量(万吨)", _num(6, 1e-4)),
            ("verified_co2_t", "核查排放量(万吨)", _num(6, 1e-4)),
            ("verifier_name", None, _text),
            ("verification_conclusion", None, c("verification_conclusion")),
            ("allowance_allocated_t", None, _num(0)), ("allowance_surrendered_t", None, _num(0)),
            ("surrendered_date", None, _zh_date)],
    }
    t = schema.TABLES[table]
    return [(col, header or t.column(col).label_zh, fmt) for col, header, fmt in spec[table]]


def _values(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Monthly and daily values (and units) as filed: platform units, fixed decimals."""
    df = df.copy()
    value = pd.Series("", index=df.index, dtype=object)
    for code, rows in df.groupby("parameter_code").groups.items():
        if table == "monthly_parameters":
            unit, factor, decimals = FILED_UNITS[code]
            df.loc[rows, "unit"] = unit
        else:
            factor, decimals = 1.0, DAILY_DECIMALS[code]
        value[rows] = _num(decimals, factor)(df.loc[rows, "value"])
    df["value"] = value
    return df


def write(tables: dict[str, pd.DataFrame], folder: Path, labels: str) -> list[Path]:
    """Write every table in ``tables`` to ``folder`` (see the module docstring)."""
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {LABELS}, got {labels!r}")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, df in tables.items():
        name, encoding = FILES[table]
        if table in ("monthly_parameters", "daily_parameters"):
            df = _values(table, df)
        out = pd.DataFrame({header: fmt(df[col]) for col, header, fmt in
                            _columns(table, labels)})
        path = folder / name
        out.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
        paths.append(path)
    return paths
