"""PostgreSQL as the trust boundary (``workbench db init``): every attempt of issue 11's
table, made from the reviewer's own kernel as the reviewer's own database role (raw SQL
included), is refused by the database or detected by ``verify``.

Roles: alice reviews 浙江, jsu reviews 江苏, sup supervises; every demo enterprise is in
江苏, so alice writing for one is the cross-province attempt.
"""

from __future__ import annotations

import getpass
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from steps import move

from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.findings import (
    IllegalTransition,
    PermissionDenied,
    ReadOnlyStore,
    StaleVersion,
    StoreOpenError,
    ValidationError,
    audit,
    db_admin,
    open_store,
)
from workbench.findings.identity import Authority
from workbench.findings.validation import CONTROL_CHARS

pytestmark = pytest.mark.xdist_group("pg_security")


@dataclass
class Secured:
    """A secured database: its name, the server, and a URL per role."""

    server: object
    name: str

    def url(self, role: str = "postgres") -> str:
        return self.server.url(self.name, role)


@pytest.fixture
def secured(pg_server, pg_url, dataset) -> Secured:
    """A fresh database after ``db init``, with alice (浙江), jsu (江苏), sup and the demo's
    enterprises loaded as master data."""
    db_admin.init(pg_url, four_eyes_close=True)
    db_admin.add_member(pg_url, "alice", "reviewer", ["浙江"])
    db_admin.add_member(pg_url, "jsu", "reviewer", ["江苏"])
    db_admin.add_member(pg_url, "jsu2", "reviewer", ["江苏"])
    db_admin.add_member(pg_url, "sup", "supervisor")
    db_admin.load_enterprises(pg_url, dataset)
    return Secured(pg_server, sa.make_url(pg_url).database)


@pytest.fixture
def plain_cfg() -> dict:
    """The default config (no reviewer provinces: the database decides)."""
    out = load_config()
    out["general"]["mode"] = "reviewer"
    return out


def _sql(url: str, statement: str, **params) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def _refused(url: str, statement: str, match: str, **params) -> None:
    with pytest.raises(sa.exc.DBAPIError, match=match):
        _sql(url, statement, **params)


def _relabelled(dataset, enterprise_id: str, copy: Path) -> Path:
    """A copy of ``dataset`` whose enterprises table puts ``enterprise_id`` in 浙江."""
    shutil.copytree(dataset.path, copy)
    for part in Dataset(copy).parts("enterprises"):
        df = pd.read_parquet(part)
        df.loc[df["enterprise_id"] == enterprise_id, "province"] = "浙江"
        df.to_parquet(part, index=False)
    return copy


def _jsu_finding(secured, plain_cfg, draft, dataset):
    store = open_store(secured.url("jsu"), config=plain_cfg)
    return store, store.create(draft, dataset)


