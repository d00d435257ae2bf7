"""Compare our NCTS phase 5 message schemas with the official ones, element by element.

Run it with a directory holding the official v2.1 XSDs (fetched, never committed; see
docs/operations.md, "Message schemas"):

    .venv/bin/python tools/compare_schemas.py /path/to/official/xsd [--ours DIR] [--type CC015C ...]

For every message type (cc*.xsd in the official directory) it reads both schema sets into the
same plain content model — each element's path, its place among its siblings, minOccurs and
maxOccurs, fixed value, and for a leaf the built-in type it derives from and every facet on the
way (lengths, digits, bounds, patterns per derivation step, enumerations), attributes too — and
prints every difference. Names of types and the files' layout are ignored: only what a message
may contain counts. The exit status is 0 when nothing differs, 1 when anything does (ours looser,
stricter, or only different), 2 when the directories cannot be read.

The one documented exception: the content of the Danish DMS `Extensions` element
(namespace urn:eds:datamodel:EDS:EDS_EXTENSIONS:1). The official files import it from a schema
they do not ship; ours describes it as the Danish DMS accepts it. Its place and occurrences are
still compared; its content is listed as an exception and not counted.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
NCTS_NS = "http://ncts.dgtaxud.ec"
EXT_NS = "urn:eds:datamodel:EDS:EDS_EXTENSIONS:1"
_X = f"{{{XS}}}"
UNBOUNDED = -1
_LENGTH_FACETS = ("length", "minLength", "maxLength", "totalDigits", "fractionDigits")
_BOUND_FACETS = ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive")


@dataclass(frozen=True)
class Leaf:
    """What a simple type allows: the built-in it derives from, its facets, patterns and enumeration."""

    builtin: str
    facets: tuple[tuple[str, str], ...] = ()
    patterns: tuple[tuple[str, ...], ...] = ()  # one tuple per derivation step (alternatives within)
    enumeration: tuple[str, ...] | None = None

    def describe(self) -> str:
        parts = [f"xs:{self.builtin}"]
        parts += [f"{name}={value}" for name, value in self.facets]
        parts += ["pattern=" + "|".join(step) for step in self.patterns]
        if self.enumeration is not None:
            parts.append(f"enumeration[{len(self.enumeration)}]")
        return " ".join(parts)


@dataclass
class Node:
    """One element (or compositor) of a content model."""

    name: str  # an element's local name, or "(choice)" / "(sequence)" for a nested compositor
    namespace: str | None
    min_occurs: int
    max_occurs: int  # UNBOUNDED for "unbounded"
    fixed: str | None = None
    leaf: Leaf | None = None
    children: list[Node] = field(default_factory=list)
    attributes: dict[str, tuple[str, Leaf | None]] = field(default_factory=dict)
    unresolved: str | None = None  # a type the schema set refers to but does not define
    type_key: str | None = None  # the {namespace}name of its named type, if it has one

    @property
    def occurs(self) -> str:
        top = "unbounded" if self.max_occurs == UNBOUNDED else str(self.max_occurs)
        return f"[{self.min_occurs}..{top}]"


class SchemaSet:
    """All top-level declarations reachable from one message's XSD, by {namespace}name."""

    def __init__(self, entry: Path):
        self.types: dict[str, tuple[etree._Element, str, bool]] = {}
        self.groups: dict[str, tuple[etree._Element, str, bool]] = {}
        self.elements: dict[str, tuple[etree._Element, str, bool]] = {}
        self.missing_files: list[str] = []
        self._load(entry.resolve(), set())

    def _load(self, path: Path, seen: set[Path]) -> None:
        if path in seen:
            return
        seen.add(path)
        if not path.is_file():
            self.missing_files.append(str(path))
            return
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
        root = etree.parse(str(path), parser).getroot()
        target = root.get("targetNamespace", "")
        qualified = root.get("elementFormDefault") == "qualified"
        for node in root:
            if node.tag in (_X + "include", _X + "import") and node.get("schemaLocation"):
                self._load((path.parent / node.get("schemaLocation")).resolve(), seen)
            elif node.tag in (_X + "complexType", _X + "simpleType"):
                self.types[f"{{{target}}}{node.get('name')}"] = (node, target, qualified)
            elif node.tag == _X + "group":
                self.groups[f"{{{target}}}{node.get('name')}"] = (node, target, qualified)
            elif node.tag == _X + "element":
                self.elements[f"{{{target}}}{node.get('name')}"] = (node, target, qualified)


