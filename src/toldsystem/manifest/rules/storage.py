"""Temporary storage (MIO, midlertidig opbevaring på oplag) declarations of goods unloaded from an arrival
(seed 002 "Opbevaringsdelen af manifestsystemet"; SPEC M).

The time limit: seed 002 gives none, so the Union Customs Code's is used — art. 149 UCC: non-Union goods in
temporary storage are placed under a customs procedure or re-exported within 90 days. The rules count the 90
days from unloading into storage (the moment the MIO declaration records), to the same instant 90 days later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import eori_problem, normalise_eori
from toldsystem.manifest.rules.facts import Result, as_list, manifest_problem
from toldsystem.manifest.rules.model import Movement, StorageDeclaration

STORAGE_TIME_LIMIT = timedelta(days=90)  # art. 149 UCC

StorageRule = Callable[[StorageDeclaration, Movement, datetime], Result]


def storage_names_holder(d: StorageDeclaration, arrival: Movement, at: datetime) -> Result:
    """Seed 002 "Ansvarlig for midlertidig opbevaring (EORI nr.)": the holder by a valid EORI, the arrival's holder."""
    why = eori_problem(normalise_eori(d.holder))
    if why:
        return manifest_problem("storage_holder", "/holder", f"the storage holder's EORI: {why}",
                                "ansvarlig for midlertidig opbevaring: ugyldigt EORI-nr.")
    named = arrival.temporary_storage_holder
    if named and normalise_eori(named) != normalise_eori(d.holder):
        return manifest_problem("storage_holder_differs", "/holder", "the holder is not the one the arrival names "
                                "as responsible for temporary storage", "den ansvarlige er ikke den, ankomsten "
                                "angiver som ansvarlig for midlertidig opbevaring")
    return None


def storage_declares_goods_unloaded(d: StorageDeclaration, arrival: Movement, at: datetime) -> Result:
    """Seed 002 "Opbevaringsdelen": the goods unloaded, each from a consignment of the arrival, with its packages."""
    if not d.goods:
        return manifest_problem("storage_no_goods", "/goods", "a temporary storage declaration declares the goods "
                                "unloaded", "en angivelse til midlertidig opbevaring skal angive de losede varer")
    known = {c.transport_document for c in arrival.consignments}
    found: list[Problem] = []
    for g in d.goods:
        if g.transport_document not in known:
            found.append(manifest_problem("storage_unknown_consignment", g.pointer, f"{g.transport_document} is not "
                                          "a consignment of the arrival", f"{g.transport_document} er ikke en sending "
                                          "i ankomsten"))
        if g.packages <= 0:
            found.append(manifest_problem("storage_packages", g.pointer, "the number of packages is at least 1",
                                          "antal kolli er mindst 1"))
    return found


def storage_not_before_unloading(d: StorageDeclaration, arrival: Movement, at: datetime) -> Result:
    """Seed 002 "Opbevaringsdelen": only goods already unloaded are declared: unloading is not in the future."""
    if d.unloaded_at > at:
        return manifest_problem("storage_future", "/unloadedAt", "the goods are declared once unloaded, not before",
                                "varerne angives, når de er losset, ikke før")
    return None


RULES: tuple[StorageRule, ...] = (storage_names_holder, storage_declares_goods_unloaded, storage_not_before_unloading)


def check_storage(d: StorageDeclaration, arrival: Movement, at: datetime) -> list[Problem]:
    """Every rule of a temporary storage declaration."""
    return [p for rule in RULES for p in as_list(rule(d, arrival, at))]


def storage_time_limit(d: StorageDeclaration) -> datetime:
    """Art. 149 UCC: the instant by which the goods are placed under a procedure or re-exported (90 days)."""
    return d.unloaded_at + STORAGE_TIME_LIMIT


def storage_past_time_limit(d: StorageDeclaration, at: datetime, settled: bool) -> Problem | None:
    """Art. 149 UCC: goods still in temporary storage after 90 days are past the time limit (a work list item)."""
    if settled or at <= storage_time_limit(d):
        return None
    return manifest_problem("storage_time_limit", "/unloadedAt", "the goods are past the 90-day time limit of "
                            "temporary storage (art. 149 UCC)", "varerne har overskredet fristen på 90 dage for "
                            "midlertidig opbevaring (EU-toldkodeksen art. 149)")