def _everything(secured) -> tuple[list, list]:
    """(findings rows, audit rows) as the admin sees them."""
    engine = sa.create_engine(secured.url())
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text("SELECT * FROM findings ORDER BY id"))]
        log = [tuple(r) for r in conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq"))]
    engine.dispose()
    return rows, log


# -- identity is the database's session_user -------------------------------------------
def test_a_borrowed_name_in_the_environment_is_ignored(secured, plain_cfg, draft, dataset,
                                                       monkeypatch):
    monkeypatch.setenv("WORKBENCH_USER", "bob")
    store, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    assert store.actor == "jsu" and f.created_by == f.updated_by == "jsu"
    assert [e["actor"] for e in store.history()][-1] == "jsu"
    assert store.verify().ok


def test_a_borrowed_actor_argument_or_authority_is_overruled(secured, plain_cfg, draft,
                                                             dataset):
    store = open_store(secured.url("jsu"), config=plain_cfg, actor="bob")
    assert store.actor == "jsu"
    store.authority = Authority("bob", frozenset({"*"}), "config")   # edited in the kernel
    f = store.create(draft, dataset)
    assert f.created_by == "jsu" and store.history(f.id)[0]["actor"] == "jsu"
    f = store.update(f.id, {"title": "改过的标题"}, f.version, dataset)
    assert f.updated_by == "jsu"
    assert store.verify().ok


def test_an_own_config_or_a_patched_check_does_not_grant_a_province(
        secured, plain_cfg, draft, dataset, tmp_path, monkeypatch):
    own = tmp_path / "mine.toml"
    own.write_text('[findings]\nreviewer_provinces = { alice = ["*"] }\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(own))
    store = open_store(secured.url("alice"))
    assert store.authority.provinces == {"浙江"}            # from the database, not the file
    with pytest.raises(PermissionDenied, match="not assigned to province 江苏"):
        store.create(draft, dataset)
    monkeypatch.setattr(Authority, "check", lambda self, province: None)
    store.authority = Authority("alice", frozenset({"*"}), "config")
    with pytest.raises(PermissionDenied) as info:
        store.create(draft, dataset)
    assert "未被分配省份 江苏" in info.value.messages("zh-CN")[0]   # the database's reason
    assert "not assigned to province 江苏" in info.value.messages("en")[0]
    assert _everything(secured)[0] == []


def test_a_relabelled_copy_of_the_dataset_does_not_move_an_enterprise(
        secured, plain_cfg, draft, dataset, tmp_path, monkeypatch):
    copy = _relabelled(dataset, draft["enterprise_id"], tmp_path / "copy")
    relabelled = Dataset(copy)
    assert relabelled.read("enterprises").set_index("enterprise_id").loc[
        draft["enterprise_id"], "province"] == "浙江"
    store = open_store(secured.url("alice"), config=plain_cfg)
    with pytest.raises(PermissionDenied) as info:
        store.create(draft, relabelled)
    assert "belongs to 江苏 in the master data, not 浙江" in info.value.messages("en")[0]
    assert _everything(secured)[0] == []


# -- raw SQL from the reviewer's own role ------------------------------------------------
def test_raw_sql_cannot_delete_insert_or_rewrite(secured, plain_cfg, draft, dataset):
    store, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    before = _everything(secured)
    jsu = secured.url("jsu")
    _refused(jsu, "DELETE FROM findings WHERE id = :id", "permission denied", id=f.id)
    _refused(jsu, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
             "permission denied")
    _refused(jsu, "UPDATE audit_head SET seq = seq - 1", "permission denied")
    _refused(jsu, "UPDATE audit_log SET actor = 'mallory'", "permission denied")
    _refused(jsu, "INSERT INTO wb_reviewer_provinces VALUES ('jsu', '浙江')", "permission denied")
    _refused(jsu, "UPDATE wb_enterprises SET province = '浙江'", "permission denied")
    _refused(jsu, "INSERT INTO wb_anchors (seq, hash) VALUES (1, 'x')", "permission denied")
    _refused(jsu, "UPDATE findings SET created_by = 'bob', version = version + 1",
             "permission denied")                    # not an updatable column
    _refused(jsu, "SET ROLE postgres", "permission denied")
    _refused(jsu, "CREATE ROLE mallory LOGIN", "permission denied")
    assert _everything(secured) == before
    assert store.verify().ok


def test_a_hand_hashed_entry_cannot_be_appended(secured, plain_cfg, draft, dataset):
    """What ``audit.append`` does when called directly, as actor carol (in no table)."""
    store, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    engine = sa.create_engine(secured.url("jsu"))
    with pytest.raises(sa.exc.DBAPIError, match="permission denied"), engine.begin() as conn:
        head = conn.execute(sa.text("SELECT seq, hash FROM audit_head")).one()
        audit.append(conn, (head.seq, head.hash), actor="carol", action="update",
                     finding_id=f.id, payload={"before": None, "after": None},
                     dataset_fingerprint=None)
    engine.dispose()
    assert store.verify().ok and "carol" not in {e["actor"] for e in store.history()}


def test_a_change_without_its_audit_entry_is_refused_at_commit(secured, plain_cfg, draft,
                                                               dataset):
    flag = {"check_id": "evidence.date_order", "enterprise_id": draft["enterprise_id"],
            "period": "2024-03"}
    store, f = _jsu_finding(secured, plain_cfg, {**draft, "flags": [flag]}, dataset)
    jsu = secured.url("jsu")
    _refused(jsu, "UPDATE findings SET title = 'quiet', version = version + 1 WHERE id = :id",
             "changed without its audit entry", id=f.id)
    _refused(jsu, "UPDATE findings SET title = 'quiet' WHERE id = :id", "changed by someone",
             id=f.id)
    _refused(jsu, "DELETE FROM finding_flags WHERE finding_id = :id", "only together",
             id=f.id)
    _refused(jsu, "INSERT INTO finding_flags (finding_id, position, check_id, enterprise_id) "
                  "VALUES (:id, 9, 'x', :e)", "only together", id=f.id, e=f.enterprise_id)
    # a forged entry through the database's own function, for a finding it did not change
    _refused(jsu, "SELECT * FROM wb_append('update', :id, :p, NULL, 'x')",
             "in the transaction that changed", id=f.id,
             p=json.dumps({"before": None, "after": f.to_json()}))
    assert store.get(f.id) == f and store.verify().ok


def test_raw_inserts_of_findings_are_held_to_the_master_data(secured, plain_cfg, draft,
                                                             dataset, enterprises):
    insert = ("INSERT INTO findings (id, enterprise_id, province, periods, title, category, "
              "severity, description, status, created_by, created_at, updated_by, "
              "updated_at, version) VALUES (:id, :e, :p, '[\"2024-03\"]', 't', 'other', "
              "'info', '', 'open', 'x', now(), 'x', now(), 1)")
    alice, jsu = secured.url("alice"), secured.url("jsu")
    _refused(alice, insert, "not assigned to province 江苏", id="a1", e=enterprises[0],
             p="江苏")
    _refused(alice, insert, "belongs to 江苏 in the master data, not 浙江", id="a2",
             e=enterprises[0], p="浙江")
    _refused(jsu, insert, "not in the master data", id="a3", e="91000000000000000X", p="江苏")
    _refused(jsu, insert, "changed without its audit entry", id="a4", e=enterprises[0],
             p="江苏")                            # allowed row, but never logged
    assert _everything(secured)[0] == []


def test_the_other_province_cannot_change_a_finding(secured, plain_cfg, draft, dataset):
    _, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    alice = open_store(secured.url("alice"), config=plain_cfg)
    with pytest.raises(PermissionDenied):
        alice.transition(f.id, "dismissed", f.version, reason="不是我的")
    alice.authority = Authority("alice", frozenset({"*"}), "config")
    with pytest.raises(PermissionDenied, match="not assigned to province 江苏"):
        alice.transition(f.id, "dismissed", f.version, reason="不是我的")
    engine = sa.create_engine(secured.url("alice"))
    with engine.begin() as conn:           # row-level security: the row is not there to update
        hit = conn.execute(sa.text("UPDATE findings SET status = 'dismissed', status_reason = "
                                   "'x', version = version + 1 WHERE id = :id"), {"id": f.id})
        assert hit.rowcount == 0
    engine.dispose()
    assert alice.get(f.id) == f


# -- the workflow is the database's too --------------------------------------------------
def test_the_workflow_holds_in_the_database(secured, plain_cfg, draft, dataset):
    store, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    jsu = secured.url("jsu")
    _refused(jsu, "UPDATE findings SET status = 'closed', version = version + 1 WHERE id = :id",
             "cannot go from open to closed", id=f.id)
    f = move(store, f, "sent_for_rectification")
    _refused(jsu, "UPDATE findings SET status = 'rectified', version = version + 1 "
                  "WHERE id = :id", "rectification document", id=f.id)
    f = move(store, f, "rectified")
    assert (f.rectification_ref, str(f.rectification_date)) == ("苏环整改〔2025〕12号",
                                                                 "2025-07-01")
    store.authority = Authority("someone-else", frozenset({"*"}), "config")  # four eyes dodged
    with pytest.raises(PermissionDenied) as info:
        move(store, f, "closed", reason="整改材料齐全")
    assert "四眼" in info.value.messages("zh-CN")[0]
    other = open_store(secured.url("jsu2"), config=plain_cfg)
    closed = move(other, f, "closed", reason="整改材料齐全")
    assert closed.updated_by == "jsu2"
    with pytest.raises(IllegalTransition, match="no longer"):
        other.update(f.id, {"title": "x"}, closed.version, dataset)
    with pytest.raises(StaleVersion):
        move(other, f, "sent_for_rectification")
    assert other.verify().ok


def test_a_supervisor_reads_and_cannot_write(secured, plain_cfg, draft, dataset):
    _, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    sup = open_store(secured.url("sup"), config=plain_cfg)   # reviewer mode asked for
    assert sup.list() == [f] and sup.verify().ok
    with pytest.raises(PermissionDenied):
        sup.create(draft, dataset)
    _refused(secured.url("sup"), "UPDATE findings SET title = 'x'", "read-only transaction")
    engine = sa.create_engine(secured.url("sup"))
    with pytest.raises(sa.exc.DBAPIError, match="permission denied"), engine.begin() as conn:
        conn.exec_driver_sql("SET default_transaction_read_only = off")
        conn.exec_driver_sql("SET transaction_read_only = off")
        conn.execute(sa.text("UPDATE findings SET title = 'x'"))
    engine.dispose()
    ro = open_store(secured.url("sup"), config=plain_cfg, readonly=True)
    with pytest.raises(ReadOnlyStore):
        ro.create(draft, dataset)


# -- what only verify can see: the admin's own hand ---------------------------------------
def test_verify_names_what_a_superuser_did_outside_the_log(secured, plain_cfg, draft,
                                                           dataset):
    store, f = _jsu_finding(secured, plain_cfg, draft, dataset)
    admin = open_store(secured.url(), config=plain_cfg)
    seq, digest = admin.record_anchor()
    assert store.verify().ok and seq == len(store.history())
    with pytest.raises(PermissionDenied):
        store.record_anchor()                  # reviewers cannot write anchors
    # an entry by carol, correctly hashed and appended by the superuser
    engine = sa.create_engine(secured.url())
    with engine.begin() as conn:
        head = conn.execute(sa.text("SELECT seq, hash FROM audit_head")).one()
        audit.append(conn, (head.seq, head.hash), actor="carol", action="note",
                     finding_id=None, payload={"note": "x"}, dataset_fingerprint=None)
    verdict = store.verify()
    assert verdict.bad_seq == seq + 1 and "carol, who is not a known role" in verdict.reason_en
    with engine.begin() as conn:   # remove it again and rewrite the whole chain with new hashes
        conn.execute(sa.text("DELETE FROM audit_log WHERE actor = 'carol'"))
        entries = [dict(r) for r in conn.execute(
            sa.text("SELECT * FROM audit_log ORDER BY seq")).mappings()]
        prev = audit.GENESIS
        for e in entries:
            e["at"] = "2020-01-01T00:00:00.000000+00:00" if e["seq"] == 1 else e["at"]
            prev_hash, e["hash"] = prev, audit.entry_hash(prev, e)
            conn.execute(sa.text("UPDATE audit_log SET at = :a, prev_hash = :p, hash = :h "
                                 "WHERE seq = :s"),
                         {"a": e["at"], "p": prev_hash, "h": e["hash"], "s": e["seq"]})
            prev = e["hash"]
        conn.execute(sa.text("UPDATE audit_head SET seq = :s, hash = :h"),
                     {"s": len(entries), "h": prev})
    verdict = store.verify()
    assert verdict.bad_seq == seq and "rewritten" in verdict.reason_en   # the table's anchor
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))  # no triggers
        conn.execute(sa.text("DELETE FROM finding_flags WHERE finding_id = :id"), {"id": f.id})
        conn.execute(sa.text("DELETE FROM findings WHERE id = :id"), {"id": f.id})
        conn.execute(sa.text("DELETE FROM wb_anchors"))
    engine.dispose()
    verdict = store.verify()
    assert "deleted outside the log" in verdict.reason_en and f.id in verdict.reason_en


