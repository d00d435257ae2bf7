"""What a fallback declaration on paper prints (seed 002 "Import", "EU-Forsendelse", "Eksport"): the boxes of the
Single Administrative Document (SAD, enhedsdokumentet) that the renderers fill, and which copies each procedure
lodges. Plain text per box as the declarant wrote it; money is Decimal with its currency; no MRN anywhere.

Boxes printed (docs/fallback-documents.md): 1, 2, 3, 5, 6, 7, 8, 14, 15, 17, 18, 19, 21, 22, 25, 29, 31–38, 44,
47 (import), 50–53 (transit), 54, and the office boxes A, B (import), C and D."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from toldsystem.core.clock import local
from toldsystem.core.money import Money


@dataclass(frozen=True, slots=True)
class Trader:
    """Box 2, 8, 14 or 50: the EORI (or other identification) with name and address lines."""

    identification: str = ""
    name: str = ""
    address: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n".join(part for part in (self.identification, self.name, *self.address) if part)


@dataclass(frozen=True, slots=True)
class GoodsItem:
    """Boxes 31–38 and 44 of one goods item."""

    description: str  # 31 varebeskrivelse
    packages: str = ""  # 31 kolli: art, antal, mærker
    commodity_code: str = ""  # 33
    origin: str = ""  # 34 oprindelsesland
    gross_kg: Decimal | None = None  # 35
    procedure: str = ""  # 37, e.g. 4000 (import), 1000 (export)
    net_kg: Decimal | None = None  # 38
    documents: str = ""  # 44 særlige oplysninger, dokumenter, certifikater og tilladelser
    container: str = ""  # 31 container numbers


@dataclass(frozen=True, slots=True)
class DutyLine:
    """Box 47, one line of the duties the office calculated by hand (seed 002 "Import": "manuel beregning af told
    og afgifter, som påføres enhedsdokumentet"): type, base, rate, amount and method of payment."""

    tax_type: str  # e.g. A00 told, B00 moms
    base: Money
    rate: str  # as printed: "6,5 %", "25 %"
    amount: Money
    payment_method: str = ""  # e.g. "F" (kredit)


@dataclass(frozen=True, slots=True)
class PaperDeclaration:
    """A declaration on paper under the fallback procedure: the boxes the SAD and the TAD layout print.

    The procedure-specific boxes are used by the procedure that has them: duties (47) by import; principal,
    offices of transit, guarantee and destination (50–53) and the office of departure (C) by NCTS."""

    declaration_type: str  # box 1, e.g. "IM A", "T1", "EX A"
    consignor: Trader  # box 2 afsender/eksportør
    consignee: Trader  # box 8 modtager/importør
    items: tuple[GoodsItem, ...]  # boxes 31–38, 44; box 5 counts them
    declarant: Trader = Trader()  # box 14 klarerer/repræsentant
    reference: str = ""  # box 7 referencenummer (the declarant's LRN)
    total_packages: str = ""  # box 6
    country_of_dispatch: str = ""  # box 15
    country_of_destination: str = ""  # box 17
    departure_transport: str = ""  # box 18 identity and nationality at departure (arrival, import)
    container: str = ""  # box 19: "0" or "1"
    active_border_transport: str = ""  # box 21
    invoice: Money | None = None  # box 22 currency and total invoiced
    border_mode: str = ""  # box 25 transport mode at the border
    office_of_exit_or_entry: str = ""  # box 29
    office: str = ""  # box A: the office of dispatch/export or the office where the import is lodged
    duties: tuple[DutyLine, ...] = ()  # box 47 (import)
    principal: Trader = Trader()  # box 50 hovedforpligtede (NCTS)
    offices_of_transit: tuple[str, ...] = ()  # box 51 (NCTS)
    guarantee: str = ""  # box 52 (NCTS): type and reference
    office_of_destination: str = ""  # box 53 (NCTS)
    office_of_departure: str = ""  # box C (NCTS): the office of departure
    place_and_date: str = ""  # box 54 sted og dato
    signatory: str = ""  # box 54 the declarant's or representative's name
    authorised: bool = False  # an authorised consignor/exporter: its special stamp belongs in box C
    extra_lines: tuple[str, ...] = field(default=())  # box 44 header remarks (e.g. the fallback remark)

    def gross_total(self) -> Decimal | None:
        """Box 35 of the whole declaration: the items' gross masses added up, when all are given."""
        masses = [item.gross_kg for item in self.items]
        return sum(masses, Decimal(0)) if masses and all(m is not None for m in masses) else None


# The SAD's copies (the Union Customs Code's annex B forms) and what each is for, in Danish and English.
COPY_PURPOSE: dict[int, tuple[str, str]] = {
    1: ("Eksemplar for afsendelses-/udførselslandet", "Copy for the country of dispatch/export"),
    2: ("Statistisk eksemplar - afsendelses-/udførselslandet", "Statistical copy - country of dispatch/export"),
    3: ("Eksemplar til afsenderen/eksportøren", "Copy for the consignor/exporter"),
    4: ("Eksemplar til bestemmelsestoldstedet", "Copy for the office of destination"),
    5: ("Returneksemplar - forsendelse", "Return copy - transit"),
    6: ("Eksemplar for bestemmelseslandet", "Copy for the country of destination"),
    7: ("Statistisk eksemplar - bestemmelseslandet", "Statistical copy - country of destination"),
    8: ("Eksemplar til modtageren", "Copy for the consignee"),
}
# Seed 002: what happens to a copy under fallback, printed on it.
COPY_NOTE: dict[tuple[str, int], str] = {
    ("import", 7): "Udleveres til repræsentanten/virksomheden (seed 002 \"Import\")",
    ("export", 2): "Indsendes til udførselstoldstedet senest 1 uge efter anvendelse af nødproceduren",
    ("export", 3): "Udleveres som ledsagedokument",
}
IMPORT_COPIES = (6, 7, 8)
NCTS_COPIES = (1, 4, 5)
EXPORT_COPIES = (2, 3)


def started_text(at: datetime) -> str:
    """An instant as the paper shows it: Danish local time."""
    return local(at).strftime("%d.%m.%Y kl. %H:%M")


def amount_text(amount: Decimal) -> str:
    """An amount as Danish paper shows it: thousands with points, two decimals after a comma (1.234,50)."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
