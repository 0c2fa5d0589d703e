"""Evidence checks of the 2025 sectors: a filed value against its lab report, and a default
filed as measured (shared/domain/sectors-2025.md §1.5, §3.6, §4.6).

* clinker CaO and MgO against the clinker report (GB/T 176), anode sulphur and ash against
  the anode report: the deposit must carry the lab's number;
* a fuel's carbon content per unit heat equal to the fuel table's default to every decimal
  but marked measured is an "experience value" (the power sector's rule, for the sectors'
  fuel block).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import sector_metrics as sm
from workbench.checks.accounting import filed_vs_lab
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows
from workbench.factors import fuel_defaults
from workbench.sector_contract import FUELS

#: Filed parameter -> the lab report column holding the same result.
LAB_COLUMNS = {"cao_clinker_pct": "cao_pct", "mgo_clinker_pct": "mgo_pct",
               "anode_sulfur_pct": "sulfur_total_pct", "anode_ash_pct": "ash_pct"}
_SECTORS = ("steel", "cement", "aluminium")


@check(id="evidence.sector_filed_vs_report", family="evidence", sectors=("cement", "aluminium"),
       subject="monthly_value", value_unit="%", severity="critical",
       title_zh="填报值与检测报告不符（熟料、炭阳极）",
       title_en="Filed clinker or anode value differs from its lab report",
       message_zh="填报{parameter} {observed:.2f}，所附检测报告为 {expected:.2f}（{evidence}）",
       message_en="filed {parameter} {observed:.2f}; the attached report says "
                  "{expected:.2f} ({evidence})",
       needs=("labs",), uses=tuple(f"monthly:{c}" for c in LAB_COLUMNS),
       config_keys=("checks.sectors.filed_vs_report_abs_pct",),
       rationale="The deposit must carry the lab's result. Clinker CaO from another sample (raw "
                 "meal, cement) lowers the EF; inflated anode sulphur and ash lower the anode "
                 "CO2.",
       rationale_zh="月度存证必须如实填报检测报告的结果。采用其他样品（生料、水泥）的 CaO 会压低熟料排放因子；"
                    "虚增炭阳极硫分、灰分会压低阳极排放量。",
       source="sector notes §3.3 (GB/T 176), §3.6, §4.3, §4.6")
def filed_vs_report(x: Inputs, cfg: dict) -> pd.DataFrame:
    tol = cfg["checks"]["sectors"]["filed_vs_report_abs_pct"]
    return filed_vs_lab(x, tuple((code, lab_col, tol) for code, lab_col in LAB_COLUMNS.items()))


@check(id="accounting.sector_default_as_measured", family="accounting", sectors=_SECTORS,
       subject="monthly_value", value_unit="tC/GJ", severity="critical",
       title_zh="燃料单位热值含碳量缺省值冒充实测值",
       title_en="Fuel default carbon content filed as measured",
       message_zh="{parameter} {observed:.5f} 等于燃料缺省值，却标为实测/计算（{evidence}）",
       message_en="{parameter} {observed:.5f} equals the fuel's default but is marked "
                  "measured/calculated ({evidence})",
       needs=("monthly:period",),
       config_keys=("checks.default_match_abs_tc_per_gj", "checks.sectors.default_match_min_months",
                    "factors.fuels"),
       rationale="A measured carbon content that lands exactly on the table's default month "
                 "after month is an 'experience value' filled in without a test. The fuel "
                 "table's defaults are typical values, so one month on the default can be "
                 "chance (a warning); several months is the pattern (critical).",
       rationale_zh="实测的单位热值含碳量逐月恰好等于燃料缺省值，说明这是未经检测按“经验值”填上的数值。燃料缺省值"
                    "本身是典型值，个别月份相等可能是巧合（预警）；多个月份相等即为此类问题（严重）。",
       source="sector notes §1.4 (fuel table), §1.5, §2.7")
def default_as_measured(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    match = cfg["checks"]["default_match_abs_tc_per_gj"]
    runs = cfg["checks"]["sectors"]["default_match_min_months"]
    frames = []
    for fuel, _, _, _ in FUELS:
        code = f"{fuel}_cc_tc_per_gj"
        default = fuel_defaults(cfg, fuel).get("cc")
        if code not in m.columns or default is None:
            continue
        src = m.get(f"source_{code}", pd.Series(pd.NA, index=m.index)).astype("string")
        value = sm.col(m, code)
        hit = (src.isin(["measured", "calculated"]).fillna(False).astype(bool)
               & ((value - default).abs() < match).fillna(False))
        months = hit.groupby(m["unit_id"]).transform("sum")
        rows = m[hit].assign(severity=np.where(months[hit] >= runs, "critical", "warning"))
        frames.append(flag_rows(rows, code, value[hit], default, score=2.0 + months[hit],
                                evidence=months[hit].astype(int).astype(str)
                                + " 个月 / months on the default"))
    return pd.concat(frames) if frames else pd.DataFrame()
