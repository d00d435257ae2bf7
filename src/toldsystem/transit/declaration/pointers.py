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
