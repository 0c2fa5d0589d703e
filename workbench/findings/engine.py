"""SQLAlchemy engines for the findings store: SQLite by default, PostgreSQL by URL.

Read-only is enforced by the database, below any UI:

- SQLite: the file is opened through a ``file:...?mode=ro`` URI, so the SQLite
  library itself refuses every write.
- PostgreSQL: every session starts with ``default_transaction_read_only=on``;
  deploy the supervisor dashboard with a role granted only SELECT as well.

SQLite write transactions begin with ``BEGIN IMMEDIATE`` (connections opened
with ``execution_options(workbench_write=True)``), taking the write lock before
anything is read, so concurrent writers queue (busy timeout) instead of failing
on a lock upgrade; reads use a plain deferred ``BEGIN``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event

from workbench.findings.errors import Problem, StoreOpenError

#: Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 60


def _sqlite_ro_url(url: sa.URL) -> sa.URL:
    if not url.database or url.database == ":memory:":
        raise StoreOpenError(Problem("database", "内存数据库不能只读打开",
                                        "an in-memory database cannot be opened read-only"))
    path = Path(url.database).resolve()
    if not path.is_file():
        raise StoreOpenError(Problem("database", f"数据库文件不存在：{path}",
                                        f"no database file at {path}"))
    return url.set(database=f"file:{quote(str(path))}", query={"mode": "ro", "uri": "true"})


def _sqlite_engine(url: sa.URL, readonly: bool) -> sa.Engine:
    engine = sa.create_engine(_sqlite_ro_url(url) if readonly else url,
                              connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("workbench_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def create_engine(url: str, readonly: bool) -> sa.Engine:
    """An engine for ``url``; read-only at the database level when ``readonly``."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, readonly)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        args = {"options": "-c default_transaction_read_only=on"} if readonly else {}
        return sa.create_engine(parsed, connect_args=args, pool_pre_ping=True)
    raise StoreOpenError(Problem("database", f"不支持的数据库：{parsed.drivername}",
                                    f"unsupported database: {parsed.drivername} (use sqlite "
                                    "or postgresql)"))
