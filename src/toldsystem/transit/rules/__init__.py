"""The rules of the transit declaration (SPEC T, seed 003, the NCTS phase 5 rules and conditions).

Each rule is one small pure function of the declaration and a `RuleContext` (the outside
facts the caller looked up), returning None, a Problem or a list of Problems that point at
the offending element. Its docstring names the phase 5 rule or condition (Cxxxx, Rxxxx,
and the transitional Bxxxx it is weighed against) and/or the seed's box. Where the seed and
phase 5 differ, phase 5 applies; a Danish rule stricter than phase 5 is kept only where the
seed states it, and its message says so.

By theme: header.py (LRN, declaration type, TIR), parties.py, consignment.py (countries,
places, UCR), offices.py (offices and route), transport.py (containers, seals, means),
guarantee.py, simplified.py (authorised consignor, time limit), goods.py (items, packages,
masses), references.py (documents, excise), code_lists.py (every coded element),
sequence.py (sequence numbers); movement_messages.py holds the rules of CC013C, CC014C,
CC007C and CC044C. `check_declaration` runs the declaration's rules.
"""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration
from toldsystem.transit.rules import (code_lists, consignment, goods, guarantee, header, offices, parties,
                                      references, sequence, simplified, transport)
from toldsystem.transit.rules.facts import Result, Rule, RuleContext
from toldsystem.transit.rules.header import lrn_unique_per_holder
from toldsystem.transit.rules.movement_messages import (amendment_problems, arrival_notification_problems,
                                                        incident_problems, invalidation_request_problems,
                                                        unloading_remarks_problems)

RULES: tuple[Rule, ...] = (
    header.RULES + parties.RULES + consignment.RULES + offices.RULES + transport.RULES + guarantee.RULES
    + simplified.RULES + goods.RULES + references.RULES + code_lists.RULES + sequence.RULES
)


def check_declaration(decl: Declaration, ctx: RuleContext) -> list[Problem]:
    """Every rule of the declaration: all problems, in rule order."""
    found: list[Problem] = []
    for rule in RULES:
        result = rule(decl, ctx)
        if isinstance(result, Problem):
            found.append(result)
        elif result:
            found.extend(result)
    return found


__all__ = [
    "RULES", "Result", "Rule", "RuleContext", "amendment_problems", "arrival_notification_problems",
    "check_declaration", "incident_problems", "invalidation_request_problems", "lrn_unique_per_holder", "unloading_remarks_problems",
]
