"""Detection scoring against a truth file: recall, precision, clean enterprises, top-N and
each check's rate on clean data."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.detection import clean_rates, evaluate
from workbench.screen import empty_flags


def _flags(rows: list[dict]) -> pd.DataFrame:
    base = empty_flags()
    return pd.concat([base, pd.DataFrame(rows)], ignore_index=True).astype(base.dtypes)


def _flag(check: str, severity: str, ent: str, unit: str, period: str = "",
          year: int | None = None) -> dict:
    return {"check_id": check, "severity": severity, "enterprise_id": ent, "unit_id": unit,
            "period": period, "year": year if year is not None else int(period[:4])}


UNIT_MONTHS = pd.DataFrame({"unit_id": ["A1"] * 12 + ["B1"] * 12,
                            "enterprise_id": ["A"] * 12 + ["B"] * 12,
                            "period": [f"2024-{m:02d}" for m in range(1, 13)] * 2})
TRUTH = pd.DataFrame({"kind": ["coal_underreported", "surrender_shortfall"],
                      "enterprise_id": ["A", "A"], "unit_id": ["A1", ""],
                      "period": ["2024-03", "2024"], "parameter_code": ["", ""]})


def test_recall_precision_and_top_n():
    flags = _flags([_flag("consistency.daily_sum", "critical", "A", "A1", "2024-03"),
                    _flag("timeliness.surrender_shortfall", "critical", "A", "", year=2024)
                    | {"period": ""},
                    _flag("evidence.accreditation", "critical", "B", "B1", "2024-05")])
    risk = pd.DataFrame({"enterprise_id": ["A", "B"], "rank": [1, 2]})
    r = evaluate(flags, risk, TRUTH, pd.Series(["A", "B"]), UNIT_MONTHS)
    assert r["recall_by_kind"]["surrender_shortfall"]["recall"] == 1.0   # found by its year
    assert r["recall_by_kind"]["coal_underreported"]["recall"] == 1.0
    assert r["critical_precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert r["clean_with_critical"] == 1 and r["injected_in_top_n"] == 1


def test_clean_rates_count_only_clean_unit_months_and_years():
    flags = _flags([_flag("timeseries.unit_level_shift", "warning", "A", "A1", "2024-03"),
                    _flag("timeseries.unit_level_shift", "warning", "B", "B1", "2024-03"),
                    _flag("timeseries.unit_level_shift", "critical", "B", "B1", "2024-04"),
                    _flag("peers.unit_vs_peers", "warning", "B", "B1", year=2024)
                    | {"period": ""}])
    rates = clean_rates(flags, TRUTH, UNIT_MONTHS)
    shift = rates["timeseries.unit_level_shift"]
    # A1's March is injected; the annual surrender row leaves the months clean
    assert shift["per"] == "unit-month" and shift["clean"] == 23
    assert shift["flags_per_1000"] == pytest.approx(1000 * 2 / 23, abs=0.01)
    assert shift["critical_per_1000"] == pytest.approx(1000 * 1 / 23, abs=0.01)
    peers = rates["peers.unit_vs_peers"]
    assert peers["per"] == "unit-year" and peers["clean"] == 1
    assert peers["flags_per_1000"] == pytest.approx(1000.0)


def test_figures_per_sector_count_each_sector_alone():
    """A steel works ranked below a power plant: within steel it is the top one."""
    months = pd.concat([UNIT_MONTHS, pd.DataFrame({
        "unit_id": ["S-E"] * 12, "enterprise_id": ["S"] * 12,
        "period": [f"2024-{m:02d}" for m in range(1, 13)]})], ignore_index=True)
    truth = pd.concat([TRUTH, pd.DataFrame({
        "kind": ["steel.inflated_crude_steel"], "enterprise_id": ["S"], "unit_id": ["S-E"],
        "period": ["2024-06"], "parameter_code": ["crude_steel_output_t"]})], ignore_index=True)
    flags = _flags([_flag("consistency.daily_sum", "critical", "A", "A1", "2024-03"),
                    _flag("evidence.accreditation", "critical", "B", "B1", "2024-05"),
                    _flag("consistency.crude_steel_sum", "warning", "S", "S-E", "2024-06")])
    risk = pd.DataFrame({"enterprise_id": ["A", "B", "S"], "rank": [1, 2, 3]})
    industry = pd.Series(["power", "power", "steel"], index=["A", "B", "S"])
    r = evaluate(flags, risk, truth, pd.Series(["A", "B", "S"]), months, industry)
    steel, power = r["by_sector"]["steel"], r["by_sector"]["power"]
    assert steel["min_recall"] == 1.0 and steel["injected_in_top_n"] == 1
    assert steel["critical_enterprise_periods"] == 0 and steel["clean_enterprises"] == 0
    assert power["critical_precision"] == 0.5 and power["clean_with_critical"] == 1
    assert r["injected_in_top_n"] == 1          # overall, S is not in the top 2
