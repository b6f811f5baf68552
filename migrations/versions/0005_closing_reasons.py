"""closing reasons: "duplicate" and "unfounded" become reasons of the closed status

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-15 10:00:00.000000

A complaint's workflow is new → in review → referred → closed; a closed complaint
says why (resolved, unfounded, duplicate, withdrawn) in ``closing_reason``, on the
complaint and on the status step that closed it. Complaints and steps stored as
"duplicate" or "unfounded" become "closed" with that reason, and their search-index
entries are queued, so that the status filter agrees with the database at once.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

REASONS = "'resolved', 'unfounded', 'duplicate', 'withdrawn'"
OLD_STATUSES = "'new', 'in_review', 'referred', 'closed', 'duplicate', 'unfounded'"
NEW_STATUSES = "'new', 'in_review', 'referred', 'closed'"
#: (table, constraint, column) of every status CHECK constraint.
STATUS_CHECKS = (
    ('complaints', 'ck_complaints_status', 'status'),
    ('status_changes', 'ck_status_changes_old_status', 'old_status'),
    ('status_changes', 'ck_status_changes_new_status', 'new_status'),
)


def _add_reason_column(table: str) -> None:
    # Plain ADD COLUMN: a batch "copy and move" of complaints on SQLite with foreign keys
    # on would cascade-delete every complaint's categories, history, messages and files.
    name = f'ck_{table}_closing_reason'
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN closing_reason VARCHAR(32) CONSTRAINT "
            f"{name} CHECK (closing_reason IN ({REASONS}))"
        )
    else:
        op.add_column(table, sa.Column('closing_reason', sa.String(length=32), nullable=True))
        op.create_check_constraint(op.f(name), table, sa.text(f"closing_reason IN ({REASONS})"))


def _status_checks(values: str) -> None:
    """Replace the status CHECK constraints (PostgreSQL only, see below)."""
    # SQLite cannot change a CHECK constraint without copying the table, which would
    # cascade-delete the complaints' children (see above): there the old, wider
    # constraints stay, and the application never writes the retired values.
    if op.get_bind().dialect.name == 'sqlite':
        return
    for table, name, column in STATUS_CHECKS:
        op.drop_constraint(op.f(name), table, type_='check')
        op.create_check_constraint(op.f(name), table, sa.text(f"{column} IN ({values})"))


def upgrade() -> None:
    _add_reason_column('complaints')
    _add_reason_column('status_changes')
    op.execute(
        "INSERT INTO index_outbox (complaint_id, action, enqueued_at, attempts) "
        "SELECT id, 'upsert', CURRENT_TIMESTAMP, 0 FROM complaints "
        "WHERE status IN ('duplicate', 'unfounded')"
    )
    op.execute(
        "UPDATE complaints SET closing_reason = status, status = 'closed' "
        "WHERE status IN ('duplicate', 'unfounded')"
    )
    op.execute(
        "UPDATE status_changes SET closing_reason = new_status, new_status = 'closed' "
        "WHERE new_status IN ('duplicate', 'unfounded')"
    )
    op.execute(
        "UPDATE status_changes SET old_status = 'closed' "
        "WHERE old_status IN ('duplicate', 'unfounded')"
    )
    _status_checks(NEW_STATUSES)


def downgrade() -> None:
    _status_checks(OLD_STATUSES)
    op.execute(
        "INSERT INTO index_outbox (complaint_id, action, enqueued_at, attempts) "
        "SELECT id, 'upsert', CURRENT_TIMESTAMP, 0 FROM complaints "
        "WHERE status = 'closed' AND closing_reason IN ('duplicate', 'unfounded')"
    )
    op.execute(
        "UPDATE complaints SET status = closing_reason "
        "WHERE status = 'closed' AND closing_reason IN ('duplicate', 'unfounded')"
    )
    op.execute(
        "UPDATE status_changes SET new_status = closing_reason "
        "WHERE new_status = 'closed' AND closing_reason IN ('duplicate', 'unfounded')"
    )
    for table in ('status_changes', 'complaints'):
        if op.get_bind().dialect.name != 'sqlite':
            op.drop_constraint(op.f(f'ck_{table}_closing_reason'), table, type_='check')
        op.drop_column(table, 'closing_reason')  # SQLite 3.35+ drops a column in place
