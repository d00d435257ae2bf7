"""HTTP API for the EORI register, authorisations and powers of attorney (who may: companies/authorisation.py)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from toldsystem.access.api import PartyDep
from toldsystem.companies import service
from toldsystem.companies.rules import POWER_SCOPES
from toldsystem.core.api import CONFLICT, RowId, room_router

router = room_router("/companies", tags=["companies"])


class CompanyIn(BaseModel):
    # Lengths as the register keeps them (companies/store.py): a longer value is refused here, by name.
    eori: str = Field(max_length=17, examples=["DK13585628"])
    name: str = Field(max_length=200)
    street: str = Field(max_length=200)
    city: str = Field(max_length=100)
    postcode: str = Field(max_length=20)
    country: str | None = Field(None, min_length=2, max_length=2)
    registered_import: bool = False
    registered_export: bool = False


class RegistrationIn(BaseModel):
    registered_import: bool | None = None
    registered_export: bool | None = None


class AuthorisationIn(BaseModel):
    kind: str = Field(max_length=40, examples=["authorised_consignor"])
    valid_from: date
    valid_to: date | None = None
    reference: str = Field("", max_length=60)


class PowerIn(BaseModel):
    representative_eori: str = Field(max_length=17, examples=["DK12345674"])
    scopes: list[str] = Field(default_factory=lambda: sorted(POWER_SCOPES), max_length=len(POWER_SCOPES),
                              examples=[sorted(POWER_SCOPES)],
                              description="What the representative may do in your name: " + ", ".join(
                                  f"`{k}` ({en})" for k, (en, _da) in POWER_SCOPES.items()))
    valid_from: date
    valid_to: date | None = None


def _company_out(c) -> dict:
    return {"eori": c.eori, "name": c.name, "street": c.street, "city": c.city, "postcode": c.postcode,
            "country": c.country, "registered_import": c.registered_import,
            "registered_export": c.registered_export, "eori_registered": c.eori_registered}


def _authorisation_out(a) -> dict:
    return {"id": a.id, "eori": a.eori, "kind": a.kind, "reference": a.reference, "valid_from": a.valid_from,
            "valid_to": a.valid_to, "revoked": a.revoked}


def _power_out(p) -> dict:
    return {"id": p.id, "holder_eori": p.holder_eori, "representative_eori": p.representative_eori,
            "scopes": sorted(p.scopes), "valid_from": p.valid_from, "valid_to": p.valid_to, "revoked": p.revoked}


@router.post("", status_code=201, responses=CONFLICT,
             summary="Register a company in the EORI register (national officer)")
def register(body: CompanyIn, party: PartyDep) -> dict:
    return _company_out(service.register(**body.model_dump(), by=party))


@router.get("", summary="List companies (officer: all; company: itself)")
def list_companies(party: PartyDep) -> list[dict]:
    return [_company_out(c) for c in service.visible(party)]


@router.get("/{eori}", summary="One company")
def get_company(eori: str, party: PartyDep) -> dict:
    return _company_out(service.get_for(party, eori))


@router.patch("/{eori}/registration", summary="Register or deregister for import/export (national officer)")
def set_registration(eori: str, body: RegistrationIn, party: PartyDep) -> dict:
    return _company_out(service.set_registration(eori, **body.model_dump(), by=party))


@router.get("/{eori}/authorisations", summary="A company's authorisations")
def list_authorisations(eori: str, party: PartyDep) -> list[dict]:
    return [_authorisation_out(a) for a in service.authorisations_for(party, eori)]


@router.post("/{eori}/authorisations", status_code=201, summary="Grant an authorisation (national officer)")
def grant(eori: str, body: AuthorisationIn, party: PartyDep) -> dict:
    return _authorisation_out(service.grant(eori, **body.model_dump(), by=party))


@router.post("/authorisations/{authorisation_id}/revoke", responses=CONFLICT,
             summary="Revoke an authorisation (national officer)")
def revoke(authorisation_id: RowId, party: PartyDep) -> dict:
    return _authorisation_out(service.revoke(authorisation_id, by=party))


@router.post("/{eori}/powers", status_code=201, responses=CONFLICT,
             summary="Grant a power of attorney: the company (as holder) lets a representative act in its name")
def grant_power(eori: str, body: PowerIn, party: PartyDep) -> dict:
    return _power_out(service.grant_power(eori, body.representative_eori, body.scopes, body.valid_from,
                                          body.valid_to, by=party))


@router.get("/{eori}/powers", summary="The powers of attorney a company granted and those it holds")
def list_powers(eori: str, party: PartyDep) -> list[dict]:
    return [_power_out(p) for p in service.powers_for(party, eori)]


@router.post("/powers/{power_id}/revoke", responses=CONFLICT,
             summary="Revoke a power of attorney (its holder), or renounce it (its representative)")
def revoke_power(power_id: RowId, party: PartyDep) -> dict:
    return _power_out(service.revoke_power(power_id, by=party))
