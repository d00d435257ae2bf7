"""The portal's shared part: layout, static files, shared templates, the words (i18n), who is visiting (visitor),
and how a room adds its pages (page_router; app.py's PAGES lists every room's router). docs/portal.md."""

from toldsystem.web.routing import PageRoute, page_router

__all__ = ["PageRoute", "page_router"]
