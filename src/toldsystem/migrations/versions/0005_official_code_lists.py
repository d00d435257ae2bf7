"""reference data from the official lists: code lists keyed by CLnnn with validity, a list index, parts

Revision ID: 0005_official_code_lists
Revises: 0004_one_form_per_message
Create Date: 2026-11-24 09:00:00
"""

from alembic import op
import sqlalchemy as sa

from toldsystem.db import UtcDateTime


revision = '0005_official_code_lists'
down_revision = '0004_one_form_per_message'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The hand-made lists were named GuaranteeType, PackageType, ...; the official ones are CL251,
    # CL017, ... and arrive with the next `told demo load` / `told reference load`.
    op.execute("DELETE FROM code_list_entries")
    with op.batch_alter_table('code_list_entries') as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=10), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.alter_column('en', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False)
        batch_op.alter_column('da', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False)
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
    op.create_table('code_lists',
    sa.Column('list', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('list', name=op.f('pk_code_lists'))
    )
    op.create_table('reference_parts',
    sa.Column('part', sa.String(length=60), nullable=False),
    sa.Column('fingerprint', sa.String(length=80), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('loaded_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('part', name=op.f('pk_reference_parts'))
    )
    # Countries and their memberships now come from CL008, CL009 and CL010.
    op.drop_table('countries')


def downgrade() -> None:
    op.create_table('countries',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('eu', sa.Boolean(), nullable=False),
    sa.Column('efta', sa.Boolean(), nullable=False),
    sa.Column('common_transit', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_countries'))
    )
    op.drop_table('reference_parts')
    op.drop_table('code_lists')
    # The older code reads the hand-made lists; its `told demo load` brings them back.
    op.execute("DELETE FROM code_list_entries")
    with op.batch_alter_table('code_list_entries') as batch_op:
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')
        batch_op.alter_column('da', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False)
        batch_op.alter_column('en', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False)
        batch_op.alter_column('code', existing_type=sa.String(length=20), type_=sa.String(length=10),
                              existing_nullable=False)