# -- logging in ---------------------------------------------------------------------------
def test_peer_authentication_over_the_socket_names_the_os_user(secured, plain_cfg, draft,
                                                               dataset):
    """The role is the OS user of the process (as a JupyterHub single-user server runs):
    no secret is handed out, and no other role name is accepted over the socket."""
    me = getpass.getuser()
    db_admin.add_member(secured.url(), me, "reviewer", ["江苏"])
    store = open_store(secured.server.socket_url(secured.name), config=plain_cfg)
    assert store.actor == me and store.secured
    assert store.create(draft, dataset).created_by == me
    with pytest.raises(StoreOpenError, match="[Pp]eer authentication failed"):
        open_store(secured.server.socket_url(secured.name, "jsu"), config=plain_cfg)


def test_per_user_credentials_are_set_by_the_admin(secured):
    db_admin.add_member(secured.url(), "cred", "reviewer", ["江苏"], password="s3cret 密码")  # noqa: S106
    engine = sa.create_engine(secured.url())
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = "
                                      "'cred'")).scalar_one()
        provinces = conn.execute(sa.text("SELECT province FROM wb_reviewer_provinces WHERE "
                                         "role_name = 'cred'")).scalars().all()
    engine.dispose()
    assert stored.startswith("SCRAM-SHA-256$") and provinces == ["江苏"]


