"""Hostile and broken input: refused with a named file and exit 2, never hung, folded,
stored as mojibake or quadratic; concurrent imports serialised; parts verified.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import E1, credit_code, enterprises, monthly, quarantine, write_csv

from workbench.cli import main
from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.ingest import import_files
from workbench.ingest.readers import MAX_SHEET_CELLS, decode


def config_with(**values) -> dict:
    """The default config with some ``[import]`` keys changed."""
    config = copy.deepcopy(load_config())
    config["import"].update(values)
    return config


def only_error(report) -> dict:
    assert report.exit_code == 2, report.to_json()
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


# -- files that are not regular, or too large ------------------------------------------
def test_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "enterprises.csv"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "workbench", "import", str(fifo), "--into",
                           str(tmp_path / "ds"), "--json"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    error = json.loads(done.stdout)["errors"][0]
    assert error["file"] == str(fifo)
    assert "FIFO" in error["message_en"] and "命名管道" in error["message_zh"]


@pytest.mark.parametrize("name", ["/dev/zero", "DIR"])
def test_devices_and_directories_are_refused(tmp_path, name):
    path = Path(name) if name != "DIR" else tmp_path / "enterprises.csv"
    if name == "DIR":
        path.mkdir()
    error = only_error(import_files([path], tmp_path / "ds", table="enterprises"))
    assert error["file"] == str(path)
    assert "not a regular file" in error["message_en"]


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = write_csv(tmp_path / "enterprises.csv", enterprises())
    error = only_error(import_files([path], tmp_path / "ds", config=config_with(
        max_file_mb=0.0001)))
    assert error["file"] == str(path) and "import.max_file_mb" in error["message_en"]


# -- CSV structure and encodings ---------------------------------------------------------
def test_unterminated_quote_does_not_fold_rows(tmp_path):
    frame = pd.concat([enterprises()] * 3, ignore_index=True)
    frame["enterprise_id"] = [credit_code(n) for n in range(1, 7)]
    lines = frame.to_csv(index=False).splitlines()
    lines[3] += ',"unterminated note'  # data row 3 (line 4): its last cell never closes
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = only_error(import_files([path], tmp_path / "ds"))
    assert error["file"] == str(path)
    assert "line 4" in error["message_en"] and "lines 4-7" in error["message_en"]
    assert not Dataset(tmp_path / "ds").has("enterprises")


def test_quoted_line_breaks_are_still_accepted(tmp_path):
    frame = enterprises()
    frame.loc[0, "enterprise_name"] = "南京\n示范电厂"
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()


def test_gbk_rows_then_utf8_rows_are_refused(tmp_path):
    frame = pd.concat([enterprises()] * 2, ignore_index=True)
    frame["enterprise_id"] = [credit_code(n) for n in range(1, 5)]
    text = frame.to_csv(index=False).splitlines(keepends=True)
    data = "".join(text[:3]).encode("gbk") + "".join(text[3:]).encode("utf-8")
    path = tmp_path / "enterprises.csv"
    path.write_bytes(data)
    assert data.decode("gb18030")  # the whole file is valid GB18030: mojibake without the check
    error = only_error(import_files([path], tmp_path / "ds"))
    assert "line 4 is UTF-8 but line 2 is not" in error["message_en"]


def test_pure_gbk_file_is_still_read(tmp_path):
    report = import_files([write_csv(tmp_path / "enterprises.csv", enterprises(), "gbk")],
                          tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    assert Dataset(tmp_path / "ds").read("enterprises")["province"].tolist() == ["江苏"] * 2
    # a GBK line whose bytes happen to be valid UTF-8 ("路" is "·") is not taken for UTF-8
    assert decode("a,b\n路,1\n中文,2\n".encode("gbk"), ["gb18030"]) == (
        "a,b\n路,1\n中文,2\n", "gb18030")


def test_province_full_names_map_to_the_short_name_and_unknown_are_quarantined(tmp_path):
    frame = pd.concat([enterprises()] * 2, ignore_index=True)
    frame["enterprise_id"] = [credit_code(n) for n in range(1, 5)]
    frame["province"] = ["江苏省", "广西壮族自治区", "姹熻嫃", "北京"]
    frame["city"] = ["南京", "南宁市", "南京", "朝阳区"]  # each a division of its province
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 1
    stored = Dataset(tmp_path / "ds").read("enterprises")
    assert sorted(stored["province"]) == sorted(["江苏", "广西", "北京"])
    q = quarantine(report, "enterprises")
    assert q["row_number"].tolist() == ["4"]
    assert "'姹熻嫃' is not a provincial-level division" in q["reason_en"][0]
    assert {"label": "江苏省", "code": "江苏", "rows": 1, "table": "enterprises",
            "column": "province"} in report.labels


# -- scale: duplicates, columns, headers --------------------------------------------------
def test_many_identical_rows_are_quarantined_in_linear_time(tmp_path, master):
    frame = pd.concat([monthly().iloc[:1]] * 5000, ignore_index=True)
    started = time.perf_counter()
    report = import_files([write_csv(tmp_path / "monthly_parameters.csv", frame)], master)
    assert time.perf_counter() - started < 10
    assert report.tables["monthly_parameters"].quarantined == 5000
    reason = quarantine(report, "monthly_parameters")["reason_en"][0]
    assert "(+4994)" in reason and len(reason) < 400


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_too_many_extra_columns_are_refused(tmp_path, suffix):
    frame = enterprises()
    for n in range(12):
        frame[f"extra_{n}"] = "x"
    path = tmp_path / f"enterprises{suffix}"
    if suffix == ".csv":
        write_csv(path, frame)
    else:
        frame.to_parquet(path)
    error = only_error(import_files([path], tmp_path / "ds",
                                    config=config_with(max_extra_columns=10)))
    if suffix == ".csv":  # refused before parsing: the header area is too wide
        assert "at least 18 columns, more than the limit of 16" in error["message_en"]
    else:
        assert "12 unknown extra columns, more than the limit of 10" in error["message_en"]
        assert "extra_0" in error["message_en"]


def test_a_very_wide_line_is_refused_before_parsing(tmp_path):
    path = tmp_path / "enterprises.csv"
    path.write_text(",".join(f"c{n}" for n in range(50_000)) + "\n", encoding="utf-8")
    error = only_error(import_files([path], tmp_path / "ds"))
    assert "columns, more than the limit" in error["message_en"]


def test_over_long_header_is_refused(tmp_path):
    frame = enterprises()
    frame["备注" * 200] = ""
    error = only_error(import_files([write_csv(tmp_path / "enterprises.csv", frame)],
                                    tmp_path / "ds"))
    assert "header of column 7 is 400 characters long" in error["message_en"]


# -- XLSX ---------------------------------------------------------------------------------
def _xlsx(path: Path, cells: dict[str, object], dimension: str | None = None) -> Path:
    """A workbook with one sheet ``enterprises`` holding ``cells``; its claimed dimension
    rewritten to ``dimension`` when given.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "enterprises"
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    if dimension is None:
        return path
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>',
                              f'<dimension ref="{dimension}"/>'.encode(), data)
            out.writestr(name, data)
    return path


