"""a movement's reference in GMS, when an amendment changed its guarantees; a pre-lodged
declaration's access-code proofs until its goods are presented

Revision ID: 0006_guarantee_reference
Revises: 0005_official_code_lists
Create Date: 2026-12-01 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_guarantee_reference'
down_revision = '0005_official_code_lists'
branch_labels = None
depends_on = None


# Plain ALTER TABLE (SQLite 3.35+ drops columns too): a batch copy of transit_movements would have to
# drop the table that messages and events refer to.

def upgrade() -> None:
    # NULL for every movement so far: their GMS reference is their MRN.
    op.add_column('transit_movements', sa.Column('guarantee_ref', sa.String(length=40), nullable=True))
    op.add_column('transit_movements', sa.Column('access_proofs', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('transit_movements', 'access_proofs')
    op.drop_column('transit_movements', 'guarantee_ref')
