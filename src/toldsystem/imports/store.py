"""Tables of the imports room (DMS Import, SPEC I): declarations, their audit trail, the notifications in each
party's outbox, idempotency keys, MRN serials, the officers' settings (selectivity rule sets, tariffs, customs
credit standings), estimated-assessment cases and the proof of the forwarder's notice to the consignee."""

from sqlalchemy import (Boolean, Column, Date, ForeignKey, Index, Integer, LargeBinary, String, Table, Text,
                        UniqueConstraint)

from toldsystem.db import UtcDateTime, metadata

declarations = Table(
    "imports_declarations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declarant_eori", String(17), nullable=False),  # Declarant/ID: whose declaration it is
    Column("representative_eori", String(17), nullable=True),  # Agent/ID when another company than the declarant
    Column("consignee_id", String(35), nullable=False),  # GoodsShipment/Importer/ID
    Column("lrn", String(35), nullable=False),  # FunctionalReferenceID
    Column("mrn", String(18), nullable=True, unique=True),  # NULL while pre-lodged (D, F) and not yet presented
    Column("procedure", String(20), nullable=False),  # imports.rules.model.Procedure
    Column("additional_type", String(1), nullable=False),  # A, D, C, F, Y
    Column("state", String(20), nullable=False),  # imports/states.py
    Column("lodged_electronically", Boolean, nullable=False),
    Column("office", String(8), nullable=False),  # PresentationOffice (or DeclarationOfficeID)
    Column("lodged_at", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("presented_at", UtcDateTime, nullable=True),
    Column("arrival_at", UtcDateTime, nullable=True),
    Column("released_at", UtcDateTime, nullable=True),
    # The selectivity decision: lane, what chose it (criterion, random, default), its text, the seed drawn under
    # and the rule set's version.
    Column("lane", String(10), nullable=True),
    Column("lane_chosen_by", String(10), nullable=True),
    Column("lane_reason", Text, nullable=True),
    Column("selection_seed", String(64), nullable=True),
    Column("rule_set_version", Integer, nullable=True),
    # Duties as decimal text in `duties_currency` (full express and standard): customs duty and VAT totals.
    Column("duty_total", String(24), nullable=True),
    Column("vat_total", String(24), nullable=True),
    Column("duties_currency", String(3), nullable=True),
    Column("tariff_version", Integer, nullable=True),
    # A simplified declaration (C, F): its supplementary declaration's due date and whether it came
    # (awaiting, lodged, estimated); a supplementary one (Y) names its simplified declaration's MRN.
    Column("supplementary_due", Date, nullable=True),
    Column("supplementary_state", String(10), nullable=True),
    Column("supplementary_mrn", String(18), nullable=True),
    Column("simplified_mrn", String(18), nullable=True, index=True),
    Column("data", Text, nullable=False),  # the declaration's data (JSON), amended by an amendment
    Column("xml", Text, nullable=True),  # the XML as received (NULL for JSON)
    Column("updated_at", UtcDateTime, nullable=False),
    # An LRN is unique per declarant: the database guards it under concurrency.
    UniqueConstraint("declarant_eori", "lrn", name="uq_imports_declarations_declarant_lrn"),
    # The due / overdue work list: the simplified declarations still awaiting their supplementary one, by due date.
    Index("ix_imports_declarations_due", "supplementary_state", "supplementary_due", "id"),
    Index("ix_imports_declarations_consignee", "consignee_id", "id"),
    Index("ix_imports_declarations_office_state", "office", "state", "updated_at"),
)

events = Table(
    "imports_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declaration_id", Integer, ForeignKey("imports_declarations.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("event", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("detail", Text, nullable=False),
)

notifications = Table(
    "imports_notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declaration_id", Integer, ForeignKey("imports_declarations.id"), nullable=True),
    Column("party", String(200), nullable=False),  # whose outbox: a company's EORI or an officer's name
    Column("event_type", String(20), nullable=False),  # ACCEPTED, REJECTED, RELEASED, ...
    Column("lrn", String(35), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("data", Text, nullable=False),  # the notification's data (JSON), rendered as XML on request
    Index("ix_imports_notifications_party", "party", "id"),
    Index("ix_imports_notifications_declaration", "declaration_id", "id"),
)

intake_keys = Table(
    "imports_intake_keys", metadata,
    Column("party", String(200), primary_key=True),
    Column("kind", String(12), primary_key=True),  # declaration, amendment, invalidation
    Column("lrn", String(35), primary_key=True),
    Column("body_digest", String(64), primary_key=True),
    Column("answer_ids", Text, nullable=False),  # JSON list of imports_notifications ids
    Column("created_at", UtcDateTime, nullable=False),
)

mrn_serials = Table(
    "imports_mrn_serials", metadata,
    Column("office", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
    Column("serial_key", String(64), nullable=False),  # the office-year's permutation key (transit/mrn.drawn_serial)
)

rule_sets = Table(
    "imports_rule_sets", metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),  # the newest is the active one
    Column("text", Text, nullable=False),
    Column("seed", String(64), nullable=False),  # the random draws' seed under this rule set
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
)

tariffs = Table(
    "imports_tariffs", metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),  # the newest is the active one
    Column("text", Text, nullable=False),  # CSV: commodity_code,duty_rate
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
)

credit_standings = Table(
    "imports_credit_standings", metadata,
    Column("consignee_eori", String(17), primary_key=True),
    Column("status", String(10), nullable=False),  # granted, none, withdrawn, refused
    Column("since", Date, nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
    Column("set_by", String(200), nullable=False),
)

assessment_cases = Table(
    "imports_assessment_cases", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # One case per overdue simplified declaration: the constraint makes opening it idempotent.
    Column("declaration_id", Integer, ForeignKey("imports_declarations.id"), nullable=False, unique=True),
    Column("due", Date, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("state", String(10), nullable=False),  # open, closed
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("note", Text, nullable=True),
)

consignee_notices = Table(
    "imports_consignee_notices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declaration_id", Integer, ForeignKey("imports_declarations.id"), nullable=False, unique=True),
    Column("consignee_id", String(35), nullable=False),
    Column("forwarder_eori", String(17), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of the PDF: the proof of what was sent
    Column("sent_at", UtcDateTime, nullable=False),
    Column("channel", String(20), nullable=False),  # how it was sent: the consignee's outbox
)
