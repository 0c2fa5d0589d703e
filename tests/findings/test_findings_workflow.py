"""Records kept right by the store on SQLite and PostgreSQL: a repeated save stores one
finding, and closing needs a reason and, with four eyes, another reviewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from steps import move

from workbench.findings import PermissionDenied, ValidationError, open_store
from workbench.findings.codes import FINAL_STATUSES, NEXT_STEPS, TRANSITIONS
from workbench.findings.model import findings


def test_a_repeated_save_stores_one_finding(store, draft, dataset):
    flag = {"check_id": "evidence.date_order", "enterprise_id": draft["enterprise_id"],
            "period": "2024-03"}
    first = store.create({**draft, "flags": [flag]}, dataset)
    again = store.create({**draft, "flags": [flag]}, dataset)
    assert again == first
    assert [f.id for f in store.list()] == [first.id]
    assert len(store.history()) == 1 and store.verify().ok


@pytest.mark.parametrize("change", [
    {"title": "另一个问题"}, {"flags": []}, {"periods": ["2024-04"]},
])
def test_a_different_draft_is_a_new_finding(store, draft, dataset, change):
    flag = {"check_id": "evidence.date_order", "enterprise_id": draft["enterprise_id"],
            "period": "2024-03"}
    first = store.create({**draft, "flags": [flag]}, dataset)
    second = store.create({**draft, "flags": [flag], **change}, dataset)
    assert second.id != first.id and len(store.list()) == 2


def test_same_draft_by_another_reviewer_or_after_a_change_is_new(store, db_url, cfg, draft,
                                                                 dataset):
    first = store.create(draft, dataset)
    nat = open_store(db_url, config=cfg, actor="nat")
    assert nat.create(draft, dataset).id != first.id
    nat.close()
    store.transition(first.id, "sent_for_rectification", first.version)
    assert store.create(draft, dataset).id != first.id
    assert len(store.list()) == 3


def test_same_draft_after_the_window_is_new(store, draft, dataset):
    first = store.create(draft, dataset)
    with store.engine.begin() as conn:          # age the first finding past the window
        conn.execute(findings.update().values(
            created_at=datetime.now(UTC) - store.duplicate_window - timedelta(seconds=1)))
    assert store.create(draft, dataset).id != first.id
    assert len(store.list()) == 2


def _rectified(store, draft, dataset):
    f = store.create(draft, dataset)
    f = store.transition(f.id, "sent_for_rectification", f.version)
    return move(store, f, "rectified")


def test_closing_needs_a_reason_and_another_reviewer(store, db_url, cfg, draft, dataset):
    f = _rectified(store, draft, dataset)
    with pytest.raises(PermissionDenied) as info:
        store.transition(f.id, "closed", f.version, reason="整改材料齐全")
    assert "四眼" in info.value.messages("zh-CN")[0]
    assert "another reviewer must close" in info.value.messages("en")[0]
    nat = open_store(db_url, config=cfg, actor="nat")
    with pytest.raises(ValidationError, match="reason"):
        nat.transition(f.id, "closed", f.version, reason=" ")
    assert store.get(f.id) == f
    closed = nat.transition(f.id, "closed", f.version, reason="整改材料齐全")
    nat.close()
    assert (closed.status, closed.status_reason, closed.updated_by) == (
        "closed", "整改材料齐全", "nat")
    assert [e["actor"] for e in store.history(f.id)] == ["alice"] * 3 + ["nat"]
    assert store.verify().ok


def test_the_reviewer_who_rectified_last_may_not_close(store, db_url, cfg, draft, dataset):
    """nat marked it rectified, alice sent it back, nat marked it rectified again: nat
    may not close it, alice may."""
    nat = open_store(db_url, config=cfg, actor="nat")
    f = _rectified(store, draft, dataset)
    f = store.transition(f.id, "sent_for_rectification", f.version)
    f = move(nat, f, "rectified")
    with pytest.raises(PermissionDenied):
        nat.transition(f.id, "closed", f.version, reason="r")
    nat.close()
    assert store.transition(f.id, "closed", f.version, reason="r").status == "closed"


def test_four_eyes_can_be_switched_off(db_url, cfg, draft, dataset):
    cfg["findings"]["four_eyes_close"] = False
    store = open_store(db_url, config=cfg, actor="alice")
    f = _rectified(store, draft, dataset)
    with pytest.raises(ValidationError, match="reason"):
        store.transition(f.id, "closed", f.version)
    assert store.transition(f.id, "closed", f.version, reason="r").status == "closed"
    store.close()


def test_next_steps_match_the_workflow():
    assert {s: frozenset(n) for s, n in NEXT_STEPS.items()} == TRANSITIONS
    assert all(len(set(n)) == len(n) for n in NEXT_STEPS.values())
    assert FINAL_STATUSES == {"closed", "dismissed"}
    assert NEXT_STEPS["rectified"][0] == "closed" and NEXT_STEPS["open"][0] != "dismissed"
