"""case work: referrals, letters issued, follow-up reminders

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-15 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: the complaints table is not copied (a batch copy on SQLite with foreign
    # keys on would cascade-delete the rows that refer to it).
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.Enum('prosecutor', 'ombudsman', 'other', name='recipient', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recipient_name', sa.String(length=300), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('response_due', sa.Date(), nullable=True),
    sa.Column('response_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_referrals_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_referrals_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_response_due'), ['response_due'], unique=False)

    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('footage', 'referral', name='letterkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('addressee', sa.String(length=1000), nullable=False),
    sa.Column('body_kk', sa.Text(), nullable=False),
    sa.Column('body_ru', sa.Text(), nullable=False),
    sa.Column('removed_details', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_letters_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_letters_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_letters_referral_id_referrals'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('case_reminders',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('remind_on', sa.Date(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_case_reminders_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_case_reminders_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('complaint_id', name=op.f('pk_case_reminders'))
    )
    with op.batch_alter_table('case_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reminders_remind_on'), ['remind_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reminders_remind_on'))
    op.drop_table('case_reminders')

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_complaint_id'))
    op.drop_table('letters')

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_response_due'))
        batch_op.drop_index(batch_op.f('ix_referrals_complaint_id'))
    op.drop_table('referrals')
