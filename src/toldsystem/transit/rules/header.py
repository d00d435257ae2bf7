"""Header rules: LRN, declaration type, TIR, reduced data set, language, authorisations (boxes 00, 1)."""

from __future__ import annotations

from toldsystem.transit.declaration import Declaration, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

MIXED = "T"  # phase 5 writes the seed's "T-" as "T"
TIR = "TIR"
LANGUAGE = "DA"
MAX_LRN = 22
REDUCED_DATA_SET_AUTHORISATION = "C524"
TIR_CARNET_LENGTHS = (10, 11)


# --- LRN (box 00) ------------------------------------------------------------------------------

def lrn_stated_with_at_most_22_characters(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 00 (seed 003) and the official LRN type: 1 to 22 characters, spaces inside allowed."""
    lrn, pointer = decl.transit_operation.lrn, at(decl.transit_operation.pointer, "LRN")
    if lrn is None:
        return transit_problem("lrn.missing", pointer, "the LRN is required", "LRN skal angives")
    if len(lrn) > MAX_LRN:
        return transit_problem("lrn.too_long", pointer, f"the LRN has {len(lrn)} characters; at most {MAX_LRN}",
                               f"LRN har {len(lrn)} tegn; højst {MAX_LRN}")
    return None


def lrn_unique_per_holder(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 00 (seed 003), BR20006: a holder's LRN is used once; a duplicate is refused, never a second movement."""
    if ctx.lrn_already_used:
        lrn = decl.transit_operation.lrn
        return transit_problem("lrn.already_used", at(decl.transit_operation.pointer, "LRN"),
                               f"LRN {lrn} has already been used by this holder; choose a new one",
                               f"LRN {lrn} er allerede brugt af den hovedforpligtede; vælg et nyt")
    return None


# --- declaration type (box 1) ------------------------------------------------------------------

def items_of_a_mixed_declaration_state_their_type(decl: Declaration, ctx: RuleContext) -> Result:
    """C0045: in a mixed (T, the seed's T-) declaration every goods item states T1, T2 or T2F — box 1."""
    if decl.transit_operation.declaration_type != MIXED:
        return None
    return [transit_problem("declaration_type.item_missing", at(item.pointer, "declarationType"),
                            "in a mixed (T) declaration every goods item states its type: T1, T2 or T2F",
                            "i en blandet (T) angivelse angiver hver varepost sin type: T1, T2 eller T2F")
            for _, item in decl.goods_items() if item.declaration_type is None]


def item_declaration_type_only_in_a_mixed_declaration(decl: Declaration, ctx: RuleContext) -> Result:
    """C0045: a goods item states its own declaration type only in a mixed (T) declaration — box 1."""
    if decl.transit_operation.declaration_type == MIXED:
        return None
    return [transit_problem("declaration_type.item_not_allowed", at(item.pointer, "declarationType"),
                            "a goods item states its own declaration type only in a mixed (T) declaration",
                            "en varepost angiver kun sin egen angivelsestype i en blandet (T) angivelse")
            for _, item in decl.goods_items() if item.declaration_type is not None]


def mixed_declaration_has_goods_of_more_than_one_type(decl: Declaration, ctx: RuleContext) -> Result:
    """R0507, seed 003 box 1: T (T-) is for T1 and T2 goods together; when all items say the same, declare that."""
    if decl.transit_operation.declaration_type != MIXED:
        return None
    kinds = [item.declaration_type for _, item in decl.goods_items()]
    if len(kinds) > 1 and None not in kinds and len(set(kinds)) == 1:
        return transit_problem("declaration_type.not_mixed", at(decl.transit_operation.pointer, "declarationType"),
                               f"all goods items are {kinds[0]}: declare the consignment as {kinds[0]}, not T",
                               f"alle vareposter er {kinds[0]}: angiv forsendelsen som {kinds[0]}, ikke T")
    return None


# --- TIR (box 1) ---------------------------------------------------------------------------------

def tir_carnet_number_with_tir_only(decl: Declaration, ctx: RuleContext) -> Result:
    """C0411, R0990: a TIR declaration states the TIR carnet number (10 or 11 characters); others state none."""
    op = decl.transit_operation
    pointer = at(op.pointer, "TIRCarnetNumber")
    if op.declaration_type == TIR:
        if op.tir_carnet_number is None:
            return transit_problem("tir.carnet_missing", pointer, "a TIR declaration needs the TIR carnet number",
                                   "en TIR-angivelse skal have TIR-carnetnummeret")
        if len(op.tir_carnet_number) not in TIR_CARNET_LENGTHS:
            return transit_problem("tir.carnet_format", pointer, "a TIR carnet number has 10 or 11 characters",
                                   "et TIR-carnetnummer har 10 eller 11 tegn")
    elif op.tir_carnet_number is not None:
        return transit_problem("tir.carnet_not_allowed", pointer, "only a TIR declaration states a TIR carnet number",
                               "kun en TIR-angivelse angiver et TIR-carnetnummer")
    return None


def tir_declaration_uses_the_full_data_set(decl: Declaration, ctx: RuleContext) -> Result:
    """R0849: a TIR declaration has reducedDatasetIndicator 0."""
    op = decl.transit_operation
    if op.declaration_type == TIR and op.reduced_dataset_indicator == "1":
        return transit_problem("tir.reduced_data_set", at(op.pointer, "reducedDatasetIndicator"),
                               "a TIR declaration cannot use the reduced data set: reducedDatasetIndicator 0",
                               "en TIR-angivelse kan ikke bruge det reducerede datasæt: reducedDatasetIndicator 0")
    return None


# --- reduced data set (authorisation C524) -------------------------------------------------------

def reduced_data_set_needs_its_authorisation(decl: Declaration, ctx: RuleContext) -> Result:
    """C0101, R0859: the reduced data set (indicator 1) names authorisation C524; without it C524 is not named."""
    op = decl.transit_operation
    named = [a for a in decl.authorisations if a.type == REDUCED_DATA_SET_AUTHORISATION]
    if op.reduced_dataset_indicator == "1" and not named:
        pointer = decl.authorisations[0].pointer if decl.authorisations else at(decl.root, "Authorisation")
        return transit_problem("authorisation.reduced_data_set_missing", pointer,
                               "the reduced data set (reducedDatasetIndicator 1) needs authorisation C524",
                               "det reducerede datasæt (reducedDatasetIndicator 1) kræver bevilling C524")
    if op.reduced_dataset_indicator != "1":
        return [transit_problem("authorisation.c524_without_reduced_data_set", at(a.pointer, "type"),
                                "authorisation C524 goes with the reduced data set only (reducedDatasetIndicator 1)",
                                "bevilling C524 hører kun til det reducerede datasæt (reducedDatasetIndicator 1)")
                for a in named]
    return None


# --- language ------------------------------------------------------------------------------------

def language_code_is_da(decl: Declaration, ctx: RuleContext) -> Result:
    """Seed 003 'Sprogkode': the Danish customs communicate in DA (a national rule; P5 allows any of CL192)."""
    language = decl.transit_operation.communication_language_at_departure
    if language is not None and language != LANGUAGE:
        return transit_problem("language.not_da", at(decl.transit_operation.pointer, "communicationLanguageAtDeparture"),
                               f"the Danish customs communicate in DA (seed 003), not {language!r}",
                               f"den danske toldmyndighed kommunikerer på DA (seed 003), ikke {language!r}")
    return None


RULES = (
    lrn_stated_with_at_most_22_characters, lrn_unique_per_holder,
    items_of_a_mixed_declaration_state_their_type, item_declaration_type_only_in_a_mixed_declaration,
    mixed_declaration_has_goods_of_more_than_one_type, tir_carnet_number_with_tir_only,
    tir_declaration_uses_the_full_data_set, reduced_data_set_needs_its_authorisation, language_code_is_da,
)
