"""the officers' work lists: movements waiting at an office by state, guarantees and voucher batches by office

Revision ID: 0018_portal_officer
Revises: 0016_portal
Create Date: 2026-12-01 18:00:00
"""

from alembic import op

revision = '0018_portal_officer'
down_revision = '0016_portal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_transit_movements_departure_work', 'transit_movements',
                    ['office_of_departure', 'state', 'updated_at'], unique=False)
    op.create_index('ix_transit_movements_destination_work', 'transit_movements',
                    ['office_of_destination', 'state', 'updated_at'], unique=False)
    op.create_index('ix_guarantees_office_status', 'guarantees', ['office_of_guarantee', 'status', 'created_at'],
                    unique=False)
    op.create_index('ix_guarantee_voucher_batches_office', 'guarantee_voucher_batches',
                    ['office_of_guarantee', 'registered_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_guarantee_voucher_batches_office', table_name='guarantee_voucher_batches')
    op.drop_index('ix_guarantees_office_status', table_name='guarantees')
    op.drop_index('ix_transit_movements_destination_work', table_name='transit_movements')
    op.drop_index('ix_transit_movements_departure_work', table_name='transit_movements')
