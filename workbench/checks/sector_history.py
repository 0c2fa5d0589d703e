"""Statistical checks of the 2025 sectors: a facility-month against the facility's own other
months, and a facility's year against its peers of the same route or clinker type.

Both are warnings (``basis="statistical"``): an oddity against what is usual is a prompt,
never a rule break by itself; the engine raises one to critical only when independent
evidence corroborates it (:mod:`workbench.corroboration`).

* **own history** — robust z of the month against the facility's median of its months
  (1.4826 · MAD), the scale never below ``checks.sectors.history_rel_floor`` of the median
  (process EF is "nearly constant (±2 %)", §3.5 check 7), judged once the facility has
  ``history_min_months`` months of the quantity; a quantity a misstatement moves one way
  (AEM, net anode and intensity lowered, S + ash and the metallic yield raised: the notes'
  fraud patterns) is judged one-sided against the quartile on the other side, so a year
  altered in most months still stands out against the months left alone;
* **peers by product and route** — the facility's median of the year against facilities of
  the same sector and steel route (BF-BOF, EAF, mixed), clinker type, or all potlines, at
  least ``peer_min_units`` of them, scale floor ``peer_rel_floor`` of the peer median.  The
  values, medians and scales are written beside the flags (``computed/sector_peer_values``),
  which the peer benchmark view reads.

Source: sectors-2025.md §2.6 check 7 (month-to-month change below about 10 % at steady
operation), §3.5 check 7, §4.4; robust z as in :mod:`workbench.checks.timeseries`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.checks.inputs import Inputs
from workbench.checks.registry import Computed, check, flag_rows
from workbench.checks.sector_bands import FRAMES
from workbench.checks.timeseries import robust_z
from workbench.labels import SECTOR_PEER_GROUPS, code_text


@dataclass(frozen=True)
class Quantity:
    """A monitored quantity: frame, column, the parameter a flag points at, labels, unit,
    the column of its peer group (None: one group per frame)."""

    frame: str
    column: str
    parameter_code: str
    label_zh: str
    label_en: str
    unit: str
    peer_by: str | None = None
    #: the way a misstatement moves it (the notes' fraud patterns): −1 lowered, +1 raised,
    #: 0 either.  A one-sided quantity is judged against the facility's months on the other
    #: side of its median (its upper quartile when lowered): months altered for most of a
    #: year then still stand out against the ones left alone.
    shift: int = 0


HISTORY: tuple[Quantity, ...] = (
    Quantity("steel_works", "intensity_t_per_t", "co2_t", "吨粗钢排放量", "CO2 per t crude steel",
             "tCO2/t", "route", -1),
    Quantity("steel_works", "metallic_yield", "crude_steel_output_t", "金属收得率",
             "metallic yield", "t/t", shift=1),
    Quantity("converters", "hot_metal_per_bof_steel", "bof_steel_output_t", "转炉钢铁水比",
             "hot metal per t BOF steel", "t/t", shift=-1),
    Quantity("cement_lines", "intensity_t_per_t", "co2_t", "吨熟料排放量", "CO2 per t clinker",
             "tCO2/t", "clinker_type", -1),
    Quantity("cement_lines", "ef_filed", "ef_clinker_tco2_per_t", "熟料过程排放因子",
             "clinker process EF", "tCO2/t", shift=-1),
    Quantity("cement_lines", "kiln_heat_gj_per_t", "coal_consumption_t", "吨熟料燃料热耗",
             "kiln heat per t clinker", "GJ/t", "clinker_type", -1),
    Quantity("cement_lines", "raw_meal_ratio", "clinker_output_t", "料耗比", "raw meal ratio",
             "t/t", shift=-1),
    Quantity("cement_lines", "net_process_ef", "ef_clinker_tco2_per_t",
             "扣减后吨熟料过程排放", "process CO2 per t clinker net of deductions", "tCO2/t",
             shift=-1),
    Quantity("potlines", "intensity_t_per_t", "co2_t", "吨铝排放量", "CO2e per t aluminium",
             "tCO2e/t", "all", -1),
    Quantity("potlines", "ac_kwh_per_t", "electrolysis_ac_electricity_mwh", "铝液交流电耗",
             "AC electricity per t aluminium", "kWh/t", "all"),
    Quantity("potlines", "nc_filed", "anode_net_consumption_t_per_t", "吨铝阳极净耗",
             "net anode per t aluminium", "t/t", "all", -1),
    Quantity("potlines", "aem", "aem_min_per_cell_day", "阳极效应持续时间",
             "anode-effect minutes", "min/(cell·d)", shift=-1),
    Quantity("potlines", "s_plus_ash_pct", "anode_sulfur_pct", "炭阳极硫分与灰分之和",
             "anode sulphur + ash", "%", shift=1),
    Quantity("potlines", "ce_implied_pct", "liquid_al_output_t", "按法拉第定律推算的电流效率",
             "current efficiency by Faraday's law", "%", shift=1),
)
_SECTORS = ("steel", "cement", "aluminium")


def _frames(x: Inputs, cfg: dict) -> dict[str, pd.DataFrame]:
    """The derived frames the monitored quantities live in (potlines all one peer group)."""
    out = {name: FRAMES[name](x.monthly, cfg) for name in {q.frame for q in HISTORY}}
    out["potlines"] = out["potlines"].assign(all="potline")
    return out


def _peer_words(code: str) -> str:
    """A peer group in the evidence's "中文 / English" form."""
    return (f"同类：{code_text(SECTOR_PEER_GROUPS, code, 'zh-CN')} / "
            f"peers: {code_text(SECTOR_PEER_GROUPS, code, 'en')}")


