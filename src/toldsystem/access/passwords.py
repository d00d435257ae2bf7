"""The password rules of seed 000, one pure function per rule, each naming its rule in Danish and English.

Seed 000 ("Adgangskoden skal ændres hver 3. måned. Der er disse krav: …") is the authority; each function
quotes the line it implements. Passwords are case sensitive throughout ("Der skelnes mellem små og store
bogstaver (a er ikke lig med A)"): 'a' and 'A' are different characters when identical characters are
counted and when changed characters are counted.
"""

from __future__ import annotations

import secrets
import string
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from dateutil.relativedelta import relativedelta

from toldsystem.core.errors import Problem, problem

MIN_LENGTH, MAX_LENGTH = 6, 8
MIN_LETTERS, MIN_DIGITS = 4, 2
MAX_IDENTICAL = 3
MIN_CHANGED = 3
VALID_MONTHS = 3
DANISH_LETTERS = frozenset("ÆæØøÅå")
LETTERS = frozenset(string.ascii_letters)
DIGITS = frozenset(string.digits)
_POINTER = "password"


def _no(code: str, en: str, da: str) -> Problem:
    return problem(f"password.{code}", _POINTER, en, da)


def too_short(password: str) -> Problem | None:
    """Seed 000: "Min. 6 karakterer"."""
    if len(password) >= MIN_LENGTH:
        return None
    return _no("too_short", f"at least {MIN_LENGTH} characters (this one has {len(password)})",
               f"mindst {MIN_LENGTH} karakterer (denne har {len(password)})")


def too_long(password: str) -> Problem | None:
    """Seed 000: "Max 8 karakterer"."""
    if len(password) <= MAX_LENGTH:
        return None
    return _no("too_long", f"at most {MAX_LENGTH} characters (this one has {len(password)})",
               f"højst {MAX_LENGTH} karakterer (denne har {len(password)})")


def has_space(password: str) -> Problem | None:
    """Seed 000: "Ingen mellemrum" (any whitespace: a tab or a line break is a space too)."""
    if not any(c.isspace() for c in password):
        return None
    return _no("space", "no spaces", "ingen mellemrum")


def has_danish_letter(password: str) -> Problem | None:
    """Seed 000: "Æ, æ Ø, ø, Å, å … kan ikke benyttes" (either case)."""
    if not DANISH_LETTERS & set(password):
        return None
    return _no("danish_letter", "Æ, Ø and Å (either case) cannot be used", "Æ, Ø og Å (store og små) kan ikke benyttes")


def has_special_character(password: str) -> Problem | None:
    """Seed 000: "… og specialkarakterer kan ikke benyttes": only the letters A–Z, a–z and the digits 0–9
    (spaces and æøå have their own rules above, so they are not counted twice here)."""
    special = sorted({c for c in password if c not in LETTERS | DIGITS | DANISH_LETTERS and not c.isspace()})
    if not special:
        return None
    return _no("special_character", "special characters cannot be used: only the letters A–Z, a–z and the digits "
               f"0–9 (found {len(special)} other)", "specialkarakterer kan ikke benyttes: kun bogstaverne A–Z, a–z "
               f"og tallene 0–9 (fandt {len(special)} andre)")


def too_few_letters(password: str) -> Problem | None:
    """Seed 000: "Skal indeholde min. 4 bogstaver"."""
    letters = sum(c in LETTERS for c in password)
    if letters >= MIN_LETTERS:
        return None
    return _no("too_few_letters", f"at least {MIN_LETTERS} letters (this one has {letters})",
               f"mindst {MIN_LETTERS} bogstaver (denne har {letters})")


def too_few_digits(password: str) -> Problem | None:
    """Seed 000: "… og 2 tal"."""
    digits = sum(c in DIGITS for c in password)
    if digits >= MIN_DIGITS:
        return None
    return _no("too_few_digits", f"at least {MIN_DIGITS} digits (this one has {digits})",
               f"mindst {MIN_DIGITS} tal (denne har {digits})")


def too_many_identical(password: str) -> Problem | None:
    """Seed 000: "max 3 ens tal/bogstaver": no digit or letter occurs more than 3 times in the whole password.
    The seed says "ens" (identical), not "i træk" (in a row), so occurrences anywhere count; case sensitive."""
    counted = Counter(c for c in password if c in LETTERS | DIGITS)
    if not counted or max(counted.values()) <= MAX_IDENTICAL:
        return None
    return _no("repeated_character", f"at most {MAX_IDENTICAL} identical digits or letters "
               f"(one occurs {max(counted.values())} times)",
               f"højst {MAX_IDENTICAL} ens tal/bogstaver (et forekommer {max(counted.values())} gange)")


RULES: tuple[Callable[[str], Problem | None], ...] = (
    too_short, too_long, has_space, has_danish_letter, has_special_character, too_few_letters, too_few_digits,
    too_many_identical)


def problems(password: str) -> list[Problem]:
    """Every rule of seed 000 the password breaks (empty: it may be used)."""
    return [found for rule in RULES if (found := rule(password)) is not None]


def changed_characters(old: str, new: str) -> int:
    """How many characters a change replaced: the positions where old and new differ, plus the positions only
    one of them has (seed 000: "skal der skiftes mindst 3 karakterer"; case sensitive, so a→A is a change)."""
    return sum(a != b for a, b in zip(old, new)) + abs(len(old) - len(new))


def too_few_changed(old: str, new: str) -> Problem | None:
    """Seed 000: "ved tvungent adgangskodeskift, skal der skiftes mindst 3 karakterer"."""
    changed = changed_characters(old, new)
    if changed >= MIN_CHANGED:
        return None
    return _no("too_few_changed", f"a change must change at least {MIN_CHANGED} characters (this one changes "
               f"{changed})", f"der skal skiftes mindst {MIN_CHANGED} karakterer (her er skiftet {changed})")


def expires_at(changed_at: datetime) -> datetime:
    """Seed 000: "Adgangskoden skal ændres hver 3. måned": it expires three calendar months after it was set."""
    return changed_at + relativedelta(months=VALID_MONTHS)


def is_expired(changed_at: datetime, now: datetime) -> bool:
    return now >= expires_at(changed_at)


def temporary() -> str:
    """A random password that keeps every rule (5 letters, 3 digits, in random order), shown once."""
    while True:
        chars = [secrets.choice(string.ascii_letters) for _ in range(5)] + [secrets.choice(string.digits)
                                                                            for _ in range(3)]
        secrets.SystemRandom().shuffle(chars)
        candidate = "".join(chars)
        if not problems(candidate):
            return candidate


# --- lockout with back-off (per user) --------------------------------------------------------------------

FREE_FAILURES = 3           # failed sign-ins in a row before the first wait
FIRST_WAIT_SECONDS = 30     # then 30 s, 60 s, 120 s … doubling
LONGEST_WAIT_SECONDS = 15 * 60  # never longer: a stranger who guesses can delay a user, never lock it out for good


def wait_after(failures: int) -> int:
    """Seconds a user's sign-in waits after this many failures in a row (0: none)."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_WAIT_SECONDS * 2 ** min(failures - FREE_FAILURES, 16), LONGEST_WAIT_SECONDS)
