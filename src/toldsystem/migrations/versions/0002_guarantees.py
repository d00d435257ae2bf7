"""guarantee management system: guarantees, access codes, reservations, ledger, voucher batches, counters

Revision ID: 0002_guarantees
Revises: 0001_foundation
Create Date: 2026-11-23 10:52:34.934845
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_guarantees'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guarantee_balance_queries',
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('grn', name=op.f('pk_guarantee_balance_queries'))
    )
    op.create_table('guarantee_counters',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_guarantee_counters'))
    )
    op.create_table('guarantee_ledger',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('movement_ref', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('reserve', 'free', 'discharge', 'adjust')", name=op.f('ck_guarantee_ledger_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantee_ledger'))
    )
    with op.batch_alter_table('guarantee_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_guarantee_ledger_grn_id', ['grn', 'id'], unique=False)
        batch_op.create_index('ix_guarantee_ledger_movement_ref', ['movement_ref'], unique=False)

    op.create_table('guarantee_reservations',
    sa.Column('movement_ref', sa.String(length=40), nullable=False),
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('declared_cents', sa.BigInteger(), nullable=False),
    sa.Column('declared_currency', sa.String(length=3), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('freed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('discharged_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('movement_ref', 'grn', name=op.f('pk_guarantee_reservations'))
    )
    op.create_table('guarantee_voucher_batches',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('base_grn', sa.String(length=17), nullable=False),
    sa.Column('buyer_eori', sa.String(length=17), nullable=False),
    sa.Column('office_of_guarantee', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('sold_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['buyer_eori'], ['companies.eori'], name=op.f('fk_guarantee_voucher_batches_buyer_eori_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantee_voucher_batches')),
    sa.UniqueConstraint('base_grn', name=op.f('uq_guarantee_voucher_batches_base_grn'))
    )
    with op.batch_alter_table('guarantee_voucher_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantee_voucher_batches_buyer_eori'), ['buyer_eori'], unique=False)

    op.create_table('guarantees',
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('type', sa.String(length=1), nullable=False),
    sa.Column('holder_eori', sa.String(length=17), nullable=False),
    sa.Column('office_of_guarantee', sa.String(length=8), nullable=False),
    sa.Column('reference_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('not_valid_in', sa.String(length=40), nullable=False),
    sa.Column('open_cents', sa.BigInteger(), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('guarantor', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('open_cents >= 0 AND open_cents <= reference_cents', name=op.f('ck_guarantees_open_within_reference')),
    sa.ForeignKeyConstraint(['batch_id'], ['guarantee_voucher_batches.id'], name=op.f('fk_guarantees_batch_id_guarantee_voucher_batches')),
    sa.ForeignKeyConstraint(['holder_eori'], ['companies.eori'], name=op.f('fk_guarantees_holder_eori_companies')),
    sa.PrimaryKeyConstraint('grn', name=op.f('pk_guarantees'))
    )
    with op.batch_alter_table('guarantees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantees_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guarantees_holder_eori'), ['holder_eori'], unique=False)

    op.create_table('guarantee_access_codes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['grn'], ['guarantees.grn'], name=op.f('fk_guarantee_access_codes_grn_guarantees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantee_access_codes'))
    )
    with op.batch_alter_table('guarantee_access_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantee_access_codes_grn'), ['grn'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('guarantee_access_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantee_access_codes_grn'))

    op.drop_table('guarantee_access_codes')
    with op.batch_alter_table('guarantees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantees_holder_eori'))
        batch_op.drop_index(batch_op.f('ix_guarantees_batch_id'))

    op.drop_table('guarantees')
    with op.batch_alter_table('guarantee_voucher_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantee_voucher_batches_buyer_eori'))

    op.drop_table('guarantee_voucher_batches')
    op.drop_table('guarantee_reservations')
    with op.batch_alter_table('guarantee_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_guarantee_ledger_movement_ref')
        batch_op.drop_index('ix_guarantee_ledger_grn_id')

    op.drop_table('guarantee_ledger')
    op.drop_table('guarantee_counters')
    op.drop_table('guarantee_balance_queries')