def _robust(values: pd.Series, groups: list[pd.Series], floor_share: float, shift: int = 0
            ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(z, reference, scale) of each value within its group: the robust z of
    :func:`workbench.checks.timeseries.robust_z` with its scale at least ``floor_share`` ×
    |median|; for a one-sided ``shift`` the reference is the quartile on the other side
    (upper when a misstatement lowers the value) instead of the median."""
    floor = floor_share * values.groupby(groups).transform("median").abs()
    z, ref, scale = robust_z(values, groups, floor)
    if shift:
        ref = values.groupby(groups).transform("quantile", 0.75 if shift < 0 else 0.25)
        z = (values - ref) / scale
    return z, ref, scale


@check(id="timeseries.sector_own_history", family="timeseries", sectors=_SECTORS,
       subject="monthly_value", severity="warning", basis="statistical",
       title_zh="与本设施历史月份相比异常", title_en="Unusual against the facility's own months",
       message_zh="{evidence}：本月 {observed:.4g}，本设施中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: this month {observed:.4g}, the facility's median {expected:.4g} "
                  "(robust z={score:.1f})",
       needs=("monthly:co2_t",),
       config_keys=("checks.robust_z_warning", "checks.sectors.history_min_months",
                    "checks.sectors.history_rel_floor"),
       rationale="Process EF, kiln heat, electricity and anode use per t, and a works' intensity "
                 "change little month to month at steady operation; a month far from the "
                 "facility's own others is where an altered value shows first.",
       rationale_zh="稳定运行时，熟料排放因子、吨熟料热耗、吨铝电耗和阳极消耗、钢厂的排放强度逐月变化很小；与本"
                    "设施其他月份相差很远的月份，往往最先暴露被改动的数值。",
       source="sector notes §2.6 check 7, §3.5 check 7, §4.4")
def own_history(x: Inputs, cfg: dict) -> pd.DataFrame:
    c, s = cfg["checks"], cfg["checks"]["sectors"]
    frames = _frames(x, cfg)
    out = []
    for q in HISTORY:
        f = frames[q.frame]
        v = f[q.column].astype(float).where(lambda v: v > 0)
        n = v.groupby(f["unit_id"]).transform("count")
        z, ref, _ = _robust(v, [f["unit_id"]], s["history_rel_floor"], q.shift)
        outside = z * q.shift > c["robust_z_warning"] if q.shift else \
            z.abs() > c["robust_z_warning"]
        hit = (outside & (n >= s["history_min_months"])).fillna(False)
        rows = f[hit]
        out.append(flag_rows(rows, q.parameter_code, v[hit], ref[hit], score=z[hit].abs(),
                             evidence=f"{q.label_zh} / {q.label_en}", value_unit=q.unit))
    return pd.concat(out)


@check(id="peers.sector_peers", family="peers", sectors=_SECTORS, subject="unit_year",
       severity="warning", basis="statistical", scope="population",
       title_zh="与同工艺、同产品设施相比异常", title_en="Unusual against peers of its route or product",
       message_zh="{evidence}：本设施 {observed:.4g}，同类中位 {expected:.4g}（稳健z={score:.1f}）",
       message_en="{evidence}: facility {observed:.4g}, peer median {expected:.4g} "
                  "(robust z={score:.1f})",
       needs=("monthly:co2_t",),
       config_keys=("checks.robust_z_warning", "checks.sectors.peer_min_units",
                    "checks.sectors.peer_rel_floor"),
       rationale="Works of one route, lines of one clinker type and potlines make the same "
                 "product the same way: a typical year far from theirs (intensity, kiln heat, "
                 "electricity or net anode per t) is unusual operation or unusual numbers.",
       rationale_zh="同一工艺路线的钢厂、同一熟料类别的生产线、各电解系列以相同方式生产相同产品：典型年值（排放"
                    "强度、吨熟料热耗、吨铝电耗或阳极净耗）与同类相差很远，要么运行特殊，要么数字异常。",
       source="sector notes §2.5 (intensity by route), §3.4, §4.4")
def sector_peers(x: Inputs, cfg: dict) -> Computed:
    c, s = cfg["checks"], cfg["checks"]["sectors"]
    frames = _frames(x, cfg)
    flags, tables = [], []
    for q in (q for q in HISTORY if q.peer_by):
        f = frames[q.frame].assign(year=lambda d: d["period"].str[:4])
        f = f.assign(v=f[q.column].astype(float).where(f[q.column] > 0))
        typical = (f.groupby(["unit_id", "year"])
                   .agg(enterprise_id=("enterprise_id", "first"), v=("v", "median"),
                        peer=(q.peer_by, "first"))
                   .dropna(subset=["v", "peer"]).reset_index())
        if typical.empty:
            continue
        typical["peer"] = typical["peer"].astype(str)
        z, med, scale = _robust(typical["v"], [typical["peer"], typical["year"]],
                                s["peer_rel_floor"])
        size = typical.groupby(["peer", "year"])["unit_id"].transform("count")
        tables.append(pd.DataFrame({
            "unit_id": typical["unit_id"], "enterprise_id": typical["enterprise_id"],
            "year": typical["year"], "sector": q.frame, "quantity": q.column,
            "label_zh": q.label_zh, "label_en": q.label_en, "unit": q.unit,
            "peer_group": typical["peer"], "value": typical["v"], "peer_median": med,
            "peer_scale": scale, "z": z, "peers": size}))
        hit = (z.abs() > c["robust_z_warning"]) & (size >= s["peer_min_units"])
        rows = typical[hit].assign(period=typical.loc[hit, "year"])
        flags.append(flag_rows(rows, q.parameter_code, rows["v"], med[hit], score=z[hit].abs(),
                               evidence=f"{q.label_zh} / {q.label_en} · "
                               + rows["peer"].map(_peer_words), value_unit=q.unit))
    return Computed(pd.concat(flags) if flags else pd.DataFrame(),
                    {"sector_peer_values": pd.concat(tables, ignore_index=True) if tables
                     else pd.DataFrame()})
