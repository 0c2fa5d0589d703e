"""Rectification evidence on a finding: the reference of the document that shows the
rectification (e.g. the enterprise's corrected filing or the lab's reissued report) and
its date.  Both are recorded when a finding is marked rectified.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``rectification_ref`` (text) and ``rectification_date`` (date), empty for
    findings stored before."""
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("rectification_ref", sa.Text))
        batch.add_column(sa.Column("rectification_date", sa.Date))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("rectification_date")
        batch.drop_column("rectification_ref")
