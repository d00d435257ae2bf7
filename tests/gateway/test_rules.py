"""The gateway's pure rules: the view's paths, names, and what an explanation says (no store, no server)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from toldsystem.core.errors import problem
from toldsystem.gateway import rules
from toldsystem.gateway.rules import Location, Refused


@pytest.mark.parametrize("path, expected", [
    ("/", Location(None)), ("", Location(None)), (".", Location(None)), ("../../..", Location(None)),
    ("inbox", Location("inbox")), ("/outbox/", Location("outbox")), ("inbox/../archive", Location("archive")),
    ("inbox/a.xml", Location("inbox", "a.xml")), ("/../inbox/./a.xml", Location("inbox", "a.xml")),
])
def test_a_path_is_read_from_the_views_root_and_dot_dot_stops_there(path, expected):
    assert rules.locate(path) == expected


@pytest.mark.parametrize("path", ["/etc/passwd", "../etc", "inbox/a/b", "home", "inbox/\x00x", "x" * 2000])
def test_nothing_outside_the_three_folders_exists(path):
    with pytest.raises(Refused) as refused:
        rules.locate(path)
    assert refused.value.kind == "missing"


@pytest.mark.parametrize("name", ["CC015C.xml", "declaration-1.xml", "a+b_c.XML", "1"])
def test_plain_names_may_be_uploaded_into_inbox(name):
    assert rules.upload_problem(Location("inbox", name)) is None


@pytest.mark.parametrize("location", [
    Location("outbox", "a.xml"), Location("archive", "a.xml"), Location(None, "a.xml"), Location("inbox"),
    Location("inbox", ".hidden"), Location("inbox", "a b.xml"), Location("inbox", "æble.xml"),
    Location("inbox", "x" * 129), Location("inbox", "a.xml.error.txt"),
])
def test_anything_else_is_refused_as_an_upload(location):
    assert rules.upload_problem(location).kind == "denied"


def test_an_answers_name_sorts_in_the_order_sent_and_reads_back():
    names = [rules.answer_name(n, "CC029C") for n in (9, 10, 123456)]
    assert names == sorted(names) and rules.answer_id(names[2]) == 123456
    assert rules.answer_id("0000000009_CC029C.xml.bak") is None and rules.answer_id("../0000000009_CC029C.xml") is None


def test_an_explanation_says_what_and_where_in_danish_then_english():
    found = problem("xml.syntax", "/CC015C", "the element is not closed", "elementet er ikke lukket", 3, 14)
    text = rules.explanation("a.xml", datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc), [found], "0000000002_CC917C.xml")
    danish, english = text.index("elementet er ikke lukket"), text.index("the element is not closed")
    assert danish < english
    assert text.count("xml.syntax at /CC015C (line 3, column 14)") == 2
    assert "Svaret 0000000002_CC917C.xml ligger i outbox/" in text and "The answer 0000000002_CC917C.xml is in" in text
