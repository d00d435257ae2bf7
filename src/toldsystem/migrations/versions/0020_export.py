"""the export room: declarations, events, messages and outboxes, MRN serials

Revision ID: 0020_export
Revises: 0019_imports
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0020_export'
down_revision = '0019_imports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'export_declarations',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('declarant_eori', sa.String(17), nullable=False),
        sa.Column('representative_eori', sa.String(17), nullable=True),
        sa.Column('exporter_eori', sa.String(17), nullable=True),
        sa.Column('lrn', sa.String(22), nullable=False),
        sa.Column('mrn', sa.String(18), nullable=True, unique=True),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('type_code', sa.String(3), nullable=False),
        sa.Column('state', sa.String(30), nullable=False),
        sa.Column('office_of_export', sa.String(8), nullable=False),
        sa.Column('office_of_exit', sa.String(8), nullable=False),
        sa.Column('fallback', sa.Boolean(), nullable=False),
        sa.Column('digest', sa.String(64), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('xml', sa.Text(), nullable=False),
        sa.Column('lodged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('presented_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('arrived_at_exit_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('exited_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('declarant_eori', 'lrn', name='uq_export_declarations_declarant_lrn'),
    )
    op.create_index('ix_export_declarations_export_work', 'export_declarations',
                    ['office_of_export', 'state', 'updated_at'])
    op.create_index('ix_export_declarations_exit_work', 'export_declarations',
                    ['office_of_exit', 'state', 'updated_at'])
    op.create_table(
        'export_events',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('declaration_id', sa.Integer(), sa.ForeignKey('export_declarations.id'), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('event', sa.String(40), nullable=False),
        sa.Column('state', sa.String(30), nullable=False),
        sa.Column('actor', sa.String(200), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
    )
    op.create_index('ix_export_events_declaration_id', 'export_events', ['declaration_id'])
    op.create_table(
        'export_messages',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('declaration_id', sa.Integer(), sa.ForeignKey('export_declarations.id'), nullable=True),
        sa.Column('direction', sa.String(3), nullable=False),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('party', sa.String(200), nullable=False),
        sa.Column('lrn', sa.String(22), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
    )
    op.create_index('ix_export_messages_party', 'export_messages', ['party', 'direction', 'id'])
    op.create_index('ix_export_messages_declaration', 'export_messages', ['declaration_id', 'id'])
    op.create_table(
        'export_mrn_serials',
        sa.Column('office', sa.String(8), primary_key=True),
        sa.Column('year', sa.Integer(), primary_key=True),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.Column('serial_key', sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('export_mrn_serials')
    op.drop_index('ix_export_messages_declaration', table_name='export_messages')
    op.drop_index('ix_export_messages_party', table_name='export_messages')
    op.drop_table('export_messages')
    op.drop_index('ix_export_events_declaration_id', table_name='export_events')
    op.drop_table('export_events')
    op.drop_index('ix_export_declarations_exit_work', table_name='export_declarations')
    op.drop_index('ix_export_declarations_export_work', table_name='export_declarations')
    op.drop_table('export_declarations')
