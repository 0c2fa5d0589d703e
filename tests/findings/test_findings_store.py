"""The store on SQLite and PostgreSQL: create, update, workflow, optimistic locking,
permissions, and refusals that leave nothing written."""

from __future__ import annotations

import pytest
from steps import move

from workbench.findings import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationError,
    open_store,
)


def test_create_reads_back_with_evidence_and_audit_entry(store, draft, dataset):
    flag = {"check_id": "evidence.date_order", "enterprise_id": draft["enterprise_id"],
            "period": "2024-03", "parameter_code": "cc_tc_per_gj"}
    f = store.create({**draft, "flags": [flag]}, dataset)
    assert (f.status, f.version, f.created_by, f.province) == ("open", 1, "alice", "江苏")
    assert store.get(f.id) == f
    assert f.flags[0].check_id == "evidence.date_order"
    assert f.flags[0].dataset_fingerprint == dataset.fingerprint
    [entry] = store.history(f.id)
    assert (entry["action"], entry["actor"], entry["dataset_fingerprint"]) == (
        "create", "alice", dataset.fingerprint)
    assert store.verify().ok


def test_update_bumps_the_version_and_a_stale_save_is_refused(store, draft, dataset):
    f = store.create(draft, dataset)
    g = store.update(f.id, {"title": "改后的标题", "flags": []}, f.version, dataset)
    assert (g.version, g.title) == (2, "改后的标题")
    with pytest.raises(StaleVersion) as info:
        store.update(f.id, {"title": "覆盖"}, f.version, dataset)
    assert "请刷新后重试" in info.value.messages("zh-CN")[0]
    assert "reload and try again" in info.value.messages("en")[0]
    assert store.get(f.id).title == "改后的标题"
    assert [e["action"] for e in store.history(f.id)] == ["create", "update"]


def test_two_reviewers_saving_the_same_version_one_wins(store, db_url, cfg, draft, dataset):
    f = store.create(draft, dataset)
    other = open_store(db_url, config=cfg, actor="nat")
    both_read = other.get(f.id)
    store.update(f.id, {"severity": "warning"}, f.version, dataset)
    with pytest.raises(StaleVersion):
        other.update(f.id, {"severity": "info"}, both_read.version, dataset)
    with pytest.raises(StaleVersion):
        other.transition(f.id, "dismissed", both_read.version, reason="r")
    assert store.get(f.id).severity == "warning" and store.get(f.id).version == 2
    other.close()


def test_update_may_not_move_a_finding_to_another_enterprise(store, draft, dataset, enterprises):
    f = store.create(draft, dataset)
    with pytest.raises(ValidationError, match="cannot be changed"):
        store.update(f.id, {"enterprise_id": enterprises[1]}, f.version, dataset)


def _walk(store, closer, f, path):
    """Move ``f`` along ``path`` (reasons given where needed; ``closer`` closes)."""
    for status in path:
        f = move(closer if status == "closed" else store, f, status,
                 reason="重复问题" if status in ("dismissed", "closed") else None)
    return f


@pytest.mark.parametrize("path", [
    ["sent_for_rectification", "rectified", "closed"],
    ["sent_for_rectification", "rectified", "sent_for_rectification", "rectified", "closed"],
    ["dismissed"],
    ["sent_for_rectification", "dismissed"],
    ["sent_for_rectification", "rectified", "dismissed"],
])
def test_legal_workflow_paths(store, db_url, cfg, draft, dataset, path):
    f = store.create(draft, dataset)
    closer = open_store(db_url, config=cfg, actor="nat")   # four eyes: another one closes
    f = _walk(store, closer, f, path)
    closer.close()
    assert f.status == path[-1] and f.version == len(path) + 1
    assert len(store.history(f.id)) == len(path) + 1


