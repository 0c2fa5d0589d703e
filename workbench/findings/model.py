"""The findings tables (SQLAlchemy Core) and the ``Finding`` value the store returns.

Tables:

- ``findings``: one row per finding, its current state; ``version`` increases by
  one on every change (optimistic locking).  ``province`` is copied from the
  dataset at creation so permissions and dashboards need no dataset to filter.
  ``rectification_ref`` / ``rectification_date`` name the document showing the
  rectification and its date, recorded when the finding is marked rectified.
- ``finding_flags``: the screening flags a finding cites as evidence, with the
  fingerprint of the dataset they were computed from.
- ``flag_dispositions``: what a reviewer concluded about one screening flag (verified,
  explained, false positive, linked to a finding), one current row per flag key, changed
  with a version like a finding; its audit entries carry ``disposition_id`` in the payload.
- ``audit_log``: append-only, hash-chained history of every change.
- ``audit_head``: one row holding the last entry's seq and hash; writers lock it
  to append, and ``verify`` compares it with the log so a removed last entry shows.

The migrations in ``migrations/versions`` create exactly these tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

findings = sa.Table(
    "findings", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("enterprise_id", sa.String(32), nullable=False, index=True),
    sa.Column("province", sa.String(64), nullable=False, index=True),
    sa.Column("unit_id", sa.String(64)),
    sa.Column("periods", sa.JSON, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("materiality_t", sa.Float),
    sa.Column("recommended_action", sa.String(32)),
    sa.Column("due_date", sa.Date),
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("status_reason", sa.Text),
    sa.Column("dataset_fingerprint", sa.String(64)),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(128), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("rectification_ref", sa.Text),
    sa.Column("rectification_date", sa.Date),
)

finding_flags = sa.Table(
    "finding_flags", metadata,
    sa.Column("finding_id", sa.String(36), sa.ForeignKey("findings.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("check_id", sa.String(64), nullable=False),
    sa.Column("enterprise_id", sa.String(32), nullable=False),
    sa.Column("unit_id", sa.String(64)),
    sa.Column("period", sa.String(7)),
    sa.Column("parameter_code", sa.String(64)),
    sa.Column("dataset_fingerprint", sa.String(64)),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("finding_id", sa.String(36), index=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("dataset_fingerprint", sa.String(64)),
    sa.Column("check_version", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_head = sa.Table(
    "audit_head", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

flag_dispositions = sa.Table(
    "flag_dispositions", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("flag_key", sa.Text, nullable=False, unique=True),
    sa.Column("enterprise_id", sa.String(32), nullable=False, index=True),
    sa.Column("province", sa.String(64), nullable=False),
    sa.Column("check_id", sa.String(64), nullable=False),
    sa.Column("unit_id", sa.String(64)),
    sa.Column("period", sa.String(7)),
    sa.Column("parameter_code", sa.String(64)),
    sa.Column("dataset_fingerprint", sa.String(64)),
    sa.Column("disposition", sa.String(32), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("finding_id", sa.String(36), sa.ForeignKey("findings.id")),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(128), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

#: Fields added to ``findings`` after its first schema: audit entries written before a
#: migration added them do not carry them, which means they were empty (None).
ADDED_FIELDS = ("rectification_ref", "rectification_date")
#: Fields of a finding a reviewer writes (everything else is kept by the store).
CONTENT_FIELDS = ("enterprise_id", "unit_id", "periods", "title", "category", "severity",
                  "description", "materiality_t", "recommended_action", "due_date")
#: Content fields an update may change (the enterprise of a finding is fixed).
EDITABLE_FIELDS = tuple(f for f in CONTENT_FIELDS if f != "enterprise_id") + ("flags",)
FLAG_FIELDS = ("check_id", "enterprise_id", "unit_id", "period", "parameter_code",
               "dataset_fingerprint")


@dataclass(frozen=True)
class FlagRef:
    """A screening flag cited as evidence (the flag key plus its dataset fingerprint)."""

    check_id: str
    enterprise_id: str
    unit_id: str | None = None
    period: str | None = None
    parameter_code: str | None = None
    dataset_fingerprint: str | None = None


@dataclass(frozen=True)
class Finding:
    """One finding as stored (see the module docstring for the meaning of the fields)."""

    id: str
    enterprise_id: str
    province: str
    unit_id: str | None
    periods: tuple[str, ...]
    title: str
    category: str
    severity: str
    description: str
    materiality_t: float | None
    recommended_action: str | None
    due_date: date | None
    status: str
    status_reason: str | None
    dataset_fingerprint: str | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int
    rectification_ref: str | None = None
    rectification_date: date | None = None
    flags: tuple[FlagRef, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (dates and times as ISO text); used in audit payloads and exports."""
        out = asdict(self)
        out["periods"] = list(self.periods)
        out["flags"] = [asdict(f) for f in self.flags]
        out["due_date"] = self.due_date.isoformat() if self.due_date else None
        out["rectification_date"] = (self.rectification_date.isoformat()
                                     if self.rectification_date else None)
        out["created_at"] = self.created_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        return out


def flag_key(check_id: str, enterprise_id: str, unit_id: str | None, period: str | None,
             parameter_code: str | None) -> str:
    """The key of one screening flag: its check, enterprise, unit, period and parameter."""
    return "|".join(v or "" for v in (check_id, enterprise_id, unit_id, period, parameter_code))


@dataclass(frozen=True)
class Disposition:
    """A reviewer's conclusion about one flag (see ``flag_dispositions`` above)."""

    id: str
    flag_key: str
    enterprise_id: str
    province: str
    check_id: str
    unit_id: str | None
    period: str | None
    parameter_code: str | None
    dataset_fingerprint: str | None
    disposition: str
    note: str | None
    finding_id: str | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (times as ISO text); the state its audit entries record."""
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        return out
