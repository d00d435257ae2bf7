"""Who may open the declarants' pages (issue 12 part 2): companies' users with the transit role. A page is only
the door: each message a page sends is judged by its rule in authorisation.py MESSAGES, each movement it shows by
movement.read — a movement or message the company may not see is the one "page not found" (web/visitor.py)."""

from __future__ import annotations

from toldsystem.access.rules import COMPANY, HOLDER, REPRESENTATIVE, TRADER_AT_DESTINATION, Rule, in_system, rule

_AS_UNKNOWN_PAGE = "404 page, as an unknown page (to officers too)"

PAGE_RULES: dict[str, Rule] = in_system("transit", {
    "portal.dashboard": rule({COMPANY}, "the company's dashboard: its movements and newest messages, the board's "
                             "notices for the systems it uses", refusal=_AS_UNKNOWN_PAGE),
    "portal.declare": rule({HOLDER, REPRESENTATIVE}, "the declaration form, sent as a CC015C (whose rule then "
                           "applies)", refusal=_AS_UNKNOWN_PAGE),
    "portal.movement": rule({HOLDER, REPRESENTATIVE, TRADER_AT_DESTINATION}, "a movement's page, its TAD and list of "
                            "items, and its follow-up forms (CC013C, CC014C, CC044C: each message's rule applies)",
                            "as movement.read", refusal="404 page, as an unknown movement"),
    "portal.message": rule({HOLDER}, "one of the company's messages, readably and as XML (as message.read)",
                           refusal="404 page, as an unknown message"),
    "portal.arrival": rule({TRADER_AT_DESTINATION}, "the arrival form, sent as a CC007C (whose rule then applies)",
                           refusal=_AS_UNKNOWN_PAGE),
    "portal.upload": rule({COMPANY}, "a message file uploaded as into the gateway's inbox/, and its outcome (the "
                          "company's own files; each message's rule applies)", refusal=_AS_UNKNOWN_PAGE),
})

_MOVEMENT = "/transit/movements/{mrn}"
PAGE_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/dashboard"): "portal.dashboard",
    ("GET", "/transit/declare"): "portal.declare",
    ("POST", "/transit/declare"): "portal.declare",
    ("GET", _MOVEMENT): "portal.movement",
    ("GET", f"{_MOVEMENT}/tad.pdf"): "portal.movement",
    ("GET", f"{_MOVEMENT}/list-of-items.pdf"): "portal.movement",
    **{(method, f"{_MOVEMENT}/{action}"): "portal.movement" for method in ("GET", "POST")
       for action in ("amend-guarantee", "invalidation", "unloading")},
    ("GET", "/transit/messages/{message_id}"): "portal.message",
    ("GET", "/transit/messages/{message_id}.xml"): "portal.message",
    ("GET", "/transit/arrival"): "portal.arrival",
    ("POST", "/transit/arrival"): "portal.arrival",
    ("GET", "/upload"): "portal.upload",
    ("POST", "/upload"): "portal.upload",
    ("GET", "/upload/{file_id}"): "portal.upload",
}
