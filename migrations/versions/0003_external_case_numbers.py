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
    # Plain ADD COLUMN and CREATE INDEX: no batch "copy and move" of the complaints table,
    # which on SQLite (foreign keys on) would cascade-delete every complaint's categories,
    # status steps and messages when the old table is dropped.
    op.add_column('complaints', sa.Column('import_source', sa.String(length=64), nullable=True))
    op.add_column('complaints', sa.Column('external_ref', sa.String(length=64), nullable=True))
    op.create_index(
        'ix_complaints_import_source_external_ref',
        'complaints',
        ['import_source', 'external_ref'],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index('ix_complaints_import_source_external_ref', table_name='complaints')
    op.drop_column('complaints', 'external_ref')  # SQLite 3.35+ drops a column in place
    op.drop_column('complaints', 'import_source')