def test_admin_refusals_name_what_to_fix(secured, sqlite_url):
    with pytest.raises(ValidationError, match="PostgreSQL only"):
        db_admin.init(sqlite_url, True)
    with pytest.raises(ValidationError, match="unknown provinces: 江南"):
        db_admin.add_member(secured.url(), "x1", "reviewer", ["江南"])
    with pytest.raises(ValidationError, match="not valid"):
        db_admin.add_member(secured.url(), 'x"; DROP TABLE findings; --', "reviewer", ["江苏"])


def test_a_reviewer_sees_an_upgrade_it_cannot_run_as_a_clear_refusal(secured, plain_cfg):
    _sql(secured.url(), "UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(StoreOpenError) as info:
        open_store(secured.url("jsu"), config=plain_cfg)
    assert "workbench db init" in str(info.value)


def test_reloading_master_data_counts_and_logs_a_moved_enterprise(secured, dataset, tmp_path,
                                                                  draft):
    assert db_admin.load_enterprises(secured.url(), dataset) == {
        "added": 0, "changed": 0, "unchanged": 68}       # the demo's 60 power + 8 others
    copy = _relabelled(dataset, draft["enterprise_id"], tmp_path / "copy")
    assert db_admin.load_enterprises(secured.url(), Dataset(copy)) == {
        "added": 0, "changed": 1, "unchanged": 67}
    admin = open_store(secured.url(), config=load_config())
    last = admin.history()[-1]
    assert last["action"] == "load_enterprises" and last["actor"] == "postgres"
    assert json.loads(last["payload"])["province_changed"] == [draft["enterprise_id"]]
    assert admin.verify().ok


def test_db_and_anchor_commands(secured, sqlite_url, tmp_path):
    from click.testing import CliRunner

    from workbench.cli import main

    def run(*args):
        return CliRunner().invoke(main, list(args))

    res = run("db", "init", "--db", sqlite_url)
    assert res.exit_code == 2 and "PostgreSQL only" in res.output
    res = run("db", "add-reviewer", "x2", "--provinces", "江苏，江南", "--db", secured.url())
    assert res.exit_code == 2 and "江南" in res.output
    res = run("db", "add-reviewer", "x3", "--provinces", "江苏,浙江", "--db", secured.url())
    assert res.exit_code == 0 and "江苏, 浙江" in res.output
    res = run("db", "add-reviewer", "x4", "--provinces", "江苏", "--db", secured.url("jsu"))
    assert res.exit_code == 2 and "permission denied" in res.output   # reviewers cannot
    res = run("findings", "anchor", "--db", secured.url("jsu"))
    assert res.exit_code == 2 and "permission denied" in res.output
    res = run("findings", "anchor", "--db", secured.url())
    assert res.exit_code == 0 and "wb_anchors" in res.output, res.output
    res = run("findings", "verify", "--db", secured.url("sup"))
    assert res.exit_code == 0 and "intact" in res.output


# -- many writers, and a server that goes away -----------------------------------------
WRITERS, EACH = 8, 30


def _write_as(url: str, cfg: dict, draft: dict, tag: str, go) -> None:
    """Child: as its own role, save EACH findings, sending every 5th for rectification."""
    store = open_store(url, config=cfg)
    dataset = Dataset(Path(__file__).resolve().parents[2] / "data_samples" / "demo")
    go.wait(60)
    for i in range(EACH):
        f = store.create({**draft, "title": f"{tag}-{i}"}, dataset)
        if i % 5 == 0:
            move(store, f, "sent_for_rectification")


def test_eight_reviewer_roles_writing_at_once_lose_nothing(secured, plain_cfg, draft):
    import multiprocessing

    roles = [f"writer{k}" for k in range(WRITERS)]
    for role in roles:
        db_admin.add_member(secured.url(), role, "reviewer", ["江苏"])
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=_write_as, args=(secured.url(r), plain_cfg, draft, r, go))
             for r in roles]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    store = open_store(secured.url("sup"), config=plain_cfg, readonly=True)
    found = store.list()
    assert len(found) == WRITERS * EACH
    assert {(f.title, f.created_by) for f in found} == {
        (f"{r}-{i}", r) for r in roles for i in range(EACH)}
    assert len(store.list(status="sent_for_rectification")) == WRITERS * EACH // 5
    finding_entries = [e for e in store.history() if e["finding_id"]]
    assert len(finding_entries) == WRITERS * EACH * 6 // 5
    assert store.verify().ok


