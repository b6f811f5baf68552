"""follow-up sessions on the server

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_up_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_follow_up_sessions_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_follow_up_sessions_token_hash'))
    )
    with op.batch_alter_table('follow_up_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_sessions_complaint_id'), ['complaint_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follow_up_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_sessions_complaint_id'))

    op.drop_table('follow_up_sessions')
