"""the file gateway: files put into inbox/ (kept whole until processed) and answers fetched from outbox/

Revision ID: 0015_file_gateway
Revises: 0014_certificates
Create Date: 2026-12-01 15:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0015_file_gateway'
down_revision = '0014_certificates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gateway_files',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('party_eori', sa.String(length=17), nullable=False),
    sa.Column('channel', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archive_name', sa.String(length=140), nullable=True),
    sa.Column('answer_ids', sa.Text(), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('explanation_deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_files'))
    )
    op.create_index('ix_gateway_files_party_state', 'gateway_files', ['party_eori', 'state', 'id'], unique=False)
    op.create_index('ix_gateway_files_pending', 'gateway_files', ['state', 'id'], unique=False)
    op.create_index('ix_gateway_files_digest', 'gateway_files', ['party_eori', 'sha256'], unique=False)
    op.create_table('gateway_fetched_answers',
    sa.Column('party_eori', sa.String(length=17), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('party_eori', 'message_id', name=op.f('pk_gateway_fetched_answers'))
    )


def downgrade() -> None:
    op.drop_table('gateway_fetched_answers')
    op.drop_index('ix_gateway_files_digest', table_name='gateway_files')
    op.drop_index('ix_gateway_files_pending', table_name='gateway_files')
    op.drop_index('ix_gateway_files_party_state', table_name='gateway_files')
    op.drop_table('gateway_files')
