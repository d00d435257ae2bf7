"""a movement's reference in GMS, when an amendment changed its guarantees; a pre-lodged
declaration's access-code proofs until its goods are presented

Revision ID: 0009_guarantee_reference
Revises: 0004_one_form_per_message
Create Date: 2026-12-01 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_guarantee_reference'
down_revision = '0004_one_form_per_message'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every movement so far: their GMS reference is their MRN.
    with op.batch_alter_table('transit_movements') as batch_op:
        batch_op.add_column(sa.Column('guarantee_ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('access_proofs', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('transit_movements') as batch_op:
        batch_op.drop_column('access_proofs')
        batch_op.drop_column('guarantee_ref')