def _qname(node: etree._Element, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    return f"{{{node.nsmap.get(prefix or None, '')}}}{local}"


def _occurs(node: etree._Element) -> tuple[int, int]:
    top = node.get("maxOccurs", "1")
    return int(node.get("minOccurs", "1")), UNBOUNDED if top == "unbounded" else int(top)


class Reader:
    """Turns a schema set into plain content-model trees."""

    def __init__(self, schemas: SchemaSet):
        self.schemas = schemas

    def message(self, message_type: str) -> Node:
        key = f"{{{NCTS_NS}}}{message_type}"
        if key not in self.schemas.elements:
            raise KeyError(f"no global element {message_type}")
        node, target, qualified = self.schemas.elements[key]
        return self._element(node, target, True, (), top=True)

    # -- elements and complex content -------------------------------------------------------
    def _element(self, node: etree._Element, target: str, qualified: bool, stack: tuple[str, ...],
                 top: bool = False) -> Node:
        if node.get("ref"):
            ref = _qname(node, node.get("ref"))
            decl, d_target, d_qualified = self.schemas.elements[ref]
            low, high = _occurs(node)
            found = self._element(decl, d_target, d_qualified, stack, top=True)
            found.min_occurs, found.max_occurs = low, high
            return found
        low, high = (1, 1) if top else _occurs(node)
        form = node.get("form", "qualified" if qualified else "unqualified")
        result = Node(node.get("name"), target if (top or form == "qualified") else None, low, high,
                      fixed=node.get("fixed"))
        inline_complex = node.find(_X + "complexType")
        inline_simple = node.find(_X + "simpleType")
        if inline_complex is not None:
            self._complex(inline_complex, target, qualified, result, stack)
        elif inline_simple is not None:
            result.leaf = self._simple(inline_simple)
        elif node.get("type"):
            self._typed(result, _qname(node, node.get("type")), stack)
        else:
            result.leaf = Leaf("anyType")
        return result

    def _typed(self, result: Node, type_key: str, stack: tuple[str, ...]) -> None:
        result.type_key = type_key
        if type_key.startswith(f"{{{XS}}}"):
            result.leaf = Leaf(type_key.rpartition("}")[2])
            return
        if type_key not in self.schemas.types:
            result.unresolved = type_key
            return
        decl, target, qualified = self.schemas.types[type_key]
        if decl.tag == _X + "simpleType":
            result.leaf = self._simple(decl)
        elif type_key in stack:
            result.unresolved = f"{type_key} (recursive)"
        else:
            self._complex(decl, target, qualified, result, (*stack, type_key))

    def _complex(self, decl: etree._Element, target: str, qualified: bool, result: Node,
                 stack: tuple[str, ...]) -> None:
        for child in decl:
            if child.tag in (_X + "sequence", _X + "choice", _X + "all", _X + "group"):
                result.children.extend(self._particle(child, target, qualified, stack))
            elif child.tag == _X + "attribute":
                self._attribute(child, result)
            elif child.tag == _X + "complexContent":
                self._derived(child, target, qualified, result, stack)
            elif child.tag == _X + "simpleContent":
                raise NotImplementedError("simpleContent is not used by the phase 5 messages")

    def _derived(self, content: etree._Element, target: str, qualified: bool, result: Node,
                 stack: tuple[str, ...]) -> None:
        derivation = content[0] if len(content) else None
        if derivation is None or derivation.tag != _X + "extension":
            raise NotImplementedError("only complexContent/extension is read")
        base_key = _qname(derivation, derivation.get("base"))
        base, b_target, b_qualified = self.schemas.types[base_key]
        self._complex(base, b_target, b_qualified, result, (*stack, base_key))
        self._complex(derivation, target, qualified, result, stack)

    def _particle(self, node: etree._Element, target: str, qualified: bool, stack: tuple[str, ...]) -> list[Node]:
        """A compositor or group as particles; a plain once-only sequence is spliced into its parent."""
        if node.tag == _X + "element":
            return [self._element(node, target, qualified, stack)]
        if node.tag == _X + "any":
            low, high = _occurs(node)
            return [Node("(any)", node.get("namespace"), low, high)]
        low, high = _occurs(node)
        if node.tag == _X + "group":
            group, g_target, g_qualified = self.schemas.groups[_qname(node, node.get("ref"))]
            inner = [n for part in group if part.tag != _X + "annotation"
                     for n in self._particle(part, g_target, g_qualified, stack)]
        else:
            inner = [n for part in node if part.tag != _X + "annotation"
                     for n in self._particle(part, target, qualified, stack)]
        if node.tag in (_X + "sequence", _X + "group") and (low, high) == (1, 1):
            return inner
        name = {"sequence": "(sequence)", "choice": "(choice)", "all": "(all)", "group": "(sequence)"}[
            etree.QName(node).localname]
        return [Node(name, None, low, high, children=inner)]

    def _attribute(self, node: etree._Element, result: Node) -> None:
        leaf = None
        if node.get("type"):
            holder = Node("@", None, 1, 1)
            self._typed(holder, _qname(node, node.get("type")), ())
            leaf = holder.leaf
        elif node.find(_X + "simpleType") is not None:
            leaf = self._simple(node.find(_X + "simpleType"))
        result.attributes[node.get("name")] = (node.get("use", "optional"), leaf)

    # -- simple types -----------------------------------------------------------------------
    def _simple(self, decl: etree._Element) -> Leaf:
        """Walk a simple type's restrictions down to its built-in, gathering every facet."""
        steps: list[etree._Element] = []
        node = decl
        builtin = "anySimpleType"
        while True:
            restriction = node.find(_X + "restriction")
            if restriction is None:
                raise NotImplementedError("only xs:restriction simple types are read (no list/union)")
            steps.append(restriction)
            if restriction.get("base"):
                base = _qname(restriction, restriction.get("base"))
                if base.startswith(f"{{{XS}}}"):
                    builtin = base.rpartition("}")[2]
                    break
                node = self.schemas.types[base][0]
            else:
                node = restriction.find(_X + "simpleType")
        return _merge_facets(builtin, steps)


def _merge_facets(builtin: str, steps: list[etree._Element]) -> Leaf:
    """The facets that bind, most derived step first: tightest bounds, patterns per step, last enumeration."""
    facets: dict[str, str] = {}
    patterns: set[tuple[str, ...]] = set()
    enumeration: tuple[str, ...] | None = None
    for step in steps:  # most derived first
        values: dict[str, list[str]] = {}
        for facet in step:
            if facet.tag.startswith(_X) and facet.get("value") is not None:
                values.setdefault(etree.QName(facet).localname, []).append(facet.get("value"))
        if "pattern" in values:
            patterns.add(tuple(sorted(values.pop("pattern"))))
        if "enumeration" in values:
            found = tuple(sorted({" ".join(v.split()) if builtin == "token" else v for v in values.pop("enumeration")}))
            enumeration = found if enumeration is None else tuple(sorted(set(enumeration) & set(found)))
        for name, [value, *_] in values.items():
            facets[name] = value if name not in facets else _tighter(name, facets[name], value)
    return Leaf(builtin, tuple(sorted(facets.items())), tuple(sorted(patterns)), enumeration)


def _tighter(name: str, kept: str, other: str) -> str:
    try:
        a, b = Decimal(kept), Decimal(other)
    except InvalidOperation:
        return kept
    if name in ("minLength", "minInclusive", "minExclusive"):
        return kept if a >= b else other
    if name in ("maxLength", "maxInclusive", "maxExclusive", "totalDigits", "fractionDigits"):
        return kept if a <= b else other
    return kept


# -- comparing ------------------------------------------------------------------------------
@dataclass
class Report:
    differences: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


def compare(official: Node, ours: Node, path: str, report: Report) -> None:
    """Every difference between two elements and, below them, their content."""
    if official.occurs != ours.occurs:
        report.differences.append(f"{path}: occurs {ours.occurs} in ours, {official.occurs} officially")
    if official.namespace != ours.namespace:
        report.differences.append(f"{path}: namespace {ours.namespace!r} in ours, {official.namespace!r} officially")
    if _is_extension(official) or _is_extension(ours):
        report.exceptions.append(f"{path}: content not compared (DMS Extensions, documented exception)")
        return
    if official.fixed != ours.fixed:
        report.differences.append(f"{path}: fixed value {ours.fixed!r} in ours, {official.fixed!r} officially")
    if official.unresolved or ours.unresolved:
        if official.unresolved != ours.unresolved:
            report.differences.append(f"{path}: type unresolved (ours {ours.unresolved}, official {official.unresolved})")
        return
    if (official.leaf is None) != (ours.leaf is None):
        kind = {True: "a leaf", False: "complex"}
        report.differences.append(f"{path}: {kind[ours.leaf is not None]} in ours, "
                                  f"{kind[official.leaf is not None]} officially")
        return
    if official.leaf is not None and official.leaf != ours.leaf:
        report.differences.append(f"{path}: type differs\n    ours:     {ours.leaf.describe()}\n"
                                  f"    official: {official.leaf.describe()}")
        if official.leaf.enumeration != ours.leaf.enumeration:
            a, b = set(official.leaf.enumeration or ()), set(ours.leaf.enumeration or ())
            report.differences.append(f"{path}: enumeration: only ours {sorted(b - a)}, only official {sorted(a - b)}")
    _compare_attributes(official, ours, path, report)
    _compare_children(official.children, ours.children, path, report)


def _is_extension(node: Node) -> bool:
    """The DMS Extensions element: its type is in the EDS extensions namespace."""
    return node.name == "Extensions" and (node.type_key or "").startswith(f"{{{EXT_NS}}}")


def _compare_attributes(official: Node, ours: Node, path: str, report: Report) -> None:
    for name in sorted(set(official.attributes) | set(ours.attributes)):
        a, b = official.attributes.get(name), ours.attributes.get(name)
        if a is None:
            report.differences.append(f"{path}/@{name}: attribute only in ours")
        elif b is None:
            report.differences.append(f"{path}/@{name}: attribute missing in ours")
        elif a[0] != b[0] or a[1] != b[1]:
            described = [f"{use} {leaf.describe() if leaf else '?'}" for use, leaf in (b, a)]
            report.differences.append(f"{path}/@{name}: ours {described[0]}, official {described[1]}")


def _compare_children(official: list[Node], ours: list[Node], path: str, report: Report) -> None:
    names_official = [n.name for n in official]
    names_ours = [n.name for n in ours]
    matcher = difflib.SequenceMatcher(a=names_official, b=names_ours, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(official[i1:i2], ours[j1:j2]):
                compare(a, b, f"{path}/{a.name}", report)
            continue
        for a in official[i1:i2]:
            if a.name in names_ours:
                report.differences.append(f"{path}/{a.name}: in another place in ours (official order: "
                                          f"{', '.join(names_official)})")
                compare(a, ours[names_ours.index(a.name)], f"{path}/{a.name}", report)
            else:
                report.differences.append(f"{path}/{a.name}: missing in ours (official {a.occurs})")
        for b in ours[j1:j2]:
            if b.name not in names_official and _is_extension(b):
                report.exceptions.append(f"{path}/{b.name}: only in ours {b.occurs} (DMS Extensions, accepted as the "
                                         "Danish DMS accepts them; documented exception)")
            elif b.name not in names_official:
                report.differences.append(f"{path}/{b.name}: only in ours {b.occurs}, not allowed officially")


def lines(node: Node, path: str = "") -> list[str]:
    """The content model as text, one element a line (for reading, and for `--dump`)."""
    here = f"{path}/{node.name}" if path else node.name
    what = node.leaf.describe() if node.leaf else (f"unresolved {node.unresolved}" if node.unresolved else "")
    fixed = f" fixed={node.fixed}" if node.fixed else ""
    out = [f"{here} {node.occurs} {what}{fixed}".rstrip()]
    for name, (use, leaf) in sorted(node.attributes.items()):
        out.append(f"{here}/@{name} {use} {leaf.describe() if leaf else ''}".rstrip())
    for child in node.children:
        out.extend(lines(child, here))
    return out


def message_types(directory: Path) -> list[str]:
    return sorted(p.stem.upper() for p in directory.glob("cc*.xsd"))


def main(argv: list[str] | None = None) -> int:
    default_ours = Path(__file__).resolve().parents[1] / "src/toldsystem/transit/messages/schemas"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("official", type=Path, help="directory with the official cc*.xsd, ctypes.xsd, stypes.xsd, ...")
    parser.add_argument("--ours", type=Path, default=default_ours, help="directory of our schemas")
    parser.add_argument("--type", action="append", dest="types", help="compare only this message type (repeatable)")
    parser.add_argument("--dump", action="store_true", help="print both content models instead of comparing")
    args = parser.parse_args(argv)
    if not args.official.is_dir() or not args.ours.is_dir():
        print(f"not a directory: {args.official if not args.official.is_dir() else args.ours}", file=sys.stderr)
        return 2
    wanted = args.types or message_types(args.official)
    if not wanted:
        print(f"no cc*.xsd in {args.official}", file=sys.stderr)
        return 2
    total = 0
    for message_type in wanted:
        report = Report()
        official_file = args.official / f"{message_type.lower()}.xsd"
        ours_file = args.ours / f"{message_type.lower()}.xsd"
        if not ours_file.is_file():
            print(f"{message_type}: no schema of ours ({ours_file})")
            total += 1
            continue
        official = Reader(SchemaSet(official_file)).message(message_type)
        ours = Reader(SchemaSet(ours_file)).message(message_type)
        if args.dump:
            print("\n".join(f"official {line}" for line in lines(official)))
            print("\n".join(f"ours     {line}" for line in lines(ours)))
            continue
        compare(official, ours, message_type, report)
        total += len(report.differences)
        status = "same" if not report.differences else f"{len(report.differences)} difference(s)"
        print(f"{message_type}: {status}" + (f", {len(report.exceptions)} exception(s)" if report.exceptions else ""))
        for difference in report.differences:
            print(f"  - {difference}")
        for exception in report.exceptions:
            print(f"  ~ {exception}")
    if args.dump:
        return 0
    print(f"{len(wanted)} message type(s) compared, {total} difference(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
