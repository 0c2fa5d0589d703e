"""Malformed input never crashes the import and never loses a row.

Hypothesis mangles a valid monthly file (garbage cells, empty cells, extra
columns, line breaks inside cells) and writes it in a random encoding; the
import must account for every non-blank row: read == imported + quarantined,
and every quarantined row is in the quarantine file under its own line number.
"""

import shutil

import pandas as pd
import pytest
from conftest import enterprises, monthly, quarantine, units, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.dataset import Dataset
from workbench.ingest import import_files

ALPHABET = (" ,;\"'\n0123456789.-+eE%/:年月日是否abcxyzABC_" "机组煤电量参数数值单位测试错误"
            "１２３（）％，")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")
CELL = st.text(alphabet=ALPHABET, max_size=12)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def master_once(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    dataset = root / "dataset"
    import_files([write_csv(root / "enterprises.csv", enterprises()),
                  write_csv(root / "units.csv", units())], dataset)
    return root, dataset


@st.composite
def mangled(draw):
    base = pd.concat([monthly(("U1", "U2")), monthly(("U1",), "2024-04")], ignore_index=True)
    rows = draw(st.lists(st.integers(0, len(base) - 1), max_size=25))
    frame = base.iloc[rows].reset_index(drop=True).astype(object)
    for _ in range(draw(st.integers(0, 20))):
        if frame.empty:
            break
        r = draw(st.integers(0, len(frame) - 1))
        c = draw(st.sampled_from(list(frame.columns)))
        frame.loc[r, c] = draw(st.one_of(CELL, st.just("")))
    for name in draw(st.lists(st.text(alphabet="abcdefg备注说明", min_size=1, max_size=5),
                              max_size=3, unique=True)):
        frame[f"x_{name}"] = draw(st.lists(CELL, min_size=len(frame), max_size=len(frame)))
    return frame, draw(st.sampled_from(ENCODINGS))


def expected_lines(frame: pd.DataFrame) -> list[int]:
    """File line of each non-blank data row as ``to_csv`` writes it (header on line 1)."""
    lines, line = [], 2
    for row in frame.itertuples(index=False):
        cells = ["" if v is None else str(v) for v in row]
        if any(c.strip() for c in cells):
            lines.append(line)
        line += 1 + sum(c.count("\n") for c in cells)
    return lines


@SETTINGS
@given(mangled())
def test_mangled_files_never_crash_and_never_lose_rows(master_once, case):
    root, dataset = master_once
    frame, encoding = case
    folder = root / f"case-{encoding}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = write_csv(folder / "monthly_parameters.csv", frame, encoding)
    before = len(Dataset(dataset).read("monthly_parameters"))
    report = import_files([path], dataset)
    assert report.errors == []
    lines = expected_lines(frame)
    counts = report.tables["monthly_parameters"]
    assert counts.read == len(lines)
    assert counts.read == counts.imported + counts.quarantined
    q = quarantine(report, "monthly_parameters")
    assert len(q) == counts.quarantined
    numbers = [int(n) for n in q.get("row_number", [])]
    assert len(set(numbers)) == len(numbers) and set(numbers) <= set(lines)
    written = counts.imported - counts.already_present
    assert len(Dataset(dataset).read("monthly_parameters")) == before + written
    assert report.exit_code == (1 if counts.quarantined else 0)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_random_bytes_are_reported_not_raised(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"monthly_parameters{suffix}"
    path.write_bytes(data)
    report = import_files([path], folder / "ds")
    for counts in report.tables.values():
        assert counts.read == counts.imported + counts.quarantined
    assert report.exit_code in (0, 1, 2)
    assert report.exit_code == 2 or report.tables