def _enterprise_cells() -> dict[str, object]:
    cells = {}
    for r, row in enumerate([list(enterprises().columns),
                             *enterprises().fillna("").to_numpy().tolist()], start=1):
        for c, value in enumerate(row):
            cells[f"{'ABCDEF'[c]}{r}"] = value
    return cells


def test_xlsx_claimed_dimension_allocates_nothing(tmp_path):
    path = _xlsx(tmp_path / "export.xlsx", _enterprise_cells(), "A1:XFD1048576")
    assert b"A1:XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    assert Dataset(tmp_path / "ds").read("enterprises")["enterprise_id"].tolist()[0] == E1


def test_xlsx_with_cells_in_far_corners_is_refused(tmp_path):
    path = _xlsx(tmp_path / "export.xlsx", {**_enterprise_cells(), "XFD1048576": 1})
    error = only_error(import_files([path], tmp_path / "ds"))
    assert "1,048,576 rows x 16,384 columns" in error["message_en"]
    assert f"{MAX_SHEET_CELLS:,}" in error["message_en"]


# -- one dataset, many writers; verification ----------------------------------------------
def test_second_import_waits_for_the_lock_then_refuses(tmp_path, master):
    path = write_csv(tmp_path / "monthly_parameters.csv", monthly())
    with Dataset(master).lock(timeout=1):
        report = import_files([path], master, config=config_with(lock_timeout_s=0.2))
    error = only_error(report)
    assert error["file"] == str(master) and "another import is writing" in error["message_en"]
    assert import_files([path], master).exit_code == 0


def test_concurrent_imports_lose_nothing(tmp_path, master):
    procs = []
    for n, period in enumerate(["2024-01", "2024-02", "2024-03", "2024-04"]):
        path = write_csv(tmp_path / f"monthly_parameters_{n}.csv", monthly(period=period))
        procs.append(subprocess.Popen([sys.executable, "-m", "workbench", "import", str(path),
                                       "--into", str(master), "--json"],
                                      stdout=subprocess.PIPE, cwd=tmp_path))
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    ds = Dataset(master)
    assert ds.row_counts()["monthly_parameters"] == 4 * len(monthly())
    assert ds.verify() == []


def test_info_verifies_parts_against_the_manifest(master):
    runner = CliRunner()
    ok = runner.invoke(main, ["info", str(master), "--locale", "en"])
    assert ok.exit_code == 0, ok.output
    assert "verified: 2 parts match the manifest" in ok.output
    part = Dataset(master).parts("units")[0]
    part.write_bytes(part.read_bytes() + b"tampered")
    bad = runner.invoke(main, ["info", str(master), "--locale", "en"])
    assert bad.exit_code == 1
    assert "verification FAILED" in bad.output
    assert "units/part-00000.parquet: SHA-256 differs from the manifest" in bad.output
    part.unlink()
    facts = json.loads(runner.invoke(main, ["info", str(master), "--json"]).output)
    assert facts["verified"]["problems"][0]["en"] == "file missing"
