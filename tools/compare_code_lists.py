"""Check that every element our rules check against a code list is the one the official schemas annotate with it.

The official NCTS phase 5 XSDs name the code list of a coded element in an annotation
(`<xs:annotation><xs:appinfo><codeList code="CL251"/>…`, in ctypes.xsd). Our rule table
`toldsystem.transit.rules.code_lists.DECLARATION_LISTS` maps each coded element of a declaration
to its list. Run it with a directory holding the official v2.1 XSDs (fetched, never committed;
docs/operations.md, "Message schemas"):

    .venv/bin/python tools/compare_code_lists.py /path/to/official/xsd

It prints every element whose list differs and exits 1 when one does, 0 when all agree, 2 when
the directory cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lxml import etree

from toldsystem.transit.rules.code_lists import DECLARATION_LISTS

XS = "{http://www.w3.org/2001/XMLSchema}"


def annotated_lists(directory: Path) -> dict[str, set[str]]:
    """Each element name of the official complex types, with the code lists its declarations name."""
    annotated: dict[str, set[str]] = {}
    for element in etree.parse(str(directory / "ctypes.xsd")).iter(f"{XS}element"):
        found = [c for c in element.iter() if isinstance(c.tag, str) and c.tag.endswith("codeList")]
        if found:
            annotated.setdefault(element.get("name"), set()).add(found[0].get("code"))
    return annotated


def differences(annotated: dict[str, set[str]]) -> list[str]:
    """Our table's entries whose list is not the one the official schemas give that element."""
    found = []
    for path, list_id in sorted(DECLARATION_LISTS.items()):
        leaf = path.rsplit("/", 1)[-1]
        official = annotated.get(leaf)
        if official is None:
            found.append(f"{path}: {list_id} in ours, no code list officially")
        elif list_id not in official:
            found.append(f"{path}: {list_id} in ours, {' or '.join(sorted(official))} officially")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("official", type=Path, help="directory with the official ctypes.xsd")
    args = parser.parse_args(argv)
    if not (args.official / "ctypes.xsd").is_file():
        print(f"{args.official}: no ctypes.xsd here", file=sys.stderr)
        return 2
    found = differences(annotated_lists(args.official))
    for line in found:
        print(line)
    print(f"{len(DECLARATION_LISTS)} coded element(s) compared, {len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
