"""Write the contract tables as a platform writes its exports: one CSV per table, Chinese
file names and headers, Chinese labels for codes, values in the units platforms file them
in (万立方米, %, 天, 分钟/(槽·日)...), months and dates in the forms exports use.

企业信息.csv and 排放设施.csv and 检测报告.csv are GB18030, 月度存证.csv UTF-8 with a BOM.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset_sectors import common as c
from workbench import schema

FILES = {"enterprises": ("企业信息.csv", "gb18030"), "units": ("排放设施.csv", "gb18030"),
         "lab_reports": ("检测报告.csv", "gb18030"),
         "monthly_parameters": ("月度存证.csv", "utf-8-sig")}
INDUSTRY = {"steel": "钢铁行业", "cement": "水泥熟料生产", "aluminium": "电解铝"}
SOURCE = {"measured": "实测值", "default": "缺省值", "calculated": "计算值", "estimated": "估算值"}
SAMPLE = {"coal": "煤样", "clinker": "熟料", "anode": "预焙阳极", "fuel": "其他燃料"}
UNIT_COLUMNS = ("unit_id", "enterprise_id", "unit_category_code", "commissioning_year",
                "clinker_type_code", "rated_capacity_t_per_d", "design_capacity_kt", "cells",
                "line_current_ka")
LAB_COLUMNS = {"carbon_ad_pct": 2, "total_moisture_pct": 1, "moisture_ad_pct": 2,
               "hydrogen_ad_pct": 2, "sulfur_total_pct": 2, "gross_cv_ad_mj_per_kg": 3,
               "ncv_ar_gj_per_t": 3, "carbon_ar_pct": 2, "cao_pct": 2, "mgo_pct": 2,
               "ash_pct": 2}


def _num(s: pd.Series, decimals: int, factor: float = 1.0) -> pd.Series:
    v = pd.to_numeric(s, errors="coerce").astype(float).to_numpy() * factor
    out = np.char.mod(f"%.{decimals}f", np.nan_to_num(v))
    return pd.Series(np.where(np.isnan(v), "", out), index=s.index)


def _label(table: str, col: str) -> str:
    return schema.TABLES[table].column(col).label_zh


def _zh_code(col: str, s: pd.Series) -> pd.Series:
    labels = {code: names[0] for code, names in schema.CODE_LABELS[col].items()}
    return s.map(lambda x: labels.get(x, "") if isinstance(x, str) else "")


def _dates(s: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(s).dt.strftime(fmt)


def write(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write the four tables to ``folder``; returns the paths in import order."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, pd.DataFrame] = {}
    e = tables["enterprises"]
    out["enterprises"] = pd.DataFrame({
        "统一社会信用代码": e["enterprise_id"], "企业名称": e["enterprise_name"],
        "所在省份": e["province"], "所在地市": e["city"],
        "所属行业": e["industry_code"].map(INDUSTRY), "核查机构": e["verifier_name"]})
    u = tables["units"]
    cols = {}
    for col in UNIT_COLUMNS:
        s = u[col]
        if col in ("unit_category_code", "clinker_type_code"):
            s = _zh_code(col, s)
        elif col in ("commissioning_year", "cells"):
            s = _num(s, 0)
        elif col in ("rated_capacity_t_per_d", "design_capacity_kt", "line_current_ka"):
            s = _num(s, 1)
        cols[_label("units", col)] = s
    out["units"] = pd.DataFrame(cols)
    lab = tables["lab_reports"]
    lcols = {"报告编号": lab["report_id"], "统一社会信用代码": lab["enterprise_id"],
             "机组编号": lab["unit_id"].fillna(""), "检测机构": lab["lab_name"],
             "资质编号": lab["lab_accreditation_no"], "样品编号": lab["sample_id"],
             "所属月份": (lab["covered_period"].str[:4] + "年" + lab["covered_period"].str[5:7]
                      + "月"),
             "样品类别": lab["sample_type_code"].map(SAMPLE)}
    for col in ("sampling_start_date", "sampling_end_date", "received_date", "test_date",
                "report_date"):
        lcols[_label("lab_reports", col)] = _dates(lab[col], "%Y/%m/%d")
    for col, d in LAB_COLUMNS.items():
        lcols[_label("lab_reports", col)] = _num(lab[col], d) if col in lab else ""
    out["lab_reports"] = pd.DataFrame(lcols)
    m = tables["monthly_parameters"]
    value = pd.Series("", index=m.index, dtype=object)
    unit = pd.Series("", index=m.index, dtype=object)
    for code, rows in m.groupby("parameter_code").groups.items():
        canon = schema.PARAMETERS[code].unit
        if code in c.FILED_OVERRIDE:
            uname, factor, d = c.FILED_OVERRIDE[code]
        else:
            uname, factor = c.FILED_UNIT[canon]
            d = c.decimals(code)
        value[rows] = _num(m.loc[rows, "value"], d, factor)
        unit[rows] = uname
    names = {code: p.label_zh for code, p in schema.PARAMETERS.items()}
    out["monthly_parameters"] = pd.DataFrame({
        "设施编号": m["unit_id"], "统计月份": m["period"].str.replace("-", "", regex=False),
        "参数名称": m["parameter_code"].map(names), "数值": value, "计量单位": unit,
        "数据类型": m["source_code"].map(SOURCE), "检测报告编号": m["report_id"].fillna(""),
        "存证时间": _dates(m["submitted_at"], "%Y-%m-%d %H:%M:%S"),
        "修订版本": m["revision"].astype(int).astype(str)})
    paths = []
    for table in ("enterprises", "units", "lab_reports", "monthly_parameters"):
        name, enc = FILES[table]
        path = folder / name
        out[table].to_csv(path, index=False, encoding=enc, lineterminator="\n")
        paths.append(path)
    return paths