@pytest.mark.parametrize(("path", "illegal"), [
    ([], "rectified"), ([], "closed"), (["sent_for_rectification"], "closed"),
    (["sent_for_rectification", "rectified", "closed"], "dismissed"),
    (["dismissed"], "open"), ([], "open"), ([], "reopened"),
])
def test_illegal_transitions_are_refused(store, db_url, cfg, draft, dataset, path, illegal):
    f = store.create(draft, dataset)
    closer = open_store(db_url, config=cfg, actor="nat")
    f = _walk(store, closer, f, path)
    closer.close()
    with pytest.raises(IllegalTransition) as info:
        move(store, f, illegal, reason="r")
    assert info.value.messages("zh-CN") and info.value.messages("en")
    assert store.get(f.id) == f


def test_dismissal_needs_a_reason_and_final_findings_cannot_be_edited(store, draft, dataset):
    f = store.create(draft, dataset)
    with pytest.raises(ValidationError, match="reason"):
        store.transition(f.id, "dismissed", f.version, reason="  ")
    f = store.transition(f.id, "dismissed", f.version, reason="企业已自行更正")
    assert f.status_reason == "企业已自行更正"
    with pytest.raises(IllegalTransition, match="can no longer be edited"):
        store.update(f.id, {"title": "x"}, f.version, dataset)


def test_unknown_finding(store):
    with pytest.raises(NotFound):
        store.get("no-such-id")
    with pytest.raises(NotFound):
        store.transition("no-such-id", "dismissed", 1, reason="r")


def test_other_province_refused_wildcard_allowed_no_identity_refused(db_url, cfg, draft,
                                                                     dataset, store):
    own = store.create(draft, dataset)
    bob = open_store(db_url, config=cfg, actor="bob")
    with pytest.raises(PermissionDenied) as info:
        bob.create(draft, dataset)
    assert "未被分配省份 江苏" in info.value.messages("zh-CN")[0]
    assert "not assigned to province 江苏" in info.value.messages("en")[0]
    with pytest.raises(PermissionDenied):
        bob.transition(own.id, "dismissed", own.version, reason="r")
    with pytest.raises(PermissionDenied, match="no reviewer identity"):
        open_store(db_url, config=cfg, actor="").create(draft, dataset)
    with pytest.raises(PermissionDenied):
        open_store(db_url, config=cfg, actor="mallory").create(draft, dataset)
    cfg["findings"]["reviewer_provinces"]["n" * 129] = ["*"]
    with pytest.raises(PermissionDenied, match="identity too long"):
        open_store(db_url, config=cfg, actor="n" * 129).create(draft, dataset)
    national = open_store(db_url, config=cfg, actor="nat").create(draft, dataset)
    assert national.created_by == "nat"
    assert len(store.list()) == 2 and len(store.history()) == 2


def test_identity_from_environment(db_url, cfg, monkeypatch):
    cfg["general"]["reviewer"] = "from-config"
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert open_store(db_url, config=cfg).actor == "from-config"
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert open_store(db_url, config=cfg).actor == "hub-user"
    monkeypatch.setenv("WORKBENCH_USER", "wb-user")
    assert open_store(db_url, config=cfg).actor == "wb-user"


def test_refused_input_leaves_nothing_written(store, draft, dataset):
    for bad in ({"title": ""}, {"enterprise_id": "91320000NOSUCHONE1"}, {"due_date": "2025-13-01"},
                {"description": "x" * 201}):
        with pytest.raises(ValidationError):
            store.create({**draft, **bad}, dataset)
    assert store.list() == [] and store.history() == []


def test_list_filters(store, draft, dataset, enterprises):
    a = store.create(draft, dataset)
    store.create({**draft, "enterprise_id": enterprises[1]}, dataset)
    store.transition(a.id, "sent_for_rectification", a.version)
    assert [f.id for f in store.list(enterprise_id=draft["enterprise_id"])] == [a.id]
    assert [f.id for f in store.list(status="sent_for_rectification")] == [a.id]
    assert len(store.list(province="江苏")) == 2 and store.list(province="浙江") == []
