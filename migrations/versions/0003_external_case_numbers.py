"""imported complaints: the sender and its own case number

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_source', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('external_ref', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_complaints_import_source'), ['import_source', 'external_ref']
        )


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaints_import_source'), type_='unique')
        batch_op.drop_column('external_ref')
        batch_op.drop_column('import_source')
