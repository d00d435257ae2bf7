"""Prepared statements behave as Connection.execute would: types in and out, errors, several rows."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.companies import store as companies
from toldsystem.prepared import Prepared, RowsInsert, insert_row

NEW_COMPANY = insert_row(companies.companies)
NEW_AUTHORISATIONS = RowsInsert(companies.authorisations, companies.authorisations.c.id,
                                companies.authorisations.c.reference)
AUTHORISATIONS_OF = Prepared(select(companies.authorisations.c.kind, companies.authorisations.c.valid_from,
                                    companies.authorisations.c.created_at)
                             .where(companies.authorisations.c.eori == bindparam("eori"))
                             .order_by(companies.authorisations.c.id))
COMPANY = {"eori": "DK13585628", "name": "Prepared ApS", "street": "Vej 1", "city": "Padborg", "postcode": "6330",
           "country": "DK", "registered_import": True, "registered_export": False,
           "created_at": datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)}


def _authorisation(reference: str) -> dict:
    return {"eori": "DK13585628", "kind": "authorised_consignor", "reference": reference,
            "valid_from": date(2026, 1, 1), "valid_to": None, "revoked_at": None,
            "created_at": datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)}


def test_values_go_in_and_come_back_through_their_column_types(store):
    with db.transaction() as conn:
        NEW_COMPANY.run(conn, COMPANY)
        inserted = NEW_AUTHORISATIONS.run(conn, [_authorisation("A-1"), _authorisation("A-2")]).all()
        rows = AUTHORISATIONS_OF.rows(conn, {"eori": "DK13585628"})
    assert sorted(r.reference for r in inserted) == ["A-1", "A-2"] and all(isinstance(r.id, int) for r in inserted)
    assert [(r.kind, r.valid_from, r.created_at) for r in rows] == [
        ("authorised_consignor", date(2026, 1, 1), datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc))] * 2


def test_a_broken_constraint_is_sqlalchemys_integrity_error_and_the_unit_keeps_nothing(store):
    with pytest.raises(IntegrityError):
        with db.transaction() as conn:
            NEW_COMPANY.run(conn, COMPANY)
            NEW_COMPANY.run(conn, COMPANY)  # the same EORI twice
    with db.reading() as conn:
        assert conn.execute(select(companies.companies.c.eori)).all() == []


def test_an_instant_bound_to_many_statements_is_converted_once_and_never_confused_with_another(store):
    first = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
    second = datetime(2026, 11, 23, 10, 0, 1, tzinfo=timezone.utc)  # equal but for one second
    naive = datetime(2026, 11, 23, 11, 0)  # taken as UTC (db.UtcDateTime)
    with db.transaction() as conn:
        NEW_COMPANY.run(conn, COMPANY | {"created_at": first})
        NEW_AUTHORISATIONS.run(conn, [{**_authorisation(f"A-{n}"), "created_at": at}
                                      for n, at in enumerate([first, first, second, naive, first])])
        rows = AUTHORISATIONS_OF.rows(conn, {"eori": "DK13585628"})
    assert [r.created_at for r in rows] == [first, first, second, naive.replace(tzinfo=timezone.utc), first]
