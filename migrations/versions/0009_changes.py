"""Ownership changes proposed in Slack, and the record of imported files.

Revision ID: 0009_changes
Revises: 0008_learning
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_changes"
down_revision = "0008_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=300), nullable=False),
        sa.Column("activity_key", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("new_people", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposer_slack", sa.String(length=32), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("admins_only", sa.Boolean(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("awaiting", sa.JSON(), nullable=False),
        sa.Column("accepted", sa.JSON(), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'applied', 'rejected', 'declined', 'expired', 'stale')",
                           name=op.f("ck_change_requests_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_requests")),
    )
    with op.batch_alter_table("change_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_requests_activity_key"), ["activity_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_requests_applied_at"), ["applied_at"], unique=False)
        batch_op.create_index("ix_change_requests_status", ["status"], unique=False)
    op.create_table(
        "file_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_imports")),
    )
    with op.batch_alter_table("file_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_imports_at"), ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("file_imports")
    op.drop_table("change_requests")
