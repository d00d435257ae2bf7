"""each office's MRN serials of a year are drawn through a keyed permutation, so no MRN tells another

Revision ID: 0009_mrn_serial_keys
Revises: 0008_api_hygiene
Create Date: 2026-12-01 13:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_mrn_serial_keys'
down_revision = '0008_api_hygiene'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for the office-years begun before: they go on counting in order until their year ends,
    # since a permutation started halfway could hand out a serial already given.
    op.add_column('transit_mrn_serials', sa.Column('serial_key', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('transit_mrn_serials', 'serial_key')
