"""The 2025 sectors through the importer (issue 13 §1): a steel works' processes, a clinker
line and a potline import as facilities without the power columns, their monthly
parameters in their canonical units (万Nm3 kept, a gas volume in Nm3 converted), their lab
reports by sample type; a facility or report missing what its kind needs is quarantined
naming the column and the kind; a power unit still needs its capacity."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import credit_code, lab_report, quarantine, write_csv

from workbench import schema
from workbench.dataset import Dataset
from workbench.ingest import import_files

STEEL, CEMENT, ALU = credit_code(11), credit_code(12), credit_code(13)


def _enterprises() -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": [STEEL, CEMENT, ALU],
                         "enterprise_name": ["示范钢铁", "示范水泥", "示范铝业"],
                         "province": "江苏", "city": ["南京", "徐州", "苏州"],
                         "industry_code": ["钢铁", "水泥", "电解铝"], "verifier_name": ""})


def _facilities(**changes) -> pd.DataFrame:
    rows = pd.DataFrame({
        "unit_id": ["S-E", "S-BF1", "S-BOF1", "C-L1", "A-P1"],
        "enterprise_id": [STEEL, STEEL, STEEL, CEMENT, ALU],
        "unit_category_code": ["钢铁企业层级", "炼铁工序", "转炉炼钢工序", "熟料生产线",
                               "电解系列"],
        "clinker_type_code": ["", "", "", "硅酸盐水泥熟料", ""],
        "rated_capacity_t_per_d": ["", "", "", "5000", ""],
        "design_capacity_kt": ["", "3200", "3000", "", ""],
        "cells": ["", "", "", "", "320"], "line_current_ka": ["", "", "", "", "400"]})
    for column, (row, value) in changes.items():
        rows.loc[row, column] = value
    return rows


@pytest.fixture
def sectors(tmp_path):
    """A dataset holding the three enterprises and their facilities."""
    src = tmp_path / "src"
    src.mkdir()
    report = import_files([write_csv(src / "企业.csv", _enterprises()),
                           write_csv(src / "排放设施.csv", _facilities())], tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    return tmp_path / "ds"


def test_facilities_of_the_three_sectors_import_without_power_columns(sectors):
    stored = Dataset(sectors).read("units").set_index("unit_id")
    assert stored.loc["C-L1", "unit_category_code"] == "clinker_line"
    assert stored.loc["C-L1", "clinker_type_code"] == "portland"
    assert stored.loc["A-P1", "cells"] == 320 and stored.loc["A-P1", "line_current_ka"] == 400
    assert stored.loc["S-BF1", "design_capacity_kt"] == 3200
    assert stored["capacity_mw"].isna().all() and stored["fuel_code"].isna().all()


@pytest.mark.parametrize(("change", "column", "kind"), [
    ({"clinker_type_code": (3, "")}, "clinker_type_code", "熟料生产线"),
    ({"rated_capacity_t_per_d": (3, "")}, "rated_capacity_t_per_d", "熟料生产线"),
    ({"cells": (4, "")}, "cells", "电解系列"),
    ({"unit_category_code": (1, "燃气机组")}, "capacity_mw", "燃气机组"),
])
def test_a_facility_missing_what_its_kind_needs_is_quarantined(tmp_path, change, column, kind):
    src = tmp_path / "src"
    src.mkdir()
    report = import_files([write_csv(src / "企业.csv", _enterprises()),
                           write_csv(src / "排放设施.csv", _facilities(**change))],
                          tmp_path / "ds")
    q = quarantine(report, "units")
    assert len(q) == 1
    assert column in q["reason_en"].iloc[0] and "required for unit_category_code" in \
        q["reason_en"].iloc[0]
    assert f"为“{kind}”时必填" in q["reason_zh"].iloc[0]
    assert len(Dataset(tmp_path / "ds").read("units")) == 4        # the others are kept


def _month(unit_id: str, rows: dict[str, tuple[float, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": unit_id, "period": "2025-03", "parameter_code": code,
                          "value": str(value), "unit": unit, "source_code": source,
                          "report_id": "", "submitted_at": "2025-04-20 10:00:00"}
                         for code, (value, unit, *rest) in rows.items()
                         for source in (rest[0] if rest else "实测值",)])


def test_sector_parameters_import_in_their_canonical_units(sectors, tmp_path):
    steel = _month("S-BF1", {"hot_metal_output_t": (250000, "t"),
                             "bfg_generated_1e4nm3": (38000, "万Nm3"),
                             "高炉煤气外供量": (60_000_000, "Nm3"), "co2_t": (300000, "t")})
    cement = _month("C-L1", {"熟料产量": (140000, "t"), "cao_clinker_pct": (65.2, "%"),
                             "ef_clinker_tco2_per_t": (0.526, "tCO2/t", "估算值"),
                             "kiln_operating_days": (29, "天")})
    alu = _month("A-P1", {"liquid_al_output_t": (25000, "t"),
                          "aem_min_per_cell_day": (0.08, "min/(cell·d)"),
                          "line_current_ka": (400000, "A"),
                          "electrolysis_ac_electricity_mwh": (335000, "MWh")})
    report = import_files([write_csv(tmp_path / "月度存证.csv",
                                     pd.concat([steel, cement, alu], ignore_index=True))],
                          sectors)
    assert report.exit_code == 0, report.to_json()
    m = Dataset(sectors).read("monthly_parameters").set_index("parameter_code")
    assert m.loc["bfg_exported_1e4nm3", "value"] == pytest.approx(6000)     # Nm3 → 万Nm3
    assert m.loc["bfg_exported_1e4nm3", "unit"] == "万Nm3"
    assert m.loc["line_current_ka", "value"] == pytest.approx(400)          # A → kA
    assert m.loc["clinker_output_t", "value"] == 140000
    assert m.loc["ef_clinker_tco2_per_t", "source_code"] == "estimated"
    assert m.loc["kiln_operating_days", "unit"] == "d"


def test_a_sector_value_beyond_its_bounds_is_quarantined(sectors, tmp_path):
    bad = _month("C-L1", {"cao_clinker_pct": (165, "%"), "kiln_operating_days": (40, "d")})
    report = import_files([write_csv(tmp_path / "月度存证.csv", bad)], sectors)
    q = quarantine(report, "monthly_parameters")
    assert len(q) == 2 and q["reason_en"].str.contains("maximum|at most", regex=True).all(), \
        q["reason_en"].tolist()


@pytest.mark.parametrize(("sample", "cells", "ok", "missing"), [
    ("熟料", {"cao_pct": "65.1", "mgo_pct": "2.3"}, True, None),
    ("熟料", {"cao_pct": "65.1"}, False, "mgo_pct"),
    ("炭阳极", {"sulfur_total_pct": "1.9", "ash_pct": "0.35"}, True, None),
    ("炭阳极", {"sulfur_total_pct": "1.9"}, False, "ash_pct"),
    ("煤样", {}, False, "carbon_ad_pct"),
])
def test_lab_reports_need_what_their_sample_type_tests(sectors, tmp_path, sample, cells, ok,
                                                       missing):
    coal = ("carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
            "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t", "carbon_ar_pct")
    row = lab_report(enterprise_id=CEMENT, unit_id="C-L1", sample_type_code=sample,
                     **{c: "" for c in coal}).assign(**cells)
    report = import_files([write_csv(tmp_path / "检测报告.csv", row)], sectors)
    assert (report.exit_code == 0) == ok, report.to_json()
    if ok:
        stored = Dataset(sectors).read("lab_reports")
        assert stored["sample_type_code"].item() == {"熟料": "clinker", "炭阳极": "anode"}[sample]
    else:
        assert missing in quarantine(report, "lab_reports")["reason_en"].iloc[0]


def test_a_lab_report_without_a_sample_type_is_a_coal_report(tmp_path, master):
    report = import_files([write_csv(tmp_path / "检测报告.csv", lab_report())], master)
    assert report.exit_code == 0, report.to_json()
    assert Dataset(master).read("lab_reports")["sample_type_code"].item() == "coal"


def test_sector_parameter_names_are_unambiguous():
    names = [p.label_zh for p in schema.PARAMETERS.values()]
    assert len(names) == len(set(names))
    for code, p in schema.PARAMETERS.items():
        assert schema.PARAMETER_ALIASES[p.label_zh] == code
