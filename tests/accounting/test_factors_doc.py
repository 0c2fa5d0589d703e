"""docs/factors.md is generated from the factor tables of workbench/defaults.toml and stays
current; it lists every version and row with its value, unit, source and uncertainty."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import factors_doc
from workbench.factors import TABLES, factor_table, versions

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "factors.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_row_of_every_version_is_listed(doc):
    cfg = factors_doc.default_config()
    for table in TABLES:
        for version in versions(cfg, table):
            assert f"### `{table}` · `{version}`" in doc, (table, version)
            for r in factor_table(cfg, table, version).itertuples():
                assert f"| `{r.code}` | {r.label_zh} | {r.label_en} | {r.kind} |" in doc, (
                    table, version, r.code)


def test_the_document_follows_the_version_in_force():
    cfg = factors_doc.default_config()
    cfg["factors"]["steel"] = "2013"
    text = factors_doc.render(cfg)
    assert "### `steel` · `2013` — in force 当前采用" in text
    assert "| `steel` | `2013` | `crude_steel` = 0.0154 tCO2/t [T]" in text
