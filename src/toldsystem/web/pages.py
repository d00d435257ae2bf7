"""Rendering a page: one Jinja2 setup for every room, autoescaped, with the i18n extension.

Templates are named by room: "web/…" is web/templates, "<room>/…" is that room's templates/ folder (a room is a
folder of src/toldsystem with one). Each language has its own Environment (the same loader and templates, its
own translations installed), so a page never waits on another's language. Besides `_()` / `{% trans %}`, every
template has `when(at)` (Europe/Copenhagen, in the page's language's format), `number(x, places)` (Danish
number formats), `csrf_field()` (the hidden input a POST form carries) and `lang`, `visitor`, `menu`, `path`.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, PrefixLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from toldsystem.core.clock import local
from toldsystem.web import i18n, menu
from toldsystem.web.visitor import CSRF_FIELD, SignedIn, request_language

STATIC = Path(__file__).parent / "static"  # served at /static (app.py)
# Defence in depth: only this site's scripts, styles and images; forms post only here; no page inside another's frame.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_NUMBERS = {"da": "da_DK", "en": "en_DK"}  # English words, Danish numbers (1.234,50) as every Danish form has
_WHEN = {"da": "%d-%m-%Y %H:%M", "en": "%d %b %Y %H:%M"}
_DAY = {"da": "%d-%m-%Y", "en": "%d %b %Y"}


def _rooms() -> dict[str, FileSystemLoader]:
    """"web" and every room with a templates/ folder, by the room's name."""
    return {folder.parent.name: FileSystemLoader(folder) for folder in sorted(i18n.PACKAGE.glob("*/templates"))
            if folder.is_dir()}


def when(at: datetime | date | None, language: str) -> str:
    """A moment as Copenhagen's clock shows it (a date as it is); '' for none."""
    if at is None:
        return ""
    if isinstance(at, datetime):
        return local(at).strftime(_WHEN[language])
    return at.strftime(_DAY[language])


def number(x: int | float | Decimal | None, places: int = 0, language: str = "da") -> str:
    """A number with the Danish thousands separator and decimal comma, `places` decimals; '' for none."""
    if x is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(x, format=pattern, locale=_NUMBERS[language])


@pass_context
def _csrf_field(context) -> Markup:
    visitor = context.get("visitor")
    token = visitor.csrf_token if visitor is not None else ""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


@functools.cache
def environment(language: str) -> Environment:
    """The Environment of one language (made once)."""
    env = Environment(loader=PrefixLoader(_rooms(), delimiter="/"), autoescape=select_autoescape(("html", "xml")),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(i18n.translations(language), newstyle=True)
    env.globals.update(lang=language, languages=i18n.NAMES, csrf_field=_csrf_field,
                       when=lambda at: when(at, language),
                       number=lambda x, places=0: number(x, places, language))
    return env


def render(request: Request, visitor: SignedIn | None, template: str, context: dict | None = None,
           status: int = 200, headers: dict | None = None) -> HTMLResponse:
    """The page `template` ("room/name.html") for this visitor, in its language (or the request's)."""
    language = visitor.language if visitor is not None else request_language(request)
    page = environment(language).get_template(template).render(
        request=request, visitor=visitor, menu=menu.for_party(visitor.party if visitor else None),
        path=request.url.path, **(context or {}))
    kept = {"Content-Language": language, "Vary": "Cookie, Accept-Language", "Content-Security-Policy": POLICY}
    if visitor is not None:
        kept["Cache-Control"] = "no-store"  # a signed-in page is the visitor's alone: no cache keeps it
    return HTMLResponse(page, status_code=status, headers={**kept, **(headers or {})})

