"""the operational-messages board: messages, their append-only history, the board's revision

Revision ID: 0010_operations
Revises: 0009_mrn_serial_keys
Create Date: 2026-12-01 12:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_operations'
down_revision = '0009_mrn_serial_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('operations_messages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('systems', sa.String(length=400), nullable=False),
    sa.Column('environments', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('work_order', sa.String(length=20), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recurrence', sa.String(length=200), nullable=True),
    sa.Column('effects', sa.Text(), nullable=False),
    sa.Column('fallback', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=360), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_messages')),
    sa.UniqueConstraint('source_key', name=op.f('uq_operations_messages_source_key'))
    )
    with op.batch_alter_table('operations_messages') as batch_op:
        batch_op.create_index(batch_op.f('ix_operations_messages_updated_at'), ['updated_at'], unique=False)
    op.create_table('operations_message_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('changed', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['operations_messages.id'],
                            name=op.f('fk_operations_message_versions_message_id_operations_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_message_versions')),
    sa.UniqueConstraint('message_id', 'version', name='uq_operations_message_versions_message_version')
    )
    op.create_table('operations_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_revision'))
    )


def downgrade() -> None:
    op.drop_table('operations_revision')
    op.drop_table('operations_message_versions')
    with op.batch_alter_table('operations_messages') as batch_op:
        batch_op.drop_index(batch_op.f('ix_operations_messages_updated_at'))
    op.drop_table('operations_messages')
