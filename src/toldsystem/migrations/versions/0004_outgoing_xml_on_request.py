"""outgoing transit messages keep their data; their XML is rendered on request

Revision ID: 0004_outgoing_xml_on_request
Revises: 0003_transit
Create Date: 2026-11-23 19:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_outgoing_xml_on_request'
down_revision = '0003_transit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages already stored keep their XML; new outgoing ones store none.
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.alter_column('xml', existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # Outgoing messages stored without XML get an empty text; render them from `data` before downgrading.
    op.execute("UPDATE transit_messages SET xml = '' WHERE xml IS NULL")
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.alter_column('xml', existing_type=sa.Text(), nullable=False)