def test_a_server_restart_during_a_save_fails_clearly_and_the_retry_stores_one(
        pg_server, plain_cfg, draft, dataset):
    from pg_server import Server, binaries
    from sqlalchemy import event

    from workbench.findings import StoreUnavailable

    server = Server(binaries())          # its own server: this test restarts it
    try:
        engine = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE r"))
        engine.dispose()
        db_admin.init(server.url("r"), True)
        db_admin.add_member(server.url("r"), "jsu", "reviewer", ["江苏"])
        db_admin.load_enterprises(server.url("r"), dataset)
        store = open_store(server.url("r", "jsu"), config=plain_cfg)
        restarts = []

        @event.listens_for(store.engine, "commit")
        def _restart_once(_conn) -> None:
            if not restarts:
                restarts.append(1)
                server.restart()

        with pytest.raises(StoreUnavailable) as info:
            store.create(draft, dataset)
        assert "连接中断" in info.value.messages("zh-CN")[0]
        assert "try again" in info.value.messages("en")[0]
        assert store.list() == []                        # nothing half-written
        f = store.create(draft, dataset)                 # the retry goes through
        assert store.list() == [f] and store.verify().ok
    finally:
        server.stop()


def test_an_owner_with_createrole_not_a_superuser_can_administer(pg_server, plain_cfg, draft,
                                                                 dataset):
    """docs/deployment.md's setup: the admin owns the database and may create roles, and is
    no superuser."""
    engine = sa.create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DO $$ BEGIN CREATE ROLE wbadmin LOGIN CREATEROLE; "
                             "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        conn.execute(sa.text("CREATE DATABASE owned OWNER wbadmin"))
    engine.dispose()
    admin = pg_server.url("owned", "wbadmin")
    db_admin.init(admin, True)
    db_admin.add_member(admin, "own1", "reviewer", ["江苏"])
    db_admin.add_member(admin, "own2", "supervisor")
    db_admin.load_enterprises(admin, dataset)
    store = open_store(pg_server.url("owned", "own1"), config=plain_cfg)
    f = store.create(draft, dataset)
    assert f.created_by == "own1"
    reader = open_store(pg_server.url("owned", "own2"), config=plain_cfg, readonly=True)
    assert reader.list() == [f] and reader.verify().ok


