"""a transit message keeps one form: incoming as the XML received, outgoing as its data

Revision ID: 0004_one_form_per_message
Revises: 0003_transit
Create Date: 2026-11-23 19:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_one_form_per_message'
down_revision = '0003_transit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages already stored keep both forms; new ones store one, the other is derived on request.
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.alter_column('xml', existing_type=sa.Text(), nullable=True)
        batch_op.alter_column('data', existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # The older code needs both forms: derive the missing one for every message first.
    from toldsystem.core import jsontext
    from toldsystem.transit import messages

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, message_type, xml, data FROM transit_messages "
                                "WHERE xml IS NULL OR data IS NULL")).all()
    for row in rows:
        if row.xml is None:
            body = {k: v for k, v in jsontext.loads(row.data).items() if k != "_errors"}
            values = {"xml": messages.render(row.message_type, body).decode("utf-8"), "data": row.data}
        else:
            parsed = messages.parse_message(row.xml.encode("utf-8"))
            values = {"xml": row.xml, "data": jsontext.dumps({} if isinstance(parsed, list) else parsed.data)}
        conn.execute(sa.text("UPDATE transit_messages SET xml = :xml, data = :data WHERE id = :id"),
                     {**values, "id": row.id})
    with op.batch_alter_table('transit_messages') as batch_op:
        batch_op.alter_column('xml', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('data', existing_type=sa.Text(), nullable=False)
