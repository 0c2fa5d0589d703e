"""Row validation: each check must reject the bad case and accept its good neighbour."""

import copy

import pandas as pd
import pytest
from conftest import (
    E1,
    E2,
    credit_code,
    enterprises,
    lab_report,
    monthly,
    quarantine,
    units,
    write_csv,
)

from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.ingest import import_files


def run_monthly(tmp_path, master, frame, name="monthly_parameters.csv", config=None):
    report = import_files([write_csv(tmp_path / name, frame)], master, config=config)
    stored = Dataset(master).read("monthly_parameters")
    return report, quarantine(report, "monthly_parameters"), stored


def one_row(code: str, value: str, unit: str | None = None, period: str = "2024-03"):
    frame = monthly(period=period)
    row = frame.index[frame["parameter_code"] == code][0]
    frame.loc[row, "value"] = value
    if unit is not None:
        frame.loc[row, "unit"] = unit
    return frame, row


def stored_value(stored, code):
    return stored.loc[stored["parameter_code"] == code, "value"].item()


@pytest.mark.parametrize("code, value, unit, period, text", [
    ("coal_consumption_t", "-5", None, "2024-03", "below the minimum 0 t"),
    ("load_factor", "1.3", None, "2024-03", "above the maximum 1"),
    ("load_factor", "130", "%", "2024-03", "above the maximum 1"),
    ("operating_hours_h", "700", None, "2023-02", "exceed the 672 h in 2023-02"),
    ("ncv_gj_per_t", "12000", "kcal/kg", "2024-03", "above the maximum 40 GJ/t"),
    ("ncv_gj_per_t", "21", "furlongs", "2024-03", "unknown unit 'furlongs'"),
    ("coal_consumption_t", "5", "kWh", "2024-03", "cannot be converted to t"),
    ("coal_consumption_t", "lots", None, "2024-03", "'lots' is not a number"),
    ("coal_consumption_t", "", None, "2024-03", "required but empty"),
    ("coal_consumption_t", "inf", None, "2024-03", "'inf' is not a number"),
])
def test_monthly_value_rejections(tmp_path, master, code, value, unit, period, text):
    frame, row = one_row(code, value, unit, period)
    report, q, stored = run_monthly(tmp_path, master, frame)
    assert report.exit_code == 1
    assert len(q) == 1 and q["row_number"][0] == str(row + 2)
    assert text in q["reason_en"][0], q["reason_en"][0]
    assert q["reason_zh"][0] and q["reason_zh"][0] != q["reason_en"][0]
    assert q["values"][0] == (value if text != "unknown unit 'furlongs'" and "converted" not in
                              text else q["values"][0])
    assert len(stored) == len(frame) - 1


@pytest.mark.parametrize("code, value, unit, period, expected", [
    ("coal_consumption_t", "0", None, "2024-03", 0.0),
    ("load_factor", "1", None, "2024-03", 1.0),
    ("load_factor", "85", "%", "2024-03", 0.85),
    ("operating_hours_h", "696", None, "2024-02", 696.0),  # leap February
    ("operating_hours_h", "744", None, "2024-03", 744.0),
    ("coal_consumption_t", "1,234.5", None, "2024-03", 1234.5),
    ("coal_consumption_t", "１２３", None, "2024-03", 123.0),
    ("coal_consumption_t", " 12 ", None, "2024-03", 12.0),
    ("coal_consumption_t", "12", "万吨", "2024-03", 120000.0),
])
def test_monthly_value_acceptances(tmp_path, master, code, value, unit, period, expected):
    frame, _ = one_row(code, value, unit, period)
    report, q, stored = run_monthly(tmp_path, master, frame)
    assert report.exit_code == 0, q.to_dict("records")
    assert stored_value(stored, code) == pytest.approx(expected)


def test_kcal_per_kg_is_converted_and_recorded(tmp_path, master):
    frame, _ = one_row("ncv_gj_per_t", "5000", "kcal/kg")
    gen = frame.index[frame["parameter_code"] == "generation_mwh"][0]
    frame.loc[gen, ["value", "unit"]] = ["30000", "万千瓦时"]
    report, _, stored = run_monthly(tmp_path, master, frame)
    assert report.exit_code == 0
    row = stored.set_index("parameter_code").loc["ncv_gj_per_t"]
    assert row["value"] == pytest.approx(20.934)
    assert row["unit"] == "GJ/t"
    assert row["original_value"] == 5000.0 and row["original_unit"] == "kcal/kg"
    assert stored_value(stored, "generation_mwh") == pytest.approx(300000.0)
    assert pd.isna(stored.set_index("parameter_code").loc["co2_t", "original_unit"])
    assert {"table": "monthly_parameters", "parameter_code": "ncv_gj_per_t",
            "from_unit": "kcal/kg", "to_unit": "GJ/t", "factor": pytest.approx(4.1868e-3),
            "rows": 1} in report.conversions
    log = Dataset(master).manifest["imports"][-1]
    assert log["conversions"] == report.conversions


