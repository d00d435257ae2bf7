"""HTTP API for reference data (read by every party)."""

from __future__ import annotations

from fastapi import APIRouter

from toldsystem.access.api import PartyDep
from toldsystem.reference import service

router = APIRouter(prefix="/api/reference", tags=["reference"])


@router.get("/offices", summary="Customs offices, optionally by country and role")
def offices(_party: PartyDep, country: str | None = None, role: str | None = None) -> list[dict]:
    found = service.snapshot().offices.values()
    return [{"code": o.code, "name": o.name, "city": o.city, "postcode": o.postcode, "country": o.country,
             "roles": sorted(o.roles)}
            for o in sorted(found, key=lambda o: o.code)
            if (country is None or o.country == country) and (role is None or role in o.roles)]


@router.get("/offices/{code}", summary="One customs office")
def office(code: str, _party: PartyDep) -> dict:
    o = service.office(code)
    return {"code": o.code, "name": o.name, "city": o.city, "postcode": o.postcode, "country": o.country,
            "roles": sorted(o.roles)}


@router.get("/countries", summary="Countries with EU, EFTA and common-transit membership")
def countries(_party: PartyDep) -> list[dict]:
    return [vars_of(c) for c in sorted(service.snapshot().countries.values(), key=lambda c: c.code)]


@router.get("/currencies", summary="Currencies with units per EUR")
def currencies(_party: PartyDep) -> list[dict]:
    return [{"code": c.code, "eur_rate": str(c.eur_rate)} for c in service.snapshot().currencies.values()]


@router.get("/code-lists/{name}", summary="One code list, e.g. GuaranteeType, PackageType, DocumentType")
def code_list(name: str, _party: PartyDep) -> list[dict]:
    entries = service.snapshot().code_lists.get(name, {})
    return [{"code": code, "en": en, "da": da} for code, (en, da) in sorted(entries.items())]


def vars_of(country) -> dict:
    return {"code": country.code, "name": country.name, "eu": country.eu, "efta": country.efta,
            "common_transit": country.common_transit}
