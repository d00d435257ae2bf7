"""board subscriptions: webhook and e-mail subscriptions and their delivery queues

Revision ID: 0012_board_subscriptions
Revises: 0011_intake_queue
Create Date: 2026-12-01 14:51:24.199186
"""

from alembic import op
import sqlalchemy as sa


revision = '0012_board_subscriptions'
down_revision = '0011_intake_queue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('operations_mail_subscriptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('owner', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('systems', sa.String(length=400), nullable=False),
    sa.Column('environments', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_salt', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_mail_subscriptions')),
    sa.UniqueConstraint('owner', 'address', name='uq_operations_mail_subscriptions_owner_address')
    )
    op.create_table('operations_webhook_subscriptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('owner', sa.String(length=60), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('systems', sa.String(length=400), nullable=False),
    sa.Column('environments', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('secret_salt', sa.String(length=64), nullable=False),
    sa.Column('secret_made_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_webhook_subscriptions'))
    )
    with op.batch_alter_table('operations_webhook_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operations_webhook_subscriptions_owner'), ['owner'], unique=False)

    op.create_table('operations_mail_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['operations_messages.id'], name=op.f('fk_operations_mail_deliveries_message_id_operations_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_mail_deliveries'))
    )
    with op.batch_alter_table('operations_mail_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_operations_mail_deliveries_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_operations_mail_deliveries_subscription', ['subscription_id', 'id'], unique=False)

    op.create_table('operations_webhook_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=60), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['operations_messages.id'], name=op.f('fk_operations_webhook_deliveries_message_id_operations_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations_webhook_deliveries'))
    )
    with op.batch_alter_table('operations_webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_operations_webhook_deliveries_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_operations_webhook_deliveries_subscription', ['subscription_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('operations_webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_operations_webhook_deliveries_subscription')
        batch_op.drop_index('ix_operations_webhook_deliveries_due')

    op.drop_table('operations_webhook_deliveries')
    with op.batch_alter_table('operations_mail_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_operations_mail_deliveries_subscription')
        batch_op.drop_index('ix_operations_mail_deliveries_due')

    op.drop_table('operations_mail_deliveries')
    with op.batch_alter_table('operations_webhook_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operations_webhook_subscriptions_owner'))

    op.drop_table('operations_webhook_subscriptions')
    op.drop_table('operations_mail_subscriptions')