@pytest.mark.parametrize("period, ok", [
    ("2024-13", False), ("2024-00", False), ("March", False), ("1899-05", False),
    ("2024年3月", True), ("2024/03", True), ("202403", True), ("2024-3", True),
])
def test_periods(tmp_path, master, period, ok):
    report, q, stored = run_monthly(tmp_path, master, monthly(period=period))
    if ok:
        assert report.exit_code == 0 and set(stored["period"]) == {"2024-03"}
    else:
        assert len(q) == 13 and "is not a valid month" in q["reason_en"][0]
        assert q["values"][0] == period


@pytest.mark.parametrize("column, value, ok, stored_as", [
    ("source_code", "guess", False, None), ("source_code", "实测值", True, "measured"),
    ("source_code", "Default", True, "default"), ("parameter_code", "foo", False, None),
    ("submitted_at", "yesterday", False, None),
    ("submitted_at", "2024-04-10T01:30:00Z", True, pd.Timestamp("2024-04-10 09:30")),
    ("submitted_at", "2024年4月10日 9:30", True, pd.Timestamp("2024-04-10 09:30")),
])
def test_codes_and_timestamps(tmp_path, master, column, value, ok, stored_as):
    frame = monthly()
    frame.loc[0, column] = value
    report, q, stored = run_monthly(tmp_path, master, frame)
    if ok:
        assert report.exit_code == 0, q.to_dict("records")
        assert stored.loc[stored["parameter_code"] == frame.loc[0, "parameter_code"],
                          column].item() == stored_as
    else:
        assert q["columns"].tolist() == [column] and value in q["reason_en"][0]


def test_parameter_names_in_chinese_are_codes(tmp_path, master):
    frame = monthly()
    frame.loc[frame["parameter_code"] == "load_factor", "parameter_code"] = "负荷（出力）系数"
    report, _, stored = run_monthly(tmp_path, master, frame)
    assert report.exit_code == 0
    assert "load_factor" in set(stored["parameter_code"])


def test_duplicate_keys_reject_every_copy_and_name_the_others(tmp_path, master):
    frame = monthly()
    frame = pd.concat([frame, frame.iloc[[0]], frame.iloc[[0]]], ignore_index=True)
    report, q, stored = run_monthly(tmp_path, master, frame)
    assert report.tables["monthly_parameters"].quarantined == 3
    assert sorted(q["row_number"]) == ["15", "16", "2"]
    first = q[q["row_number"] == "2"]["reason_en"].item()
    assert "also on row 15, 16" in first
    assert len(stored) == 12


def test_dangling_references(tmp_path, master):
    frame = monthly(unit_ids=("U1", "U9"))
    report, q, stored = run_monthly(tmp_path, master, frame)
    assert set(q["reason_en"].str.extract(r"'(U\d)'")[0]) == {"U9"}
    assert "not in units" in q["reason_en"][0]
    assert set(stored["unit_id"]) == {"U1"}


def test_references_resolve_within_one_import(tmp_path):
    new_units = units()
    new_units.loc[2, "enterprise_id"] = credit_code(99)
    files = [write_csv(tmp_path / "enterprises.csv", enterprises()),
             write_csv(tmp_path / "units.csv", new_units),
             write_csv(tmp_path / "monthly_parameters.csv", monthly(unit_ids=("U1", "G1")))]
    report = import_files(files, tmp_path / "ds")
    assert report.tables["units"].imported == 2
    assert report.tables["monthly_parameters"].imported == 13  # G1 was rejected upstream
    q = quarantine(report, "units")
    assert credit_code(99) in q["reason_en"][0] and "not in enterprises" in q["reason_en"][0]


def test_credit_code_checksums(tmp_path):
    frame = enterprises()
    frame.loc[1, "enterprise_id"] = E2[:-1] + ("1" if E2[-1] != "1" else "2")
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    q = quarantine(report, "enterprises")
    assert report.tables["enterprises"].imported == 1
    assert "unified social credit code" in q["reason_en"][0] and "统一社会信用代码" in q[
        "reason_zh"][0]


