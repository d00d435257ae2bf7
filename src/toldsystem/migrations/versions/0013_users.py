"""users with system roles, their SSH keys and web sessions, the audit log; tokens belong to users

Every company that has API tokens gets its first administrator user, <CVR>-001 (the EORI without DK for a
Danish company, the whole EORI for another), holding every role; its tokens become that user's tokens, so
they go on doing what they did. Officers' tokens stay without a user: issued at the terminal by whoever runs
the server, they keep every role (access/service).

Revision ID: 0013_users
Revises: 0012_board_subscriptions
Create Date: 2026-12-01 14:47:08
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0013_users'
down_revision = '0012_board_subscriptions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_eori', sa.String(length=17), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('client', sa.String(length=100), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('subject_eori', sa.String(length=17), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_subject', ['subject_eori', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_actor_eori', ['actor_eori', 'id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('eori', sa.String(length=17), nullable=True),
    sa.Column('office', sa.String(length=8), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('must_change', sa.Boolean(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('wait_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['eori'], ['companies.eori'], name=op.f('fk_users_eori_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('user_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=100), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_keys'))
    )
    with op.batch_alter_table('user_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_keys_user_id'), ['user_id'], unique=False)

    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('csrf_digest', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('digest', name=op.f('uq_web_sessions_digest'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_user_id_users'), 'users', ['user_id'], ['id'])
    _first_administrators()


# Written out here, not imported: a migration keeps doing what it did when the code moves on.
_ALL_ROLES = "admin,export,guarantees,ics,import,manifest,transit"


def _first_administrators() -> None:
    """Each company with tokens: its first administrator user, holding every role, owns its tokens."""
    conn = op.get_bind()
    tokens = sa.table("api_tokens", sa.column("eori"), sa.column("kind"), sa.column("user_id"))
    users = sa.table("users", *(sa.column(c) for c in (
        "id", "username", "kind", "eori", "serial", "name", "roles", "must_change", "failures", "created_at")))
    now = datetime.now(timezone.utc)
    eoris = conn.execute(sa.select(tokens.c.eori).where(tokens.c.kind == "company").distinct()).scalars().all()
    for eori in sorted(e for e in eoris if e):
        number = eori[2:] if eori.startswith("DK") else eori
        conn.execute(sa.insert(users).values(username=f"{number}-001", kind="company", eori=eori, serial=1,
                                             name="administrator", roles=_ALL_ROLES, must_change=False, failures=0,
                                             created_at=now))
        user_id = conn.execute(sa.select(users.c.id).where(users.c.username == f"{number}-001")).scalar_one()
        conn.execute(sa.update(tokens).where(tokens.c.eori == eori, tokens.c.kind == "company")
                     .values(user_id=user_id))



def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_user_id_users'), type_='foreignkey')
        batch_op.drop_column('user_id')

    op.drop_table('web_sessions')
    with op.batch_alter_table('user_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_keys_user_id'))

    op.drop_table('user_keys')
    op.drop_table('users')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject')
        batch_op.drop_index('ix_audit_log_actor_eori')
    op.drop_table('audit_log')
