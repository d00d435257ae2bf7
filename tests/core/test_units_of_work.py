"""Units of work: nested ones join the outer transaction inside a savepoint."""

from sqlalchemy import insert, select, func
from toldsystem import db
from toldsystem.reference import store as ref
from toldsystem.core.errors import Rejected

def test_failed_nested_unit_of_work_leaves_none_of_its_writes(store):
    with db.transaction() as conn:
        before = conn.execute(select(func.count()).select_from(ref.currencies)).scalar_one()
        try:
            with db.transaction() as inner:
                inner.execute(insert(ref.currencies).values(code="ISK", eur_rate=150))
                raise Rejected([])
        except Rejected:
            pass
        with db.transaction() as inner:
            inner.execute(insert(ref.currencies).values(code="HUF", eur_rate=400))
    with db.reading() as conn:
        codes = {r.code for r in conn.execute(select(ref.currencies))}
    assert "ISK" not in codes and "HUF" in codes and len(codes) == before + 1
