"""The pure rules of the Manifest (SPEC M; seed 002 "Transportdelen/Opbevaringsdelen af manifestsystemet",
seed 000's signatures and its known problem with corrections).

model.py (arrivals, departures, consignments, temporary storage, amendments), movements.py (the data of an
arrival or departure), permission.py (permission to unload or depart), storage.py (MIO and its 90-day limit,
art. 149 UCC), links.py (actual arrival and exit confirmation into the linked declarations; fallback exports
and the exemption code), amendments.py (correction and deletion at any status), signature.py.
"""

from __future__ import annotations

from collections.abc import Collection

from toldsystem.core.errors import Problem
from toldsystem.manifest.rules.links import (departure_names_no_fallback_export, exemption_code_stands_alone,
                                             links_match_direction)
from toldsystem.manifest.rules.model import Movement
from toldsystem.manifest.rules.movements import check_movement


def check_filing(m: Movement, fallback_exports: Collection[str] = ()) -> list[Problem]:
    """Every rule of an arrival or departure being filed: its data, its links, no fallback export named."""
    return (check_movement(m) + links_match_direction(m) + exemption_code_stands_alone(m)
            + departure_names_no_fallback_export(m, fallback_exports))


__all__ = ["check_filing"]
