"""The portal's words in Danish and English: Babel catalogues, one per room, merged into one Translations per
language when first asked.

Each room keeps its catalogue beside its templates, `<room>/locale/<lang>/LC_MESSAGES/messages.po` (the web
package's own under web/locale/); the msgid is the English text and the da catalogue translates it. The .po
files are compiled in memory (no .mo is kept in git): `tools/translations.py ROOM` extracts a room's texts and
updates its catalogues (docs/portal.md).
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from toldsystem.core.errors import Problem

LANGUAGES = ("da", "en")
DEFAULT = "da"  # a Danish system: Danish unless the visitor asks for English
NAMES = {"da": "Dansk", "en": "English"}
PACKAGE = Path(__file__).parents[1]  # src/toldsystem: every room is a folder here


def catalogues(language: str) -> list[Path]:
    """Every room's catalogue of this language, web's own first."""
    found = sorted(PACKAGE.glob(f"*/locale/{language}/LC_MESSAGES/messages.po"))
    return sorted(found, key=lambda path: path.parts[-5] != "web")


@functools.cache
def translations(language: str) -> NullTranslations:
    """Every room's catalogue of `language` merged into one (compiled in memory from the .po files)."""
    merged: NullTranslations | None = None
    for path in catalogues(language):
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        one = Translations(compiled, domain="messages")
        if merged is None:
            merged = one
        else:
            merged.merge(one)
    return merged or NullTranslations()


def gettext(language: str, message: str, **values) -> str:
    """`message` (its English text, the msgid) in `language`, with its %(placeholders)s filled in."""
    text = translations(choose(language)).gettext(message)
    return text % values if values else text


def ngettext(language: str, singular: str, plural: str, n: int, **values) -> str:
    text = translations(choose(language)).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def choose(asked: str | None, accept_language: str | None = None) -> str:
    """One of ours: the language asked for, else the first of ours in the browser's Accept-Language, else Danish."""
    if asked in LANGUAGES:
        return asked
    for entry in (accept_language or "").split(","):
        code = entry.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


def problem_text(found: Problem, language: str) -> str:
    """A rule's refusal in the visitor's language (every Problem carries both)."""
    return found.da if language == "da" else found.en


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined (a menu label), translated where it is shown."""
    return message


def at_fields(found: list[Problem], language: str, fields: Collection[str], default: str) -> dict[str, list[str]]:
    """A form's rejections: each problem's text in the visitor's language at the field its pointer names (one of
    the form's `fields`), else at `default`; the template shows each beside its field (web/templates/field.html)."""
    shown: dict[str, list[str]] = {}
    for one in found:
        shown.setdefault(one.pointer if one.pointer in fields else default, []).append(problem_text(one, language))
    return shown
