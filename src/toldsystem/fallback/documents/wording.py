"""The words the permission letters use, in Danish and English: the procedures, causes and channels of
fallback/rules/model.py, and each procedure's duties under fallback as seed 002 states them (a short reminder
printed in the letter, not the whole rule)."""

from __future__ import annotations

from toldsystem.fallback.rules.model import Cause, Channel, Procedure

PROCEDURE_NAMES: dict[Procedure, tuple[str, str]] = {
    Procedure.IMPORT: ("Import (Importsystemet)", "Import (the import system)"),
    Procedure.NCTS: ("EU-Forsendelse (NCTS)", "Union transit (NCTS)"),
    Procedure.TIR: ("TIR-forsendelser (NCTS)", "TIR transport (NCTS)"),
    Procedure.EXPORT: ("Udførsel ved udførselstoldstedet (e-Export)", "Export at the office of export (e-Export)"),
    Procedure.EXPORT_EXIT: ("Udførsel ved udgangstoldstedet (e-Export)", "Export at the office of exit (e-Export)"),
    Procedure.MANIFEST_ARRIVAL: ("Manifestsystemets ankomstdel", "Manifest, arrivals"),
    Procedure.MANIFEST_DEPARTURE: ("Manifestsystemets afgangsdel", "Manifest, departures"),
    Procedure.MANIFEST_STORAGE: ("Manifestsystemets opbevaringsdel (MIO)", "Manifest, temporary storage (MIO)"),
}
CAUSE_TEXT: dict[Cause, tuple[str, str]] = {
    Cause.AGENCY_SYSTEM: ("SKAT's system er ude af drift", "the customs agency's system is down"),
    Cause.TRADER_SYSTEM: ("virksomhedens system er ude af drift", "the company's own system is down"),
    Cause.NETWORK: ("netforbindelsen mellem virksomheden og SKAT er ude af drift",
                    "the network between the company and the customs agency is down"),
    Cause.NO_MRN: ("udførselsangivelserne tildeles ikke MRN", "export declarations are not given an MRN"),
    Cause.TIR_CARNET_SYSTEM: ("systemet for indgivelse af TIR-carnet-oplysningerne er ude af drift",
                              "the system for lodging TIR carnet data is down"),
}
CHANNEL_TEXT: dict[Channel, tuple[str, str]] = {
    Channel.MAIL: ("pr. mail", "by e-mail"), Channel.FAX: ("pr. fax", "by fax"),
    Channel.PHONE: ("telefonisk, da mail/fax ikke kunne sendes eller modtages",
                    "by phone, as mail and fax could not be sent or received"),
    Channel.BOARD: ("på Toldsystemets rullemenu", "on the customs system's board"),
}
# Seed 002, per procedure: what the company does under fallback.
DUTIES: dict[Procedure, tuple[str, str]] = {
    Procedure.IMPORT: ("Enhedsdokumentets eksemplar 6, 7 og 8 indleveres til ekspeditionsstedet; angivelsen "
                       "indtastes i Importsystemet, så snart det er muligt.",
                       "Lodge copies 6, 7 and 8 of the SAD at the office; the declaration is keyed into the import "
                       "system as soon as possible."),
    Procedure.NCTS: ("Angivelsen fremlægges i eksemplar 1, 4 og 5 med nummer fra nødprocedurens nummerrække i "
                     "rubrik C og stemplet \"NØDPROCEDURE - NCTS\" i rubrik A; hverken MRN eller stregkode. "
                     "Angivelser i NCTS, der ikke er viderebehandlet, annulleres, og afgangstoldstedet underrettes.",
                     "Lodge copies 1, 4 and 5 with a number of the fallback series in box C and the stamp "
                     "\"NØDPROCEDURE - NCTS\" in box A; no MRN or barcode. Declarations left in NCTS are cancelled "
                     "and the office of departure told."),
    Procedure.TIR: ("TIR-forsendelsen frigives på grundlag af TIR-carnetet; toldstedet stempler talon 1 og blad 2.",
                    "The TIR transport is released on the TIR carnet; the office stamps counterfoil 1 and voucher 2."),
    Procedure.EXPORT: ("Enhedsdokumentets eksemplar 2 og 3 fremlægges; nummer i særlig nummerrække og stemplet "
                       "\"ECS NØDPROCEDURE/FALL BACK\" i rubrik A. Eksemplar 2 indsendes til udførselstoldstedet "
                       "senest 1 uge efter.",
                       "Present copies 2 and 3 of the SAD; a number of the special series and the stamp "
                       "\"ECS NØDPROCEDURE/FALL BACK\" in box A. Send copy 2 to the office of export within one "
                       "week."),
    Procedure.EXPORT_EXIT: ("Eksportledsagedokumentet afleveres til udgangstoldstedet med varernes opbevaringssted "
                            "i rubrik K.",
                            "Hand the export accompanying document to the office of exit with the goods' storage "
                            "place in box K."),
    Procedure.MANIFEST_ARRIVAL: ("Ankomstoplysningerne indleveres til ekspeditionsstedet eller pr. mail; de korrekte "
                                 "ankomstdeklarationer indsendes, når Manifestsystemet igen fungerer.",
                                 "Hand the arrival data to the office or mail them; file the correct arrival "
                                 "declarations once Manifest is back."),
    Procedure.MANIFEST_DEPARTURE: ("Afgangsoplysningerne indleveres til ekspeditionsstedet eller pr. mail; de "
                                   "korrekte afgangsdeklarationer indsendes, når Manifestsystemet igen fungerer.",
                                   "Hand the departure data to the office or mail them; file the correct departure "
                                   "declarations once Manifest is back."),
    Procedure.MANIFEST_STORAGE: ("Reglerne for nødproceduren for import anvendes.",
                                 "The rules of the import fallback apply."),
}
# Seed 002 "Import" and "Eksport": when the system is back, what comes first.
RECOVERY: dict[Procedure, tuple[str, str]] = {
    Procedure.IMPORT: ("Når Importsystemet igen fungerer, indsættes først manglende ekspresfortoldninger og derefter "
                       "ankomstdeklarationer og -meddelelser i Manifestsystemet.",
                       "When the import system is back, first file the missing express clearances, then the "
                       "Manifest arrival declarations and notifications."),
    Procedure.EXPORT_EXIT: ("Når e-Export igen fungerer, indsættes først ankomstmeddelelsen i e-Export og derefter "
                            "afgangsdeklarationer og -meddelelser i Manifestsystemet.",
                            "When e-Export is back, first file the arrival notification, then the Manifest "
                            "departure declarations and notifications."),
}
SEED = ("SKAT's nyhedsbrev om nødprocedurer ved systemnedbrud (sagsnummer 10-103548)",
        "the customs agency's newsletter on fallback procedures (case 10-103548)")
SERVICE_DESK = "Told - Servicedesk, 70 15 73 01"


def say(pair: tuple[str, str], language: str) -> str:
    """The Danish or the English of a pair."""
    return pair[0] if language == "da" else pair[1]
