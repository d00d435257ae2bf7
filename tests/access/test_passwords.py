"""Seed 000's password rules, each positive and negative, and the examples the seed's text implies
("Min. 6 karakterer · Max 8 karakterer · Ingen mellemrum · Æ, æ Ø, ø, Å, å og specialkarakterer kan ikke benyttes ·
Skal indeholde min. 4 bogstaver og 2 tal, max 3 ens tal/bogstaver · ved tvungent adgangskodeskift, skal der skiftes
mindst 3 karakterer · Der skelnes mellem små og store bogstaver (a er ikke lig med A) · Adgangskoden skal ændres
hver 3. måned")."""

from __future__ import annotations

import string
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.access import passwords

ALPHANUMERIC = string.ascii_letters + string.digits


def codes(password: str) -> set[str]:
    return {p.code for p in passwords.problems(password)}


@pytest.mark.parametrize("password", ["abcd12", "abcde123", "Abcd12", "ab12cd", "12abcd", "aBcD1234", "aaab11",
                                      "aaa111bb", "AAAa11"])
def test_passwords_that_keep_every_rule(password):
    assert passwords.problems(password) == []


@pytest.mark.parametrize("password, code", [
    ("abc12", "password.too_short"),          # 5 characters: "Min. 6"
    ("abcdef123", "password.too_long"),       # 9 characters: "Max 8"
    ("abc d12", "password.space"),            # "Ingen mellemrum"
    ("abcd\t12", "password.space"),           # a tab is a space too
    ("æbcd12", "password.danish_letter"), ("Æbcd12", "password.danish_letter"),
    ("øbcd12", "password.danish_letter"), ("Øbcd12", "password.danish_letter"),
    ("åbcd12", "password.danish_letter"), ("Åbcd12", "password.danish_letter"),
    ("abcd12!", "password.special_character"), ("abcd-12", "password.special_character"),
    ("abcd_12", "password.special_character"), ("ébcd12", "password.special_character"),
    ("abc123", "password.too_few_letters"),   # 3 letters: "min. 4 bogstaver"
    ("abcdef1", "password.too_few_digits"),   # 1 digit: "og 2 tal"
    ("aaaa12", "password.repeated_character"),  # four a's in a row: "max 3 ens"
    ("abab1a1a", "password.repeated_character"),  # four a's, never in a row: "ens" counts them anywhere
    ("ab111d1c", "password.repeated_character"),  # four 1s
])
def test_each_rule_refuses_and_names_itself(password, code):
    found = passwords.problems(password)
    assert code in {p.code for p in found}
    named = next(p for p in found if p.code == code)
    assert named.pointer == "password" and named.en and named.da and named.en != named.da


def test_upper_and_lower_case_are_different_characters():
    # "a er ikke lig med A": three a's and one A are not four identical characters
    assert codes("aaaA12") == set()
    assert "password.repeated_character" in codes("aaaa12")


def test_a_password_breaking_several_rules_is_told_each():
    assert codes("å !") >= {"password.too_short", "password.space", "password.danish_letter",
                            "password.special_character", "password.too_few_letters", "password.too_few_digits"}


def test_exactly_the_bounds():
    assert codes("abcd12") == set() and codes("abcd1") == {"password.too_short", "password.too_few_digits"}
    assert codes("abcdef12") == set() and "password.too_long" in codes("abcdefg12")
    assert codes("aaab12") == set() and codes("a1a1a1bb") == set()


@pytest.mark.parametrize("old, new, changed", [
    ("abcd12", "abcd12", 0), ("abcd12", "abcd13", 1), ("abcd12", "abce13", 2), ("abcd12", "abXY34", 4),
    ("abcd12", "Abcd12", 1),      # case sensitive: a→A is a changed character
    ("abcd12", "ABCd12", 3),
    ("abcd12", "abcd1234", 2),    # two characters added
    ("abcd12", "12abcd", 6),      # every position holds another character
])
def test_changed_characters_are_counted_position_by_position(old, new, changed):
    assert passwords.changed_characters(old, new) == changed
    assert (passwords.too_few_changed(old, new) is None) == (changed >= 3)


def test_a_change_of_two_characters_is_refused_naming_the_rule():
    found = passwords.too_few_changed("abcd12", "abcd34")
    assert found is not None and found.code == "password.too_few_changed" and "3" in found.en and "3" in found.da
    assert passwords.too_few_changed("abcd12", "abce34") is None


def test_expiry_after_three_calendar_months():
    set_at = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
    assert passwords.expires_at(set_at) == datetime(2027, 2, 28, 12, tzinfo=timezone.utc)
    assert not passwords.is_expired(set_at, datetime(2027, 2, 28, 11, 59, tzinfo=timezone.utc))
    assert passwords.is_expired(set_at, datetime(2027, 2, 28, 12, tzinfo=timezone.utc))


def test_back_off_grows_and_is_bounded():
    waits = [passwords.wait_after(n) for n in range(0, 12)]
    assert waits[:3] == [0, 0, 0] and waits[3:6] == [30, 60, 120]
    assert waits == sorted(waits) and max(waits) == passwords.LONGEST_WAIT_SECONDS
    assert passwords.wait_after(10**9) == passwords.LONGEST_WAIT_SECONDS  # quick, and never for good


# Mostly near-passwords (letters, digits and the characters the rules name), some arbitrary text.
NEAR = st.text(alphabet=ALPHANUMERIC * 3 + "aaa111 æøåÆØÅ!-é\t", min_size=4, max_size=10)


@given(st.one_of(NEAR, st.text(alphabet=st.characters(codec="utf-8"), max_size=12)))
def test_any_text_is_accepted_exactly_when_it_keeps_the_seed_rules(text):
    letters, digits = sum(c in string.ascii_letters for c in text), sum(c in string.digits for c in text)
    keeps = (6 <= len(text) <= 8 and all(c in ALPHANUMERIC for c in text) and letters >= 4 and digits >= 2
             and all(text.count(c) <= 3 for c in set(text)))
    assert (passwords.problems(text) == []) == keeps


@given(st.integers(min_value=0, max_value=50))
def test_temporary_passwords_keep_every_rule(_n):
    assert passwords.problems(passwords.temporary()) == []
