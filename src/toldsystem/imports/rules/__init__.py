"""The pure rules of import express clearance (SPEC I, seed 004; fallback seed 002).

Each rule is one small function of the declaration (model.py) and the instant the check runs,
returning None, a Problem or a list of Problems; its docstring cites seed 004 by heading (the seed
has no numbered sections). By theme: express.py (full and simplified express, the cases that are
always full express, the agent's temporary storage, the power of attorney), supplementary.py (its
due date on Danish working days, estimated assessment), periodic.py (periodic declarations, the
grouping of uniform goods), letter_post.py, release.py (when the goods may leave, the 2-hour rule),
duties.py (tariff, duty and VAT), selectivity.py (lanes by officer-written criteria and random draws).
`check_declaration` runs every rule that applies to the declaration's procedure.
"""

from __future__ import annotations

from datetime import datetime

from toldsystem.core.errors import Problem
from toldsystem.imports.rules import express, letter_post, periodic, supplementary
from toldsystem.imports.rules.duties import Tariff
from toldsystem.imports.rules.facts import Result, Rule, as_list
from toldsystem.imports.rules.model import Declaration

RULES: tuple[Rule, ...] = express.RULES + supplementary.RULES + periodic.RULES + letter_post.RULES


def check_declaration(decl: Declaration, at: datetime, tariff: Tariff | None = None) -> list[Problem]:
    """Every rule for the declaration at the instant `at` (aware): all problems, in rule order.

    With a tariff, the goods of a periodic declaration are also checked to be duty-free."""
    found: list[Problem] = []
    for rule in RULES:
        found.extend(as_list(rule(decl, at)))
    if tariff is not None:
        found.extend(periodic.periodic_goods_are_duty_free(decl, tariff))
    return found


__all__ = ["RULES", "Result", "Rule", "check_declaration"]
