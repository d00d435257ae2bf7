"""signing certificates companies register for ICS and Manifest (seed 000), revoked once and kept

Revision ID: 0014_certificates
Revises: 0013_users
Create Date: 2026-12-01 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014_certificates'
down_revision = '0013_users'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('eori', sa.String(length=17), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('issuer', sa.Text(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('key_type', sa.String(length=40), nullable=False),
    sa.Column('der', sa.LargeBinary(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.String(length=100), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=100), nullable=True),
    sa.Column('revocation_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['eori'], ['companies.eori'], name=op.f('fk_certificates_eori_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_certificates_fingerprint'))
    )
    op.create_index(op.f('ix_certificates_eori'), 'certificates', ['eori'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_certificates_eori'), table_name='certificates')
    op.drop_table('certificates')
