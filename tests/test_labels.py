"""The one label catalogue (:mod:`workbench.labels`): every header and code word means one
thing, reads in Chinese in zh-CN and in English in en, and no other module keeps a label
table of its own."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from workbench import labels

CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = Path(__file__).resolve().parents[1]
CODE_LISTS = {name: value for name, value in vars(labels).items()
              if name.isupper() and isinstance(value, dict) and name not in
              ("COLUMNS", "TEXT", "CODED_COLUMNS", "INPUTS", "CASE_SHEETS")
              and all(isinstance(v, tuple) and len(v) == 2 for v in value.values())}
#: Modules whose zh/en pairs are not labels: the data contract's own column and code labels, check
#: messages' vocabulary, import refusal messages, the dashboard's busy page.
NOT_LABELS = {"workbench/labels.py", "workbench/schema.py", "workbench/sector_contract.py",
              "workbench/checks/timeseries.py",
              "workbench/ingest/reasons.py", "workbench/dashboard_server/__init__.py"}
#: A dict entry mapping a key to a (Chinese, other) pair: a label table in the making.
LABEL_ENTRY = re.compile(r'"[a-z_]+": \("[^"]*[\u4e00-\u9fff]')


@pytest.mark.parametrize("language", [0, 1], ids=["zh", "en"])
def test_two_headers_never_read_the_same_unless_they_mean_the_same(language):
    by_text = defaultdict(set)
    for name, pair in labels.COLUMNS.items():
        by_text[pair[language]].add(name)
    clashes = {text: names for text, names in by_text.items() if len(names) > 1
               and not any(set(pair) == names for pair in labels.SYNONYMS)}
    assert clashes == {}


@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_every_code_of_a_list_has_its_own_words(name):
    codes = CODE_LISTS[name]
    for language in (0, 1):
        words = [pair[language] for pair in codes.values()]
        assert len(set(words)) == len(words), (name, words)


@pytest.mark.parametrize("table", ["COLUMNS", "TEXT", "INPUTS", "CASE_SHEETS", *CODE_LISTS])
def test_chinese_in_zh_and_none_in_english(table):
    for key, (zh, en) in getattr(labels, table).items():
        assert CJK.search(zh), (table, key, zh)
        assert not CJK.search(en), (table, key, en)


def test_synonyms_are_headers_of_the_catalogue():
    for pair in labels.SYNONYMS:
        assert set(pair) <= set(labels.COLUMNS)
        assert len({labels.COLUMNS[n] for n in pair}) == 1, pair


def test_no_other_module_keeps_a_label_table():
    found = []
    for folder in ("workbench", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in NOT_LABELS:
                continue
            found += [f"{rel}: {line.strip()}" for line in path.read_text("utf-8").splitlines()
                      if LABEL_ENTRY.search(line)]
    assert found == []


def test_header_finds_catalogue_contract_and_parameter_columns():
    assert labels.header("delta_co2_t", "zh-CN") == "排放影响 (tCO2)"
    assert CJK.search(labels.header("ncv_ar_gj_per_t", "zh-CN"))        # a contract column
    assert CJK.search(labels.header("coal_consumption_t", "zh-CN"))     # a monthly parameter
    with pytest.raises(KeyError):
        labels.header("no_such_column", "zh-CN")
