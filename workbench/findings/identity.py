"""Who is writing, and for which provinces they may write.

Two sources, chosen when the store is opened:

- **The database** (PostgreSQL after ``workbench db init``): the identity is the
  database's ``session_user`` and the provinces come from ``wb_reviewer_provinces``,
  which only the admin may write.  The database enforces both itself
  (``workbench.findings.pg_security``); what the kernel holds here only shapes the
  messages a reviewer sees before the database would refuse.
- **The config** (SQLite, the single-user default, or a PostgreSQL database without the
  layer): identity ``$WORKBENCH_USER``, else ``$JUPYTERHUB_USER``, else config
  ``general.reviewer``; provinces from config ``findings.reviewer_provinces``.  Anyone
  who can run code in the kernel can change these — see docs/deployment.md.

``"*"`` among the provinces means every province (a national reviewer).  A reviewer
with no provinces, or an empty identity, may write nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from workbench.findings.errors import PermissionDenied, Problem

WILDCARD = "*"
#: Longest identity the store records (created_by / updated_by / audit actor).
MAX_ACTOR_LENGTH = 128


def current_actor(cfg: Mapping[str, Any]) -> str:
    """The reviewer identity the config and environment name (may be empty)."""
    for var in ("WORKBENCH_USER", "JUPYTERHUB_USER"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    return str(cfg.get("general", {}).get("reviewer", "") or "").strip()


def assigned_provinces(actor: str, cfg: Mapping[str, Any]) -> frozenset[str]:
    """The provinces config ``findings.reviewer_provinces`` gives ``actor``; empty when none."""
    table = cfg.get("findings", {}).get("reviewer_provinces", {})
    return frozenset(table.get(actor, ())) if actor else frozenset()


@dataclass(frozen=True)
class Authority:
    """Who writes (``actor``), the provinces they may write for, and who said so
    (``source``: ``"database"`` or ``"config"``)."""

    actor: str
    provinces: frozenset[str]
    source: str

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any], actor: str | None = None) -> Authority:
        """``actor`` (default: :func:`current_actor`) with its configured provinces."""
        actor = current_actor(cfg) if actor is None else actor
        return cls(actor, assigned_provinces(actor, cfg), "config")

    @classmethod
    def from_database(cls, conn: sa.Connection) -> Authority:
        """The connected role (``session_user``) with its provinces in ``wb_reviewer_provinces``
        (none unless it is an active reviewer)."""
        actor = conn.execute(sa.text("SELECT session_user")).scalar_one()
        rows = conn.execute(sa.text(
            "SELECT p.province FROM wb_reviewer_provinces p JOIN wb_members m USING (role_name) "
            "WHERE m.role_name = :r AND m.active AND m.kind = 'reviewer'"), {"r": actor})
        return cls(actor, frozenset(r[0] for r in rows), "database")

    def check(self, province: str) -> None:
        """Raise PermissionDenied unless the actor may write findings in ``province``."""
        if not self.actor:
            raise PermissionDenied(Problem(
                "actor",
                "未设置审核人身份（WORKBENCH_USER、JUPYTERHUB_USER 或配置 general.reviewer）",
                "no reviewer identity (set WORKBENCH_USER, JUPYTERHUB_USER or config "
                "general.reviewer)"))
        if len(self.actor) > MAX_ACTOR_LENGTH:
            raise PermissionDenied(Problem(
                "actor", f"审核人身份过长（上限 {MAX_ACTOR_LENGTH} 个字符）",
                f"reviewer identity too long (the limit is {MAX_ACTOR_LENGTH} characters)"))
        if WILDCARD not in self.provinces and province not in self.provinces:
            where = "在数据库中" if self.source == "database" else ""
            where_en = " in the database" if self.source == "database" else ""
            raise PermissionDenied(Problem(
                "enterprise_id", f"审核人 {self.actor} {where}未被分配省份 {province}",
                f"reviewer {self.actor} is not assigned to province {province}{where_en}"))
