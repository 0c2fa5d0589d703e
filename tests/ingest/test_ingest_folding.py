"""Quotes closed mid-file: a stray quote that folds whole records into one cell is refused,
naming the file, the physical lines and the column; legitimate multi-line cells still pass.
"""

from __future__ import annotations

import copy
import string
from pathlib import Path

import pandas as pd
from conftest import credit_code, enterprises, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.ingest import import_files, readers

COLUMNS = list(enterprises().columns)  # 6 columns: a record line carries 5 commas


def many_enterprises(n: int) -> pd.DataFrame:
    frame = pd.concat([enterprises()] * (n // 2), ignore_index=True)
    frame["enterprise_id"] = [credit_code(i) for i in range(1, len(frame) + 1)]
    return frame


def test_stray_quote_closed_fifteen_rows_later_is_refused(tmp_path):
    lines = many_enterprises(80).to_csv(index=False).splitlines()
    # data row 45 is physical line 46; its last cell (verifier_name, empty on odd rows)
    # opens a quote that the last cell of data row 60 (line 61) closes
    assert lines[45].endswith(",") and not lines[60].endswith(",")
    lines[45] += '"'
    lines[60] += '"'
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 2, report.to_json()
    [error] = report.errors
    assert error["file"] == str(path)
    en, zh = error["message_en"], error["message_zh"]
    assert "column 6 (verifier_name)" in en and "starting on line 46" in en
    assert "spans lines 46-61" in en and "lines 47-61 inside it (15 in all)" in en
    assert "第 46 行" in zh and "第 6 列（verifier_name）" in zh and "第 47-61 行" in zh
    assert report.tables == {}  # nothing read, so never "read 65 = imported 65"
    assert not Dataset(tmp_path / "ds").has("enterprises")


def test_stray_quote_closed_on_the_next_line_is_refused(tmp_path):
    lines = many_enterprises(10).to_csv(index=False).splitlines()
    lines[3] += '"'             # line 4 opens, line 5 closes: line 5 itself is one record
    lines[4] += '"'
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = import_files([path], tmp_path / "ds").errors[0]["message_en"]
    assert "spans lines 4-5" in error and "lines 5 inside it (1 in all)" in error


def test_line_numbers_count_the_breaks_of_earlier_cells(tmp_path):
    frame = many_enterprises(10)
    frame.loc[2, "enterprise_name"] = "南京\n示范\n电厂"   # data row 3 = lines 4-6, legitimate
    lines = frame.to_csv(index=False).splitlines()
    assert lines[5].startswith('电厂"') and lines[5].endswith(",") and lines[7].endswith(",")
    lines[5] += '"'                                      # opens on line 6, closes on line 8
    lines[7] += '"'
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = import_files([path], tmp_path / "ds").errors[0]["message_en"]
    assert "record starting on line 4 spans lines 4-8" in error
    assert "lines 7-8 inside it (2 in all)" in error


def test_multi_line_cells_with_commas_are_still_accepted(tmp_path):
    frame = enterprises()
    frame.loc[0, "enterprise_name"] = "南京示范电厂,一期\n江宁区,科学园\n\n二期"
    frame.loc[1, "verifier_name"] = '示范核查机构\n"驻场",第三组'
    path = write_csv(tmp_path / "enterprises.csv", frame)
    report = import_files([path], tmp_path / "ds")
    assert report.exit_code == 0, report.to_json()
    stored = Dataset(tmp_path / "ds").read("enterprises")
    assert stored["enterprise_name"].tolist()[0] == "南京示范电厂,一期\n江宁区,科学园\n\n二期"
    assert report.tables["enterprises"].read == 2


# -- properties ----------------------------------------------------------------------------
LIMITS = readers.Limits.from_config(copy.deepcopy(load_config())["import"])
_TEXT = st.text(alphabet=string.ascii_letters + " ,;\"'南京\n", max_size=30)


def _cell_text(text: str) -> str:
    """A cell whose every line has fewer than len(COLUMNS) - 1 commas (text, not a record)."""
    return "\n".join(line.replace(",", "", max(0, line.count(",") - (len(COLUMNS) - 2)))
                     for line in text.split("\n"))


def _read(path: Path) -> readers.SourceRead:
    return readers.read_source(path, "enterprises", ["gb18030"], LIMITS)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(_TEXT, min_size=len(COLUMNS) - 1, max_size=len(COLUMNS) - 1),
                      min_size=1, max_size=8))
def test_well_quoted_multi_line_cells_are_read_exactly(tmp_path, cells):
    rows = [[f"E{n}", *map(_cell_text, row)] for n, row in enumerate(cells)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    path = tmp_path / "enterprises.csv"
    frame.to_csv(path, index=False)
    read = _read(path)
    assert read.errors == []
    [sheet] = read.sheets
    assert sheet.frame.to_numpy().tolist() == rows
    text = path.read_text(encoding="utf-8")
    assert sheet.row_numbers[-1] + frame.iloc[-1].str.count("\n").sum() == text.count("\n")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(3, 40), data=st.data())
def test_a_stray_quote_never_folds_records_silently(tmp_path, n, data):
    opened = data.draw(st.integers(2, n), label="line that opens")   # physical line numbers
    closed = data.draw(st.integers(opened + 1, n + 1), label="line that closes")
    lines = [",".join(COLUMNS)] + [f"E{i},name {i},江苏,南京,power,v{i}" for i in range(n)]
    head, last = lines[opened - 1].rsplit(",", 1)
    lines[opened - 1] = f'{head},"{last}'
    lines[closed - 1] += '"'
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = _read(path)
    assert read.sheets == []
    [error] = read.errors
    assert f"starting on line {opened} spans lines {opened}-{closed}" in error.en
    assert f"({closed - opened} in all)" in error.en
