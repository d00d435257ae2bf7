"""Company use cases: register, look up, require an active company, grant and revoke authorisations,
grant and revoke powers of attorney. Each asks companies/authorisation.py who may act; `by`
defaults to the operator at the terminal (the CLI), the API passes the caller."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, update

from toldsystem import db
from toldsystem.access import recent as recent_parties
from toldsystem.access.rules import OPERATOR, Party, permitted, refusal
from toldsystem.companies import rules, store
from toldsystem.companies.authorisation import RULES, roles_towards_company, roles_towards_power
from toldsystem.companies.rules import Authorisation, Company, Power, Standing
from toldsystem.core import clock
from toldsystem.core.recent import Recent
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


def _unknown_company(eori: str) -> NotFound:
    return NotFound(problem("company.unknown", "eori", f"no company with EORI {eori} is registered",
                            f"ingen virksomhed med EORI {eori} er registreret"))


def _require(rule_name: str, roles: frozenset[str], unknown: NotFound, sees_rule: str | None = None) -> None:
    """Ask the room's table; a party that may not see the object gets exactly the unknown object's answer."""
    sees = permitted(RULES[sees_rule], roles) if sees_rule else True
    refused = refusal(RULES[rule_name], roles, frozenset(), sees, unknown)
    if refused is not None:
        raise refused


def _require_on_company(rule_name: str, by: Party, eori: str) -> None:
    roles = roles_towards_company(by, normalise_eori(eori))
    _require(rule_name, roles, _unknown_company(eori), "company.read")


def register(eori: str, name: str, street: str, city: str, postcode: str, country: str | None = None,
             registered_import: bool = False, registered_export: bool = False, *, by: Party = OPERATOR) -> Company:
    """Enter a company in the EORI register (a national officer's act)."""
    _require("company.register", roles_towards_company(by, ""), _unknown_company(eori))
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
        db.after_commit(forget_standings)
    return get(eori)


def set_registration(eori: str, *, registered_import: bool | None = None, registered_export: bool | None = None,
                     by: Party = OPERATOR) -> Company:
    """Register or deregister a company for import and/or export (which governs EORI registration)."""
    _require_on_company("company.registration", by, eori)
    changes = {k: v for k, v in (("registered_import", registered_import), ("registered_export", registered_export))
               if v is not None}
    with db.transaction() as conn:
        _require_row(conn, eori)
        if changes:
            conn.execute(update(store.companies).where(store.companies.c.eori == eori).values(**changes))
            db.after_commit(recent_parties.forget)  # a withdrawn company's tokens stop at once
            db.after_commit(forget_standings)
    return get(eori)


def _require_row(conn: Connection, eori: str):
    row = conn.execute(_BY_EORI, {"eori": normalise_eori(eori)}).first()
    if row is None:
        raise _unknown_company(eori)
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


def visible(party: Party) -> list[Company]:
    """The register as the party may see it: officers every company, a company itself."""
    if party.is_officer:
        return list_all()
    found = find(party.eori or "")
    return [found] if found else []


def get_for(party: Party, eori: str) -> Company:
    """A company's record, if the party may see it (else answered as unknown)."""
    _require_on_company("company.read", party, eori)
    return get(eori)


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


def grant(eori: str, kind: str, valid_from: date, valid_to: date | None = None, reference: str = "", *,
          by: Party = OPERATOR) -> Authorisation:
    """Grant an authorisation for a period (a national officer's act)."""
    _require_on_company("authorisation.grant", by, eori)
    found = Problems()
    found.add(rules.check_authorisation_kind(kind))
    found.add(rules.check_validity_period(valid_from, valid_to))
    found.raise_if_any()
    with db.transaction() as conn:
        _require_row(conn, eori)
        new_id = conn.execute(insert(store.authorisations).values(
            eori=normalise_eori(eori), kind=kind, reference=reference or f"{kind}-{eori}", valid_from=valid_from,
            valid_to=valid_to, created_at=clock.now())).inserted_primary_key[0]
        db.after_commit(forget_standings)
        row = conn.execute(select(store.authorisations).where(store.authorisations.c.id == new_id)).one()
    return _authorisation(row)


def _unknown_authorisation(authorisation_id: int) -> NotFound:
    return NotFound(problem("authorisation.unknown", "id", f"no authorisation {authorisation_id}",
                            f"ingen bevilling {authorisation_id}"))


def revoke(authorisation_id: int, *, by: Party = OPERATOR) -> Authorisation:
    """Revoke an authorisation; it stays on record (a national officer's act)."""
    with db.reading() as conn:
        owner = conn.execute(select(store.authorisations.c.eori)
                             .where(store.authorisations.c.id == authorisation_id)).scalar()
    _require("authorisation.revoke", roles_towards_company(by, owner or ""), _unknown_authorisation(authorisation_id),
             "company.read")
    with db.transaction() as conn:
        done = conn.execute(update(store.authorisations).where(store.authorisations.c.id == authorisation_id,
                                                               store.authorisations.c.revoked_at.is_(None))
                            .values(revoked_at=clock.now()))
        db.after_commit(forget_standings)
        row = conn.execute(select(store.authorisations).where(store.authorisations.c.id == authorisation_id)).first()
        if row is None:
            raise _unknown_authorisation(authorisation_id)
        if done.rowcount == 0:
            raise Conflict(problem("authorisation.revoked", "id", "authorisation is already revoked",
                                   "bevillingen er allerede tilbagekaldt"))
    return _authorisation(row)


def authorisations(eori: str) -> list[Authorisation]:
    """A company's authorisations, newest first."""
    with db.reading() as conn:
        return [_authorisation(r) for r in conn.execute(_AUTHORISATIONS, {"eori": normalise_eori(eori)})]


def authorisations_for(party: Party, eori: str) -> list[Authorisation]:
    """A company's authorisations, if the party may see them (else answered as unknown)."""
    _require_on_company("authorisation.list", party, eori)
    get(eori)
    return authorisations(eori)


# One round trip for the facts an intake needs (transit asks for every declaration).
_STANDING = Prepared(select(store.companies.c.registered_import, store.companies.c.registered_export,
                            store.authorisations.c.id, store.authorisations.c.eori, store.authorisations.c.kind,
                            store.authorisations.c.reference, store.authorisations.c.valid_from,
                            store.authorisations.c.valid_to, store.authorisations.c.revoked_at)
                     .select_from(store.companies.outerjoin(store.authorisations,
                                                            store.authorisations.c.eori == store.companies.c.eori))
                     .where(store.companies.c.eori == bindparam("eori")))


# Standings looked up in the last second (core/recent.py): a trader's declarations ask for the same few
# companies again and again. A change through this process forgets them after its commit.
_recent_standings: Recent[Standing] = Recent(recent_parties.SECONDS)


def forget_standings() -> None:
    _recent_standings.forget()


def standing(eori: str, on: date) -> Standing:
    """Whether the company is known and EORI-registered, and which of its authorisations are valid on `on`."""
    eori = normalise_eori(eori)
    found = _recent_standings.get((eori, on))
    if found is not None:
        return found
    with db.reading() as conn:
        rows = _STANDING.rows(conn, {"eori": eori})
    if not rows:
        found = Standing(known=False, eori_registered=False, authorisations=frozenset())
    else:
        valid = frozenset(r.kind for r in rows if r.kind is not None and _authorisation(r).valid_on(on))
        found = Standing(known=True, eori_registered=rules.is_eori_registered(rows[0].registered_import,
                                                                               rows[0].registered_export),
                         authorisations=valid)
    _recent_standings.keep((eori, on), found)
    return found


def holds(eori: str, kind: str, on: date | None = None) -> bool:
    """Whether the company holds a valid authorisation of this kind on the given day (today by default)."""
    day = on or clock.local(clock.now()).date()
    return any(a.kind == kind and a.valid_on(day) for a in authorisations(eori))


# --- powers of attorney (representation, SPEC T) --------------------------------------------------

pw = store.powers_of_attorney


def _power(row) -> Power:
    return Power(row.id, row.holder_eori, row.representative_eori, frozenset(s for s in row.scopes.split(";") if s),
                 row.valid_from, row.valid_to, row.revoked_at is not None)


def _unknown_power(power_id: int) -> NotFound:
    return NotFound(problem("power.unknown", "power_id", f"no power of attorney {power_id}",
                            f"ingen fuldmagt {power_id}"))


def grant_power(holder_eori: str, representative_eori: str, scopes: list[str] | set[str], valid_from: date,
                valid_to: date | None = None, *, by: Party = OPERATOR) -> Power:
    """The holder lets another EORI-registered company act in its name within `scopes` for a period."""
    holder_eori, representative_eori = normalise_eori(holder_eori), normalise_eori(representative_eori)
    _require("power.grant", roles_towards_company(by, holder_eori), _unknown_company(holder_eori), "power.list")
    found = Problems()
    found.add(rules.check_power_scopes(set(scopes)))
    found.add(rules.check_validity_period(valid_from, valid_to))
    found.add(rules.check_representative_is_another_company(holder_eori, representative_eori))
    found.raise_if_any()
    get(holder_eori)
    require_active(representative_eori, "representative_eori")
    with db.transaction() as conn:
        new_id = conn.execute(insert(pw).values(
            holder_eori=holder_eori, representative_eori=representative_eori, scopes=";".join(sorted(set(scopes))),
            valid_from=valid_from, valid_to=valid_to, created_at=clock.now())).inserted_primary_key[0]
        row = conn.execute(select(pw).where(pw.c.id == new_id)).one()
    return _power(row)


def powers_for(party: Party, eori: str) -> list[Power]:
    """The powers a company granted and those it holds, newest first, if the party may see them."""
    eori = normalise_eori(eori)
    _require("power.list", roles_towards_company(party, eori), _unknown_company(eori), "power.list")
    get(eori)
    with db.reading() as conn:
        rows = conn.execute(select(pw).where((pw.c.holder_eori == eori) | (pw.c.representative_eori == eori))
                            .order_by(pw.c.id.desc()))
        return [_power(r) for r in rows]


def revoke_power(power_id: int, *, by: Party = OPERATOR) -> Power:
    """The holder revokes a power (or its representative renounces it); it stays on record."""
    with db.transaction() as conn:
        row = conn.execute(select(pw).where(pw.c.id == power_id)).first()
        roles = roles_towards_power(by, _power(row)) if row is not None else roles_towards_company(by, "")
        _require("power.revoke", roles, _unknown_power(power_id), "power.list")
        if row is None:
            raise _unknown_power(power_id)
        done = conn.execute(update(pw).where(pw.c.id == power_id, pw.c.revoked_at.is_(None))
                            .values(revoked_at=clock.now()))
        if done.rowcount == 0:
            raise Conflict(problem("power.revoked", "power_id", "the power of attorney is already revoked",
                                   "fuldmagten er allerede tilbagekaldt"))
        row = conn.execute(select(pw).where(pw.c.id == power_id)).one()
    return _power(row)


# Asked when a representative declares, amends or invalidates, or sends for another company.
# A power comes with its representative's registration (a primary-key join): a company that is no longer
# EORI-registered holds no power, as it may not act at all (seed 000; access.service.authenticate).
_co = store.companies
_WITH_REPRESENTATIVE = (select(pw, _co.c.registered_import, _co.c.registered_export)
                        .select_from(pw.join(_co, _co.c.eori == pw.c.representative_eori)))
_POWERS_BETWEEN = Prepared(_WITH_REPRESENTATIVE.where(pw.c.holder_eori == bindparam("holder"),
                                                      pw.c.representative_eori == bindparam("representative"),
                                                      pw.c.revoked_at.is_(None)))
_REPRESENTED = Prepared(_WITH_REPRESENTATIVE.where(pw.c.representative_eori == bindparam("representative"),
                                                   pw.c.revoked_at.is_(None)))


def _held_powers(rows) -> list[Power]:
    """The powers of these rows whose representative is still EORI-registered."""
    return [_power(r) for r in rows if rules.is_eori_registered(r.registered_import, r.registered_export)]


def power_scopes(holder_eori: str, representative_eori: str, on: date | None = None) -> frozenset[str]:
    """What the representative may do in the holder's name on that day (today by default): the scopes of its valid powers."""
    if not holder_eori or not representative_eori or holder_eori == representative_eori:
        return frozenset()
    day = on or clock.local(clock.now()).date()
    with db.reading() as conn:
        rows = _POWERS_BETWEEN.rows(conn, {"holder": holder_eori, "representative": representative_eori})
    return rules.scopes_valid_on(_held_powers(rows), day)


def represented_holders(representative_eori: str, scopes: frozenset[str], on: date | None = None) -> frozenset[str]:
    """The holders whose valid power lets this company act in one of `scopes` on that day."""
    day = on or clock.local(clock.now()).date()
    with db.reading() as conn:
        rows = _REPRESENTED.rows(conn, {"representative": representative_eori})
    return frozenset(p.holder_eori for p in _held_powers(rows) if p.valid_on(day) and p.scopes & scopes)
