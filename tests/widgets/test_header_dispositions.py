"""The enterprise header card and per-flag dispositions in the reviewer app, browserless,
over a real SQLite findings store."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from widgets.apps import ReviewerApp
from widgets.header import EnterpriseHeader
from workbench.config import load_config
from workbench.findings import open_store
from workbench.review import ReviewData


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


@pytest.fixture
def store(tmp_path):
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": ["江苏"]}
    s = open_store(f"sqlite:///{tmp_path / 'findings.sqlite'}", config=cfg, actor="alice")
    yield s
    s.close()


def _text(widget_html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", widget_html.split("</style>")[-1]))


def test_the_card_says_who_is_shown_and_what_makes_its_score(review):
    first = review.enterprise_list().iloc[0]
    header = EnterpriseHeader(review)
    header.show_enterprise(first["enterprise_id"])
    text = _text(header.widget.value)
    ranked = len(review.enterprise_list())
    for fact in (first["enterprise_name"], first["enterprise_id"], first["province"],
                 first["city"], first["verifier_name"], f"风险排名 1/{ranked}"):
        assert str(fact) in text, fact
    card = header.value
    assert card.risk["points"].sum() == pytest.approx(first["risk_score"])
    assert card.flags_total == len(review.flags_of(first["enterprise_id"]))
    assert "检查项" in text and "check_id" not in text            # checks by title
    header.set_locale("en")
    assert "Risk rank 1/" in _text(header.widget.value)
    header.show_enterprise(None)
    assert header.value is None and header.widget.value == ""


def test_findings_and_disposed_flags_are_counted_on_the_card(review, store):
    app = ReviewerApp(review, store=store)
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    app.value = ent
    app.form.fill(evidence=[0], title="逾期未整改", category="carbon_content", description="d",
                  due_date=dt.date(2020, 1, 31))
    app.form._w_save.click()
    assert app.form.value is not None, app.form.message
    text = _text(app.header.widget.value)
    assert "待处理 1" in text and "逾期 1" in text
    assert 'class="wb-overdue"' in app.header.widget.value
    total = len(review.flags_of(ent))
    assert f"{total} 条预警，已处理 0 条" in text

    app.flags.dispose(1, "false_positive", "批次号录入错误，已更正")
    assert app.flags.disposal_message.startswith("已保存"), app.flags.disposal_message
    (saved,) = store.dispositions(ent)
    assert (saved.disposition, saved.note, saved.created_by) == (
        "false_positive", "批次号录入错误，已更正", "alice")
    assert f"{total} 条预警，已处理 1 条" in _text(app.header.widget.value)
    assert app.flags._w_pick.options[1][0].startswith("[误报] ")
    assert "误报：批次号录入错误，已更正" in "".join(
        child.value for child in app.flags._w_groups.children)

    app.flags.dispose(1, "explained", "")                       # a note is needed: refused
    assert "备注: 不能为空" in app.flags.disposal_message
    assert store.dispositions(ent)[0].version == 1
    app.flags.dispose(1, "linked", finding_id=app.form.value.id)
    assert store.dispositions(ent)[0].finding_id == app.form.value.id
    assert store.dispositions(ent)[0].version == 2 and store.verify().ok


def test_a_read_only_store_offers_no_disposition_control(review, tmp_path):
    cfg = load_config()
    url = f"sqlite:///{tmp_path / 'findings.sqlite'}"
    open_store(url, config=cfg, actor="alice").close()
    app = ReviewerApp(review, store=open_store(url, readonly=True, config=cfg))
    app.value = review.enterprise_list()["enterprise_id"].iloc[0]
    buttons = [b for b in app.flags.widget.children if hasattr(b, "children")]
    descriptions = {c.description for box in buttons for c in box.children
                    if hasattr(c, "description")}
    assert "记录处理" not in descriptions


def test_the_findings_list_is_a_grid_with_overdue_findings_highlighted(review, store):
    app = ReviewerApp(review, store=store)
    app.value = review.enterprise_list()["enterprise_id"].iloc[0]
    for i, (title, due) in enumerate((("按期", dt.date(2099, 1, 31)),
                                      ("逾期", dt.date(2020, 1, 31)))):
        app.form.fill(evidence=[i], title=title, category="carbon_content",
                      severity="warning", description="d", due_date=due)
        app.form._w_save.click()
    grid = app.findings.table.grid.data
    assert list(grid["问题标题"]) == ["按期", "逾期"] and list(grid["逾期"]) == ["", "✓"]
    assert set(grid["状态"]) == {"待处理"} and set(grid["严重程度"]) == {"警告"}
