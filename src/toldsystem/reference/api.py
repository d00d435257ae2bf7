"""HTTP API for reference data (read by every party)."""

from __future__ import annotations

from fastapi import Query

from toldsystem.access.api import PartyDep
from toldsystem.core.api import room_router
from toldsystem.core.errors import NotFound, problem
from toldsystem.reference import service

router = room_router("/reference", tags=["reference"])


def _office_out(o) -> dict:
    return {"code": o.code, "name": o.name, "city": o.city, "postcode": o.postcode, "country": o.country,
            "roles": sorted(o.roles)}


@router.get("/offices", summary="Customs offices of the EU list, optionally by country and role")
def offices(_party: PartyDep, country: str | None = Query(None, max_length=2),
            role: str | None = Query(None, max_length=3)) -> list[dict]:
    found = service.snapshot().offices.values()
    return [_office_out(o) for o in sorted(found, key=lambda o: o.code)
            if (country is None or o.country == country) and (role is None or role in o.roles)]


@router.get("/offices/{code}", summary="One customs office")
def office(code: str, _party: PartyDep) -> dict:
    return _office_out(service.office(code))


@router.get("/countries", summary="Countries (CL008) with EU (CL010), EFTA and common-transit (CL009) membership")
def countries(_party: PartyDep) -> list[dict]:
    snap = service.snapshot()
    names_da = snap.entries.get("CL008", {})
    return [{"code": c.code, "name": c.name, "name_da": names_da[c.code].da if c.code in names_da else "",
             "eu": c.eu, "efta": c.efta, "common_transit": c.common_transit}
            for c in sorted(snap.countries.values(), key=lambda c: c.code)]


@router.get("/currencies", summary="Currencies with units per EUR")
def currencies(_party: PartyDep) -> list[dict]:
    return [{"code": c.code, "eur_rate": str(c.eur_rate)} for c in service.snapshot().currencies.values()]


@router.get("/code-lists", summary="The code lists loaded: official id, name, number of codes, source")
def code_lists(_party: PartyDep) -> list[dict]:
    snap = service.snapshot()
    return [{"list": i.list_id, "name": i.name, "codes": len(snap.code_lists.get(i.list_id, ())), "source": i.source}
            for i in sorted(snap.lists.values(), key=lambda i: i.list_id) if i.list_id in snap.code_lists]


@router.get("/code-lists/{list_id}", summary="One code list by official id, e.g. CL017 (kinds of packages)")
def code_list(list_id: str, _party: PartyDep, code: str | None = None,
              limit: int = Query(1000, ge=1, le=10000), offset: int = Query(0, ge=0, le=1_000_000)) -> list[dict]:
    snap = service.snapshot()
    if list_id not in snap.code_lists:
        raise NotFound(problem("code_list.unknown", "list_id", f"no code list {list_id} is loaded; lists go by "
                               "their official id, e.g. CL017 (kinds of packages); GET /api/reference/code-lists "
                               "lists them", f"kodelisten {list_id} er ikke indlæst; lister har deres officielle "
                               "id, fx CL017 (kolliarter); GET /api/reference/code-lists viser dem"))
    entries = snap.entries.get(list_id, {})
    codes = sorted(snap.code_lists[list_id]) if code is None else [code] if snap.has_code(list_id, code) else []
    return [_entry_out(c, entries.get(c), snap.offices.get(c)) for c in codes[offset:offset + limit]]


def _entry_out(code: str, entry, office) -> dict:
    if entry is None:  # an office list (CL141, CL171 ...): the codes are reference numbers
        name = office.name if office else ""
        return {"code": code, "en": name, "da": name, "valid_from": None, "valid_to": None}
    return {"code": code, "en": entry.en, "da": entry.da,
            "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
            "valid_to": entry.valid_to.isoformat() if entry.valid_to else None}
