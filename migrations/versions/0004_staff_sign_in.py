"""staff sign-in: second factor, recovery codes, staff sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('second_factor_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id', 'at'], unique=False)

    # Plain ADD COLUMN: a batch "copy and move" of the users table would, on SQLite with
    # foreign keys on, empty user_regions and unassign every complaint when the old table
    # is dropped. The CHECK constraint is written by hand: SQLite takes it in ADD COLUMN,
    # which Alembic does not know.
    roles = "'reviewer', 'coordinator', 'analyst', 'admin'"
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "ALTER TABLE users ADD COLUMN reviewing_role VARCHAR(32) CONSTRAINT "
            f"ck_users_reviewing_role CHECK (reviewing_role IN ({roles}))"
        )
    else:
        op.add_column('users', sa.Column('reviewing_role', sa.String(length=32), nullable=True))
        op.create_check_constraint(
            'ck_users_reviewing_role', 'users', sa.text(f"reviewing_role IN ({roles})")
        )
    op.add_column('users', sa.Column('totp_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'totp_last_step')  # SQLite 3.35+ drops a column in place
    op.drop_column('users', 'totp_confirmed_at')
    op.drop_column('users', 'reviewing_role')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object')

    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))

    op.drop_table('staff_sessions')
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
