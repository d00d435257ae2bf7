"""the durable intake queue: submissions accepted during a queued window, processed in order when it ends

Revision ID: 0011_intake_queue
Revises: 0010_operations
Create Date: 2026-12-01 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011_intake_queue'
down_revision = '0010_operations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_held',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('environment', sa.String(length=3), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('handler', sa.String(length=40), nullable=False),
    sa.Column('sender', sa.String(length=60), nullable=False),
    sa.Column('party', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_held')),
    sa.UniqueConstraint('handler', 'sender', 'idempotency_key', name='uq_intake_held_key')
    )
    with op.batch_alter_table('intake_held') as batch_op:
        batch_op.create_index('ix_intake_held_queue', ['state', 'system', 'environment', 'channel', 'id'],
                              unique=False)
        batch_op.create_index('ix_intake_held_sender', ['sender', 'state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('intake_held') as batch_op:
        batch_op.drop_index('ix_intake_held_sender')
        batch_op.drop_index('ix_intake_held_queue')
    op.drop_table('intake_held')
