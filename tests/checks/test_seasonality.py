"""Seasonality is learned, not assumed: heating seasons differ by province.

A synthetic set of CHP units in three provinces — heating from mid-October to mid-April
(Northeast), from mid-November to mid-March (Beijing), none (South) — with shoulder months
half in season.  No clean month may be a heat drop, shoulder months included; heat left
out of a filing must be found, with two years of data (same month of the other year) and
with one (the unit's months of the same season, learned from its province's peers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.checks.inputs import Inputs
from workbench.checks.timeseries import heat_drop
from workbench.config import load_config

#: Heating days per month (of 30 or 31) by province: 15 Oct-15 Apr, 15 Nov-15 Mar, none.
SEASONS = {"黑龙江": {10: 0.5, 11: 1, 12: 1, 1: 1, 2: 1, 3: 1, 4: 0.5},
           "北京": {11: 0.5, 12: 1, 1: 1, 2: 1, 3: 0.5},
           "广东": {}}


def _monthly(years: list[int], seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for province, season in SEASONS.items():
        for k in range(4):
            unit = f"{province}-U{k}"
            size = 1.0 + 0.3 * k
            for y in years:
                for month in range(1, 13):
                    share = season.get(month, 0.0)
                    gen = 150_000 * size * rng.uniform(0.95, 1.05)
                    heat = (2_000 + 200_000 * share) * size * rng.uniform(0.97, 1.03)
                    rows.append({"unit_id": unit, "enterprise_id": f"E-{unit}",
                                 "period": f"{y}-{month:02d}", "province": province,
                                 "is_chp": True, "fuel_code": "coal", "capacity_mw": 300 * size,
                                 "generation_mwh": gen, "operating_hours_h": 600.0,
                                 "hours_in_month": 720.0, "heat_supply_gj": heat,
                                 "supply_mwh": gen * 0.94, "coal_consumption_t": gen * 0.45,
                                 "ncv_gj_per_t": 21.0})
    m = pd.DataFrame(rows)
    for col in ("gas_consumption_knm3", "ncv_gj_per_knm3", "cc_tc_per_gj", "carbon_ar_pct"):
        m[col] = np.nan
    m["source_cc_tc_per_gj"] = pd.Series(pd.NA, index=m.index, dtype="string")
    return m


def _inputs(m: pd.DataFrame) -> Inputs:
    empty = pd.DataFrame()
    return Inputs(monthly=m, monthly_long=empty, labs=empty, events=empty, annual=empty,
                  units=empty, enterprises=empty)


def _drops(m: pd.DataFrame) -> set[tuple[str, str]]:
    flags = heat_drop(_inputs(m), load_config()).flags
    return set(zip(flags["unit_id"], flags["period"], strict=True))


@pytest.mark.parametrize("years", [[2023, 2024], [2024]], ids=["two years", "one year"])
def test_no_clean_month_is_a_heat_drop_whatever_the_province_s_season(years):
    assert _drops(_monthly(years)) == set()


@pytest.mark.parametrize("years", [[2023, 2024], [2024]], ids=["two years", "one year"])
@pytest.mark.parametrize("unit, months", [("黑龙江-U1", ("2024-01", "2024-02")),
                                          ("北京-U2", ("2024-12", "2024-01")),
                                          ("广东-U0", ("2024-07", "2024-08"))])
def test_heat_left_out_is_found(years, unit, months):
    m = _monthly(years)
    hit = (m["unit_id"] == unit) & m["period"].isin(months)
    m.loc[hit, "heat_supply_gj"] *= 0.45
    found = _drops(m)
    assert {(unit, p) for p in months if p[:4] in map(str, years)} <= found
    assert all(u == unit for u, _ in found), f"clean units flagged: {found}"
