"""Bilingual findings exports: XLSX (zh/en headers, codes kept, audit history, about sheet,
imports again), self-contained HTML with every database text escaped, PDF through a
headless Chromium (skipped when none is installed), and ``workbench findings export``."""

from __future__ import annotations

import html
import re
import stat
from html.parser import HTMLParser

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from workbench.cli import main
from workbench.exports import ConversionError, find_browser, html_to_pdf
from workbench.findings import open_store
from workbench.findings.cli import EXPORT_FORMATS
from workbench.findings.sheet_columns import FINDING_COLUMNS, HISTORY_COLUMNS
from workbench.findings.sheet_export import FORMATS, export, gather, render_html
from workbench.findings.sheet_import import import_sheet, read_sheet

HOSTILE = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def filled(store, dataset, draft, enterprises, units):
    """alice's store with two findings and five audit entries: one created with a flag,
    retitled to a formula and sent for rectification; one with a hostile title, dismissed."""
    ent = draft["enterprise_id"]
    flag = {"check_id": "evidence.date_order", "enterprise_id": ent, "unit_id": units[ent][0],
            "period": "2024-03", "parameter_code": "cc_tc_per_gj"}
    one = store.create({**draft, "flags": [flag]}, dataset)
    one = store.update(one.id, {"title": FORMULA}, one.version, dataset)
    store.transition(one.id, "sent_for_rectification", one.version)
    two = store.create({**draft, "enterprise_id": enterprises[1], "title": HOSTILE,
                        "description": "a & b <i>c</i>", "materiality_t": None}, dataset)
    store.transition(two.id, "dismissed", two.version, reason="重复 <b>dup</b>")
    return store


def _grid(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_xlsx_has_bilingual_headers_codes_history_and_about(filled, tmp_path):
    items, context = gather(filled)
    path = export(items, tmp_path / "findings.xlsx", "xlsx", context=context)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["问题 Findings", "审计历史 History", "检查项 Checks", "说明 About"]
    sheet, history, _checks, about = book.worksheets

    rows = _grid(sheet)
    assert rows[0] == [zh for zh, _ in FINDING_COLUMNS.values()]
    assert rows[1] == [en for _, en in FINDING_COLUMNS.values()]
    assert "状态" in rows[0] and "Status" in rows[1] and sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(FINDING_COLUMNS)).column_letter}4"
    found = [dict(zip(FINDING_COLUMNS, row, strict=True)) for row in rows[2:]]
    assert [(r["status"], r["status_label"]) for r in found] == [
        ("sent_for_rectification", "已发整改 / Sent for rectification"),
        ("dismissed", "已撤销 / Dismissed")]
    assert [(r["severity"], r["severity_label"]) for r in found] == [("critical",
                                                                      "严重 / Critical")] * 2
    assert found[0]["materiality_t"] == 1234.5 and found[1]["materiality_t"] is None
    title_cell = sheet.cell(3, list(FINDING_COLUMNS).index("title") + 1)
    assert (title_cell.value, title_cell.data_type) == ("'" + FORMULA, "s")  # quoted text
    assert found[1]["title"] == HOSTILE
    widths = {k: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
              for i, k in enumerate(FINDING_COLUMNS)}
    assert widths["description"] > widths["version"] >= 8 and max(widths.values()) <= 62

    trail = _grid(history)
    assert trail[0][:5] == ["序号", "时间 (UTC)", "操作人", "操作", "操作（中英文）"]
    assert trail[1][:4] == ["Seq", "Time (UTC)", "Actor", "Action"]
    entries = [dict(zip(HISTORY_COLUMNS, row, strict=True)) for row in trail[2:]]
    assert len(entries) == len(filled.history()) == 5
    assert [e["action"] for e in entries] == ["create", "update", "transition", "create",
                                              "transition"]
    assert [e["seq"] for e in entries] == [e["seq"] for e in filled.history()]
    assert f"问题标题 / Title: 元素碳含量偏低 → {FORMULA}" in entries[1]["changes"]
    assert "状态 / Status: open → dismissed" in entries[4]["changes"]
    assert {e["actor"] for e in entries} == {"alice"}

    facts = {row[1]: row[2] for row in _grid(about) if row[1]}
    assert facts["Findings"] == "2" and facts["Audit entries"] == "5"
    assert facts["Audit log verification"].startswith("完整：5 条记录")
    assert "intact: 5 entries" in facts["Audit log verification"]
    assert facts["Filters"] == "无 / none"
    assert facts["Database"] == filled.engine.url.render_as_string(hide_password=True)
    assert "***" in facts["Database"] or filled.engine.url.password is None