#: What a reviewer might type: any character, and often the ones JSON and SQL escape.
TYPED = st.one_of(st.characters(exclude_categories=("Cs",)),
                  st.sampled_from(["\x00", "\x1f", "\x7f", "'", '"', "\\", "\n", "\u2028", "中"]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(TYPED, min_size=1, max_size=40).filter(str.strip),
       description=st.text(TYPED, max_size=80))
def test_entries_the_database_hashes_verify_in_python_for_any_text(secured, plain_cfg, draft,
                                                                   dataset, title,
                                                                   description):
    """The database spells the hashed JSON itself (``wb_chain_append``); whatever a reviewer
    types — quotes, backslashes, control characters, any script — Python's verify agrees."""
    store = open_store(secured.url("jsu"), config=plain_cfg)
    if CONTROL_CHARS.search(title.strip() + description.strip()):
        with pytest.raises(ValidationError, match="control character"):
            store.create({**draft, "title": title, "description": description}, dataset)
        return
    f = store.create({**draft, "title": title, "description": description}, dataset)
    assert store.get(f.id).title == title.strip()
    assert store.verify().ok


def test_securing_a_store_already_in_use_keeps_its_log_verifiable(pg_url, cfg, draft,
                                                                   dataset):
    """A PostgreSQL store used before `db init` (identity from the config): its actors
    are registered as legacy members, listed in the init entry, and the chain verifies;
    from then on only registered roles write."""
    before = open_store(pg_url, config=cfg, actor="alice")
    f = before.create(draft, dataset)
    before.close()
    done = db_admin.init(pg_url, four_eyes_close=True)
    assert done["legacy_actors"] == ["alice"]
    assert db_admin.init(pg_url, four_eyes_close=True)["legacy_actors"] == []   # idempotent
    admin = open_store(pg_url, config=cfg)
    assert admin.secured and admin.get(f.id) == f and admin.verify().ok
    entry = next(e for e in admin.history() if e["action"] == "db_init")
    assert json.loads(entry["payload"])["legacy_actors"] == ["alice"]


def test_flag_dispositions_are_held_like_findings(secured, plain_cfg, draft, dataset):
    flag = {"check_id": "evidence.date_order", "enterprise_id": draft["enterprise_id"],
            "period": "2024-03"}
    jsu = open_store(secured.url("jsu"), config=plain_cfg)
    jsu.authority = Authority("bob", frozenset({"*"}), "config")
    d = jsu.dispose(flag, "false_positive", dataset, note="批次号录入错误")
    assert d.created_by == d.updated_by == "jsu"
    alice = open_store(secured.url("alice"), config=plain_cfg)
    alice.authority = Authority("alice", frozenset({"*"}), "config")
    with pytest.raises(PermissionDenied, match="not assigned to province 江苏"):
        alice.dispose(flag, "verified", dataset, expected_version=1)
    url = secured.url("jsu")
    _refused(url, "UPDATE flag_dispositions SET note = 'x', version = version + 1",
             "without its audit entry")
    _refused(url, "UPDATE flag_dispositions SET note = 'x'", "changed by someone")
    _refused(url, "UPDATE flag_dispositions SET created_by = 'bob'", "permission denied")
    _refused(url, "DELETE FROM flag_dispositions", "permission denied")
    _refused(url, "UPDATE flag_dispositions SET disposition = 'explained', note = NULL, "
                  "version = version + 1", "needs a note")
    assert jsu.dispositions() == [d] and jsu.verify().ok
