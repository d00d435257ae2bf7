"""The migrations build exactly the tables the code describes, and step down without losing messages."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from toldsystem import db, demo, migrate
from toldsystem.access.rules import Party
from toldsystem.models import metadata
from toldsystem.reference import service as reference
from toldsystem.transit import service as transit
from toldsystem.transit.messages import render


def test_migrated_schema_matches_the_models(store):
    with store.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_downgrade_gives_every_transit_message_both_forms_again(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
    migrate.upgrade(engine)
    previous = db.use(engine)
    try:
        reference.forget_snapshot()
        reference.load_bundled()
        demo.load()
        declaration = demo.declaration(items=2)
        result = transit.receive_xml(Party(kind="company", name="DK13585628", eori="DK13585628"),
                                     render("CC015C", declaration))
        sent = {m.message_type: (m.xml, m.data) for m in result.answers}
        cfg = migrate.alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003_transit")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT direction, message_type, xml, data FROM transit_messages")).all()
    finally:
        db.use(previous)
        reference.forget_snapshot()
        engine.dispose()
    assert {r.message_type for r in rows} == {"CC015C", "CC928C", "CC028C", "CC029C"}
    for row in rows:
        assert row.xml and row.data not in (None, "", "{}")
        if row.direction == "out":
            assert row.xml == sent[row.message_type][0]  # the XML the API served before
    incoming = next(r for r in rows if r.direction == "in")
    assert "accessCode" not in incoming.xml and "accessCode" not in incoming.data
