"""Learned phrases: questions taught to the bot, pending until approved or confirmed.

Revision ID: 0008_learning
Revises: 0007_viz
Create Date: 2026-11-29 18:37:15.778991
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_learning"
down_revision = "0007_viz"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('learned_phrases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('phrase', sa.String(length=300), nullable=False),
    sa.Column('phrase_key', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('pickers', sa.JSON(), nullable=False),
    sa.Column('proposed_by', sa.String(length=200), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'active', 'rejected')", name=op.f('ck_learned_phrases_status')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                            name=op.f('fk_learned_phrases_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learned_phrases'))
    )
    with op.batch_alter_table('learned_phrases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learned_phrases_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learned_phrases_phrase_key'), ['phrase_key'], unique=False)
        batch_op.create_index('uq_learned_phrases_activity_key', ['activity_id', 'phrase_key'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('learned_phrases', schema=None) as batch_op:
        batch_op.drop_index('uq_learned_phrases_activity_key')
        batch_op.drop_index(batch_op.f('ix_learned_phrases_phrase_key'))
        batch_op.drop_index(batch_op.f('ix_learned_phrases_activity_id'))

    op.drop_table('learned_phrases')
