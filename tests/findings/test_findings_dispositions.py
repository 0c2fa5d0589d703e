"""Per-flag dispositions (issue 12 §5) on SQLite and PostgreSQL: 已核实 / 已解释 / 误报 with a
note, or linked to a finding; one current disposition per flag, changed with a version,
each change one transaction with its audit entry; verify sees changes outside the log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from workbench.findings import (
    PermissionDenied,
    ReadOnlyStore,
    StaleVersion,
    ValidationError,
    open_store,
)


@pytest.fixture
def flag(enterprises) -> dict:
    """A screening flag of the first demo enterprise."""
    return {"check_id": "evidence.date_order", "enterprise_id": enterprises[0],
            "period": "2024-03"}


def test_a_flag_is_disposed_then_reconsidered_with_its_history(store, flag, dataset):
    d = store.dispose(flag, "verified", dataset)
    assert (d.disposition, d.version, d.created_by, d.note) == ("verified", 1, "alice", None)
    again = store.dispose(flag, "误报", dataset, note="燃料批次已更正", expected_version=1)
    assert (again.id, again.disposition, again.version) == (d.id, "false_positive", 2)
    assert store.dispositions(flag["enterprise_id"]) == [again]
    entries = [e for e in store.history() if e["action"] == "dispose"]
    assert len(entries) == 2 and store.verify().ok


def test_no_silent_overwrite_of_another_reviewers_disposition(store, db_url, cfg, flag,
                                                              dataset):
    store.dispose(flag, "verified", dataset)
    nat = open_store(db_url, config=cfg, actor="nat")
    with pytest.raises(StaleVersion, match="changed by alice"):
        nat.dispose(flag, "false_positive", dataset, note="不是问题")    # believed none yet
    with pytest.raises(StaleVersion):
        nat.dispose(flag, "false_positive", dataset, note="不是问题", expected_version=3)
    nat.close()
    assert store.dispositions()[0].disposition == "verified"


@pytest.mark.parametrize(("disposition", "note", "finding", "match"), [
    ("explained", None, False, "note: 不能为空 / must not be empty"),
    ("false_positive", "  ", False, "note: 不能为空 / must not be empty"),
    ("linked", None, False, "finding_id: 不能为空 / must not be empty"),
    ("verified", None, True, "only a 'linked' disposition names a finding"),
    ("maybe", None, False, "disposition"),
])
def test_incomplete_dispositions_are_refused(store, flag, dataset, draft, disposition, note,
                                             finding, match):
    fid = store.create(draft, dataset).id if finding else None
    with pytest.raises(ValidationError, match=match):
        store.dispose(flag, disposition, dataset, note=note, finding_id=fid)
    assert store.dispositions() == []


def test_a_flag_is_linked_to_a_finding_of_its_own_enterprise_only(store, flag, dataset, draft,
                                                                  enterprises):
    own = store.create(draft, dataset)
    other = store.create({**draft, "enterprise_id": enterprises[1]}, dataset)
    with pytest.raises(ValidationError, match="another enterprise"):
        store.dispose(flag, "linked", dataset, finding_id=other.id)
    d = store.dispose(flag, "已关联问题", dataset, finding_id=own.id)
    assert (d.disposition, d.finding_id) == ("linked", own.id)


def test_bad_flags_other_provinces_and_read_only_stores_are_refused(store, db_url, cfg, flag,
                                                                   dataset):
    with pytest.raises(ValidationError, match="unknown check"):
        store.dispose({**flag, "check_id": "no.such"}, "verified", dataset)
    with pytest.raises(ValidationError, match="does not belong"):
        store.dispose({**flag, "unit_id": "NO-UNIT"}, "verified", dataset)
    bob = open_store(db_url, config=cfg, actor="bob")
    with pytest.raises(PermissionDenied, match="not assigned to province 江苏"):
        bob.dispose(flag, "verified", dataset)
    with pytest.raises(ReadOnlyStore):
        open_store(db_url, config=cfg, readonly=True).dispose(flag, "verified", dataset)
    assert store.dispositions() == []


def test_verify_sees_a_disposition_changed_or_deleted_outside_the_log(store, flag, dataset):
    d = store.dispose(flag, "verified", dataset)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE flag_dispositions SET note = 'quiet'"))
    verdict = store.verify()
    assert not verdict.ok and f"flag disposition {d.id} differs" in verdict.reason_en
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM flag_dispositions"))
    verdict = store.verify()
    assert "deleted outside the log" in verdict.reason_en and "预警处理" in verdict.reason_zh
