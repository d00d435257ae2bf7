"""The TAD of a released movement, rendered from the declaration as accepted."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core.errors import Conflict, problem
from toldsystem.reference import service as reference
from toldsystem.transit import service, states
from toldsystem.transit.documents import render_tad

PRINTABLE = frozenset({states.RELEASED, states.ARRIVED, states.UNLOADING, states.DISCREPANCIES,
                       states.MAJOR_DISCREPANCIES, states.RECOVERED, states.CLOSED})


def tad_pdf(party: Party, mrn: str) -> bytes:
    """Seed 003: the TAD accompanies the goods from release; all data on its front page."""
    movement = service.movement(party, mrn)
    if movement["state"] not in PRINTABLE:
        raise Conflict(problem("tad.not_released", "mrn", f"the movement is {movement['state']}; a TAD exists only once released",
                               f"forsendelsen har status {movement['state']}; ledsagedokumentet findes først ved frigivelse"))
    released = next((e["at"] for e in service.events(party, mrn) if e["event"] == "released"), None)
    names = {code: o.name for code, o in reference.snapshot().offices.items()}
    return render_tad(mrn, service.movement_declaration(party, mrn), released_at=released, office_names=names)
