"""Small, valid master data and monthly filings built by hand for the import tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.creditcode import check_character
from workbench.ingest import ImportReport, import_files


def credit_code(n: int) -> str:
    """A valid unified social credit code (Nanjing region, organisation code ``n``)."""
    first17 = f"91320100{n:09d}"
    return first17 + check_character(first17)


E1, E2 = credit_code(1), credit_code(2)

#: One valid month of a coal unit, in canonical units (t, GJ/t, %, tC/GJ, 1, MWh, GJ, h).
COAL_MONTH = {
    "coal_consumption_t": (100000.0, "t"), "ncv_gj_per_t": (21.0, "GJ/t"),
    "carbon_ar_pct": (55.0, "%"), "cc_tc_per_gj": (0.026, "tC/GJ"),
    "oxidation_rate": (0.99, "1"), "generation_mwh": (300000.0, "MWh"),
    "own_use_mwh": (15000.0, "MWh"), "supply_mwh": (285000.0, "MWh"),
    "heat_supply_gj": (0.0, "GJ"), "operating_hours_h": (600.0, "h"),
    "load_factor": (0.75, "1"), "purchased_electricity_mwh": (0.0, "MWh"),
    "co2_t": (200000.0, "t"),
}


def enterprises() -> pd.DataFrame:
    """Two power enterprises with valid credit codes."""
    return pd.DataFrame({
        "enterprise_id": [E1, E2], "enterprise_name": ["南京示范电厂", "苏州示范热电"],
        "province": ["江苏", "江苏"], "city": ["南京", "苏州"],
        "industry_code": ["power", "power"], "verifier_name": ["", "示范核查机构"]})


def units() -> pd.DataFrame:
    """Two coal units of E1 and one gas unit of E2."""
    return pd.DataFrame({
        "unit_id": ["U1", "U2", "G1"], "enterprise_id": [E1, E1, E2],
        "unit_category_code": ["coal_gt300", "coal_gt300", "gas"],
        "capacity_mw": ["600", "660", "390"], "fuel_code": ["coal", "coal", "natural_gas"],
        "is_chp": ["false", "true", "false"], "cooling_code": ["water", "air", "water"],
        "commissioning_year": ["2006", "2010", ""]})


def monthly(unit_ids: tuple[str, ...] = ("U1",), period: str = "2024-03") -> pd.DataFrame:
    """Every coal parameter of one month for each unit (canonical columns, strings)."""
    rows = [{"unit_id": u, "period": period, "parameter_code": code, "value": str(value),
             "unit": unit, "source_code": "measured", "report_id": "",
             "submitted_at": "2024-04-10 09:30:00"}
            for u in unit_ids for code, (value, unit) in COAL_MONTH.items()]
    return pd.DataFrame(rows)


def lab_report(**changes) -> pd.DataFrame:
    """One coal lab report of U1 for 2024-03 (``changes`` replace its cells)."""
    row = {"report_id": "R1", "enterprise_id": E1, "unit_id": "U1", "lab_name": "示范实验室",
           "lab_accreditation_no": "", "sample_id": "S1", "covered_period": "2024-03",
           "sampling_start_date": "2024-03-01", "sampling_end_date": "2024-03-31",
           "received_date": "2024/4/2", "test_date": "2024年4月3日", "report_date": "20240405",
           "carbon_ad_pct": "60.1", "total_moisture_pct": "12.5", "moisture_ad_pct": "2.1",
           "hydrogen_ad_pct": "3.6", "sulfur_total_pct": "0.8", "gross_cv_ad_mj_per_kg": "24.5",
           "ncv_ar_gj_per_t": "21.1", "carbon_ar_pct": "55.0"}
    return pd.DataFrame([{**row, **changes}])


def write_csv(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    """``frame`` as a CSV file in ``encoding``."""
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def quarantine(report: ImportReport, table: str) -> pd.DataFrame:
    """The quarantine file of ``table`` read back as strings (empty frame if none)."""
    file = report.tables[table].quarantine_file
    if file is None:
        return pd.DataFrame()
    return pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture
def master(tmp_path) -> Path:
    """A dataset holding :func:`enterprises` and :func:`units`."""
    src = tmp_path / "master"
    src.mkdir()
    dataset = tmp_path / "dataset"
    report = import_files([write_csv(src / "enterprises.csv", enterprises()),
                           write_csv(src / "units.csv", units())], dataset)
    assert report.exit_code == 0, report.to_json()
    return dataset
