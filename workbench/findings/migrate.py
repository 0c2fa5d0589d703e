"""Schema migrations (alembic) of the findings store.

A reviewer-mode open upgrades the database to the newest revision this
workbench ships, inside one transaction (PostgreSQL: under an advisory lock, so
processes opening a new database at once migrate it once).  A database at a
revision this workbench does not know (written by a newer version) is refused
rather than guessed at; a read-only open requires the database to be at head.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from workbench.findings.errors import Problem, StoreOpenError

MIGRATIONS = Path(__file__).with_name("migrations")
#: Arbitrary key of the PostgreSQL advisory lock taken while migrating.
MIGRATION_LOCK_KEY = 0x57424E44


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision this workbench ships."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def _known(rev: str) -> bool:
    try:
        ScriptDirectory.from_config(_config()).get_revision(rev)
    except CommandError:
        return False
    return True


def _current(conn: sa.Connection) -> str | None:
    rev = MigrationContext.configure(conn).get_current_revision()
    if rev is not None and not _known(rev):
        raise StoreOpenError(Problem(
            "database", f"数据库版本 {rev} 未知（由更新版本的工作台创建？），拒绝打开",
            f"the database is at revision {rev}, unknown to this workbench (written by a "
            "newer version?); refusing to open it"))
    return rev


def upgrade(conn: sa.Connection) -> None:
    """Bring the database on ``conn`` (inside a write transaction) to head."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    if _current(conn) == head_revision():
        return
    _require_admin_where_secured(conn)
    cfg = _config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _require_admin_where_secured(conn: sa.Connection) -> None:
    """In a database secured by ``workbench db init`` only its admin migrates: anyone else
    is told so instead of meeting a permission error half-way."""
    from workbench.findings.pg_security import is_installed

    if is_installed(conn) and not conn.execute(sa.text(
            "SELECT EXISTS (SELECT 1 FROM wb_members WHERE role_name = session_user::text "
            "AND kind = 'admin' AND active)")).scalar_one():
        raise StoreOpenError(Problem(
            "database", f"数据库需升级到版本 {head_revision()}，须由管理员运行 workbench db init",
            f"the database must be upgraded to revision {head_revision()}; the admin runs "
            "workbench db init"))


def require_head(conn: sa.Connection) -> None:
    """Refuse a database that is not at head (for read-only opens, which cannot migrate)."""
    rev = _current(conn)
    if rev != head_revision():
        raise StoreOpenError(Problem(
            "database", f"数据库版本为 {rev or '空'}，需先以审核模式打开以升级",
            f"the database is at revision {rev or 'none (empty)'}; open it once in reviewer "
            "mode to migrate it"))
