"""A room's kinds of DEC-DMS message: each kind's XSD file and root, compiled and read once per process, and
an incoming message read, checked and turned into data against the kind it is."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem
from toldsystem.core.xml_input import Bounds
from toldsystem.dms.convert import element_data
from toldsystem.dms.model import ContentModel, compile_schema
from toldsystem.dms.parser import pointer_of, read_received, schema_problems, unreadable

Received = tuple[str, dict[str, Any], bytes, etree._ElementTree]  # kind, data, the bytes received, the tree


class MessageKinds:
    """The kinds of message a room knows, by name: (XSD file, {namespace}root) each; `label` names them in
    errors ("message kind", "export message kind")."""

    def __init__(self, files: Mapping[str, tuple[Path, str]], label: str):
        self.files = dict(files)
        self.label = label
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._models: dict[str, ContentModel] = {}

    def schema_path(self, kind: str) -> Path:
        """Path of a kind's XSD file."""
        if kind not in self.files:
            raise KeyError(f"no schema for {self.label} {kind!r}")
        return self.files[kind][0]

    def compiled_schema(self, kind: str) -> etree.XMLSchema:
        """The kind's XSD, compiled once per process (lxml's XMLSchema is reusable)."""
        found = self._schemas.get(kind)
        if found is None:
            found = self._schemas[kind] = compile_schema(self.schema_path(kind))
        return found

    def content_model(self, kind: str) -> ContentModel:
        """The content model of a kind, built once per process."""
        found = self._models.get(kind)
        if found is None:
            found = self._models[kind] = ContentModel(self.schema_path(kind), self.files[kind][1])
        return found

    def prepare(self) -> None:
        """Compile every kind's schema and content model now, so no caller's first message waits for it."""
        for kind in self.files:
            self.compiled_schema(kind)
            self.content_model(kind)

    def schema_problems(self, kind: str, tree: etree._ElementTree, *, received: bool = False,
                        max_problems: int = Bounds().max_problems) -> list[Problem]:
        """Validate against the kind's XSD; each error becomes a Problem pointing at its element (and, in a
        message as `received`, at its line and column: a tree built from data has none)."""
        schema = self.compiled_schema(kind)
        return schema_problems(self.content_model(kind), schema, tree, received=received, max_problems=max_problems)

    def to_data(self, element: etree._Element | etree._ElementTree, kind: str) -> dict[str, Any]:
        """A validated message of the given kind as data."""
        return element_data(self.content_model(kind), element)

    def pointer_of(self, kind: str, element: etree._Element) -> str:
        """Our pointer style: local names, with a 1-based index on elements that may repeat."""
        return pointer_of(self.content_model(kind), element)

    def receive(self, data: Any, kind: str | None, bounds: Bounds,
                refuse_root: Callable[[etree._Element], list[Problem]],
                kind_of: Callable[[etree._Element], str]) -> Received | list[Problem]:
        """Read and validate one incoming message of `kind` (told by `kind_of` from its root when None); never
        raises on bad input, returns problems instead."""
        try:
            tree = read_received(data, bounds, refuse_root)
            if isinstance(tree, list):
                return tree
            kind = kind or kind_of(tree.getroot())
            found = self.schema_problems(kind, tree, received=True, max_problems=bounds.max_problems)
            if found:
                return found
            return kind, self.to_data(tree.getroot(), kind), bytes(data), tree
        except Exception as error:  # noqa: BLE001 - a hostile file must never take the server down
            return unreadable(error)
