"""the imports room (DMS Import, SPEC I): declarations, events, notifications, intake keys, MRN serials, selectivity
rule sets, tariffs, customs credit standings, estimated-assessment cases, consignee notices

Revision ID: 0019_imports
Revises: 0018_portal_officer
Create Date: 2026-12-01 22:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0019_imports'
down_revision = '0018_portal_officer'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('imports_credit_standings',
    sa.Column('consignee_eori', sa.String(length=17), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('consignee_eori', name=op.f('pk_imports_credit_standings'))
    )
    op.create_table('imports_declarations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('declarant_eori', sa.String(length=17), nullable=False),
    sa.Column('representative_eori', sa.String(length=17), nullable=True),
    sa.Column('consignee_id', sa.String(length=35), nullable=False),
    sa.Column('lrn', sa.String(length=35), nullable=False),
    sa.Column('mrn', sa.String(length=18), nullable=True),
    sa.Column('procedure', sa.String(length=20), nullable=False),
    sa.Column('additional_type', sa.String(length=1), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('lodged_electronically', sa.Boolean(), nullable=False),
    sa.Column('office', sa.String(length=8), nullable=False),
    sa.Column('lodged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('presented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('arrival_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lane', sa.String(length=10), nullable=True),
    sa.Column('lane_chosen_by', sa.String(length=10), nullable=True),
    sa.Column('lane_reason', sa.Text(), nullable=True),
    sa.Column('selection_seed', sa.String(length=64), nullable=True),
    sa.Column('rule_set_version', sa.Integer(), nullable=True),
    sa.Column('duty_total', sa.String(length=24), nullable=True),
    sa.Column('vat_total', sa.String(length=24), nullable=True),
    sa.Column('duties_currency', sa.String(length=3), nullable=True),
    sa.Column('tariff_version', sa.Integer(), nullable=True),
    sa.Column('supplementary_due', sa.Date(), nullable=True),
    sa.Column('supplementary_state', sa.String(length=10), nullable=True),
    sa.Column('supplementary_mrn', sa.String(length=18), nullable=True),
    sa.Column('simplified_mrn', sa.String(length=18), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('xml', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports_declarations')),
    sa.UniqueConstraint('declarant_eori', 'lrn', name='uq_imports_declarations_declarant_lrn'),
    sa.UniqueConstraint('mrn', name=op.f('uq_imports_declarations_mrn'))
    )
    op.create_index('ix_imports_declarations_consignee', 'imports_declarations', ['consignee_id', 'id'], unique=False)
    op.create_index('ix_imports_declarations_due', 'imports_declarations', ['supplementary_state', 'supplementary_due', 'id'], unique=False)
    op.create_index('ix_imports_declarations_office_state', 'imports_declarations', ['office', 'state', 'updated_at'], unique=False)
    op.create_index(op.f('ix_imports_declarations_simplified_mrn'), 'imports_declarations', ['simplified_mrn'], unique=False)
    op.create_table('imports_intake_keys',
    sa.Column('party', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('lrn', sa.String(length=35), nullable=False),
    sa.Column('body_digest', sa.String(length=64), nullable=False),
    sa.Column('answer_ids', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('party', 'kind', 'lrn', 'body_digest', name=op.f('pk_imports_intake_keys'))
    )
    op.create_table('imports_mrn_serials',
    sa.Column('office', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.Column('serial_key', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('office', 'year', name=op.f('pk_imports_mrn_serials'))
    )
    op.create_table('imports_rule_sets',
    sa.Column('version', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_imports_rule_sets'))
    )
    op.create_table('imports_tariffs',
    sa.Column('version', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_imports_tariffs'))
    )
    op.create_table('imports_assessment_cases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['imports_declarations.id'], name=op.f('fk_imports_assessment_cases_declaration_id_imports_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports_assessment_cases')),
    sa.UniqueConstraint('declaration_id', name=op.f('uq_imports_assessment_cases_declaration_id'))
    )
    op.create_table('imports_consignee_notices',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('consignee_id', sa.String(length=35), nullable=False),
    sa.Column('forwarder_eori', sa.String(length=17), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['imports_declarations.id'], name=op.f('fk_imports_consignee_notices_declaration_id_imports_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports_consignee_notices')),
    sa.UniqueConstraint('declaration_id', name=op.f('uq_imports_consignee_notices_declaration_id'))
    )
    op.create_table('imports_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['imports_declarations.id'], name=op.f('fk_imports_events_declaration_id_imports_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports_events'))
    )
    op.create_index(op.f('ix_imports_events_declaration_id'), 'imports_events', ['declaration_id'], unique=False)
    op.create_table('imports_notifications',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=True),
    sa.Column('party', sa.String(length=200), nullable=False),
    sa.Column('event_type', sa.String(length=20), nullable=False),
    sa.Column('lrn', sa.String(length=35), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['imports_declarations.id'], name=op.f('fk_imports_notifications_declaration_id_imports_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports_notifications'))
    )
    op.create_index('ix_imports_notifications_declaration', 'imports_notifications', ['declaration_id', 'id'], unique=False)
    op.create_index('ix_imports_notifications_party', 'imports_notifications', ['party', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_imports_notifications_party', table_name='imports_notifications')
    op.drop_index('ix_imports_notifications_declaration', table_name='imports_notifications')
    op.drop_table('imports_notifications')
    op.drop_index(op.f('ix_imports_events_declaration_id'), table_name='imports_events')
    op.drop_table('imports_events')
    op.drop_table('imports_consignee_notices')
    op.drop_table('imports_assessment_cases')
    op.drop_table('imports_tariffs')
    op.drop_table('imports_rule_sets')
    op.drop_table('imports_mrn_serials')
    op.drop_table('imports_intake_keys')
    op.drop_index(op.f('ix_imports_declarations_simplified_mrn'), table_name='imports_declarations')
    op.drop_index('ix_imports_declarations_office_state', table_name='imports_declarations')
    op.drop_index('ix_imports_declarations_due', table_name='imports_declarations')
    op.drop_index('ix_imports_declarations_consignee', table_name='imports_declarations')
    op.drop_table('imports_declarations')
    op.drop_table('imports_credit_standings')
