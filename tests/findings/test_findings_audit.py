"""The hash-chained audit log: intact chains verify; editing, removing or reordering
any entry (or changing a finding behind the log's back) is found and named."""

from __future__ import annotations

import json

import sqlalchemy as sa

from workbench import __version__
from workbench.findings.audit import GENESIS, entry_hash


def _filled(store, draft, dataset, n=4):
    """n findings, the second one moved once: n + 1 entries."""
    made = [store.create({**draft, "title": f"问题 {i}"}, dataset) for i in range(n)]
    store.transition(made[1].id, "sent_for_rectification", made[1].version)
    return made


def _sql(store, statement: str, **params) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def test_an_intact_chain_verifies_and_links_every_entry(store, draft, dataset):
    _filled(store, draft, dataset)
    verdict = store.verify()
    assert verdict.ok and verdict.entries == 5
    entries = store.history()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    prev = GENESIS
    for e in entries:
        assert e["prev_hash"] == prev and e["hash"] == entry_hash(prev, e)
        assert e["check_version"] == __version__ and e["dataset_fingerprint"]
        prev = e["hash"]
    assert verdict.head_hash == prev
    assert json.loads(entries[4]["payload"])["before"]["status"] == "open"


def test_an_edited_payload_is_named(store, draft, dataset):
    _filled(store, draft, dataset)
    payload = json.loads(store.history()[2]["payload"])
    payload["after"]["title"] = "改过"
    _sql(store, "UPDATE audit_log SET payload = :p WHERE seq = 3",
         p=json.dumps(payload, ensure_ascii=False))
    verdict = store.verify()
    assert (verdict.ok, verdict.bad_seq) == (False, 3)
    assert "entry 3 was edited" in verdict.reason_en and "第 3 条" in verdict.reason_zh


def test_an_edited_actor_is_named(store, draft, dataset):
    _filled(store, draft, dataset)
    _sql(store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    assert store.verify().bad_seq == 2


def test_a_removed_entry_is_named(store, draft, dataset):
    _filled(store, draft, dataset)
    _sql(store, "DELETE FROM audit_log WHERE seq = 2")
    verdict = store.verify()
    assert verdict.bad_seq == 2 and "missing" in verdict.reason_en


def test_removed_newest_entries_are_found_through_the_head(store, draft, dataset):
    _filled(store, draft, dataset)
    _sql(store, "DELETE FROM audit_log WHERE seq >= 4")
    verdict = store.verify()
    assert verdict.bad_seq == 4 and "head names entry 5" in verdict.reason_en


def test_a_removed_entry_renumbered_to_close_the_gap_is_named(store, draft, dataset):
    _filled(store, draft, dataset)
    _sql(store, "DELETE FROM audit_log WHERE seq = 2")
    for seq in (3, 4, 5):
        _sql(store, "UPDATE audit_log SET seq = :new WHERE seq = :old", new=seq - 1, old=seq)
    _sql(store, "UPDATE audit_head SET seq = 4")
    assert store.verify().bad_seq == 2


def test_two_swapped_entries_are_named(store, draft, dataset):
    _filled(store, draft, dataset)
    _sql(store, "UPDATE audit_log SET seq = -1 WHERE seq = 3")
    _sql(store, "UPDATE audit_log SET seq = 3 WHERE seq = 4")
    _sql(store, "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    verdict = store.verify()
    assert verdict.bad_seq == 3 and "does not follow entry 2" in verdict.reason_en


def test_a_finding_changed_outside_the_log_is_named(store, draft, dataset):
    made = _filled(store, draft, dataset)
    _sql(store, "UPDATE findings SET severity = 'info' WHERE id = :id", id=made[2].id)
    verdict = store.verify()
    assert verdict.bad_seq == 3 and made[2].id in verdict.reason_en
