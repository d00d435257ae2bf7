"""Tables of the operational-messages board: each message as it stands, its history (append-only: every version
as it was, never changed afterwards), and the board's revision, which every change moves on so that each
process knows when to build its availability snapshot again (service.board); and those who follow it by webhook
or e-mail, with the durable queues of what is sent to them (service.subscriptions, notifications.queue)."""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from toldsystem.db import UtcDateTime, metadata

messages = Table(
    "operations_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("systems", String(400), nullable=False),  # system codes (systems.py), ';'-separated, in order
    Column("environments", String(10), nullable=False),  # 'PRD', 'TFE' or 'PRD;TFE'
    Column("kind", String(20), nullable=False),  # service_window | disruption | back_to_normal | information
    Column("status", String(10), nullable=False),  # open | ended | withdrawn
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("work_order", String(20), nullable=False),
    Column("window_start", UtcDateTime, nullable=True),
    Column("window_end", UtcDateTime, nullable=True),
    Column("recurrence", String(200), nullable=True),  # an RRULE, expanded in Danish wall-clock time
    Column("effects", Text, nullable=False),  # JSON: [{"channel", "state", "systems": [...]}]
    Column("fallback", String(12), nullable=True),  # allowed | on_request | not_allowed (None: not said)
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),  # the number of its newest history entry
    # An imported message's identity on the agency's page (its created time and title): re-importing finds it.
    Column("source_key", String(360), nullable=True, unique=True),
)

versions = Table(
    "operations_message_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Integer, ForeignKey("operations_messages.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(12), nullable=False),  # created | updated | extended | ended | withdrawn | imported | reimported
    Column("at", UtcDateTime, nullable=False),  # when the change was made (an import: the page's updated time)
    Column("actor", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("changed", String(300), nullable=False),  # the content fields this version changed, ';'-separated
    Column("content", Text, nullable=False),  # JSON: the message's content as of this version
    UniqueConstraint("message_id", "version", name="uq_operations_message_versions_message_version"),
)

revision = Table(
    "operations_revision", metadata,
    Column("id", Integer, primary_key=True),  # one row, id 1
    Column("revision", BigInteger, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)


# --- subscriptions: who follows the board, and the queues of what is sent to them -------------------------------
# A subscriber is the party that made the subscription (Party.key: a company's EORI, or "officer:<name>").

webhook_subscriptions = Table(
    "operations_webhook_subscriptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(60), nullable=False, index=True),
    Column("url", String(500), nullable=False),
    Column("systems", String(400), nullable=False),  # system codes, ';'-separated; '' for every system
    Column("environments", String(10), nullable=False),  # 'PRD', 'TFE' or 'PRD;TFE'
    Column("created_at", UtcDateTime, nullable=False),
    # The signing secret is HMAC(server key, salt) (notifications.webhooks): the database alone does not give it away.
    Column("secret_salt", String(64), nullable=False),
    Column("secret_made_at", UtcDateTime, nullable=False),
)


def _delivery_columns() -> list[Column]:
    """What every delivery queue keeps (notifications.queue): its state, attempts and the receiver's last answer."""
    return [Column("body", Text, nullable=False),  # what is sent, exactly as signed (a webhook) or written (a mail)
            Column("state", String(10), nullable=False),  # pending | delivered | failed
            Column("attempts", Integer, nullable=False),
            Column("next_attempt_at", UtcDateTime, nullable=False),
            Column("last_status", Integer, nullable=True),  # an HTTP status or an SMTP reply code
            Column("last_error", String(300), nullable=True),
            Column("created_at", UtcDateTime, nullable=False),
            Column("delivered_at", UtcDateTime, nullable=True)]


# The log outlives a removed subscription (what was sent stays readable), so the subscription is no foreign key.
webhook_deliveries = Table(
    "operations_webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, nullable=False),
    Column("owner", String(60), nullable=False),
    Column("url", String(500), nullable=False),
    Column("message_id", Integer, ForeignKey("operations_messages.id"), nullable=False),
    Column("event", String(12), nullable=False),
    *_delivery_columns(),
    Index("ix_operations_webhook_deliveries_due", "state", "next_attempt_at"),
    Index("ix_operations_webhook_deliveries_subscription", "subscription_id", "id"),
)

mail_subscriptions = Table(
    "operations_mail_subscriptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(60), nullable=False),
    Column("address", String(254), nullable=False),
    Column("systems", String(400), nullable=False),  # as for webhooks: '' for every system
    Column("environments", String(10), nullable=False),
    Column("language", String(2), nullable=False),  # da | en: the mails' language
    Column("created_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=True),  # None: only the confirmation has been sent
    # The confirm and unsubscribe links carry HMAC(server key, purpose and salt); neither is stored.
    Column("token_salt", String(64), nullable=False),
    UniqueConstraint("owner", "address", name="uq_operations_mail_subscriptions_owner_address"),
)

mail_deliveries = Table(
    "operations_mail_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, nullable=False),
    Column("owner", String(60), nullable=False),
    Column("address", String(254), nullable=False),
    Column("kind", String(12), nullable=False),  # confirmation | notice
    Column("message_id", Integer, ForeignKey("operations_messages.id"), nullable=True),  # a notice's
    Column("subject", String(300), nullable=False),
    *_delivery_columns(),
    Index("ix_operations_mail_deliveries_due", "state", "next_attempt_at"),
    Index("ix_operations_mail_deliveries_subscription", "subscription_id", "id"),
)
