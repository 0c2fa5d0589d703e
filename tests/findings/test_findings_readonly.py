"""Read-only below the UI: SQLite opened with mode=ro, PostgreSQL in read-only sessions
and a SELECT-only role, each refusing a write in the database itself; and schema
revisions (migrate on open, refuse an unknown one)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from workbench.findings import ReadOnlyStore, StoreOpenError, open_store
from workbench.findings.migrate import head_revision

INSERT = sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, 'x')")


def _count(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM findings")).scalar_one()
    engine.dispose()
    return n


def test_sqlite_read_only_refuses_writes_in_the_database(sqlite_url, cfg, draft, dataset):
    open_store(sqlite_url, config=cfg, actor="alice").create(draft, dataset)
    ro = open_store(sqlite_url, config=cfg, actor="alice", readonly=True)
    assert "mode=ro" in str(ro.engine.url)
    assert len(ro.list()) == 1 and ro.verify().ok
    with pytest.raises(ReadOnlyStore) as info:
        ro.create(draft, dataset)
    assert "只读" in info.value.messages("zh-CN")[0]
    with pytest.raises(sa.exc.OperationalError, match="readonly database"), \
            ro.engine.begin() as conn:
        conn.execute(INSERT)
    assert _count(sqlite_url) == 1


def test_config_mode_readonly_forces_a_read_only_store(sqlite_url, cfg, draft, dataset):
    open_store(sqlite_url, config=cfg, actor="alice")
    cfg["general"]["mode"] = "readonly"
    store = open_store(sqlite_url, config=cfg, actor="alice", readonly=False)
    assert store.readonly
    with pytest.raises(ReadOnlyStore):
        store.create(draft, dataset)


def test_postgresql_read_only_role_and_session_refuse_writes(pg_server, pg_url, cfg, draft,
                                                             dataset):
    open_store(pg_url, config=cfg, actor="alice").create(draft, dataset)
    db = sa.make_url(pg_url).database
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP ROLE IF EXISTS supervisor_ro"))
        conn.execute(sa.text("CREATE ROLE supervisor_ro LOGIN"))
        conn.execute(sa.text(f'GRANT CONNECT ON DATABASE "{db}" TO supervisor_ro'))
        conn.execute(sa.text("GRANT USAGE ON SCHEMA public TO supervisor_ro"))
        conn.execute(sa.text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO supervisor_ro"))
    admin.dispose()
    reader_url = pg_server.url(db, user="supervisor_ro")

    ro = open_store(reader_url, config=cfg, actor="alice", readonly=True)
    assert len(ro.list()) == 1 and ro.verify().ok
    with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"), \
            ro.engine.begin() as conn:
        conn.execute(INSERT)
    # the role alone refuses too, even outside a read-only session
    plain = sa.create_engine(reader_url)
    with pytest.raises(sa.exc.DBAPIError, match="permission denied"), plain.begin() as conn:
        conn.execute(INSERT)
    plain.dispose()
    # and a read-only session refuses even for the owner
    owner_ro = open_store(pg_url, config=cfg, actor="alice", readonly=True)
    with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"), \
            owner_ro.engine.begin() as conn:
        conn.execute(INSERT)
    assert _count(pg_url) == 1


def test_reopening_is_a_no_op_and_the_schema_is_at_head(db_url, cfg):
    open_store(db_url, config=cfg, actor="alice")
    store = open_store(db_url, config=cfg, actor="alice")
    with store.engine.connect() as conn:
        rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert rev == head_revision() == "0003"


def test_an_unknown_newer_revision_is_refused(db_url, cfg):
    store = open_store(db_url, config=cfg, actor="alice")
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.engine.dispose()
    for readonly in (False, True):
        with pytest.raises(StoreOpenError, match="revision 9999, unknown"):
            open_store(db_url, config=cfg, actor="alice", readonly=readonly)


def test_read_only_open_needs_a_migrated_database(db_url, cfg, tmp_path):
    if db_url.startswith("sqlite"):
        with pytest.raises(StoreOpenError, match="no database file"):
            open_store(db_url, config=cfg, readonly=True)
        sa.create_engine(db_url).connect().close()  # an empty SQLite file
    with pytest.raises(StoreOpenError, match="open it once in reviewer mode"):
        open_store(db_url, config=cfg, readonly=True)


def test_findings_stored_before_the_evidence_columns_verify_after_the_upgrade(db_url, cfg,
                                                                               draft, dataset):
    """A database an older workbench left at revision 0001, its entries without the
    rectification fields, upgrades to head and its chain still verifies."""
    from alembic import command

    from workbench.findings import audit
    from workbench.findings.migrate import _config
    from workbench.findings.model import ADDED_FIELDS, audit_head, audit_log

    store = open_store(db_url, config=cfg, actor="alice")
    f = store.create(draft, dataset)
    with store.engine.connect().execution_options(workbench_write=True) as conn, conn.begin():
        alembic_cfg = _config()
        alembic_cfg.attributes["connection"] = conn
        command.downgrade(alembic_cfg, "0001")
        conn.execute(audit_log.delete())
        conn.execute(audit_head.update().values(seq=0, hash=audit.GENESIS))
        old = {k: v for k, v in f.to_json().items() if k not in ADDED_FIELDS}
        audit.append(conn, (0, audit.GENESIS), actor="alice", action="create",
                     finding_id=f.id, payload={"before": None, "after": old},
                     dataset_fingerprint=f.dataset_fingerprint)
    store.close()
    upgraded = open_store(db_url, config=cfg, actor="alice")
    assert upgraded.get(f.id).rectification_ref is None
    assert upgraded.verify().ok
