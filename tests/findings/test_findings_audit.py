"""The hash-chained audit log: intact chains verify; editing, removing or reordering
any entry (or changing a finding behind the log's back) is found and named."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from workbench import __version__
from workbench.findings.audit import GENESIS, entry_hash, parse_anchor


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


def test_a_finding_deleted_outside_the_log_is_named(store, draft, dataset):
    made = _filled(store, draft, dataset)
    _sql(store, "DELETE FROM finding_flags WHERE finding_id = :id", id=made[1].id)
    _sql(store, "DELETE FROM findings WHERE id = :id", id=made[1].id)
    verdict = store.verify()
    assert verdict.bad_seq == 5 and made[1].id in verdict.reason_en
    assert "deleted outside the log" in verdict.reason_en and "删除" in verdict.reason_zh


def test_a_finding_inserted_outside_the_log_is_named(store, draft, dataset):
    made = _filled(store, draft, dataset)
    _sql(store, "INSERT INTO findings SELECT 'forged-0000', enterprise_id, province, unit_id, "
                "periods, title, category, severity, description, materiality_t, "
                "recommended_action, due_date, status, status_reason, dataset_fingerprint, "
                "created_by, created_at, updated_by, updated_at, version, rectification_ref, "
                "rectification_date FROM findings WHERE id = :id", id=made[0].id)
    verdict = store.verify()
    assert verdict.bad_seq == 6 and "forged-0000" in verdict.reason_en
    assert "inserted outside the log" in verdict.reason_en


def test_an_entry_whose_before_is_not_the_previous_after_is_named(store, draft, dataset):
    """A forged entry may hash correctly, but its state before must be the state the
    finding's previous entry left."""
    made = _filled(store, draft, dataset)
    entries = store.history()
    payload = json.loads(entries[4]["payload"])
    payload["before"]["title"] = "另一个标题"
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    forged = {**entries[4], "payload": text}
    digest = entry_hash(entries[3]["hash"], forged)
    _sql(store, "UPDATE audit_log SET payload = :p, hash = :h WHERE seq = 5", p=text, h=digest)
    _sql(store, "UPDATE audit_head SET hash = :h", h=digest)
    verdict = store.verify()
    assert verdict.bad_seq == 5 and "does not match the finding's previous entry (2)" in \
        verdict.reason_en, (made, verdict)


def _rewrite_from(store, seq: int, actor: str) -> None:
    """Forge the log as an insider with database access would: change entry ``seq``'s
    actor, recompute every hash from there on and move the head along."""
    entries = store.history()
    prev = entries[seq - 2]["hash"] if seq > 1 else GENESIS
    for e in entries[seq - 1:]:
        e = {**e, "actor": actor} if e["seq"] == seq else e
        digest = entry_hash(prev, e)
        _sql(store, "UPDATE audit_log SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s",
             a=e["actor"], p=prev, h=digest, s=e["seq"])
        prev = digest
    _sql(store, "UPDATE audit_head SET hash = :h", h=prev)


def test_a_wholesale_rewrite_is_found_only_against_a_recorded_anchor(store, draft, dataset):
    _filled(store, draft, dataset)
    anchor = {3: store.history()[2]["hash"]}                 # recorded elsewhere, earlier
    assert store.verify(anchor).ok
    _rewrite_from(store, 2, "mallory")
    assert store.verify().ok                                  # the database alone: undetected
    verdict = store.verify(anchor)
    assert verdict.bad_seq == 3 and "rewritten" in verdict.reason_en
    assert "锚点" in verdict.reason_zh


def test_an_anchor_beyond_the_log_is_missing(store, draft, dataset):
    _filled(store, draft, dataset)
    verdict = store.verify({9: "0" * 64})
    assert verdict.bad_seq == 9 and "missing" in verdict.reason_en


def test_anchor_text_is_parsed_or_refused_with_the_expected_form():
    digest = "ab" * 32
    assert parse_anchor(f" 12:{digest} ") == (12, digest)
    for bad in ("12", f"0:{digest}", f"x:{digest}", "3:abc", f"3:{'G' * 64}"):
        with pytest.raises(ValueError, match="expected SEQ:HASH"):
            parse_anchor(bad)
