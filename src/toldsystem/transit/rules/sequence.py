"""R0987: the sequence numbers of every repeated data group run 1, 2, 3 ... in the order given."""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

# The DMS Extensions number themselves with SequenceNumeric, under their own rules.
NOT_NUMBERED_BY_SEQUENCE = frozenset({"Extensions"})


def sequence_numbers_run_1_to_n(decl: Declaration, ctx: RuleContext) -> Result:
    """R0987: each sequenceNumber is unique in its data group and they run 1, 2, 3 ... from the first iteration."""
    return sequence_number_problems(decl.source, decl.root)


def sequence_number_problems(data: dict, root: str) -> list[Problem]:
    """Every repeated group under `data` whose sequenceNumber is not its position, pointed at, in document order."""
    found: list[Problem] = []
    _check_groups(data, root, found)
    return found


def _check_groups(node: dict, pointer: str, found: list[Problem]) -> None:
    for name, child in node.items():
        kind = child.__class__
        if kind is dict:
            if name in NOT_NUMBERED_BY_SEQUENCE:
                continue
            indexed = "sequenceNumber" in child
            _check_entry(child, f"{pointer}/{name}[1]" if indexed else f"{pointer}/{name}", 1, found)
        elif kind is list and name not in NOT_NUMBERED_BY_SEQUENCE:
            position = 0
            for entry in child:
                if entry.__class__ is dict:
                    position += 1
                    _check_entry(entry, f"{pointer}/{name}[{position}]", position, found)


def _check_entry(entry: dict, here: str, position: int, found: list[Problem]) -> None:
    number = entry.get("sequenceNumber")
    if number is not None and str(number).strip() != str(position):
        found.append(transit_problem("sequence_number.order", f"{here}/sequenceNumber",
                                     f"sequence numbers run 1, 2, 3 ... in order: expected {position}",
                                     f"løbenumre går 1, 2, 3 ... i rækkefølge: forventet {position}"))
    _check_groups(entry, here, found)


RULES = (sequence_numbers_run_1_to_n,)
