"""Who may read reference data: anyone with a token (customs offices, countries, currencies and code lists
are public data, SPEC T)."""

from __future__ import annotations

from toldsystem.access.rules import ANYONE, Rule, rule

RULES: dict[str, Rule] = {
    "reference.read": rule({ANYONE}, "reference data (offices with their roles, countries, currencies, code lists)",
                           refusal="401 without a valid token"),
}

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/api/reference/offices"): "reference.read",
    ("GET", "/api/reference/offices/{code}"): "reference.read",
    ("GET", "/api/reference/countries"): "reference.read",
    ("GET", "/api/reference/currencies"): "reference.read",
    ("GET", "/api/reference/code-lists"): "reference.read",
    ("GET", "/api/reference/code-lists/{list_id}"): "reference.read",
}
