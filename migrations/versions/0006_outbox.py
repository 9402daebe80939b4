"""One outbox: the columns every outbox table shares, and outbox_messages for kinds that need no table of their own.

escalation_notifications gains claim_token (leases are now token-checked, as digests' were),
rate_limited (429s counted apart from failures) and deadline; digest_deliveries gains deadline.
Rows written before this revision have no deadline: they are retried until sent or superseded.

Revision ID: 0006_outbox
Revises: 0005
Create Date: 2026-11-29 18:37:24.013718
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_outbox"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rate_limited", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_messages_key")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_due", ["state", "next_attempt_at"], unique=False)

    with op.batch_alter_table("digest_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("kind", existing_type=sa.VARCHAR(length=20), type_=sa.String(length=40),
                              existing_nullable=False)

    with op.batch_alter_table("escalation_notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_limited", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.alter_column("kind", existing_type=sa.VARCHAR(length=20), type_=sa.String(length=40),
                              existing_nullable=False)
    with op.batch_alter_table("escalation_notifications", schema=None) as batch_op:
        batch_op.alter_column("rate_limited", existing_type=sa.Integer(), server_default=None,
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("escalation_notifications", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=40), type_=sa.VARCHAR(length=20),
                              existing_nullable=False)
        batch_op.drop_column("claim_token")
        batch_op.drop_column("deadline")
        batch_op.drop_column("rate_limited")

    with op.batch_alter_table("digest_deliveries", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=40), type_=sa.VARCHAR(length=20),
                              existing_nullable=False)
        batch_op.drop_column("deadline")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_due")
    op.drop_table("outbox_messages")
