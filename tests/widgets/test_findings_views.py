"""Finding form and list, browserless, over a real SQLite findings store."""

from __future__ import annotations

import datetime as dt

import pytest

from widgets.apps import ReviewerApp
from workbench.config import load_config
from workbench.findings import open_store
from workbench.findings.codes import STATUSES
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
    app.findings.choose(saved.id)
    app.findings.button("sent_for_rectification").click()
    assert store.get(saved.id).status == "sent_for_rectification"
    app.findings.choose(saved.id, "")
    app.findings.button("dismissed").click()         # dismissing needs a reason: refused
    assert store.get(saved.id).status == "sent_for_rectification"
    assert app.findings.message
    assert store.verify().ok


def _app_with_a_finding(review, store, title="碳含量偏低"):
    app = ReviewerApp(review, store=store)
    app.value = review.enterprise_list()["enterprise_id"].iloc[0]
    app.form.fill(evidence=[0], title=title, category="carbon_content", description="d")
    return app


def test_a_double_click_on_save_stores_one_finding(review, tmp_path):
    store = _store(tmp_path)
    app = _app_with_a_finding(review, store)
    app.form._w_save.click()
    first = app.form.value
    app.form._w_save.click()
    assert app.form.value == first and not app.form._w_save.disabled
    assert "已保存" in app.form.message and first.id in app.form.message
    assert [f.id for f in store.list()] == [first.id] and len(store.history()) == 1
    app.form._saved_digest = None                    # forgotten: the store still stores one
    app.form._w_save.click()                         # warned first: same evidence
    assert first.id[:8] in app.form.message and "相同的证据" in app.form.message
    app.form._w_save.click()
    assert app.form.value == first and [f.id for f in store.list()] == [first.id]
    app.form.fill(title="另一个问题")                 # same evidence, another finding
    app.form._w_save.click()
    assert len(store.list()) == 1 and "相同的证据" in app.form.message
    app.form._w_save.click()                         # saved once confirmed
    assert len(store.list()) == 2 and app.form.value.title == "另一个问题"


def test_only_valid_next_steps_are_offered_after_every_move(review, tmp_path):
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": ["江苏"], "bob": ["江苏"]}
    url = f"sqlite:///{tmp_path / 'findings.sqlite'}"
    store = open_store(url, config=cfg, actor="alice")
    app = _app_with_a_finding(review, store)
    app.form._w_save.click()
    fid = app.form.value.id
    lst = app.findings
    lst.choose(fid)
    assert lst.steps == ["sent_for_rectification", "dismissed"]
    for to, offered in (("sent_for_rectification", ["rectified", "dismissed"]),
                        ("rectified", ["closed", "sent_for_rectification", "dismissed"])):
        if to == "rectified":
            lst.button(to).click()                   # no rectification document: refused
            assert store.get(fid).status == "sent_for_rectification"
            assert "整改证明" in lst.message
            lst.choose(fid, evidence=("苏环整改〔2025〕12号", dt.date(2025, 7, 1)))
        lst.button(to).click()
        assert store.get(fid).status == to, lst.message
        assert lst.steps == offered                  # refreshed, forward step first
        assert lst._w_steps.children[1].description == f"→ {STATUSES[offered[0]][0]}"
    lst.choose(fid, "整改材料齐全")
    lst.button("closed").click()                     # alice rectified it: four eyes refuse
    assert store.get(fid).status == "rectified" and "四眼" in lst.message
    assert lst.steps == ["closed", "sent_for_rectification", "dismissed"]
    bob = ReviewerApp(review, store=open_store(url, config=cfg, actor="bob"))
    bob.value = app.value
    bob.findings.choose(fid, "整改材料齐全")
    bob.findings.button("closed").click()
    assert store.get(fid).status == "closed", bob.findings.message
    assert bob.findings.steps == [] and bob.findings.value[0].status == "closed"
    assert "无后续步骤" in bob.findings._w_steps.children[0].value
    history = bob.findings._w_history.value
    assert history.count("<tr>") == 5 and "bob" in history and "整改材料齐全" in history
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
    assert app.findings._w_steps not in app.findings.widget.children
    assert app.findings._w_reason not in app.findings.widget.children
