"""The NCTS and TIR fallback (seed 002 "EU-Forsendelse" and "TIR-forsendelser"; SPEC F): the paper declaration's
copies and layout, box C's own numbering, no MRN or barcode, the red stamp in box A, who stamps, stuck
declarations cancelled, the trader telling customs when back, the 2 % rule, and the TIR carnet's stamps."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from toldsystem.core.errors import Problem
from toldsystem.fallback.rules.facts import Result, as_list, fallback_problem
from toldsystem.fallback.rules.model import Cause
from toldsystem.fallback.rules.numbering import SeriesKind, number_problem

NCTS_COPIES = frozenset({1, 4, 5})
OWN_CAUSES = frozenset({Cause.TRADER_SYSTEM, Cause.NETWORK})  # seed 002 points 2 and 3
SHARE_LIMIT_PERCENT = 2


class Layout(StrEnum):
    """The paper the transit declaration is on (seed 002 "Følgende papirdokumenter kan benyttes")."""

    SAD = "sad"  # et enhedsdokument
    SAD_PRINTED = "sad_printed"  # enhedsdokument udskrevet på almindeligt papir af virksomhedens edb-system
    TAD = "tad"  # skemaet for forsendelsesledsagedokumentet, when customs find the need justified


class StampPlace(StrEnum):
    """Where the NCTS fallback stamp is."""

    NONE = "none"
    BOX_A = "box_a"  # rubrik A of the SAD
    INSTEAD_OF_MRN = "instead_of_mrn"  # on the TAD, in place of the MRN and barcode


@dataclass(frozen=True, slots=True)
class TransitPaper:
    """A transit declaration lodged on paper under the fallback procedure."""

    layout: Layout
    copies: frozenset[int]
    box_c_number: str
    cause: Cause
    stamp_place: StampPlace
    stamp_started_at: datetime | None  # the date and time written in the stamp
    authorised_consignor: bool = False  # simplified procedure: the consignor stamps itself
    stamped_by_consignor: bool = False
    box_c_consignor_stamp: bool = False  # the authorised consignor's special stamp in box C
    mrn_shown: bool = False
    barcode_shown: bool = False
    tad_justified: bool = False  # customs found the company's need for the TAD layout justified
    one_copy_keying_allowed: bool = False  # the office of departure allowed one copy for its own keying in
    stuck_declarations: tuple[str, ...] = ()  # MRNs entered in NCTS but not processed when it failed
    stuck_cancelled_and_told: bool = False


TransitRule = Callable[[TransitPaper], Result]


def ncts_copies_1_4_5(d: TransitPaper) -> Result:
    """Seed 002 point 1: "fremlægges i tre eksemplarer - benævnt eksemplar 1, 4 og 5"; after the trader's own system
    or network failed, the office may allow one copy it keys in itself ("Behandling og indtastning")."""
    if d.one_copy_keying_allowed and d.cause in OWN_CAUSES and len(d.copies) == 1:
        return None
    if d.copies != NCTS_COPIES:
        return fallback_problem("ncts_copies", "/copies", "a transit declaration under fallback is lodged in copies "
                                "1, 4 and 5", "forsendelsesangivelsen fremlægges i eksemplar 1, 4 og 5")
    return None


def ncts_tad_layout_needs_justification(d: TransitPaper) -> Result:
    """Seed 002: the TAD form replaces the SAD only "hvis toldmyndighederne finder, at virksomhedens behov er
    berettigede"."""
    if d.layout == Layout.TAD and not d.tad_justified:
        return fallback_problem("ncts_tad", "/layout", "the TAD layout is used only when customs found the need "
                                "justified", "ledsagedokumentets skema anvendes kun, når toldmyndighederne finder "
                                "behovet berettiget")
    return None


def ncts_box_c_from_the_fallback_series(d: TransitPaper) -> Result:
    """Seed 002 point 1: box C is numbered "ved hjælp af et andet nummereringssystem" than the system's."""
    return number_problem(d.box_c_number, SeriesKind.NCTS_BOX_C, "/boxC")


def ncts_no_mrn_or_barcode(d: TransitPaper) -> Result:
    """Seed 002 point 1: "må hverken stregkoden eller forsendelsens referencenummer (MRN) være anført"."""
    if d.mrn_shown or d.barcode_shown:
        return fallback_problem("ncts_mrn", "/mrn", "a fallback transit declaration shows neither MRN nor barcode",
                                "en forsendelsesangivelse i nødprocedure må hverken have MRN eller stregkode")
    return None


def ncts_stamp_in_its_place(d: TransitPaper) -> Result:
    """Seed 002 point 1: the red 26 × 59 mm stamp in box A of the SAD, or in place of MRN and barcode on the TAD,
    with the date and time it began."""
    wanted = StampPlace.INSTEAD_OF_MRN if d.layout == Layout.TAD else StampPlace.BOX_A
    if d.stamp_place != wanted or d.stamp_started_at is None:
        where = ("in place of the MRN and barcode", "i stedet for MRN og stregkode") if wanted == \
            StampPlace.INSTEAD_OF_MRN else ("in box A", "i rubrik A")
        return fallback_problem("ncts_stamp", "/stamp", f"the NCTS fallback stamp, dated, goes {where[0]}",
                                f"stemplet NØDPROCEDURE - NCTS med dato/klokkeslet anbringes {where[1]}")
    return None


