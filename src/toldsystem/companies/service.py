"""Company use cases: register, look up, require an active company, grant and revoke authorisations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, update

from toldsystem import db
from toldsystem.companies import rules, store
from toldsystem.companies.rules import Authorisation, Company, Standing
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problems, Rejected, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.prepared import Prepared


_BY_EORI = select(store.companies).where(store.companies.c.eori == bindparam("eori"))
_AUTHORISATIONS = (select(store.authorisations).where(store.authorisations.c.eori == bindparam("eori"))
                   .order_by(store.authorisations.c.id.desc()))


def _company(row) -> Company:
    return Company(row.eori, row.name, row.street, row.city, row.postcode, row.country,
                   row.registered_import, row.registered_export)


def _authorisation(row) -> Authorisation:
    return Authorisation(row.id, row.eori, row.kind, row.reference, row.valid_from, row.valid_to,
                         row.revoked_at is not None)


def register(eori: str, name: str, street: str, city: str, postcode: str, country: str | None = None,
             registered_import: bool = False, registered_export: bool = False) -> Company:
    """Enter a company in the EORI register (an officer's act)."""
    eori = normalise_eori(eori)
    found = Problems()
    found.add(rules.check_eori(eori))
    for field, value in (("name", name), ("street", street), ("city", city), ("postcode", postcode)):
        if not value or not value.strip():
            found.add(problem("company.required", field, f"{field} is required", f"{field} skal udfyldes"))
    found.raise_if_any()
    row = {"eori": eori, "name": name.strip(), "street": street.strip(), "city": city.strip(),
           "postcode": postcode.strip(), "country": (country or eori[:2]).upper(),
           "registered_import": registered_import, "registered_export": registered_export,
           "created_at": clock.now()}
    with db.transaction() as conn:
        if conn.execute(select(store.companies.c.eori).where(store.companies.c.eori == eori)).first():
            raise Conflict(problem("company.exists", "eori", f"company {eori} is already registered",
                                   f"virksomheden {eori} er allerede registreret"))
        conn.execute(insert(store.companies), row)
    return get(eori)


def set_registration(eori: str, *, registered_import: bool | None = None, registered_export: bool | None = None) -> Company:
    """Register or deregister a company for import and/or export (which governs EORI registration)."""
    changes = {k: v for k, v in (("registered_import", registered_import), ("registered_export", registered_export))
               if v is not None}
    with db.transaction() as conn:
        _require_row(conn, eori)
        if changes:
            conn.execute(update(store.companies).where(store.companies.c.eori == eori).values(**changes))
    return get(eori)


def _require_row(conn: Connection, eori: str):
    row = conn.execute(_BY_EORI, {"eori": normalise_eori(eori)}).first()
    if row is None:
        raise NotFound(problem("company.unknown", "eori", f"no company with EORI {eori} is registered",
                               f"ingen virksomhed med EORI {eori} er registreret"))
    return row


def get(eori: str) -> Company:
    """A company by EORI, or NotFound."""
    with db.reading() as conn:
        return _company(_require_row(conn, eori))


def find(eori: str) -> Company | None:
    """A company by EORI, or None."""
    with db.reading() as conn:
        row = conn.execute(_BY_EORI, {"eori": normalise_eori(eori)}).first()
    return _company(row) if row else None


def list_all() -> list[Company]:
    """Every registered company, by EORI."""
    with db.reading() as conn:
        return [_company(r) for r in conn.execute(select(store.companies).order_by(store.companies.c.eori))]


def require_active(eori: str, pointer: str = "eori") -> Company:
    """The company, if known and EORI-registered; only such companies may act (seed 000)."""
    problem_found = rules.check_eori(eori, pointer)
    if problem_found:
        raise Rejected(problem_found)
    company = find(eori)
    if company is None:
        raise Rejected(problem("company.unknown", pointer, f"no company with EORI {eori} is registered",
                               f"ingen virksomhed med EORI {eori} er registreret"))
    if not company.eori_registered:
        raise Rejected(problem("company.not_eori_registered", pointer,
                               f"company {eori} is not registered for import or export and may not act",
                               f"virksomheden {eori} er ikke registreret til import eller eksport"))
    return company


def grant(eori: str, kind: str, valid_from: date, valid_to: date | None = None, reference: str = "") -> Authorisation:
    """Grant an authorisation for a period (an officer's act)."""
    found = Problems()
    found.add(rules.check_authorisation_kind(kind))
    found.add(rules.check_validity_period(valid_from, valid_to))
    found.raise_if_any()
    with db.transaction() as conn:
        _require_row(conn, eori)
        new_id = conn.execute(insert(store.authorisations).values(
            eori=normalise_eori(eori), kind=kind, reference=reference or f"{kind}-{eori}", valid_from=valid_from,
            valid_to=valid_to, created_at=clock.now())).inserted_primary_key[0]
        row = conn.execute(select(store.authorisations).where(store.authorisations.c.id == new_id)).one()
    return _authorisation(row)


def revoke(authorisation_id: int) -> Authorisation:
    """Revoke an authorisation; it stays on record."""
    with db.transaction() as conn:
        done = conn.execute(update(store.authorisations).where(store.authorisations.c.id == authorisation_id,
                                                               store.authorisations.c.revoked_at.is_(None))
                            .values(revoked_at=clock.now()))
        row = conn.execute(select(store.authorisations).where(store.authorisations.c.id == authorisation_id)).first()
        if row is None:
            raise NotFound(problem("authorisation.unknown", "id", f"no authorisation {authorisation_id}",
                                   f"ingen bevilling {authorisation_id}"))
        if done.rowcount == 0:
            raise Conflict(problem("authorisation.revoked", "id", "authorisation is already revoked",
                                   "bevillingen er allerede tilbagekaldt"))
    return _authorisation(row)


def authorisations(eori: str) -> list[Authorisation]:
    """A company's authorisations, newest first."""
    with db.reading() as conn:
        return [_authorisation(r) for r in conn.execute(_AUTHORISATIONS, {"eori": normalise_eori(eori)})]


# One round trip for the facts an intake needs (transit asks for every declaration).
_STANDING = Prepared(select(store.companies.c.registered_import, store.companies.c.registered_export,
                            store.authorisations.c.id, store.authorisations.c.eori, store.authorisations.c.kind,
                            store.authorisations.c.reference, store.authorisations.c.valid_from,
                            store.authorisations.c.valid_to, store.authorisations.c.revoked_at)
                     .select_from(store.companies.outerjoin(store.authorisations,
                                                            store.authorisations.c.eori == store.companies.c.eori))
                     .where(store.companies.c.eori == bindparam("eori")))


def standing(eori: str, on: date) -> Standing:
    """Whether the company is known and EORI-registered, and which of its authorisations are valid on `on`."""
    with db.reading() as conn:
        rows = _STANDING.rows(conn, {"eori": normalise_eori(eori)})
    if not rows:
        return Standing(known=False, eori_registered=False, authorisations=frozenset())
    valid = frozenset(r.kind for r in rows if r.kind is not None and _authorisation(r).valid_on(on))
    return Standing(known=True, eori_registered=rules.is_eori_registered(rows[0].registered_import,
                                                                          rows[0].registered_export),
                    authorisations=valid)


def holds(eori: str, kind: str, on: date | None = None) -> bool:
    """Whether the company holds a valid authorisation of this kind on the given day (today by default)."""
    day = on or clock.local(clock.now()).date()
    return any(a.kind == kind and a.valid_on(day) for a in authorisations(eori))
