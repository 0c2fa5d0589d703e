"""Flag dispositions: what a reviewer concluded about one screening flag (verified,
explained, false positive, linked to a finding), one current row per flag key.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``flag_dispositions``."""
    op.create_table(
        "flag_dispositions",
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


def downgrade() -> None:
    """Drop ``flag_dispositions``."""
    op.drop_table("flag_dispositions")
