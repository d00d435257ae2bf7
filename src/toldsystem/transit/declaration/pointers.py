"""Pointers into the message: every element of the model keeps the XML path it was read from.

A pointer is `/CC015C/Consignment/HouseConsignment[1]/...`, repeated elements indexed from 1 in
document order, so that a rule can point at the offending element; an amendment (CC013C) is read
under its own root, so its problems point into it.
"""

from __future__ import annotations

ROOT = "/CC015C"


def at(pointer: str, name: str) -> str:
    """The pointer of a child element or leaf."""
    return f"{pointer}/{name}"


# A walk over a whole message that seldom finds anything (the sequence and code-list rules) carries
# where it is as a Place — the root's pointer, or (parent place, name, position) with position 0 for an
# element that is not repeated — and makes the pointer only for a problem.
Place = str | tuple


def pointer_of(place: Place) -> str:
    """The pointer a place stands for."""
    if place.__class__ is str:
        return place
    parent, name, position = place
    return f"{pointer_of(parent)}/{name}[{position}]" if position else f"{pointer_of(parent)}/{name}"
