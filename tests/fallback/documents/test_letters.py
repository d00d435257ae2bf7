"""The permission letters rendered (seed 002 "Generelt"): the company's permission or refusal with its period,
conditions, channel, officer and office, in Danish and English; the general permission as published text."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from toldsystem.fallback.documents.letters import (Addressee, Sender, general_permission_pdf,
                                                   general_permission_text, permission_letter_pdf)
from toldsystem.fallback.rules.model import Cause, Channel, Permission, Procedure, Scope

from .rendering import dark_mask, inked, is_a4, page_texts, red_mask, render_pages

AT = datetime(2026, 3, 10, 8, 5, tzinfo=timezone.utc)  # 09:05 in Copenhagen
COMPANY = Addressee("Spedition Øresund A/S", ("Havnegade 1", "1058 København K"))
SENDER = Sender("Mette Hansen", "Toldstyrelsen, Told - Servicedesk")
GRANTED = Permission(Scope.COMPANY, frozenset({Procedure.NCTS, Procedure.IMPORT}), Cause.TRADER_SYSTEM, True,
                     "officer-17", AT, AT, AT + timedelta(hours=6), Channel.MAIL, company="DK13585628",
                     conditions=("Angivelser indtastes senest 11.03.2026 kl. 12:00",))
GENERAL = Permission(Scope.GENERAL, frozenset({Procedure.EXPORT, Procedure.EXPORT_EXIT}), Cause.AGENCY_SYSTEM, True,
                     "officer-17", AT, AT, None, Channel.BOARD, board_message=4711)


def test_a_company_permission_in_danish_states_everything_the_seed_asks() -> None:
    pdf = permission_letter_pdf(GRANTED, COMPANY, SENDER)
    pages, (text,) = render_pages(pdf, "permission-letter-da"), page_texts(pdf, "permission-letter-da")
    assert len(pages) == 1 and is_a4(pages[0])
    assert inked(dark_mask(pages[0])) > 10_000 and inked(red_mask(pages[0])) == 0
    for expected in ("Tilladelse til anvendelse af nødprocedure", "Spedition Øresund A/S", "EORI: DK13585628",
                     "EU-Forsendelse (NCTS)", "Import (Importsystemet)", "virksomhedens system er ude af drift",
                     "fra 10.03.2026 kl. 09:05 til 10.03.2026 kl. 15:05", "Angivelser indtastes senest",
                     "Svaret er sendt pr. mail", "Mette Hansen", "Toldstyrelsen, Told - Servicedesk",
                     "eksemplar 1, 4 og 5", "10-103548"):
        assert expected in " ".join(text.split()), expected
    assert "Permission" not in text


def test_english_is_added_on_a_page_of_its_own_when_asked() -> None:
    pdf = permission_letter_pdf(GRANTED, COMPANY, SENDER, languages=("en", "da"))
    pages, texts = render_pages(pdf, "permission-letter-da-en"), page_texts(pdf, "permission-letter-da-en")
    assert len(pages) == 2 and all(map(is_a4, pages))
    assert "Tilladelse til anvendelse" in texts[0]  # Danish first
    english = " ".join(texts[1].split())
    for expected in ("Permission to use the fallback procedure", "Union transit (NCTS)",
                     "from 10.03.2026 at 09:05 until 10.03.2026 at 15:05", "sent by e-mail", "Mette Hansen"):
        assert expected in english, expected


def test_a_refusal_says_so_and_grants_no_period() -> None:
    refused = replace(GRANTED, granted=False, conditions=())
    text = " ".join(page_texts(permission_letter_pdf(refused, COMPANY, SENDER), "permission-refused")[0].split())
    assert "Afslag på anvendelse af nødprocedure" in text and "kan ikke give" in text
    assert "gælder fra" not in text and "Under nødproceduren" not in text


def test_a_phone_answer_says_why_it_went_by_phone() -> None:
    by_phone = replace(GRANTED, channel=Channel.PHONE, mail_impossible=True)
    text = " ".join(page_texts(permission_letter_pdf(by_phone, COMPANY, SENDER), "permission-phone")[0].split())
    assert "telefonisk, da mail/fax ikke kunne sendes eller modtages" in text


@pytest.mark.parametrize("wrong", [
    GENERAL,  # not a company permission
    replace(GRANTED, decided_by=""),  # no officer's decision
    replace(GRANTED, valid_until=None),  # no period
    replace(GRANTED, channel=Channel.PHONE),  # by phone without saying why
])
def test_a_letter_is_not_written_for_a_decision_the_rules_refuse(wrong: Permission) -> None:
    with pytest.raises(ValueError):
        permission_letter_pdf(wrong, COMPANY, SENDER)


def test_only_danish_and_english_are_written() -> None:
    with pytest.raises(ValueError, match="letters are written in"):
        permission_letter_pdf(GRANTED, COMPANY, SENDER, languages=("de",))


def test_the_general_permission_as_published_text_until_its_end_is_announced() -> None:
    text = general_permission_text(GENERAL)
    assert text.splitlines()[0] == "Generel tilladelse til nødprocedure"
    for expected in ("SKAT's system er ude af drift", "Udførsel ved udførselstoldstedet (e-Export)",
                     "Udførsel ved udgangstoldstedet (e-Export)", "fra 10.03.2026 kl. 09:05 indtil ophør meldes på "
                     "rullemenuen", "Rullemenu-meddelelse nr. 4711", "eksemplar 2 og 3"):
        assert expected in text, expected
    assert "ophører" not in text
    english = general_permission_text(GENERAL, "en")
    assert "may be used by everyone" in english and "until its end is announced on the board" in english


def test_the_published_end_of_a_general_permission() -> None:
    ended = replace(GENERAL, ended_at=AT + timedelta(hours=3), end_message=4712)
    text = general_permission_text(ended)
    assert "Brugen af nødproceduren ophører 10.03.2026 kl. 12:05." in text and "ophør: 4712" in text
    with pytest.raises(ValueError):  # an end not published on the board
        general_permission_text(replace(GENERAL, ended_at=AT + timedelta(hours=3)))
    with pytest.raises(ValueError):  # a company permission is not published
        general_permission_text(GRANTED)


def test_the_general_permission_renders_in_both_languages() -> None:
    pdf = general_permission_pdf(GENERAL, SENDER, languages=("da", "en"))
    pages, texts = render_pages(pdf, "general-permission"), page_texts(pdf, "general-permission")
    assert len(pages) == 2 and all(map(is_a4, pages))
    assert "Generel tilladelse til nødprocedure" in texts[0] and "Mette Hansen" in texts[0]
    assert "General permission to use the fallback procedure" in texts[1]
