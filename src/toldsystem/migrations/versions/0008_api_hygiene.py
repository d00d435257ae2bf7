"""messages findable by LRN and identification; an officer's name fits as sender or recipient;
signed webhooks with a durable delivery queue

Revision ID: 0008_api_hygiene
Revises: 0007_authorisation
Create Date: 2026-11-24 09:00:00
"""

import re
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0008_api_hygiene'
down_revision = '0007_authorisation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A message's party is an officer's name when an officer sends or is answered (up to 200 characters, as the
    # actor of an event), not only an EORI.
    with op.batch_alter_table('transit_intake_keys') as batch_op:
        batch_op.alter_column('party_eori', existing_type=sa.String(length=17), type_=sa.String(length=200))
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.alter_column('party_eori', existing_type=sa.String(length=17), type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('lrn', sa.String(length=22), nullable=True))
        batch_op.create_index('ix_transit_messages_lrn', ['lrn'])
        batch_op.create_index('ix_transit_messages_identification', ['message_identification'])
        batch_op.create_index('ix_transit_messages_correlation', ['correlation_identifier'])
    # Messages already stored: incoming ones name their LRN in their XML, answers in their data.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, xml, data FROM transit_messages")).all()
    lrn_in_text = re.compile(r'<LRN>\s*([A-Za-z0-9]{1,22})\s*</LRN>|"LRN":\s*"([A-Za-z0-9]{1,22})"')
    for row in rows:
        found = lrn_in_text.search(row.xml or row.data or "")
        if found:
            conn.execute(sa.text("UPDATE transit_messages SET lrn = :lrn WHERE id = :id"),
                         {"lrn": found.group(1) or found.group(2), "id": row.id})
    # A webhook registered before signing gets a secret of its own (the holder rotates it to see it).
    with op.batch_alter_table('transit_webhooks') as batch_op:
        batch_op.add_column(sa.Column('secret_salt', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('secret_made_at', sa.DateTime(timezone=True), nullable=True))
    for row in conn.execute(sa.text("SELECT eori, created_at FROM transit_webhooks")).all():
        conn.execute(sa.text("UPDATE transit_webhooks SET secret_salt = :salt, secret_made_at = :at WHERE eori = :eori"),
                     {"salt": secrets.token_hex(32), "at": row.created_at, "eori": row.eori})
    with op.batch_alter_table('transit_webhooks') as batch_op:
        batch_op.alter_column('secret_salt', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('secret_made_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_table('transit_webhook_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('eori', sa.String(length=17), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['eori'], ['companies.eori'], name=op.f('fk_transit_webhook_deliveries_eori_companies')),
    sa.ForeignKeyConstraint(['message_id'], ['transit_messages.id'],
                            name=op.f('fk_transit_webhook_deliveries_message_id_transit_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transit_webhook_deliveries'))
    )
    with op.batch_alter_table('transit_webhook_deliveries') as batch_op:
        batch_op.create_index('ix_transit_webhook_deliveries_due', ['state', 'next_attempt_at'])
        batch_op.create_index('ix_transit_webhook_deliveries_eori', ['eori', 'id'])


def downgrade() -> None:
    op.drop_table('transit_webhook_deliveries')
    with op.batch_alter_table('transit_webhooks') as batch_op:
        batch_op.drop_column('secret_made_at')
        batch_op.drop_column('secret_salt')
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.drop_index('ix_transit_messages_correlation')
        batch_op.drop_index('ix_transit_messages_identification')
        batch_op.drop_index('ix_transit_messages_lrn')
        batch_op.drop_column('lrn')
    # party_eori stays 200 wide: officers' names stored meanwhile would not fit back, and the older code
    # reads and writes the wider column as it did the narrow one.
