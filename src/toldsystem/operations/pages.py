"""The board's public pages, outside the API (SPEC O; who may read: authorisation.py, `operations.read`): the
status page `/status` (HTML rendered here with Jinja2, Danish or English), its feeds `/status/feed.rss` and
`/status/feed.atom`, and the calendar of windows `/status/calendar.ics`. Thin: the board comes from service,
the words from texts, the feeds from feeds, the chart from chart.

The language is `?lang=da|en`, else the browser's Accept-Language, else Danish. The page is on the portal's layout
(web/templates/layout.html, through templates/base.html), rendered by web.pages' Jinja2 setup."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from toldsystem.core.api import room_router
from toldsystem.core import clock
from toldsystem.core.clock import local
from toldsystem.operations import chart, feeds, service, texts
from toldsystem.operations.api import EnvironmentQuery, SystemQuery
from toldsystem.operations.rules import ENVIRONMENTS
from toldsystem.operations.systems import GROUPS, SYSTEMS
from toldsystem.operations.views import channel_summary
from toldsystem.web import pages

router = room_router("/status", tags=["status page"])

HISTORY_SHOWN = 50  # the newest earlier messages the page shows unless asked for all
LangQuery = Annotated[str | None, Query(max_length=5, description="da or en (default: Accept-Language, else da)")]



class RSS(Response):
    media_type = "application/rss+xml"


class Atom(Response):
    media_type = "application/atom+xml"


class ICalendar(Response):
    media_type = "text/calendar"


def _system(name: str | None) -> str | None:
    """A system's code from its code or the page's name; none for none (the filter form sends "" for all)."""
    return service.system_codes([name])[0] if name else None


def _language(request: Request, lang: str | None) -> str:
    return texts.choose(lang, request.headers.get("accept-language"))


def _when(at: datetime | None, language: str) -> str:
    return "" if at is None else local(at).strftime("%d-%m-%Y %H:%M" if language == "da" else "%Y-%m-%d %H:%M")


def _page_helpers(language: str) -> dict:
    index = texts.LANGUAGES.index(language)
    return {"t": lambda key, **values: texts.text(key, language, **values), "lang": language,
            "when": lambda at: _when(at, language), "kind_text": lambda kind: texts.kind_text(kind, language),
            "system_name": lambda code: (SYSTEMS[code].da, SYSTEMS[code].en)[index],
            "group_name": lambda code: (GROUPS[code].da, GROUPS[code].en)[index],
            "channel_summary": channel_summary}


@router.get("", response_class=HTMLResponse, include_in_schema=False)
def status_page(request: Request, system: SystemQuery = None, environment: EnvironmentQuery = None,
                lang: LangQuery = None, history: Annotated[str | None, Query(max_length=3)] = None,
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> HTMLResponse:
    """The status page: the groups' status now, current disruptions first, then upcoming windows, then history,
    each message with its updates; the availability chart of the year; links to the feeds and the calendar."""
    language = _language(request, lang)
    code, environment = _system(system), environment or None  # the filter form sends "" for "all"
    at = clock.now()
    found = service.sections(code, environment, at)
    earlier = found["history"] if history == "all" else found["history"][:HISTORY_SHOWN]
    shown = [*found["current"], *found["upcoming"], *earlier]
    year = year or local(at).year
    rows = service.availability_report(year, environment or "PRD", code)
    hours = chart.monthly_hours(rows)
    query = {k: v for k, v in (("system", code), ("environment", environment)) if v}
    page = pages.environment(language).get_template("operations/status.html").render(
        **_page_helpers(language), request=request, visitor=None, menu=[], at=at, system=code,
        environment=environment, systems=SYSTEMS,
        environments=ENVIRONMENTS, groups=service.status(environment or "PRD", at),
        current=found["current"], upcoming=found["upcoming"], history=earlier,
        history_total=len(found["history"]), histories=service.histories(m.id for m in shown),
        year=year, hours=hours, chart_svg=chart.svg(hours, language, year, environment or "PRD"),
        query=query, path=request.url.path)
    return HTMLResponse(page, headers={"Content-Language": language, "Vary": "Accept-Language"})


def _base(request: Request) -> str:
    return str(request.base_url)


def _followed(system: str | None, environment: str | None) -> tuple[str | None, list]:
    """The system asked for (its code) and its messages, newest update first."""
    code = _system(system)
    return code, service.messages(code, environment or None)


@router.get("/feed.rss", response_class=RSS, include_in_schema=False)
def feed_rss(request: Request, system: SystemQuery = None, environment: EnvironmentQuery = None,
             lang: LangQuery = None) -> RSS:
    """The newest messages as RSS 2.0, of one system if asked."""
    return _feed(RSS, feeds.rss, request, system, environment, lang)


@router.get("/feed.atom", response_class=Atom, include_in_schema=False)
def feed_atom(request: Request, system: SystemQuery = None, environment: EnvironmentQuery = None,
              lang: LangQuery = None) -> Atom:
    """The newest messages as Atom 1.0, of one system if asked."""
    return _feed(Atom, feeds.atom, request, system, environment, lang)


def _feed(response: type[Response], render, request: Request, system: str | None, environment: str | None,
          lang: str | None) -> Response:
    """A feed of the messages followed, in the reader's language."""
    (code, listed), language = _followed(system, environment), _language(request, lang)
    return response(render(listed, _base(request), language, code, str(request.url)),
                    headers={"Content-Language": language, "Vary": "Accept-Language"})


@router.get("/calendar.ics", response_class=ICalendar, include_in_schema=False)
def calendar(request: Request, system: SystemQuery = None, environment: EnvironmentQuery = None,
             lang: LangQuery = None) -> ICalendar:
    """The windows of one system (or all) as an iCalendar to subscribe to."""
    (code, listed), language = _followed(system, environment), _language(request, lang)
    return ICalendar(feeds.calendar(listed, _base(request), language, code),
                     headers={"Content-Disposition": f'inline; filename="toldsystem-{code or "all"}.ics"'})
