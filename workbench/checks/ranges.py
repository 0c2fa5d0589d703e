"""Range checks: physically plausible bands by fuel and unit category.

One declarative rule per quantity (:data:`BANDS`): where the value lives, how
it is grouped (fuel or unit category) and its parameter code.  The bands
themselves are config (``[checks.bands.*]``): a value outside ``<group>`` is a
warning, outside ``<group>_critical`` (where configured) critical.

Source: domain notes §6 (IPCC 2006 Vol 2 Ch 1 bands, Chinese thermal coal,
unit operating values) and §7 check 3; most bands are tagged *uncertain*
there, which is why they are configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.accounting import power
from workbench.checks.inputs import Inputs, fuel_use
from workbench.checks.registry import check, flag_rows


@dataclass(frozen=True)
class Band:
    """A banded quantity: where it is read, how it is grouped, how it is described."""

    quantity: str
    frame: str                 # "monthly" or "labs"
    group_by: str | None       # column naming the band group; None = one band "all"
    parameter_code: str
    label_zh: str
    label_en: str
    unit: str
    sourced_only: bool = False  # monthly CC: skip rows that use the (deliberately high) default
    needs: tuple[str, ...] = ()  # inputs of a derived quantity (default: its parameter)

    @property
    def inputs(self) -> tuple[str, ...]:
        """What the check needs: the frame, or the monthly columns the quantity comes from."""
        if self.frame == "labs":
            return ("labs",)
        return self.needs or (f"monthly:{self.parameter_code}",)


def supply_coal(m: pd.DataFrame, cfg: dict) -> pd.Series:
    """Supply fuel consumption attributable to electricity (gce/kWh), coal or gas.

    Heat supplied is taken out at the config's heat-allocation efficiency; a CHP unit
    that filed no heat has no value (its electricity share of the fuel is unknown).
    """
    fc, ncv = fuel_use(m)
    heat = m["heat_supply_gj"].where(m["is_chp"].fillna(False).astype(bool),
                                     m["heat_supply_gj"].fillna(0.0))
    heat_fuel = heat / cfg["checks"]["heat_allocation_efficiency"]
    elec_gj = fc * ncv - heat_fuel
    with np.errstate(divide="ignore", invalid="ignore"):
        return elec_gj / power.GJ_PER_TCE * 1e6 / (m["supply_mwh"] * 1000.0)


def _derived(m: pd.DataFrame, cfg: dict) -> dict[str, pd.Series]:
    """Quantities computed from the filing rather than filed as such."""
    return {
        "supply_coal_gce_per_kwh": supply_coal(m, cfg).where(m["supply_mwh"] > 0),
        "own_use_rate": (m["own_use_mwh"] / m["generation_mwh"]).where(m["generation_mwh"] > 0),
        # a unit that did not run files 0: only running months have a load factor to judge
        "load_factor": m["load_factor"].where(m["operating_hours_h"] > 0),
    }


BANDS: tuple[Band, ...] = (
    Band("cc_tc_per_gj", "monthly", "fuel_code", "cc_tc_per_gj", "单位热值含碳量",
         "carbon content per unit heat", "tC/GJ", sourced_only=True),
    Band("ncv_gj_per_t", "monthly", "fuel_code", "ncv_gj_per_t", "收到基低位发热量",
         "NCV (as received)", "GJ/t"),
    Band("carbon_ar_pct", "monthly", "fuel_code", "carbon_ar_pct", "收到基元素碳含量",
         "carbon (as received)", "%"),
    Band("oxidation_rate", "monthly", None, "oxidation_rate", "碳氧化率", "oxidation rate", ""),
    Band("hydrogen_ad_pct", "labs", None, "carbon_ar_pct", "空干基氢含量", "hydrogen (air-dried)",
         "%"),
    Band("sulfur_total_pct", "labs", None, "carbon_ar_pct", "全硫", "total sulphur", "%"),
    Band("total_moisture_pct", "labs", None, "carbon_ar_pct", "全水分", "total moisture", "%"),
    Band("supply_coal_gce_per_kwh", "monthly", "unit_category_code", "coal_consumption_t",
         "供电煤耗", "supply coal consumption", "gce/kWh",
         needs=("monthly:fuel_heat_gj", "monthly:supply_mwh")),
    Band("own_use_rate", "monthly", "unit_category_code", "own_use_mwh", "厂用电率",
         "own-use rate", "", needs=("monthly:own_use_mwh", "monthly:generation_mwh")),
    Band("load_factor", "monthly", None, "load_factor", "负荷（出力）系数", "load factor", "",
         needs=("monthly:load_factor", "monthly:operating_hours_h")),
)


def _band_check(b: Band):
    def run(x: Inputs, cfg: dict) -> pd.DataFrame:
        bands = cfg["checks"]["bands"][b.quantity]
        if b.frame == "labs":
            df = x.labs
            fuel = x.units.set_index("unit_id")["fuel_code"]
            df = df.assign(fuel_code=df["unit_id"].map(fuel))
        else:
            df = x.monthly
        derived = _derived(df, cfg) if b.frame == "monthly" else {}
        values = derived.get(b.quantity, df.get(b.quantity))
        if b.sourced_only:
            values = values.where(df.get(f"source_{b.quantity}") != "default")
        group = df[b.group_by] if b.group_by else pd.Series("all", index=df.index)
        lo, hi, clo, chi = (pd.Series(np.nan, index=df.index) for _ in range(4))
        for name, (low, high) in bands.items():
            if name.endswith("_critical"):
                sel = group == name.removesuffix("_critical")
                clo[sel], chi[sel] = low, high
            else:
                sel = group == name
                lo[sel], hi[sel] = low, high
        outside = (values < lo) | (values > hi)
        critical = (values < clo) | (values > chi)
        hit = outside.fillna(False) & values.notna()
        rows = df[hit].assign(severity=np.where(critical[hit].fillna(False), "critical",
                                                "warning"))
        width = (hi - lo)[hit]
        dist = np.maximum(lo[hit] - values[hit], values[hit] - hi[hit])
        if b.frame == "labs":
            evidence = "report " + rows["report_id"].astype(str)
        else:
            evidence = f"{b.group_by or 'band'}=" + group[hit].astype(str)
        code = b.quantity if b.frame == "labs" else b.parameter_code
        return flag_rows(rows, code, values[hit], None, lo[hit], hi[hit],
                         score=1.0 + dist / width, evidence=evidence)

    return run


for _b in BANDS:
    check(id=f"ranges.{_b.quantity}", family="ranges", severity="warning",
          subject="lab_report" if _b.frame == "labs" else "monthly_value", value_unit=_b.unit,
          title_zh=f"{_b.label_zh}超出合理范围", title_en=f"{_b.label_en.capitalize()} out of range",
          message_zh=f"{_b.label_zh} {{observed:.4g}} {_b.unit}，合理范围 "
                     f"{{expected_low:.4g}}–{{expected_high:.4g}}",
          message_en=f"{_b.label_en} {{observed:.4g}} {_b.unit}, plausible "
                     f"{{expected_low:.4g}}–{{expected_high:.4g}}",
          needs=_b.inputs,
          config_keys=(f"checks.bands.{_b.quantity}",),
          rationale=f"{_b.label_en} outside what coal and units physically show is a typo, a "
                    "unit error or an altered value.",
          rationale_zh=f"{_b.label_zh}超出煤质和机组在物理上可能的范围，通常是录入错误、"
                       "计量单位错误或数值被篡改。",
          source="domain notes §6 and §7 check 3 (IPCC 2006; CEC unit statistics)")(
        _band_check(_b))


@check(id="ranges.operating_hours", family="ranges", subject="monthly_value", value_unit="h", severity="critical",
       title_zh="运行小时超过当月小时数", title_en="Operating hours exceed the month",
       message_zh="运行 {observed:.0f} h，当月只有 {expected_high:.0f} h",
       message_en="{observed:.0f} operating hours in a month of {expected_high:.0f} h",
       needs=("monthly:operating_hours_h",),
       rationale="Impossible by definition; points at a unit or period error.",
       rationale_zh="按定义不可能出现；通常说明机组或所属月份填错。",
       source="domain notes §7 check 11")
def operating_hours(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    hit = m["operating_hours_h"] > m["hours_in_month"]
    return flag_rows(m[hit], "operating_hours_h", m.loc[hit, "operating_hours_h"], None, 0.0,
                     m.loc[hit, "hours_in_month"], score=5.0)
