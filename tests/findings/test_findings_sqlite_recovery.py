"""SQLite after a writer was killed inside its transaction: the store keeps its database in
WAL mode, so readers (read-only included: verify, list, export, the dashboard) need no
rollback; a database still in rollback-journal mode is recovered when opened read-only;
and a database that cannot be read is reported as such (exit 2), never as tampering."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from processes import kill_when_ready
from sqlalchemy import event

from workbench.cli import main
from workbench.dataset import Dataset
from workbench.findings import FindingsError, open_store
from workbench.findings.store import FindingsStore

DEMO = Path(__file__).resolve().parents[2] / "data_samples" / "demo"
#: Rows of about 1 KB written before the hang: more than a one-page cache holds, so the
#: transaction's pages reach the database file (or its WAL) before it commits.
SPILL_ROWS = 2000
JUNK = ("CREATE TABLE junk AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 2000) SELECT randomblob(1000) AS b FROM n")


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _save_spill_and_hang(url: str, cfg: dict, draft: dict, marker: str) -> None:
    """Child: save a finding through the store, and at its COMMIT first rewrite the audit
    log's actors and spill many pages, then hang until killed."""
    store = open_store(url, config=cfg, actor="alice")

    @event.listens_for(store.engine, "commit")
    def _hang(conn) -> None:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA cache_size = 1")
        raw.execute("UPDATE audit_log SET actor = 'mallory'")
        raw.execute(JUNK)
        Path(marker).write_text("inside the transaction")
        time.sleep(600)

    store.create({**draft, "title": "never committed"}, Dataset(DEMO))


def _legacy_write_and_hang(path: str, marker: str) -> None:
    """Child: a plain rollback-journal writer rewriting the audit log, killed before COMMIT."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE audit_log SET actor = 'mallory'")
    conn.execute(JUNK)
    Path(marker).write_text("inside the transaction")
    time.sleep(600)


def _cli(*args: str):
    return CliRunner().invoke(main, ["findings", *args])


def _readers_see(url: str, cfg: dict, kept, tmp_path: Path) -> None:
    """Read-only store, verify, list and export all see exactly ``kept``, intact."""
    reader = open_store(url, config=cfg, readonly=True)
    assert reader.list() == [kept] and reader.verify().ok
    reader.close()
    verify = _cli("verify", "--db", url)
    assert verify.exit_code == 0 and "intact: 1 entries" in verify.output, verify.output
    listed = _cli("list", "--db", url, "--json")
    assert listed.exit_code == 0, listed.output
    assert [f["id"] for f in json.loads(listed.output)] == [kept.id]
    out = tmp_path / "findings.csv"
    exported = _cli("export", "--db", url, "--format", "csv", "--out", str(out))
    assert exported.exit_code == 0 and kept.id in out.read_text(encoding="utf-8-sig")


def test_a_writer_killed_mid_transaction_leaves_a_wal_database_readers_can_read(
        sqlite_url, cfg, draft, dataset, tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    kept = store.create(draft, dataset)
    path = Path(sa.make_url(sqlite_url).database)
    assert _journal_mode(path) == "wal"
    marker = tmp_path / "marker"
    child = multiprocessing.get_context("spawn").Process(
        target=_save_spill_and_hang, args=(sqlite_url, cfg, draft, str(marker)))
    child.start()
    kill_when_ready(child, marker, "inside its transaction")
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > SPILL_ROWS * 1000  # the killed transaction's frames

    _readers_see(sqlite_url, cfg, kept, tmp_path)
    after = open_store(sqlite_url, config=cfg, actor="alice")
    again = after.create({**draft, "title": "after the crash"}, dataset)
    assert [f.id for f in after.list()] == [kept.id, again.id] and after.verify().ok
    assert {e["actor"] for e in after.history()} == {"alice"}


def test_a_hot_rollback_journal_is_recovered_when_opened_read_only(
        sqlite_url, cfg, draft, dataset, tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    kept = store.create(draft, dataset)
    store.close()
    path = Path(sa.make_url(sqlite_url).database)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    marker = tmp_path / "marker"
    child = multiprocessing.get_context("spawn").Process(
        target=_legacy_write_and_hang, args=(str(path), str(marker)))
    child.start()
    kill_when_ready(child, marker, "inside its transaction")
    assert path.with_name(path.name + "-journal").stat().st_size > 0  # a hot journal

    _readers_see(sqlite_url, cfg, kept, tmp_path)
    assert _journal_mode(path) == "delete"  # readers switched nothing
    assert open_store(sqlite_url, config=cfg, actor="alice").verify().ok
    assert _journal_mode(path) == "wal"


def test_a_cleanly_closed_wal_database_opens_read_only(sqlite_url, cfg, draft, dataset,
                                                        tmp_path):
    store = open_store(sqlite_url, config=cfg, actor="alice")
    kept = store.create(draft, dataset)
    store.close()
    path = Path(sa.make_url(sqlite_url).database)
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed on close
    _readers_see(sqlite_url, cfg, kept, tmp_path)
    reader = open_store(sqlite_url, config=cfg, readonly=True, actor="alice")
    with pytest.raises(FindingsError, match="read-only"):
        reader.create(draft, dataset)
    with reader.engine.connect() as conn, pytest.raises(sa.exc.OperationalError,
                                                        match="readonly"):
        conn.exec_driver_sql("DELETE FROM audit_log")


def test_a_wal_database_whose_folder_the_reader_may_not_write_is_explained(
        sqlite_url, cfg, draft, dataset, monkeypatch):
    open_store(sqlite_url, config=cfg, actor="alice").close()
    path = Path(sa.make_url(sqlite_url).database)
    real = os.access
    monkeypatch.setattr("workbench.findings.store.os.access",
                        lambda p, mode: False if Path(p) == path.parent else real(p, mode))
    with pytest.raises(FindingsError) as err:
        open_store(sqlite_url, config=cfg, readonly=True)
    assert "not damaged" in str(err.value) and "未损坏" in str(err.value)
    assert f"{path.name}-shm" in str(err.value)


def test_a_database_that_cannot_be_read_is_not_reported_as_tampered(sqlite_url, cfg, draft,
                                                                     dataset, monkeypatch):
    open_store(sqlite_url, config=cfg, actor="alice").create(draft, dataset)

    def locked(self, *args, **kwargs):
        raise sa.exc.OperationalError("SELECT", {}, sqlite3.OperationalError(
            "database is locked"))

    for method, args in (("verify", ["verify"]), ("list", ["list"])):
        monkeypatch.setattr(FindingsStore, method, locked)
        result = _cli(*args, "--db", sqlite_url)
        assert result.exit_code == 2, result.output
        assert "database is locked" in result.output and "broken" not in result.output
        assert "cannot read the findings database" in result.output
