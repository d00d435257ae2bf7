"""Tables of the file gateway: the files companies put into inbox/, and the answers they removed from outbox/."""

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from toldsystem.db import UtcDateTime, metadata

files = Table(
    "gateway_files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("party_eori", String(17), nullable=False),
    Column("channel", String(4), nullable=False),  # sftp | ftps
    Column("name", String(128), nullable=False),  # as uploaded into inbox/
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    # The file itself, committed before the upload is acknowledged: a file once accepted is never lost.
    Column("content", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("state", String(10), nullable=False),  # pending | processed | rejected (gateway/rules.py)
    Column("processed_at", UtcDateTime, nullable=True),
    Column("archive_name", String(140), nullable=True),  # its name in archive/ once processed
    Column("answer_ids", Text, nullable=True),  # JSON: the transit answers it produced
    Column("explanation", Text, nullable=True),  # why it was refused (Danish and English), beside it in inbox/
    Column("deleted_at", UtcDateTime, nullable=True),  # removed from the company's view (the row stays)
    Column("explanation_deleted_at", UtcDateTime, nullable=True),
    Index("ix_gateway_files_party_state", "party_eori", "state", "id"),
    Index("ix_gateway_files_pending", "state", "id"),
    Index("ix_gateway_files_digest", "party_eori", "sha256"),
)

# An answer a company deleted from outbox/ (fetched); the answer itself stays in the transit message log.
fetched = Table(
    "gateway_fetched_answers", metadata,
    Column("party_eori", String(17), primary_key=True),
    Column("message_id", Integer, primary_key=True),
    Column("deleted_at", UtcDateTime, nullable=False),
)
