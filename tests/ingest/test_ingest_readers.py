"""Readers: encodings, XLSX sheets, Parquet, table names, headers and row numbers."""

import codecs

import pandas as pd
import pytest
from conftest import E1, enterprises, monthly, quarantine, units, write_csv

from workbench import schema
from workbench.dataset import Dataset
from workbench.ingest import import_files
from workbench.ingest.readers import decode, resolve_table
from workbench.ingest.reasons import FileError


def zh(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with the Chinese labels of ``table`` as headers."""
    spec = schema.TABLES[table]
    return frame.rename(columns={c: spec.column(c).label_zh for c in frame.columns})


def zh_monthly() -> pd.DataFrame:
    """A month of U1 as a platform would export it: Chinese headers, names and sources."""
    frame = monthly()
    frame["parameter_code"] = frame["parameter_code"].map(
        {p.code: p.label_zh for p in schema.PARAMETERS.values()})
    frame["source_code"] = "实测值"
    return zh(frame, "monthly_parameters")


@pytest.mark.parametrize("table, expected", [
    ("monthly_parameters", "monthly_parameters"), ("月度存证", "monthly_parameters"),
    ("monthly_parameters_2024-03", "monthly_parameters"),
    ("月度存证_2024-03", "monthly_parameters"),
    ("机组-江苏", "units"), ("Units", "units"), ("机组信息", "units"), ("月度存证2024", None),
    ("notes", None),
])
def test_table_names(table, expected):
    assert resolve_table(table) == expected


def test_utf8_bom_with_chinese_headers(tmp_path, master):
    src = write_csv(tmp_path / "月度存证.csv", zh_monthly(), "utf-8-sig")
    report = import_files([src], master)
    assert report.exit_code == 0, report.to_json()
    rows = Dataset(master).read("monthly_parameters")
    assert set(rows["source_code"]) == {"measured"}
    assert set(rows["parameter_code"]) == set(schema.REQUIRED_PARAMETERS["coal"])


def test_gbk_csv_with_chinese_headers(tmp_path, master):
    src = write_csv(tmp_path / "月度存证_2024-03.csv", zh_monthly(), "gbk")
    with pytest.raises(UnicodeDecodeError):
        src.read_bytes().decode("utf-8")
    report = import_files([src], master)
    assert report.exit_code == 0, report.to_json()
    assert report.tables["monthly_parameters"].imported == len(schema.REQUIRED_PARAMETERS["coal"])
    log = Dataset(master).manifest["imports"][-1]
    assert log["sources"][0]["encoding"] == "gb18030"
    assert len(log["sources"][0]["sha256"]) == 64


def test_plain_utf8_and_row_numbers_are_file_lines(tmp_path, master):
    frame = monthly()
    frame.loc[2, "value"] = "abc"  # data row 3 = file line 4
    report = import_files([write_csv(tmp_path / "monthly_parameters.csv", frame)], master)
    assert report.exit_code == 1
    q = quarantine(report, "monthly_parameters")
    assert q["row_number"].tolist() == ["4"]
    assert q["source_file"].tolist() == ["monthly_parameters.csv"]


def test_blank_lines_and_multiline_cells_keep_physical_line_numbers(tmp_path):
    text = ("enterprise_id,enterprise_name,province,city,industry_code,verifier_name\n"
            f'{E1},"Two\nline name",江苏,南京,power,\n'
            "\n"
            f"{E1[:-1]}X,Bad code,江苏,南京,power,\n")
    src = tmp_path / "enterprises.csv"
    src.write_text(text, encoding="utf-8")
    report = import_files([src], tmp_path / "ds")
    assert report.tables["enterprises"].read == 2
    q = quarantine(report, "enterprises")
    assert q["row_number"].tolist() == ["5"]
    name = Dataset(tmp_path / "ds").read("enterprises")["enterprise_name"].tolist()
    assert name == ["Two\nline name"]


def test_title_row_above_the_header_and_row_beyond_the_header(tmp_path):
    text = ("重点排放单位名录（导出）\n"
            "统一社会信用代码,企业名称,省份,地市,行业\n"
            f"{E1},南京示范电厂,江苏,南京,发电\n"
            f"{credit_code_2()},苏州示范热电,江苏,苏州,电力,extra,cells\n")
    src = tmp_path / "企业信息.csv"
    src.write_text(text, encoding="utf-8")
    report = import_files([src], tmp_path / "ds")
    assert report.tables["enterprises"].read == 2
    assert report.tables["enterprises"].imported == 1
    q = quarantine(report, "enterprises")
    assert q["row_number"].tolist() == ["4"]
    assert "'extra', 'cells'" in q["reason_en"][0]


def credit_code_2() -> str:
    return enterprises()["enterprise_id"][1]


def test_xlsx_sheets_named_by_chinese_aliases(tmp_path):
    path = tmp_path / "platform_export.xlsx"
    bad_units = zh(units(), "units").rename(columns={"装机容量": "装机容量(万千瓦)"})
    bad_units["装机容量(万千瓦)"] = ["60", "66", "39"]
    bad_units.loc[2, "燃料类型"] = "柴油"
    with pd.ExcelWriter(path, engine="xlsxwriter") as xl:
        zh(enterprises(), "enterprises").to_excel(xl, sheet_name="企业", index=False)
        bad_units.to_excel(xl, sheet_name="机组", index=False, startrow=2)
        zh_monthly().to_excel(xl, sheet_name="月度存证", index=False)
        pd.DataFrame({"说明": ["导出说明"]}).to_excel(xl, sheet_name="说明", index=False)
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 2  # the notes sheet names no table
    assert "说明" in report.errors[0]["message_en"]
    assert report.tables["enterprises"].imported == 2
    assert report.tables["units"].imported == 2
    q = quarantine(report, "units")
    assert q["row_number"].tolist() == ["6"]  # header on row 3, G1 on row 6
    assert q["source_file"].tolist() == ["platform_export.xlsx[机组]"]
    assert report.tables["monthly_parameters"].imported == 13
    stored = Dataset(tmp_path / "ds").read("units").set_index("unit_id")["capacity_mw"]
    assert stored.to_dict() == {"U1": 600.0, "U2": 660.0}
    assert {"table": "units", "column": "capacity_mw", "from_unit": "万千瓦", "to_unit": "MW",
            "factor": 10.0, "rows": 2} in report.conversions


def test_parquet_with_typed_columns(tmp_path, master):
    frame = monthly()
    frame["value"] = frame["value"].astype(float)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"])
    frame["revision"] = 0
    path = tmp_path / "monthly_parameters_part-00000.parquet"
    frame.to_parquet(path, index=False)
    report = import_files([path], master)
    assert report.exit_code == 0, report.to_json()
    stored = Dataset(master).read("monthly_parameters")
    assert stored["value"].sum() == pytest.approx(frame["value"].sum())
    assert (stored["submitted_at"] == pd.Timestamp("2024-04-10 09:30")).all()


def test_undecodable_bytes_are_a_file_error_and_other_files_still_import(tmp_path, master):
    bad = tmp_path / "monthly_parameters.csv"
    bad.write_bytes(b"unit_id,period\n\xff\xfe\x00\x81\xfe\xff\x80\x80\n" * 3)
    good = write_csv(tmp_path / "月度存证_2024-04.csv", zh_monthly(), "gbk")
    report = import_files([bad, good], master)
    assert report.exit_code == 2
    [error] = report.errors
    assert error["file"] == str(bad)
    assert "cannot decode" in error["message_en"] and "UTF-8" in error["message_en"]
    assert "编码" in error["message_zh"]
    assert report.tables["monthly_parameters"].imported == 13


def test_utf16_tab_separated_text(tmp_path):
    path = tmp_path / "enterprises.txt"
    path.write_text(enterprises().to_csv(sep="\t", index=False), encoding="utf-16")
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    assert report.tables["enterprises"].imported == 2


def test_decode_never_guesses_a_western_encoding():
    latin = "Café,naïve\n".encode("cp1252") * 5
    with pytest.raises(FileError):
        decode(latin + b"\x81\x8d\x8f", ["gb18030"])
    assert decode(codecs.BOM_UTF8 + "机组".encode(), []) == ("机组", "utf-8-sig")


@pytest.mark.parametrize("name, message", [
    ("notes.csv", "cannot tell which table"),
    ("enterprises.xls", "unsupported file type"),
    ("missing.csv", "cannot read the file"),
])
def test_file_errors(tmp_path, name, message):
    path = tmp_path / name
    if name != "missing.csv":
        write_csv(path, enterprises())
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 2
    assert message in report.errors[0]["message_en"]
    assert report.tables == {}


def test_table_option_overrides_the_file_name(tmp_path):
    path = write_csv(tmp_path / "export.csv", enterprises())
    assert import_files([path], tmp_path / "a").exit_code == 2
    report = import_files([path], tmp_path / "b", table="重点排放单位")
    assert report.exit_code == 0 and report.tables["enterprises"].imported == 2
    assert import_files([path], tmp_path / "c", table="nonsense").exit_code == 2


def test_missing_required_column_lists_accepted_headers(tmp_path):
    path = write_csv(tmp_path / "enterprises.csv", enterprises().drop(columns="province"))
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 2
    message = report.errors[0]["message_en"]
    assert "province" in message and "省份" in message and "所在省份" in message


def test_two_headers_for_one_column_are_a_file_error(tmp_path):
    frame = enterprises()
    frame["企业名称"] = frame["enterprise_name"]
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 2 and "enterprise_name" in report.errors[0]["message_en"]


def test_header_with_an_unconvertible_unit_is_a_file_error(tmp_path):
    frame = units().rename(columns={"capacity_mw": "装机容量(吨)"})
    report = import_files([write_csv(tmp_path / "units.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 2 and "装机容量(吨)" in report.errors[0]["message_en"]
