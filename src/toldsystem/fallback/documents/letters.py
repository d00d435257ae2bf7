"""The permission to use fallback as a letter (seed 002 "Generelt"): a company's permission or refusal, answered
to the company "ved retursvar med angivelse af hvor længe nødproceduren kan anvendes og eventuelle særlige
betingelser", and the general permission as the text published on the board ("Toldsystemets rullemenu"), with
its end. Danish first; English on a page of its own when asked. Times shown in Danish local time.

Pure: a recorded Permission (fallback/rules/model.py) and the names the record keeps as codes in, PDF or text out.
A letter is only written for a decision that passes fallback/rules/permissions.py's check_permission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from toldsystem.fallback.documents.paper import started_text
from toldsystem.fallback.documents.wording import (CAUSE_TEXT, CHANNEL_TEXT, DUTIES, PROCEDURE_NAMES, RECOVERY,
                                                   SEED, SERVICE_DESK, say)
from toldsystem.fallback.rules.model import Permission, Scope
from toldsystem.fallback.rules.permissions import check_permission
from toldsystem.transit.documents import BODY_W, BOLD, FONT, MARGIN, PAGE_H, new_canvas, wrap

LANGUAGES = ("da", "en")


@dataclass(frozen=True, slots=True)
class Sender:
    """Who signs: the officer's name and the office (the permission records only the officer's id)."""

    officer_name: str
    office: str


@dataclass(frozen=True, slots=True)
class Addressee:
    """The company a company permission is sent to (its EORI is the permission's)."""

    name: str
    address: tuple[str, ...] = ()


class Page:
    """Lines flowing down A4 pages: headings, paragraphs and bullets, a new page when one is full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas, self.top = canvas, PAGE_H - MARGIN

    def line(self, text: str, font: str = FONT, size: float = 10, indent: float = 0) -> None:
        for part in wrap(text, BODY_W - indent, size, font):
            if self.top - size * 1.3 < MARGIN:
                self.canvas.showPage()
                self.top = PAGE_H - MARGIN
            self.top -= size * 1.3
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN + indent, self.top, part)

    def gap(self, points: float = 8) -> None:
        self.top -= points

    def bullets(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.line(f"- {text}", indent=12)


def when(at: datetime | None, language: str) -> str:
    if at is None:
        return "indtil ophør meldes på rullemenuen" if language == "da" else "until its end is announced on the board"
    return started_text(at) if language == "da" else started_text(at).replace(" kl. ", " at ")


def refuse_unless_valid(p: Permission, scope: Scope) -> None:
    """A letter states a decision as recorded: of the right scope and passing the permission rules."""
    if p.scope != scope:
        raise ValueError(f"a {scope.value} letter needs a {scope.value} permission, not a {p.scope.value} one")
    problems = check_permission(p)
    if problems:
        raise ValueError("; ".join(problem.en for problem in problems))


def company_letter_lines(p: Permission, company: Addressee, sender: Sender, language: str, page: Page) -> None:
    da = language == "da"
    procedures = [say(PROCEDURE_NAMES[proc], language) for proc in sorted(p.procedures)]
    page.line(sender.office, BOLD)
    page.line(f"{'Dato' if da else 'Date'}: {when(p.decided_at, language)}")
    page.gap()
    page.line(company.name, BOLD)
    for line in (f"EORI: {p.company}", *company.address):
        page.line(line)
    page.gap(18)
    heading = (("Tilladelse til anvendelse af nødprocedure" if da else "Permission to use the fallback procedure")
               if p.granted else ("Afslag på anvendelse af nødprocedure" if da else
                                  "Refusal of the fallback procedure"))
    page.line(heading, BOLD, 14)
    page.gap()
    if p.granted:
        page.line(f"Told - Servicedesk giver hermed {company.name} tilladelse til at anvende nødproceduren for:"
                  if da else f"{company.name} is hereby permitted to use the fallback procedure for:")
    else:
        page.line(f"Told - Servicedesk kan ikke give {company.name} tilladelse til at anvende nødproceduren for:"
                  if da else f"{company.name} is not permitted to use the fallback procedure for:")
    page.bullets(procedures)
    page.gap(4)
    page.line(f"{'Årsag' if da else 'Cause'}: {say(CAUSE_TEXT[p.cause], language)}.")
    if p.granted:
        page.line((f"Tilladelsen gælder fra {when(p.valid_from, language)} til {when(p.valid_until, language)} "
                   "(dansk tid)." if da else f"The permission is valid from {when(p.valid_from, language)} until "
                   f"{when(p.valid_until, language)} (Danish time)."))
        page.gap(4)
        page.line("Særlige betingelser:" if da else "Conditions:", BOLD)
        page.bullets(p.conditions or ("Ingen." if da else "None.",))
        page.gap(4)
        page.line("Under nødproceduren:" if da else "Under the fallback procedure:", BOLD)
        page.bullets(say(DUTIES[proc], language) for proc in sorted(p.procedures))
        page.bullets(say(RECOVERY[proc], language) for proc in sorted(p.procedures) if proc in RECOVERY)
    page.gap(4)
    page.line((f"Svaret er sendt {say(CHANNEL_TEXT[p.channel], language)}." if da else
               f"This answer was sent {say(CHANNEL_TEXT[p.channel], language)}."))
    page.line((f"Grundlag: {SEED[0]}." if da else f"Basis: {SEED[1]}."))
    page.gap(18)
    page.line("Med venlig hilsen" if da else "Yours faithfully")
    page.gap(14)
    page.line(sender.officer_name, BOLD)
    page.line(sender.office)
    page.line(SERVICE_DESK)


def permission_letter_pdf(p: Permission, company: Addressee, sender: Sender,
                          languages: tuple[str, ...] = ("da",)) -> bytes:
    """Seed 002 "Generelt": the answer to a company's request, granted or refused, with its period, conditions and
    the channel it went by; one page (or more) per language asked, Danish first."""
    refuse_unless_valid(p, Scope.COMPANY)
    canvas, buffer = new_canvas(f"Nødprocedure - {company.name} ({p.company})")
    for language in chosen(languages):
        company_letter_lines(p, company, sender, language, Page(canvas))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def period_sentence(p: Permission, language: str) -> str:
    """From when, and until when or until its end is announced."""
    start, end = when(p.valid_from, language), when(p.valid_until, language)
    if language == "da":
        return f"Tilladelsen gælder fra {start} " + (end if p.valid_until is None else f"til {end}") + "."
    return f"It applies from {start} " + (end if p.valid_until is None else f"until {end}") + "."


def chosen(languages: tuple[str, ...]) -> list[str]:
    """The languages asked, Danish first; only Danish and English are written."""
    unknown = set(languages) - set(LANGUAGES)
    if unknown or not languages:
        raise ValueError(f"letters are written in {LANGUAGES}, not {sorted(unknown) or 'no language'}")
    return sorted(set(languages), key=LANGUAGES.index)


def general_permission_text(p: Permission, language: str = "da") -> str:
    """Seed 002 "Generelt": the general permission as published on the board, with its end when it has one."""
    refuse_unless_valid(p, Scope.GENERAL)
    da = language == "da"
    procedures = ", ".join(say(PROCEDURE_NAMES[proc], language) for proc in sorted(p.procedures))
    lines = [("Generel tilladelse til nødprocedure" if da else "General permission to use the fallback procedure"),
             (f"Da {say(CAUSE_TEXT[p.cause], language)}, gives der generel tilladelse til at anvende nødproceduren "
              f"for: {procedures}." if da else f"As {say(CAUSE_TEXT[p.cause], language)}, the fallback procedure "
              f"may be used by everyone for: {procedures}."),
             period_sentence(p, language)]
    lines += [f"{'Betingelse' if da else 'Condition'}: {c}" for c in p.conditions]
    lines += [say(DUTIES[proc], language) for proc in sorted(p.procedures)]
    if p.ended_at is not None:
        lines.append(f"Brugen af nødproceduren ophører {when(p.ended_at, language)}." if da else
                     f"The use of the fallback procedure ends {when(p.ended_at, language)}.")
    lines.append(f"{'Rullemenu-meddelelse nr.' if da else 'Board message no.'} {p.board_message}"
                 + (f", {'ophør' if da else 'end'}: {p.end_message}" if p.end_message is not None else ""))
    return "\n".join(lines)


def general_permission_pdf(p: Permission, sender: Sender, languages: tuple[str, ...] = ("da",)) -> bytes:
    """The published general permission as a page per language, signed by the officer at the office."""
    refuse_unless_valid(p, Scope.GENERAL)
    canvas, buffer = new_canvas("Generel tilladelse til nødprocedure")
    for language in chosen(languages):
        page = Page(canvas)
        page.line(sender.office, BOLD)
        page.line(f"{'Offentliggjort' if language == 'da' else 'Published'}: {when(p.decided_at, language)}")
        page.gap(18)
        heading, *body = general_permission_text(p, language).split("\n")
        page.line(heading, BOLD, 14)
        for paragraph in body:
            page.gap(4)
            page.line(paragraph)
        page.gap(18)
        page.line(sender.officer_name, BOLD)
        page.line(sender.office)
        page.line(SERVICE_DESK)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
