"""Finding form and list, browserless, over a real SQLite findings store."""

from __future__ import annotations

import datetime as dt

import pytest

from widgets.apps import ReviewerApp
from workbench.config import load_config
from workbench.findings import open_store
from workbench.review import ReviewData


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    return ReviewData.open(demo_dir)


def _store(tmp_path, readonly=False, actor="alice", provinces=("江苏",)):
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": list(provinces)}
    url = f"sqlite:///{tmp_path / 'findings.sqlite'}"
    if readonly:
        open_store(url, config=cfg, actor=actor).close()      # create the schema first
    return open_store(url, readonly=readonly, config=cfg, actor=actor)


def test_finding_from_flags_saved_listed_and_moved(review, tmp_path):
    store = _store(tmp_path)
    app = ReviewerApp(review, store=store)
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    app.value = ent
    app.form.fill(evidence=[0, 1], title="碳含量偏低 carbon too low", category="carbon_content",
                  description="两个月的碳含量低于同类回归带",
                  recommended_action="request_correction",
                  due_date=dt.date(2026, 12, 31))
    assert app.form.draft()["materiality_t"] == pytest.approx(
        review.flags_of(ent).iloc[[0, 1]]["delta_co2_t"].fillna(0).sum() or None)
    app.form._w_save.click()
    assert app.form.value is not None, app.form.message
    saved = store.get(app.form.value.id)
    assert saved.enterprise_id == ent and len(saved.flags) == 2 and saved.status == "open"
    assert [f.id for f in app.findings.value] == [saved.id]
    app.findings.choose(saved.id, "sent_for_rectification")
    app.findings._w_move.click()
    assert store.get(saved.id).status == "sent_for_rectification"
    app.findings.choose(saved.id, "dismissed", "")
    app.findings._w_move.click()                     # dismissing needs a reason: refused
    assert store.get(saved.id).status == "sent_for_rectification"
    assert app.findings.message
    assert store.verify().ok


def test_invalid_finding_is_refused_with_a_message(review, tmp_path):
    store = _store(tmp_path)
    app = ReviewerApp(review, store=store, locale="en")
    app.value = review.enterprise_list()["enterprise_id"].iloc[0]
    app.form.fill(title="", category="other")
    app.form._w_save.click()
    assert app.form.value is None
    assert "title" in app.form.message.lower()
    assert store.list() == []


def test_other_province_is_refused_by_the_store(review, tmp_path):
    store = _store(tmp_path, provinces=("浙江",))
    app = ReviewerApp(review, store=store)
    app.value = review.enterprise_list()["enterprise_id"].iloc[0]
    app.form.fill(title="x", category="other", description="y")
    app.form._w_save.click()
    assert app.form.value is None and store.list() == []


def test_readonly_store_offers_no_write_control(review, tmp_path):
    store = _store(tmp_path, readonly=True)
    app = ReviewerApp(review, store=store)
    assert app.form._w_save.disabled
    assert app.findings._w_move not in app.findings.widget.children
