"""who may act: officers' offices, powers of attorney, a movement's representative, access-code failures
per caller and GRN, balance-query limits per caller

Revision ID: 0007_authorisation
Revises: 0006_guarantee_reference
Create Date: 2026-11-24 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_authorisation'
down_revision = '0006_guarantee_reference'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.add_column(sa.Column('office', sa.String(length=8), nullable=True))
    with op.batch_alter_table('transit_movements') as batch_op:
        batch_op.add_column(sa.Column('representative_eori', sa.String(length=17), nullable=True))
    op.create_table('powers_of_attorney',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('holder_eori', sa.String(length=17), nullable=False),
    sa.Column('representative_eori', sa.String(length=17), nullable=False),
    sa.Column('scopes', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holder_eori'], ['companies.eori'],
                            name=op.f('fk_powers_of_attorney_holder_eori_companies')),
    sa.ForeignKeyConstraint(['representative_eori'], ['companies.eori'],
                            name=op.f('fk_powers_of_attorney_representative_eori_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_powers_of_attorney'))
    )
    op.create_index(op.f('ix_powers_of_attorney_holder_eori'), 'powers_of_attorney', ['holder_eori'])
    op.create_index(op.f('ix_powers_of_attorney_representative_eori'), 'powers_of_attorney', ['representative_eori'])
    op.create_table('guarantee_code_failures',
    sa.Column('caller', sa.String(length=60), nullable=False),
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('caller', 'grn', name=op.f('pk_guarantee_code_failures'))
    )
    op.create_index('ix_guarantee_code_failures_grn', 'guarantee_code_failures', ['grn'])
    # The one-minute windows were per GRN (shared by every caller); they restart per caller and GRN.
    op.drop_table('guarantee_balance_queries')
    op.create_table('guarantee_balance_queries',
    sa.Column('caller', sa.String(length=60), nullable=False),
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('caller', 'grn', name=op.f('pk_guarantee_balance_queries'))
    )


def downgrade() -> None:
    op.drop_table('guarantee_balance_queries')
    op.create_table('guarantee_balance_queries',
    sa.Column('grn', sa.String(length=24), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('grn', name=op.f('pk_guarantee_balance_queries'))
    )
    op.drop_index('ix_guarantee_code_failures_grn', table_name='guarantee_code_failures')
    op.drop_table('guarantee_code_failures')
    op.drop_index(op.f('ix_powers_of_attorney_representative_eori'), table_name='powers_of_attorney')
    op.drop_index(op.f('ix_powers_of_attorney_holder_eori'), table_name='powers_of_attorney')
    op.drop_table('powers_of_attorney')
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35): copying the table instead would trip the
    # foreign keys that point at transit_movements.
    with op.batch_alter_table('transit_movements', recreate='never') as batch_op:
        batch_op.drop_column('representative_eori')
    with op.batch_alter_table('api_tokens', recreate='never') as batch_op:
        batch_op.drop_column('office')
