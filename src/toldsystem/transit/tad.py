"""The TAD of a released movement and its list of items, rendered from the declaration as accepted."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core.errors import Conflict, problem
from toldsystem.reference import service as reference
from toldsystem.transit import service, states
from toldsystem.transit.documents import render_list_of_items, render_tad

PRINTABLE = frozenset({states.RELEASED, states.ARRIVED, states.UNLOADING, states.DISCREPANCIES,
                       states.MAJOR_DISCREPANCIES, states.RECOVERED, states.CLOSED})


def _require_printable(party: Party, mrn: str) -> None:
    """The documents accompany the goods from release on (seed 003); before that there are none."""
    movement = service.movement(party, mrn)
    if movement["state"] not in PRINTABLE:
        raise Conflict(problem("tad.not_released", "mrn", f"the movement is {movement['state']}; a TAD exists only once released",
                               f"forsendelsen har status {movement['state']}; ledsagedokumentet findes først ved frigivelse"))


def tad_pdf(party: Party, mrn: str) -> bytes:
    """Seed 003: the TAD accompanies the goods from release; all data on its front page."""
    _require_printable(party, mrn)
    released = next((e["at"] for e in service.events(party, mrn) if e["event"] == "released"), None)
    names = {code: o.name for code, o in reference.snapshot().offices.items()}
    return render_tad(mrn, service.movement_declaration(party, mrn), released_at=released, office_names=names)


def list_of_items_pdf(party: Party, mrn: str) -> bytes:
    """The list of items alone (annex 45b), once the movement is released, as the TAD."""
    _require_printable(party, mrn)
    return render_list_of_items(mrn, service.movement_declaration(party, mrn))
