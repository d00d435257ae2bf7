"""R0987: the sequence numbers of every repeated data group run 1, 2, 3 ... in the order given."""

from __future__ import annotations

from functools import cache

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration
from toldsystem.transit.declaration.pointers import Place, pointer_of
from toldsystem.transit.messages.schemas import content_model
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

# The DMS Extensions number themselves with SequenceNumeric, under their own rules.
NOT_NUMBERED_BY_SEQUENCE = frozenset({"Extensions"})


def sequence_numbers_run_1_to_n(decl: Declaration, ctx: RuleContext) -> Result:
    """R0987: each sequenceNumber is unique in its data group and they run 1, 2, 3 ... from the first iteration."""
    return sequence_number_problems(decl.source, decl.root)


def sequence_number_problems(data: dict, root: str) -> list[Problem]:
    """Every repeated group under `data` (a message checked against its schema) whose sequenceNumber is not its
    position, pointed at, in document order."""
    groups = _groups(root.lstrip("/"))
    found: list[Problem] = []
    _check_groups(data, groups[None], groups, root, found)
    return found


@cache
def _groups(message_type: str) -> dict[str | None, tuple[tuple[str, str], ...]]:
    """Each complex type of the message (None: its root) with the data groups below it, (name, type): the walk
    visits only these, never the leaves."""
    model = content_model(message_type)
    found: dict[str | None, tuple[tuple[str, str], ...]] = {}

    def visit(key: str | None, type_key: str) -> None:
        found[key] = below = tuple((d.name, d.type_key) for d in model.children(type_key)
                                   if d.type_key is not None and d.name not in NOT_NUMBERED_BY_SEQUENCE)
        for _name, child_type in below:
            if child_type not in found:
                visit(child_type, child_type)

    visit(None, model.root.type_key)
    return found


def _check_groups(node: dict, below: tuple[tuple[str, str], ...], groups: dict, at: Place,
                  found: list[Problem]) -> None:
    for name, child_type in below:
        child = node.get(name)
        if child is None:
            continue
        if child.__class__ is dict:
            _check_entry(child, groups[child_type], groups, (at, name, 1 if "sequenceNumber" in child else 0), 1,
                         found)
        elif child.__class__ is list:
            position = 0
            for entry in child:
                if entry.__class__ is dict:
                    position += 1
                    _check_entry(entry, groups[child_type], groups, (at, name, position), position, found)


def _check_entry(entry: dict, below: tuple, groups: dict, at: Place, position: int, found: list[Problem]) -> None:
    number = entry.get("sequenceNumber")
    if number is not None and str(number).strip() != str(position):
        found.append(transit_problem("sequence_number.order", f"{pointer_of(at)}/sequenceNumber",
                                     f"sequence numbers run 1, 2, 3 ... in order: expected {position}",
                                     f"løbenumre går 1, 2, 3 ... i rækkefølge: forventet {position}"))
    if below:
        _check_groups(entry, below, groups, at, found)


RULES = (sequence_numbers_run_1_to_n,)
