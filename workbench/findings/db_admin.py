"""Admin operations on a multi-user PostgreSQL findings store (``workbench db ...``).

Each runs as the admin's own role (the database owner or a superuser; it needs
CREATEROLE to add people) in one transaction, and records what it did in the audit
log (an entry without a finding, written by the database as the admin):

- :func:`init`: schema migrated to head, the trust boundary of
  ``workbench.findings.pg_security`` installed (idempotent: run it again after an
  upgrade), the connected role registered as admin; over a store already in use, the
  actors of its log are registered as ``legacy`` members (listed in the entry).
- :func:`add_member`: a reviewer (with provinces) or a supervisor: their own login
  role, a member of the reviewer or supervisor group; supervisors' sessions default
  to read-only.  Without a password the role logs in by peer authentication over the
  Unix socket (or any non-password method pg_hba.conf allows).
- :func:`load_enterprises`: each enterprise's province (and name) from the canonical
  dataset into ``wb_enterprises``, the master data the database checks findings
  against; counts of added, changed and unchanged rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from workbench import __version__
from workbench.findings import audit, migrate, pg_security
from workbench.findings.engine import create_engine
from workbench.findings.errors import Problem, ValidationError
from workbench.findings.identity import WILDCARD


def _admin_engine(url: str) -> sa.Engine:
    engine = create_engine(url, readonly=False)
    if engine.dialect.name != "postgresql":
        raise ValidationError(Problem(
            "database", "workbench db 只用于 PostgreSQL（SQLite 为单用户，无角色与权限）",
            "workbench db is for PostgreSQL only (SQLite is single-user: no roles, no "
            "privileges)"))
    return engine


def _log(conn: sa.Connection, action: str, payload: dict[str, Any],
         fingerprint: str | None = None) -> None:
    """An audit entry of an admin action (no finding), written by the database."""
    conn.execute(sa.text("SELECT * FROM wb_chain_append(:a, NULL, :p, :d, :v)"),
                 {"a": action, "p": audit.canonical_json(payload), "d": fingerprint,
                  "v": __version__})


def _require_installed(conn: sa.Connection) -> None:
    if not pg_security.is_installed(conn):
        raise ValidationError(Problem(
            "database", "该数据库尚未初始化，请先运行 workbench db init --db URL",
            "this database is not initialised; run workbench db init --db URL first"))


def init(url: str, four_eyes_close: bool) -> dict[str, Any]:
    """Migrate and secure the database at ``url``; the admin role and schema revision."""
    engine = _admin_engine(url)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn)
            legacy = pg_security.install(conn, four_eyes_close)
            admin = conn.execute(sa.text("SELECT session_user")).scalar_one()
            _log(conn, "db_init", {"admin": admin, "revision": migrate.head_revision(),
                                   "four_eyes_close": four_eyes_close,
                                   "legacy_actors": legacy})
    finally:
        engine.dispose()
    return {"admin": admin, "revision": migrate.head_revision(), "legacy_actors": legacy}


def check_role_name(name: str) -> str:
    """``name`` if it is a plain login name (lower case, digits, ``_.-``), else ValidationError."""
    if not pg_security.ROLE_NAME.match(name):
        raise ValidationError(Problem(
            "name", f"角色名 {name!r} 无效：须为小写字母、数字、_ . -，"
                    "以字母或 _ 开头，至多 63 个字符",
            f"role name {name!r} is not valid: lower-case letters, digits, _ . -, starting "
            "with a letter or _, at most 63 characters"))
    return name


def check_provinces(provinces: Iterable[str]) -> list[str]:
    """Province short names (or ``*``), each a known province, at least one."""
    from workbench.ingest.divisions import PROVINCES

    chosen = sorted({p.strip() for p in provinces if p.strip()})
    bad = [p for p in chosen if p != WILDCARD and p not in PROVINCES]
    if bad or not chosen:
        raise ValidationError(Problem(
            "provinces", f"省份无效：{', '.join(bad) or '（空）'}（应为省份简称，如 江苏，或 *）",
            f"unknown provinces: {', '.join(bad) or '(none)'} (use short names such as 江苏, "
            "or * for every province)"))
    return chosen


def _quoted(conn: sa.Connection, template: str, name: str, password: str | None) -> str:
    """``template`` with the role ``name`` as an identifier and ``password`` as a literal,
    quoted by the driver (role statements take no bind parameters)."""
    from psycopg import sql

    raw = conn.connection.driver_connection
    pw = sql.SQL(" PASSWORD {}").format(sql.Literal(password)) if password else sql.SQL("")
    return sql.SQL(template).format(name=sql.Identifier(name), password=pw).as_string(raw)


def add_member(url: str, name: str, kind: str, provinces: Iterable[str] = (),
               password: str | None = None) -> dict[str, Any]:
    """Create or update the login role ``name`` as a ``reviewer`` (of ``provinces``) or a
    ``supervisor``; return what was recorded."""
    check_role_name(name)
    chosen = check_provinces(provinces) if kind == "reviewer" else []
    group, other = ((pg_security.REVIEWER_GROUP, pg_security.SUPERVISOR_GROUP)
                    if kind == "reviewer" else
                    (pg_security.SUPERVISOR_GROUP, pg_security.REVIEWER_GROUP))
    engine = _admin_engine(url)
    try:
        with engine.begin() as conn:
            _require_installed(conn)
            exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                  {"r": name}).first()
            statement = ("ALTER ROLE {name} LOGIN{password}" if exists
                         else "CREATE ROLE {name} LOGIN{password}")
            pg_security.run_script(conn, _quoted(conn, statement, name, password))
            pg_security.run_script(conn, _quoted(conn, f"GRANT {group} TO {{name}}", name, None))
            pg_security.run_script(conn, _quoted(conn, f"REVOKE {other} FROM {{name}}", name, None))
            read_only = "on" if kind == "supervisor" else "off"
            pg_security.run_script(conn, _quoted(
                conn, f"ALTER ROLE {{name}} SET default_transaction_read_only = {read_only}",
                name, None))
            conn.execute(sa.text(
                "INSERT INTO wb_members (role_name, kind) VALUES (:r, :k) "
                "ON CONFLICT (role_name) DO UPDATE SET kind = EXCLUDED.kind, active = true"),
                {"r": name, "k": kind})
            conn.execute(sa.text("DELETE FROM wb_reviewer_provinces WHERE role_name = :r"),
                         {"r": name})
            if chosen:
                conn.execute(sa.text("INSERT INTO wb_reviewer_provinces (role_name, province) "
                                     "VALUES (:r, :p)"), [{"r": name, "p": p} for p in chosen])
            record = {"role": name, "kind": kind, "provinces": chosen,
                      "password_set": bool(password)}
            _log(conn, f"add_{kind}", record)
    finally:
        engine.dispose()
    return record


def load_enterprises(url: str, dataset: Any) -> dict[str, int]:
    """Upsert each enterprise's province and name from ``dataset`` (a
    ``workbench.dataset.Dataset``) into ``wb_enterprises``; counts added / changed /
    unchanged.  Enterprises missing from the dataset stay (findings may cite them)."""
    ents = dataset.read("enterprises", columns=["enterprise_id", "province", "enterprise_name"])
    import pandas as pd

    rows = [{"e": str(e), "p": str(p), "n": None if pd.isna(n) else str(n),
             "f": dataset.fingerprint}
            for e, p, n in ents.itertuples(index=False)]
    engine = _admin_engine(url)
    try:
        with engine.begin() as conn:
            _require_installed(conn)
            before = {e: p for e, p in conn.execute(sa.text(
                "SELECT enterprise_id, province FROM wb_enterprises"))}
            conn.execute(sa.text(
                "INSERT INTO wb_enterprises (enterprise_id, province, name, dataset_fingerprint)"
                " VALUES (:e, :p, :n, :f) ON CONFLICT (enterprise_id) DO UPDATE SET "
                "province = EXCLUDED.province, name = EXCLUDED.name, "
                "dataset_fingerprint = EXCLUDED.dataset_fingerprint, "
                "loaded_by = session_user, loaded_at = now()"), rows)
            counts = {"added": sum(r["e"] not in before for r in rows),
                      "changed": sum(r["e"] in before and before[r["e"]] != r["p"]
                                     for r in rows)}
            counts["unchanged"] = len(rows) - counts["added"] - counts["changed"]
            moved = sorted(r["e"] for r in rows if r["e"] in before and before[r["e"]] != r["p"])
            _log(conn, "load_enterprises", {**counts, "province_changed": moved[:100],
                                            "dataset": str(dataset.path)},
                 dataset.fingerprint)
    finally:
        engine.dispose()
    return counts
