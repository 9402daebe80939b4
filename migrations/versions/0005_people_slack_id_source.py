"""Where a person's Slack ID came from: "lookup" (found by email) survives imports that give none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 06:27:33.564009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slack_id_source", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("slack_id_source")
