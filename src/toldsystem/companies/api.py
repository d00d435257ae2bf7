"""HTTP API for the EORI register and authorisations."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from toldsystem.access.api import OfficerDep, PartyDep
from toldsystem.companies import service
from toldsystem.core.errors import NotFound, problem

router = APIRouter(prefix="/api/companies", tags=["companies"])


class CompanyIn(BaseModel):
    eori: str = Field(examples=["DK13585628"])
    name: str
    street: str
    city: str
    postcode: str
    country: str | None = None
    registered_import: bool = False
    registered_export: bool = False


class RegistrationIn(BaseModel):
    registered_import: bool | None = None
    registered_export: bool | None = None


class AuthorisationIn(BaseModel):
    kind: str = Field(examples=["authorised_consignor"])
    valid_from: date
    valid_to: date | None = None
    reference: str = ""


def _company_out(c) -> dict:
    return {"eori": c.eori, "name": c.name, "street": c.street, "city": c.city, "postcode": c.postcode,
            "country": c.country, "registered_import": c.registered_import,
            "registered_export": c.registered_export, "eori_registered": c.eori_registered}


def _authorisation_out(a) -> dict:
    return {"id": a.id, "eori": a.eori, "kind": a.kind, "reference": a.reference, "valid_from": a.valid_from,
            "valid_to": a.valid_to, "revoked": a.revoked}


def _visible(party, eori: str) -> None:
    if not party.may_see(eori):
        # A company asking for another company's data learns nothing about it.
        raise NotFound(problem("company.unknown", "eori", f"no company with EORI {eori} is registered",
                               f"ingen virksomhed med EORI {eori} er registreret"))


@router.post("", status_code=201, summary="Register a company in the EORI register (officer)")
def register(body: CompanyIn, _officer: OfficerDep) -> dict:
    return _company_out(service.register(**body.model_dump()))


@router.get("", summary="List companies (officer: all; company: itself)")
def list_companies(party: PartyDep) -> list[dict]:
    if party.is_officer:
        return [_company_out(c) for c in service.list_all()]
    return [_company_out(service.get(party.eori))]


@router.get("/{eori}", summary="One company")
def get_company(eori: str, party: PartyDep) -> dict:
    _visible(party, eori)
    return _company_out(service.get(eori))


@router.patch("/{eori}/registration", summary="Register or deregister for import/export (officer)")
def set_registration(eori: str, body: RegistrationIn, _officer: OfficerDep) -> dict:
    return _company_out(service.set_registration(eori, **body.model_dump()))


@router.get("/{eori}/authorisations", summary="A company's authorisations")
def list_authorisations(eori: str, party: PartyDep) -> list[dict]:
    _visible(party, eori)
    return [_authorisation_out(a) for a in service.authorisations(eori)]


@router.post("/{eori}/authorisations", status_code=201, summary="Grant an authorisation (officer)")
def grant(eori: str, body: AuthorisationIn, _officer: OfficerDep) -> dict:
    return _authorisation_out(service.grant(eori, **body.model_dump()))


@router.post("/authorisations/{authorisation_id}/revoke", summary="Revoke an authorisation (officer)")
def revoke(authorisation_id: int, _officer: OfficerDep) -> dict:
    return _authorisation_out(service.revoke(authorisation_id))