def test_credit_codes_in_full_width_are_normalised(tmp_path):
    frame = enterprises()
    frame.loc[0, "enterprise_id"] = E1.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 0
    assert E1 in set(Dataset(tmp_path / "ds").read("enterprises")["enterprise_id"])


@pytest.mark.parametrize("value, ok", [("是", True), ("否", True), ("TRUE", True), ("1", True),
                                       ("maybe", False), ("", False)])
def test_booleans(tmp_path, value, ok):
    frame = units()
    frame.loc[0, "is_chp"] = value
    files = [write_csv(tmp_path / "enterprises.csv", enterprises()),
             write_csv(tmp_path / "units.csv", frame)]
    report = import_files(files, tmp_path / "ds")
    assert (report.exit_code == 0) == ok


def test_column_bounds_and_nullable_columns(tmp_path):
    frame = units()
    frame.loc[0, "capacity_mw"] = "2500"
    frame.loc[1, "commissioning_year"] = "1900"
    files = [write_csv(tmp_path / "enterprises.csv", enterprises()),
             write_csv(tmp_path / "units.csv", frame)]
    report = import_files(files, tmp_path / "ds")
    q = quarantine(report, "units")
    assert q["columns"].tolist() == ["capacity_mw", "commissioning_year"]
    assert "above the maximum 2000 MW" in q["reason_en"][0]
    assert "below the minimum 1950" in q["reason_en"][1]
    stored = Dataset(tmp_path / "ds").read("units")
    assert stored["commissioning_year"].isna().tolist() == [True]  # G1 files none


@pytest.mark.parametrize("changes, ok", [
    ({}, True), ({"report_date": "2024-02-30"}, False), ({"test_date": "2024-04-03 10:00"}, False),
    ({"received_date": "2024-04-02 00:00:00"}, True), ({"unit_id": ""}, True),
    ({"unit_id": "U7"}, False), ({"carbon_ad_pct": "101"}, False),
])
def test_lab_report_dates_and_references(tmp_path, master, changes, ok):
    report = import_files([write_csv(tmp_path / "检测报告.csv", lab_report(**changes))], master)
    assert (report.exit_code == 0) == ok, report.to_json()
    if ok:
        stored = Dataset(master).read("lab_reports")
        assert stored["test_date"].item() == pd.Timestamp("2024-04-03")


def test_lab_report_header_in_kcal_is_converted(tmp_path, master):
    frame = lab_report().rename(columns={"ncv_ar_gj_per_t": "收到基低位发热量(kcal/kg)"})
    frame["收到基低位发热量(kcal/kg)"] = "5000"
    report = import_files([write_csv(tmp_path / "lab_reports.csv", frame)], master)
    assert report.exit_code == 0
    assert Dataset(master).read("lab_reports")["ncv_ar_gj_per_t"].item() == pytest.approx(20.934)


def test_over_long_text(tmp_path):
    config = copy.deepcopy(load_config())
    config["import"]["max_text_length"] = 20
    frame = enterprises()
    frame.loc[0, "enterprise_name"] = "一个名字非常非常非常非常非常非常非常长的电厂"
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds",
                          config=config)
    q = quarantine(report, "enterprises")
    assert report.tables["enterprises"].imported == 1
    assert "22 characters long, more than the limit of 20" in q["reason_en"][0]


def test_unknown_extra_columns_are_kept_and_never_reject(tmp_path, master):
    frame = monthly()
    frame["备注"] = ""
    frame.loc[3, "备注"] = "人工核对"
    frame["internal_flag"] = "x;=1"
    report, _, stored = run_monthly(tmp_path, master, frame)
    assert report.exit_code == 0
    assert stored["备注"].notna().sum() == 1 and "人工核对" in set(stored["备注"].dropna())
    assert set(stored["internal_flag"]) == {"x;=1"}


def test_a_row_with_several_problems_lists_every_reason(tmp_path, master):
    frame = monthly()
    frame.loc[0, ["period", "source_code", "unit_id"]] = ["2024-13", "guess", "U9"]
    _, q, _ = run_monthly(tmp_path, master, frame)
    assert q["columns"][0] == "period; source_code; unit_id"
    assert q["values"][0] == "2024-13; guess; U9"
    assert q["reason_en"][0].count("; ") >= 2
