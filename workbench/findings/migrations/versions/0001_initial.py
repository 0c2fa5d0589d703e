"""Findings, their evidence flags, the hash-chained audit log and its head.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and the genesis head (seq 0, hash of zeros)."""
    op.create_table(
        "findings",
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
    )
    op.create_table(
        "finding_flags",
        sa.Column("finding_id", sa.String(36), sa.ForeignKey("findings.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("check_id", sa.String(64), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.String(64)),
        sa.Column("period", sa.String(7)),
        sa.Column("parameter_code", sa.String(64)),
        sa.Column("dataset_fingerprint", sa.String(64)),
    )
    op.create_table(
        "audit_log",
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
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])


def downgrade() -> None:
    """Drop the tables (the audit log goes with them)."""
    for table in ("finding_flags", "findings", "audit_log", "audit_head"):
        op.drop_table(table)
