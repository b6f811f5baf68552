"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 09:13:52.960030
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dataset_facts',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_dataset_facts'))
    )
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('oblast', 'city', name='regionkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_kk_latn', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('centre_kk', sa.String(length=200), nullable=True),
    sa.Column('centre_ru', sa.String(length=200), nullable=True),
    sa.Column('centre_en', sa.String(length=200), nullable=True),
    sa.Column('former_names', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('slug', name=op.f('uq_regions_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.Enum('reviewer', 'coordinator', 'analyst', 'admin', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('totp_secret_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_generation', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('colony', 'sizo', 'ivs', 'special_detention', 'police', name='facilitytype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('authority', sa.Enum('kuis', 'police', name='authority', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name_kk', sa.String(length=300), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_facilities_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('slug', name=op.f('uq_facilities_slug'))
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_type'), ['type'], unique=False)

    op.create_table('user_regions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_user_regions_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_regions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'region_id', name=op.f('pk_user_regions'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('place_text', sa.String(length=500), nullable=True),
    sa.Column('incident_date', sa.Date(), nullable=True),
    sa.Column('incident_date_precision', sa.Enum('day', 'month', name='dateprecision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('camera_present', sa.Enum('yes', 'no', 'dont_know', name='camera_present', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('camera_working', sa.Enum('yes', 'no', 'dont_know', name='camera_working', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('out_of_view', sa.Enum('yes', 'no', 'dont_know', name='out_of_view', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('relation', sa.Enum('self', 'relative', 'lawyer', 'witness', name='relation', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('contact_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('contact_key_id', sa.String(length=16), nullable=True),
    sa.Column('reply_language', sa.String(length=8), nullable=True),
    sa.Column('status', sa.Enum('new', 'in_review', 'referred', 'closed', 'duplicate', 'unfounded', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('receipt_hash', sa.String(length=200), nullable=True),
    sa.Column('receipt_lookup', sa.String(length=64), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_complaints_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['complaints.id'], name=op.f('fk_complaints_duplicate_of_id_complaints'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_complaints_facility_id_facilities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_complaints_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('receipt_lookup', name=op.f('uq_complaints_receipt_lookup')),
    sa.UniqueConstraint('reference', name=op.f('uq_complaints_reference'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_incident_date'), ['incident_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_updated_at'), ['updated_at'], unique=False)

    op.create_table('coverage_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source', sa.Enum('official', 'independent', name='source', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_note', sa.String(length=500), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_coverage_snapshots_facility_id_facilities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_snapshots')),
    sa.UniqueConstraint('facility_id', 'as_of', 'source', name=op.f('uq_coverage_snapshots_facility_id'))
    )
    with op.batch_alter_table('coverage_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coverage_snapshots_as_of'), ['as_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_coverage_snapshots_facility_id'), ['facility_id'], unique=False)

    op.create_table('facility_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=True),
    sa.Column('is_former', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_facility_aliases_facility_id_facilities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_aliases')),
    sa.UniqueConstraint('facility_id', 'name', name=op.f('uq_facility_aliases_facility_id'))
    )
    with op.batch_alter_table('facility_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_aliases_facility_id'), ['facility_id'], unique=False)

    op.create_table('complaint_categories',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('physical_violence', 'torture', 'threats', 'sexual_violence', 'medical_denial', 'lawyer_family_denial', 'extortion', 'forced_confession', 'degrading_conditions', 'camera_issue', 'other', name='category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_categories_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('complaint_id', 'category', name=op.f('pk_complaint_categories'))
    )
    op.create_table('complaint_tags',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_tags_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('complaint_id', 'tag', name=op.f('pk_complaint_tags'))
    )
    op.create_table('index_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('upsert', 'delete', name='indexaction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_outbox'))
    )
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_outbox_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('to_complainant', 'from_complainant', name='messagedirection', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_messages_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_notes_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.Enum('new', 'in_review', 'referred', 'closed', 'duplicate', 'unfounded', name='old_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('new_status', sa.Enum('new', 'in_review', 'referred', 'closed', 'duplicate', 'unfounded', name='new_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_status_changes_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('zone_coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('zone_type', sa.Enum('cells', 'corridors', 'interrogation', 'duty_intake', 'exercise_yards', 'medical', 'visiting', 'disciplinary', 'transport', 'perimeter', 'bodycams', name='zonetype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('zones_total', sa.Integer(), nullable=False),
    sa.Column('zones_covered', sa.Integer(), nullable=False),
    sa.Column('cameras_installed', sa.Integer(), nullable=False),
    sa.Column('cameras_working', sa.Integer(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=True),
    sa.CheckConstraint('cameras_working >= 0 AND cameras_working <= cameras_installed', name=op.f('ck_zone_coverage_working_within_installed')),
    sa.CheckConstraint('retention_days IS NULL OR retention_days >= 0', name=op.f('ck_zone_coverage_retention_not_negative')),
    sa.CheckConstraint('zones_covered >= 0 AND zones_covered <= zones_total', name=op.f('ck_zone_coverage_covered_within_total')),
    sa.CheckConstraint('zones_total >= 0', name=op.f('ck_zone_coverage_zones_total_not_negative')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['coverage_snapshots.id'], name=op.f('fk_zone_coverage_snapshot_id_coverage_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_coverage')),
    sa.UniqueConstraint('snapshot_id', 'zone_type', name=op.f('uq_zone_coverage_snapshot_id'))
    )
    with op.batch_alter_table('zone_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zone_coverage_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_attachments_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_attachments_message_id_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_attachments_storage_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_complaint_id'), ['complaint_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_complaint_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('zone_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zone_coverage_snapshot_id'))

    op.drop_table('zone_coverage')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_complaint_id'))

    op.drop_table('status_changes')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_complaint_id'))

    op.drop_table('notes')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_complaint_id'))

    op.drop_table('messages')
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_outbox_complaint_id'))

    op.drop_table('index_outbox')
    op.drop_table('complaint_tags')
    op.drop_table('complaint_categories')
    with op.batch_alter_table('facility_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_aliases_facility_id'))

    op.drop_table('facility_aliases')
    with op.batch_alter_table('coverage_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coverage_snapshots_facility_id'))
        batch_op.drop_index(batch_op.f('ix_coverage_snapshots_as_of'))

    op.drop_table('coverage_snapshots')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_updated_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.drop_index(batch_op.f('ix_complaints_region_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_incident_date'))
        batch_op.drop_index(batch_op.f('ix_complaints_facility_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_created_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_assignee_id'))

    op.drop_table('complaints')
    op.drop_table('user_regions')
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_type'))
        batch_op.drop_index(batch_op.f('ix_facilities_region_id'))

    op.drop_table('facilities')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('regions')
    op.drop_table('dataset_facts')
