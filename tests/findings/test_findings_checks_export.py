"""Findings exports explain the checks their evidence flags name: a checks sheet in the XLSX
and a "checks used" table in the HTML, with the rule, rationale, source and the thresholds of
the store's configuration."""

from __future__ import annotations

import html

import openpyxl
import pytest

from workbench.checks_doc import EXPLANATION_COLUMNS, check_explanation
from workbench.exports import other_locale
from workbench.findings import open_store
from workbench.findings.sheet_export import export, gather
from workbench.i18n import pick

CHECKS = ("evidence.date_order", "accounting.co2_recompute")


@pytest.fixture
def flagged(sqlite_url, cfg, dataset, draft, units):
    """alice's store with one finding citing two checks, its config's CO2 tolerance changed."""
    cfg["checks"]["co2_recompute_rel_tol"] = 0.0077
    store = open_store(sqlite_url, config=cfg, actor="alice")
    ent = draft["enterprise_id"]
    flags = [{"check_id": cid, "enterprise_id": ent, "unit_id": units[ent][0],
              "period": "2024-03", "parameter_code": "co2_t"} for cid in CHECKS * 2]
    store.create({**draft, "flags": flags}, dataset)
    yield store
    store.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_xlsx_has_a_sheet_explaining_the_checks_used(flagged, tmp_path, locale):
    items, context = gather(flagged)
    book = openpyxl.load_workbook(export(items, tmp_path / "f.xlsx", "xlsx", context=context,
                                         locale=locale))
    sheet = book[[n for n in book.sheetnames if "Checks" in n][0]]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [pick(*pair, locale) for pair in EXPLANATION_COLUMNS.values()]
    assert rows[1] == [pick(*pair, other_locale(locale)) for pair in EXPLANATION_COLUMNS.values()]
    found = [dict(zip(EXPLANATION_COLUMNS, r, strict=True)) for r in rows[2:]]
    assert [r["check_code"] for r in found] == ["accounting.co2_recompute", "evidence.date_order"]
    co2 = found[0]
    e = check_explanation("accounting.co2_recompute", flagged.config, locale)
    assert co2["check_title"] == e["title"] and co2["rationale"] == e["rationale"]
    assert co2["source"].startswith(e["source"]) and all(r in co2["source"]
                                                         for r in e["references"])
    assert "checks.co2_recompute_rel_tol = 0.0077" in co2["thresholds"]
    about = [r[1] for r in book.worksheets[-1].iter_rows(values_only=True)]
    assert "rationale" in about and "thresholds" in about


def test_html_ends_with_the_checks_used(flagged, tmp_path):
    items, context = gather(flagged)
    page = export(items, tmp_path / "f.html", "html", context=context, locale="en").read_text(
        "utf-8")
    section = page.split('<section class="checks">', 1)[1]
    assert "Checks used" in section and "检查项说明" in section
    for cid in CHECKS:
        e = check_explanation(cid, flagged.config, "en")
        for text in (cid, e["title"], e["rationale"], e["source"]):
            assert html.escape(text) in section, text
    assert "checks.co2_recompute_rel_tol = 0.0077" in section


def test_an_export_without_flags_explains_no_check(sqlite_url, cfg, dataset, draft, tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    store.create(draft, dataset)
    items, context = gather(store)
    page = export(items, tmp_path / "f.html", "html", context=context).read_text("utf-8")
    assert '<section class="checks">' not in page
    book = openpyxl.load_workbook(export(items, tmp_path / "f.xlsx", "xlsx", context=context))
    assert book["检查项 Checks"].max_row == 2
    store.close()