def test_filters_select_findings_and_their_history_and_a_broken_chain_shows(
        sqlite_url, cfg, dataset, draft, enterprises, tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    kept = store.create(draft, dataset)
    other = store.create({**draft, "enterprise_id": enterprises[1]}, dataset)
    store.transition(other.id, "dismissed", other.version, reason="重复")
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    engine.dispose()

    items, context = gather(store, enterprise_id=kept.enterprise_id, status="open")
    assert [f.id for f in items] == [kept.id]
    assert [e["seq"] for e in context.history] == [1]
    book = openpyxl.load_workbook(export(items, tmp_path / "f.xlsx", "xlsx", context=context,
                                         locale="en"))
    assert book.sheetnames == ["Findings 问题", "History 审计历史", "Checks 检查项", "About 说明"]
    assert book.worksheets[1].max_row == 2 + 1
    facts = {row[0]: row[2] for row in _grid(book.worksheets[3]) if row[0]}
    assert facts["Filters"] == ("Unified social credit code / 统一社会信用代码 = "
                                f"{kept.enterprise_id}; Status / 状态 = open")
    assert facts["Audit log verification"].startswith("broken at entry 2: entry 2 was edited")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_xlsx_export_imports_again(filled, dataset, tmp_path, locale):
    items, context = gather(filled)
    path = export(items, tmp_path / f"findings-{locale}.xlsx", "xlsx", context=context,
                  locale=locale)
    rows, ignored = read_sheet(path)
    assert [number for number, _ in rows] == [3, 4]  # two header rows
    assert {"id", "status", "status_label", "severity_label", "version"} <= set(ignored)
    for (_, back), f in zip(rows, items, strict=True):
        assert filled.check(back, dataset) == filled.check(
            {k: getattr(f, k) for k in back if k != "flags"} | {"flags": f.flags}, dataset)
    report = import_sheet(filled, path, dataset)
    assert report.exit_code == 0 and len(report.imported) == 2
    assert [f.title for f in report.imported] == [FORMULA, HOSTILE]
    assert filled.verify().ok


class _Text(HTMLParser):
    """The text and the start tags of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_is_self_contained_bilingual_and_escapes_database_text(filled, tmp_path):
    items, context = gather(filled)
    page = export(items, tmp_path / "f.html", "html", context=context).read_text("utf-8")
    parsed = _Text()
    parsed.feed(page)
    text = "".join(parsed.text)

    assert '<meta charset="utf-8">' in page and "default-src 'none'" in page
    assert "script" not in parsed.tags and "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and HOSTILE in text
    assert "a &amp; b &lt;i&gt;c&lt;/i&gt;" in page and "i" not in parsed.tags
    assert "重复 <b>dup</b>" in text and "b" not in parsed.tags
    assert not re.search(r"\b(src|href)\s*=|<link|@import|url\(", page)
    assert "碳排放数据质量审核问题清单" in text
    assert "Findings of the carbon data-quality review" in text
    assert page.count('<section class="finding') == 2
    assert "sev-critical" in page and "1,234.5 tCO2" in text
    for words in ("状态", "Status", "已撤销 / Dismissed", "要求更正 / Request correction",
                  "2025-06-30", "evidence.date_order", "元素碳含量", "关联预警", "Evidence flags",
                  "审计历史", "Audit history", "状态 / Status: open → dismissed",
                  "intact: 5 entries"):
        assert words in text, words
    assert len(re.findall(r"<tr><td>\d+</td><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>", page)) == 5


def test_html_locale_orders_the_languages_and_needs_no_store(filled):
    page = render_html(filled.list(), locale="en")
    assert '<html lang="en">' in page
    assert ("<title>Findings of the carbon data-quality review / 碳排放数据质量审核问题清单"
            "</title>") in page
    assert "Status <span class=\"second\">状态</span>" in page and "not verified / 未核验" in page


@pytest.mark.skipif(find_browser() is None, reason="no chromium / chromium-browser / "
                    "google-chrome on PATH to print the PDF")
def test_pdf_is_printed_by_the_browser(sqlite_url, cfg, dataset, draft, tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    store.create({**draft, "title": HOSTILE}, dataset)
    items, context = gather(store)
    path = export(items, tmp_path / "findings.pdf", "pdf", context=context)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1


def test_no_browser_is_a_bilingual_error_and_writes_nothing(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConversionError) as info:
        html_to_pdf(page, tmp_path / "p.pdf")
    assert "未找到" in info.value.zh and "no browser" in info.value.en
    assert not (tmp_path / "p.pdf").exists()


def test_a_failing_or_hanging_browser_is_reported(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    hang = tmp_path / "hang.sh"
    hang.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    hang.chmod(hang.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(ConversionError, match="wrote no PDF"):
        html_to_pdf(page, tmp_path / "p.pdf", browser="true")
    with pytest.raises(ConversionError, match="timed out"):
        html_to_pdf(page, tmp_path / "p.pdf", browser=str(hang), timeout=0.5)
    assert not (tmp_path / "p.pdf").exists()


def test_cli_export_html_and_pdf(filled, tmp_path, monkeypatch):
    assert set(EXPORT_FORMATS) == set(FORMATS)
    url = filled.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "dismissed.html"
    res = CliRunner().invoke(main, ["findings", "export", "--format", "html", "--out", str(out),
                                    "--db", url, "--status", "dismissed", "--locale", "en"])
    assert res.exit_code == 0 and "exported 1 findings" in res.output, res.output
    page = out.read_text("utf-8")
    assert page.count('<section class="finding') == 1 and '<html lang="en">' in page
    assert "Status / 状态 = dismissed" in page
    shown = html.escape(filled.engine.url.render_as_string(hide_password=True))
    assert f"<dd>{shown}</dd>" in page  # the read-only SQLite URI is shown as its file

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    pdf = tmp_path / "f.pdf"
    res = CliRunner().invoke(main, ["findings", "export", "--format", "pdf", "--out", str(pdf),
                                    "--db", url])
    assert res.exit_code == 2 and "未找到" in res.output and "no browser" in res.output
    assert not pdf.exists()
    res = CliRunner().invoke(main, ["findings", "export", "--format", "xlsx", "--out",
                                    str(tmp_path / "no" / "such" / "f.xlsx"), "--db", url])
    assert res.exit_code == 2 and "No such file or directory" in res.output
    res = CliRunner().invoke(main, ["findings", "export", "--help"])
    assert "html" in res.output and "pdf" in res.output and "双语" in res.output
