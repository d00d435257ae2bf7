"""the portal: each user's chosen language (da, en), remembered across sessions

Revision ID: 0016_portal
Revises: 0015_file_gateway
Create Date: 2026-12-01 17:45:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0016_portal'
down_revision = '0015_file_gateway'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('language', sa.String(length=2), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35 and later drop a column in place): a batch copy of the table would be refused
    # by the foreign keys of tokens, keys and sessions that point at the users.
    op.drop_column('users', 'language')
