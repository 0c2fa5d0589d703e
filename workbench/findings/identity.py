"""Who is writing, and for which provinces they may write.

Identity: ``$WORKBENCH_USER``, else ``$JUPYTERHUB_USER``, else config
``general.reviewer``.  Provinces: config ``findings.reviewer_provinces``, a table
from reviewer to a list of provinces; ``"*"`` in the list means every province
(a national reviewer).  A reviewer with no entry, or an empty identity, may
write nothing.  The store calls :func:`check_may_write` on every change, so the
rule holds whatever UI or script drives it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from workbench.findings.errors import PermissionDenied, Problem

WILDCARD = "*"
#: Longest identity the store records (created_by / updated_by / audit actor).
MAX_ACTOR_LENGTH = 128


def current_actor(cfg: Mapping[str, Any]) -> str:
    """The reviewer identity in force (may be empty: then nothing can be written)."""
    for var in ("WORKBENCH_USER", "JUPYTERHUB_USER"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    return str(cfg.get("general", {}).get("reviewer", "") or "").strip()


def assigned_provinces(actor: str, cfg: Mapping[str, Any]) -> frozenset[str]:
    """The provinces ``actor`` may write for (``{"*"}`` for all); empty when none."""
    table = cfg.get("findings", {}).get("reviewer_provinces", {})
    return frozenset(table.get(actor, ())) if actor else frozenset()


def check_may_write(actor: str, province: str, cfg: Mapping[str, Any]) -> None:
    """Raise PermissionDenied unless ``actor`` may write findings in ``province``."""
    if not actor:
        raise PermissionDenied(Problem(
            "actor", "未设置审核人身份（WORKBENCH_USER、JUPYTERHUB_USER 或配置 general.reviewer）",
            "no reviewer identity (set WORKBENCH_USER, JUPYTERHUB_USER or config "
            "general.reviewer)"))
    if len(actor) > MAX_ACTOR_LENGTH:
        raise PermissionDenied(Problem(
            "actor", f"审核人身份过长（上限 {MAX_ACTOR_LENGTH} 个字符）",
            f"reviewer identity too long (the limit is {MAX_ACTOR_LENGTH} characters)"))
    allowed = assigned_provinces(actor, cfg)
    if WILDCARD not in allowed and province not in allowed:
        raise PermissionDenied(Problem(
            "enterprise_id", f"审核人 {actor} 未被分配省份 {province}",
            f"reviewer {actor} is not assigned to province {province}"))