def ncts_stamped_by_the_right_party(d: TransitPaper) -> Result:
    """Seed 002: the office of departure stamps under the standard procedure, the authorised consignor (with its own
    stamp) under the simplified one."""
    if d.authorised_consignor != d.stamped_by_consignor:
        return fallback_problem("ncts_stamp_party", "/stamp", "the office of departure stamps (standard procedure); "
                                "the authorised consignor stamps itself (simplified)", "afgangstoldstedet stempler "
                                "ved standardproceduren, den godkendte afsender ved den forenklede")
    return None


def ncts_stuck_declarations_cancelled(d: TransitPaper) -> Result:
    """Seed 002: declarations entered in NCTS but not processed are cancelled, and the office of departure told."""
    if d.stuck_declarations and not d.stuck_cancelled_and_told:
        return fallback_problem("ncts_stuck", "/stuckDeclarations", "cancel the declarations stuck in NCTS ("
                                + ", ".join(d.stuck_declarations) + ") and tell the office of departure",
                                "annuller angivelserne, der sidder fast i NCTS (" + ", ".join(d.stuck_declarations)
                                + "), og giv afgangstoldstedet besked")
    return None


def ncts_authorised_consignor_box_c_stamp(d: TransitPaper) -> Result:
    """Seed 002 point 1: an authorised consignor meets all its obligations, "herunder anvendelsen af det særlige
    stempel i rubrik C"."""
    if d.authorised_consignor and not d.box_c_consignor_stamp:
        return fallback_problem("ncts_box_c_stamp", "/boxC", "the authorised consignor puts its special stamp in "
                                "box C", "den godkendte afsender anvender det særlige stempel i rubrik C")
    return None


RULES: tuple[TransitRule, ...] = (
    ncts_copies_1_4_5, ncts_tad_layout_needs_justification, ncts_box_c_from_the_fallback_series,
    ncts_no_mrn_or_barcode, ncts_stamp_in_its_place, ncts_stamped_by_the_right_party,
    ncts_authorised_consignor_box_c_stamp, ncts_stuck_declarations_cancelled)


def check_transit_paper(d: TransitPaper) -> list[Problem]:
    """Every NCTS fallback rule of a paper declaration."""
    return [p for rule in RULES for p in as_list(rule(d))]


def trader_tells_customs_when_back(cause: Cause, back_at: datetime | None, told_at: datetime | None) -> Result:
    """Seed 002 points 2 and 3: after its own system or network failed, the trader tells customs it is back."""
    if cause in OWN_CAUSES and back_at is not None and told_at is None:
        return fallback_problem("ncts_tell_back", "/toldAt", "tell customs that your system or network is back",
                                "underret toldmyndighederne om, at jeres system eller netværk er tilgængeligt igen")
    return None


@dataclass(frozen=True, slots=True)
class ConsignorShare:
    """An authorised consignor's year: its declarations, those under fallback for its own system or network, and
    whether that share calls for the authorisation to be reviewed."""

    year: int
    declarations: int
    own_fallback: int
    review: bool


def consignor_share(year: int, declarations: int, fallback_causes: Collection[Cause]) -> ConsignorShare:
    """Seed 002 point 3: more than 2 % of an authorised consignor's yearly declarations under fallback "fordi
    vedkommendes system ikke er tilgængeligt, eller som følge af at netforbindelsen ikke virker" → review."""
    own = sum(1 for c in fallback_causes if c in OWN_CAUSES)
    return ConsignorShare(year, declarations, own, own * 100 > SHARE_LIMIT_PERCENT * declarations)


def consignor_share_flag(share: ConsignorShare) -> Result:
    """Seed 002 point 3: the flag for the officer: the authorisation as authorised consignor is to be reviewed."""
    if not share.review:
        return None
    return fallback_problem("consignor_share", "/authorisation", f"{share.own_fallback} of {share.declarations} "
                            f"declarations in {share.year} under fallback for the consignor's own system or network: "
                            "more than 2 %, review the authorisation", f"{share.own_fallback} af {share.declarations} "
                            f"angivelser i {share.year} i nødprocedure pga. eget system eller netværk: "
                            "mere end 2 pct., tilladelsen som godkendt afsender tages op på ny")


TIR_STAMPED = frozenset({"counterfoil_1", "voucher_2"})


@dataclass(frozen=True, slots=True)
class TirPaper:
    """A TIR transport released on its carnet: which of its pages the office stamped, and when fallback began."""

    stamped: frozenset[str]  # "counterfoil_1" (talon 1), "voucher_2" (blad 2)
    stamped_by_office: bool
    started_at: datetime | None


def tir_stamp_on_counterfoil_1_and_voucher_2(d: TirPaper) -> Result:
    """Seed 002 "TIR-forsendelser": the office stamps counterfoil 1 and voucher 2 ("Forbeholdt myndighederne")."""
    if not TIR_STAMPED <= d.stamped or not d.stamped_by_office or d.started_at is None:
        return fallback_problem("tir_stamp", "/stamped", "the office stamps counterfoil 1 and voucher 2, dated, with "
                                "the NCTS fallback stamp", "toldstedet stempler talon 1 og blad 2 med dato og "
                                "stemplet NØDPROCEDURE - NCTS")
    return None
