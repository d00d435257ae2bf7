"""Letter post settled monthly: who may, and for which goods (seed 004, "Brevpostforsendelser")."""

from __future__ import annotations

from datetime import datetime

from toldsystem.core.errors import Problem
from toldsystem.imports.rules.facts import Result, danish_day, import_problem
from toldsystem.imports.rules.model import AuthorisationKind, Declaration, LetterPostCategory, Procedure

LETTER_POST_GOODS = frozenset(LetterPostCategory) - {LetterPostCategory.OTHER}


def letter_post_consignee_vat_registered_or_library(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Brevpostforsendelser": only consignees registered for VAT, and libraries and the like."""
    if decl.procedure == Procedure.LETTER_POST and not (decl.consignee.vat_registered or decl.consignee.library):
        return import_problem("letter_post.consignee_not_eligible", "/consignee",
                              "letter post settled monthly is for VAT-registered consignees and libraries",
                              "brevpost mod månedsvis afregning er for momsregistrerede varemodtagere og biblioteker")
    return None


def letter_post_needs_authorisation(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Brevpostforsendelser": the consignee's authorisation (tilladelse), valid on the day of lodging."""
    if decl.procedure != Procedure.LETTER_POST:
        return None
    day = danish_day(decl.lodged_at)
    if not any(a.kind == AuthorisationKind.LETTER_POST and a.holder == decl.consignee.identifier and a.valid_on(day)
               for a in decl.authorisations):
        return import_problem("letter_post.not_authorised", "/authorisations",
                              "letter post settled monthly needs the consignee's authorisation, valid on the day",
                              "brevpost mod månedsvis afregning kræver varemodtagerens tilladelse, gyldig på dagen")
    return None


def letter_post_only_for_its_goods(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Tilladelsen kan kun omfatte": periodicals, books, sheet music, printed matter, films, stamps."""
    if decl.procedure != Procedure.LETTER_POST:
        return None
    found: list[Problem] = []
    for item in decl.goods:
        if item.letter_post_category not in LETTER_POST_GOODS:
            found.append(import_problem("letter_post.goods_not_covered", f"{item.pointer}/letterPostCategory",
                                        "letter post covers only periodicals, books, sheet music, printed matter, "
                                        "films and collectors' stamps",
                                        "brevpost omfatter kun tidsskrifter, bøger, noder, tryksager, film og "
                                        "frimærker til samlerbrug"))
    return found


RULES = (letter_post_consignee_vat_registered_or_library, letter_post_needs_authorisation,
         letter_post_only_for_its_goods)
